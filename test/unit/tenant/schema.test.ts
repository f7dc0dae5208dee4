// Everything the demo tenant serves on the endpoints the product reads, checked against Microsoft's
// published v1.0 schema (test/tenant/schema): generated tenants of several seeds and shapes, and the
// hostile fixtures. The tenant must not be kinder than Graph: a property Graph does not send, a relationship
// sent without $expand, an undeclared enum member would let a product bug pass every test.
import { IDS, startTenant, type Tenant } from '../../tenant';
import { parseExpand, parseSelect } from '../../tenant/odata';
import { loadSchema, parseCsdl } from '../../tenant/schema/csdl';
import { requestProblems } from '../../tenant/schema/requests';
import { validateCollection, validateEntity, validateObject } from '../../tenant/schema/validate';
import { EM, get, GRAPH } from './helpers';

const schema = loadSchema();
const pkg = (id: string) => encodeURIComponent(`accessPackage/id eq '${id}'`);

/** The reads the product makes (see the Graph request table in test/tenant/README.md), as [url, type, collection]. */
function endpoints(t: Tenant): Array<[string, string, boolean]> {
  const someAssignment = t.data.assignments.find((a) => a.accessPackageId === IDS.mainPackage && a.target?.objectId)!;
  const someUser = someAssignment.target!.objectId!;
  return [
    [`${EM}/accessPackages/${IDS.mainPackage}?$expand=assignmentPolicies($expand=questions),catalog`, 'accessPackage', false],
    [`${EM}/accessPackages/${IDS.mainPackage}?$expand=catalog`, 'accessPackage', false],
    [`${EM}/assignmentPolicies?$filter=${pkg(IDS.mainPackage)}&$expand=questions`, 'accessPackageAssignmentPolicy', true],
    [`${EM}/assignmentPolicies/${someAssignment.assignmentPolicyId}?$expand=questions`, 'accessPackageAssignmentPolicy', false],
    [`${EM}/assignments?$filter=${pkg(IDS.mainPackage)}&$expand=target($expand=connectedOrganization),assignmentPolicy($select=id,displayName)`, 'accessPackageAssignment', true],
    [`${EM}/assignments?$filter=${pkg(IDS.mainPackage)}&$expand=target($expand=connectedOrganization),assignmentPolicy`, 'accessPackageAssignment', true],
    [`${EM}/assignments?$filter=${pkg(IDS.mainPackage)}%20and%20state%20eq%20'unknownFutureValue'&$expand=target($expand=connectedOrganization),assignmentPolicy`, 'accessPackageAssignment', true],
    [`${EM}/assignments/${someAssignment.id}?$select=id,state,expiredDateTime`, 'accessPackageAssignment', false],
    [`${EM}/assignments?$filter=${encodeURIComponent(`target/objectId eq '${someUser}'`)}&$select=id,state`, 'accessPackageAssignment', true],
    [`${EM}/assignmentRequests?$filter=${pkg(IDS.mainPackage)}&$expand=assignment`, 'accessPackageAssignmentRequest', true],
    [`${EM}/assignmentRequests?$filter=${pkg(IDS.mainPackage)}&$expand=assignment,requestor,answers/answeredQuestion`, 'accessPackageAssignmentRequest', true],
    [`${EM}/connectedOrganizations`, 'connectedOrganization', true],
    [`${EM}/catalogs`, 'accessPackageCatalog', true],
  ];
}

