// The package's assignment requests through the assignments' partitioned listing (one partition per request
// state, the unpartitioned listing as the guard, the client's retries), against the demo tenant's real HTTPS
// server at the real hostnames: complete, in parallel, through throttling and a partition that fails for good.
import { createGraph, type Graph } from '../../../src/graph/client';
import { listPackageRequests, REQUEST_EXPAND } from '../../../src/graph/details';
import { IDS, startTenant, type Tenant } from '../../tenant';
import { tenantFetch } from '../../support/tenant-fetch';

let t: Tenant;
let graph: Graph;

const requestIds = (): string[] =>
  t.data.requests
    .filter((r) => r.accessPackageId === IDS.mainPackage)
    .map((r) => r.id)
    .sort();
const listings = () => t.log.filter((l) => l.method === 'GET' && l.path.endsWith('/entitlementManagement/assignmentRequests'));

beforeAll(async () => {
  t = await startTenant({ port: 0, seed: 7, size: 300 });
  // Small pages: the listing takes several pages per state, as a big package's does.
  t.configure({ pageSize: 5 });
  const token = t.mintAccessToken({ scopes: ['EntitlementManagement.Read.All'] });
  graph = createGraph({ cloud: 'global', fetchImpl: tenantFetch(t), sleep: () => Promise.resolve(), getToken: async () => token });
});
afterAll(() => t.close());
beforeEach(() => {
  t.configure({ failPages: null, throttle: null, latencyMs: 0 });
  t.resetLog();
});

describe('the package’s requests: partitioned like the assignments', () => {
  it('lists every request once, by state partitions side by side, with the answers’ questions expanded', async () => {
    t.configure({ latencyMs: 5 });
    const { requests, problems } = await listPackageRequests(graph, IDS.mainPackage);
    expect(requests.map((r) => r.id).sort()).toEqual(requestIds());
    expect(problems).toEqual([]);
    const filters = listings().map((l) => l.query.$filter ?? '');
    // One partition per documented request state (the first pages of each), beside the unpartitioned listing.
    expect(filters.filter((f) => /state eq 'delivered'/.test(f)).length).toBeGreaterThan(0);
    expect(filters.filter((f) => /state eq 'denied'/.test(f)).length).toBeGreaterThan(0);
    expect(listings().every((l) => l.query.$expand === REQUEST_EXPAND)).toBe(true);
    expect(t.maxInFlight('graph.microsoft.com')).toBeGreaterThan(1);
    expect(t.maxInFlight('graph.microsoft.com')).toBeLessThanOrEqual(8);
  });

  it('waits out throttling on a partition (Retry-After) and still lists everything, each page once more at most', async () => {
    t.configure({ failPages: { status: 503, count: 2, match: "state eq 'delivered'", retryAfterSec: 1 } });
    const { requests } = await listPackageRequests(graph, IDS.mainPackage);
    expect(requests.map((r) => r.id).sort()).toEqual(requestIds());
    expect(listings().filter((l) => l.status === 503)).toHaveLength(2);
  });

  it('a partition that keeps failing is healed by the unpartitioned listing read to its end', async () => {
    t.configure({ failPages: { status: 500, count: 1000, match: "state eq 'delivered'" } });
    const { requests, problems } = await listPackageRequests(graph, IDS.mainPackage);
    expect(requests.map((r) => r.id).sort()).toEqual(requestIds());
    expect(problems.join(' ')).toMatch(/unpartitioned listing/);
  });

  it('fails as a whole (no partial history) when pages are missing for good', async () => {
    t.configure({ failPages: { status: 500, count: 1000, match: 'assignmentRequests' } });
    await expect(listPackageRequests(graph, IDS.mainPackage)).rejects.toMatchObject({ code: 'IncompleteListing', message: expect.stringMatching(/pages? of the package's requests could not be read/) });
  });

  it('where Graph refuses the answers’ question path (400), lists the requests without it and says so', async () => {
    const token = t.mintAccessToken({ scopes: ['EntitlementManagement.Read.All'] });
    const inner = tenantFetch(t);
    const refusing = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (decodeURIComponent(url).includes('answers/answeredQuestion')) {
        const body = { error: { code: 'BadRequest', message: "Parsing OData Select and Expand failed: 'answers/answeredQuestion'." } };
        return new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } });
      }
      return inner(input, init);
    }) as typeof fetch;
    const g = createGraph({ cloud: 'global', fetchImpl: refusing, sleep: () => Promise.resolve(), getToken: async () => token });
    const { requests, problems } = await listPackageRequests(g, IDS.mainPackage);
    expect(requests.map((r) => r.id).sort()).toEqual(requestIds());
    expect(problems.join(' ')).toMatch(/refused to expand the questions/);
    const answered = requests.flatMap((r) => r.answers);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((a) => a.question === '' && a.answer !== '')).toBe(true);
  });

  it('the demo tenant expands only what the v1.0 schema has on an answer, as Graph refuses the rest', async () => {
    const base = `identityGovernance/entitlementManagement/assignmentRequests?$filter=${encodeURIComponent(`accessPackage/id eq '${IDS.mainPackage}'`)}`;
    await expect(graph.get(`${base}&$expand=answers/question`)).rejects.toMatchObject({ status: 400 });
    await expect(graph.get(`${base}&$expand=answer/answeredQuestion`)).rejects.toMatchObject({ status: 400 });
    const page = await graph.get<{ value: Array<{ answers: Array<{ answeredQuestion?: { text?: string } }> }> }>(`${base}&$expand=answers/answeredQuestion`);
    const answered = page.value.flatMap((r) => r.answers);
    expect(answered.every((a) => a.answeredQuestion !== undefined)).toBe(true);
    const plain = await graph.get<{ value: Array<{ answers: Array<Record<string, unknown>> }> }>(base);
    expect(plain.value.flatMap((r) => r.answers).some((a) => 'answeredQuestion' in a)).toBe(false);
  });
});
