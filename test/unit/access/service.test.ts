// The worker's access check against the demo tenant: the same Graph client and service the worker runs, with
// only fetch routed through a client that trusts the tenant's certificate.
import { AccessService } from '../../../src/background/access/service';
import type { Row } from '../../../src/core/model';
import { createGraph, type Graph } from '../../../src/graph/client';
import type { WorkerEvent } from '../../../src/messages';
import { expectedAssignments, IDS, startTenant, type Tenant } from '../../tenant';
import { driftedAssignments, RESOURCE_IDS, resourceModel, restoreAccess } from '../../tenant/graph/resources';
import { tenantFetch } from '../../support/tenant-fetch';

let t: Tenant;
const sent: string[] = [];

function graphFor(tenant: Tenant, scopes: string[]): Graph {
  const token = tenant.mintAccessToken({ scopes });
  return createGraph({
    cloud: 'global',
    fetchImpl: tenantFetch(tenant, (url) => sent.push(url)),
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))),
    getToken: async () => token,
  });
}

const ALL = ['EntitlementManagement.Read.All', 'User.Read.All', 'GroupMember.Read.All', 'Application.Read.All'];

function service(scopes = ALL): AccessService {
  return new AccessService({
    ensureAccess: async () => undefined,
    graph: async () => graphFor(t, scopes),
    rows: async (packageId) => expectedAssignments(t.data, packageId).map((a) => ({ id: a.id, objectId: a.target?.objectId ?? null, state: a.state ?? '' }) as Row),
  });
}

async function run(s: AccessService, req: Parameters<AccessService['handle']>[0]): Promise<WorkerEvent[]> {
  const events: WorkerEvent[] = [];
  await s.handle(req, { post: (e) => events.push(e) });
  return events;
}

const byType = <T extends WorkerEvent['type']>(events: WorkerEvent[], type: T) => events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);

beforeAll(async () => {
  t = await startTenant({ size: 300, seed: 9 });
});
afterAll(() => t.close());