async function servedProblems(t: Tenant, prefer = false): Promise<string[]> {
  const token = t.mintAccessToken();
  const problems: string[] = [];
  for (const [url, type, collection] of endpoints(t)) {
    const q = new URL(url).searchParams;
    const ctx = { expand: parseExpand(q.get('$expand')), select: parseSelect(q.get('$select')), includeUnknownEnums: prefer };
    let next: string | undefined = url;
    while (next) {
      const res = await get(t, token, next, prefer ? { prefer: 'include-unknown-enum-members' } : {});
      if (res.status !== 200) {
        problems.push(`${url}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
        break;
      }
      const body = res.json<Record<string, unknown>>();
      const found = collection ? validateCollection(schema, body, type, ctx) : validateEntity(schema, body, type, ctx);
      problems.push(...found.map((f) => `${new URL(url).pathname.split('/').pop()}: ${f}`));
      next = collection ? (body['@odata.nextLink'] as string | undefined) : undefined;
    }
  }
  // one line per kind of finding: indices dropped, repeats folded
  return [...new Set(problems.map((p) => p.replace(/\[\d+\]/g, '[]')))];
}

/**
 * Hostile data is out of schema on purpose in exactly one way: a start date that is not a date, to prove
 * the product survives one. Everything else must be schema-faithful.
 */
const DELIBERATE = /schedule\.startDateTime: expected an ISO 8601 date-time, got "not-a-date"/;

describe('the schema subset', () => {
  it('reads the types, navigation properties and enums the product relies on', () => {
    const policy = schema.types.get('accessPackageAssignmentPolicy')!;
    expect(policy.navigation.has('questions')).toBe(true);
    expect(policy.properties.has('questions')).toBe(false);
    expect(schema.types.get('accessPackageSubject')!.navigation.has('connectedOrganization')).toBe(true);
    expect(schema.types.get('accessPackageSubject')!.properties.get('subjectLifecycle')!.nullable).toBe(false);
    expect(schema.enums.get('accessPackageRequestType')!.members.slice(-2)).toEqual(['unknownFutureValue', 'approverRemove']);
    expect(schema.enums.get('accessPackageRequestType')!.members).not.toContain('userExtend');
    expect(schema.actions.has('accessPackageAssignment/reprocess')).toBe(true);
    // the later definitions from other namespaces do not replace microsoft.graph's
    expect(schema.types.get('user')!.properties.has('signInActivity')).toBe(true);
  });

  it('finds what Graph would not send', () => {
    const s = parseCsdl(
      '<Schema><EnumType Name="e"><Member Name="a"/><Member Name="unknownFutureValue"/><Member Name="late"/></EnumType>' +
        '<EntityType Name="t"><Property Name="id" Type="Edm.String" Nullable="false"/><Property Name="k" Type="graph.e"/>' +
        '<NavigationProperty Name="rel" Type="graph.t"/></EntityType></Schema>',
    );
    const ctx = { expand: [], select: null, includeUnknownEnums: false };
    expect(validateObject(s, { id: 'x', k: 'a' }, 't', ctx, '')).toEqual([]);
    expect(validateObject(s, { id: 'x', k: 'late' }, 't', ctx, '').join()).toMatch(/include-unknown-enum-members/);
    expect(validateObject(s, { id: 'x', k: 'late' }, 't', { ...ctx, includeUnknownEnums: true }, '')).toEqual([]);
    expect(validateObject(s, { id: 'x', k: 'zzz' }, 't', ctx, '').join()).toMatch(/not a member/);
    expect(validateObject(s, { id: 'x', k: 'a', rel: null }, 't', ctx, '').join()).toMatch(/without \$expand/);
    expect(validateObject(s, { id: 'x', k: 'a', extra: 1 }, 't', ctx, '').join()).toMatch(/no property 'extra'/);
    expect(validateObject(s, { id: null, k: 'a' }, 't', ctx, '').join()).toMatch(/not nullable/);
    expect(validateObject(s, { id: 'x' }, 't', ctx, '').join()).toMatch(/k: t property missing/);
    expect(validateObject(s, { id: 'x', k: 'a', '@odata.context': 'c' }, 't', ctx, '').join()).toMatch(/annotation/);
  });
});

describe('what the demo tenant serves follows the v1.0 schema', () => {
  const cases: Array<[string, Parameters<typeof startTenant>[0]]> = [
    ['seed 3', { size: 300, seed: 3, pageSize: 120 }],
    ['seed 11, many policies', { size: 300, seed: 11, pageSize: 120, shape: 'many-policies' }],
    ['seed 42, single policy', { size: 200, seed: 42, pageSize: 120, shape: 'single-policy' }],
    ['hostile fixtures', { size: 300, seed: 7, pageSize: 120, hostile: true }],
  ];
  for (const [name, opts] of cases) {
    it(name, async () => {
      const t = await startTenant(opts);
      try {
        const problems = (await servedProblems(t)).filter((p) => !DELIBERATE.test(p));
        expect(problems.slice(0, 20)).toEqual([]);
        if (opts?.hostile) {
          // with the header, evolvable members arrive by name; still nothing else is out of schema
          const withPrefer = (await servedProblems(t, true)).filter((p) => !DELIBERATE.test(p) && !/someFutureState/.test(p));
          expect(withPrefer.slice(0, 20)).toEqual([]);
        }
      } finally {
        await t.close();
      }
    });
  }

  it('refuses what Graph refuses', async () => {
    const t = await startTenant({ size: 60, seed: 5 });
    const token = t.mintAccessToken();
    try {
      const bad = [
        `${EM}/assignments?$filter=${pkg(IDS.mainPackage)}&$select=id,nope`,
        `${EM}/assignments?$filter=${encodeURIComponent('nope eq 1')}`,
        `${EM}/assignments?$filter=${pkg(IDS.mainPackage)}&$expand=state`,
        `${EM}/assignmentPolicies?$filter=${pkg(IDS.mainPackage)}&$expand=displayName`,
        `${EM}/assignments?$filter=${pkg(IDS.mainPackage)}&$frobnicate=1`,
      ];
      for (const url of bad) {
        const res = await get(t, token, url);
        expect([url, res.status]).toEqual([url, 400]);
      }
      // questions arrive only when expanded
      const plain = (await get(t, token, `${EM}/assignmentPolicies/${IDS.policies.employees}`)).json<Record<string, unknown>>();
      expect(plain).not.toHaveProperty('questions');
      const expanded = (await get(t, token, `${EM}/assignmentPolicies/${IDS.policies.employees}?$expand=questions`)).json<{ questions: unknown[] }>();
      expect(expanded.questions.length).toBeGreaterThan(0);
      expect(GRAPH).toContain('v1.0');
    } finally {
      await t.close();
    }
  });
});

describe('the request validator', () => {
  const EMP = '/v1.0/identityGovernance/entitlementManagement';
  const req = (method: string, path: string, query: Record<string, string> = {}, body?: unknown, prefer?: string) =>
    requestProblems(schema, { host: 'graph.microsoft.com', method, path, query, body, prefer });
  const pf = `accessPackage/id eq '${IDS.mainPackage}'`;

  it('accepts what the product sends', () => {
    expect(req('GET', `${EMP}/assignments`, { $filter: `${pf} and assignmentPolicy/id eq 'p' and state eq 'unknownFutureValue'`, $expand: 'target($expand=connectedOrganization),assignmentPolicy' })).toEqual([]);
    expect(req('GET', `${EMP}/accessPackages/${IDS.mainPackage}`, { $expand: 'assignmentPolicies($expand=questions),catalog' })).toEqual([]);
    expect(req('GET', `${EMP}/assignments/x`, { $select: 'id,state,expiredDateTime' })).toEqual([]);
    expect(req('GET', `${EMP}/assignmentRequests`, { $filter: pf, $expand: 'assignment' }, undefined, 'include-unknown-enum-members')).toEqual([]);
    expect(req('POST', `${EMP}/assignments/x/reprocess`)).toEqual([]);
    expect(req('GET', '/v1.0/users', { $filter: "id in ('a')", $select: 'id,signInActivity' })).toEqual([]);
    const add = {
      requestType: 'adminAdd',
      assignment: { targetId: 'u', assignmentPolicyId: 'p', accessPackageId: 'a' },
      answers: [{ '@odata.type': '#microsoft.graph.accessPackageAnswerString', value: 'x', displayValue: 'x', answeredQuestion: { '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', id: 'q' } }],
    };
    expect(req('POST', `${EMP}/assignmentRequests`, {}, add)).toEqual([]);
  });

  it('fails an unknown property, expand, enum value, query option or endpoint', () => {
    expect(req('GET', `${EMP}/assignments`, { $filter: pf, $top: '999', $count: 'true' }).join()).toMatch(/\$top is not documented.*\$count is not documented/);
    expect(req('GET', `${EMP}/assignments`, { $expand: 'state' }).join()).toMatch(/not a navigation property/);
    expect(req('GET', `${EMP}/assignments`, { $expand: 'target($expand=nope)' }).join()).toMatch(/no property 'nope'/);
    expect(req('GET', `${EMP}/assignments`, { $select: 'id,assignmentState' }).join()).toMatch(/no property 'assignmentState'/);
    expect(req('GET', `${EMP}/assignments`, { $filter: "state eq 'removing'" }).join()).toMatch(/not a member/);
    expect(req('GET', `${EMP}/assignmentRequests`, { $filter: "requestType eq 'approverRemove'" }).join()).toMatch(/without Prefer/);
    expect(req('GET', `${EMP}/assignmentRequests`, { $filter: "requestType eq 'approverRemove'" }, undefined, 'include-unknown-enum-members')).toEqual([]);
    expect(req('GET', `${EMP}/accessPackageAssignments`).join()).toMatch(/not a navigation property/);
    expect(req('GET', '/v1.0/groups/x/transitiveMembers').join()).toMatch(/request table/);
    expect(req('POST', `${EMP}/assignmentRequests`, {}, { requestType: 'userExtend', assignment: { id: 'a' } }).join()).toMatch(/not a member/);
    expect(req('POST', `${EMP}/assignmentRequests`, {}, { requestType: 'adminAdd', answers: [{ '@odata.type': '#microsoft.graph.accessPackageAnswerChoice', actualValue: 'x' }] }).join()).toMatch(/does not derive/);
  });
});

describe('the request validator and the browser', () => {
  it('leaves the proxy tunnel and CORS preflights alone', () => {
    expect(requestProblems(schema, { host: 'graph.microsoft.com', method: 'CONNECT', path: 'graph.microsoft.com:443', query: {} })).toEqual([]);
    expect(requestProblems(schema, { host: 'graph.microsoft.com', method: 'OPTIONS', path: '/v1.0/users', query: {} })).toEqual([]);
  });
});
