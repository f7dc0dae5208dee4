// The panel's review model: what it asks the worker, decisions shown at once with their save state, a
// storage failure said as such, the decision facet and rows' decisions, a second panel's decisions, and
// the changes since the last review as a filter.
import { snapshotFromFlags, type ListedRow } from '../../../src/core/review/diff';
import { newReview, type Review } from '../../../src/core/review/model';
import { decodeFacts, packFacts, rowsToColumns, toColumns, unpackFacts } from '../../../src/core/review/packed';
import { parseReviewRequest, type ReviewEvent } from '../../../src/protocol/review';
import { ReviewModel, SEND_CHUNK, type ModelOptions } from '../../../src/panel/review/model';
import { planApply } from '../../../src/panel/review/apply';
import type { ActionEntry } from '../../../src/messages';
import { PanelStore } from '../../../src/panel/store';
import { fakeLink } from '../panel/render';
import { loadEvents, NOW, PKG, rows } from '../panel/fixtures';

function setup(n = 6, opts: ModelOptions = {}) {
  const store = new PanelStore({ schedule: () => undefined, now: () => NOW });
  const link = fakeLink();
  const model = new ReviewModel(store, link, { now: () => NOW, ...opts });
  model.start();
  store.openPackage(PKG);
  const list = rows(n);
  for (const e of loadEvents('L1', list)) store.handle(e);
  store.flush();
  const emit = (event: ReviewEvent) => link.emit({ type: 'review', event });
  const review = (): Review =>
    newReview({ id: 'R', packageId: PKG, packageName: 'Sales', scope: { kind: 'all', filter: '' }, rows: list.map((r) => ({ id: r.id, displayName: r.displayName, principalName: r.principalName })), reviewer: 'a@x', startedAt: '2025-06-15T10:00:00Z', staleAfterDays: 90 });
  return { store, link, model, list, emit, review };
}

/** A review as the worker sends it: without its decisions, which travel as columns. */
const wire = (r: Review | null) => (r ? { review: { ...r, rows: [], decisions: {} }, rows: rowsToColumns(r.rows), decisions: toColumns(r.decisions) } : { review: null, rows: null, decisions: null });

const reviewPosts = (link: ReturnType<typeof fakeLink>) => link.posted.filter((p) => p.type === 'review').map((p) => (p.type === 'review' ? p.request : null)!);

test('asks for the open review; an open one resumes by itself and sets the decision facet', () => {
  const t = setup();
  expect(reviewPosts(t.link)[0]).toEqual({ kind: 'get', packageId: PKG });
  expect(t.model.active).toBe(false);
  const r = t.review();
  r.decisions[t.list[0].id] = { decision: 'keep', justification: '', reviewer: 'a@x', at: '2025-06-15T10:00:00Z', facts: packFacts({ displayName: '', principalName: '', state: '', staleReasons: [], expiry: null, activity: null, recommendation: 'none', recommendationReasons: [] }) };
  t.emit({ kind: 'state', packageId: PKG, ...wire(r), baseline: null, save: { saved: true } });
  expect(t.model.active).toBe(true);
  expect(t.model.decisionOf(t.list[0].id)).toBe('keep');
  expect(t.store.view().facets.decision.map((v) => v.value)).toEqual(['none', 'keep', 'remove']);
  t.store.setFacet('decision', ['none']);
  expect(t.store.view().shown.length).toBe(5);
  // The facts arrive after the decisions and fill the records they belong to.
  const w = wire(r);
  t.emit({ kind: 'state', packageId: PKG, ...w, decisions: { ...w.decisions!, facts: [] }, baseline: null, save: { saved: true } });
  expect(t.model.decisionRecords()[t.list[0].id].facts).toBe('');
  t.emit({ kind: 'facts', packageId: PKG, reviewId: 'R', ids: [t.list[0].id], facts: [r.decisions[t.list[0].id].facts] });
  expect(t.model.decisionRecords()[t.list[0].id].facts).toBe(r.decisions[t.list[0].id].facts);
  // Facts that arrive before anything read the records are there when they are read.
  t.emit({ kind: 'state', packageId: PKG, ...w, decisions: { ...w.decisions!, facts: [] }, baseline: null, save: { saved: true } });
  t.emit({ kind: 'facts', packageId: PKG, reviewId: 'R', ids: [t.list[0].id], facts: [r.decisions[t.list[0].id].facts] });
  expect(t.model.decisionRecords()[t.list[0].id]).toEqual(r.decisions[t.list[0].id]);
});

