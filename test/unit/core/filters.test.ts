import fc from 'fast-check';
import {
  FACET_IDS,
  accountOf,
  createFilterIndex,
  describeFilter,
  emptyFilter,
  expiryOf,
  facetValues,
  isEmptyFilter,
  KEYED_VALUES,
  kindOf,
  parseFilter,
  patchKeyedCodes,
  runFilter,
  SEARCH_CACHE_MAX_HELD,
  shownWithValues,
  serializeFilter,
  signInOf,
  type FacetId,
  type FilterContext,
  type FilterState,
} from '../../../src/core/filters';
import type { StaleReason, UserInfo, ViewRow } from '../../../src/core/model';
import { deletedUser } from '../../../src/core/normalise';
import { STALE_REASONS } from '../../../src/core/stale';
import { DAY, NOW, daysAgo, iso, user, viewRow } from './fixtures';

const ctx: FilterContext = { now: NOW, staleAfterDays: 90, expiringWithinDays: 30, signInAvailable: true };
const ids = (rows: ViewRow[]) => rows.map((r) => r.id);

describe('row classification', () => {
  it('kind: service principal from subjectType, member/guest from userType, else other', () => {
    expect(kindOf(viewRow({ subjectType: 'servicePrincipal', user: null }))).toBe('servicePrincipal');
    expect(kindOf(viewRow({ user: user({ userType: 'Member' }) }))).toBe('member');
    expect(kindOf(viewRow({ user: user({ userType: 'Guest' }) }))).toBe('guest');
    expect(kindOf(viewRow({ user: null }))).toBe('other');
    expect(kindOf(viewRow({ user: deletedUser('u-1') }))).toBe('other');
  });

  it('account', () => {
    expect(accountOf(viewRow({ objectId: null, user: null }))).toBe('not-in-directory');
    expect(accountOf(viewRow({ user: null }))).toBe('unknown');
    expect(accountOf(viewRow({ user: deletedUser('u-1') }))).toBe('deleted');
    expect(accountOf(viewRow({ user: user({ accountEnabled: true }) }))).toBe('enabled');
    expect(accountOf(viewRow({ user: user({ accountEnabled: false }) }))).toBe('disabled');
    expect(accountOf(viewRow({ user: user({ accountEnabled: null }) }))).toBe('unknown');
  });

  it('sign-in', () => {
    expect(signInOf(viewRow({ activity: daysAgo(3) }), ctx)).toBe('recent');
    expect(signInOf(viewRow({ activity: daysAgo(91) }), ctx)).toBe('stale');
    expect(signInOf(viewRow({ activity: null }), ctx)).toBe('never');
    expect(signInOf(viewRow({ activity: daysAgo(3) }), { ...ctx, signInAvailable: false })).toBe('unknown');
    expect(signInOf(viewRow({ user: null, activity: null }), ctx)).toBe('unknown');
    expect(signInOf(viewRow({ user: deletedUser('u-1'), activity: null }), ctx)).toBe('unknown');
  });

  it('expiry', () => {
    expect(expiryOf(viewRow({ expiry: iso(NOW - 1000) }), ctx)).toBe('expired');
    expect(expiryOf(viewRow({ state: 'expired', expiry: null }), ctx)).toBe('expired');
    expect(expiryOf(viewRow({ expiry: iso(NOW + 30 * DAY) }), ctx)).toBe('soon');
    expect(expiryOf(viewRow({ expiry: iso(NOW + 31 * DAY) }), ctx)).toBe('later');
    expect(expiryOf(viewRow({ expiry: null }), ctx)).toBe('none');
  });
});

