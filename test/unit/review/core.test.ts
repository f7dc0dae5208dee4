// The review's pure core: the decision store, the recommendation rule, the diff since the last review, the
// decision facet in the filter engine, and the evidence files (CSV and JSON, and the JSON's import checks).
import Papa from 'papaparse';
import { createFilterIndex, facetValues, runFilter } from '../../../src/core/filters';
import { diffSince, changeValues, IdDigest, packSnapshot, snapshotFlag, snapshotFromFlags, unpackSnapshot, type SnapshotRow } from '../../../src/core/review/diff';
import { parseReviewFile, reviewCsv, reviewFileName, reviewJson, reviewRecords, REVIEW_CSV_HEADER } from '../../../src/core/review/evidence';
import { recordsToCsv } from '../../../src/core/csv';
import { decide, decisionValues, mergeReviews, newReview, removalsToApply, reviewProgress, type Review, type RowFacts } from '../../../src/core/review/model';
import { packFacts } from '../../../src/core/review/packed';
import { recommend } from '../../../src/core/review/recommend';
import { NOW, DAY, daysAgo, iso, viewRow } from '../core/fixtures';

const PKG = '11111111-2222-3333-4444-555555555555';
const OTHER_PKG = '99999999-2222-3333-4444-555555555555';

const facts = (over: Partial<RowFacts> = {}): RowFacts => ({
  displayName: 'Anna',
  principalName: 'anna@contoso.com',
  state: 'delivered',
  staleReasons: [],
  expiry: null,
  activity: null,
  recommendation: 'keep',
  recommendationReasons: ['active'],
  ...over,
});
const item = (id: string, f: Partial<RowFacts> = {}) => ({ row: { id, displayName: `name ${id}`, principalName: `${id}@contoso.com` }, facts: facts(f) });
const items = (list: ReturnType<typeof item>[]) => ({ ids: list.map((i) => i.row.id), facts: list.map((i) => packFacts(i.facts)), added: list.map((i) => i.row) });

function review(ids = ['a', 'b', 'c']): Review {
  return newReview({
    id: 'r1',
    packageId: PKG,
    packageName: 'Sales',
    scope: { kind: 'all', filter: '' },
    rows: ids.map((id) => ({ id, displayName: `name ${id}`, principalName: `${id}@contoso.com` })),
    reviewer: 'lead@contoso.com',
    startedAt: '2025-06-15T10:00:00Z',
    staleAfterDays: 90,
  });
}

describe('decision store', () => {
  it('records a bulk decision with one justification, reviewer and time, and counts progress', () => {
    const r = review();
    expect(decide(r, { decision: 'remove', justification: 'left the company', reviewer: 'rev@contoso.com', at: '2025-06-15T11:00:00Z', ...items([item('a'), item('b')]) })).toEqual({ changed: ['a', 'b'] });
    expect(r.decisions.a).toMatchObject({ decision: 'remove', justification: 'left the company', reviewer: 'rev@contoso.com', at: '2025-06-15T11:00:00Z' });
    expect(reviewProgress(r, new Set(['a', 'b', 'c']))).toMatchObject({ total: 3, decided: 2, keep: 0, remove: 2, added: [], disappeared: [] });
  });

  it('refuses a remove without a justification and changes nothing', () => {
    const r = review();
    expect(decide(r, { decision: 'remove', justification: '   ', reviewer: 'x', at: iso(NOW), ...items([item('a')]) })).toEqual({ error: 'justification-required' });
    expect(r.decisions).toEqual({});
  });

  it('lets keep go without a justification, changes a decision until applied, then refuses', () => {
    const r = review();
    decide(r, { decision: 'keep', justification: '', reviewer: 'x', at: iso(NOW), ...items([item('a')]) });
    decide(r, { decision: 'remove', justification: 'why', reviewer: 'y', at: iso(NOW + 1000), ...items([item('a')]) });
    expect(r.decisions.a.decision).toBe('remove');
    decide(r, { decision: null, justification: '', reviewer: 'y', at: iso(NOW), ...items([item('a')]) });
    expect(r.decisions.a).toBeUndefined();
    r.appliedAt = iso(NOW);
    expect(decide(r, { decision: 'keep', justification: '', reviewer: 'y', at: iso(NOW), ...items([item('b')]) })).toEqual({ error: 'applied' });
    expect(r.decisions.b).toBeUndefined();
  });

  it('lists assignments added since the start and those that disappeared with their last decision', () => {
    const r = review();
    decide(r, { decision: 'keep', justification: '', reviewer: 'x', at: iso(NOW), ...items([item('c')]) });
    const p = reviewProgress(r, new Set(['a', 'b', 'd']));
    expect(p.added).toEqual(['d']);
    expect(p.disappeared).toEqual([{ row: r.rows[2], decision: 'keep' }]);
    // A row decided after it was added joins the review.
    decide(r, { decision: 'keep', justification: '', reviewer: 'x', at: iso(NOW), ...items([item('d')]) });
    expect(reviewProgress(r, new Set(['a', 'b', 'd'])).total).toBe(4);
  });

  it('applies removals only to assignments that still exist', () => {
    const r = review();
    decide(r, { decision: 'remove', justification: 'j', reviewer: 'x', at: iso(NOW), ...items([item('a'), item('c')]) });
    expect(removalsToApply(r, new Set(['a', 'b']))).toEqual(['a']);
    expect([...decisionValues(r)]).toEqual([
      ['a', 'remove'],
      ['c', 'remove'],
    ]);
  });

  it('merges two copies of one review by the later decision, and refuses another review', () => {
    const mine = review();
    const theirs = review(['a', 'b', 'c', 'e']);
    decide(mine, { decision: 'keep', justification: '', reviewer: 'me', at: '2025-06-15T11:00:00Z', ...items([item('a'), item('b')]) });
    decide(theirs, { decision: 'remove', justification: 'gone', reviewer: 'them', at: '2025-06-15T12:00:00Z', ...items([item('a'), item('e')]) });
    const merged = mergeReviews(mine, theirs)!;
    expect(merged.decisions.a.reviewer).toBe('them');
    expect(merged.decisions.b.reviewer).toBe('me');
    expect(merged.rows.map((x) => x.id)).toEqual(['a', 'b', 'c', 'e']);
    expect(mergeReviews(mine, { ...theirs, id: 'r2' })).toBeNull();
  });
});

