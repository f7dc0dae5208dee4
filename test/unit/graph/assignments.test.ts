import type { PolicyInfo, Row } from '../../../src/core/model';
import { fetchAssignments, fetchAssignmentsSequential, fetchPackage, type ExpandMemo } from '../../../src/graph/assignments';
import { createGraph, type Graph } from '../../../src/graph/client';
import type { LoadProgress } from '../../../src/messages';
import { requestSlots } from '../../../src/core/slots';
import { fakeFetch, GRAPH, pathOf, query, VirtualClock, type FakeFetch, type Route } from './fakes';
import { LIST_PATH, listServer, makeAssignments, pagesPerPartition, PKG, type ListServerOptions, type RawAssignment } from './fake-assignments';

const LATENCY = 100;
const policy = (id: string): PolicyInfo => ({ id, displayName: `Policy ${id}`, allowsDirectAssignment: true, hasQuestions: false });
const FOUR = ['p1', 'p2', 'p3', 'p4'].map(policy);

function harness(route: Route, opts: { latency?: number; getToken?: (o: { forceRefresh: boolean }) => Promise<string> } = {}) {
  const clock = new VirtualClock();
  const ff: FakeFetch = fakeFetch(route, clock, opts.latency ?? LATENCY);
  const graph: Graph = createGraph({
    cloud: 'global',
    getToken: opts.getToken ?? (async () => 'tok'),
    fetchImpl: ff.fetch,
    sleep: clock.sleep,
    now: clock.now,
    rng: () => 0.5,
  });
  return { clock, ff, graph };
}

async function load(o: ListServerOptions, policies: PolicyInfo[] = FOUR, extra: { route?: Route; signal?: AbortSignal; latency?: number; getToken?: (o: { forceRefresh: boolean }) => Promise<string>; expandMemo?: ExpandMemo } = {}) {
  const { clock, ff, graph } = harness(extra.route ?? listServer(o), extra);
  const streamed: Row[] = [];
  const progress: LoadProgress[] = [];
  const result = await clock.run(
    fetchAssignments({
      graph,
      packageId: PKG,
      policies,
      signal: extra.signal,
      expandMemo: extra.expandMemo,
      onRows: (rows) => streamed.push(...rows),
      onProgress: (p) => progress.push(p),
    }),
  );
  return { result, streamed, progress, ff, clock };
}

const ids = (rows: Array<{ id: string }>): string[] => rows.map((r) => r.id).sort();

const MIXED = makeAssignments([
  { policyId: 'p1', state: 'delivered', count: 60 },
  { policyId: 'p1', state: 'expired', count: 25 },
  { policyId: 'p2', state: 'delivered', count: 55 },
  { policyId: 'p2', state: 'delivering', count: 5 },
  { policyId: 'p3', state: 'delivered', count: 50 },
  { policyId: 'p3', state: 'expired', count: 30 },
  { policyId: 'p4', state: 'delivered', count: 45 },
  { policyId: 'p4', state: 'deliveryFailed', count: 3 },
  { policyId: 'p4', state: 'partiallyDelivered', count: 2 },
]);

