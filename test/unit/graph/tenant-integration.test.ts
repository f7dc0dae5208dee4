// The Graph layer against the demo tenant (a local HTTPS server at the real hostnames): the same code the
// worker runs, with only fetch routed through a client that trusts the tenant's certificate.
import { createRateLimiter } from '../../../src/core/ratelimit';
import { fetchAssignments, fetchAssignmentsSequential, fetchPackage } from '../../../src/graph/assignments';
import { createGraph, type Graph } from '../../../src/graph/client';
import { submitRemovals } from '../../../src/graph/requests';
import { fetchMyRoles } from '../../../src/graph/roles';
import { enrichUsers } from '../../../src/graph/users';
import type { Row, SignInAvailability, UserInfo } from '../../../src/core/model';
import { expectedAssignments, IDS, startTenant, type Tenant } from '../../tenant';
import { tenantFetch } from '../../support/tenant-fetch';

let t: Tenant;

function graphFor(tenant: Tenant): { graph: Graph; tokens: { renewed: number }; sent: string[] } {
  const tokens = { renewed: 0 };
  const sent: string[] = [];
  let token = tenant.mintAccessToken();
  const graph = createGraph({
    cloud: 'global',
    fetchImpl: tenantFetch(tenant, (url) => sent.push(url)),
    // Short real waits keep the test quick; the policy itself is what is under test.
    sleep: (ms, signal) => new Promise((r, j) => {
      const timer = setTimeout(r, Math.min(ms, 20));
      signal?.addEventListener('abort', () => (clearTimeout(timer), j(signal.reason)), { once: true });
    }),
    getToken: async ({ forceRefresh }) => {
      if (forceRefresh) {
        tokens.renewed++;
        token = tenant.mintAccessToken();
      }
      return token;
    },
  });
  return { graph, tokens, sent };
}

async function loadAll(graph: Graph) {
  const pkg = await fetchPackage(graph, IDS.mainPackage);
  const rows: Row[] = [];
  const result = await fetchAssignments({ graph, packageId: IDS.mainPackage, policies: pkg.policies, onRows: (r) => rows.push(...r) });
  return { pkg, rows, result };
}

const distinctIds = (xs: Array<{ id: string }>) => [...new Set(xs.map((x) => x.id))].sort();

beforeAll(async () => {
  t = await startTenant({ size: 700, seed: 5, pageSize: 25 });
});
afterAll(() => t.close());
beforeEach(() => {
  t.configure({ throttle: null, failPages: null, resetNext: 0, malformedNext: 0, faultMatch: null, expireSkipTokens: 0, expireTokensAfter: null, nextLinkHost: null, latencyMs: 0, pageSize: 25 });
  t.resetLog();
});

