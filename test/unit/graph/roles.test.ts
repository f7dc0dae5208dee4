import { createGraph, GraphError } from '../../../src/graph/client';
import { explainForbidden, fetchMyRoles } from '../../../src/graph/roles';
import { fakeFetch, pathOf, query, type FakeAnswer } from './fakes';

const ME = 'cccccccc-0000-4000-8000-000000000001';
const CAT = 'dddddddd-0000-4000-8000-000000000001';
const OTHER = 'dddddddd-0000-4000-8000-000000000002';
const OWNER = 'ae79f266-94d4-4dab-b730-feca7e132178';
const READER = '44272f93-9762-48e8-af59-1b5351b1d6b3';
const CREATOR = 'ba92d953-d8e0-4e39-a797-0cbedb0a89e8';

function graphWith(answer: FakeAnswer) {
  const ff = fakeFetch(() => answer);
  return { ff, graph: createGraph({ cloud: 'global', getToken: async () => 't', fetchImpl: ff.fetch }) };
}
const assignment = (roleDefinitionId: string, appScopeId: string) => ({ id: `ra-${roleDefinitionId}-${appScopeId}`, roleDefinitionId, appScopeId, roleDefinition: { id: roleDefinitionId, displayName: 'x' } });

describe('fetchMyRoles', () => {
  test('asks for my explicit EM role assignments with their definitions', async () => {
    const { ff, graph } = graphWith({ status: 200, json: { value: [] } });
    await fetchMyRoles(graph, ME, CAT);
    expect(pathOf(ff.calls[0].url)).toBe('roleManagement/entitlementManagement/roleAssignments');
    expect(query(ff.calls[0].url)).toMatchObject({ $filter: `principalId eq '${ME}'`, $expand: 'roleDefinition' });
  });

  test('a writing role on this catalog: can write', async () => {
    const { graph } = graphWith({ status: 200, json: { value: [assignment(OWNER, `/AccessPackageCatalog/${CAT}`), assignment(READER, `/AccessPackageCatalog/${OTHER}`)] } });
    const r = await fetchMyRoles(graph, ME, CAT);
    expect(r.canWrite).toBe(true);
    expect(r.roles).toEqual(['Catalog owner']);
    expect(r.explanation).toMatch(/Catalog owner/);
  });

  test('a writing role on another catalog only: unknown, not no, and why', async () => {
    const { graph } = graphWith({ status: 200, json: { value: [assignment(OWNER, `/AccessPackageCatalog/${OTHER}`), assignment(CREATOR, '/')] } });
    const r = await fetchMyRoles(graph, ME, CAT);
    expect(r.canWrite).toBe('unknown');
    expect(r.roles).toEqual(['Catalog creator']);
    expect(r.explanation).toMatch(/directory roles .* not listed/);
  });

  test('nothing found: unknown, explaining that directory and group roles are not returned', async () => {
    const { graph } = graphWith({ status: 200, json: { value: [] } });
    const r = await fetchMyRoles(graph, ME, CAT);
    expect(r).toEqual({ canWrite: 'unknown', roles: [], explanation: expect.stringMatching(/No role was found.*group are not listed/) });
  });

  test('roles that cannot be read: unknown, with the reason', async () => {
    const { graph } = graphWith({ status: 403, json: { error: { code: 'Forbidden', message: 'nope' } } });
    const r = await fetchMyRoles(graph, ME, CAT);
    expect(r.canWrite).toBe('unknown');
    expect(r.explanation).toMatch(/could not be read \(nope\)/);
  });
});

describe('explainForbidden', () => {
  const e403 = (message: string) => new GraphError({ status: 403, code: 'Forbidden', message, url: 'u' });

  test('remove and add name the catalog roles, the directory role and the write permission, plus Graph\'s words', () => {
    for (const action of ['remove', 'add'] as const) {
      const t = explainForbidden(e403('Access denied.'), action);
      expect(t).toMatch(/Access package assignment manager, Access package manager or Catalog owner/);
      expect(t).toMatch(/Identity Governance Administrator/);
      expect(t).toMatch(/EntitlementManagement\.ReadWrite\.All/);
      expect(t).toMatch(/\(Graph: Forbidden: Access denied\.\)$/);
    }
    expect(explainForbidden(e403('x'), 'remove')).toMatch(/^Removing/);
    expect(explainForbidden(e403('x'), 'add')).toMatch(/^Adding/);
  });

  test('a missing permission is said first', () => {
    expect(explainForbidden(e403('Missing scope permissions on the request.'), 'remove')).toMatch(/^The app needs the EntitlementManagement\.ReadWrite\.All/);
  });

  test('read names Catalog reader and the read permission', () => {
    const t = explainForbidden(e403('denied'), 'read');
    expect(t).toMatch(/Catalog reader/);
    expect(t).toMatch(/EntitlementManagement\.Read\.All/);
  });
});