describe('recommendation rule', () => {
  const ctx = { now: NOW, signInAvailable: true };
  it('suggests remove with every fact that holds, in order', () => {
    expect(recommend(viewRow({ staleReasons: ['disabled', 'inactive'], state: 'Expired' }), ctx)).toEqual({ recommendation: 'remove', reasons: ['disabled', 'inactive', 'expired'] });
    expect(recommend(viewRow({ expiry: iso(NOW - DAY) }), ctx)).toEqual({ recommendation: 'remove', reasons: ['expired'] });
    expect(recommend(viewRow({ state: 'deliveryFailed' }), ctx)).toEqual({ recommendation: 'remove', reasons: ['delivery-failed'] });
    expect(recommend(viewRow({ staleReasons: ['deleted'] }), ctx).reasons).toEqual(['deleted']);
    expect(recommend(viewRow({ staleReasons: ['never-signed-in'] }), ctx).reasons).toEqual(['never-signed-in']);
  });
  it('suggests keep for an active user, and nothing where the facts cannot tell', () => {
    expect(recommend(viewRow({ expiry: iso(NOW + DAY) }), ctx)).toEqual({ recommendation: 'keep', reasons: ['active'] });
    expect(recommend(viewRow(), { now: NOW, signInAvailable: false })).toEqual({ recommendation: 'none', reasons: ['no-sign-in-data'] });
    expect(recommend(viewRow({ objectId: null }), ctx)).toEqual({ recommendation: 'none', reasons: ['not-in-directory'] });
  });
});

