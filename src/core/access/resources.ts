// The resources an access package grants, read from Graph's accessPackage.resourceRoleScopes
// (`$expand=resourceRoleScopes($expand=role,scope)`), and what the access check can compare for each.
// Pure: no browser or network API.

/** What holding a resource role means, and so which listing shows who holds it. */
export type ResourceKind = 'groupMember' | 'groupOwner' | 'appRole' | 'sharePoint' | 'other';

export interface AccessResource {
  /** The resourceRoleScope id (unique within the package). */
  id: string;
  kind: ResourceKind;
  /**
   * The directory object that carries the role: the group's id (groups and teams), the service principal's
   * id (applications), the site URL (SharePoint). This is the `data-resource-id` of the outside list.
   */
  objectId: string;
  /** The scope's display name (group, application or site name). */
  displayName: string;
  /** The role's display name (Member, Owner, the app role's name). */
  roleName: string;
  /** Applications: the app role id the package grants (role `originId`). */
  appRoleId?: string;
  /** Graph's originSystem verbatim (AadGroup, AadApplication, SharePointOnline, ...). */
  originSystem: string;
}

/** Kinds whose holders Graph lists; the others are reported as not checked. */
export const CHECKABLE: ReadonlySet<ResourceKind> = new Set(['groupMember', 'groupOwner', 'appRole']);

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The package's resources, one per role scope. Unknown or malformed entries are kept as `other` (reported,
 * never silently dropped): a package with a resource the check cannot read must not look complete.
 */
export function resourcesFromPackage(pkg: unknown): AccessResource[] {
  const scopes = (pkg as { resourceRoleScopes?: unknown } | null)?.resourceRoleScopes;
  if (!Array.isArray(scopes)) return [];
  const out: AccessResource[] = [];
  for (const rs of scopes as Array<Record<string, unknown>>) {
    if (!rs || typeof rs !== 'object') continue;
    const role = (rs.role ?? {}) as Record<string, unknown>;
    const scope = (rs.scope ?? {}) as Record<string, unknown>;
    const originSystem = str(role.originSystem) || str(scope.originSystem);
    const roleOrigin = str(role.originId);
    const scopeOrigin = str(scope.originId);
    const base = {
      id: str(rs.id) || `${originSystem}:${scopeOrigin}:${roleOrigin}`,
      displayName: str(scope.displayName) || scopeOrigin,
      roleName: str(role.displayName) || roleOrigin,
      originSystem,
    };
    const system = originSystem.toLowerCase();
    if (system === 'aadgroup') {
      // Role originId is `Member_<groupId>` or `Owner_<groupId>`; the scope's originId is the group id.
      const m = /^(member|owner)_(.+)$/i.exec(roleOrigin);
      const groupId = scopeOrigin || m?.[2] || '';
      const kind: ResourceKind = !m ? 'other' : m[1].toLowerCase() === 'owner' ? 'groupOwner' : 'groupMember';
      out.push({ ...base, kind: groupId ? kind : 'other', objectId: groupId });
    } else if (system === 'aadapplication') {
      out.push({ ...base, kind: scopeOrigin && roleOrigin ? 'appRole' : 'other', objectId: scopeOrigin, appRoleId: roleOrigin });
    } else if (system === 'sharepointonline') {
      out.push({ ...base, kind: 'sharePoint', objectId: scopeOrigin });
    } else {
      out.push({ ...base, kind: 'other', objectId: scopeOrigin });
    }
  }
  return out;
}
