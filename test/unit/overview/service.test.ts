// The worker's overview against the demo tenant (the same Graph client and service the worker runs, with only
// fetch routed through a client that trusts the tenant's certificate): a reopened scope is not listed again,
// and a load the browser refuses memory for stops reading, says so and keeps what it loaded.
import { isMemoryRefusal, KEEP_STORED_MS, MEMORY_ERROR, OverviewService, windowDue, type OverviewDeps, type ScopeStorage, type StoredScope } from '../../../src/background/overview/service';
import type { LoadCheckpoint } from '../../../src/background/overview/checkpoint';
import { OverviewStore, type OverviewQuery, type StoreSnapshot } from '../../../src/core/overview/store';
import { createRateLimiter } from '../../../src/core/ratelimit';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { createGraph, type Graph } from '../../../src/graph/client';
import type { WorkerEvent } from '../../../src/messages';
import { unpackView, type OverviewEvent, type OverviewRequest } from '../../../src/protocol/overview';
import { startTenant, type Tenant } from '../../tenant';
import { addOverviewScale, type OverviewScaleInfo } from '../../tenant/overview-scale';
import { tenantFetch } from '../../support/tenant-fetch';

let t: Tenant;
const sent: string[] = [];

function graphFor(tenant: Tenant): Graph {
  const token = tenant.mintAccessToken();
  return createGraph({
    cloud: 'global',
    fetchImpl: tenantFetch(tenant, (url) => sent.push(url)),
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))),
    getToken: async () => token,
  });
}

const service = (disk?: { storage: ScopeStorage; account: string; now?: () => number }) =>
  new OverviewService({
    settings: async () => ({ ...DEFAULT_SETTINGS, clientId: 'c' }),
    graph: async () => graphFor(t),
    signInLimiter: createRateLimiter({ requests: 1000, windowMs: 1000 }),
    ...(disk ? { stored: disk.storage, account: async () => disk.account, now: disk.now } : {}),
  });

/** IndexedDB as the worker sees it: values structured-cloned in and out; a part lands with its checkpoint. */
function disk(refuse = false) {
  let value: StoredScope | undefined;
  let checkpoint: LoadCheckpoint | undefined;
  let parts = new Map<number, StoreSnapshot>();
  const written: LoadCheckpoint[] = [];
  /** the scopes read whole (not just asked about) */
  const reads: string[] = [];
  const storage: ScopeStorage & { readonly value: StoredScope | undefined; readonly checkpoint: LoadCheckpoint | undefined; written: LoadCheckpoint[]; reads: string[] } = {
    get value() {
      return value;
    },
    get checkpoint() {
      return checkpoint;
    },
    written,
    reads,
    about: async () => (value === undefined ? undefined : { account: value.account, scope: value.scope, fetchedAt: value.fetchedAt }),
    get: async () => {
      reads.push(value?.scope ?? '');
      return value === undefined ? undefined : structuredClone(value);
    },
    put: async (v) => {
      if (refuse) throw new DOMException('quota', 'QuotaExceededError');
      value = structuredClone(v);
    },
    drop: async () => void (value = undefined),
    putPart: async (index, part, c) => {
      if (refuse) throw new DOMException('quota', 'QuotaExceededError');
      if (index === 0) parts = new Map();
      parts.set(index, structuredClone(part));
      checkpoint = structuredClone(c);
      written.push(checkpoint);
    },
    getCheckpoint: async () => (checkpoint === undefined ? undefined : structuredClone(checkpoint)),
    getParts: async (count) => {
      const out = Array.from({ length: count }, (_, k) => parts.get(k));
      return out.every((x) => x !== undefined) ? structuredClone(out as StoreSnapshot[]) : undefined;
    },
    dropParts: async () => {
      parts = new Map();
      checkpoint = undefined;
    },
  };
  return storage;
}

