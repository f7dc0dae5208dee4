// The panel's one connection to the worker. Components and the store only see `WorkerLink`, so tests drive
// them with a fake; `createPortLink` is the real one over a chrome.runtime Port.
import { PANEL_PORT, type PanelRequest, type WorkerEvent } from '../messages';
import { parseWorkerEvent } from './worker-events';

export type LinkStatus = 'connected' | 'reconnecting' | 'dead';

export interface WorkerLink {
  post(req: PanelRequest): void;
  /** Subscribe to validated worker events; returns the unsubscribe function. */
  onEvent(cb: (e: WorkerEvent) => void): () => void;
  /** 'dead' means the extension was reloaded or removed: only a page reload brings the panel back. */
  onStatus(cb: (s: LinkStatus) => void): () => void;
}

/** The parts of chrome.runtime.Port the link uses (so tests can hand in a fake). */
export interface PortLike {
  postMessage(msg: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (msg: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

export interface RuntimeLike {
  /** undefined once the extension context is invalidated (extension reloaded or updated). */
  readonly id?: string;
  connect(info: { name: string }): PortLike;
}

export interface LinkTimers {
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const defaultTimers: LinkTimers = {
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Backoff between reconnect attempts: a stopped MV3 worker restarts at once, a crashing one must not spin. */
const RECONNECT_DELAYS_MS = [0, 500, 1000, 2000, 5000, 10_000];

/**
 * A link over one Port named PANEL_PORT. When the port drops (the MV3 worker was stopped) it reconnects and
 * re-sends the last `open` so the worker restarts that fetch (with a new loadId); a `cancel` ends the session
 * and nothing is re-sent.
 */
export function createPortLink(runtime: RuntimeLike, timers: LinkTimers = defaultTimers): WorkerLink {
  const eventSubs = new Set<(e: WorkerEvent) => void>();
  const statusSubs = new Set<(s: LinkStatus) => void>();
  let port: PortLike | null = null;
  let status: LinkStatus = 'connected';
  let session: Extract<PanelRequest, { type: 'open' } | { type: 'overview' }> | null = null;
  let attempt = 0;
  let timer: unknown = null;

  const setStatus = (s: LinkStatus): void => {
    if (s === status) return;
    status = s;
    for (const cb of statusSubs) cb(s);
  };

  const contextAlive = (): boolean => {
    try {
      return Boolean(runtime.id);
    } catch {
      return false;
    }
  };

  const connect = (): PortLike | null => {
    if (port) return port;
    if (!contextAlive()) {
      setStatus('dead');
      return null;
    }
    let p: PortLike;
    try {
      p = runtime.connect({ name: PANEL_PORT });
    } catch {
      setStatus('dead');
      return null;
    }
    port = p;
    p.onMessage.addListener((msg) => {
      if (port !== p) return;
      attempt = 0; // the worker answers: the backoff starts over
      const event = parseWorkerEvent(msg);
      if (!event) return;
      for (const cb of eventSubs) cb(event);
    });
    p.onDisconnect.addListener(() => {
      if (port !== p) return;
      port = null;
      scheduleReconnect();
    });
    setStatus('connected');
    return p;
  };

  const scheduleReconnect = (): void => {
    if (!contextAlive()) {
      setStatus('dead');
      return;
    }
    // Without an open package there is nothing to resume: connect lazily on the next request.
    if (!session || timer !== null) return;
    setStatus('reconnecting');
    const delay = RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)];
    attempt++;
    timer = timers.setTimeout(() => {
      timer = null;
      if (!session) return;
      const p = connect();
      if (p) send(p, session);
    }, delay);
  };

  const send = (p: PortLike, req: PanelRequest): void => {
    try {
      p.postMessage(req);
    } catch {
      // The port died between its disconnect event and this call: reconnect and send once more.
      if (port === p) port = null;
      const again = connect();
      if (!again) return;
      try {
        again.postMessage(req);
      } catch {
        port = null;
        scheduleReconnect();
      }
    }
  };

  return {
    post(req) {
      // What a reconnect resumes: the open package, or the open overview.
      if (req.type === 'open' || (req.type === 'overview' && req.request.kind === 'open')) session = req;
      else if (req.type === 'cancel' && session?.type === 'open') session = null;
      else if (req.type === 'overview' && req.request.kind === 'close' && session?.type === 'overview') session = null;
      if (timer !== null && req.type === 'open') {
        // A reconnect is pending and will send this newer `open` itself.
        return;
      }
      const p = connect();
      if (p) send(p, req);
    },
    onEvent(cb) {
      eventSubs.add(cb);
      return () => eventSubs.delete(cb);
    },
    onStatus(cb) {
      statusSubs.add(cb);
      return () => statusSubs.delete(cb);
    },
  };
}