describe('AccessService', () => {
  it('reports each resource, the outside holders and every row, ending with access-done', async () => {
    const events = await run(service(), { type: 'check-access', packageId: IDS.mainPackage });
    expect(events.at(-1)?.type).toBe('access-done');
    const start = byType(events, 'access-start')[0];
    expect(start.resources.map((r) => [r.kind, r.status])).toEqual([
      ['groupMember', 'checking'],
      ['appRole', 'checking'],
      ['sharePoint', 'not-checked'],
    ]);
    const rows = byType(events, 'access-rows').flatMap((e) => e.entries);
    expect(rows).toHaveLength(expectedAssignments(t.data, IDS.mainPackage).length);
    const drift = driftedAssignments(t.data);
    const missing = rows.filter((r) => r.value === 'missing').map((r) => r.id).sort();
    expect(missing).toEqual([...drift.removedFromGroup, ...drift.removedFromApp].sort());
    const outside = byType(events, 'access-outside').flatMap((e) => e.principals.map((p) => `${e.resourceId}|${p.objectId}|${p.type}`));
    expect(outside.sort()).toEqual(
      [
        `${start.resources[0].id}|${RESOURCE_IDS.directUsers[0]}|user`,
        `${start.resources[0].id}|${RESOURCE_IDS.internsGroup}|group`,
        `${start.resources[1].id}|${RESOURCE_IDS.directUsers[1]}|user`,
      ].sort(),
    );
  });

  it('without the check scopes every readable resource says no permission, and the check still ends', async () => {
    const events = await run(service(['EntitlementManagement.Read.All']), { type: 'check-access', packageId: IDS.mainPackage });
    const reasons = byType(events, 'access-resource').map((e) => e.resource.reason);
    expect(reasons).toEqual(['no-permission', 'no-permission']);
    expect(events.at(-1)?.type).toBe('access-done');
  });

  it('a forbidden resource fails alone; a re-check after restoring reads only the resources the rows were missing', async () => {
    const s = service();
    resourceModel(t.data).forbidden.add(RESOURCE_IDS.expensesSp);
    let events = await run(s, { type: 'check-access', packageId: IDS.mainPackage });
    resourceModel(t.data).forbidden.delete(RESOURCE_IDS.expensesSp);
    const res = byType(events, 'access-resource').map((e) => [e.resource.kind, e.resource.status]);
    expect(res).toEqual(expect.arrayContaining([['groupMember', 'checked'], ['appRole', 'not-checked']]));
    const drift = driftedAssignments(t.data);
    const rows = new Map(byType(events, 'access-rows').flatMap((e) => e.entries).map((r) => [r.id, r]));
    expect(rows.get(drift.removedFromGroup[0])?.value).toBe('missing');

    for (const id of drift.removedFromGroup) restoreAccess(t.data, id);
    sent.length = 0;
    events = await run(s, { type: 'recheck-access', packageId: IDS.mainPackage, assignmentIds: drift.removedFromGroup });
    expect(sent.every((u) => u.includes(`/groups/${RESOURCE_IDS.salesGroup}/members`))).toBe(true);
    const again = byType(events, 'access-rows').flatMap((e) => e.entries);
    expect(again.map((r) => r.id).sort()).toEqual([...drift.removedFromGroup].sort());
    // The app role could not be read in the first check, so they are not complete yet: not checked.
    expect(again.every((r) => r.value === 'not-checked')).toBe(true);
  });

  it('a re-check of a row the last check did not cover (added since) is a full check: its tallies have no place for it', async () => {
    const list = expectedAssignments(t.data, IDS.mainPackage).map((a) => ({ id: a.id, objectId: a.target?.objectId ?? null, state: a.state ?? '' }) as Row);
    const s = new AccessService({ ensureAccess: async () => undefined, graph: async () => graphFor(t, ALL), rows: async () => list });
    await run(s, { type: 'check-access', packageId: IDS.mainPackage });
    const known = list.find((r) => r.state === 'delivered' && r.objectId)!;
    list.push({ ...known, id: 'added-after-the-check' });
    sent.length = 0;
    const events = await run(s, { type: 'recheck-access', packageId: IDS.mainPackage, assignmentIds: ['added-after-the-check'] });
    expect(byType(events, 'access-start')[0].recheck).toBe(false);
    expect(sent.some((u) => u.includes('resourceRoleScopes'))).toBe(true);
    const rows = byType(events, 'access-rows').flatMap((e) => e.entries);
    expect(rows).toHaveLength(list.length);
    expect(rows.find((r) => r.id === 'added-after-the-check')?.value).toBe(rows.find((r) => r.id === known.id)?.value);
  });

  it('a re-check of rows the check covered, unchanged, reads only what they were missing and sends only them', async () => {
    const list = expectedAssignments(t.data, IDS.mainPackage).map((a) => ({ id: a.id, objectId: a.target?.objectId ?? null, state: a.state ?? '' }) as Row);
    const s = new AccessService({ ensureAccess: async () => undefined, graph: async () => graphFor(t, ALL), rows: async () => list });
    const first = await run(s, { type: 'check-access', packageId: IDS.mainPackage });
    const complete = byType(first, 'access-rows').flatMap((e) => e.entries).filter((r) => r.value === 'complete').slice(0, 3).map((r) => r.id);
    sent.length = 0;
    const events = await run(s, { type: 'recheck-access', packageId: IDS.mainPackage, assignmentIds: complete });
    // Nothing was missing for them: no listing is read again, and only their rows come back.
    expect(sent).toEqual([]);
    expect(byType(events, 'access-rows').flatMap((e) => e.entries.map((r) => r.id))).toEqual(complete);
  });

  it('an app role the application no longer defines is reported on its resource; the group is still compared', async () => {
    resourceModel(t.data).removedAppRoles.add(RESOURCE_IDS.expensesReaderRole);
    sent.length = 0;
    let events: WorkerEvent[];
    try {
      events = await run(service(), { type: 'check-access', packageId: IDS.mainPackage });
    } finally {
      resourceModel(t.data).removedAppRoles.delete(RESOURCE_IDS.expensesReaderRole);
    }
    const res = byType(events, 'access-resource').map((e) => [e.resource.kind, e.resource.status, e.resource.reason ?? '']);
    expect(res).toEqual(expect.arrayContaining([['groupMember', 'checked', ''], ['appRole', 'not-checked', 'role-removed']]));
    // One request for the application's roles, none per user.
    expect(sent.filter((u) => /\/servicePrincipals\/[^/?]+\?/.test(u))).toHaveLength(1);
    const drift = driftedAssignments(t.data);
    const rows = new Map(byType(events, 'access-rows').flatMap((e) => e.entries).map((r) => [r.id, r]));
    // Nobody can hold the role: no assignment is complete, and each one that is not missing the group says why.
    expect([...rows.values()].some((r) => r.value === 'complete')).toBe(false);
    expect(rows.get(drift.removedFromApp[0])).toMatchObject({ value: 'not-checked', reasons: expect.arrayContaining(['role-removed']) });
    // And with the role defined again, the same check reads it.
    const again = await run(service(), { type: 'check-access', packageId: IDS.mainPackage });
    expect(byType(again, 'access-resource').map((e) => e.resource.status)).toEqual(['checked', 'checked']);
  });
});
