// Which access package a portal URL names (contract: Route). The portal's blade routes change over time, so
// we look for the one stable part — an `entitlementId/<guid>` or `accessPackageId/<guid>` segment pair —
// instead of matching a whole route.
import { ALL_PORTAL_HOSTS } from './clouds';

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PACKAGE_KEYS = new Set(['entitlementid', 'accesspackageid']);

export const isGuid = (s: string): boolean => GUID_RE.test(s);

/** Decodes percent-encoding (possibly applied twice by the portal), stopping at the first malformed escape. */
function decodeRepeatedly(s: string): string {
  let current = s;
  for (let i = 0; i < 3 && current.includes('%'); i++) {
    try {
      const next = decodeURIComponent(current);
      if (next === current) break;
      current = next;
    } catch {
      break;
    }
  }
  return current;
}

/** The access package id (lower-cased GUID) that a location hash names, or null. */
export function packageIdFromHash(hash: string): string | null {
  const decoded = decodeRepeatedly(hash.startsWith('#') ? hash.slice(1) : hash);
  // A segment may carry query-ish tails in some blade routes ("…/<guid>?x=1"); cut at ? & # as well.
  const segments = decoded.split(/[/?&#]/);
  for (let i = 0; i + 1 < segments.length; i++) {
    if (PACKAGE_KEYS.has(segments[i].toLowerCase()) && isGuid(segments[i + 1])) {
      return segments[i + 1].toLowerCase();
    }
  }
  return null;
}

/** True for a portal host of any cloud (exact host; a port or a trailing dot is ignored). */
export function isPortalHost(host: string): boolean {
  const bare = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  return ALL_PORTAL_HOSTS.includes(bare);
}

const LIST_MENUS = new Set(['elmentitlement', 'elmentitlementmanagement']);

/**
 * The overview's scope a portal URL names, or null (contract: Across packages). A package route is never an
 * overview. Routes (public admin-center links, graph-api.md §10):
 * - the access packages list: `#view/Microsoft_AAD_ERM/DashboardBlade/~/elmEntitlementManagement/menuId/AccessPackages`
 *   (and the same menu under `~/elmEntitlement`) → `tenant`. The bare `~/elmEntitlement` landing (the
 *   entitlement management dashboard) is not a list of packages: nothing is shown or fetched there;
 * - a catalog's pages: `#view/Microsoft_Azure_ELMAdmin/CatalogMenuBlade/~/<menu>/catalogId/<guid>[/…]` →
 *   `catalog:<guid>` (any hash with a `catalogId/<guid>` pair and no package).
 */
export function overviewScopeFromHash(hash: string): string | null {
  if (packageIdFromHash(hash)) return null;
  const decoded = decodeRepeatedly(hash.startsWith('#') ? hash.slice(1) : hash);
  const segments = decoded.split(/[/?&#]/);
  for (let i = 0; i + 1 < segments.length; i++) {
    if (segments[i].toLowerCase() === 'catalogid' && isGuid(segments[i + 1])) return `catalog:${segments[i + 1].toLowerCase()}`;
  }
  for (let i = 0; i < segments.length; i++) {
    if (!LIST_MENUS.has(segments[i].toLowerCase())) continue;
    const menu = segments[i + 1]?.toLowerCase() === 'menuid' ? (segments[i + 2] ?? '').toLowerCase() : '';
    if (menu === 'accesspackages') return 'tenant';
  }
  return null;
}

/** What a portal URL shows the panel: an access package, an overview scope, or nothing. */
export type PanelRoute = { kind: 'package'; packageId: string } | { kind: 'overview'; scope: string } | null;

export function routeFromHash(hash: string): PanelRoute {
  const packageId = packageIdFromHash(hash);
  if (packageId) return { kind: 'package', packageId };
  const scope = overviewScopeFromHash(hash);
  return scope ? { kind: 'overview', scope } : null;
}
