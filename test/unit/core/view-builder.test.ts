import fc from 'fast-check';
import { createFilterIndex, runFilter, type FilterState } from '../../../src/core/filters';
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
    const step = fc.oneof(
      fc.record({ kind: fc.constant('rows' as const), n: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('users' as const), ks: fc.array(fc.integer({ min: 0, max: 14 }), { maxLength: 8 }), v: fc.integer({ min: 0, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const builder = new ViewBuilder();
        let rows: Row[] = [];
        const users = new Map<string, UserInfo>();
        const changed = new Set<string>();
        let searched = false;
        for (const s of steps) {
          if (s.kind === 'rows') {
            rows = rows.concat(Array.from({ length: s.n }, (_, k) => makeRow(rows.length + k)));
          } else {
            for (const k of s.ks) {
              users.set(`u-${k}`, makeUser(k, s.v + k));
              changed.add(`u-${k}`);
            }
          }
          const built = builder.build(base(rows, users, changed));
          // The search text is built lazily; once it is, it must be extended too.
          if (!searched && rows.length > 10) {
            runFilter(built.index, { search: 'person', facets: {} });
            searched = true;
          }
          const want = expected(rows, users);
          expect(built.viewRows).toEqual(want.viewRows);
          FILTERS.forEach((f, i) => {
            const got = runFilter(built.index, f);
            expect(got.rows.map((r) => r.id)).toEqual(want.results[i].rows.map((r) => r.id));
            expect(got.counts).toEqual(want.results[i].counts);
          });
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
