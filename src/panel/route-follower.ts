// The panel follows the portal's SPA navigation itself (the content script retires after injecting it).
import { routeFromHash } from '../core/route';
import type { WorkerLink } from './worker-link';

export interface RouteFollower {
  /** Call with location.hash at start and on every hashchange. */
  update(hash: string): void;
  current(): string | null;
}

/**
 * `show(id)` runs before `open` is posted (so the store accepts the load that follows); `show(null)` hides the
 * panel. Leaving a package always cancels its fetch: nothing is fetched on a route that is not a package.
 */
export function createRouteFollower(
  link: WorkerLink,
  show: (packageId: string | null) => void,
  /** The overview's scope a route names (`tenant`, `catalog:<id>`), or null on any other route. */
  showOverview?: (scope: string | null) => void,
): RouteFollower {
  // undefined until the first update, so the first route always shows or hides the panel.
  let current: string | null | undefined;
  let currentScope: string | null | undefined;
  return {
    update(hash) {
      const route = routeFromHash(hash);
      const next = route?.kind === 'package' ? route.packageId : null;
      const scope = route?.kind === 'overview' ? route.scope : null;
      // The overview follows the route: open on an overview route, closed on any other route change (also
      // one opened from a package by its button, when the admin moves on).
      if (scope !== currentScope || next !== current) showOverview?.(scope);
      currentScope = scope;
      if (next === current) return;
      if (current) link.post({ type: 'cancel' });
      current = next;
      show(next);
      if (next !== null) link.post({ type: 'open', packageId: next });
    },
    current: () => current ?? null,
  };
}