test('what the panel sends for a decision, set or cleared, is what the worker accepts', () => {
  const t = setup();
  t.emit({ kind: 'state', packageId: PKG, ...wire(t.review()), baseline: null, save: { saved: true } });
  const view = t.store.view().viewRows;
  t.model.decide(view.slice(0, 2), 'keep', '');
  t.model.decide(view.slice(0, 1), null, ''); // a Keep clicked again: back to undecided
  const [set, cleared] = reviewPosts(t.link).filter((p) => p.kind === 'decide');
  const parsed = [set, cleared].map((r) => parseReviewRequest(JSON.parse(JSON.stringify(r))));
  expect(parsed[0]).toMatchObject({ kind: 'decide', decision: 'keep', ids: [view[0].id, view[1].id] });
  expect(parsed[1]).toMatchObject({ kind: 'decide', decision: null, ids: [view[0].id] });
  // Facts that do not match the ids are not taken.
  expect(parseReviewRequest({ ...JSON.parse(JSON.stringify(set)), ids: [view[0].id] })).toBeNull();
});

test('a decision shows at once as "saving", then "saved" or "NOT saved" as the worker says', () => {
  const t = setup();
  t.emit({ kind: 'state', packageId: PKG, ...wire(t.review()), baseline: null, save: { saved: true } });
  const view = t.store.view().viewRows;
  expect(t.model.decide(view.slice(0, 2), 'remove', '')).toBe(false); // no justification: nothing changes
  expect(t.model.decide(view.slice(0, 2), 'remove', 'left')).toBe(true);
  expect(t.model.decisionOf(view[0].id)).toBe('remove');
  expect(t.model.save).toEqual({ state: 'saving' });
  const sent = reviewPosts(t.link).at(-1)!;
  expect(sent).toMatchObject({ kind: 'decide', reviewId: 'R', decision: 'remove', justification: 'left' });
  const seq = (sent as { seq: number }).seq;
  t.emit({ kind: 'stored', packageId: PKG, reviewId: 'R', seq, reviewer: 'a@x', at: '2025-06-15T12:00:00Z', save: { saved: false, error: 'QuotaExceededError: full' } });
  expect(t.model.save).toEqual({ state: 'failed', error: 'QuotaExceededError: full' });
  // Still shown: kept in memory, never claimed saved.
  expect(t.model.decisionOf(view[0].id)).toBe('remove');
});

test("another panel's decision arrives live", () => {
  const t = setup();
  t.emit({ kind: 'state', packageId: PKG, ...wire(t.review()), baseline: null, save: { saved: true } });
  const id = t.list[3].id;
  t.emit({ kind: 'decided', packageId: PKG, reviewId: 'R', seq: 99, decision: 'keep', justification: '', reviewer: 'b@x', at: '2025-06-15T12:00:00Z', ids: [id], facts: [''], added: [{ id, displayName: 'x', principalName: 'y' }], save: { saved: true } });
  expect(t.model.decisionOf(id)).toBe('keep');
  expect(t.model.progress()).toMatchObject({ total: 6, decided: 1, keep: 1 });
  // Panels number their decisions on their own: another panel's decision with the seq of one of ours still
  // being stored is shown, and ours stays "saving" until the worker says it is stored.
  const view = t.store.view().viewRows;
  expect(t.model.decide([view[0]], 'keep', '')).toBe(true);
  const seq = (reviewPosts(t.link).at(-1) as { seq: number }).seq;
  const theirs = view[1].id;
  t.emit({ kind: 'decided', packageId: PKG, reviewId: 'R', seq, decision: 'remove', justification: 'gone', reviewer: 'b@x', at: '2025-06-15T12:00:00Z', ids: [theirs], facts: [''], added: [], save: { saved: true } });
  expect(t.model.decisionOf(theirs)).toBe('remove');
  expect(t.model.save).toEqual({ state: 'saving' });
  t.emit({ kind: 'stored', packageId: PKG, reviewId: 'R', seq, reviewer: 'a@x', at: '2025-06-15T12:00:01Z', save: { saved: true } });
  expect(t.model.save).toEqual({ state: 'saved' });
});

/** Every visit the panel sent, paired with `list` as the worker pairs it with the list it holds (null: not that list). */
const visitRows = (link: ReturnType<typeof fakeLink>, list: readonly ListedRow[]) =>
  reviewPosts(link).flatMap((p) => {
    if (p.kind !== 'visit') return [];
    const checked = parseReviewRequest(p);
    return [checked?.kind === 'visit' ? snapshotFromFlags(list, checked.digest, checked.flags) : null];
  });