/** A panel's end of the port: events through JSON, packed views read against the last scope event, as the panel does. */
function peer() {
  const events: OverviewEvent[] = [];
  let scope: readonly { id: string }[] = [];
  const post = (e: WorkerEvent): void => {
    if (e.type !== 'overview') return;
    const ev = JSON.parse(JSON.stringify(e.event)) as OverviewEvent;
    if (ev.kind === 'scope') scope = ev.packages;
    if (ev.kind !== 'view-packed') return void events.push(ev);
    const view = unpackView(ev, scope);
    if (!view) throw new Error('a packed view the panel could not read');
    events.push(view);
  };
  return { events, showing: null, post };
}

const lastState = (events: OverviewEvent[]) => events.filter((e): e is Extract<OverviewEvent, { kind: 'state' }> => e.kind === 'state').at(-1)!;
const open = { kind: 'open', scope: 'tenant', staleAfterDays: 90 } as const;
const ALL_ROWS = { search: '', facets: {} };
const query = (seq: number) => ({ kind: 'query', seq, query: ALL_ROWS, tab: 'assignments', offset: 0, limit: 20, staleAfterDays: 90 }) as const;
const lastView = (events: OverviewEvent[]) => events.filter((e): e is Extract<OverviewEvent, { kind: 'view' }> => e.kind === 'view').at(-1)!;

/** Opens the tenant in a panel until it is fully loaded; with `close`, the panel then lets go. */
async function openLoaded(svc: OverviewService, p: ReturnType<typeof peer>, close = false): Promise<void> {
  await svc.handle(open, p);
  if (close) await svc.handle({ kind: 'close' }, p);
}

/** A panel with the tenant open on `svc`. */
async function opened(svc: OverviewService) {
  const p = peer();
  await svc.handle(open, p);
  return p;
}

beforeAll(async () => {
  t = await startTenant({ size: 300, seed: 9 });
  // Every test here reads the scope again; Graph's sign-in limit (10 a minute per app, kept by the tenant) is
  // another test's subject, and would make the later ones here wait out its Retry-After.
  t.configure({ signInRate: { requests: 1000, windowMs: 60_000 } });
});
afterAll(() => t.close());
afterEach(() => jest.restoreAllMocks());

