// The details reads and the reprocess / extend writes against the demo tenant (its real HTTPS server at the
// real hostnames), through the same Graph client the worker uses: what Graph documents is answered, what it
// refuses is refused.
import { RequestIndex, reprocessDecision } from '../../../src/core/assignment-requests';
import { createGraph, GraphError, type Graph } from '../../../src/graph/client';
import {
  fetchApprovalStages,
  fetchManagerName,
  fetchOtherAssignments,
  fetchPerson,
  listPackageRequests,
  OTHER_ASSIGNMENT_EXPANDS,
  postExtend,
  postReprocess,
} from '../../../src/graph/details';
import { IDS, startTenant, type Tenant } from '../../tenant';
import { detailsOf } from '../../tenant/details-data';
import { tenantFetch } from '../../support/tenant-fetch';

let t: Tenant;
let graph: Graph;

beforeAll(async () => {
  t = await startTenant({ port: 0, seed: 7, size: 120, requestDelayMs: 50, writeRole: 'manager' });
  const token = t.mintAccessToken({ scopes: ['EntitlementManagement.ReadWrite.All', 'User.Read.All', 'AuditLog.Read.All'] });
  graph = createGraph({ cloud: 'global', fetchImpl: tenantFetch(t), sleep: () => Promise.resolve(), getToken: async () => token });
});
afterAll(() => t.close());

const picks = () => detailsOf(t.data).picks;

