// The overview's Resources view: every group, team, application and site that a package of the scope grants,
// with the packages that grant it and how many delivered assignments hold it through each ("which packages add
// people to this privileged group?"). Pure: the resources come from the package listing, the counts from the
// store's packages table.
import type { AccessResource, ResourceKind } from '../access/resources';
import type { PackageStats } from './store';

export interface ResourceGrant {
  packageId: string;
  roleName: string;
  /** delivered assignments of the package (in the current filter): the people it grants the role to */
  holders: number;
}

export interface ResourceSummary {
  /** kind and object id (group id, service principal id, site URL) */
  key: string;
  objectId: string;
  kind: ResourceKind;
  displayName: string;
  originSystem: string;
  grants: ResourceGrant[];
  /** sum of the grants' holders (a person in two packages counts twice) */
  holders: number;
}

/** One entry per resource, most holders first; a package granting two roles of a resource is listed twice. */
export function summariseResources(resources: ReadonlyMap<string, readonly AccessResource[]>, stats: readonly PackageStats[]): ResourceSummary[] {
  const delivered = new Map(stats.map((s) => [s.packageId, s.delivered]));
  const byKey = new Map<string, ResourceSummary>();
  for (const [packageId, list] of resources) {
    for (const r of list) {
      const objectId = r.objectId || r.id;
      const key = `${r.originSystem.toLowerCase()}|${objectId.toLowerCase()}`;
      let s = byKey.get(key);
      if (!s) byKey.set(key, (s = { key, objectId, kind: r.kind, displayName: r.displayName, originSystem: r.originSystem, grants: [], holders: 0 }));
      const holders = delivered.get(packageId) ?? 0;
      s.grants.push({ packageId, roleName: r.roleName, holders });
      s.holders += holders;
    }
  }
  const out = [...byKey.values()];
  for (const s of out) s.grants.sort((a, b) => b.holders - a.holders);
  return out.sort((a, b) => b.holders - a.holders || a.displayName.localeCompare(b.displayName));
}