describe('fetchAssignments: complete and fast', () => {
  test('a mixed 4-policy package: every assignment once, streamed, nothing missing, ≤ 8 in flight', async () => {
    const { result, streamed, ff, progress } = await load({ assignments: MIXED, pageSize: 10 });
    expect(result.missing).toEqual([]);
    expect(result.total).toBe(MIXED.length);
    expect(ids(streamed)).toEqual(ids(MIXED));
    expect(new Set(streamed.map((r) => r.id)).size).toBe(streamed.length);
    expect(ff.maxInFlight).toBeLessThanOrEqual(8);
    for (const c of ff.calls) {
      expect(pathOf(c.url)).toBe(LIST_PATH);
      expect(query(c.url).$filter).toContain(`accessPackage/id eq '${PKG}'`);
      // The subject's connected organisation is a relationship: expanded, or Graph never sends it. Of the
      // policy, only what a row shows.
      expect(query(c.url).$expand).toBe('target($expand=connectedOrganization),assignmentPolicy($select=id,displayName)');
      // Only the options the list endpoint documents.
      expect(query(c.url).$top).toBeUndefined();
      expect(query(c.url).$count).toBeUndefined();
      expect(c.headers.authorization).toBe('Bearer tok');
    }
    const last = progress[progress.length - 1];
    expect(last.rows).toBe(MIXED.length);
    expect(last.partitionsDone).toBe(last.partitionsTotal);
    expect(last.pages).toBe(result.pages);
  });

  test('within 1.25× of the lower bound and ≥ 3× faster than the sequential PageIterator baseline', async () => {
    const lowerBound = Math.max(...pagesPerPartition(MIXED, 10)) * LATENCY;
    const { clock: c1 } = await load({ assignments: MIXED, pageSize: 10 });
    const parallel = c1.now();

    const { clock, graph, ff } = harness(listServer({ assignments: MIXED, pageSize: 10 }));
    const rows: Row[] = [];
    const seq = await clock.run(fetchAssignmentsSequential({ graph, packageId: PKG, onRows: (r) => rows.push(...r) }));
    expect(seq.total).toBe(MIXED.length);
    expect(seq.missing).toEqual([]);
    expect(ids(rows)).toEqual(ids(MIXED));
    expect(ff.maxInFlight).toBe(1);
    const sequential = clock.now();

    if (process.env.SHOW_TIMES) console.log({ lowerBound, parallel, sequential });
    expect(parallel).toBeLessThanOrEqual(1.25 * lowerBound);
    expect(sequential / parallel).toBeGreaterThanOrEqual(3);
  });

  test('a package that fits one page: the unpartitioned page is the answer, as fast as sequential', async () => {
    const small = makeAssignments([
      { policyId: 'p1', state: 'delivered', count: 3 },
      { policyId: 'p2', state: 'expired', count: 2 },
    ]);
    const { result, streamed, clock } = await load({ assignments: small, pageSize: 10 });
    expect(result.total).toBe(5);
    expect(result.missing).toEqual([]);
    expect(ids(streamed)).toEqual(ids(small));
    expect(clock.now()).toBe(LATENCY);
  });

  test('an empty package lists nothing and misses nothing', async () => {
    const { result, streamed } = await load({ assignments: [], pageSize: 10 });
    expect(result).toMatchObject({ total: 0, missing: [] });
    expect(streamed).toEqual([]);
  });
});

describe('fetchAssignments: many packages at once (the overview)', () => {
  const unpartitioned = (url: string): boolean => !/ and /.test(query(url).$filter ?? '');

  test('a package of a few pages is read as one chain when partitions wait: one request per page', async () => {
    const few = MIXED.slice(0, 25);
    const { clock, ff, graph } = harness(listServer({ assignments: few, pageSize: 10 }));
    const rows: Row[] = [];
    const result = await clock.run(fetchAssignments({ graph, packageId: PKG, policies: FOUR, partitionAfter: 5, onRows: (r) => rows.push(...r) }));
    expect(result).toMatchObject({ total: 25, missing: [] });
    expect(ids(rows)).toEqual(ids(few));
    expect(ff.calls).toHaveLength(3);
    expect(ff.calls.every((c) => unpartitioned(c.url))).toBe(true);
  });

  test('a package longer than that is partitioned once the chain has read that many pages: every row once', async () => {
    const { clock, ff, graph } = harness(listServer({ assignments: MIXED, pageSize: 10 }));
    const rows: Row[] = [];
    const result = await clock.run(fetchAssignments({ graph, packageId: PKG, policies: FOUR, partitionAfter: 5, onRows: (r) => rows.push(...r) }));
    expect(result).toMatchObject({ total: MIXED.length, missing: [] });
    expect(ids(rows)).toEqual(ids(MIXED));
    // Five pages of the unpartitioned chain, one after the other; then the partitions (the chain stops there).
    expect(ff.calls.slice(0, 5).every((c) => unpartitioned(c.url))).toBe(true);
    expect(ff.calls.slice(5).every((c) => !unpartitioned(c.url))).toBe(true);
  });

  test('listings sharing slots never have more requests in flight than the slots, and all complete', async () => {
    const other = 'aaaaaaaa-0000-4000-8000-000000000002';
    const second = makeAssignments([{ policyId: 'p1', state: 'delivered', count: 90 }, { policyId: 'p2', state: 'expired', count: 40 }], other).map((a) => ({ ...a, id: a.id.replace(/^a/, 'c') }));
    const { clock, ff, graph } = harness(listServer({ assignments: [...MIXED, ...second], pageSize: 10 }));
    const slots = requestSlots(3);
    const rows = new Map<string, Row[]>([[PKG, []], [other, []]]);
    const results = await clock.run(
      Promise.all(
        [PKG, other].map((packageId) =>
          fetchAssignments({ graph, packageId, policies: FOUR, slots, concurrency: 8, partitionAfter: 2, onRows: (r) => rows.get(packageId)!.push(...r) }),
        ),
      ),
    );
    expect(results.map((r) => r.missing)).toEqual([[], []]);
    expect(ids(rows.get(PKG)!)).toEqual(ids(MIXED));
    expect(ids(rows.get(other)!)).toEqual(ids(second));
    expect(ff.maxInFlight).toBe(3);
    expect(slots.free).toBe(3);
  });

  test('an aborted listing gives its slots back', async () => {
    const { clock, graph } = harness(listServer({ assignments: MIXED, pageSize: 10 }));
    const slots = requestSlots(4);
    const ac = new AbortController();
    const run = fetchAssignments({ graph, packageId: PKG, policies: FOUR, slots, signal: ac.signal, onRows: () => undefined });
    clock.sleep(150).then(() => ac.abort(), () => undefined);
    await expect(clock.run(run)).rejects.toMatchObject({ name: 'AbortError' });
    await clock.run(clock.sleep(1000));
    expect(slots.free).toBe(4);
  });
});

