import {
  accessCounts,
  principalIndex,
  resourcesToRecheck,
  ResourceTally,
  rowAccess,
  type AccessRow,
  type ResourceOutcome,
} from '../../../src/core/access/compare';
import { resourcesFromPackage, type AccessResource } from '../../../src/core/access/resources';

const G = '11111111-1111-4111-8111-111111111111';
const SP = '22222222-2222-4222-8222-222222222222';
const ROLE = '33333333-3333-4333-8333-333333333333';

const pkg = {
  id: 'p',
  resourceRoleScopes: [
    { id: 'rs-member', role: { originSystem: 'AadGroup', originId: `Member_${G}`, displayName: 'Member' }, scope: { originSystem: 'AadGroup', originId: G, displayName: 'Sales team' } },
    { id: 'rs-owner', role: { originSystem: 'AadGroup', originId: `Owner_${G}`, displayName: 'Owner' }, scope: { originSystem: 'AadGroup', originId: G, displayName: 'Sales team' } },
    { id: 'rs-app', role: { originSystem: 'AadApplication', originId: ROLE, displayName: 'Reader' }, scope: { originSystem: 'AadApplication', originId: SP, displayName: 'Expenses' } },
    { id: 'rs-site', role: { originSystem: 'SharePointOnline', originId: '4', displayName: 'Visitors' }, scope: { originSystem: 'SharePointOnline', originId: 'https://contoso.sharepoint.com/sites/sales', displayName: 'Sales site' } },
  ],
};

const user = (n: number): string => `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, '0')}`;
const row = (id: string, objectId: string | null, state = 'delivered'): AccessRow => ({ id, objectId, state });

function tally(rows: AccessRow[], holders: string[]): { t: ResourceTally; index: ReturnType<typeof principalIndex> } {
  const index = principalIndex(rows);
  const t = new ResourceTally(index);
  for (const h of holders) t.add({ objectId: h, type: 'user', displayName: h, principalName: '' });
  return { t, index };
}

describe('resourcesFromPackage', () => {
  it('reads groups (member and owner), applications with their app role, and SharePoint sites', () => {
    const r = resourcesFromPackage(pkg);
    expect(r.map((x) => [x.id, x.kind, x.objectId])).toEqual([
      ['rs-member', 'groupMember', G],
      ['rs-owner', 'groupOwner', G],
      ['rs-app', 'appRole', SP],
      ['rs-site', 'sharePoint', 'https://contoso.sharepoint.com/sites/sales'],
    ]);
    expect(r[2].appRoleId).toBe(ROLE);
    expect(r[0].displayName).toBe('Sales team');
  });

  it('keeps an unknown origin system as a resource it cannot check (never silently dropped)', () => {
    const r = resourcesFromPackage({ resourceRoleScopes: [{ id: 'x', role: { originSystem: 'Something', originId: 'a' }, scope: { originId: 'b' } }] });
    expect(r).toHaveLength(1);
    expect(r[0].kind).toBe('other');
  });

  it('gives no resources when the navigation property was not expanded', () => {
    expect(resourcesFromPackage({ id: 'p' })).toEqual([]);
  });
});

