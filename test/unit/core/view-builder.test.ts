import fc from 'fast-check';
import { createFilterIndex, prepareSearch, runFilter, searchHaystack, type FilterState } from '../../../src/core/filters';
import type { Row, UserInfo } from '../../../src/core/model';
import { toViewRows } from '../../../src/core/stale';
import { ViewBuilder, type ViewInputs } from '../../../src/core/view-builder';
import { NOW, daysAgo, row, user } from './fixtures';

const STATES = ['delivered', 'expired', 'deliveryFailed', 'partiallyDelivered'];
const makeRow = (i: number): Row =>
  row({
    id: `a-${i}`,
    objectId: i % 7 === 0 ? null : `U-${i % 13}`,
    state: STATES[i % STATES.length],
    policyId: `p-${i % 3}`,
    policyName: `Policy ${i % 3}`,
    displayName: `Person ${i}`,
    principalName: `person${i}@contoso.com`,
    subjectType: i % 11 === 0 ? 'servicePrincipal' : 'user',
    expiry: i % 5 === 0 ? daysAgo(-10) : null,
  });
const makeUser = (k: number, v: number): UserInfo =>
  user({
    id: `u-${k}`,
    accountEnabled: v % 3 !== 0,
    userType: v % 2 ? 'Guest' : 'Member',
    lastSuccessfulSignIn: v % 4 === 0 ? null : daysAgo(v * 37),
    deleted: v % 9 === 8,
  });

const base = (rows: Row[], users: Map<string, UserInfo>, changed: Set<string>, signInAvailable = true): ViewInputs => ({
  rows,
  users,
  changedUsers: changed,
  now: NOW,
  staleAfterDays: 90,
  expiringWithinDays: 30,
  signInAvailable,
});

const FILTERS: FilterState[] = [
  { search: '', facets: {} },
  { search: 'person1', facets: {} },
  { search: '', facets: { state: ['expired'], kind: ['guest'] } },
  { search: '', facets: { account: ['disabled', 'deleted'], stale: ['inactive'] } },
  { search: 'contoso', facets: { signIn: ['never', 'stale'], expiry: ['soon'] } },
];

/** What a full rebuild from scratch shows for these inputs. */
function expected(rows: Row[], users: Map<string, UserInfo>) {
  const ctx = { now: NOW, staleAfterDays: 90, expiringWithinDays: 30, signInAvailable: true };
  const viewRows = toViewRows(rows, users, ctx);
  const index = createFilterIndex(viewRows, ctx);
  return { viewRows, results: FILTERS.map((f) => runFilter(index, f)) };
}

