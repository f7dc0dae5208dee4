import { expectedAssignments, IDS, startTenant, type Tenant } from '../../tenant';
import { QUESTION_IDS } from '../../tenant/fixtures';
import { EM, eventually, get, GRAPH, listAll, post } from './helpers';

let t: Tenant;
let token: string;
const requests = `${EM}/assignmentRequests`;

beforeAll(async () => {
  t = await startTenant({ size: 80, seed: 21, requestDelayMs: 50 });
  token = t.mintAccessToken();
});
afterAll(() => t.close());
beforeEach(() => t.configure({ writeRole: 'manager', rejectAssignmentIds: [], requestDelayMs: 50, throttle: null }));

const delivered = () => expectedAssignments(t.data, IDS.mainPackage).filter((a) => a.state === 'delivered' && a.target?.objectId);
const listIds = async () => (await listAll<{ id: string }>(t, token, `${EM}/assignments?$filter=accessPackage/id eq '${IDS.mainPackage}'`)).rows.map((r) => r.id);
const unassignedUser = () => {
  const assigned = new Set(t.data.assignments.map((a) => a.target?.objectId));
  return [...t.data.users.values()].find((u) => !assigned.has(u.id) && u.id !== t.data.adminId)!;
};

describe('adminRemove', () => {
  it('accepts the request at once and removes the assignment a moment later', async () => {
    // Long enough that a loaded machine still lists it right after the answer.
    t.configure({ requestDelayMs: 1500 });
    const victim = delivered()[0];
    const res = await post(t, token, requests, { requestType: 'adminRemove', assignment: { id: victim.id } });
    expect(res.status).toBe(201);
    const body = res.json<{ id: string; requestType: string; state: string; status: string; createdDateTime: string }>();
    expect(body).toMatchObject({ requestType: 'adminRemove', state: 'submitted', status: 'Accepted' });
    expect(Number.isFinite(Date.parse(body.createdDateTime))).toBe(true);
    expect(await listIds()).toContain(victim.id);
    await eventually(async () => !(await listIds()).includes(victim.id), 10_000);
    const req = (await get(t, token, `${requests}/${body.id}`)).json<{ state: string }>();
    expect(req.state).toBe('delivered');
  });

  it('refuses a second removal while one is open, and unknown assignments', async () => {
    t.configure({ requestDelayMs: 10_000 });
    const victim = delivered()[1];
    expect((await post(t, token, requests, { requestType: 'adminRemove', assignment: { id: victim.id } })).status).toBe(201);
    const again = await post(t, token, requests, { requestType: 'adminRemove', assignment: { id: victim.id } });
    expect(again.status).toBe(400);
    expect(again.json<{ error: { message: string } }>().error.message).toMatch(/existing open request/);
    expect((await post(t, token, requests, { requestType: 'adminRemove', assignment: { id: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
  });

  it('fails the configured removals with a Graph error while the others go through', async () => {
    const [a, b] = delivered().slice(2, 4);
    t.configure({ rejectAssignmentIds: [b.id] });
    expect((await post(t, token, requests, { requestType: 'adminRemove', assignment: { id: a.id } })).status).toBe(201);
    const rejected = await post(t, token, requests, { requestType: 'adminRemove', accessPackageAssignment: { id: b.id } });
    expect(rejected.status).toBe(400);
    expect(rejected.json<{ error: { code: string; message: string } }>().error).toEqual(expect.objectContaining({ code: 'BadRequest', message: expect.any(String) }));
    await eventually(async () => !(await listIds()).includes(a.id));
    expect(await listIds()).toContain(b.id);
  });

  it('refuses writes without the write scope or the role', async () => {
    const victim = delivered()[4];
    const readOnly = t.mintAccessToken({ scopes: ['EntitlementManagement.Read.All'] });
    const noScope = await post(t, readOnly, requests, { requestType: 'adminRemove', assignment: { id: victim.id } });
    expect(noScope.status).toBe(403);
    expect(noScope.json<{ error: { message: string } }>().error.message).toContain('EntitlementManagement.ReadWrite.All');
    t.configure({ writeRole: 'reader' });
    const noRole = await post(t, token, requests, { requestType: 'adminRemove', assignment: { id: victim.id } });
    expect(noRole.status).toBe(403);
    expect(noRole.json<{ error: { message: string } }>().error.message).toMatch(/role/);
  });
});

describe('a removed assignment, as Graph may show it', () => {
  it('stays listed as expired, with expiredDateTime, for a while before it is gone (removedLingerMs)', async () => {
    t.configure({ requestDelayMs: 20, removedLingerMs: 400 });
    try {
      const victim = delivered()[0];
      expect((await post(t, token, requests, { requestType: 'adminRemove', assignment: { id: victim.id } })).status).toBe(201);
      let seen: { state?: string; expiredDateTime?: string | null } = {};
      await eventually(async () => {
        const res = await get(t, token, `${EM}/assignments/${victim.id}?$select=id,state,expiredDateTime`);
        if (res.status === 200) seen = res.json();
        return seen.state === 'expired';
      });
      expect(seen.expiredDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      await eventually(async () => (await get(t, token, `${EM}/assignments/${victim.id}`)).status === 404, 5000);
    } finally {
      t.configure({ removedLingerMs: 0 });
    }
  });
});

describe('adminAdd', () => {
  it('adds a directory user; the assignment appears delivered with its target', async () => {
    const user = unassignedUser();
    const res = await post(t, token, requests, {
      requestType: 'adminAdd',
      assignment: { targetId: user.id, assignmentPolicyId: IDS.policies.direct, accessPackageId: IDS.mainPackage },
    });
    expect(res.status).toBe(201);
    await eventually(async () => {
      const { rows } = await listAll<{ state: string; target: { objectId: string; principalName: string } }>(t, token, `${EM}/assignments?$filter=accessPackage/id eq '${IDS.mainPackage}' and target/objectId eq '${user.id}'&$expand=target`);
      return rows.length === 1 && rows[0].state === 'delivered' && rows[0].target.principalName === user.userPrincipalName;
    });
    const dup = await post(t, token, requests, { requestType: 'adminAdd', assignment: { targetId: user.id, assignmentPolicyId: IDS.policies.direct, accessPackageId: IDS.mainPackage } });
    expect(dup.status).toBe(400);
    expect(dup.json<{ error: { message: string } }>().error.message).toMatch(/already has an active assignment/);
  });

  it('refuses an automatic-assignment policy, a foreign policy and an unknown user', async () => {
    const user = unassignedUser();
    const add = (assignment: object) => post(t, token, requests, { requestType: 'adminAdd', assignment });
    const auto = await add({ targetId: user.id, assignmentPolicyId: IDS.policies.automatic, accessPackageId: IDS.mainPackage });
    expect(auto.status).toBe(400);
    expect(auto.json<{ error: { message: string } }>().error.message).toMatch(/does not allow administrator direct assignment/);
    expect((await add({ targetId: user.id, assignmentPolicyId: IDS.policies.lab, accessPackageId: IDS.mainPackage })).status).toBe(400);
    expect((await add({ targetId: '00000000-0000-4000-8000-000000000000', assignmentPolicyId: IDS.policies.direct, accessPackageId: IDS.mainPackage })).status).toBe(404);
  });

  it('refuses a direct add to a policy with required questions unless they are answered, and a choice outside the list', async () => {
    const user = unassignedUser();
    const assignment = { targetId: user.id, assignmentPolicyId: IDS.policies.employees, accessPackageId: IDS.mainPackage };
    const none = await post(t, token, requests, { requestType: 'adminAdd', assignment });
    expect(none.status).toBe(400);
    expect(none.json<{ error: { message: string } }>().error.message).toMatch(/required question/);
    const text = { '@odata.type': '#microsoft.graph.accessPackageAnswerString', value: 'Audit', answeredQuestion: { id: QUESTION_IDS.reason } };
    const badChoice = { '@odata.type': '#microsoft.graph.accessPackageAnswerString', value: 'Mars', answeredQuestion: { id: QUESTION_IDS.site } };
    expect((await post(t, token, requests, { requestType: 'adminAdd', assignment, answers: [text, badChoice] })).status).toBe(400);
    const ok = await post(t, token, requests, { requestType: 'adminAdd', assignment, answers: [text, { ...badChoice, value: 'SEA' }] });
    expect(ok.status).toBe(201);
    expect(ok.json<{ answers: unknown[] }>().answers).toHaveLength(2);    // let it complete, so the next test's unassigned user is another one
    await eventually(() => t.data.assignments.some((a) => a.target?.objectId === user.id), 5000);
  });

  it('refuses a second add for a user while the first is open', async () => {
    t.configure({ requestDelayMs: 10_000 });
    const user = unassignedUser();
    const answers = [{ '@odata.type': '#microsoft.graph.accessPackageAnswerString', value: 'Project work', answeredQuestion: { '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', id: QUESTION_IDS.reason } }];
    const body = { requestType: 'adminAdd', assignment: { targetId: user.id, assignmentPolicyId: IDS.policies.employees, accessPackageId: IDS.mainPackage }, answers };
    expect((await post(t, token, requests, body)).status).toBe(201);
    const again = await post(t, token, requests, body);
    expect(again.status).toBe(400);
    expect(again.json<{ error: { message: string } }>().error.message).toMatch(/existing open request/);
  });
});

describe('$batch', () => {
  it('dispatches up to 20 sub-requests and answers each on its own', async () => {
    const ids = delivered().map((a) => a.target!.objectId!).filter((id) => t.data.users.has(id)).slice(0, 3);
    const res = await post(t, token, `${GRAPH}/$batch`, {
      requests: [
        { id: '1', method: 'GET', url: `/users?$filter=id in ('${ids.join("','")}')&$select=id,displayName` },
        { id: '2', method: 'GET', url: `/identityGovernance/entitlementManagement/accessPackages/${IDS.mainPackage}` },
        { id: '3', method: 'GET', url: '/identityGovernance/entitlementManagement/accessPackages/00000000-0000-4000-8000-000000000000' },
        { id: '4', method: 'GET', url: '/users/$count', headers: { ConsistencyLevel: 'eventual' } },
      ],
    });
    expect(res.status).toBe(200);
    const byId = new Map(res.json<{ responses: Array<{ id: string; status: number; body: unknown }> }>().responses.map((r) => [r.id, r]));
    expect((byId.get('1')!.body as { value: Array<{ id: string }> }).value.map((u) => u.id).sort()).toEqual([...ids].sort());
    expect(byId.get('2')!.status).toBe(200);
    expect(byId.get('3')!.status).toBe(404);
    expect(byId.get('4')!.body).toBe(String(t.data.users.size));
    expect(t.log.filter((e) => e.viaBatch).length).toBeGreaterThanOrEqual(4);
  });

  it('refuses more than 20 sub-requests', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
    expect((await post(t, token, `${GRAPH}/$batch`, { requests: many })).status).toBe(400);
  });

  it('throttles sub-requests one by one', async () => {
    t.configure({ throttle: { everyNth: 2, retryAfterSec: 3 } });
    const res = await post(t, token, `${GRAPH}/$batch`, { requests: Array.from({ length: 4 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' })) });
    expect(res.status).toBe(200);
    const statuses = res.json<{ responses: Array<{ status: number; headers: Record<string, string> }> }>().responses;
    expect(statuses.map((r) => r.status)).toEqual([200, 429, 200, 429]);
    expect(statuses[1].headers['retry-after']).toBe('3');
  });

  it('removes assignments in a batch, as bulk removal does', async () => {
    const victims = delivered().slice(10, 13);
    const res = await post(t, token, `${GRAPH}/$batch`, {
      requests: victims.map((v, i) => ({ id: String(i), method: 'POST', url: '/identityGovernance/entitlementManagement/assignmentRequests', headers: { 'Content-Type': 'application/json' }, body: { requestType: 'adminRemove', assignment: { id: v.id } } })),
    });
    expect(res.json<{ responses: Array<{ status: number }> }>().responses.map((r) => r.status)).toEqual([201, 201, 201]);
    await eventually(async () => {
      const ids = await listIds();
      return victims.every((v) => !ids.includes(v.id));
    });
  });
});
