import { createRateLimiter } from '../../../src/core/ratelimit';
import { createGraph } from '../../../src/graph/client';
import { fetchDeliveryStatus, searchUsers, submitAdds, submitRemovals, type WriteOutcome } from '../../../src/graph/requests';
import { fakeFetch, GRAPH, guid, pathOf, query, VirtualClock, type FakeAnswer, type FakeRequest } from './fakes';

const PKG = 'aaaaaaaa-0000-4000-8000-000000000001';
const REQUESTS = 'identityGovernance/entitlementManagement/assignmentRequests';

function harness(route: (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>, latency = 100) {
  const clock = new VirtualClock();
  const ff = fakeFetch(route, clock, latency);
  const graph = createGraph({ cloud: 'global', getToken: async () => 't', fetchImpl: ff.fetch, sleep: clock.sleep, now: clock.now, rng: () => 0.5 });
  return { clock, ff, graph };
}

const created = (req: FakeRequest): FakeAnswer => ({
  status: 201,
  json: { id: `req-for-${JSON.stringify((req.body as { assignment: unknown }).assignment)}`, requestType: (req.body as { requestType: string }).requestType, state: 'submitted', status: 'Accepted' },
});

describe('submitRemovals', () => {
  test('one adminRemove per assignment, duplicates sent once, ≤ 4 in flight, each with its result', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => guid(i + 1, 'a'));
    const { clock, ff, graph } = harness(created);
    const results: WriteOutcome[] = [];
    const out = await clock.run(submitRemovals({ graph, assignmentIds: [...ids, ids[0], ids[3]], onResult: (r) => results.push(r) }));
    expect(ff.calls).toHaveLength(10);
    expect(ff.maxInFlight).toBeLessThanOrEqual(4);
    for (const c of ff.calls) {
      expect(c.method).toBe('POST');
      expect(c.url).toBe(`${GRAPH}${REQUESTS}`);
      expect(c.body).toEqual({ requestType: 'adminRemove', assignment: { id: expect.any(String) } });
    }
    expect(ff.calls.map((c) => (c.body as { assignment: { id: string } }).assignment.id).sort()).toEqual([...ids].sort());
    expect(results).toEqual(out);
    expect(out).toHaveLength(10);
    for (const r of out) expect(r).toMatchObject({ result: 'done', state: 'submitted', status: 'Accepted', requestId: expect.stringContaining(r.key) });
  });

  test("Graph's refusal is that item's failure, with Graph's code and message; the others go on", async () => {
    const bad = guid(2, 'a');
    const { clock, graph } = harness((req) =>
      (req.body as { assignment: { id: string } }).assignment.id === bad
        ? { status: 400, json: { error: { code: 'AccessPackageAssignmentNotFound', message: 'The assignment does not exist.' } } }
        : created(req),
    );
    const out = await clock.run(submitRemovals({ graph, assignmentIds: [guid(1, 'a'), bad, guid(3, 'a')], onResult: () => undefined }));
    expect(out.find((r) => r.key === bad)).toEqual({
      key: bad,
      result: 'failed',
      status: 400,
      code: 'AccessPackageAssignmentNotFound',
      message: 'The assignment does not exist.',
    });
    expect(out.filter((r) => r.result === 'done')).toHaveLength(2);
  });

  test('a 403 says which role is needed', async () => {
    const { clock, graph } = harness(() => ({ status: 403, json: { error: { code: 'Forbidden', message: 'Access denied' } } }));
    const [r] = await clock.run(submitRemovals({ graph, assignmentIds: [guid(1, 'a')], onResult: () => undefined }));
    expect(r).toMatchObject({ result: 'failed', status: 403, code: 'Forbidden', message: 'Access denied' });
    expect(r.result === 'failed' && r.explanation).toMatch(/Access package assignment manager/);
  });

  test('429 with Retry-After is waited out and resent once answered; nothing is sent twice otherwise', async () => {
    let n = 0;
    const { clock, ff, graph } = harness((req) => (++n === 1 ? { status: 429, headers: { 'Retry-After': '5' }, json: { error: { code: 'TooManyRequests', message: 'x' } } } : created(req)));
    const out = await clock.run(submitRemovals({ graph, assignmentIds: [guid(1, 'a')], onResult: () => undefined }));
    expect(out[0].result).toBe('done');
    expect(ff.calls).toHaveLength(2);
    expect(clock.now()).toBeGreaterThanOrEqual(5000);
  });

  test('no answer (network): pending, sent once, never resent blindly', async () => {
    const { clock, ff, graph } = harness(() => 'network-error');
    const [r] = await clock.run(submitRemovals({ graph, assignmentIds: [guid(1, 'a')], onResult: () => undefined }));
    expect(r.result).toBe('pending');
    expect(r.result === 'pending' && r.message).toMatch(/delivery status/);
    expect(ff.calls).toHaveLength(1);
  });

  test('cancelled: items open become pending, items not yet sent are failed as not sent', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => guid(i + 1, 'a'));
    const { clock, ff, graph } = harness(created, 1000);
    const ctl = new AbortController();
    const p = submitRemovals({ graph, assignmentIds: ids, signal: ctl.signal, onResult: () => undefined });
    await VirtualClock.idle();
    expect(ff.inFlight).toBe(4);
    ctl.abort();
    const out = await clock.run(p);
    expect(out).toHaveLength(8);
    expect(out.filter((r) => r.result === 'pending')).toHaveLength(4);
    expect(out.filter((r) => r.result === 'failed' && r.code === 'NotSent')).toHaveLength(4);
    expect(ff.calls).toHaveLength(4);
  });

  test('invalid keys are never sent', async () => {
    const { clock, ff, graph } = harness(created);
    const out = await clock.run(submitRemovals({ graph, assignmentIds: ['unidentified:3', guid(1, 'a')], onResult: () => undefined }));
    expect(out.find((r) => r.key === 'unidentified:3')).toMatchObject({ result: 'failed', code: 'InvalidId' });
    expect(ff.calls).toHaveLength(1);
  });

  test('writes are paced by the limiter', async () => {
    const { clock, ff, graph } = harness(created, 10);
    const limiter = createRateLimiter({ requests: 2, windowMs: 1000, now: clock.now, sleep: clock.sleep });
    const sentAt: number[] = [];
    await clock.run(
      submitRemovals({ graph, assignmentIds: Array.from({ length: 6 }, (_, i) => guid(i + 1, 'a')), limiter, onSending: () => sentAt.push(clock.now()), onResult: () => undefined }),
    );
    expect(ff.calls).toHaveLength(6);
    // 2 per second, each counted from its answer (10 ms later).
    expect(sentAt).toEqual([0, 0, 1010, 1010, 2020, 2020]);
  });
});