describe('rowAccess', () => {
  const resources = resourcesFromPackage(pkg);
  const member = resources[0];
  const app = resources[2];
  const site = resources[3];

  it('complete when every readable role is held, missing names the resources not held', () => {
    const rows = [row('a1', user(1)), row('a2', user(2))];
    const m = tally(rows, [user(1), user(2)]);
    const a = tally(rows, [user(1)]);
    const outcomes: ResourceOutcome[] = [
      { resource: member, check: { status: 'checked' }, has: m.t.has },
      { resource: app, check: { status: 'checked' }, has: a.t.has },
    ];
    const r = rowAccess(m.index, outcomes);
    expect(r).toEqual([
      { id: 'a1', value: 'complete', missing: [], reasons: [], state: 'delivered' },
      { id: 'a2', value: 'missing', missing: ['rs-app'], reasons: [], state: 'delivered' },
    ]);
    expect(accessCounts(r)).toEqual({ complete: 1, missing: 1, 'not-checked': 0, pending: 0 });
  });

  it('delivering is pending; expired and failed are not checked; a target not in the directory is not checked', () => {
    const rows = [row('d', user(1), 'delivering'), row('e', user(2), 'expired'), row('f', user(3), 'deliveryFailed'), row('n', null)];
    const m = tally(rows, []);
    const r = rowAccess(m.index, [{ resource: member, check: { status: 'checked' }, has: m.t.has }]);
    expect(r.map((x) => [x.id, x.value, x.reasons])).toEqual([
      ['d', 'pending', []],
      ['e', 'not-checked', ['not-delivered']],
      ['f', 'not-checked', ['not-delivered']],
      ['n', 'not-checked', ['not-in-directory']],
    ]);
  });

  it('a resource that cannot be read makes held rows not-checked with the reason, but a missing role still shows', () => {
    const rows = [row('a1', user(1)), row('a2', user(2))];
    const m = tally(rows, [user(1)]);
    const outcomes: ResourceOutcome[] = [
      { resource: member, check: { status: 'checked' }, has: m.t.has },
      { resource: site, check: { status: 'not-checked', reason: 'sharepoint' } },
      { resource: app, check: { status: 'not-checked', reason: 'no-permission' } },
    ];
    const r = rowAccess(m.index, outcomes);
    expect(r[0]).toEqual({ id: 'a1', value: 'not-checked', missing: [], reasons: ['sharepoint', 'no-permission'], state: 'delivered' });
    expect(r[1].value).toBe('missing');
    expect(r[1].missing).toEqual(['rs-member']);
  });

  it('a SharePoint site alone does not hold back a row whose other resources were read; with nothing read it does', () => {
    const rows = [row('a1', user(1))];
    const m = tally(rows, [user(1)]);
    const site = resourcesFromPackage(pkg)[3];
    expect(rowAccess(m.index, [{ resource: resourcesFromPackage(pkg)[0], check: { status: 'checked' }, has: m.t.has }, { resource: site, check: { status: 'not-checked', reason: 'sharepoint' } }])[0]).toEqual({
      id: 'a1',
      value: 'complete',
      missing: [],
      reasons: [],
      state: 'delivered',
    });
    expect(rowAccess(m.index, [{ resource: site, check: { status: 'not-checked', reason: 'sharepoint' } }])[0]).toEqual({
      id: 'a1',
      value: 'not-checked',
      missing: [],
      reasons: ['sharepoint'],
      state: 'delivered',
    });
  });

  it('matches object ids case-insensitively and only computes the rows asked for', () => {
    const rows = [row('a1', user(1).toUpperCase()), row('a2', user(2))];
    const m = tally(rows, [user(1)]);
    const r = rowAccess(m.index, [{ resource: member, check: { status: 'checked' }, has: m.t.has }], [0]);
    expect(r).toEqual([{ id: 'a1', value: 'complete', missing: [], reasons: [], state: 'delivered' }]);
  });
});

describe('ResourceTally.hold', () => {
  it('matches a holder whose id Graph sent in upper case, and describes only holders outside the package', () => {
    const index = principalIndex([row('a1', user(1)), row('a2', user(2))]);
    const t = new ResourceTally(index);
    const described: string[] = [];
    const describe = (id: string) => () => {
      described.push(id);
      return { objectId: id, type: 'user', displayName: id, principalName: '' };
    };
    t.hold(user(1).toUpperCase(), describe(user(1)));
    t.hold(user(9), describe(user(9)));
    t.hold(user(9).toUpperCase(), describe(user(9)));
    expect([...t.has]).toEqual([1, 0]);
    expect(described).toEqual([user(9)]);
    expect(t.holders).toBe(3);
  });
});

describe('outside the package', () => {
  it('lists holders without an active assignment once each, and not those with one', () => {
    const rows = [row('a1', user(1)), row('a2', user(2), 'expired'), row('a3', user(3), 'delivering')];
    const { t } = tally(rows, [user(1), user(2), user(3), user(4), user(4)]);
    expect(t.outside.map((p) => p.objectId)).toEqual([user(2), user(4)]);
    expect(t.holders).toBe(5);
  });
});

describe('resourcesToRecheck', () => {
  const resources: AccessResource[] = resourcesFromPackage(pkg);
  const outcomes: ResourceOutcome[] = [
    { resource: resources[0], check: { status: 'checked' } },
    { resource: resources[1], check: { status: 'checked' } },
    { resource: resources[2], check: { status: 'not-checked', reason: 'failed' } },
    { resource: resources[3], check: { status: 'not-checked', reason: 'sharepoint' } },
  ];
  it('reads again only what the rows were missing (and failed reads, for rows that were not checked)', () => {
    expect(resourcesToRecheck([{ value: 'missing', missing: ['rs-owner'] }], outcomes)).toEqual(['rs-owner']);
    expect(resourcesToRecheck([{ value: 'not-checked', missing: [] }], outcomes)).toEqual(['rs-app']);
    expect(resourcesToRecheck([{ value: 'complete', missing: [] }], outcomes)).toEqual([]);
  });
});
