// Graph reads of the access check: the package's resource roles, and who holds each one.
//   accessPackages/{id}?$expand=resourceRoleScopes($expand=role,scope)
//   groups/{id}/members | owners ?$select=id,displayName,userPrincipalName&$top=999   (direct holders only)
//   servicePrincipals/{id}/appRoleAssignedTo?$select=principalId,principalType,principalDisplayName,appRoleId&$top=999
// Every page goes through the client's one retry policy (429 with Retry-After, 5xx, network). Pages are
// handed on as they arrive and never kept: a listing of 100,000 members is never held in memory.
import type { NotCheckedReason, OutsidePrincipal, ResourceCheck } from '../core/access/compare';
import { resourcesFromPackage, type AccessResource } from '../core/access/resources';
import { checkNextLink } from '../core/nextlink';
import { t } from '../core/i18n';
import { GraphError, type Graph } from './client';

const EM = 'identityGovernance/entitlementManagement';

export async function fetchPackageResources(graph: Graph, packageId: string, signal?: AbortSignal): Promise<AccessResource[]> {
  const pkg = await graph.get<unknown>(`${EM}/accessPackages/${encodeURIComponent(packageId)}?$expand=resourceRoleScopes($expand=role,scope)`, { signal });
  return resourcesFromPackage(pkg);
}

/** The first page's URL of the listing that shows who holds this resource's role (null: none exists). */
export function holdersUrl(r: AccessResource): string | null {
  const id = encodeURIComponent(r.objectId);
  switch (r.kind) {
    case 'groupMember':
      return `groups/${id}/members?$select=id,displayName,userPrincipalName&$top=999`;
    case 'groupOwner':
      return `groups/${id}/owners?$select=id,displayName,userPrincipalName&$top=999`;
    case 'appRole':
      return `servicePrincipals/${id}/appRoleAssignedTo?$select=principalId,principalType,principalDisplayName,appRoleId&$top=999`;
    default:
      return null;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The object id of one listing element holding `r`'s role, or '' (another app role of the same application). */
export function holderId(r: AccessResource, item: unknown): string {
  const o = (item ?? {}) as Record<string, unknown>;
  if (r.kind === 'appRole') {
    const role = str(o.appRoleId);
    const want = r.appRoleId ?? '';
    if (role !== want && role.toLowerCase() !== want.toLowerCase()) return '';
    return str(o.principalId);
  }
  return str(o.id);
}

/** One listing element as a holder of `r`'s role, or null (another app role of the same application). */
export function holderOf(r: AccessResource, item: unknown): OutsidePrincipal | null {
  const o = (item ?? {}) as Record<string, unknown>;
  if (r.kind === 'appRole') {
    if (str(o.appRoleId).toLowerCase() !== (r.appRoleId ?? '').toLowerCase()) return null;
    const type = str(o.principalType);
    return { objectId: str(o.principalId), type: type ? type[0].toLowerCase() + type.slice(1) : '', displayName: str(o.principalDisplayName), principalName: '' };
  }
  const type = str(o['@odata.type']).replace(/^#microsoft\.graph\./, '');
  return { objectId: str(o.id), type, displayName: str(o.displayName), principalName: str(o.userPrincipalName) };
}

type HoldersPage = { value?: unknown; '@odata.nextLink'?: unknown };

/**
 * Lists every holder of `r`'s role, page by page; `onPage` gets each page's elements as Graph sent them (read
 * them with holderId / holderOf). Throws on a final failure. The next page is asked for before this one is
 * folded, so the fold runs while the next page is on its way: a chain costs its round trips, not round trips
 * plus folds.
 */
export async function listHolders(
  graph: Graph,
  r: AccessResource,
  onPage: (items: readonly unknown[]) => void,
  opts: { signal?: AbortSignal; onRequest?: () => void } = {},
): Promise<void> {
  const first = holdersUrl(r);
  if (!first) return;
  const fetchPage = (url: string): Promise<HoldersPage> => {
    opts.onRequest?.();
    return graph.get<HoldersPage>(url, { signal: opts.signal });
  };
  let url = first;
  let pending: Promise<HoldersPage> | null = fetchPage(url);
  while (pending) {
    const page: HoldersPage = await pending;
    if (!Array.isArray(page?.value)) throw new GraphError({ status: 0, code: 'InvalidResponse', message: t('graph_access_no_value_list'), url });
    pending = null;
    const next = page['@odata.nextLink'];
    if (next !== undefined && next !== null) {
      const check = checkNextLink(next, graph.graphRoot);
      if (!check.ok) throw new GraphError({ status: 0, code: 'RefusedUrl', message: check.reason, url: String(next) });
      url = check.url;
      pending = fetchPage(url);
    }
    try {
      onPage(page.value as readonly unknown[]);
    } catch (e) {
      // The page asked for ahead is not awaited any more: its failure must not go unhandled.
      pending?.catch(() => undefined);
      throw e;
    }
  }
}

/**
 * Whether the application still defines (and enables) the app role the package grants: a role removed from the
 * application can be held by nobody, and reprocessing cannot bring it back. One request per application:
 *   servicePrincipals/{id}?$select=id,appRoles
 */
export async function appRoleDefined(graph: Graph, r: AccessResource, signal?: AbortSignal): Promise<boolean> {
  const sp = await graph.get<{ appRoles?: unknown }>(`servicePrincipals/${encodeURIComponent(r.objectId)}?$select=id,appRoles`, { signal });
  if (!Array.isArray(sp?.appRoles)) return true; // not said: the listing's answer stands
  const want = (r.appRoleId ?? '').toLowerCase();
  return (sp.appRoles as Array<Record<string, unknown>>).some((a) => str(a?.id).toLowerCase() === want && a?.isEnabled !== false);
}

/** Why a resource could not be read, from the listing's final failure. */
export function checkOfError(e: unknown): ResourceCheck & { status: 'not-checked' } {
  const err = e as { status?: number; code?: string; message?: string };
  const detail = err?.message || String(e);
  let reason: NotCheckedReason = 'failed';
  if (err?.status === 403 || err?.status === 401) reason = 'no-permission';
  else if (err?.status === 404) reason = 'deleted';
  return { status: 'not-checked', reason, detail };
}

/** Resources Graph cannot list holders of (SharePoint sites, unknown kinds). */
export function uncheckable(r: AccessResource): (ResourceCheck & { status: 'not-checked' }) | null {
  if (r.kind === 'sharePoint') return { status: 'not-checked', reason: 'sharepoint' };
  if (r.kind === 'other') return { status: 'not-checked', reason: 'unsupported', detail: r.originSystem };
  return null;
}