describe('ViewBuilder: the view kept up to date by what changed', () => {
  it('gives exactly the rows, stale reasons, filter results and counts of a full rebuild, however rows and users arrive', () => {
    // Steps: append a batch of rows, or a batch of users (new or replaced), in any order; after each step
    // the incremental view must equal a rebuild from scratch.
    // Search text may also be built ahead, a slice at a time, on the index of the moment (the panel's idle time).
    const step = fc.oneof(
      fc.record({ kind: fc.constant('rows' as const), n: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('users' as const), ks: fc.array(fc.integer({ min: 0, max: 14 }), { maxLength: 8 }), v: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('prep' as const), n: fc.integer({ min: 1, max: 30 }) }),
      fc.record({ kind: fc.constant('search' as const) }),
      fc.record({ kind: fc.constant('keyed' as const), k: fc.integer({ min: 0, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const builder = new ViewBuilder();
        let rows: Row[] = [];
        const users = new Map<string, UserInfo>();
        const changed = new Set<string>();
        let decision: Map<string, string> | null = null;
        for (const s of steps) {
          if (s.kind === 'rows') {
            rows = rows.concat(Array.from({ length: s.n }, (_, k) => makeRow(rows.length + k)));
          } else if (s.kind === 'prep') {
            prepareSearch(builder.build(base(rows, users, changed)).index, s.n);
          } else if (s.kind === 'keyed') {
            // A review's decisions, kept while rows go on arriving (checked after each step below).
            decision = new Map([[`a-${s.k}`, 'keep']]);
          } else if (s.kind === 'search') {
            // The first search builds the rest of the search text; later indexes must extend it.
            runFilter(builder.build(base(rows, users, changed)).index, { search: 'person', facets: {} });
          } else {
            for (const k of s.ks) {
              users.set(`u-${k}`, makeUser(k, s.v + k));
              changed.add(`u-${k}`);
            }
          }
          const built = builder.build(base(rows, users, changed));
          const want = expected(rows, users);
          expect(built.viewRows).toEqual(want.viewRows);
          // Search text built so far: that of the first rows, in order. The filters run on a copy, so what
          // was built ahead is carried to the next step as it is.
          const hay = built.index.haystacks ?? [];
          expect(hay).toEqual(rows.slice(0, hay.length).map((r) => searchHaystack(toViewRows([r], users, { now: NOW, staleAfterDays: 90, signInAvailable: true })[0])));
          const probe = { ...built.index, haystacks: built.index.haystacks?.slice() ?? null, searchCache: null };
          FILTERS.forEach((f, i) => {
            const got = runFilter(probe, f);
            expect(got.rows.map((r) => r.id)).toEqual(want.results[i].rows.map((r) => r.id));
            expect(got.counts).toEqual(want.results[i].counts);
          });
          if (decision) {
            const fresh = createFilterIndex(want.viewRows, { now: NOW, staleAfterDays: 90, expiringWithinDays: 30, signInAvailable: true });
            for (const f of [{ search: '', facets: {} }, { search: '', facets: { state: ['expired'] } }]) {
              expect(runFilter(built.index, f, { decision }).counts).toEqual(runFilter(fresh, f, { decision }).counts);
            }
          }
          // Without a search, on the index itself: its every-row counts are carried from the index it extends.
          FILTERS.forEach((f, i) => {
            if (f.search) return;
            const got = runFilter(built.index, f);
            expect(got.rows.map((r) => r.id)).toEqual(want.results[i].rows.map((r) => r.id));
            expect(got.counts).toEqual(want.results[i].counts);
          });
          // The decisions counted last on this index: the next index starts from what they were counted with.
          if (decision) runFilter(built.index, { search: '', facets: {} }, { decision });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('rebuilds in full when the list is another one or the threshold or sign-in availability changes', () => {
    const builder = new ViewBuilder();
    const users = new Map([['u-1', makeUser(1, 2)]]);
    const rows = [makeRow(1), makeRow(2)];
    expect(builder.build(base(rows, users, new Set())).full).toBe(true);
    expect(builder.build(base(rows.concat([makeRow(3)]), users, new Set())).full).toBe(false);
    // Another list (a refresh swapped in): not an extension of the shown one.
    expect(builder.build(base([makeRow(9), makeRow(8)], users, new Set())).full).toBe(true);
    const again = [makeRow(9), makeRow(8)];
    expect(builder.build(base(again, users, new Set(), false)).full).toBe(true);
  });

  it('a full rebuild of the same rows keeps the search text built ahead, and another list does not', () => {
    const builder = new ViewBuilder();
    const rows = Array.from({ length: 40 }, (_, i) => makeRow(i));
    const users = new Map<string, UserInfo>();
    const first = builder.build(base(rows, users, new Set()));
    expect(prepareSearch(first.index, 25)).toBe(false);
    const built = first.index.haystacks!.slice();
    // Every user at once (the users held back until the list is done): a full rebuild.
    const changed = new Set<string>();
    for (let k = 0; k < 13; k++) {
      users.set(`u-${k}`, makeUser(k, k));
      changed.add(`u-${k}`);
    }
    const next = builder.build(base(rows, users, changed));
    expect(next.full).toBe(true);
    expect(next.index.haystacks).toEqual(built);
    expect(next.index.haystacks).not.toBe(first.index.haystacks);
    expect(prepareSearch(next.index)).toBe(true);
    expect(runFilter(next.index, { search: 'person39', facets: {} }).rows.map((r) => r.id)).toEqual(['a-39']);
    const other = builder.build(base([makeRow(100), makeRow(101)], users, new Set()));
    expect(other.full).toBe(true);
    expect(other.index.haystacks).toBeNull();
  });

  it('touches only the rows of the users that changed', () => {
    const builder = new ViewBuilder();
    const rows = Array.from({ length: 100 }, (_, i) => makeRow(i));
    const users = new Map<string, UserInfo>();
    const first = builder.build(base(rows, users, new Set()));
    users.set('u-3', makeUser(3, 3));
    const next = builder.build(base(rows, users, new Set(['u-3'])));
    expect(next.full).toBe(false);
    const changedAt = next.viewRows.map((v, i) => (v !== first.viewRows[i] ? i : -1)).filter((i) => i >= 0);
    expect(changedAt.length).toBeGreaterThan(0);
    expect(changedAt.every((i) => rows[i].objectId?.toLowerCase() === 'u-3')).toBe(true);
  });
});