describe('submitAdds', () => {
  test('adminAdd with target, policy and package; a schedule only when dates are given', async () => {
    const { clock, ff, graph } = harness(created);
    const users = [guid(1, 'c'), guid(2, 'c')];
    await clock.run(submitAdds({ graph, packageId: PKG, policyId: 'pol-1', userIds: users, onResult: () => undefined }));
    expect(ff.calls.map((c) => c.body)).toEqual(
      users.map((targetId) => ({ requestType: 'adminAdd', assignment: { targetId, assignmentPolicyId: 'pol-1', accessPackageId: PKG } })),
    );
    const h2 = harness(created);
    await h2.clock.run(
      submitAdds({ graph: h2.graph, packageId: PKG, policyId: 'pol-1', userIds: [users[0]], start: '2025-03-01T00:00:00Z', end: '2025-06-01T00:00:00+02:00', onResult: () => undefined }),
    );
    expect(h2.ff.calls[0].body).toMatchObject({
      schedule: { startDateTime: '2025-03-01T00:00:00Z', expiration: { type: 'afterDateTime', endDateTime: '2025-05-31T22:00:00Z' } },
    });
  });
});

describe('fetchDeliveryStatus', () => {
  test('the newest request per assignment, following pages; unrelated requests ignored', async () => {
    const a1 = guid(1, 'a');
    const a2 = guid(2, 'a');
    const { clock, ff, graph } = harness((req) => {
      expect(pathOf(req.url)).toBe(REQUESTS);
      expect(query(req.url).$filter).toBe(`accessPackage/id eq '${PKG}'`);
      expect(query(req.url).$expand).toBe('assignment');
      if (!query(req.url).$skiptoken) {
        return {
          status: 200,
          json: {
            value: [
              { id: 'r1', requestType: 'adminAdd', state: 'delivered', status: 'Delivered', createdDateTime: '2024-01-01T00:00:00Z', completedDateTime: '2024-01-01T00:05:00Z', assignment: { id: a1 } },
              { id: 'rx', requestType: 'userAdd', state: 'delivered', status: 'Delivered', createdDateTime: '2024-05-01T00:00:00Z', assignment: { id: guid(9, 'a') } },
            ],
            '@odata.nextLink': `${req.url}&$skiptoken=2`,
          },
        };
      }
      return {
        status: 200,
        json: {
          value: [
            { id: 'r2', requestType: 'adminRemove', requestState: 'deliveryFailed', requestStatus: 'DeliveryFailed', createdDateTime: '2024-02-01T00:00:00Z', assignment: { id: a1 } },
            { id: 'r3', requestType: 'adminAdd', state: 'delivering', status: 'Delivering', createdDateTime: '2023-12-01T00:00:00Z', assignment: { id: a2 } },
          ],
        },
      };
    });
    const out = await clock.run(fetchDeliveryStatus(graph, PKG, [a1, a2]));
    expect(ff.calls).toHaveLength(2);
    expect(out.sort((x, y) => x.assignmentId.localeCompare(y.assignmentId))).toEqual([
      { assignmentId: a1, requestId: 'r2', requestType: 'adminRemove', state: 'deliveryFailed', status: 'DeliveryFailed', createdDateTime: '2024-02-01T00:00:00Z', completedDateTime: null },
      { assignmentId: a2, requestId: 'r3', requestType: 'adminAdd', state: 'delivering', status: 'Delivering', createdDateTime: '2023-12-01T00:00:00Z', completedDateTime: null },
    ]);
  });
});