describe('OverviewService', () => {
  it('a scope closed fully loaded is taken by the next open without a request; after clear() it is listed again', async () => {
    const s = service();
    const a = peer();
    await s.handle(open, a);
    const loaded = lastState(a.events);
    expect(loaded).toMatchObject({ loading: false, enriching: false, error: null });
    // A row picked in that panel...
    await s.handle(query(1), a);
    await s.handle({ kind: 'select', op: 'rows', query: ALL_ROWS, rows: [0], on: true }, a);
    expect(lastView(a.events).selected).toBe(1);
    await s.handle({ kind: 'close' }, a);

    sent.length = 0;
    const b = peer();
    await s.handle(open, b);
    expect(sent).toEqual([]);
    expect(lastState(b.events)).toMatchObject({ loading: false, total: loaded.total, fetchedAt: loaded.fetchedAt });
    // ...is not picked when the rows come back: no removal is offered for an old pick.
    await s.handle(query(1), b);
    expect(lastView(b.events)).toMatchObject({ selected: 0, shown: loaded.total });

    s.forget(b); // the panel went away: kept again
    s.clear(); // signed out: nothing kept
    const c = peer();
    await s.handle(open, c);
    expect(sent.some((u) => /\/entitlementManagement\/assignments\?/.test(u))).toBe(true);
    expect(lastState(c.events)).toMatchObject({ loading: false, total: loaded.total });
    expect(lastState(c.events).fetchedAt).not.toBe(loaded.fetchedAt);
  });

  it('names the CSV of the current view -all- when it narrows nothing, -filtered- when it does', async () => {
    const s = service();
    const a = peer();
    await s.handle(open, a);
    const fileOf = async (id: string, q: OverviewQuery, all: boolean): Promise<string> => {
      await s.handle({ kind: 'export', exportId: id, query: q, all, staleAfterDays: 90 }, a);
      const done = a.events.find((e): e is Extract<OverviewEvent, { kind: 'csv' }> => e.kind === 'csv' && e.exportId === id && e.done)!;
      return done.fileName;
    };
    expect(await fileOf('none', ALL_ROWS, false)).toMatch(/^tenant-assignments-all-\d{8}-\d{6}\.csv$/);
    expect(await fileOf('blank', { search: '  ', facets: {} }, false)).toMatch(/^tenant-assignments-all-/);
    expect(await fileOf('search', { search: 'a', facets: {} }, false)).toMatch(/^tenant-assignments-filtered-/);
    expect(await fileOf('facet', { search: '', facets: { kind: ['guest'] } }, false)).toMatch(/^tenant-assignments-filtered-/);
    expect(await fileOf('every', { search: 'a', facets: {} }, true)).toMatch(/^tenant-assignments-all-/);
  });

  it('when the browser refuses memory, stops reading, says so, and keeps the rows it had for the table and the CSV', async () => {
    const real = OverviewStore.prototype.add;
    let calls = 0;
    jest.spyOn(OverviewStore.prototype, 'add').mockImplementation(function (this: OverviewStore, packageId, rows) {
      if (++calls > 2) throw new RangeError('Array buffer allocation failed');
      real.call(this, packageId, rows);
    });
    const s = service();
    const a = peer();
    sent.length = 0;
    await s.handle(open, a);
    const state = lastState(a.events);
    expect(state).toMatchObject({ loading: false, enriching: false, error: MEMORY_ERROR });
    expect(state.total).toBeGreaterThan(0);
    expect(state.total).toBeLessThan(t.data.assignments.length);
    // No account data is read for a load that stopped (it would need more memory).
    expect(sent.filter((u) => /\/users\?/.test(u))).toEqual([]);
    // What was loaded exports.
    await s.handle({ kind: 'export', exportId: 'x', query: { search: '', facets: {} }, all: true, staleAfterDays: 90 }, a);
    const csv = a.events.filter((e): e is Extract<OverviewEvent, { kind: 'csv' }> => e.kind === 'csv');
    expect(csv.at(-1)).toMatchObject({ done: true, rows: state.total });
    expect(csv.map((c) => c.chunk).join('').trim().split('\n').length).toBe(state.total + 1);
    // Not kept for the next open: a reopen reads the scope again.
    await s.handle({ kind: 'close' }, a);
    jest.restoreAllMocks();
    sent.length = 0;
    const b = peer();
    await s.handle(open, b);
    expect(lastState(b.events)).toMatchObject({ error: null, loading: false });
    expect(sent.length).toBeGreaterThan(0);
  });

  it('a scope closed fully loaded is on disk: a new worker shows it without a request, with its fetched time, for this account only', async () => {
    const storage = disk();
    const first = service({ storage, account: 'global|t1|c' });
    const a = peer();
    sent.length = 0;
    await openLoaded(first, a);
    const loaded = lastState(a.events);
    await first.handle(query(1), a);
    const rows = lastView(a.events).rows;
    expect(storage.value).toBeUndefined(); // written when the panel lets go, not while it is typing
    await first.handle({ kind: 'close' }, a);
    expect(storage.value).toMatchObject({ scope: 'tenant', account: 'global|t1|c', fetchedAt: loaded.fetchedAt });

    // The worker stopped: a new service, same disk.
    sent.length = 0;
    const second = service({ storage, account: 'global|t1|c' });
    const b = peer();
    await second.handle(open, b);
    expect(sent).toEqual([]);
    expect(lastState(b.events)).toMatchObject({ loading: false, enriching: false, error: null, total: loaded.total, fetchedAt: loaded.fetchedAt });
    expect(b.events.find((e) => e.kind === 'scope')).toMatchObject({ packages: expect.arrayContaining([expect.objectContaining({ id: expect.any(String) })]) });
    await second.handle(query(1), b);
    expect(lastView(b.events).rows).toEqual(rows);
    const csv = async (svc: OverviewService, p: ReturnType<typeof peer>) => {
      await svc.handle({ kind: 'export', exportId: 'e', query: ALL_ROWS, all: true, staleAfterDays: 90 }, p);
      return p.events.flatMap((e) => (e.kind === 'csv' ? [e.chunk] : [])).join('');
    };
    expect(await csv(second, b)).toBe(await csv(first, await opened(first)));

    // Another scope is read from Graph (and the stored tenant stays).
    const c = peer();
    sent.length = 0;
    storage.reads.length = 0;
    await second.handle({ ...open, scope: `catalog:${t.data.catalogs[0].id}` }, c);
    expect(sent.length).toBeGreaterThan(0);
    expect(storage.value?.scope).toBe('tenant');
    expect(storage.reads).toEqual([]); // the tenant's rows were not read to learn it is not this scope

    // Refresh reads it again.
    const d = peer();
    sent.length = 0;
    await second.handle({ ...open, refresh: true }, d);
    expect(sent.some((u) => /\/entitlementManagement\/assignments\?/.test(u))).toBe(true);
  });

  it("a panel's first query, sent while its open still asks the disk, is answered", async () => {
    const storage = disk();
    const svc = service({ storage, account: 'a' });
    const a = peer();
    const opening = svc.handle(open, a);
    await svc.handle(query(1), a); // as the panel sends them: one after the other, without waiting
    await opening;
    await svc.handle({ kind: 'close' }, a);

    const again = service({ storage, account: 'a' }); // a later worker: the scope is on disk
    const b = peer();
    const reopening = again.handle(open, b);
    await again.handle(query(2), b);
    await reopening;
    expect(lastView(b.events)).toMatchObject({ seq: 2, shown: lastState(b.events).total });
    expect(lastView(a.events).seq).toBe(1);
  });

  it('a stored scope of another account, or older than a day, is not shown and is dropped; sign-out drops it, and what a panel still shows is not kept', async () => {
    const storage = disk();
    await openLoaded(service({ storage, account: 'global|t1|c' }), peer(), true);
    const saved = storage.value!;
    expect(saved).toBeDefined();

    sent.length = 0;
    await service({ storage, account: 'global|t2|c' }).handle(open, peer());
    expect(sent.length).toBeGreaterThan(0);
    expect(storage.value?.account).not.toBe('global|t1|c'); // dropped (what is there now is t2's, once closed)

    await storage.put(saved);
    sent.length = 0;
    const late = Date.parse(saved.fetchedAt) + KEEP_STORED_MS + 1;
    await service({ storage, account: 'global|t1|c', now: () => late }).handle(open, peer());
    expect(sent.length).toBeGreaterThan(0);

    await storage.put(saved);
    service({ storage, account: 'global|t1|c' }).clear();
    await Promise.resolve();
    expect(storage.value).toBeUndefined();

    // Signed out while a panel still shows a loaded scope: when it lets go, nothing is kept or written.
    const svc = service({ storage, account: 'global|t1|c' });
    const p = await opened(svc);
    svc.clear();
    await svc.handle({ kind: 'close' }, p);
    await new Promise((r) => setTimeout(r, 10));
    expect(storage.value).toBeUndefined();
    sent.length = 0;
    await svc.handle(open, peer());
    expect(sent.length).toBeGreaterThan(0);
  });

  it('a disk that refuses the write loses nothing: the next worker reads the scope from Graph', async () => {
    const storage = disk(true);
    await openLoaded(service({ storage, account: 'a' }), peer(), true);
    sent.length = 0;
    const b = peer();
    await service({ storage, account: 'a' }).handle(open, b);
    expect(sent.length).toBeGreaterThan(0);
    expect(lastState(b.events)).toMatchObject({ loading: false, error: null });
  });

  it('a removal sent from the overview drops the stored scope and keeps no copy of rows it changed', async () => {
    const storage = disk();
    const actions = { handle: jest.fn(async () => undefined) };
    const svc = new OverviewService({
      settings: async () => ({ ...DEFAULT_SETTINGS, clientId: 'c' }),
      graph: async () => graphFor(t),
      signInLimiter: createRateLimiter({ requests: 1000, windowMs: 1000 }),
      stored: storage,
      account: async () => 'a',
      actions,
    });
    await openLoaded(svc, peer(), true); // stored
    expect(storage.value).toBeDefined();
    const b = peer();
    await svc.handle(open, b); // taken from memory
    await svc.handle(query(1), b);
    await svc.handle({ kind: 'select', op: 'rows', query: ALL_ROWS, rows: [0], on: true }, b);
    await svc.handle({ kind: 'remove', batchId: 'r', filter: '' }, b);
    expect(actions.handle).toHaveBeenCalledTimes(1);
    expect(storage.value).toBeUndefined();
    await svc.handle({ kind: 'close' }, b);
    expect(storage.value).toBeUndefined();
    sent.length = 0;
    await svc.handle(open, peer());
    expect(sent.length).toBeGreaterThan(0); // read again: neither memory nor disk held the old rows
  });

  it('the packages table and the package facet arrive named, each package with the assignments the tenant holds for it', async () => {
    const s = service();
    const a = await opened(s);
    await s.handle(query(1), a);
    const view = lastView(a.events);
    const held = new Map<string, number>();
    for (const x of t.data.assignments) held.set(x.accessPackageId, (held.get(x.accessPackageId) ?? 0) + 1);
    // Every package of the tenant is in the table, named by its id, with its own count (not another's).
    expect(view.packages.map((p) => p.packageId).sort()).toEqual(t.data.packages.map((p) => p.id).sort());
    for (const p of view.packages) expect([p.packageId, p.assignments]).toEqual([p.packageId, held.get(p.packageId) ?? 0]);
    expect(view.counts.package).toEqual(Object.fromEntries([...held].filter(([, n]) => n > 0)));
    expect(new Set(view.packages.map((p) => p.assignments)).size).toBeGreaterThan(1);
  });

  it('a write Graph accepted from any panel drops the kept and stored scope holding that package; a kept scope without it stays', async () => {
    const storage = disk();
    const svc = service({ storage, account: 'a' });
    const catalog = t.data.catalogs[0].id;
    const scope = `catalog:${catalog}`;
    const inside = t.data.packages.find((p) => p.catalogId === catalog)!.id;
    const outside = t.data.packages.find((p) => p.catalogId !== catalog)!.id;
    const loadAndClose = async () => {
      const p = peer();
      await svc.handle({ ...open, scope }, p);
      await svc.handle({ kind: 'close' }, p);
    };
    await loadAndClose();
    expect(storage.value?.scope).toBe(scope);

    svc.packageChanged(outside);
    sent.length = 0;
    const b = peer();
    await svc.handle({ ...open, scope }, b);
    expect(sent).toEqual([]); // kept: it does not hold that package
    expect(storage.value).toBeUndefined(); // the disk's copy is not read to check: dropped

    // Changed while a panel shows it: still shown there, not kept after it, not written.
    svc.packageChanged(inside);
    await svc.handle({ kind: 'close' }, b);
    await new Promise((r) => setTimeout(r, 10));
    expect(storage.value).toBeUndefined();
    sent.length = 0;
    await loadAndClose();
    expect(sent.length).toBeGreaterThan(0);

    // Changed while only kept: dropped from memory and disk.
    expect(storage.value?.scope).toBe(scope);
    svc.packageChanged(inside);
    await new Promise((r) => setTimeout(r, 10));
    expect(storage.value).toBeUndefined();
    sent.length = 0;
    await svc.handle({ ...open, scope }, peer());
    expect(sent.length).toBeGreaterThan(0);
  });

  it('while data arrives, the window is answered again at most every 250 ms, and its answers take at most a thirtieth of the time', () => {
    expect(windowDue(249, 1)).toBe(false);
    expect(windowDue(250, 1)).toBe(true);
    // An answer of 100 ms (a million rows): the next one 2.9 s later, not 250 ms.
    expect(windowDue(2000, 100)).toBe(false);
    expect(windowDue(2900, 100)).toBe(true);
    for (const answerMs of [5, 40, 100, 400]) {
      const gap = [250, 1000, 2900, 11_600].find((g) => windowDue(g, answerMs))!;
      expect(answerMs / (answerMs + gap)).toBeLessThanOrEqual(1 / 30);
    }
  });

  it('recognises a refused allocation, and nothing else, as memory', () => {
    expect(isMemoryRefusal(new RangeError('Array buffer allocation failed'))).toBe(true);
    expect(isMemoryRefusal(new RangeError('Invalid typed array length: 4294967296'))).toBe(true);
    expect(isMemoryRefusal(new RangeError('Invalid array length'))).toBe(true);
    expect(isMemoryRefusal(new RangeError('Invalid string length'))).toBe(true);
    expect(isMemoryRefusal(new RangeError('invalid rate window'))).toBe(false);
    expect(isMemoryRefusal(new Error('Array buffer allocation failed'))).toBe(false);
    expect(isMemoryRefusal('out of memory')).toBe(false);
  });
});