describe('runFilter', () => {
  const rows = [
    viewRow({ id: '1', displayName: 'Anna Berg', principalName: 'anna@contoso.com', state: 'delivered', policyId: 'p1' }),
    viewRow({ id: '2', displayName: 'Bo', principalName: 'bo@contoso.com', email: 'BO.X@fabrikam.com', state: 'expired', policyId: 'p1' }),
    viewRow({ id: '3', displayName: 'Cy', principalName: '', email: '', objectId: 'ABC-123', state: 'delivered', policyId: 'p2' }),
    viewRow({ id: '4', displayName: 'Dee', state: 'delivering', policyId: 'p2', staleReasons: ['disabled', 'inactive'] }),
  ];
  const index = createFilterIndex(rows, ctx);

  it('an empty filter shows every row', () => {
    const r = runFilter(index, emptyFilter());
    expect(ids(r.rows)).toEqual(['1', '2', '3', '4']);
    expect(r.counts.state).toEqual({ delivered: 2, expired: 1, delivering: 1 });
  });

  it('search is a case-insensitive substring over name, UPN, email and object id', () => {
    expect(ids(runFilter(index, { search: 'ANNA', facets: {} }).rows)).toEqual(['1', '4']); // 4's fixture email is anna@
    expect(ids(runFilter(index, { search: 'fabrikam', facets: {} }).rows)).toEqual(['2']);
    expect(ids(runFilter(index, { search: 'abc-1', facets: {} }).rows)).toEqual(['3']);
    expect(ids(runFilter(index, { search: 'zzz', facets: {} }).rows)).toEqual([]);
  });

  it('a search never matches across two fields', () => {
    const idx = createFilterIndex([viewRow({ id: 'x', displayName: 'ab', principalName: 'cd', email: '', objectId: null })], ctx);
    expect(runFilter(idx, { search: 'bc', facets: {} }).rows).toEqual([]);
    expect(runFilter(idx, { search: 'b\u0000c', facets: {} }).rows).toEqual([]);
  });

  it('values OR within a facet, facets AND', () => {
    expect(ids(runFilter(index, { search: '', facets: { state: ['delivered', 'expired'] } }).rows)).toEqual(['1', '2', '3']);
    expect(ids(runFilter(index, { search: '', facets: { state: ['delivered', 'expired'], policy: ['p2'] } }).rows)).toEqual(['3']);
  });

  it('counts show what ticking a value would give', () => {
    const r = runFilter(index, { search: '', facets: { state: ['delivered'], policy: ['p2'] } });
    expect(ids(r.rows)).toEqual(['3']);
    // state counts ignore the state selection but keep policy p2
    expect(r.counts.state).toEqual({ delivered: 1, expired: 0, delivering: 1 });
    // policy counts ignore the policy selection but keep state delivered
    expect(r.counts.policy).toEqual({ p1: 1, p2: 1 });
  });

  it('the stale facet counts a row under each of its reasons', () => {
    const r = runFilter(index, { search: '', facets: { stale: ['inactive'] } });
    expect(ids(r.rows)).toEqual(['4']);
    expect(r.counts.stale).toMatchObject({ disabled: 1, inactive: 1, 'not-stale': 3, deleted: 0 });
  });

  it('a selected value absent from the data matches nothing and is counted 0', () => {
    const r = runFilter(index, { search: '', facets: { state: ['partiallyDelivered'] } });
    expect(r.rows).toEqual([]);
    expect(r.counts.state.partiallyDelivered).toBe(0);
    expect(r.counts.state.delivered).toBe(2);
  });
});

// ---------------------------------------------------------------- property test against a naive reference

const unit = fc.constantFrom('a', 'b', 'A', 'é', 'É', ' ', '@', '.');
const shortText = fc.string({ unit, maxLength: 4 });

const arbUser: fc.Arbitrary<UserInfo | null> = fc.oneof(
  fc.constant(null),
  fc.constant(deletedUser('u')),
  fc.record({
    accountEnabled: fc.constantFrom(true, false, null),
    userType: fc.constantFrom('Member', 'Guest', 'Other', null),
  }).map((u) => user({ id: 'u', ...u })),
);

const arbRow: fc.Arbitrary<ViewRow> = fc
  .record({
    state: fc.constantFrom('delivered', 'expired', 'delivering', '', 'Delivered'),
    policyId: fc.constantFrom('p1', 'p2', ''),
    subjectType: fc.constantFrom('user', 'servicePrincipal', ''),
    objectId: fc.option(shortText, { nil: null }),
    displayName: shortText,
    principalName: shortText,
    email: shortText,
    user: arbUser,
    activityDays: fc.option(fc.integer({ min: -200, max: 5 }), { nil: null }),
    expiryDays: fc.option(fc.integer({ min: -10, max: 60 }), { nil: null }),
    connectedOrgId: fc.constantFrom(null, 'c1', 'c2'),
    staleReasons: fc.subarray([...STALE_REASONS] as StaleReason[]),
    access: fc.constantFrom(undefined, 'complete', 'missing', 'not-checked', 'pending'),
  })
  .map((r) =>
    viewRow({
      state: r.state,
      policyId: r.policyId,
      subjectType: r.subjectType,
      objectId: r.objectId,
      displayName: r.displayName,
      principalName: r.principalName,
      email: r.email,
      user: r.user,
      activity: r.activityDays === null ? null : iso(NOW + r.activityDays * DAY),
      expiry: r.expiryDays === null ? null : iso(NOW + r.expiryDays * DAY),
      connectedOrgId: r.connectedOrgId,
      staleReasons: r.staleReasons,
      ...(r.access ? { access: { value: r.access as 'complete' | 'missing' | 'not-checked' | 'pending', missing: [] } } : {}),
    }),
  );

