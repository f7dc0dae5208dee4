// The worker's review service: decisions stored as made and told to every panel, nothing claimed saved
// when storage refused, one review per package, import checks, finish archives and leaves the baseline.
import { IdDigest, packSnapshot, snapshotFlag, type ListedRow, type ListSnapshot } from '../../../src/core/review/diff';
import type { Review } from '../../../src/core/review/model';
import { encodeFacts, packFacts } from '../../../src/core/review/packed';
import { ReviewService } from '../../../src/background/review/service';
import { packOpen, readOpen, type DecisionBatch, type ReviewStorage, type StoredOpen } from '../../../src/background/review/storage';
import type { WorkerEvent } from '../../../src/messages';
import type { ReviewEvent } from '../../../src/protocol/review';

// The service folds decisions after a quiet time (a timer of up to a minute here): on a fake clock, no timer
// outlives its test and keeps the test run from exiting.
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const PKG = '11111111-2222-3333-4444-555555555555';

// Stands in for IndexedDB: values are structured clones, batches replay in key order (./storage.ts).
function memoryStorage(): ReviewStorage & { data: Map<string, unknown>; fail: boolean; writes: string[] } {
  const data = new Map<string, unknown>();
  let seq = 0;
  const s = {
    data,
    fail: false,
    /** records written, in order: 'open' (the whole review) or 'batch' (one decision) */
    writes: [] as string[],
    async getOpen(p: string) {
      const stored = structuredClone(data.get(`open:${p}`)) as StoredOpen | undefined;
      const batches = [...data.keys()].filter((k) => k.startsWith(`dec:${p}:`)).sort().map((k) => structuredClone(data.get(k)) as DecisionBatch);
      return stored && { open: stored, batches };
    },
    async putOpen(r: Review) {
      if (s.fail) throw new DOMException('quota exceeded', 'QuotaExceededError');
      const p = r.packageId.toLowerCase();
      for (const k of [...data.keys()]) if (k.startsWith(`dec:${p}:`)) data.delete(k);
      data.set(`open:${p}`, structuredClone(packOpen(r)));
      s.writes.push('open');
    },
    async putBatch(p: string, b: DecisionBatch) {
      if (s.fail) throw new DOMException('quota exceeded', 'QuotaExceededError');
      data.set(`dec:${p.toLowerCase()}:${String(++seq).padStart(12, '0')}`, structuredClone(b));
      s.writes.push('batch');
    },
    async dropOpen(p: string) {
      for (const k of [...data.keys()]) if (k.startsWith(`dec:${p}:`)) data.delete(k);
      data.delete(`open:${p}`);
    },
    async archive(r: Review) {
      data.set(`archive:${r.id}`, structuredClone(r));
    },
    async getBaseline(p: string) {
      return data.get(`baseline:${p}`) as ListSnapshot | undefined;
    },
    async putBaseline(b: ListSnapshot) {
      data.set(`baseline:${b.packageId.toLowerCase()}`, b);
    },
  };
  return s;
}

const facts = { displayName: 'A', principalName: 'a@x', state: 'delivered', staleReasons: [], expiry: null, activity: null, recommendation: 'keep' as const, recommendationReasons: [] };
const item = (id: string) => ({ row: { id, displayName: id, principalName: `${id}@x` }, facts });
// As the panel sends a decision: the facts in the port's form (the rows are new to the review: sent in `added`).
const items = (list: ReturnType<typeof item>[]) => {
  const added = list.map((i) => i.row);
  const ids = list.map((i) => i.row.id);
  const byId = new Map(added.map((r) => [r.id, r]));
  return { ids, facts: encodeFacts(ids, list.map((i) => packFacts(i.facts)), (id) => byId.get(id)), added };
};

/** A visit as the panel sends it: the digest of the ids it flagged and one flag per row. */
function visit(ids: string[], flags: Array<[stale: boolean, expiring: boolean]>): { digest: string; flags: string } {
  const d = new IdDigest();
  for (const id of ids) d.add(id);
  return { digest: d.value, flags: flags.map(([s, e]) => snapshotFlag(s, e)).join('') };
}

