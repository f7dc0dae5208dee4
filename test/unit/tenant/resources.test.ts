// The demo tenant's package resources: what the access check reads must answer as Graph does.
import type { TenantContext } from '../../tenant/context';
import { generateTenant, IDS, startTenant, type Tenant } from '../../tenant';
import { driftedAssignments, installResources, RESOURCE_IDS, resourceModel, restoreAccess } from '../../tenant/graph/resources';
import { get, GRAPH, listAll } from './helpers';

const EM = `${GRAPH}/identityGovernance/entitlementManagement`;
const READ = ['EntitlementManagement.Read.All', 'User.Read.All'];
const ACCESS = [...READ, 'GroupMember.Read.All', 'Application.Read.All'];

let t: Tenant;
beforeAll(async () => {
  t = await startTenant({ size: 400, seed: 11 });
});
afterAll(() => t.close());

const targetOf = (assignmentId: string): string => t.data.assignments.find((a) => a.id === assignmentId)!.target!.objectId!;

describe('accessPackages/{id}?$expand=resourceRoleScopes($expand=role,scope)', () => {
  it('lists the role scopes with role and scope only when they are expanded', async () => {
    const token = t.mintAccessToken({ scopes: READ });
    const bare = (await get(t, token, `${EM}/accessPackages/${IDS.mainPackage}?$expand=resourceRoleScopes`)).json<{ resourceRoleScopes: Array<Record<string, unknown>> }>();
    expect(bare.resourceRoleScopes).toHaveLength(3);
    expect(bare.resourceRoleScopes[0]).not.toHaveProperty('role');
    const full = (await get(t, token, `${EM}/accessPackages/${IDS.mainPackage}?$expand=resourceRoleScopes($expand=role,scope)`)).json<{
      resourceRoleScopes: Array<{ role: { originSystem: string; originId: string }; scope: { originId: string } }>;
    }>();
    expect(full.resourceRoleScopes.map((r) => [r.role.originSystem, r.role.originId, r.scope.originId])).toEqual([
      ['AadGroup', `Member_${RESOURCE_IDS.salesGroup}`, RESOURCE_IDS.salesGroup],
      ['AadApplication', RESOURCE_IDS.expensesReaderRole, RESOURCE_IDS.expensesSp],
      ['SharePointOnline', '4', RESOURCE_IDS.salesSite],
    ]);
    const wrong = await get(t, token, `${EM}/accessPackages/${IDS.mainPackage}?$expand=resourceRoleScopes($expand=roles)`);
    expect(wrong.status).toBe(400);
  });
});

describe('/groups/{id}/members', () => {
  it('pages the direct members, with drift both ways: removed by hand, added directly, a nested group', async () => {
    const token = t.mintAccessToken({ scopes: ACCESS });
    const all = await listAll<{ id: string; '@odata.type': string }>(t, token, `${GRAPH}/groups/${RESOURCE_IDS.salesGroup}/members?$select=id,displayName&$top=50`);
    expect(all.pages).toBeGreaterThan(1);
    const ids = new Set(all.rows.map((r) => r.id));
    const drift = driftedAssignments(t.data);
    for (const a of drift.removedFromGroup) expect(ids.has(targetOf(a))).toBe(false);
    expect(ids.has(RESOURCE_IDS.directUsers[0])).toBe(true);
    expect(all.rows.find((r) => r.id === RESOURCE_IDS.internsGroup)?.['@odata.type']).toBe('#microsoft.graph.group');
    const delivered = t.data.assignments.filter((a) => a.accessPackageId === IDS.mainPackage && a.state === 'delivered' && a.target?.objectId);
    const expected = delivered.filter((a) => !drift.removedFromGroup.includes(a.id));
    for (const a of expected) expect(ids.has(a.target!.objectId!)).toBe(true);
  });

  it('refuses without a group permission (403), for a deleted group (404) and a forbidden one (403)', async () => {
    const noScope = t.mintAccessToken({ scopes: READ });
    expect((await get(t, noScope, `${GRAPH}/groups/${RESOURCE_IDS.salesGroup}/members`)).status).toBe(403);
    const token = t.mintAccessToken({ scopes: ACCESS });
    const gone = await get(t, token, `${GRAPH}/groups/${RESOURCE_IDS.financeGroup}/members`);
    expect(gone.status).toBe(404);
    expect(gone.json<{ error: { code: string } }>().error.code).toBe('Request_ResourceNotFound');
    resourceModel(t.data).forbidden.add(RESOURCE_IDS.labGroup);
    try {
      expect((await get(t, token, `${GRAPH}/groups/${RESOURCE_IDS.labGroup}/owners`)).status).toBe(403);
    } finally {
      resourceModel(t.data).forbidden.delete(RESOURCE_IDS.labGroup);
    }
    expect((await get(t, token, `${GRAPH}/groups/${RESOURCE_IDS.labGroup}/owners`)).status).toBe(200);
    expect((await get(t, token, `${GRAPH}/groups/${RESOURCE_IDS.salesGroup}/members?$top=1000`)).status).toBe(400);
  });
});

describe('/servicePrincipals/{id}/appRoleAssignedTo', () => {
  it('lists every app role assignment with principalId, principalType and appRoleId; needs Application.Read.All', async () => {
    expect((await get(t, t.mintAccessToken({ scopes: READ }), `${GRAPH}/servicePrincipals/${RESOURCE_IDS.expensesSp}/appRoleAssignedTo`)).status).toBe(403);
    const token = t.mintAccessToken({ scopes: ACCESS });
    const all = await listAll<{ principalId: string; principalType: string; appRoleId: string }>(
      t,
      token,
      `${GRAPH}/servicePrincipals/${RESOURCE_IDS.expensesSp}/appRoleAssignedTo?$select=principalId,principalType,appRoleId`,
    );
    const reader = new Set(all.rows.filter((r) => r.appRoleId === RESOURCE_IDS.expensesReaderRole).map((r) => r.principalId));
    const [lost] = driftedAssignments(t.data).removedFromApp;
    expect(reader.has(targetOf(lost))).toBe(false);
    expect(reader.has(RESOURCE_IDS.directUsers[1])).toBe(true);
    expect(all.rows.some((r) => r.appRoleId === RESOURCE_IDS.expensesAdminRole && r.principalId === RESOURCE_IDS.directUsers[0])).toBe(true);
  });
});

describe('reprocess restores the missing access', () => {
  it('the listener installed on the tenant puts a removed member back', () => {
    const data = generateTenant({ size: 200, seed: 3 });
    const ctx = { data, reprocessListeners: [] as Array<(id: string) => void> } as unknown as TenantContext;
    installResources(ctx);
    expect(ctx.reprocessListeners).toHaveLength(1);
    const [id] = driftedAssignments(data).removedFromGroup;
    const objectId = data.assignments.find((a) => a.id === id)!.target!.objectId!;
    const sales = resourceModel(data).roles.find((r) => r.objectId === RESOURCE_IDS.salesGroup)!;
    expect(sales.removedByHand.has(objectId)).toBe(true);
    for (const l of ctx.reprocessListeners) l(id);
    expect(sales.removedByHand.has(objectId)).toBe(false);
  });

  it('after restoring, the group lists the target again', async () => {
    const token = t.mintAccessToken({ scopes: ACCESS });
    const [id] = driftedAssignments(t.data).removedFromGroup;
    restoreAccess(t.data, id);
    const all = await listAll<{ id: string }>(t, token, `${GRAPH}/groups/${RESOURCE_IDS.salesGroup}/members?$select=id`);
    expect(all.rows.some((r) => r.id === targetOf(id))).toBe(true);
  });
});