describe('changes since the last review', () => {
  const snap = (id: string, stale = false, expiring = false): SnapshotRow => ({ id, label: id, stale, expiring });
  it('finds added, removed, newly stale and newly expiring assignments', () => {
    const d = diffSince([snap('a'), snap('b', true), snap('c'), snap('gone')], [snap('a', true, true), snap('b', true), snap('c', false, true), snap('new')]);
    expect(d).toEqual({ added: ['new'], removed: [snap('gone')], newlyStale: ['a'], newlyExpiring: ['a', 'c'] });
    expect([...changeValues(d)].sort()).toEqual([
      ['a', 'newly-stale'],
      ['c', 'newly-expiring'],
      ['new', 'added'],
    ]);
  });

  it('a finished review’s snapshot crosses the port as one string and comes back the same', () => {
    const rows: SnapshotRow[] = [
      { id: 'a', label: 'Ana "the" Müller', stale: false, expiring: false },
      { id: 'b', label: '=cmd|\' /c calc\'!A0 \u2028 <b>x</b>', stale: true, expiring: false },
      { id: 'c', label: 'Łukasz\nO\'Brien', stale: false, expiring: true },
      { id: 'd', label: '', stale: true, expiring: true },
    ];
    expect(unpackSnapshot(packSnapshot(rows), 10)).toEqual(rows);
    expect(unpackSnapshot(packSnapshot([]), 10)).toEqual([]);
  });

  it('a visit is the flags of the list the worker holds: paired only with the same ids in the same order', () => {
    const list = [
      { id: 'a', displayName: 'Ana', principalName: 'ana@x' },
      { id: 'b', displayName: '', principalName: 'bo@x' },
      { id: 'c', displayName: '', principalName: '' },
    ];
    const digestOf = (ids: string[]) => {
      const d = new IdDigest();
      for (const id of ids) d.add(id);
      return d.value;
    };
    const flags = [snapshotFlag(false, false), snapshotFlag(true, false), snapshotFlag(true, true)].join('');
    expect(flags).toBe('013');
    expect(snapshotFromFlags(list, digestOf(['a', 'b', 'c']), flags)).toEqual([
      { id: 'a', label: 'Ana', stale: false, expiring: false },
      { id: 'b', label: 'bo@x', stale: true, expiring: false },
      { id: 'c', label: 'c', stale: true, expiring: true },
    ]);
    // Another order, another row, one row fewer, ids split differently: the digest differs, nothing is paired.
    for (const ids of [['b', 'a', 'c'], ['a', 'b', 'd'], ['a', 'b'], ['a', 'bc', ''], ['ab', 'c', '']]) {
      expect(digestOf(ids)).not.toBe(digestOf(['a', 'b', 'c']));
    }
    expect(snapshotFromFlags(list, digestOf(['b', 'a', 'c']), flags)).toBeNull();
    // A flag missing, one too many, or not a flag.
    for (const bad of ['01', '0130', '014', '01x']) expect(snapshotFromFlags(list, digestOf(['a', 'b', 'c']), bad)).toBeNull();
    expect(snapshotFromFlags([], digestOf([]), '')).toEqual([]);
  });

  it('anything else is no snapshot: not JSON, not a list, a wrong row, too many rows', () => {
    const ok = packSnapshot([snap('a'), snap('b')]);
    expect(unpackSnapshot(ok, 2)).toHaveLength(2);
    expect(unpackSnapshot(ok, 1)).toBeNull();
    for (const bad of ['', '[', '{"id":"a"}', '"a"', '[["a","A"]]', '[["a","A",4]]', '[["a","A",-1]]', '[["a","A",1.5]]', '[["a",2,0]]', '[[1,"A",0]]', '[["a","A",0,0]]', '[{"id":"a","label":"A","stale":false,"expiring":false}]']) {
      expect(unpackSnapshot(bad, 10)).toBeNull();
    }
  });
});

describe('decision facet in the filter engine', () => {
  const rows = ['a', 'b', 'c', 'd'].map((id) => viewRow({ id }));
  const index = createFilterIndex(rows, { now: NOW, staleAfterDays: 90, expiringWithinDays: 30, signInAvailable: true });
  const decisions = new Map([
    ['a', 'keep'],
    ['b', 'remove'],
  ]);
  it('filters undecided / keep / remove and counts each', () => {
    const undecided = runFilter(index, { search: '', facets: { decision: ['none'] } }, { decision: decisions });
    expect(undecided.rows.map((r) => r.id)).toEqual(['c', 'd']);
    expect(undecided.counts.decision).toEqual({ none: 2, keep: 1, remove: 1 });
    const next = new Map([...decisions, ['c', 'keep']]);
    expect(runFilter(index, { search: '', facets: { decision: ['none'] } }, { decision: next }).rows.map((r) => r.id)).toEqual(['d']);
  });
  it('offers its values only while a review runs', () => {
    expect(facetValues(index).decision).toEqual([]);
    expect(facetValues(index, { decision: decisions }).decision.map((v) => v.value)).toEqual(['none', 'keep', 'remove']);
  });
});

