import { expectedAssignments, IDS, packagePolicies, startTenant, type Tenant } from '../../tenant';
import { EM, get, listAll, post } from './helpers';

interface Row {
  id: string;
  state: string;
  status: string;
  target?: { objectId: string | null; email: string | null; connectedOrganization?: { displayName: string } | null } | null;
  assignmentPolicy?: { id: string; displayName: string };
  accessPackage?: { id: string };
  schedule?: unknown;
}

let t: Tenant;
let token: string;
const pkgFilter = (id = IDS.mainPackage) => `$filter=accessPackage/id eq '${id}'`;

beforeAll(async () => {
  t = await startTenant({ size: 250, seed: 11, pageSize: 40 });
  token = t.mintAccessToken();
});
afterAll(() => t.close());
beforeEach(() => t.configure({ pageSize: 40, honourTop: false, nextLinkHost: null, catalogScopedOnly: false }));

describe('listing assignments', () => {
  it('needs a bearer token the tenant issued', async () => {
    const none = await get(t, null, `${EM}/assignments?${pkgFilter()}`);
    expect(none.status).toBe(401);
    expect(none.json<{ error: { code: string } }>().error.code).toBe('InvalidAuthenticationToken');
    expect((await get(t, 'forged.token.value', `${EM}/assignments?${pkgFilter()}`)).status).toBe(401);
  });

  it('pages through exactly the generated assignments of the package, without duplicates', async () => {
    const { rows, pages, links } = await listAll<Row>(t, token, `${EM}/assignments?${pkgFilter()}&$expand=target`);
    const expected = expectedAssignments(t.data, IDS.mainPackage);
    expect(expected).toHaveLength(250);
    expect(pages).toBe(Math.ceil(250 / 40));
    expect(rows.map((r) => r.id)).toEqual(expected.map((a) => a.id));
    expect(new Set(rows.map((r) => r.id)).size).toBe(250);
    for (const link of links) {
      expect(link.startsWith('https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/assignments?')).toBe(true);
      const q = new URL(link).searchParams;
      expect(q.get('$filter')).toBe(`accessPackage/id eq '${IDS.mainPackage}'`);
      expect(q.get('$expand')).toBe('target');
      expect(q.get('$skiptoken')).toBeTruthy();
    }
  });

  it('lists every state, expired rows and targets not yet in the directory included', async () => {
    const { rows } = await listAll<Row>(t, token, `${EM}/assignments?${pkgFilter()}&$expand=target`);
    const states = new Set(rows.map((r) => r.state));
    for (const s of ['delivered', 'expired', 'delivering', 'partiallyDelivered', 'deliveryFailed']) expect(states).toContain(s);
    const emailOnly = rows.filter((r) => r.target && r.target.objectId === null && r.target.email);
    expect(emailOnly.length).toBeGreaterThan(0);
    expect(emailOnly.every((r) => r.state === 'delivering')).toBe(true);
  });

  it('leaves related objects out unless they are expanded', async () => {
    const plain = (await get(t, token, `${EM}/assignments?${pkgFilter()}`)).json<{ value: Row[] }>().value[0];
    expect(plain).not.toHaveProperty('target');
    expect(plain).not.toHaveProperty('assignmentPolicy');
    expect(plain).not.toHaveProperty('accessPackageId');
    const full = (await get(t, token, `${EM}/assignments?${pkgFilter()}&$expand=target($expand=connectedOrganization),assignmentPolicy,accessPackage`)).json<{ value: Row[] }>().value;
    const a = t.data.assignments.find((x) => x.id === full[0].id)!;
    expect(full[0].assignmentPolicy!.id).toBe(a.assignmentPolicyId);
    expect(full[0].accessPackage!.id).toBe(IDS.mainPackage);
    expect(full[0].target!.objectId).toBe(a.target!.objectId);
    const partnerRows = (await listAll<Row>(t, token, `${EM}/assignments?${pkgFilter()}&$expand=target($expand=connectedOrganization)`)).rows.filter((r) => r.target?.connectedOrganization);
    expect(partnerRows.length).toBeGreaterThan(0);
  });

  it('honours $select', async () => {
    const row = (await get(t, token, `${EM}/assignments?${pkgFilter()}&$select=id,state`)).json<{ value: object[] }>().value[0];
    expect(Object.keys(row).sort()).toEqual(['id', 'state']);
    const bad = await get(t, token, `${EM}/assignments?${pkgFilter()}&$select=id,nope`);
    expect(bad.status).toBe(400);
  });

  it('partitions by policy × state add up to the whole list', async () => {
    const all = expectedAssignments(t.data, IDS.mainPackage);
    let total = 0;
    const seen = new Set<string>();
    for (const p of packagePolicies(t.data, IDS.mainPackage)) {
      for (const s of ['delivered', 'expired', 'delivering', 'partiallyDelivered', 'deliveryFailed']) {
        const { rows } = await listAll<Row>(t, token, `${EM}/assignments?$filter=accessPackage/id eq '${IDS.mainPackage}' and assignmentPolicy/id eq '${p.id}' and state eq '${s}'`);
        expect(rows.every((r) => r.state === s)).toBe(true);
        expect(rows.length).toBe(all.filter((a) => a.assignmentPolicyId === p.id && a.state === s).length);
        total += rows.length;
        rows.forEach((r) => seen.add(r.id));
      }
    }
    expect(total).toBe(all.length);
    expect(seen.size).toBe(all.length);
  });

  it('matches state values case-insensitively and filters by target', async () => {
    const lower = await listAll<Row>(t, token, `${EM}/assignments?${pkgFilter()} and state eq 'delivered'`);
    const upper = await listAll<Row>(t, token, `${EM}/assignments?${pkgFilter()} and state eq 'Delivered'`);
    expect(upper.rows.map((r) => r.id)).toEqual(lower.rows.map((r) => r.id));
    const someone = expectedAssignments(t.data, IDS.mainPackage).find((a) => a.target?.objectId)!;
    const mine = await listAll<Row>(t, token, `${EM}/assignments?$filter=target/objectid eq '${someone.target!.objectId}'&$expand=target`);
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(mine.rows.every((r) => r.target!.objectId === someone.target!.objectId)).toBe(true);
  });

  it('refuses filters Graph does not support', async () => {
    for (const f of [`catalogId eq '${IDS.mainCatalog}'`, `assignmentState eq 'Delivered'`, `state ne 'expired'`, `state eq 'a' or state eq 'b'`, `state eq 'delivered' and`, `state eq 'bogus'`]) {
      const res = await get(t, token, `${EM}/assignments?$filter=${encodeURIComponent(f)}`);
      expect([f, res.status]).toEqual([f, 400]);
      expect(res.json<{ error: { code: string; message: string } }>().error.message.length).toBeGreaterThan(0);
    }
  });

  it('ignores $top unless configured to honour it', async () => {
    const ignored = (await get(t, token, `${EM}/assignments?${pkgFilter()}&$top=5`)).json<{ value: Row[] }>();
    expect(ignored.value).toHaveLength(40);
    t.configure({ honourTop: true, maxTop: 999 });
    const honoured = (await get(t, token, `${EM}/assignments?${pkgFilter()}&$top=5`)).json<{ value: Row[]; '@odata.nextLink'?: string }>();
    expect(honoured.value).toHaveLength(5);
    expect(honoured['@odata.nextLink']).toContain('$top=5');
  });

  it('keeps paging stable while rows are removed: no duplicates, no unchanged row dropped', async () => {
    t.configure({ requestDelayMs: 0 });
    const first = (await get(t, token, `${EM}/assignments?${pkgFilter()}`)).json<{ value: Row[]; '@odata.nextLink': string }>();
    const before = expectedAssignments(t.data, IDS.mainPackage).map((a) => a.id);
    // remove a row already seen and a row not yet seen
    const victims = [first.value[3].id, before[before.length - 5]];
    for (const id of victims) {
      expect((await post(t, token, `${EM}/assignmentRequests`, { requestType: 'adminRemove', assignment: { id } })).status).toBe(201);
    }
    await new Promise((r) => setTimeout(r, 30));
    const rest = await listAll<Row>(t, token, first['@odata.nextLink']);
    const ids = [...first.value.map((r) => r.id), ...rest.rows.map((r) => r.id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id !== victims[1])).toEqual(before.filter((id) => id !== victims[1]));
    expect(ids).not.toContain(victims[1]);
  });

  it('emits nextLinks on another host when told to (hostile server)', async () => {
    t.configure({ nextLinkHost: 'evil.example' });
    const body = (await get(t, token, `${EM}/assignments?${pkgFilter()}`)).json<{ '@odata.nextLink': string }>();
    expect(new URL(body['@odata.nextLink']).host).toBe('evil.example');
  });

  it('answers 403 without a package filter for catalog-scoped callers', async () => {
    t.configure({ catalogScopedOnly: true });
    expect((await get(t, token, `${EM}/assignments`)).status).toBe(403);
    expect((await get(t, token, `${EM}/assignments?${pkgFilter()}`)).status).toBe(200);
  });
});