test('the visit is reported with the list; the changes the worker answers with give the "change" facet', () => {
  const t = setup();
  t.emit({ kind: 'state', packageId: PKG, ...wire(null), baseline: null, save: { saved: true } });
  const [visit] = visitRows(t.link, t.list);
  expect(visit?.map((r) => r.id)).toEqual(t.list.map((r) => r.id));
  expect(t.model.diff).toBeNull();
  const baseline = { packageId: PKG, kind: 'review' as const, at: '2025-06-01T00:00:00Z' };
  const diff = { added: [t.list[0].id], removed: [{ id: 'gone', label: 'Gone', stale: false, expiring: false }], newlyStale: [t.list[1].id], newlyExpiring: [] };
  t.emit({ kind: 'baseline', packageId: PKG, baseline, diff });
  expect(t.model.diff).toEqual(diff);
  expect(t.model.baseline).toEqual(baseline);
  t.store.setFacet('change', ['added']);
  expect(t.store.view().shown.map((r) => r.id)).toEqual([t.list[0].id]);
  t.store.setFacet('change', ['newly-stale']);
  expect(t.store.view().shown.map((r) => r.id)).toEqual([t.list[1].id]);
  // An answer to no visit of this panel's is not taken.
  const other = setup();
  other.emit({ kind: 'baseline', packageId: PKG, baseline, diff });
  expect(other.model.diff).toBeNull();
  // The cached copy shown while the list is fetched again is not a visit: the fresh list is.
  const cached = setup();
  const store = cached.store;
  store.openPackage(null);
  store.openPackage(PKG);
  for (const e of loadEvents('C1', cached.list, { fromCache: true })) store.handle(e);
  store.flush();
  cached.emit({ kind: 'state', packageId: PKG, ...wire(null), baseline: null, save: { saved: true } });
  expect(reviewPosts(cached.link).filter((p) => p.kind === 'visit')).toHaveLength(0);
  for (const e of loadEvents('F1', cached.list)) store.handle(e);
  store.flush();
  expect(reviewPosts(cached.link).filter((p) => p.kind === 'visit')).toHaveLength(1);
  // A first visit has no baseline: nothing to compare.
  const first = setup();
  first.emit({ kind: 'state', packageId: PKG, ...wire(null), baseline: null, save: { saved: true } });
  first.emit({ kind: 'baseline', packageId: PKG, baseline: null, diff: null });
  expect(first.model.diff).toBeNull();
});

test('the visit waits until the completed list is painted, and is not sent for a list that changed meanwhile', () => {
  const visits = (t: ReturnType<typeof setup>) => reviewPosts(t.link).filter((p) => p.kind === 'visit');
  const later: Array<() => void> = [];
  const runLater = () => later.splice(0).forEach((fn) => fn());
  const t = setup(6, { afterPaint: (fn) => later.push(fn) });
  t.emit({ kind: 'state', packageId: PKG, ...wire(null), baseline: null, save: { saved: true } });
  expect(visits(t)).toHaveLength(0);
  runLater();
  expect(visitRows(t.link, t.list).map((v) => v?.length)).toEqual([6]);

  // Another package opened before the paint: nothing is sent for the one left.
  const moved = setup(6, { afterPaint: (fn) => later.push(fn) });
  moved.emit({ kind: 'state', packageId: PKG, ...wire(null), baseline: null, save: { saved: true } });
  moved.store.openPackage('other-package');
  runLater();
  expect(visits(moved)).toHaveLength(0);

  // A refresh started before the paint: the visit is the list it brings, once complete.
  const refreshed = setup(6, { afterPaint: (fn) => later.push(fn) });
  refreshed.emit({ kind: 'state', packageId: PKG, ...wire(null), baseline: null, save: { saved: true } });
  const fresh = rows(4);
  const [start, ...rest] = loadEvents('L2', fresh);
  refreshed.store.handle(start);
  refreshed.store.flush();
  runLater();
  expect(visits(refreshed)).toHaveLength(0);
  for (const e of rest) refreshed.store.handle(e);
  refreshed.store.flush();
  runLater();
  expect(visitRows(refreshed.link, fresh).map((v) => v?.map((r) => r.id))).toEqual([fresh.map((r) => r.id)]);
});