describe('fetchAssignments: policies still on their way', () => {
  async function withLatePolicies(assignments: RawAssignment[], policies: Promise<PolicyInfo[]> | ((clock: VirtualClock) => Promise<PolicyInfo[]>)) {
    const { clock, ff, graph } = harness(listServer({ assignments, pageSize: 10 }));
    const streamed: Row[] = [];
    const given = typeof policies === 'function' ? policies(clock) : policies;
    const result = await clock.run(fetchAssignments({ graph, packageId: PKG, policies: given, onRows: (r) => streamed.push(...r) }));
    return { result, streamed, ff, clock };
  }

  test('the first page is asked for at once; partitions follow when the policies arrive', async () => {
    const { result, streamed, ff } = await withLatePolicies(MIXED, (clock) => clock.sleep(3 * LATENCY).then(() => FOUR));
    expect(result.missing).toEqual([]);
    expect(ids(streamed)).toEqual(ids(MIXED));
    expect(query(ff.calls[0].url).$filter).toBe(`accessPackage/id eq '${PKG}'`);
    expect(ff.calls.slice(1).some((c) => query(c.url).$filter?.includes('assignmentPolicy'))).toBe(true);
  });

  test('a one-page package is done without waiting for the policies', async () => {
    const small = makeAssignments([{ policyId: 'p1', state: 'delivered', count: 4 }]);
    const { result, clock } = await withLatePolicies(small, (c) => c.sleep(50 * LATENCY).then(() => FOUR));
    expect(result.total).toBe(4);
    expect(clock.now()).toBe(LATENCY);
  });

  test('policies that cannot be had fail the fetch with that error', async () => {
    await expect(withLatePolicies(MIXED, Promise.reject(new Error('package gone')))).rejects.toThrow('package gone');
  });
});

