// The panel follows the portal's SPA navigation itself (the content script retires after injecting it).
import { packageIdFromHash } from '../core/route';
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
export function createRouteFollower(link: WorkerLink, show: (packageId: string | null) => void): RouteFollower {
  // undefined until the first update, so the first route always shows or hides the panel.
  let current: string | null | undefined;
  return {
    update(hash) {
      const next = packageIdFromHash(hash);
      if (next === current) return;
      if (current) link.post({ type: 'cancel' });
      current = next;
      show(next);
      if (next !== null) link.post({ type: 'open', packageId: next });
    },
    current: () => current ?? null,
  };
}