describe('packages and policies', () => {
  it('gets a package with its policies and catalog, and 404s unknown ids', async () => {
    const res = await get(t, token, `${EM}/accessPackages/${IDS.mainPackage}?$expand=assignmentPolicies,catalog`);
    const body = res.json<{ id: string; displayName: string; catalog: { id: string }; assignmentPolicies: Array<{ id: string; automaticRequestSettings: unknown }> }>();
    expect(body.id).toBe(IDS.mainPackage);
    expect(body.catalog.id).toBe(IDS.mainCatalog);
    expect(body.assignmentPolicies.map((p) => p.id).sort()).toEqual(packagePolicies(t.data, IDS.mainPackage).map((p) => p.id).sort());
    const missing = await get(t, token, `${EM}/accessPackages/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.json<{ error: { code: string; innerError: Record<string, string> } }>().error).toMatchObject({ code: 'ResourceNotFound' });
    expect(missing.json<{ error: { innerError: Record<string, string> } }>().error.innerError['request-id']).toBeTruthy();
  });

  it('lists policies by package', async () => {
    const { rows } = await listAll<{ id: string }>(t, token, `${EM}/assignmentPolicies?$filter=accessPackage/id eq '${IDS.labPackage}'`);
    expect(rows.map((r) => r.id)).toEqual([IDS.policies.lab]);
  });

  it('lists requests by package with expansions', async () => {
    const { rows } = await listAll<{ id: string; state: string; assignment: { id: string } | null }>(t, token, `${EM}/assignmentRequests?$filter=accessPackage/id eq '${IDS.mainPackage}' and state eq 'deliveryFailed'&$expand=assignment`);
    const failed = expectedAssignments(t.data, IDS.mainPackage).filter((a) => a.state === 'deliveryFailed').map((a) => a.id);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.state === 'deliveryFailed' && failed.includes(r.assignment!.id))).toBe(true);
  });
});