test('a large visit is built a slice per paint, and starts over when the rows are rebuilt meanwhile', () => {
  const later: Array<() => void> = [];
  const runOne = () => later.shift()?.();
  const t = setup(7, { afterPaint: (fn) => later.push(fn), visitSlice: 3 });
  t.emit({ kind: 'state', packageId: PKG, ...wire(null), baseline: null, save: { saved: true } });
  runOne();
  runOne();
  // Two slices of three built, one row left: nothing sent yet.
  expect(visitRows(t.link, t.list)).toEqual([]);
  runOne();
  expect(visitRows(t.link, t.list).map((v) => v?.map((r) => r.id))).toEqual([t.list.map((r) => r.id)]);
  expect(later).toHaveLength(0);

  const u = setup(7, { afterPaint: (fn) => later.push(fn), visitSlice: 3 });
  u.emit({ kind: 'state', packageId: PKG, ...wire(null), baseline: null, save: { saved: true } });
  runOne();
  // A person's account turns out disabled between slices: their row (in the slice already built) goes stale,
  // and the snapshot sent says so.
  const first = u.list[0];
  expect(visitRows(u.link, u.list)).toEqual([]);
  u.store.handle({
    type: 'users',
    loadId: 'L1',
    users: [{ id: first.objectId!, deleted: false, accountEnabled: false, userType: 'Member', externalUserState: null, createdDateTime: null, lastSuccessfulSignIn: null, lastSignIn: null, lastNonInteractiveSignIn: null }],
  });
  u.store.flush();
  expect(u.store.view().viewRows[0].staleReasons).toContain('disabled');
  while (later.length) runOne();
  const [sent] = visitRows(u.link, u.list);
  expect(sent?.map((r) => r.id)).toEqual(u.list.map((r) => r.id));
  expect(sent?.filter((r) => r.stale).map((r) => r.id)).toEqual([first.id]);
});

test('accepting recommendations records each row\'s suggestion, removes justified by their reasons', () => {
  const t = setup();
  t.emit({ kind: 'state', packageId: PKG, ...wire(t.review()), baseline: null, save: { saved: true } });
  t.store.handle({ type: 'sign-in-data', loadId: 'L1', availability: { available: true } });
  const view = t.store.view().viewRows;
  const n = t.model.acceptRecommendations(view, (reasons) => `because ${reasons.join(', ')}`);
  expect(n).toBeGreaterThan(0);
  for (const row of view) {
    const rec = t.model.recommendation(row).recommendation;
    expect([row.id, t.model.decisionOf(row.id)]).toEqual([row.id, rec === 'none' ? null : rec]);
  }
  const decides = reviewPosts(t.link).filter((p) => p.kind === 'decide');
  for (const d of decides) if (d.kind === 'decide' && d.decision === 'remove') expect(d.justification).toMatch(/^because /);
  expect(n).toBe(view.filter((r) => t.model.recommendation(r).recommendation !== 'none').length);
});

test('apply plans the remove decisions that still exist, never one already sent or accepted; a failed one again', () => {
  const t = setup();
  const r = t.review();
  const view = t.store.view().viewRows;
  const facts = packFacts(t.model.factsOf(view[0]));
  for (const row of view.slice(0, 4)) r.decisions[row.id] = { decision: 'remove', justification: 'j', reviewer: 'a', at: '2025-06-15T10:00:00Z', facts };
  r.rows.push({ id: 'gone', displayName: 'Gone', principalName: '' });
  r.decisions.gone = { decision: 'remove', justification: 'j', reviewer: 'a', at: '2025-06-15T10:00:00Z', facts };
  const result = (id: string) => (id === view[0].id ? 'done' : id === view[1].id ? 'pending' : id === view[2].id ? 'failed' : null);
  t.emit({ kind: 'state', packageId: PKG, ...wire(r), baseline: null, save: { saved: true } });
  expect(t.model.removeIds().sort()).toEqual([...view.slice(0, 4).map((x) => x.id), 'gone'].sort());
  const plan = planApply(t.model.removeIds(), (id) => t.model.rowById(id), new Set(view.map((x) => x.id)), (row) => {
    const res = result(row.id);
    return res ? ({ result: res } as ActionEntry) : null;
  });
  expect(plan.ids).toEqual([view[2].id, view[3].id]);
  // The assignment that is gone is listed as such, with its decision, and never planned.
  expect(t.model.progress()).toMatchObject({ total: 7, decided: 5, remove: 5, disappeared: [{ row: { id: 'gone' }, decision: 'remove' }] });
});