function setup(compactAfterMs = 60_000) {
  const storage = memoryStorage();
  // Two panels on the package: `peer` sends the requests (`direct`: what it receives), `other` only watches
  // (`broadcasts`: what it receives).
  const broadcasts: ReviewEvent[] = [];
  const direct: ReviewEvent[] = [];
  /** The lists the worker last sent complete, per package. */
  const lists = new Map<string, ListedRow[]>();
  let n = 0;
  const peer = { post: (ev: WorkerEvent) => ev.type === 'review' && direct.push(ev.event) };
  const other = { post: (ev: WorkerEvent) => ev.type === 'review' && broadcasts.push(ev.event) };
  const service = new ReviewService({
    storage,
    broadcast: (ev: WorkerEvent, except?: unknown) => [peer, other].forEach((p) => p !== except && p.post(ev)),
    actor: () => 'rev@contoso.com',
    now: () => new Date('2025-06-15T12:00:00.123Z'),
    newId: () => `r${++n}`,
    compactAfterMs,
    list: (p) => lists.get(p.toLowerCase()),
  });
  const start = () => service.handle({ kind: 'start', packageId: PKG, packageName: 'Sales', scope: { kind: 'all', filter: '' }, rows: ['a', 'b'].map((id) => item(id).row), staleAfterDays: 90 }, peer);
  return { storage, broadcasts, direct, service, peer, start, lists };
}

