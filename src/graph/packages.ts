// The access packages of an overview's scope, with their catalogs and assignment policies in one listing
// (v1.0 "List accessPackages": $select, $filter and $expand supported; the list holds every package the
// caller may read, across catalogs; api-reference/v1.0/api/entitlementmanagement-list-accesspackages.md).
// The policies come along so that each package's assignment listing can partition by policy without a
// request of its own per package.
import { resourcesFromPackage, type AccessResource } from '../core/access/resources';
import type { PolicyInfo } from '../core/model';
import { normalisePackage, normalisePolicy } from '../core/normalise';
import type { OverviewPackage } from '../core/overview/store';
import { listAll } from './assignments';
import { GraphError, type Graph } from './client';

const EM = 'identityGovernance/entitlementManagement';

export interface ScopePackages {
  scopeName: string;
  packages: OverviewPackage[];
  /** package id → its policies (as expanded; may be cut short for packages with very many policies) */
  policies: Map<string, PolicyInfo[]>;
  /** package id → the resources it grants; null when Graph would not expand them in the listing */
  resources: Map<string, AccessResource[]> | null;
}

/** The listing's expansions: the catalog, the policies, and the resource roles with their role and scope. */
const WITH_RESOURCES = 'catalog,assignmentPolicies,resourceRoleScopes($expand=role,scope)';
const WITHOUT_RESOURCES = 'catalog,assignmentPolicies';

/** `tenant` or `catalog:<id>` → the packages of that scope. Throws when the listing fails. */
export async function listScopePackages(graph: Graph, scope: string, signal?: AbortSignal): Promise<ScopePackages> {
  const catalogId = scope.startsWith('catalog:') ? scope.slice('catalog:'.length) : null;
  let raw: unknown[];
  let withResources = true;
  try {
    raw = await listAll(graph, `${EM}/accessPackages?$expand=${WITH_RESOURCES}`, signal);
  } catch (e) {
    // The resources are what the Resources view needs, not the assignments: a listing refused with them is
    // read again without them.
    if (!(e instanceof GraphError) || e.status !== 400) throw e;
    withResources = false;
    raw = await listAll(graph, `${EM}/accessPackages?$expand=${WITHOUT_RESOURCES}`, signal);
  }
  const resources = withResources ? new Map<string, AccessResource[]>() : null;
  const packages: OverviewPackage[] = [];
  const policies = new Map<string, PolicyInfo[]>();
  for (const item of raw) {
    const info = normalisePackage(item);
    if (!info.id) continue;
    // The catalog filter is applied here: the list is small (one entry per package) and this keeps to the
    // query the documentation shows.
    if (catalogId !== null && info.catalogId?.toLowerCase() !== catalogId) continue;
    packages.push(info);
    const list = (item as { assignmentPolicies?: unknown }).assignmentPolicies;
    const normalised = Array.isArray(list) ? list.map(normalisePolicy).filter((p): p is PolicyInfo => p !== null) : [];
    policies.set(info.id, normalised);
    resources?.set(info.id, resourcesFromPackage(item));
  }
  let scopeName = 'tenant';
  if (catalogId !== null) {
    scopeName = packages[0]?.catalogName ?? '';
    if (!scopeName) {
      const cat = await graph.get<{ displayName?: unknown }>(`${EM}/catalogs/${encodeURIComponent(catalogId)}?$select=id,displayName`, { signal });
      scopeName = typeof cat?.displayName === 'string' && cat.displayName ? cat.displayName : catalogId;
    }
  }
  return { scopeName, packages, policies, resources };
}