test('a decision on 12,000 rows shows at once, is sent in parts once packed, says "saved" when every part is stored, and keeps the order of later decisions', async () => {
  const t = setup(12_000);
  t.emit({ kind: 'state', packageId: PKG, ...wire(t.review()), baseline: null, save: { saved: true } });
  const view = t.store.view().viewRows;
  const before = reviewPosts(t.link).length;
  expect(t.model.decide(view, 'remove', 'left')).toBe(true);
  expect(t.model.decide(view.slice(0, 1), 'keep', '')).toBe(true);
  // Shown at once, while the facts are still being packed between turns of the page.
  expect(t.model.decisionOf(view[1].id)).toBe('remove');
  expect(t.model.save).toEqual({ state: 'saving' });
  while (reviewPosts(t.link).filter((p) => p.kind === 'decide').length < 3) await new Promise((r) => setTimeout(r, 0));
  const sent = reviewPosts(t.link).slice(before).filter((p) => p.kind === 'decide');
  expect(sent.map((p) => (p.kind === 'decide' ? [p.decision, p.ids.length] : null))).toEqual([
    ['remove', SEND_CHUNK],
    ['remove', 12_000 - SEND_CHUNK],
    ['keep', 1],
  ]);
  const parts = sent.slice(0, 2).map((p) => (p.kind === 'decide' ? p : null)!);
  expect(parts.flatMap((p) => p.ids)).toEqual(view.map((r) => r.id));
  // The facts travel in the port's compact form, the names of review rows left out: decoded as the worker does.
  const known = new Map(t.model.review!.rows.map((r) => [r.id, r]));
  const decoded = parts.flatMap((p) => decodeFacts(p.ids, p.facts, (id) => known.get(id)) ?? []);
  expect(decoded).toHaveLength(12_000);
  expect(unpackFacts(decoded[11_999])).toMatchObject({ displayName: view[11_999].displayName, principalName: view[11_999].principalName });
  expect(t.model.decisionOf(view[0].id)).toBe('keep');
  // "Saved" only once the worker has stored every part (and the later decision).
  const stored = (seq: number) => t.emit({ kind: 'stored', packageId: PKG, reviewId: 'R', seq, reviewer: 'a@x', at: '2025-06-15T12:00:00Z', save: { saved: true } });
  stored(parts[0].seq);
  stored((sent[2] as { seq: number }).seq);
  expect(t.model.save).toEqual({ state: 'saving' });
  stored(parts[1].seq);
  expect(t.model.save).toEqual({ state: 'saved' });
});

test('decisions change the Decision facet row by row (the filter codes are patched, never stale), and their records carry the worker\'s stamp and the facts', async () => {
  const t = setup(40);
  t.emit({ kind: 'state', packageId: PKG, ...wire(t.review()), baseline: null, save: { saved: true } });
  const view = t.store.view().viewRows;
  t.store.setFacet('decision', ['none']);
  expect(t.store.view().shown.length).toBe(40);
  t.model.decide(view.slice(0, 10), 'remove', 'left');
  expect(t.store.view().shown.length).toBe(30);
  t.model.decide(view.slice(5, 15), 'keep', '');
  t.model.decide(view.slice(0, 2), null, '');
  expect(t.store.view().shown.map((r) => r.id)).toEqual([...view.slice(0, 2), ...view.slice(15)].map((r) => r.id));
  t.store.setFacet('decision', ['remove']);
  expect(t.store.view().shown.map((r) => r.id)).toEqual(view.slice(2, 5).map((r) => r.id));
  t.store.setFacet('decision', ['keep']);
  expect(t.store.view().shown.map((r) => r.id)).toEqual(view.slice(5, 15).map((r) => r.id));
  expect(t.model.progress()).toMatchObject({ total: 40, decided: 13, keep: 10, remove: 3 });
  // The worker's answer stamps who and when; the records, written when read, carry it and the row facts.
  const sent = reviewPosts(t.link).filter((p) => p.kind === 'decide');
  const first = sent[0] as Extract<(typeof sent)[number], { kind: 'decide' }>;
  t.emit({ kind: 'stored', packageId: PKG, reviewId: 'R', seq: first.seq, reviewer: 'w@x', at: '2025-06-15T12:00:00Z', save: { saved: true } });
  await t.model.settled();
  const records = t.model.decisionRecords();
  expect(Object.keys(records).sort()).toEqual(view.slice(2, 15).map((r) => r.id).sort());
  expect(records[view[2].id]).toMatchObject({ decision: 'remove', justification: 'left', reviewer: 'w@x', at: '2025-06-15T12:00:00Z' });
  expect(unpackFacts(records[view[2].id].facts).displayName).toBe(view[2].displayName);
  expect(records[view[5].id].decision).toBe('keep');
});