const arbRows = fc.array(arbRow, { maxLength: 60 }).map((rows) => rows.map((r, i) => ({ ...r, id: `r${i}` })));

const POSSIBLE: Record<FacetId, string[]> = {
  state: ['delivered', 'expired', 'delivering', '', 'Delivered', 'unknownState'],
  policy: ['p1', 'p2', '', 'p9'],
  kind: ['member', 'guest', 'servicePrincipal', 'other'],
  account: ['enabled', 'disabled', 'deleted', 'not-in-directory', 'unknown'],
  signIn: ['never', 'stale', 'recent', 'unknown'],
  expiry: ['expired', 'soon', 'later', 'none'],
  connectedOrg: ['c1', 'c2', 'none', 'c9'],
  stale: [...STALE_REASONS, 'not-stale'],
  access: ['complete', 'missing', 'not-checked', 'pending', 'none'],
  decision: ['none', 'keep', 'remove'],
  change: ['added', 'newly-stale', 'newly-expiring', 'unchanged'],
};

const arbFilter: fc.Arbitrary<FilterState> = fc.record({
  search: fc.string({ unit, maxLength: 2 }),
  facets: fc.record(
    Object.fromEntries(FACET_IDS.map((id) => [id, fc.subarray(POSSIBLE[id])])) as Record<FacetId, fc.Arbitrary<string[]>>,
    { requiredKeys: [] },
  ),
});

const arbCtx: fc.Arbitrary<FilterContext> = fc.record({
  now: fc.constant(NOW),
  staleAfterDays: fc.constantFrom(1, 30, 90),
  expiringWithinDays: fc.constantFrom(7, 30),
  signInAvailable: fc.boolean(),
});

/** The obvious, slow implementation of the documented semantics. */
function naive(rows: ViewRow[], f: FilterState, c: FilterContext) {
  const valuesOf = (r: ViewRow): Record<FacetId, string[]> => ({
    state: [r.state],
    policy: [r.policyId],
    kind: [kindOf(r)],
    account: [accountOf(r)],
    signIn: [signInOf(r, c)],
    expiry: [expiryOf(r, c)],
    connectedOrg: [r.connectedOrgId ?? 'none'],
    stale: r.staleReasons.length ? [...r.staleReasons] : ['not-stale'],
    access: [r.access?.value ?? 'none'],
    // Without a map a keyed facet gives every row its first value.
    decision: ['none'],
    change: ['unchanged'],
  });
  const q = f.search.toLowerCase();
  const searchOk = (r: ViewRow) =>
    q === '' || [r.displayName, r.principalName, r.email, r.objectId ?? ''].some((s) => s.toLowerCase().includes(q));
  const facetOk = (vals: Record<FacetId, string[]>, id: FacetId) => {
    const sel = f.facets[id];
    return !sel?.length || vals[id].some((v) => sel.includes(v));
  };
  const shown = rows.filter((r) => searchOk(r) && FACET_IDS.every((id) => facetOk(valuesOf(r), id)));
  const count = (id: FacetId, value: string) =>
    rows.filter((r) => {
      const vals = valuesOf(r);
      return searchOk(r) && vals[id].includes(value) && FACET_IDS.every((other) => other === id || facetOk(vals, other));
    }).length;
  return { shown, count };
}

/** runFilter shows exactly the naive rows (in order), and every count it gives equals the naive count. */
function expectNaive(rows: ViewRow[], f: FilterState, c: FilterContext): void {
  const got = runFilter(createFilterIndex(rows, c), f);
  const ref = naive(rows, f, c);
  expect(ids(got.rows)).toEqual(ids(ref.shown));
  for (const id of FACET_IDS) {
    for (const value of new Set([...POSSIBLE[id], ...Object.keys(got.counts[id])])) {
      const expected = ref.count(id, value);
      if (expected > 0 || value in got.counts[id]) expect([id, value, got.counts[id][value]]).toEqual([id, value, expected]);
    }
  }
}

