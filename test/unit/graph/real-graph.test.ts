// The Graph layer against the schema-faithful demo tenant: each test here failed while the product read
// relationships it never expanded, sent undocumented options, or classified requests by substring.
import { isRemovalRequest } from '../../../src/core/request-types';
import { fetchAssignments, fetchPackage } from '../../../src/graph/assignments';
import { createGraph, type Graph } from '../../../src/graph/client';
import { fetchDeliveryStatus } from '../../../src/graph/requests';
import type { Row } from '../../../src/core/model';
import { expectedAssignments, IDS, startTenant, type Tenant } from '../../tenant';
import { QUESTION_IDS } from '../../tenant/fixtures';
import { loadSchema } from '../../tenant/schema/csdl';
import { requestProblems } from '../../tenant/schema/requests';
import { tenantFetch } from '../../support/tenant-fetch';

/** The product's Graph client, with fetch going to the tenant over its pinned-certificate client. */
function graphFor(tenant: Tenant): Graph {
  return createGraph({
    cloud: 'global',
    fetchImpl: tenantFetch(tenant),
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))),
    getToken: async () => tenant.mintAccessToken(),
  });
}

let t: Tenant;
beforeAll(async () => {
  t = await startTenant({ size: 400, seed: 9, pageSize: 60, hostile: true });
});
afterAll(() => t.close());

const sentProblems = (): string[] => t.log.flatMap((e) => requestProblems(loadSchema(), e));

test('policies come with their requestor questions (text and multiple choice), so the one-at-a-time rule applies', async () => {
  t.resetLog();
  const { policies } = await fetchPackage(graphFor(t), IDS.mainPackage);
  const employees = policies.find((p) => p.id === IDS.policies.employees)!;
  expect(employees.hasQuestions).toBe(true);
  expect(employees.questions!.map((q) => [q.id, q.kind, q.isRequired])).toEqual([
    [QUESTION_IDS.reason, 'text', true],
    [QUESTION_IDS.site, 'choice', false],
  ]);
  expect(employees.questions![1].choices.map((c) => c.value)).toEqual(['PAR', 'SEA']);
  expect(policies.find((p) => p.id === IDS.policies.direct)!.hasQuestions).toBe(false);
  expect(sentProblems()).toEqual([]);
});

test('every assignment listed with its connected organisation, a later state included, nothing undocumented sent', async () => {
  t.resetLog();
  const graph = graphFor(t);
  const { policies } = await fetchPackage(graph, IDS.mainPackage);
  const rows: Row[] = [];
  const result = await fetchAssignments({ graph, packageId: IDS.mainPackage, policies, onRows: (r) => rows.push(...r) });
  const expected = expectedAssignments(t.data, IDS.mainPackage);
  expect(result.missing).toEqual([]);
  expect(new Set(rows.map((r) => r.id))).toEqual(new Set(expected.map((a) => a.id)));
  // the hostile state added "later" is listed as the sentinel without Prefer, and covered by its partition
  expect(rows.some((r) => r.state === 'unknownFutureValue')).toBe(true);
  const orgs = new Map(t.data.connectedOrganizations.map((o) => [o.id, o.displayName]));
  for (const a of expected) {
    if (!a.target?.connectedOrganizationId) continue;
    expect(rows.find((r) => r.id === a.id)!.connectedOrgName).toBe(orgs.get(a.target.connectedOrganizationId));
  }
  expect(expected.some((a) => a.target?.connectedOrganizationId)).toBe(true);
  expect(t.log.filter((e) => e.path.endsWith('/assignments') && (e.query.$top || e.query.$count))).toEqual([]);
  expect(sentProblems()).toEqual([]);
});

test('a removal by an approver (a request type added after unknownFutureValue) is recognised as a removal', async () => {
  const a = expectedAssignments(t.data, IDS.mainPackage).find((x) => x.state === 'delivered' && x.target)!;
  const base = t.data.requests[0];
  t.data.requests.push({ ...base, id: 'f0000000-0000-4000-8000-00000000a001', requestType: 'approverRemove', state: 'delivered', createdDateTime: '2099-01-01T00:00:00Z', accessPackageId: IDS.mainPackage, assignmentId: a.id });
  t.resetLog();
  const [st] = await fetchDeliveryStatus(graphFor(t), IDS.mainPackage, [a.id]);
  expect(st.requestType).toBe('approverRemove');
  expect(isRemovalRequest(st.requestType)).toBe(true);
  expect(isRemovalRequest('unknownFutureValue')).toBe(false);
  expect(isRemovalRequest('notARemoveAtAll')).toBe(false);
  expect(sentProblems()).toEqual([]);
});
