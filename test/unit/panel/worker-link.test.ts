import { createPortLink, type LinkStatus, type PortLike, type RuntimeLike } from '../../../src/panel/worker-link';
import type { PanelRequest, WorkerEvent } from '../../../src/messages';

const PKG = '11111111-2222-3333-4444-555555555555';
const PKG2 = '66666666-2222-3333-4444-555555555555';

class FakePort implements PortLike {
  sent: unknown[] = [];
  closed = false;
  throwOnPost = false;
  private msgCbs: ((m: unknown) => void)[] = [];
  private discCbs: (() => void)[] = [];
  onMessage = { addListener: (cb: (m: unknown) => void) => void this.msgCbs.push(cb) };
  onDisconnect = { addListener: (cb: () => void) => void this.discCbs.push(cb) };
  postMessage(m: unknown) {
    if (this.throwOnPost) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(m);
  }
  disconnect() {
    this.closed = true;
  }
  deliver(m: unknown) {
    for (const cb of this.msgCbs) cb(m);
  }
  /** The worker went away (MV3 worker stopped). */
  drop() {
    this.closed = true;
    for (const cb of this.discCbs) cb();
  }
}

function setup() {
  const ports: FakePort[] = [];
  const names: string[] = [];
  const runtime: RuntimeLike & { id?: string } = {
    id: 'ext',
    connect(info) {
      names.push(info.name);
      const p = new FakePort();
      ports.push(p);
      return p;
    },
  };
  const pending: { cb: () => void; ms: number }[] = [];
  const timers = {
    setTimeout: (cb: () => void, ms: number) => {
      pending.push({ cb, ms });
      return pending.length;
    },
    clearTimeout: () => undefined,
  };
  const runTimers = () => {
    while (pending.length) pending.shift()!.cb();
  };
  const link = createPortLink(runtime, timers);
  return { link, ports, names, runtime, pending, runTimers };
}

describe('createPortLink', () => {
  test('connects lazily over one port named "panel" and posts requests on it', () => {
    const { link, ports, names } = setup();
    expect(ports).toHaveLength(0);
    link.post({ type: 'open', packageId: PKG });
    link.post({ type: 'sign-in' });
    expect(names).toEqual(['panel']);
    expect(ports[0].sent).toEqual([{ type: 'open', packageId: PKG }, { type: 'sign-in' }]);
  });

  test('delivers only well-formed events to subscribers', () => {
    const { link, ports } = setup();
    const got: WorkerEvent[] = [];
    link.onEvent((e) => got.push(e));
    link.post({ type: 'open', packageId: PKG });
    ports[0].deliver({ type: 'rows', loadId: 'L1', rows: [{ id: 'a' }] });
    ports[0].deliver({ type: 'rows', loadId: 'L1', rows: 'not rows' });
    ports[0].deliver({ type: 'nonsense' });
    ports[0].deliver(null);
    expect(got.map((e) => e.type)).toEqual(['rows']);
  });

  test('after the worker stops, reconnects and re-sends the current open', () => {
    const { link, ports, runTimers } = setup();
    const statuses: LinkStatus[] = [];
    link.onStatus((s) => statuses.push(s));
    link.post({ type: 'open', packageId: PKG, refresh: true });
    ports[0].drop();
    expect(statuses).toEqual(['reconnecting']);
    runTimers();
    expect(ports).toHaveLength(2);
    expect(ports[1].sent).toEqual([{ type: 'open', packageId: PKG, refresh: true }]);
    expect(statuses).toEqual(['reconnecting', 'connected']);
  });

  test('after a cancel, a dropped port is not reopened until the next request', () => {
    const { link, ports, pending } = setup();
    link.post({ type: 'open', packageId: PKG });
    link.post({ type: 'cancel' });
    ports[0].drop();
    expect(pending).toHaveLength(0);
    link.post({ type: 'open', packageId: PKG2 });
    expect(ports).toHaveLength(2);
    expect(ports[1].sent).toEqual([{ type: 'open', packageId: PKG2 }]);
  });

  test('an open posted while a reconnect is pending is the one sent (once)', () => {
    const { link, ports, runTimers } = setup();
    link.post({ type: 'open', packageId: PKG });
    ports[0].drop();
    link.post({ type: 'open', packageId: PKG2 });
    runTimers();
    const sentAfterDrop = ports.slice(1).flatMap((p) => p.sent as PanelRequest[]);
    expect(sentAfterDrop).toEqual([{ type: 'open', packageId: PKG2 }]);
  });

  test('a post on a port that died silently is retried on a fresh port', () => {
    const { link, ports } = setup();
    link.post({ type: 'open', packageId: PKG });
    ports[0].throwOnPost = true;
    link.post({ type: 'sign-in' });
    expect(ports).toHaveLength(2);
    expect(ports[1].sent).toEqual([{ type: 'sign-in' }]);
  });

  test('reconnect attempts back off while the worker keeps dropping the port', () => {
    const { link, ports, pending } = setup();
    link.post({ type: 'open', packageId: PKG });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      ports[ports.length - 1].drop();
      const t = pending.shift()!;
      delays.push(t.ms);
      t.cb();
    }
    expect(delays).toEqual([0, 500, 1000, 2000, 5000]);
  });

  test('reports dead when the extension context is gone (extension reloaded)', () => {
    const { link, ports, runtime, pending } = setup();
    const statuses: LinkStatus[] = [];
    link.onStatus((s) => statuses.push(s));
    link.post({ type: 'open', packageId: PKG });
    runtime.id = undefined;
    ports[0].drop();
    expect(statuses).toEqual(['dead']);
    expect(pending).toHaveLength(0);
    link.post({ type: 'open', packageId: PKG });
    expect(ports).toHaveLength(1);
  });
});
