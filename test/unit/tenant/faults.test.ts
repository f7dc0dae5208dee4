import { IDS, startTenant, type Tenant } from '../../tenant';
import { EM, get, GRAPH, listAll } from './helpers';

let t: Tenant;
let token: string;
const page = `${EM}/assignments?$filter=accessPackage/id eq '${IDS.mainPackage}'`;

beforeAll(async () => {
  t = await startTenant({ size: 30, seed: 8, pageSize: 10 });
  token = t.mintAccessToken();
});
afterAll(() => t.close());
beforeEach(() => {
  t.configure({ throttle: null, failPages: null, resetNext: 0, malformedNext: 0, faultMatch: null, expireTokensAfter: null, latencyMs: 0 });
  t.resetLog();
});

describe('throttling', () => {
  it('answers 429 until the given time, with the Retry-After asked for (or none)', async () => {
    t.configure({ throttle: { untilMs: Date.now() + 60_000, retryAfterSec: 7 } });
    const res = await get(t, token, `${GRAPH}/me`);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.json<{ error: { code: string } }>().error.code).toBe('TooManyRequests');
    t.configure({ throttle: { untilMs: Date.now() + 60_000, retryAfterSec: null } });
    const bare = await get(t, token, `${GRAPH}/me`);
    expect(bare.status).toBe(429);
    expect(bare.headers['retry-after']).toBeUndefined();
    t.configure({ throttle: { untilMs: Date.now() - 1 } });
    expect((await get(t, token, `${GRAPH}/me`)).status).toBe(200);
    expect(t.stats.throttled).toBe(2);
  });

  it('throttles every Nth request', async () => {
    t.configure({ throttle: { everyNth: 3 } });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(t, token, `${GRAPH}/me`)).status);
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  });
});

describe('failing pages', () => {
  it('fails the next N matching requests with the status asked for, then recovers', async () => {
    t.configure({ failPages: { status: 503, count: 2, match: 'skiptoken' } });
    const first = await get(t, token, page);
    expect(first.status).toBe(200);
    const next = first.json<{ '@odata.nextLink': string }>()['@odata.nextLink'];
    expect((await get(t, token, next)).status).toBe(503);
    expect((await get(t, token, next)).status).toBe(503);
    expect((await get(t, token, next)).status).toBe(200);
    expect(t.stats.injectedFailures).toBe(2);
  });

  it('fails a seeded share of requests in probability mode', async () => {
    t.configure({ failPages: { status: 500, probability: 0.5, seed: 4 } });
    const run = async () => {
      const s = [];
      for (let i = 0; i < 20; i++) s.push((await get(t, token, `${GRAPH}/me`)).status);
      return s;
    };
    const a = await run();
    t.configure({ failPages: { status: 500, probability: 0.5, seed: 4 } });
    const b = await run();
    expect(a).toEqual(b);
    expect(a.filter((s) => s === 500).length).toBeGreaterThan(3);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(3);
  });
});

describe('broken responses', () => {
  it('drops the connection in the middle of the body', async () => {
    t.configure({ resetNext: 1 });
    await expect(get(t, token, page)).rejects.toThrow();
    expect((await get(t, token, page)).status).toBe(200);
    expect(t.stats.resets).toBe(1);
    expect(t.log.find((e) => e.fault === 'reset')).toBeDefined();
  });

  it('answers 200 with a body that is not JSON, only on matching URLs', async () => {
    t.configure({ malformedNext: 1, faultMatch: 'assignments' });
    expect((await get(t, token, `${GRAPH}/me`)).json<{ id: string }>().id).toBe(t.data.adminId);
    const res = await get(t, token, page);
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.body)).toThrow();
    expect(t.config.malformedNext).toBe(0);
  });
});

describe('token expiry mid-paging', () => {
  it('expires every issued token after N more requests; a fresh token works', async () => {
    const old = t.mintAccessToken();
    t.configure({ expireTokensAfter: 2 });
    expect((await get(t, old, page)).status).toBe(200);
    expect((await get(t, old, page)).status).toBe(200);
    const res = await get(t, old, page);
    expect(res.status).toBe(401);
    expect(res.json<{ error: { message: string } }>().error.message).toBe('Lifetime validation failed, the token is expired.');
    expect((await get(t, token, page)).status).toBe(401);
    const fresh = t.mintAccessToken();
    expect((await listAll(t, fresh, page)).rows).toHaveLength(30);
    token = fresh;
  });
});

describe('latency and concurrency', () => {
  it('delays Graph answers and reports the most requests in flight per host', async () => {
    t.configure({ latencyMs: 100 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 4 }, () => get(t, token, `${GRAPH}/me`)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(t.maxInFlight('graph.microsoft.com')).toBe(4);
    expect(t.maxInFlight('login.microsoftonline.com')).toBe(0);
    await get(t, token, `${GRAPH}/me`);
    expect(t.maxInFlight('graph.microsoft.com')).toBe(4);
    t.resetLog();
    expect(t.maxInFlight('graph.microsoft.com')).toBe(0);
  });
});