describe('searchUsers', () => {
  const user = (i: number) => ({ id: guid(i, 'c'), displayName: `Ann ${i}`, userPrincipalName: `ann${i}@contoso.com`, mail: null });

  test('$search over display name, UPN and mail with ConsistencyLevel: eventual, top 20', async () => {
    const { clock, ff, graph } = harness(() => ({ status: 200, json: { value: Array.from({ length: 25 }, (_, i) => user(i + 1)) } }));
    const out = await clock.run(searchUsers(graph, ' ann "x" '));
    const q = query(ff.calls[0].url);
    expect(q.$search).toBe('"displayName:ann x" OR "userPrincipalName:ann x" OR "mail:ann x"');
    expect(q.$top).toBe('20');
    expect(ff.calls[0].headers.consistencylevel).toBe('eventual');
    expect(out).toHaveLength(20);
    expect(out[0]).toEqual({ id: guid(1, 'c'), displayName: 'Ann 1', userPrincipalName: 'ann1@contoso.com', mail: '' });
  });

  test('falls back to startswith filters when $search is refused, quotes escaped', async () => {
    const { clock, ff, graph } = harness((req) =>
      query(req.url).$search ? { status: 400, json: { error: { code: 'Request_UnsupportedQuery', message: 'no search' } } } : { status: 200, json: { value: [user(1)] } },
    );
    const out = await clock.run(searchUsers(graph, "o'brien"));
    expect(query(ff.calls[1].url).$filter).toBe("startswith(displayName,'o''brien') or startswith(userPrincipalName,'o''brien') or startswith(mail,'o''brien')");
    expect(out.map((u) => u.id)).toEqual([guid(1, 'c')]);
  });

  test('an object id is looked up directly', async () => {
    const id = guid(7, 'c');
    const { clock, ff, graph } = harness(() => ({ status: 200, json: user(7) }));
    const out = await clock.run(searchUsers(graph, id));
    expect(pathOf(ff.calls[0].url)).toBe(`users/${id}`);
    expect(out.map((u) => u.id)).toEqual([id]);
  });
});
