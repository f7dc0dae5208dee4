import { expectedAssignments, IDS, startTenant, type Tenant } from '../../tenant';
import { get, GRAPH, listAll } from './helpers';

interface User {
  id: string;
  displayName: string;
  userPrincipalName: string;
  accountEnabled?: boolean;
  signInActivity?: { lastSuccessfulSignInDateTime: string | null } | null;
}

let t: Tenant;
let token: string;
const EVENTUAL = { consistencylevel: 'eventual' };

beforeAll(async () => {
  t = await startTenant({ size: 700, seed: 5 });
  token = t.mintAccessToken();
});
afterAll(() => t.close());
beforeEach(() => t.configure({ signInLicensed: true, signInRate: { requests: 1000, windowMs: 60_000 } }));

function targetIds(n: number): string[] {
  // A person may hold two assignments of the package: each user id once.
  const ids = expectedAssignments(t.data, IDS.mainPackage)
    .map((a) => a.target?.objectId)
    .filter((id): id is string => !!id && t.data.users.has(id));
  return [...new Set(ids)].slice(0, n);
}

describe('/users', () => {
  it('returns signInActivity only when it is selected', async () => {
    const [id] = targetIds(1);
    const plain = (await get(t, token, `${GRAPH}/users?$filter=id in ('${id}')`)).json<{ value: User[] }>().value[0];
    expect(plain.id).toBe(id);
    expect(plain).not.toHaveProperty('signInActivity');
    expect(plain).not.toHaveProperty('accountEnabled');
    const sel = (await get(t, token, `${GRAPH}/users?$filter=id in ('${id}')&$select=id,accountEnabled,signInActivity`)).json<{ value: User[] }>().value[0];
    expect(Object.keys(sel).sort()).toEqual(['accountEnabled', 'id', 'signInActivity']);
    expect(sel.signInActivity).toEqual(t.data.users.get(id)!.signInActivity);
  });

  it('answers id in (...) with up to 15 ids and refuses 16; deleted users are simply absent', async () => {
    const ids = targetIds(14);
    const deleted = expectedAssignments(t.data, IDS.mainPackage).find((a) => a.target?.objectId && !t.data.users.has(a.target.objectId) && !t.data.servicePrincipals.has(a.target.objectId))!;
    const list = [...ids, deleted.target!.objectId!];
    const res = await get(t, token, `${GRAPH}/users?$filter=id in (${list.map((x) => `'${x}'`).join(',')})&$select=id`);
    expect(res.status).toBe(200);
    expect(res.json<{ value: User[] }>().value.map((u) => u.id).sort()).toEqual([...ids].sort());
    const sixteen = [...list, targetIds(20)[19]];
    const bad = await get(t, token, `${GRAPH}/users?$filter=id in (${sixteen.map((x) => `'${x}'`).join(',')})`);
    expect(bad.status).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('Request_UnsupportedQuery');
    expect((await get(t, token, `${GRAPH}/users/${deleted.target!.objectId}`)).status).toBe(404);
  });

  it('filters with startswith over several properties and searches with ConsistencyLevel', async () => {
    const u = t.data.users.get(targetIds(1)[0])!;
    const prefix = u.displayName!.slice(0, 3);
    const { rows } = await listAll<User>(t, token, `${GRAPH}/users?$filter=startswith(displayName,'${prefix}') or startswith(userPrincipalName,'${prefix}')&$top=50`);
    expect(rows.map((r) => r.id)).toContain(u.id);
    expect(rows.every((r) => r.displayName.toLowerCase().startsWith(prefix.toLowerCase()) || r.userPrincipalName.toLowerCase().startsWith(prefix.toLowerCase()))).toBe(true);

    const word = u.surname!;
    expect((await get(t, token, `${GRAPH}/users?$search="displayName:${word}"`)).status).toBe(400);
    const found = await listAll<User>(t, token, `${GRAPH}/users?$search="displayName:${word}"&$top=999`, EVENTUAL);
    expect(found.rows.map((r) => r.id)).toContain(u.id);
  });

  it('pages with $top and caps signInActivity pages at 500', async () => {
    const all = await listAll<User>(t, token, `${GRAPH}/users?$top=999&$select=id`);
    expect(all.rows).toHaveLength(t.data.users.size);
    expect(all.pages).toBe(1);
    const capped = await get(t, token, `${GRAPH}/users?$top=999&$select=id,signInActivity`);
    const body = capped.json<{ value: User[]; '@odata.nextLink': string }>();
    expect(body.value).toHaveLength(500);
    expect(body['@odata.nextLink']).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/users\?/);
    expect((await get(t, token, `${GRAPH}/users?$top=1000`)).status).toBe(400);
  });

  it('counts users only with ConsistencyLevel: eventual', async () => {
    expect((await get(t, token, `${GRAPH}/users/$count`)).status).toBe(400);
    const res = await get(t, token, `${GRAPH}/users/$count`, EVENTUAL);
    expect(res.status).toBe(200);
    expect(res.body).toBe(String(t.data.users.size));
  });
});