describe('fetchAssignments: nothing silently lost', () => {
  const broken = (message: string) => ({ status: 500, json: { error: { code: 'InternalServerError', message } } });
  /** The unpartitioned listing breaks after its first page: it cannot stand in for a failed partition. */
  const scanBroken = (info: { filter: string; offset: number }) =>
    !info.filter.includes(' and ') && info.offset > 0 ? broken('listing unavailable') : undefined;
  // p4's assignments come last in listing order, so the unpartitioned first page never shows them.
  const failingPage = (offset: number) => (req: { url: string }, info: { filter: string; offset: number }) =>
    info.filter.includes("assignmentPolicy/id eq 'p4'") && info.filter.includes("'delivered'") && info.offset === offset
      ? broken('Something broke on page ' + req.url.length)
      : scanBroken(info);

  test('a page that finally fails is reported with its partition, URL and Graph\'s error; that partition stops', async () => {
    const { result, ff } = await load({ assignments: MIXED, pageSize: 10, override: failingPage(20) });
    // The partition's page, and the unpartitioned listing that was then tried as a stand-in (broken here too).
    expect(result.missing.map((x) => x.partition).sort()).toEqual(['all assignments (unpartitioned listing)', 'policy Policy p4, state delivered']);
    const m = result.missing.find((x) => x.partition.startsWith('policy'))!;
    expect(m.partition).toBe('policy Policy p4, state delivered');
    expect(query(m.page).$skiptoken).toBe('20');
    expect(m.error).toContain('Something broke on page');
    expect(m.error).toContain('InternalServerError');
    // Nothing after the failed page of that partition was asked for.
    const p4delivered = ff.calls.filter((c) => query(c.url).$filter?.includes("'p4' and state eq 'delivered'"));
    expect(p4delivered.map((c) => query(c.url).$skiptoken ?? '0')).toEqual(['0', '10', '20']);
    // Everything else arrived: only p4/delivered rows after the 20th are absent.
    expect(result.total).toBe(MIXED.length - (45 - 20));
  });

  test('when the unpartitioned listing can be read to its end, it stands in for a failed partition', async () => {
    // One partition page is throttled for minutes and finally fails; the listing is then read through.
    const override = (_req: unknown, info: { filter: string; offset: number }) =>
      info.filter.includes("'p4' and state eq 'delivered'") && info.offset === 20
        ? { status: 429, headers: { 'Retry-After': '30' }, json: { error: { code: 'TooManyRequests', message: 'busy' } } }
        : undefined;
    const { result, streamed } = await load({ assignments: MIXED, pageSize: 10, override });
    expect(result.missing).toEqual([]);
    expect(ids(streamed)).toEqual(ids(MIXED));
    expect(result.problems.join(' ')).toMatch(/also covers the 1 partition page/);
  });

  test('a failed partition whose rows the first page showed: the unpartitioned listing heals the gap', async () => {
    const override = (_req: unknown, info: { filter: string; offset: number }) =>
      info.filter.includes("'p1' and state eq 'delivered'") && info.offset === 0
        ? { status: 500, json: { error: { code: 'InternalServerError', message: 'boom' } } }
        : undefined;
    const { result, streamed } = await load({ assignments: MIXED, pageSize: 10, override });
    expect(result.missing).toEqual([]);
    expect(result.total).toBe(MIXED.length);
    expect(ids(streamed)).toEqual(ids(MIXED));
    expect(result.problems.join('\n')).toMatch(/unpartitioned listing was read to the end/);
  });

  test('a network error names the page after bounded retries', async () => {
    const route = listServer({ assignments: MIXED, pageSize: 10, override: (_r, info) => scanBroken(info) });
    const { result } = await load({ assignments: MIXED, pageSize: 10 }, FOUR, {
      route: (req) => (query(req.url).$filter?.includes("'p4' and state eq 'delivered'") && query(req.url).$skiptoken === '30' ? 'network-error' : route(req)),
    });
    expect(result.missing).toHaveLength(2);
    const m = result.missing.find((x) => x.partition === 'policy Policy p4, state delivered')!;
    expect(m.error).toMatch(/No answer from Graph/);
    expect(m.error).toContain(m.page);
    expect(query(m.page).$skiptoken).toBe('30');
  });

  test('a next link to another host is refused, reported, and never requested', async () => {
    const route = listServer({ assignments: MIXED, pageSize: 10, override: (_r, info) => scanBroken(info) });
    const evil = listServer({ assignments: MIXED, pageSize: 10, nextLinkRoot: 'https://evil.example/v1.0/' });
    const { result, ff } = await load({ assignments: MIXED, pageSize: 10 }, FOUR, {
      route: (req) => (query(req.url).$filter?.includes("'p4' and state eq 'delivered'") ? evil(req) : route(req)),
    });
    expect(ff.calls.every((c) => c.url.startsWith(GRAPH))).toBe(true);
    expect(result.missing).toHaveLength(2);
    const m = result.missing.find((x) => x.partition === 'policy Policy p4, state delivered')!;
    expect(m.page).toMatch(/^https:\/\/evil\.example\//);
    expect(m.error).toMatch(/evil\.example.*token is never sent/);
  });

  test('a 401 mid-paging renews the token once and resumes from the same page', async () => {
    let calls = 0;
    let renewed = false;
    const route = listServer({ assignments: MIXED, pageSize: 10 });
    const { result, ff } = await load({ assignments: MIXED, pageSize: 10 }, FOUR, {
      getToken: async (o) => {
        if (o.forceRefresh) renewed = true;
        return renewed ? 'fresh' : 'old';
      },
      route: (req) => {
        calls++;
        // The old token expires after a dozen requests.
        if (calls > 12 && req.headers.authorization === 'Bearer old') return { status: 401, json: { error: { code: 'InvalidAuthenticationToken', message: 'expired' } } };
        return route(req);
      },
    });
    expect(result.missing).toEqual([]);
    expect(result.total).toBe(MIXED.length);
    const rejected = ff.calls.filter((c) => c.headers.authorization === 'Bearer old').slice(12);
    for (const r of rejected) expect(ff.calls.some((c) => c.url === r.url && c.headers.authorization === 'Bearer fresh')).toBe(true);
  });
});

describe('fetchAssignments: the guard for what partitions cannot see', () => {
  test('an assignment in a state named by no partition, on the first page: the unpartitioned listing is read to the end', async () => {
    const odd: RawAssignment[] = [
      { id: 'odd-1', state: 'someFutureState', status: '', accessPackageId: PKG, policyId: 'p1', objectId: null },
      ...MIXED,
    ];
    const { result, streamed } = await load({ assignments: odd, pageSize: 10 });
    expect(result.total).toBe(odd.length);
    expect(streamed.map((r) => r.id)).toContain('odd-1');
    expect(result.missing).toEqual([]);
    expect(result.problems.join(' ')).toMatch(/no partition covers/);
  });

  test('assignments shown as unknownFutureValue, anywhere in the list: found by their own partition', async () => {
    const odd: RawAssignment[] = [
      ...MIXED,
      { id: 'future-1', state: 'unknownFutureValue', status: '', accessPackageId: PKG, policyId: 'p1', objectId: null },
      { id: 'future-2', state: 'unknownFutureValue', status: '', accessPackageId: PKG, policyId: 'p-unlisted', objectId: null },
    ];
    const { result, streamed } = await load({ assignments: odd, pageSize: 10 });
    expect(result.total).toBe(odd.length);
    expect(streamed.map((r) => r.id)).toEqual(expect.arrayContaining(['future-1', 'future-2']));
    expect(result.problems.join(' ')).not.toMatch(/unpartitioned listing was read/);
  });

  test('a service that refuses the sentinel filter: noted, nothing missing, no fallback needed', async () => {
    const route = listServer({ assignments: MIXED, pageSize: 10 });
    const { result } = await load({ assignments: MIXED, pageSize: 10 }, FOUR, {
      route: (req) =>
        query(req.url).$filter?.includes('unknownFutureValue') ? { status: 400, json: { error: { code: 'BadRequest', message: 'not a valid enumerated type constant' } } } : route(req),
    });
    expect(result.missing).toEqual([]);
    expect(result.total).toBe(MIXED.length);
    expect(result.problems.join(' ')).toMatch(/unknownFutureValue.*refused/);
  });

  test('an assignment of an unlisted policy seen in the sampled pages: the listing is completed', async () => {
    const extra: RawAssignment[] = [{ id: 'late-1', state: 'delivered', status: '', accessPackageId: PKG, policyId: 'p-new', objectId: null }, ...MIXED];
    const { result, streamed } = await load({ assignments: extra, pageSize: 10 });
    expect(result.total).toBe(extra.length);
    expect(streamed.map((r) => r.id)).toContain('late-1');
  });

  test('a service that matches state names case-sensitively: no loss', async () => {
    const pascal = MIXED.map((a) => ({ ...a, state: a.state[0].toUpperCase() + a.state.slice(1) }));
    const { result, streamed } = await load({ assignments: pascal, pageSize: 10, caseSensitiveState: true });
    expect(result.missing).toEqual([]);
    expect(result.total).toBe(pascal.length);
    expect(ids(streamed)).toEqual(ids(pascal));
  });

  test('a service that refuses the partition filter: the unpartitioned listing takes over', async () => {
    const { result, streamed } = await load({ assignments: MIXED, pageSize: 10, refusePartitionFilter: true });
    expect(result.missing).toEqual([]);
    expect(result.total).toBe(MIXED.length);
    expect(ids(streamed)).toEqual(ids(MIXED));
  });

  test('a service that refuses the nested $expand: listed in full without the connected organisation, said in words', async () => {
    const { result, streamed, ff } = await load({ assignments: MIXED, pageSize: 10, refuseNestedExpand: true });
    expect(result.missing).toEqual([]);
    expect(ids(streamed)).toEqual(ids(MIXED));
    expect(result.problems.join(' ')).toMatch(/connected organisation/);
    // Each chain in flight is refused at most once per level (the nested $select, then the nested $expand);
    // every later first page goes without both.
    const refused = ff.calls.filter((c) => query(c.url).$expand?.includes('connectedOrganization'));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(16);
    const firstPages = ff.calls.filter((c) => query(c.url).$skiptoken === undefined);
    expect(query(firstPages[firstPages.length - 1].url).$expand).toBe('target,assignmentPolicy');
  });

  test('a service that refuses $select inside $expand: the whole policy is read, the organisation kept, nothing said', async () => {
    const { result, streamed, ff } = await load({ assignments: MIXED, pageSize: 10, refuseNestedSelect: true });
    expect(result.missing).toEqual([]);
    expect(ids(streamed)).toEqual(ids(MIXED));
    expect(result.problems).toEqual([]);
    // Refused once per chain in flight at most; every later first page asks the organisation and the whole policy.
    const refused = ff.calls.filter((c) => query(c.url).$expand?.includes('$select='));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(8);
    const lastRefused = ff.calls.lastIndexOf(refused[refused.length - 1]);
    const later = ff.calls.slice(lastRefused + 1).filter((c) => query(c.url).$skiptoken === undefined);
    expect(later.length).toBeGreaterThan(0);
    for (const c of later) expect(query(c.url).$expand).toBe('target($expand=connectedOrganization),assignmentPolicy');
    // The policy's name still reaches every row.
    expect(streamed.every((r) => r.policyName !== '')).toBe(true);
  });

  test('a 400 that was not about the expansion, answered before the first page: the full expansion stays, nothing noted or learnt', async () => {
    // Graph refuses the partition filter, and those refusals come back before the unpartitioned first page does.
    const serve = listServer({ assignments: MIXED, pageSize: 10 });
    let refusedPlain!: () => void;
    const refusedAtLast = new Promise<void>((r) => (refusedPlain = r));
    const route: Route = async (req) => {
      const q = query(req.url);
      if (q.$filter?.includes(' and ')) {
        if (q.$expand === 'target,assignmentPolicy') refusedPlain();
        return { status: 400, json: { error: { code: 'InvalidFilter', message: 'Invalid filter clause' } } };
      }
      if (q.$skiptoken === undefined) await refusedAtLast;
      return serve(req);
    };
    const memo: ExpandMemo = { level: 0, message: '' };
    const { result, streamed, ff } = await load({ assignments: MIXED, pageSize: 10 }, FOUR, { route, expandMemo: memo });
    expect(result.missing).toEqual([]);
    expect(ids(streamed)).toEqual(ids(MIXED));
    expect(result.problems.join(' ')).not.toMatch(/connected organisation/);
    expect(memo.level).toBe(0);
    // Every row came with its organisation expanded and only the policy's id and name.
    const answered = ff.calls.filter((c) => !query(c.url).$filter?.includes(' and '));
    for (const c of answered) expect(query(c.url).$expand).toBe('target($expand=connectedOrganization),assignmentPolicy($select=id,displayName)');
  });

  test('a listing whose load learnt a step down starts there: no 400 is paid again, and the lost column is noted', async () => {
    const memo: ExpandMemo = { level: 0, message: '' };
    await load({ assignments: MIXED, pageSize: 10, refuseNestedExpand: true }, FOUR, { expandMemo: memo });
    expect(memo).toEqual({ level: 2, message: 'Nested $expand is not supported' });
    const { result, streamed, ff } = await load({ assignments: MIXED, pageSize: 10, refuseNestedExpand: true }, FOUR, { expandMemo: memo });
    expect(ids(streamed)).toEqual(ids(MIXED));
    expect(ff.calls.every((c) => query(c.url).$expand === 'target,assignmentPolicy')).toBe(true);
    expect(result.problems.filter((p) => /connected organisation/.test(p))).toHaveLength(1);
  });

  test('a filter the service ignores only causes duplicates, merged by id and counted', async () => {
    const route = listServer({ assignments: MIXED, pageSize: 10 });
    const { result, streamed } = await load({ assignments: MIXED, pageSize: 10 }, FOUR, {
      // Drop the state clause: every state partition of a policy returns the whole policy.
      route: (req) => route({ ...req, url: req.url.replace(/(%20|\+)and(%20|\+)state(%20|\+)eq(%20|\+)(%27|')[a-zA-Z]+(%27|')/, '') }),
    });
    expect(result.total).toBe(MIXED.length);
    expect(ids(streamed)).toEqual(ids(MIXED));
    expect(result.duplicates).toBeGreaterThan(0);
  });
});

describe('fetchAssignments: cancel', () => {
  test('aborting stops the fetch with an AbortError and no request follows', async () => {
    const { clock, ff, graph } = harness(listServer({ assignments: MIXED, pageSize: 10 }));
    const ctl = new AbortController();
    const p = fetchAssignments({ graph, packageId: PKG, policies: FOUR, signal: ctl.signal, onRows: () => undefined });
    p.catch(() => undefined);
    await VirtualClock.idle();
    const sent = ff.calls.length;
    ctl.abort();
    await expect(clock.run(p)).rejects.toMatchObject({ name: 'AbortError' });
    expect(ff.calls.length).toBe(sent);
  });
});

describe('fetchPackage', () => {
  const pkgBody = {
    id: PKG,
    displayName: 'Sales access',
    catalog: { id: 'cat-1', displayName: 'Sales catalog' },
    assignmentPolicies: [
      { id: 'p1', displayName: 'Employees' },
      { id: 'p2', displayName: 'Guests', questions: [{ id: 'q' }] },
    ],
  };

  test('the package, its catalog and its policies in one request', async () => {
    const { clock, ff, graph } = harness(() => ({ status: 200, json: pkgBody }));
    const out = await clock.run(fetchPackage(graph, PKG));
    expect(out.info).toEqual({ id: PKG, displayName: 'Sales access', catalogId: 'cat-1', catalogName: 'Sales catalog' });
    expect(out.policies.map((p) => [p.id, p.displayName, p.hasQuestions])).toEqual([
      ['p1', 'Employees', false],
      ['p2', 'Guests', true],
    ]);
    expect(ff.calls).toHaveLength(1);
    // questions is a relationship of the policy: without the nested expand every policy looks question-free.
    expect(query(ff.calls[0].url).$expand).toBe('assignmentPolicies($expand=questions),catalog');
  });

  test('when the expansion is refused: the package with its catalog, then the filtered policy list', async () => {
    const { clock, ff, graph } = harness((req) => {
      const q = query(req.url);
      if (pathOf(req.url).endsWith(`accessPackages/${PKG}`)) {
        if (q.$expand === 'assignmentPolicies($expand=questions),catalog') return { status: 400, json: { error: { code: 'BadRequest', message: 'no' } } };
        return { status: 200, json: { id: PKG, displayName: 'Sales access', catalog: { id: 'cat-1', displayName: 'C' } } };
      }
      if (pathOf(req.url) === 'identityGovernance/entitlementManagement/assignmentPolicies') {
        expect(q.$filter).toBe(`accessPackage/id eq '${PKG}'`);
        expect(q.$expand).toBe('questions');
        if (!q.$skiptoken) return { status: 200, json: { value: [{ id: 'p1', displayName: 'A' }], '@odata.nextLink': `${req.url}&$skiptoken=2` } };
        return { status: 200, json: { value: [{ id: 'p2', displayName: 'B' }] } };
      }
      return { status: 404, json: {} };
    });
    const out = await clock.run(fetchPackage(graph, PKG));
    expect(out.info.catalogId).toBe('cat-1');
    expect(out.policies.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(ff.calls).toHaveLength(4);
  });

  test('policies that cannot be read do not stop the load: said in plain words', async () => {
    const { clock, graph } = harness((req) =>
      pathOf(req.url).endsWith(`accessPackages/${PKG}`)
        ? { status: 200, json: { id: PKG, displayName: 'X' } }
        : { status: 403, json: { error: { code: 'Forbidden', message: 'not allowed' } } },
    );
    const out = await clock.run(fetchPackage(graph, PKG));
    expect(out.policies).toEqual([]);
    expect(out.problems.join(' ')).toMatch(/policies could not be read.*not allowed/);
  });

  test('a package that does not exist is an error with Graph\'s message', async () => {
    const { clock, graph } = harness(() => ({ status: 404, json: { error: { code: 'ResourceNotFound', message: 'Access package not found' } } }));
    await expect(clock.run(fetchPackage(graph, PKG))).rejects.toMatchObject({ status: 404, message: 'Access package not found' });
  });
});