describe('review service', () => {
  it('stores each decision before telling every panel it is saved, stamped with the reviewer and UTC time', async () => {
    const t = setup();
    await t.start();
    await t.service.handle({ kind: 'decide', packageId: PKG, reviewId: 'r1', seq: 1, decision: 'remove', justification: 'left', ...items([item('a')]) }, t.peer);
    const ev = t.broadcasts.at(-1)!;
    expect(ev).toMatchObject({ kind: 'decided', seq: 1, decision: 'remove', reviewer: 'rev@contoso.com', at: '2025-06-15T12:00:00Z', ids: ['a'], save: { saved: true } });
    // The sender is told the stamp and the save only: it shows the decision already.
    expect(t.direct.at(-1)).toEqual({ kind: 'stored', packageId: PKG, reviewId: 'r1', seq: 1, reviewer: 'rev@contoso.com', at: '2025-06-15T12:00:00Z', save: { saved: true } });
    expect(t.direct.some((e) => e.kind === 'decided')).toBe(false);
    // One small record per decision; the review itself was written once, at the start.
    expect(t.storage.writes).toEqual(['open', 'batch']);
    const stored = readOpen((await t.storage.getOpen(PKG))!);
    expect(stored.decisions.a).toMatchObject({ decision: 'remove', justification: 'left', reviewer: 'rev@contoso.com' });
    // A new worker (stopped and restarted) reads the same review back.
    const again = new ReviewService({ storage: t.storage, broadcast: () => undefined, actor: () => '' });
    const got: ReviewEvent[] = [];
    await again.handle({ kind: 'get', packageId: PKG }, { post: (e) => e.type === 'review' && got.push(e.event) });
    expect(got[0]).toMatchObject({ kind: 'state', review: { id: 'r1' }, decisions: { ids: ['a'], codes: 'r', groups: [{ justification: 'left' }], facts: [] } });
    // The facts follow the decisions, apart (the rows paint without them).
    expect(got[1]).toMatchObject({ kind: 'facts', reviewId: 'r1', ids: ['a'], facts: [packFacts(facts)] });
  });

  it('reads the facts the panel sent without the names of review rows, and refuses facts that do not add up', async () => {
    const t = setup();
    await t.start(); // rows a and b are in the review
    const f = (name: string) => packFacts({ ...facts, displayName: name, principalName: `${name.toLowerCase()}@x` });
    const rows = new Map([['a', { id: 'a', displayName: 'a', principalName: 'a@x' }]]);
    const wire = encodeFacts(['a'], [f('a')], (id) => rows.get(id));
    expect(wire.text).not.toContain('a'); // left out: the worker has the row
    await t.service.handle({ kind: 'decide', packageId: PKG, reviewId: 'r1', seq: 1, decision: 'keep', justification: '', ids: ['a'], facts: wire, added: [] }, t.peer);
    await t.service.handle({ kind: 'export', packageId: PKG }, t.peer);
    const exported = JSON.parse((t.direct.at(-1) as Extract<ReviewEvent, { kind: 'export' }>).text);
    expect(exported.decisions.a.facts).toMatchObject({ displayName: 'a', principalName: 'a@x' });
    // The shapes say a name was left out for a row the worker does not know: refused, nothing recorded.
    await t.service.handle({ kind: 'decide', packageId: PKG, reviewId: 'r1', seq: 2, decision: 'keep', justification: '', ids: ['zz'], facts: wire, added: [] }, t.peer);
    expect(t.direct.at(-1)).toMatchObject({ kind: 'refused', seq: 2, reason: 'bad-facts' });
    await t.service.handle({ kind: 'export', packageId: PKG }, t.peer);
    expect(JSON.parse((t.direct.at(-1) as Extract<ReviewEvent, { kind: 'export' }>).text).decisions.zz).toBeUndefined();
  });

  it('after a decision storage refused, the next write stores the whole review before saying saved', async () => {
    const t = setup();
    await t.start();
    t.storage.fail = true;
    await t.service.handle({ kind: 'decide', packageId: PKG, reviewId: 'r1', seq: 1, decision: 'keep', justification: '', ...items([item('a')]) }, t.peer);
    expect(t.broadcasts.at(-1)).toMatchObject({ kind: 'decided', save: { saved: false } });
    t.storage.fail = false;
    await t.service.handle({ kind: 'decide', packageId: PKG, reviewId: 'r1', seq: 2, decision: 'remove', justification: 'left', ...items([item('b')]) }, t.peer);
    expect(t.broadcasts.at(-1)).toMatchObject({ kind: 'decided', seq: 2, save: { saved: true } });
    expect(t.storage.writes).toEqual(['open', 'open']);
    const stored = readOpen((await t.storage.getOpen(PKG))!);
    expect([stored.decisions.a?.decision, stored.decisions.b?.decision]).toEqual(['keep', 'remove']);
    // Back to one record per decision, replayed in order over the whole review.
    await t.service.handle({ kind: 'decide', packageId: PKG, reviewId: 'r1', seq: 3, decision: null, justification: '', ...items([item('a')]) }, t.peer);
    expect(t.storage.writes).toEqual(['open', 'open', 'batch']);
    expect(readOpen((await t.storage.getOpen(PKG))!).decisions.a).toBeUndefined();
  });

  it('says "not saved" with the reason when storage refuses, and keeps the decision in memory', async () => {
    const t = setup();
    await t.start();
    t.storage.fail = true;
    await t.service.handle({ kind: 'decide', packageId: PKG, reviewId: 'r1', seq: 2, decision: 'keep', justification: '', ...items([item('b')]) }, t.peer);
    expect(t.broadcasts.at(-1)).toMatchObject({ kind: 'decided', save: { saved: false, error: expect.stringContaining('QuotaExceededError') } });
    await t.service.handle({ kind: 'export', packageId: PKG }, t.peer);
    const exported = t.direct.at(-1) as Extract<ReviewEvent, { kind: 'export' }>;
    expect(JSON.parse(exported.text).decisions.b.decision).toBe('keep');
  });

  it('refuses a second review while one is open, and a remove without justification', async () => {
    const t = setup();
    await t.start();
    await t.start();
    expect(t.direct.some((e) => e.kind === 'refused' && e.reason === 'open')).toBe(true);
    await t.service.handle({ kind: 'decide', packageId: PKG, reviewId: 'r1', seq: 3, decision: 'remove', justification: ' ', ...items([item('a')]) }, t.peer);
    expect(t.direct.at(-1)).toMatchObject({ kind: 'refused', seq: 3, reason: 'justification-required' });
  });

  it('imports a review for this package only; finish archives it and keeps the list as the baseline', async () => {
    const t = setup();
    await t.start();
    await t.service.handle({ kind: 'export', packageId: PKG }, t.peer);
    const text = (t.direct.at(-1) as Extract<ReviewEvent, { kind: 'export' }>).text;
    const other = text.replace(PKG, '99999999-2222-3333-4444-555555555555');
    const fresh = setup();
    await fresh.service.handle({ kind: 'import', packageId: PKG, text: other }, fresh.peer);
    expect(fresh.direct.at(-1)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('import-wrong-package') });
    expect(fresh.storage.data.size).toBe(0);
    await fresh.service.handle({ kind: 'import', packageId: PKG, text }, fresh.peer);
    expect(fresh.broadcasts.at(-1)).toMatchObject({ kind: 'state', review: { id: 'r1' }, save: { saved: true } });

    // A snapshot that does not unpack finishes nothing.
    await t.service.handle({ kind: 'finish', packageId: PKG, reviewId: 'r1', snapshot: '[["a","A",7]]' }, t.peer);
    expect(t.direct.at(-1)).toMatchObject({ kind: 'refused', reason: 'bad-snapshot' });
    expect(t.storage.data.has(`open:${PKG}`)).toBe(true);
    await t.service.handle({ kind: 'finish', packageId: PKG, reviewId: 'r1', snapshot: packSnapshot([{ id: 'a', label: 'A', stale: false, expiring: false }]) }, t.peer);
    // The panels learn when and why the baseline was saved; its rows stay here.
    const state = t.broadcasts.at(-1) as Extract<ReviewEvent, { kind: 'state' }>;
    expect(state).toMatchObject({ kind: 'state', review: null, baseline: { packageId: PKG, kind: 'review' } });
    expect(Object.keys(state.baseline!).sort()).toEqual(['at', 'kind', 'packageId']);
    expect(t.storage.data.has('archive:r1')).toBe(true);
    expect(t.storage.data.has(`open:${PKG}`)).toBe(false);
    expect((t.storage.data.get(`baseline:${PKG}`) as ListSnapshot).rows).toEqual([{ id: 'a', label: 'A', stale: false, expiring: false }]);
    // A visit is answered with the changes since the baseline, and does not replace a finished review's.
    t.lists.set(PKG, []);
    await t.service.handle({ kind: 'visit', packageId: PKG, ...visit([], []) }, t.peer);
    expect(t.direct.at(-1)).toEqual({
      kind: 'baseline',
      packageId: PKG,
      baseline: { packageId: PKG, kind: 'review', at: state.baseline!.at },
      diff: { added: [], removed: [{ id: 'a', label: 'A', stale: false, expiring: false }], newlyStale: [], newlyExpiring: [] },
    });
    expect((t.storage.data.get(`baseline:${PKG}`) as ListSnapshot).kind).toBe('review');
  });

  it('a visit is answered with the changes since the visit before it (none the first time), then replaces it', async () => {
    const t = setup();
    const listed = (id: string): ListedRow => ({ id, displayName: `Name ${id}`, principalName: `${id}@x` });
    const row = (id: string, stale = false, expiring = false) => ({ id, label: `Name ${id}`, stale, expiring });
    t.lists.set(PKG, ['a', 'c', 'd'].map(listed));
    await t.service.handle({ kind: 'visit', packageId: PKG, ...visit(['a', 'c', 'd'], [[false, false], [false, false], [false, false]]) }, t.peer);
    expect(t.direct.at(-1)).toEqual({ kind: 'baseline', packageId: PKG, baseline: null, diff: null });
    t.lists.set(PKG, ['b', 'c', 'd'].map(listed));
    await t.service.handle({ kind: 'visit', packageId: PKG, ...visit(['b', 'c', 'd'], [[false, false], [true, false], [false, true]]) }, t.peer);
    expect(t.direct.at(-1)).toEqual({
      kind: 'baseline',
      packageId: PKG,
      baseline: { packageId: PKG, kind: 'visit', at: expect.any(String) },
      diff: { added: ['b'], removed: [row('a')], newlyStale: ['c'], newlyExpiring: ['d'] },
    });
    expect((t.storage.data.get(`baseline:${PKG}`) as ListSnapshot).rows).toEqual([row('b'), row('c', true), row('d', false, true)]);
  });

  it('flags for another list than the one this worker holds are not paired: no changes, the baseline stays', async () => {
    const t = setup();
    const listed = (id: string): ListedRow => ({ id, displayName: id, principalName: '' });
    t.lists.set(PKG, ['a', 'b'].map(listed));
    await t.service.handle({ kind: 'visit', packageId: PKG, ...visit(['a', 'b'], [[false, false], [false, false]]) }, t.peer);
    expect((t.storage.data.get(`baseline:${PKG}`) as ListSnapshot).rows.map((r) => r.id)).toEqual(['a', 'b']);
    // The worker has loaded the package again since (another order), and a new worker holds no list at all.
    t.lists.set(PKG, ['b', 'a'].map(listed));
    await t.service.handle({ kind: 'visit', packageId: PKG, ...visit(['a', 'b'], [[true, false], [true, false]]) }, t.peer);
    expect(t.direct.at(-1)).toEqual({ kind: 'baseline', packageId: PKG, baseline: null, diff: null });
    t.lists.clear();
    await t.service.handle({ kind: 'visit', packageId: PKG, ...visit(['a', 'b'], [[true, false], [true, false]]) }, t.peer);
    expect(t.direct.at(-1)).toEqual({ kind: 'baseline', packageId: PKG, baseline: null, diff: null });
    expect((t.storage.data.get(`baseline:${PKG}`) as ListSnapshot).rows.map((r) => r.stale)).toEqual([false, false]);
  });

  it('a preload (the session, before a cached list) and the panel\'s get share one storage read; get answers without the baseline', async () => {
    const t = setup();
    await t.start();
    let reads = 0;
    const getOpen = t.storage.getOpen.bind(t.storage);
    t.storage.getOpen = (p: string) => (reads++, getOpen(p));
    const fresh = new ReviewService({ storage: t.storage, broadcast: () => undefined, actor: () => '', compactAfterMs: 60_000 });
    const got: ReviewEvent[] = [];
    const preload = fresh.preload(PKG.toUpperCase());
    const get = fresh.handle({ kind: 'get', packageId: PKG }, { post: (e) => e.type === 'review' && got.push(e.event) });
    await Promise.all([preload, get]);
    expect(reads).toBe(1);
    expect(got[0]).toMatchObject({ kind: 'state', review: { id: 'r1' }, baseline: null });
    // Read once, then kept: a later get does not read storage again.
    await fresh.handle({ kind: 'get', packageId: PKG }, { post: () => undefined });
    expect(reads).toBe(1);
  });

  it('folds the decision batches into the one record of the review: after a quiet time, or when a new worker reads them', async () => {
    const t = setup(5);
    await t.start();
    await t.service.handle({ kind: 'decide', packageId: PKG, reviewId: 'r1', seq: 1, decision: 'remove', justification: 'left', ...items([item('a')]) }, t.peer);
    await t.service.handle({ kind: 'decide', packageId: PKG, reviewId: 'r1', seq: 2, decision: 'keep', justification: '', ...items([item('b')]) }, t.peer);
    expect(t.storage.writes).toEqual(['open', 'batch', 'batch']);
    await jest.advanceTimersByTimeAsync(30);
    expect(t.storage.writes).toEqual(['open', 'batch', 'batch', 'open']);
    expect((await t.storage.getOpen(PKG))!.batches).toEqual([]);

    // A worker that stopped before folding them: the next one replays the batches once and writes one record.
    await t.service.handle({ kind: 'decide', packageId: PKG, reviewId: 'r1', seq: 3, decision: null, justification: '', ...items([item('b')]) }, t.peer);
    const restarted = new ReviewService({ storage: t.storage, broadcast: () => undefined, actor: () => '', compactAfterMs: 60_000 });
    const got: ReviewEvent[] = [];
    await restarted.handle({ kind: 'get', packageId: PKG }, { post: (e) => e.type === 'review' && got.push(e.event) });
    expect(got[0]).toMatchObject({ kind: 'state', decisions: { ids: ['a'], codes: 'r' } });
    await jest.advanceTimersByTimeAsync(0);
    expect(t.storage.writes.at(-1)).toBe('open');
    expect((await t.storage.getOpen(PKG))!.batches).toEqual([]);
    // Read as one record, it goes to the panel as stored; a change then works on it as records.
    const third = new ReviewService({ storage: t.storage, broadcast: () => undefined, actor: () => 'c@x', compactAfterMs: 60_000 });
    const seen: ReviewEvent[] = [];
    await third.handle({ kind: 'get', packageId: PKG }, { post: (e) => e.type === 'review' && seen.push(e.event) });
    expect(seen[0]).toMatchObject({ kind: 'state', review: { id: 'r1' }, rows: { ids: ['a', 'b'] }, decisions: { ids: ['a'], codes: 'r', facts: [] } });
    expect(seen[1]).toMatchObject({ kind: 'facts', ids: ['a'], facts: [packFacts(facts)] });
    await third.handle({ kind: 'decide', packageId: PKG, reviewId: 'r1', seq: 1, decision: 'keep', justification: '', ...items([item('b')]) }, { post: () => undefined });
    const back = readOpen((await t.storage.getOpen(PKG))!);
    expect([back.decisions.a?.decision, back.decisions.b?.decision, back.decisions.b?.reviewer]).toEqual(['remove', 'keep', 'c@x']);
  });
});