describe('against the demo tenant', () => {
  test('the package, its policies and every assignment, at most 8 requests in flight', async () => {
    const { graph } = graphFor(t);
    const { pkg, rows, result } = await loadAll(graph);
    expect(pkg.info.id).toBe(IDS.mainPackage);
    expect(pkg.policies.length).toBeGreaterThan(1);
    expect(result.missing).toEqual([]);
    expect(distinctIds(rows)).toEqual(distinctIds(expectedAssignments(t.data, IDS.mainPackage)));
    expect(result.total).toBe(rows.length);
    expect(t.maxInFlight()).toBeLessThanOrEqual(8);
  });

  test('the sequential PageIterator baseline lists the same assignments', async () => {
    const { graph } = graphFor(t);
    const rows: Row[] = [];
    const result = await fetchAssignmentsSequential({ graph, packageId: IDS.mainPackage, onRows: (r) => rows.push(...r) });
    expect(result.missing).toEqual([]);
    expect(distinctIds(rows)).toEqual(distinctIds(expectedAssignments(t.data, IDS.mainPackage)));
    expect(t.maxInFlight()).toBe(1);
  });

  test('injected 503s, broken connections, malformed bodies and an expired token: still complete', async () => {
    t.configure({ failPages: { status: 503, count: 4, match: 'assignments' }, resetNext: 2, malformedNext: 2, faultMatch: 'assignments', expireTokensAfter: 15 });
    const { graph, tokens } = graphFor(t);
    const { rows, result } = await loadAll(graph);
    expect(result.missing).toEqual([]);
    expect(distinctIds(rows)).toEqual(distinctIds(expectedAssignments(t.data, IDS.mainPackage)));
    expect(t.stats.injectedFailures).toBe(4);
    expect(t.stats.resets).toBe(2);
    expect(t.stats.malformed).toBe(2);
    expect(tokens.renewed).toBeGreaterThanOrEqual(1);
  });

  test('a $skiptoken that expired while its chain waited: that chain is read again from its first page, every row once', async () => {
    t.configure({ expireSkipTokens: 3 });
    const { graph } = graphFor(t);
    const { rows, result } = await loadAll(graph);
    expect(t.config.expireSkipTokens).toBe(0); // all three were refused
    expect(result.missing).toEqual([]);
    expect(rows.map((r) => r.id).sort()).toEqual(distinctIds(expectedAssignments(t.data, IDS.mainPackage)));
  });

  test('a chain whose next links keep being refused is read again once, then reported missing', async () => {
    t.configure({ expireSkipTokens: 100_000 });
    const { graph } = graphFor(t);
    const { result } = await loadAll(graph);
    expect(result.missing.length).toBeGreaterThan(0);
    for (const m of result.missing) expect(m.error).toMatch(/skiptoken is invalid or has expired/);
  });

  test('a page that keeps failing is reported by partition and URL, never skipped silently', async () => {
    t.configure({ failPages: { status: 500, count: 1000, match: '$skiptoken' } });
    const { graph } = graphFor(t);
    const { result } = await loadAll(graph);
    expect(result.missing.length).toBeGreaterThan(0);
    for (const m of result.missing) {
      expect(m.page).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/identityGovernance\/entitlementManagement\/assignments\?/);
      expect(m.partition).not.toBe('');
      expect(m.error).not.toBe('');
    }
  });

  test('next links to another host are refused: nothing is sent there', async () => {
    t.configure({ nextLinkHost: 'evil.example' });
    const { graph, sent } = graphFor(t);
    const { result } = await loadAll(graph);
    expect(result.missing.length).toBeGreaterThan(0);
    expect(result.missing.every((m) => m.page.startsWith('https://evil.example/'))).toBe(true);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((u) => u.startsWith('https://graph.microsoft.com/v1.0/'))).toBe(true);
  });

  test('user enrichment: account data, deleted users, sign-in data inside the (scaled) budget', async () => {
    t.configure({ signInRate: { requests: 10, windowMs: 1500 } });
    const { graph } = graphFor(t);
    const { rows } = await loadAll(graph);
    const ids = [...new Set(rows.filter((r) => r.objectId && r.subjectType === 'user').map((r) => r.objectId as string))];
    const users = new Map<string, UserInfo>();
    const availability: SignInAvailability[] = [];
    const limiter = createRateLimiter({ requests: 10, windowMs: 1500 });
    const result = await enrichUsers({ graph, ids, signInLimiter: limiter, onUsers: (us) => us.forEach((u) => users.set(u.id, u)), onAvailability: (a) => availability.push(a) });
    expect(t.stats.signInThrottled).toBe(0);
    expect(result.unresolved).toEqual([]);
    expect(availability[availability.length - 1]).toEqual({ available: true });
    for (const id of ids) {
      const u = users.get(id)!;
      expect(u).toBeDefined();
      expect(u.deleted).toBe(!t.data.users.has(id));
    }
  }, 30_000);

  test('without the licence: account data arrives and the reason names P1/P2', async () => {
    t.configure({ signInLicensed: false });
    try {
      const { graph } = graphFor(t);
      const ids = [...t.data.users.keys()].slice(0, 40);
      const users = new Map<string, UserInfo>();
      const availability: SignInAvailability[] = [];
      await enrichUsers({ graph, ids, signInLimiter: createRateLimiter({ requests: 10, windowMs: 1500 }), onUsers: (us) => us.forEach((u) => users.set(u.id, u)), onAvailability: (a) => availability.push(a) });
      expect(availability).toEqual([{ available: false, reason: expect.stringMatching(/P1 or P2/) }]);
      for (const id of ids) expect(users.get(id)?.accountEnabled).not.toBeNull();
    } finally {
      t.configure({ signInLicensed: true });
    }
  });

  test('a hostile directory (unknown states, repeated ids, missing targets): every assignment listed', async () => {
    const hostile = await startTenant({ size: 400, seed: 3, pageSize: 30, hostile: true });
    try {
      const { graph } = graphFor(hostile);
      const { rows, result } = await loadAll(graph);
      expect(result.missing).toEqual([]);
      expect(distinctIds(rows)).toEqual(distinctIds(expectedAssignments(hostile.data, IDS.mainPackage)));
    } finally {
      await hostile.close();
    }
  });

  test('roles and removals: explicit role found, each removal done or failed with the tenant\'s own message', async () => {
    const { graph } = graphFor(t);
    const pkg = await fetchPackage(graph, IDS.mainPackage);
    const roles = await fetchMyRoles(graph, t.data.adminId, pkg.info.catalogId);
    expect(roles.canWrite).toBe(true);
    const victims = expectedAssignments(t.data, IDS.mainPackage).slice(-3).map((a) => a.id);
    t.configure({ rejectAssignmentIds: [victims[1]] });
    const out = await submitRemovals({ graph, assignmentIds: victims, onResult: () => undefined });
    expect(out.find((r) => r.key === victims[0])?.result).toBe('done');
    expect(out.find((r) => r.key === victims[1])).toMatchObject({ result: 'failed', message: t.config.rejectError.message });
    t.configure({ rejectAssignmentIds: [] });
  });
});
