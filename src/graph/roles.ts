// The signed-in admin's entitlement-management roles, and plain words for a 403.
//
// Graph lists only EXPLICIT entitlement-management role assignments: access through an Entra directory role
// (Identity Governance Administrator, Global Administrator) or through a group holding the role is not
// returned. So "nothing found" means "unknown", never "no": Graph's answer to the write is the final word.
import { odataString } from '../core/partition';
import { t } from '../core/i18n';
import { abortError } from '../core/retry';
import { listAll } from './assignments';
import type { Graph, GraphError } from './client';

/** EM role definition ids (graph-api.md §9, entitlement-management-delegate). */
export const EM_ROLES: Readonly<Record<string, string>> = {
  'ba92d953-d8e0-4e39-a797-0cbedb0a89e8': 'Catalog creator',
  'ae79f266-94d4-4dab-b730-feca7e132178': 'Catalog owner',
  '44272f93-9762-48e8-af59-1b5351b1d6b3': 'Catalog reader',
  '7f480852-ebdc-47d4-87de-0d8498384a83': 'Access package manager',
  'e2182095-804a-4656-ae11-64734e9b7ae5': 'Access package assignment manager',
};

/** The catalog roles that may add and remove assignments. */
const WRITE_ROLES = new Set([
  'ae79f266-94d4-4dab-b730-feca7e132178',
  '7f480852-ebdc-47d4-87de-0d8498384a83',
  'e2182095-804a-4656-ae11-64734e9b7ae5',
]);


export interface MyRoles {
  /** true: an explicit role allows changes here; 'unknown': none found (you may still hold one Graph does not list). */
  canWrite: boolean | 'unknown';
  /** Role names that apply to this catalog (or tenant-wide), e.g. "Catalog owner". */
  roles: string[];
  explanation: string;
}

export async function fetchMyRoles(graph: Graph, userId: string, catalogId: string | null, signal?: AbortSignal): Promise<MyRoles> {
  let raws: unknown[];
  try {
    raws = await listAll(
      graph,
      `roleManagement/entitlementManagement/roleAssignments?$filter=${encodeURIComponent(`principalId eq ${odataString(userId)}`)}&$expand=roleDefinition`,
      signal,
    );
  } catch (e) {
    if (signal?.aborted) throw abortError(signal);
    const why = e instanceof Error ? e.message : String(e);
    return { canWrite: 'unknown', roles: [], explanation: `${t('graph_roles_unreadable', { message: why })} ${t('graph_roles_not_listed')}` };
  }
  const here = catalogId ? `/accesspackagecatalog/${catalogId.toLowerCase()}` : null;
  const roles: string[] = [];
  let canWrite = false;
  for (const raw of raws) {
    const r = raw as { roleDefinitionId?: unknown; appScopeId?: unknown; roleDefinition?: { id?: unknown; displayName?: unknown } | null };
    const defId = String(r.roleDefinitionId ?? r.roleDefinition?.id ?? '').toLowerCase();
    const scope = String(r.appScopeId ?? '').toLowerCase();
    // "/" is tenant-wide; catalog roles are scoped "/AccessPackageCatalog/<id>".
    if (scope !== '/' && scope !== here) continue;
    const name = EM_ROLES[defId] ?? (typeof r.roleDefinition?.displayName === 'string' ? r.roleDefinition.displayName : defId);
    if (!roles.includes(name)) roles.push(name);
    if (WRITE_ROLES.has(defId)) canWrite = true;
  }
  if (canWrite) {
    const writers = roles.filter((n) => Object.entries(EM_ROLES).some(([id, name]) => name === n && WRITE_ROLES.has(id)));
    return { canWrite: true, roles, explanation: t('graph_roles_can_write', { roles: writers.join(', ') }) };
  }
  const found = roles.length > 0 ? t('graph_roles_found', { roles: roles.join(', ') }) : t('graph_roles_none');
  return {
    canWrite: 'unknown',
    roles,
    explanation: [found, t('graph_roles_not_listed'), t('graph_roles_writers_needed', { writers: t('graph_roles_writers') })].join(' '),
  };
}

/** Which role or permission a refused (403) action needs, in plain words, followed by Graph's own words. */
export function explainForbidden(err: Pick<GraphError, 'status' | 'code' | 'message'>, action: 'remove' | 'add' | 'read'): string {
  const graphSays = t('graph_says', { code: err.code, message: err.message });
  if (err.status !== 403) return `${err.message}`;
  const scopeProblem = /scope|permission|consent|claim/i.test(err.message);
  if (action === 'read') {
    return `${t('graph_forbidden_read')} ${graphSays}`;
  }
  const role = t(action === 'remove' ? 'graph_forbidden_remove' : 'graph_forbidden_add', { writers: t('graph_roles_writers') });
  const permission = t('graph_forbidden_permission');
  return scopeProblem ? `${permission} ${role} ${graphSays}` : `${role} ${permission} ${graphSays}`;
}