describe('OverviewService at a tenant of many packages', () => {
  let big: Tenant;
  let info: OverviewScaleInfo;
  const PAGE = 20;
  beforeAll(async () => {
    big = await startTenant({ size: 10, seed: 5, pageSize: PAGE, latencyMs: 5 });
    info = addOverviewScale(big.data, { packages: 60, catalogs: 4, rows: 6000, users: 1500, seed: 3 });
    big.configure({ signInRate: { requests: 1000, windowMs: 60_000 } }); // as above: many loads here
  });
  afterAll(() => big.close());

  /** A worker reading this tenant (its requests go to `urls`), with `extra` deps. */
  const bigService = (urls: string[] = [], extra: Partial<OverviewDeps> = {}) =>
    new OverviewService({
      settings: async () => ({ ...DEFAULT_SETTINGS, clientId: 'c' }),
      graph: async () => createGraph({ cloud: 'global', fetchImpl: tenantFetch(big, (u) => urls.push(u)), sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))), getToken: async () => big.mintAccessToken() }),
      signInLimiter: createRateLimiter({ requests: 1000, windowMs: 1000 }),
      ...extra,
    });

  /** A worker on `storage` for `account` that writes a checkpoint after every package (requests go to `urls`). */
  const checkpointing = (storage: ScopeStorage, account: string, urls: string[] = []) =>
    bigService(urls, { stored: storage, account: async () => account, checkpointEveryMs: 0 });

  it('reads every assignment with the packages sharing 16 requests in flight, starting before the package list ends', async () => {
    const urls: string[] = [];
    const s = bigService(urls);
    big.resetLog();
    const p = peer();
    await s.handle(open, p);
    expect(lastState(p.events)).toMatchObject({ loading: false, error: null, total: info.total, unreadable: [] });
    expect(big.maxInFlight('graph.microsoft.com')).toBeLessThanOrEqual(16);

    const packagePages = urls.map((u, i) => [u, i] as const).filter(([u]) => /\/accessPackages\?/.test(u));
    const assignmentCalls = urls.map((u, i) => [u, i] as const).filter(([u]) => /\/entitlementManagement\/assignments\?/.test(u));
    expect(packagePages.length).toBe(Math.ceil(big.data.packages.length / PAGE));
    // The first package's rows were asked for while the package list was still being read.
    expect(assignmentCalls[0][1]).toBeLessThan(packagePages.at(-1)![1]);
    // Packages of a few pages are read as one chain each: few more requests than pages in all.
    const pages = info.sizes.reduce((n, size) => n + Math.ceil(size / PAGE), 0);
    expect(assignmentCalls.length).toBeLessThan(1.3 * pages);
  });

  it('a Graph that refuses the nested $expand: learnt once for the load, every row read, the note said once', async () => {
    const s = bigService();
    const message = 'Nested $expand is not supported on this entity set.';
    big.configure({ refuseQueries: [{ match: '($expand=connectedOrganization)', code: 'BadRequest', message }] });
    try {
      big.resetLog();
      const p = peer();
      await s.handle(open, p);
      const state = lastState(p.events);
      expect(state).toMatchObject({ loading: false, error: null, total: info.total, unreadable: [] });
      const refused = big.log.filter((e) => e.status === 400 && e.path.endsWith('/entitlementManagement/assignments'));
      // Only the packages already being read when Graph first refused pay for it (32 at once, each refused at
      // most once per step down), not all 60: without the shared memo it was 128 here.
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.length).toBeLessThanOrEqual(64);
      const notes = state.notes.filter((n) => n.includes('connected organisation'));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain(message);
    } finally {
      big.configure({ refuseQueries: [] });
    }
  });

  it('a load stopped with its worker resumes from the packages it had read: none read again, every row once', async () => {
    const storage = disk();
    const worker = (urls: string[]) => checkpointing(storage, 'a', urls);
    const packagesRead = (urls: string[]): string[] =>
      urls.flatMap((u) => (/\/entitlementManagement\/assignments\?/.test(u) ? (/accessPackage\/id eq '([^']+)'/.exec(decodeURIComponent(u))?.[1] ?? []) : []));

    const first: string[] = [];
    const w1 = worker(first);
    const a = peer();
    // Until the stop Graph refuses the nested $expand: what that left out is noted for the packages read then.
    const message = 'Nested $expand is not supported on this entity set.';
    big.configure({ refuseQueries: [{ match: '($expand=connectedOrganization)', code: 'BadRequest', message }] });
    try {
      const loading = w1.handle(open, a);
      while ((storage.checkpoint?.done.length ?? 0) < 20) await new Promise((r) => setTimeout(r, 2));
      w1.forget(a); // as the worker stopping: its load ends where it is, its parts stay on disk
      await loading;
    } finally {
      big.configure({ refuseQueries: [] });
    }
    const saved = storage.checkpoint!;
    expect(saved.done.length).toBeLessThan(big.data.packages.length);

    const second: string[] = [];
    const b = peer();
    const w2 = worker(second);
    await w2.handle(open, b);
    // The rows read before the stop were shown at once, before any request of this worker.
    const firstState = b.events.find((e): e is Extract<OverviewEvent, { kind: 'state' }> => e.kind === 'state')!;
    expect(firstState.progress).toMatchObject({ resumed: saved.done.length, packagesDone: saved.done.length });
    expect(firstState.total).toBeGreaterThan(0);
    const state = lastState(b.events);
    expect(state).toMatchObject({ loading: false, error: null, total: info.total, unreadable: [] });
    // The packages read before the stop are not read again: their note comes back from the checkpoint.
    expect(state.notes.filter((n) => n.includes(message))).toHaveLength(1);

    // No package the first worker had finished was asked for again; every other one was.
    const again = new Set(packagesRead(second));
    for (const id of saved.done) expect(again.has(id)).toBe(false);
    expect(again.size).toBe(big.data.packages.length - saved.done.length);

    // Every assignment once: the CSV holds each id of the tenant exactly once.
    await w2.handle({ kind: 'export', exportId: 'e', query: ALL_ROWS, all: true, staleAfterDays: 90 }, b);
    const csv = b.events.flatMap((e) => (e.kind === 'csv' ? [e.chunk] : [])).join('');
    const ids = csv.trim().split('\r\n').slice(1).map((line) => line.split(',')[0]);
    expect(ids).toHaveLength(info.total);
    expect(new Set(ids).size).toBe(info.total);
  });

  it("a stopped load is not resumed by Refresh, another account, or after sign-out; completing it drops its parts", async () => {
    const storage = disk();
    const worker = (account: string) => checkpointing(storage, account);
    const stopped = async (account: string): Promise<void> => {
      const w = worker(account);
      const p = peer();
      const loading = w.handle(open, p);
      while ((storage.checkpoint?.done.length ?? 0) < 10) await new Promise((r) => setTimeout(r, 2));
      w.forget(p);
      await loading;
    };
    const resumedBy = async (w: OverviewService, req: OverviewRequest = open): Promise<number> => {
      const p = peer();
      await w.handle(req, p);
      return p.events.find((e): e is Extract<OverviewEvent, { kind: 'state' }> => e.kind === 'state')!.progress.resumed ?? 0;
    };

    await stopped('a');
    expect(await resumedBy(worker('a'), { ...open, refresh: true })).toBe(0);

    // A Refresh stopped before its first checkpoint: the older load is not resumed either.
    await stopped('a');
    const refreshing = worker('a');
    const r = peer();
    const refreshed = refreshing.handle({ ...open, refresh: true }, r);
    while (!r.events.some((e) => e.kind === 'state')) await new Promise((res) => setTimeout(res, 1));
    refreshing.forget(r);
    await refreshed;
    await new Promise((res) => setTimeout(res, 10));
    expect(storage.checkpoint).toBeUndefined();

    await stopped('a');
    expect(await resumedBy(worker('b'))).toBe(0);
    expect(storage.checkpoint?.account).not.toBe('a'); // dropped, not kept for later

    await stopped('a');
    worker('a').clear();
    await new Promise((r) => setTimeout(r, 10));
    expect(storage.checkpoint).toBeUndefined();

    // Resumed to the end and closed: complete on disk, and its parts gone.
    await stopped('a');
    const w = worker('a');
    const p = peer();
    await w.handle(open, p);
    expect(lastState(p.events).progress.resumed).toBeGreaterThan(0);
    await w.handle({ kind: 'close' }, p);
    await new Promise((r) => setTimeout(r, 10));
    expect(storage.value?.scope).toBe('tenant');
    expect(storage.checkpoint).toBeUndefined();
  }, 20_000);

  it('a package listing that fails part-way stops the load and says so; the rows read so far stay', async () => {
    const s = new OverviewService({
      settings: async () => ({ ...DEFAULT_SETTINGS, clientId: 'c' }),
      graph: async () => createGraph({ cloud: 'global', fetchImpl: tenantFetch(big), sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))), getToken: async () => big.mintAccessToken() }),
      signInLimiter: createRateLimiter({ requests: 1000, windowMs: 1000 }),
    });
    // The listing's later pages (its next links carry the expansion, then the $skiptoken) fail for good.
    big.configure({ failPages: { status: 503, match: 'scope)&$skiptoken', count: 1000 } });
    try {
      const p = peer();
      await s.handle(open, p);
      const state = lastState(p.events);
      expect(state).toMatchObject({ loading: false, enriching: false });
      expect(state.error).toMatch(/503|unavailable|Service/i);
      // The first page's packages were read (some of their rows are in), the rest of the scope is not.
      expect(state.total).toBeGreaterThan(0);
      expect(state.total).toBeLessThan(info.total);
      await s.handle(query(1), p);
      expect(lastView(p.events).shown).toBe(state.total);
    } finally {
      big.configure({ failPages: null });
    }
  });
});