describe('signInActivity gates', () => {
  it('throttles signInActivity reads per app with 429 and a Retry-After', async () => {
    t.configure({ signInRate: { requests: 3, windowMs: 60_000 } });
    t.resetLog();
    const other = t.mintAccessToken({ clientId: 'aaaaaaaa-0000-4000-8000-000000000001' });
    const url = `${GRAPH}/users?$top=5&$select=id,signInActivity`;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(t, other, url)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await get(t, other, url);
    expect(res.status).toBe(429);
    const retry = Number(res.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(59);
    expect(retry).toBeLessThanOrEqual(60);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('TooManyRequests');
    expect(t.stats.signInThrottled).toBe(2);
    // reads without signInActivity and other apps are not affected
    expect((await get(t, other, `${GRAPH}/users?$top=5`)).status).toBe(200);
    expect((await get(t, token, url)).status).toBe(200);
  });

  it('frees a slot when the window slides', async () => {
    t.configure({ signInRate: { requests: 1, windowMs: 300 } });
    const app = t.mintAccessToken({ clientId: 'aaaaaaaa-0000-4000-8000-000000000002' });
    const url = `${GRAPH}/users?$top=1&$select=id,signInActivity`;
    expect((await get(t, app, url)).status).toBe(200);
    expect((await get(t, app, url)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 320));
    expect((await get(t, app, url)).status).toBe(200);
  });

  it('answers 403 without a premium licence, with Graph code', async () => {
    t.configure({ signInLicensed: false });
    const res = await get(t, token, `${GRAPH}/users?$select=id,signInActivity`);
    expect(res.status).toBe(403);
    expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
      message: "Neither tenant is B2C or tenant doesn't have premium license",
    });
    expect((await get(t, token, `${GRAPH}/users?$select=id,accountEnabled`)).status).toBe(200);
  });

  it('answers 403 without AuditLog.Read.All, naming the permission', async () => {
    const noAudit = t.mintAccessToken({ scopes: ['EntitlementManagement.Read.All', 'User.Read.All'] });
    const res = await get(t, noAudit, `${GRAPH}/users?$select=id,signInActivity`);
    expect(res.status).toBe(403);
    expect(res.json<{ error: { message: string } }>().error.message).toContain('AuditLog.Read.All');
  });
});

describe('roles, me, organization', () => {
  it('lists the admin role on the catalogs and needs a filter', async () => {
    const url = `${GRAPH}/roleManagement/entitlementManagement/roleAssignments?$filter=principalId eq '${t.data.adminId}'&$expand=roleDefinition`;
    const body = (await get(t, token, url)).json<{ value: Array<{ appScopeId: string; roleDefinition: { displayName: string } }> }>();
    expect(body.value.map((r) => r.appScopeId)).toContain(`/AccessPackageCatalog/${IDS.mainCatalog}`);
    expect(body.value.every((r) => r.roleDefinition.displayName === 'Access package assignment manager')).toBe(true);
    t.configure({ writeRole: 'reader' });
    const reader = (await get(t, token, url)).json<{ value: Array<{ roleDefinition: { displayName: string } }> }>();
    expect(reader.value.every((r) => r.roleDefinition.displayName === 'Catalog reader')).toBe(true);
    t.configure({ writeRole: 'manager' });
    expect((await get(t, token, `${GRAPH}/roleManagement/entitlementManagement/roleAssignments`)).status).toBe(400);
  });

  it('serves /me and /organization', async () => {
    expect((await get(t, token, `${GRAPH}/me`)).json<{ userPrincipalName: string }>().userPrincipalName).toBe('admin@contoso.onmicrosoft.com');
    expect((await get(t, token, `${GRAPH}/organization`)).json<{ value: Array<{ id: string }> }>().value[0].id).toBe(t.data.tenant.id);
  });
});