describe('details reads', () => {
  it('lists the package’s requests once and indexes them by assignment, oldest first', async () => {
    const { requests: list, problems } = await listPackageRequests(graph, IDS.mainPackage);
    const expected = t.data.requests.filter((r) => r.accessPackageId === IDS.mainPackage);
    expect(list).toHaveLength(expected.length);
    expect(problems).toEqual([]);
    const index = new RequestIndex(list);
    const approved = index.forAssignment(picks().approvedTwice!);
    expect(approved.map((r) => r.requestType)).toEqual(['userAdd', 'adminUpdate']);
    // `answeredQuestion` is a navigation property (the v1.0 CSDL): expanded through answers/answeredQuestion.
    expect(approved[0].answers).toEqual([{ question: 'Which team are you in?', answer: 'Sales' }]);
    expect(index.forAssignment(picks().deletedRequestor!)[0].requestor).toBeNull();
    const long = index.forAssignment(picks().longJustification!)[0];
    expect(long.justification).toHaveLength(20_000);
  });

  it('reads approval stages, and is refused (403) or told there is none (404) where Graph does', async () => {
    const index = new RequestIndex((await listPackageRequests(graph, IDS.mainPackage)).requests);
    const first = index.forAssignment(picks().approvedTwice!)[0];
    const stages = await fetchApprovalStages(graph, first.id);
    expect(stages.map((s) => s.reviewResult)).toEqual(['Approved', 'Approved']);
    expect(stages[1].reviewerName).toBe('Avery Admin');
    const forbidden = index.forAssignment(picks().forbiddenApproval!)[0];
    await expect(fetchApprovalStages(graph, forbidden.id)).rejects.toMatchObject({ status: 403 });
    const byAdmin = index.forAssignment(picks().deletedRequestor!)[0];
    await expect(fetchApprovalStages(graph, byAdmin.id)).rejects.toMatchObject({ status: 404 });
  });

  it('reads the person, their manager (none: null), and every assignment they hold across packages', async () => {
    const [a, b] = picks().twiceInPackage!;
    const assignment = t.data.assignments.find((x) => x.id === a)!;
    const objectId = assignment.target!.objectId!;
    const person = await fetchPerson(graph, objectId);
    expect(person).toMatchObject({ id: objectId, department: t.data.users.get(objectId)!.department ?? '' });
    const managerId = detailsOf(t.data).managers.get(objectId);
    expect(await fetchManagerName(graph, objectId)).toBe(managerId ? t.data.users.get(managerId)!.displayName : null);
    const others = await fetchOtherAssignments(graph, objectId);
    const ids = others.map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining([a, b]));
    expect(others.find((o) => o.id === b)).toMatchObject({ packageId: IDS.mainPackage, packageName: expect.any(String), policyName: expect.any(String) });
    expect(await fetchPerson(graph, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('asks for the id and name of each package and policy, and reads the whole ones where Graph refuses the options', async () => {
    const [a] = picks().twiceInPackage!;
    const objectId = t.data.assignments.find((x) => x.id === a)!.target!.objectId!;
    const lists = (from: number) => t.log.slice(from).filter((e) => e.path.endsWith('/entitlementManagement/assignments')).map((e) => [e.status, e.query.$expand]);
    let from = t.log.length;
    const narrow = await fetchOtherAssignments(graph, objectId);
    expect(lists(from)).toEqual([[200, OTHER_ASSIGNMENT_EXPANDS[0]]]);
    t.configure({ refuseQueries: [{ match: 'accessPackage($select=', code: 'BadRequest', message: "Query option '$select' is not allowed within '$expand'." }] });
    try {
      from = t.log.length;
      const whole = await fetchOtherAssignments(graph, objectId);
      expect(lists(from)).toEqual([
        [400, OTHER_ASSIGNMENT_EXPANDS[0]],
        [200, OTHER_ASSIGNMENT_EXPANDS[1]],
      ]);
      expect(whole).toEqual(narrow);
      expect(whole.every((o) => o.packageName !== '' && o.policyName !== '')).toBe(true);
    } finally {
      t.configure({ refuseQueries: [] });
    }
  });
});

describe('reprocess and extend', () => {
  it('reprocesses a delivered assignment and a recent failed request; refuses the inapplicable ones', async () => {
    const delivered = t.data.assignments.find((x) => x.accessPackageId === IDS.mainPackage && x.state === 'delivered')!;
    await expect(postReprocess(graph, { kind: 'assignment', id: delivered.id })).resolves.toBeUndefined();
    const expired = t.data.assignments.find((x) => x.accessPackageId === IDS.mainPackage && x.state === 'expired')!;
    await expect(postReprocess(graph, { kind: 'assignment', id: expired.id })).rejects.toMatchObject({ status: 400 });

    const list = new RequestIndex((await listPackageRequests(graph, IDS.mainPackage)).requests);
    const recent = list.latest(picks().recentFailure!)!;
    const row = t.data.assignments.find((x) => x.id === picks().recentFailure)!;
    const decision = reprocessDecision({ id: row.id, state: row.state! }, row.id, recent, t.data.now);
    expect(decision).toMatchObject({ action: 'request', requestId: recent.id });
    await expect(postReprocess(graph, { kind: 'request', id: recent.id })).resolves.toBeUndefined();
    const old = list.latest(picks().oldFailure!)!;
    expect(reprocessDecision({ id: old.assignmentId!, state: 'deliveryFailed' }, old.assignmentId!, old, t.data.now)).toMatchObject({ action: 'skip', reason: 'request-too-old' });
    await expect(postReprocess(graph, { kind: 'request', id: old.id })).rejects.toMatchObject({ status: 400 });
    const deliveredRequest = list.forAssignment(picks().approvedTwice!)[0];
    await expect(postReprocess(graph, { kind: 'request', id: deliveredRequest.id })).rejects.toBeInstanceOf(GraphError);
  });

  it('extends within the policy’s maximum and refuses a date past it', async () => {
    const a = t.data.assignments.find((x) => x.accessPackageId === IDS.mainPackage && x.state === 'delivered' && x.assignmentPolicyId === IDS.policies.employees)!;
    const start = new Date(t.data.now).toISOString();
    const tooLate = new Date(t.data.now + 400 * 86_400_000).toISOString();
    await expect(postExtend(graph, a.id, start, tooLate)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/maximum/) });
    const fine = new Date(t.data.now + 100 * 86_400_000).toISOString();
    const r = await postExtend(graph, a.id, start, fine);
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    const body = { requestType: 'adminExtend', assignment: { id: a.id } };
    await expect(graph.post('identityGovernance/entitlementManagement/assignmentRequests', body)).rejects.toMatchObject({ status: 400 });
  });
});
