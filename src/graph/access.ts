// Graph reads of the access check: the package's resource roles, and who holds each one.
//   accessPackages/{id}?$expand=resourceRoleScopes($expand=role,scope)
//   groups/{id}/members | owners ?$select=id,displayName,userPrincipalName&$top=999   (direct holders only)
//   servicePrincipals/{id}/appRoleAssignedTo?$select=principalId,principalType,principalDisplayName,appRoleId&$top=999
// Every page goes through the client's one retry policy (429 with Retry-After, 5xx, network). Pages are
// handed on as they arrive and never kept: a listing of 100,000 members is never held in memory.
import type { NotCheckedReason, OutsidePrincipal, ResourceCheck } from '../core/access/compare';
import { resourcesFromPackage, type AccessResource } from '../core/access/resources';
import { checkNextLink } from '../core/nextlink';
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

/** Lists every holder of `r`'s role, page by page; `onPage` gets each page's holders. Throws on a final failure. */
export async function listHolders(
  graph: Graph,
  r: AccessResource,
  onPage: (holders: OutsidePrincipal[]) => void,
  opts: { signal?: AbortSignal; onRequest?: () => void } = {},
): Promise<void> {
  let url: string | null = holdersUrl(r);
  while (url) {
    opts.onRequest?.();
    const page = await graph.get<{ value?: unknown; '@odata.nextLink'?: unknown }>(url, { signal: opts.signal });
    if (!Array.isArray(page?.value)) throw new GraphError({ status: 0, code: 'InvalidResponse', message: 'The answer has no "value" list.', url });
    const holders: OutsidePrincipal[] = [];
    for (const item of page.value) {
      const h = holderOf(r, item);
      if (h && h.objectId) holders.push(h);
    }
    onPage(holders);
    const next = page['@odata.nextLink'];
    if (next === undefined || next === null) break;
    const check = checkNextLink(next, graph.graphRoot);
    if (!check.ok) throw new GraphError({ status: 0, code: 'RefusedUrl', message: check.reason, url: String(next) });
    url = check.url;
  }
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