describe('evidence', () => {
  const current = (id: string) =>
    id === 'c' ? undefined : { displayName: `now ${id}`, principalName: `${id}@contoso.com`, state: 'delivered', staleReasons: id === 'b' ? ['inactive'] : [], recommendation: id === 'b' ? ('remove' as const) : ('keep' as const), recommendationReasons: [] };

  it('writes the contract columns, one record per assignment, with the formula guard on justifications', () => {
    const r = review();
    decide(r, { decision: 'remove', justification: '=HYPERLINK("x")', reviewer: 'rev@contoso.com', at: '2025-06-15T11:00:00Z', ...items([item('b', { staleReasons: ['inactive'] })]) });
    const csv = reviewCsv(r, current);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.includes('\r\n')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1).trimEnd(), { newline: '\r\n' }).data;
    expect(parsed[0].slice(0, 9)).toEqual(['Assignment ID', 'Display name', 'User principal name', 'Decision', 'Justification', 'Reviewer', 'Decided (UTC)', 'Recommendation', 'Stale reasons']);
    expect(parsed[0]).toEqual([...REVIEW_CSV_HEADER]);
    expect(parsed.slice(1).map((x) => x[0])).toEqual(['a', 'b', 'c']);
    expect(parsed[2].slice(0, 9)).toEqual(['b', 'now b', 'b@contoso.com', 'remove', `'=HYPERLINK("x")`, 'rev@contoso.com', '2025-06-15T11:00:00Z', 'remove', 'inactive']);
    expect(parsed[1][3]).toBe('');
    // A disappeared assignment keeps its name and says it is no longer assigned.
    expect(parsed[3][1]).toBe('name c');
    expect(parsed[3][11]).toBe('false');
  });

  it('writes the same file as the generic record writer, cell for cell (shared cells quoted once, not differently)', () => {
    const r = review(['a', 'b', 'c', 'd']);
    decide(r, { decision: 'remove', justification: ' =1+1 "quoted"\nline ', reviewer: 'rev@contoso.com', at: '2025-06-15T11:00:00Z', ...items([item('a'), item('b'), item('c', { state: 'Expired', staleReasons: ['disabled'], recommendation: 'remove', recommendationReasons: ['disabled', 'expired'] })]) });
    decide(r, { decision: 'keep', justification: '', reviewer: 'other@contoso.com', at: '2025-06-15T12:00:00Z', ...items([item('d')]) });
    const now = (id: string) => (id === 'c' ? undefined : { ...current(id)!, displayName: id === 'a' ? '@SUM(1)' : `now, ${id}`, recommendationReasons: ['active'] });
    expect(reviewCsv(r, now)).toBe(recordsToCsv(REVIEW_CSV_HEADER, reviewRecords(r, now)));
    // The gone one is described by the facts it was decided on.
    expect(reviewRecords(r, now)[2].slice(8, 12)).toEqual(['disabled', 'disabled; expired', 'Expired', 'false']);
  });

  it('names the file like the CSV export does', () => {
    expect(reviewFileName('Sales: EU/North?', new Date('2025-06-15T09:08:07Z'))).toBe('Sales_ EU_North_-review-20250615-090807.csv');
    expect(reviewFileName('Sales', new Date('2025-06-15T09:08:07Z'), 'json')).toBe('Sales-review-20250615-090807.json');
  });

  it('round-trips the JSON evidence through the import, justification verbatim', () => {
    const r = review();
    decide(r, { decision: 'remove', justification: ' =1+1 "quoted"\nline ', reviewer: 'rev@contoso.com', at: '2025-06-15T11:00:00Z', ...items([item('a', { activity: daysAgo(200) })]) });
    const text = reviewJson(r, 'rev@contoso.com', '2025-06-15T12:00:00Z');
    const back = parseReviewFile(text, PKG);
    expect(back).toEqual({ ok: true, review: r });
    const data = JSON.parse(text);
    expect(data).toMatchObject({ packageId: PKG, reviewer: 'lead@contoso.com', staleAfterDays: 90, startedAt: '2025-06-15T10:00:00Z', endedAt: null, exportedBy: 'rev@contoso.com' });
  });

  it('refuses another package or a malformed file with a reason', () => {
    const r = review();
    expect(parseReviewFile(reviewJson(r, 'x', iso(NOW)), OTHER_PKG)).toEqual({ ok: false, reason: 'wrong-package', detail: 'Sales' });
    expect(parseReviewFile('not json', PKG)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parseReviewFile('{"format":"something-else"}', PKG)).toMatchObject({ ok: false, reason: 'malformed' });
    const broken = JSON.parse(reviewJson(r, 'x', iso(NOW)));
    broken.decisions = { zz: { decision: 'keep' } };
    expect(parseReviewFile(JSON.stringify(broken), PKG)).toMatchObject({ ok: false, reason: 'malformed' });
    const noJustification = JSON.parse(reviewJson(r, 'x', iso(NOW)));
    noJustification.decisions = { a: { decision: 'remove', justification: '', reviewer: 'x', at: iso(NOW), facts: facts() } };
    expect(parseReviewFile(JSON.stringify(noJustification), PKG)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
