// The overview's package listing: each package's policies come with only the fields the overview reads, and a
// Graph that refuses options inside $expand (a 400) still lists every package, with its resources where it
// allows them.
import { listScopePackages, PACKAGE_EXPANDS } from '../../../src/graph/packages';
import { createGraph } from '../../../src/graph/client';
import { fakeFetch, VirtualClock, type Route } from './fakes';

const PACKAGES = [
  {
    id: 'pkg-1',
    displayName: 'Sales',
    catalog: { id: 'cat-1', displayName: 'General' },
    assignmentPolicies: [{ id: 'pol-1', displayName: 'Direct', automaticRequestSettings: null }, { id: 'pol-2', displayName: 'Auto', automaticRequestSettings: { requestAccessForAllowedTargets: true } }],
    resourceRoleScopes: [],
  },
  { id: 'pkg-2', displayName: 'Finance', catalog: { id: 'cat-1', displayName: 'General' }, assignmentPolicies: [], resourceRoleScopes: [] },
];

function read(refuse: (expand: string) => boolean) {
  const clock = new VirtualClock();
  const route: Route = (req) => {
    const expand = new URL(req.url).searchParams.get('$expand') ?? '';
    if (refuse(expand)) return { status: 400, json: { error: { code: 'BadRequest', message: `Query option not supported: ${expand}` } } };
    const withResources = expand.includes('resourceRoleScopes');
    return { status: 200, json: { value: PACKAGES.map(({ resourceRoleScopes, ...p }) => (withResources ? { ...p, resourceRoleScopes } : p)) } };
  };
  const ff = fakeFetch(route, clock, 100);
  const graph = createGraph({ cloud: 'global', getToken: async () => 'tok', fetchImpl: ff.fetch, sleep: clock.sleep, now: clock.now, rng: () => 0.5 });
  const expands = () => ff.calls.map((c) => new URL(c.url).searchParams.get('$expand'));
  return { run: () => clock.run(listScopePackages(graph, 'tenant')), expands };
}

test('asks for the fields of a policy the overview reads, not the whole policy', async () => {
  const r = read(() => false);
  const found = await r.run();
  expect(r.expands()).toEqual(['catalog,assignmentPolicies($select=id,displayName,automaticRequestSettings),resourceRoleScopes($expand=role,scope)']);
  expect(found.packages.map((p) => p.id)).toEqual(['pkg-1', 'pkg-2']);
  expect(found.policies.get('pkg-1')?.map((p) => [p.id, p.displayName, p.allowsDirectAssignment])).toEqual([['pol-1', 'Direct', true], ['pol-2', 'Auto', false]]);
  expect(found.resources?.get('pkg-1')).toEqual([]);
});

test('options inside $expand refused: the whole policies, still with the resources', async () => {
  const r = read((expand) => expand.includes('($select'));
  const found = await r.run();
  expect(r.expands()).toEqual([PACKAGE_EXPANDS[0], PACKAGE_EXPANDS[1]]);
  expect(found.packages).toHaveLength(2);
  expect(found.policies.get('pkg-1')).toHaveLength(2);
  expect(found.resources).not.toBeNull();
});

test('the resources refused as well: every package without them, and a 400 on the last step is the error', async () => {
  const r = read((expand) => expand.includes('('));
  const found = await r.run();
  expect(r.expands()).toEqual([...PACKAGE_EXPANDS]);
  expect(found.packages).toHaveLength(2);
  expect(found.resources).toBeNull();
  const none = read(() => true);
  await expect(none.run()).rejects.toMatchObject({ status: 400 });
  expect(none.expands()).toHaveLength(PACKAGE_EXPANDS.length);
});
