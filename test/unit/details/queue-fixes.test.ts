// Reprocess and extend through the action queue: the plan decides per assignment, skipped rows are never
// sent, every row gets a result, nothing is sent twice, and a 403 says which role would allow it.
import type { ReprocessDecision } from '../../../src/core/assignment-requests';
import type { DetailsPlans } from '../../../src/background/details/plan';
import { aid, byKey, harness, PKG, POLICY_DIRECT } from '../actions/queue-harness';

const EM = 'identityGovernance/entitlementManagement';

function plans(decisions: Record<string, ReprocessDecision>, maxEnd: string | null = null): DetailsPlans {
  return {
    reprocessPlan: async (_pkg, ids) => ids.map((id) => decisions[id]),
    extendPlan: async (_pkg, ids) => ({
      states: Object.fromEntries(ids.map((id) => [id, { state: 'delivered', policyId: POLICY_DIRECT }])),
      limits: [{ policyId: POLICY_DIRECT, policyName: 'Direct', expiration: null, maxEnd }],
    }),
  };
}

const posts = (h: ReturnType<typeof harness>) => h.calls.filter((c) => c.method === 'POST').map((c) => new URL(c.url).pathname.replace('/v1.0/', ''));

describe('reprocess through the queue', () => {
  const decisions: Record<string, ReprocessDecision> = {
    [aid(1)]: { action: 'assignment', assignmentId: aid(1) },
    [aid(2)]: { action: 'request', assignmentId: aid(2), requestId: 'r0000000-0000-4000-8000-000000000002', requestState: 'deliveryFailed' },
    [aid(3)]: { action: 'skip', assignmentId: aid(3), reason: 'expired', state: 'expired' },
  };

  it('sends the documented reprocess per row once, skips with the reason, and a repeated batch sends nothing', async () => {
    const h = harness({ details: plans(decisions), get: (req) => (req.method === 'POST' && req.url.endsWith('/reprocess') ? { status: 202 } : undefined) });
    await h.send({ type: 'reprocess', batchId: 'b1', packageId: PKG, assignmentIds: [aid(1), aid(2), aid(3), aid(1)], labels: ['A', 'B', 'C', 'A'] });
    await h.settle(5000);
    expect(posts(h).sort()).toEqual([`${EM}/assignmentRequests/r0000000-0000-4000-8000-000000000002/reprocess`, `${EM}/assignments/${aid(1)}/reprocess`].sort());
    const e = byKey(h.stored(), 'b1');
    expect(Object.keys(e)).toHaveLength(3);
    expect(e[aid(1)]).toMatchObject({ kind: 'reprocess', result: 'done', label: 'A' });
    expect(e[aid(2)]).toMatchObject({ result: 'done', reprocessRequestId: 'r0000000-0000-4000-8000-000000000002' });
    expect(e[aid(3)]).toMatchObject({ result: 'failed', code: 'NotApplicable', message: expect.stringMatching(/expired/) });

    await h.send({ type: 'reprocess', batchId: 'b1', packageId: PKG, assignmentIds: [aid(1)] });
    await h.send({ type: 'reprocess', batchId: 'b2', packageId: PKG, assignmentIds: [aid(1)] });
    await h.settle(5000);
    expect(posts(h)).toHaveLength(2);
    expect(byKey(h.stored(), 'b2')[aid(1)]).toMatchObject({ result: 'done', message: expect.stringMatching(/Not sent again/) });
  });

  it('explains a 403 with the role that would allow it, and never sends a row whose plan could not be made', async () => {
    const h = harness({
      details: plans(decisions),
      get: (req) => (req.method === 'POST' && req.url.includes('/reprocess') ? { status: 403, json: { error: { code: 'AccessDenied', message: 'no role' } } } : undefined),
    });
    await h.send({ type: 'reprocess', batchId: 'b1', packageId: PKG, assignmentIds: [aid(1)] });
    await h.settle(5000);
    expect(byKey(h.stored(), 'b1')[aid(1)]).toMatchObject({ result: 'failed', code: 'AccessDenied', message: expect.stringMatching(/Access package assignment manager/) });

    const broken = harness({ details: { ...plans(decisions), reprocessPlan: async () => Promise.reject(new Error('throttled')) } });
    await broken.send({ type: 'reprocess', batchId: 'b9', packageId: PKG, assignmentIds: [aid(1)] });
    await broken.settle(5000);
    expect(posts(broken)).toEqual([]);
    expect(byKey(broken.stored(), 'b9')[aid(1)]).toMatchObject({ result: 'failed', code: 'PlanUnavailable' });
  });
});

describe('extend through the queue', () => {
  it('sends one adminUpdate with the new expiry, and refuses a date past the policy’s maximum without sending', async () => {
    const h = harness({ details: plans({}, '2025-09-01T00:00:00Z') });
    await h.send({ type: 'extend', batchId: 'e1', packageId: PKG, assignmentIds: [aid(1)], end: '2025-08-01T23:59:59Z' });
    await h.settle(5000);
    expect(h.posted.map((p) => [p.requestType, p.key])).toEqual([['adminUpdate', aid(1)]]);
    const body = h.calls.find((c) => c.method === 'POST')!.body as { schedule: { expiration: { endDateTime: string; type: string } } };
    expect(body.schedule.expiration).toEqual({ type: 'afterDateTime', endDateTime: '2025-08-01T23:59:59Z' });
    // The pending entry was on disk before the request left.
    expect(h.posted[0].storedAtSend.find((x) => x.batchId === 'e1')?.result).toBe('pending');

    await h.send({ type: 'extend', batchId: 'e2', packageId: PKG, assignmentIds: [aid(2)], end: '2026-01-01T23:59:59Z' });
    await h.settle(5000);
    expect(h.posted).toHaveLength(1);
    expect(byKey(h.stored(), 'e2')[aid(2)]).toMatchObject({ result: 'failed', code: 'ExpiryPastPolicyMaximum' });
  });
});
