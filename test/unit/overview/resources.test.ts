// The Resources view's summary: one entry per resource across packages, the packages that grant it with the
// role, and the delivered assignments holding it through each.
import type { AccessResource } from '../../../src/core/access/resources';
import { summariseResources } from '../../../src/core/overview/resources';
import type { PackageStats } from '../../../src/core/overview/store';

const stats = (packageId: string, delivered: number): PackageStats => ({ packageId, assignments: delivered + 3, delivered, stale: 0, staleBy: [0, 0, 0, 0, 0], deliveryFailed: 0, expiringSoon: 0, guests: 0 });
const res = (over: Partial<AccessResource>): AccessResource => ({ id: 'rs', kind: 'groupMember', objectId: 'g-1', displayName: 'Sales group', roleName: 'Member', originSystem: 'AadGroup', ...over });

describe('summariseResources', () => {
  it('joins a resource granted by several packages and counts the holders through each', () => {
    const resources = new Map([
      ['p-1', [res({}), res({ id: 'rs2', kind: 'appRole', objectId: 'sp-1', displayName: 'Expenses', roleName: 'User', originSystem: 'AadApplication' })]],
      ['p-2', [res({ id: 'rs3', objectId: 'G-1' })]],
      ['p-3', [res({ id: 'rs4', kind: 'groupOwner', roleName: 'Owner' })]],
    ]);
    const out = summariseResources(resources, [stats('p-1', 10), stats('p-2', 4), stats('p-3', 1)]);
    expect(out.map((r) => [r.displayName, r.holders, r.grants.map((g) => `${g.packageId}:${g.roleName}:${g.holders}`)])).toEqual([
      ['Sales group', 15, ['p-1:Member:10', 'p-2:Member:4', 'p-3:Owner:1']],
      ['Expenses', 10, ['p-1:User:10']],
    ]);
  });

  it('counts nothing for a package the filter leaves out, and lists a package without stats as granting to 0', () => {
    const out = summariseResources(new Map([['p-9', [res({})]]]), []);
    expect(out).toHaveLength(1);
    expect(out[0].holders).toBe(0);
    expect(out[0].grants).toEqual([{ packageId: 'p-9', roleName: 'Member', holders: 0 }]);
  });
});
