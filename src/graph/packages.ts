// The access packages of an overview's scope, with their catalogs and assignment policies in one listing
// (v1.0 "List accessPackages": $select, $filter and $expand supported; the list holds every package the
// caller may read, across catalogs; api-reference/v1.0/api/entitlementmanagement-list-accesspackages.md).
// The policies come along so that each package's assignment listing can partition by policy without a
// request of its own per package.
import { resourcesFromPackage, type AccessResource } from '../core/access/resources';
import type { PolicyInfo } from '../core/model';
import { normalisePackage, normalisePolicy } from '../core/normalise';
import type { OverviewPackage } from '../core/overview/store';
import { listAllExpanding } from './assignments';
import type { Graph } from './client';

const EM = 'identityGovernance/entitlementManagement';

export interface ScopePackages {
  scopeName: string;
  packages: OverviewPackage[];
  /** package id → its policies (as expanded; may be cut short for packages with very many policies) */
  policies: Map<string, PolicyInfo[]>;
  /** package id → the resources it grants; null when Graph would not expand them in the listing */
  resources: Map<string, AccessResource[]> | null;
}

const RESOURCES = 'resourceRoleScopes($expand=role,scope)';
/**
 * The listing's expansions, fullest first: the catalog, the policies, and the resource roles with their role
 * and scope. Of a policy only what the overview reads (its id for the partitions, its name, whether it allows
 * direct assignment): whole policies, with their requestor, approval and review settings, made a page of 100
 * packages 237 KB in the demo tenant; with these three fields it is 75 KB (real approval stages weigh more).
 * The list's page documents $expand but no options inside it, which Graph answers with a 400 on some
 * endpoints: a 400 steps down to the whole policy (nothing lost), then to the listing without the resources.
 */
export const PACKAGE_EXPANDS = [
  `catalog,assignmentPolicies($select=id,displayName,automaticRequestSettings),${RESOURCES}`,
  `catalog,assignmentPolicies,${RESOURCES}`,
  'catalog,assignmentPolicies',
] as const;

/**
 * `tenant` or `catalog:<id>` → the packages of that scope. Throws when the listing fails. `onPackages` gets the
 * scope's packages of each page as it arrives, so their assignments can be read before the last page is in
 * (a tenant of 2,000 packages is 20 pages one after the other).
 */
export async function listScopePackages(
  graph: Graph,
  scope: string,
  signal?: AbortSignal,
  onPackages?: (packages: OverviewPackage[], found: ScopePackages) => void,
): Promise<ScopePackages> {
  const catalogId = scope.startsWith('catalog:') ? scope.slice('catalog:'.length) : null;
  const found: ScopePackages = { scopeName: catalogId === null ? 'tenant' : '', packages: [], policies: new Map(), resources: new Map() };
  const take = (items: unknown[]): void => {
    const fresh: OverviewPackage[] = [];
    for (const item of items) {
      const info = normalisePackage(item);
      // A page read again (the listing retried without the resources) adds nothing twice.
      if (!info.id || found.policies.has(info.id)) continue;
      // The catalog filter is applied here: the list is small (one entry per package) and this keeps to the
      // query the documentation shows.
      if (catalogId !== null && info.catalogId?.toLowerCase() !== catalogId) continue;
      fresh.push(info);
      found.packages.push(info);
      if (!found.scopeName) found.scopeName = info.catalogName;
      const list = (item as { assignmentPolicies?: unknown }).assignmentPolicies;
      found.policies.set(info.id, Array.isArray(list) ? list.map(normalisePolicy).filter((p): p is PolicyInfo => p !== null) : []);
      found.resources?.set(info.id, resourcesFromPackage(item));
    }
    if (fresh.length > 0) onPackages?.(fresh, found);
  };
  await listAllExpanding(graph, (expand) => `${EM}/accessPackages?$expand=${expand}`, PACKAGE_EXPANDS, {
    signal,
    onPage: take,
    // The resources are what the Resources view needs, not the assignments: a listing refused with them is
    // read without them.
    onStep: (level) => {
      if (level === PACKAGE_EXPANDS.length - 1) found.resources = null;
    },
  });
  if (!found.scopeName && catalogId !== null) {
    const cat = await graph.get<{ displayName?: unknown }>(`${EM}/catalogs/${encodeURIComponent(catalogId)}?$select=id,displayName`, { signal });
    found.scopeName = typeof cat?.displayName === 'string' && cat.displayName ? cat.displayName : catalogId;
  }
  return found;
}
