import { createGraph, GraphError, type RetryEvent } from '../../../src/graph/client';
import { fakeFetch, GRAPH, VirtualClock, type FakeAnswer, type FakeRequest } from './fakes';

function setup(route: (req: FakeRequest, n: number) => FakeAnswer, rng = () => 0.5) {
  const clock = new VirtualClock();
  let n = 0;
  const ff = fakeFetch((req) => route(req, ++n));
  const tokens: Array<{ forceRefresh: boolean }> = [];
  const retries: RetryEvent[] = [];
  let tokenNo = 0;
  const graph = createGraph({
    cloud: 'global',
    getToken: async (o) => {
      tokens.push(o);
      if (o.forceRefresh) tokenNo++;
      return `token-${tokenNo}`;
    },
    fetchImpl: ff.fetch,
    sleep: clock.sleep,
    now: clock.now,
    rng,
    onRetry: (e) => retries.push(e),
  });
  return { graph, clock, ff, tokens, retries };
}

const ok = (json: unknown): FakeAnswer => ({ status: 200, json });
const graphErr = (status: number, code: string, message: string, headers?: Record<string, string>): FakeAnswer => ({
  status,
  json: { error: { code, message, innerError: { 'request-id': 'rid-1' } } },
  headers,
});

describe('createGraph: requests', () => {
  test('a relative path goes to the cloud root under /v1.0/ with the bearer token', async () => {
    const { graph, ff } = setup(() => ok({ value: [1] }));
    await expect(graph.get('/users?$top=1')).resolves.toEqual({ value: [1] });
    expect(ff.calls).toHaveLength(1);
    expect(ff.calls[0].url).toBe(`${GRAPH}users?$top=1`);
    expect(ff.calls[0].headers.authorization).toBe('Bearer token-0');
  });

  test("Graph's answers bypass the browser's HTTP cache: reads, writes and batches ask for no-store", async () => {
    const { graph, ff } = setup(() => ok({ value: [], responses: [] }));
    await graph.get('/users?$top=1');
    await graph.post('/identityGovernance/entitlementManagement/assignmentRequests', { requestType: 'adminRemove' });
    await graph.batch([{ id: '1', method: 'GET', url: '/users/x' }]);
    expect(ff.calls.map((c) => c.cache)).toEqual(['no-store', 'no-store', 'no-store']);
  });

  test('each cloud talks to its own Graph host', async () => {
    const ff = fakeFetch(() => ok({}));
    const graph = createGraph({ cloud: 'usgov', getToken: async () => 't', fetchImpl: ff.fetch });
    await graph.get('me');
    expect(ff.calls[0].url).toBe('https://graph.microsoft.us/v1.0/me');
  });

  test('an absolute next link is sent exactly as Graph returned it', async () => {
    const link = `${GRAPH}identityGovernance/entitlementManagement/assignments?$skiptoken=a%2Bb&$filter=accessPackage%2fid+eq+'x'&$expand=target`;
    const { graph, ff } = setup(() => ok({ value: [] }));
    await graph.get(link);
    expect(ff.calls[0].url).toBe(link);
  });

  test('a URL on another host is refused before any token is asked for or anything is sent', async () => {
    const { graph, ff, tokens } = setup(() => ok({}));
    for (const url of [
      'https://evil.example/v1.0/users',
      'https://graph.microsoft.com.evil.example/v1.0/users',
      'https://graph.microsoft.com@evil.example/v1.0/users',
      'http://graph.microsoft.com/v1.0/users',
      'https://graph.microsoft.com/beta/users',
    ]) {
      const e = await graph.get(url).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(GraphError);
      expect((e as GraphError).code).toBe('RefusedUrl');
    }
    expect(ff.calls).toHaveLength(0);
    expect(tokens).toHaveLength(0);
  });

  test("Graph's error code and message surface verbatim with status and URL", async () => {
    const { graph } = setup(() => graphErr(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'));
    const e = (await graph.get('users').catch((x: unknown) => x)) as GraphError;
    expect(e).toBeInstanceOf(GraphError);
    expect(e.status).toBe(403);
    expect(e.code).toBe('Authorization_RequestDenied');
    expect(e.message).toBe('Insufficient privileges to complete the operation.');
    expect(e.url).toBe(`${GRAPH}users`);
    expect(e.requestId).toBe('rid-1');
  });

  test('a non-JSON error page still gives a status and a message', async () => {
    const { graph } = setup(() => ({ status: 502, text: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } }));
    const e = (await graph.get('users').catch((x: unknown) => x)) as GraphError;
    expect(e.status).toBe(502);
    expect(e.code).toBe('HTTP502');
    expect(e.message).toMatch(/502/);
  });

  test('getText returns a plain-text body (/users/$count)', async () => {
    const { graph, ff } = setup(() => ({ status: 200, text: '1234', headers: { 'content-type': 'text/plain' } }));
    await expect(graph.getText('users/$count', { headers: { ConsistencyLevel: 'eventual' } })).resolves.toBe('1234');
    expect(ff.calls[0].headers.consistencylevel).toBe('eventual');
  });

  test('post sends JSON and returns the created object', async () => {
    const { graph, ff } = setup(() => ({ status: 201, json: { id: 'req-1', state: 'submitted' } }));
    await expect(graph.post('x/y', { a: 1 })).resolves.toEqual({ id: 'req-1', state: 'submitted' });
    expect(ff.calls[0].method).toBe('POST');
    expect(ff.calls[0].body).toEqual({ a: 1 });
    expect(ff.calls[0].headers['content-type']).toMatch(/application\/json/);
  });
});

describe('createGraph: the one retry policy', () => {
  test('429 waits the Retry-After seconds, then resends the same URL', async () => {
    const { graph, ff, clock, retries } = setup((_r, n) => (n === 1 ? graphErr(429, 'TooManyRequests', 'slow down', { 'Retry-After': '7' }) : ok({ v: 1 })));
    await expect(clock.run(graph.get('users'))).resolves.toEqual({ v: 1 });
    expect(ff.calls.map((c) => c.url)).toEqual([`${GRAPH}users`, `${GRAPH}users`]);
    expect(clock.t).toBeGreaterThanOrEqual(7000);
    expect(clock.t).toBeLessThanOrEqual(8000);
    expect(retries).toEqual([expect.objectContaining({ status: 429, attempt: 1, url: `${GRAPH}users` })]);
  });

  test('503 without Retry-After backs off (full jitter under the exponential ceiling)', async () => {
    const { graph, clock, retries } = setup((_r, n) => (n <= 2 ? { status: 503, text: '' } : ok({})), () => 0.999);
    await clock.run(graph.get('users'));
    expect(retries.map((r) => r.delayMs)).toEqual([Math.floor(0.999 * 500), Math.floor(0.999 * 1000)]);
  });

  test('a throttling storm of six 429s is survived', async () => {
    const { graph, ff, clock } = setup((_r, n) => (n <= 6 ? graphErr(429, 'TooManyRequests', 'x', { 'Retry-After': '2' }) : ok({ done: true })));
    await expect(clock.run(graph.get('users'))).resolves.toEqual({ done: true });
    expect(ff.calls).toHaveLength(7);
  });

  test('an endless 429 ends, bounded, with Graph\'s own error', async () => {
    const { graph, ff, clock } = setup(() => graphErr(429, 'TooManyRequests', 'Too many requests', { 'Retry-After': '1' }));
    const e = (await clock.run(graph.get('users')).catch((x: unknown) => x)) as GraphError;
    expect(e.status).toBe(429);
    expect(e.message).toBe('Too many requests');
    expect(ff.calls).toHaveLength(7);
  });

  test('404, 400 and 500 are answers, not retried', async () => {
    for (const status of [400, 404, 500]) {
      const { graph, ff } = setup(() => graphErr(status, 'X', 'no'));
      await expect(graph.get('users')).rejects.toMatchObject({ status });
      expect(ff.calls).toHaveLength(1);
    }
  });

  test('401 renews the token once and resends the same page', async () => {
    const link = `${GRAPH}identityGovernance/entitlementManagement/assignments?$skiptoken=page3`;
    const { graph, ff, tokens, clock } = setup((req) =>
      req.headers.authorization === 'Bearer token-0' ? graphErr(401, 'InvalidAuthenticationToken', 'expired') : ok({ value: ['p3'] }),
    );
    await expect(clock.run(graph.get(link))).resolves.toEqual({ value: ['p3'] });
    expect(ff.calls.map((c) => c.url)).toEqual([link, link]);
    expect(tokens).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
    expect(ff.calls[1].headers.authorization).toBe('Bearer token-1');
  });

  test('a second 401 on the same page is not renewed again: it surfaces', async () => {
    const { graph, ff, tokens, clock } = setup(() => graphErr(401, 'InvalidAuthenticationToken', 'Access token has expired.'));
    await expect(clock.run(graph.get('users'))).rejects.toMatchObject({ status: 401, message: 'Access token has expired.' });
    expect(ff.calls).toHaveLength(2);
    expect(tokens.filter((t) => t.forceRefresh)).toHaveLength(1);
  });

  test('network errors are retried a bounded number of times, then name the page', async () => {
    const link = `${GRAPH}identityGovernance/entitlementManagement/assignments?$skiptoken=p9`;
    const { graph, ff, clock } = setup(() => 'network-error');
    const e = (await clock.run(graph.get(link)).catch((x: unknown) => x)) as GraphError;
    expect(e).toBeInstanceOf(GraphError);
    expect(e.code).toBe('NetworkError');
    expect(e.url).toBe(link);
    expect(e.message).toContain(link);
    expect(ff.calls).toHaveLength(5);
  });

  test('an answer that breaks off mid-body, or JSON cut short, is retried like a network error', async () => {
    const cutShort: FakeAnswer = { status: 200, text: '{"value":[{"id":"a"}', headers: { 'content-type': 'application/json' } };
    for (const bad of ['broken-body', cutShort] as FakeAnswer[]) {
      const { graph, ff, clock } = setup((_r, n) => (n === 1 ? bad : ok({ value: [{ id: 'a' }] })));
      await expect(clock.run(graph.get('users'))).resolves.toEqual({ value: [{ id: 'a' }] });
      expect(ff.calls).toHaveLength(2);
    }
  });

  test('a POST is not resent after a network error, a broken answer or a 504 (it may have been processed)', async () => {
    for (const answer of ['network-error', 'broken-body', { status: 504, text: '' }] as FakeAnswer[]) {
      const { graph, ff, clock } = setup(() => answer);
      await expect(clock.run(graph.post('identityGovernance/entitlementManagement/assignmentRequests', {}))).rejects.toBeInstanceOf(GraphError);
      expect(ff.calls).toHaveLength(1);
    }
  });

  test('a POST answered 429 or 503 (not processed) is resent after Retry-After', async () => {
    const { graph, ff, clock } = setup((_r, n) => (n === 1 ? graphErr(503, 'ServiceUnavailable', 'x', { 'Retry-After': '3' }) : { status: 201, json: { id: 'r' } }));
    await expect(clock.run(graph.post('a', {}))).resolves.toEqual({ id: 'r' });
    expect(ff.calls).toHaveLength(2);
  });

  test('cancelling during a Retry-After wait stops at once and sends nothing more', async () => {
    const { graph, ff, clock } = setup(() => graphErr(429, 'TooManyRequests', 'x', { 'Retry-After': '60' }));
    const ctl = new AbortController();
    const p = graph.get('users', { signal: ctl.signal });
    await VirtualClock.idle();
    expect(clock.pendingTimers).toBe(1);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(ff.calls).toHaveLength(1);
  });

  test('a token that cannot be had surfaces as TokenUnavailable, not retried', async () => {
    const ff = fakeFetch(() => ok({}));
    const graph = createGraph({
      cloud: 'global',
      getToken: async () => {
        throw new Error('interaction_required');
      },
      fetchImpl: ff.fetch,
    });
    await expect(graph.get('users')).rejects.toMatchObject({ code: 'TokenUnavailable', message: 'interaction_required' });
    expect(ff.calls).toHaveLength(0);
  });
});

describe('createGraph: $batch', () => {
  test('sends one POST to /$batch and returns sub-responses in request order, missing ones marked', async () => {
    const { graph, ff } = setup(() =>
      ok({
        responses: [
          { id: 'b', status: 429, headers: { 'Retry-After': '5' }, body: { error: { code: 'TooManyRequests', message: 'x' } } },
          { id: 'a', status: 200, body: { value: [{ id: 'u1' }] } },
        ],
      }),
    );
    const out = await graph.batch([
      { id: 'a', method: 'GET', url: '/users?$filter=x' },
      { id: 'b', method: 'GET', url: '/users?$filter=y' },
      { id: 'c', method: 'GET', url: '/users?$filter=z' },
    ]);
    expect(ff.calls).toHaveLength(1);
    expect(ff.calls[0].url).toBe(`${GRAPH}$batch`);
    expect(ff.calls[0].body).toEqual({
      requests: [
        { id: 'a', method: 'GET', url: '/users?$filter=x' },
        { id: 'b', method: 'GET', url: '/users?$filter=y' },
        { id: 'c', method: 'GET', url: '/users?$filter=z' },
      ],
    });
    expect(out.map((r) => [r.id, r.status])).toEqual([
      ['a', 200],
      ['b', 429],
      ['c', 0],
    ]);
    expect(out[1].headers['retry-after']).toBe('5');
  });

  test('refuses more than 20 requests', async () => {
    const { graph } = setup(() => ok({ responses: [] }));
    const reqs = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET' as const, url: '/me' }));
    await expect(graph.batch(reqs)).rejects.toThrow(/20/);
  });
});