describe('runFilter against a naive reference', () => {
  it('shows exactly the naive rows (in order) and every count equals the naive count', () => {
    fc.assert(
      fc.property(arbRows, arbFilter, arbCtx, (rows, f, c) => expectNaive(rows, f, c)),
      { numRuns: 300 },
    );
  });

  it('ticking values most rows have (counted from every row, less the rows that fail) gives the naive rows and counts', () => {
    // The filter takes another path when more than half the rows pass: tick each facet's values but its rarest.
    const ticks = (rows: ViewRow[], c: FilterContext, facets: readonly FacetId[]): FilterState['facets'] => {
      const out: FilterState['facets'] = {};
      const tally = naive(rows, { search: '', facets: {} }, c);
      for (const id of facets) {
        const values = POSSIBLE[id].filter((v) => tally.count(id, v) > 0);
        if (values.length < 2) continue;
        const rarest = values.reduce((a, b) => (tally.count(id, a) <= tally.count(id, b) ? a : b));
        out[id] = values.filter((v) => v !== rarest);
      }
      return out;
    };
    fc.assert(
      fc.property(arbRows, arbCtx, fc.subarray([...FACET_IDS], { minLength: 1, maxLength: 3 }), (rows, c, facets) => {
        expectNaive(rows, { search: '', facets: ticks(rows, c, facets) }, c);
      }),
      { numRuns: 300 },
    );
  });

  it('counts of a single-valued facet without a selection add up to the shown rows', () => {
    fc.assert(
      fc.property(arbRows, arbFilter, arbCtx, (rows, f, c) => {
        const got = runFilter(createFilterIndex(rows, c), f);
        for (const id of FACET_IDS) {
          if (id === 'stale' || f.facets[id]?.length) continue;
          const sum = Object.values(got.counts[id]).reduce((a, b) => a + b, 0);
          expect([id, sum]).toEqual([id, got.rows.length]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('typing and deleting characters (search cache) gives the same result as a fresh index', () => {
    fc.assert(
      fc.property(arbRows, arbFilter, fc.array(fc.string({ unit, maxLength: 3 }), { maxLength: 8 }), (rows, f, searches) => {
        const reused = createFilterIndex(rows, ctx);
        for (const search of searches) {
          const a = runFilter(reused, { ...f, search });
          const b = runFilter(createFilterIndex(rows, ctx), { ...f, search });
          expect(ids(a.rows)).toEqual(ids(b.rows));
          expect(a.counts).toEqual(b.counts);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('words typed letter by letter and erased (each letter checked where the shorter word first matched) find exactly the rows holding them', () => {
    // Two letters, so a row often holds a word's start many times, and the first occurrence does not always go on.
    const text = fc.array(fc.constantFrom('a', 'b', 'B'), { maxLength: 14 }).map((cs) => cs.join(''));
    const word = fc.array(fc.constantFrom('a', 'b'), { minLength: 1, maxLength: 7 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 40 }), fc.array(word, { minLength: 1, maxLength: 4 }), (names, words) => {
        const rows = names.map((n, i) => viewRow({ id: `r${i}`, displayName: n, principalName: '', email: '', objectId: null }));
        const index = createFilterIndex(rows, ctx);
        for (const w of words) {
          const steps = [...Array.from({ length: w.length }, (_, i) => w.slice(0, i + 1)), ...Array.from({ length: w.length }, (_, i) => w.slice(0, w.length - 1 - i))];
          for (const q of steps) {
            const want = rows.filter((r) => r.displayName.toLowerCase().includes(q)).map((r) => r.id);
            expect([q, ids(runFilter(index, { search: q, facets: {} }).rows)]).toEqual([q, want]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a reused index gives the same rows and counts as a fresh one while review decisions change (counts kept per index)', () => {
    const decision = fc.constantFrom(...KEYED_VALUES.decision);
    fc.assert(
      fc.property(
        arbRows,
        fc.array(
          fc.record({
            search: fc.string({ unit, maxLength: 2 }),
            picks: fc.array(fc.tuple(fc.nat(), decision), { maxLength: 6 }),
            patch: fc.boolean(),
            // With a decision ticked, the rows of each decision (kept per index and map) are read too.
            tick: fc.option(decision, { nil: undefined }),
          }),
          { maxLength: 6 },
        ),
        (rows, steps) => {
          const reused = createFilterIndex(rows, ctx);
          let map = new Map<string, string>();
          runFilter(reused, { search: '', facets: {} }, { decision: map });
          for (const step of steps) {
            const next = new Map(map);
            const changed: string[] = [];
            for (const [n, v] of step.picks) {
              if (rows.length === 0) break;
              const id = rows[n % rows.length].id;
              next.set(id, v);
              changed.push(id);
            }
            // A bulk decision patches the codes of the map last seen in place; otherwise the next run reads them.
            if (step.patch) patchKeyedCodes(reused, 'decision', map, next, changed);
            map = next;
            const f = { search: step.search, facets: step.tick ? { decision: [step.tick] } : {} };
            const a = runFilter(reused, f, { decision: map });
            const b = runFilter(createFilterIndex(rows, ctx), f, { decision: map });
            expect(ids(a.rows)).toEqual(ids(b.rows));
            expect(a.counts).toEqual(b.counts);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a facet with more values than are kept as sets of rows (200 policies) is read row by row, with the same rows and counts', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      viewRow({ id: `r${i}`, policyId: `p${i % 200}`, state: i % 3 ? 'delivered' : 'expired', staleReasons: i % 4 ? [] : ['inactive'] }),
    );
    for (const facets of [{ policy: ['p1', 'p7', 'p150'] }, { state: ['expired'] }, { policy: ['p3', 'p4'], stale: ['inactive'] }, { state: ['delivered'], policy: ['p0'] }]) {
      expectNaive(many, { search: '', facets }, ctx);
      expectNaive(many, { search: 'a', facets }, ctx);
    }
  });

  it('shownWithValues reads the shown rows of some values from the counts: the same as counting the shown rows', () => {
    fc.assert(
      fc.property(arbRows, arbFilter, fc.subarray(['delivered', 'delivering', 'expired', 'deliveryFailed', 'partiallyDelivered', '']), (rows, f, values) => {
        const result = runFilter(createFilterIndex(rows, ctx), f);
        const want = result.rows.filter((r) => values.includes(r.state)).length;
        expect(shownWithValues(result, f, 'state', values)).toBe(want);
        const policies = [...new Set(rows.map((r) => r.policyId))].slice(0, 2);
        expect(shownWithValues(result, f, 'policy', policies)).toBe(result.rows.filter((r) => policies.includes(r.policyId)).length);
      }),
      { numRuns: 200 },
    );
  });

  it('the search cache holds no more matches than its bound, and still answers correctly past it', () => {
    // Every substring of the common name matches every row: 666 distinct queries × 2,000 rows is past the bound.
    const name = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const rows = Array.from({ length: 2000 }, (_, i) => viewRow({ id: `id-${i}`, displayName: i % 2 ? name : `${name}!` }));
    const index = createFilterIndex(rows, ctx);
    const queries: string[] = [];
    for (let a = 0; a < name.length; a++) for (let b = a + 1; b <= name.length; b++) queries.push(name.slice(a, b));
    queries.push('9!', 'abc', '!');
    for (const q of queries) {
      const got = runFilter(index, { search: q, facets: {} }).rows.length;
      expect([q, got]).toEqual([q, q.includes('!') ? 1000 : 2000]);
      expect(index.searchCache!.held).toBeLessThanOrEqual(SEARCH_CACHE_MAX_HELD);
    }
    expect(index.searchCache!.held).toBe(index.searchCache!.entries.reduce((a, e) => a + e.matches.length, 0));
    expect(index.searchCache!.entries.length).toBeLessThan(queries.length);
  });
});

describe('facetValues', () => {
  it('orders known states first, then others, empty last; fixed facets list all values', () => {
    const rows = ['zeta', '', 'expired', 'delivered', 'delivering', 'alpha'].map((state, i) => viewRow({ id: String(i), state }));
    const v = facetValues(createFilterIndex(rows, ctx));
    expect(v.state.map((x) => x.value)).toEqual(['delivered', 'delivering', 'expired', 'alpha', 'zeta', '']);
    expect(v.state.at(-1)?.label).toBe('(no state)');
    expect(v.kind.map((x) => x.value)).toEqual(['member', 'guest', 'servicePrincipal', 'other']);
    expect(v.account.map((x) => x.value)).toEqual(['enabled', 'disabled', 'deleted', 'not-in-directory', 'unknown']);
    expect(v.stale.map((x) => x.value)).toEqual(['deleted', 'disabled', 'inactive', 'never-signed-in', 'invitation-pending', 'not-stale']);
    expect(v.signIn.find((x) => x.value === 'stale')?.label).toBe('Older than 90 days');
  });

  it('labels policies and connected organisations by name, "none" last', () => {
    const rows = [
      viewRow({ id: '1', policyId: 'p2', policyName: 'Zeta', connectedOrgId: 'c1', connectedOrgName: 'Fabrikam' }),
      viewRow({ id: '2', policyId: 'p1', policyName: 'alpha', connectedOrgId: null }),
      viewRow({ id: '3', policyId: 'p3', policyName: '', connectedOrgId: 'c2', connectedOrgName: 'Adatum' }),
    ];
    const v = facetValues(createFilterIndex(rows, ctx));
    expect(v.policy).toEqual([
      { value: 'p1', label: 'alpha' },
      { value: 'p3', label: 'p3' },
      { value: 'p2', label: 'Zeta' },
    ]);
    expect(v.connectedOrg).toEqual([
      { value: 'c2', label: 'Adatum' },
      { value: 'c1', label: 'Fabrikam' },
      { value: 'none', label: 'None' },
    ]);
  });
});

describe('isEmptyFilter / describeFilter', () => {
  it('isEmptyFilter', () => {
    expect(isEmptyFilter(emptyFilter())).toBe(true);
    expect(isEmptyFilter({ search: '', facets: { state: [] } })).toBe(true);
    expect(isEmptyFilter({ search: 'a', facets: {} })).toBe(false);
    expect(isEmptyFilter({ search: '', facets: { stale: ['deleted'] } })).toBe(false);
  });

  it('describes facets in order, by label, then the search', () => {
    const labels = { policy: [{ value: 'p1', label: 'Sales' }] };
    expect(
      describeFilter({ search: 'anna', facets: { policy: ['p1', 'p7'], state: ['delivered', 'expired'] } }, labels),
    ).toBe('state: delivered, expired; policy: Sales, p7; search "anna"');
    expect(describeFilter({ search: 'say "hi"', facets: {} })).toBe('search "say \\"hi\\""');
    expect(describeFilter(emptyFilter())).toBe('no filter (all rows)');
  });
});

describe('serializeFilter / parseFilter', () => {
  const arbAnyFilter: fc.Arbitrary<FilterState> = fc.record({
    search: fc.string({ unit: 'grapheme', maxLength: 50 }),
    facets: fc.record(
      Object.fromEntries(FACET_IDS.map((id) => [id, fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 5 })])) as Record<
        FacetId,
        fc.Arbitrary<string[]>
      >,
      { requiredKeys: [] },
    ),
  });

  it('round-trips any filter through a URL-safe string', () => {
    fc.assert(
      fc.property(arbAnyFilter, (f) => {
        const s = serializeFilter(f);
        expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
        const back = parseFilter(s);
        const expected: FilterState = { search: f.search, facets: {} };
        for (const id of FACET_IDS) if (f.facets[id]?.length) expected.facets[id] = f.facets[id];
        expect(back).toEqual(expected);
      }),
    );
  });

  it('is short for a typical filter', () => {
    expect(serializeFilter({ search: 'anna', facets: { state: ['delivered'] } }).length).toBeLessThan(80);
  });

  it('rejects garbage without throwing', () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    for (const s of [
      '',
      '!!!',
      'a',
      'e30', // {} without version
      enc({ v: 2 }),
      enc({ v: 1, f: { nope: ['x'] } }),
      enc({ v: 1, f: { state: 'delivered' } }),
      enc({ v: 1, f: { state: [1] } }),
      enc({ v: 1, s: 5 }),
      enc({ v: 1, extra: true }),
      enc([1]),
      enc(null),
      Buffer.from([0xff, 0xfe]).toString('base64url'),
      'x'.repeat(20000),
    ]) {
      expect(parseFilter(s)).toBeNull();
    }
    expect(parseFilter(enc({ v: 1, s: 'q', f: { state: ['a', 'a'] } }))).toEqual({ search: 'q', facets: { state: ['a'] } });
    fc.assert(fc.property(fc.string(), (s) => void parseFilter(s)));
  });
});
