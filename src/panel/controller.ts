// Wires the store to the worker link, the route and storage: the parts of the panel that are neither
// rendering nor pure state. No DOM here, so it is tested in node with fakes.
import { isEmptyFilter, parseFilter, serializeFilter, type FilterState } from '../core/filters';
import type { AuthState } from '../messages';
import { createRouteFollower, type RouteFollower } from './route-follower';
import { filterKey, type KeyValueStore } from './storage';
import type { PanelState, PanelStore } from './store';
import type { WorkerLink } from './worker-link';

/** The worker stops after ~30 s without port traffic; a ping every 20 s keeps a long fetch alive. */
export const PING_INTERVAL_MS = 20_000;
/** Filter writes wait for a pause in typing. */
export const FILTER_SAVE_DELAY_MS = 400;

export interface ControllerTimers {
  setInterval(cb: () => void, ms: number): unknown;
  clearInterval(h: unknown): void;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(h: unknown): void;
}

const defaultTimers: ControllerTimers = {
  setInterval: (cb, ms) => setInterval(cb, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface PanelController {
  follower: RouteFollower;
  /** Re-fetch the current package, skipping the cache. */
  refresh(): void;
  dispose(): void;
}

/**
 * After a sign-in, a package whose load FAILED is opened again: the admin signed in to see it. (An open that
 * was waiting for the sign-in is resumed by the worker itself.)
 */
export function needsReopenAfterSignIn(before: AuthState | null, after: AuthState, s: PanelState): boolean {
  if (after.status !== 'signed-in' || before?.status === 'signed-in' || before === null) return false;
  return s.packageId !== null && !s.loading && s.error !== null;
}

export function createController(opts: {
  store: PanelStore;
  link: WorkerLink;
  kv: KeyValueStore;
  /** Called with the package id (or null) whenever the route changes: show or hide the host. */
  onRoute?: (packageId: string | null) => void;
  /** Called with the overview scope a route names (or null) whenever it changes. */
  onOverviewRoute?: (scope: string | null) => void;
  timers?: ControllerTimers;
}): PanelController {
  const { store, link, kv } = opts;
  const timers = opts.timers ?? defaultTimers;
  let ping: unknown = null;
  let saveTimer: unknown = null;
  /** The package whose saved filter has been read (only then are changes written back). */
  let filterLoadedFor: string | null = null;
  let lastFilter = store.state.filter;
  let pendingSave: { packageId: string; filter: FilterState } | null = null;
  const flushSave = (): void => {
    if (saveTimer !== null) timers.clearTimeout(saveTimer);
    saveTimer = null;
    const p = pendingSave;
    pendingSave = null;
    if (p) void kv.set(filterKey(p.packageId), serializeFilter(p.filter)).catch(() => undefined);
  };

  const offEvents = link.onEvent((e) => {
    const before = store.state.auth;
    store.handle(e);
    if (e.type === 'auth' && needsReopenAfterSignIn(before, e.auth, store.state)) {
      link.post({ type: 'open', packageId: store.state.packageId!, refresh: true });
    }
  });

  const restoreFilter = async (packageId: string): Promise<void> => {
    let saved: FilterState | null = null;
    try {
      const raw = await kv.get(filterKey(packageId));
      saved = typeof raw === 'string' ? parseFilter(raw) : null;
    } catch {
      saved = null;
    }
    if (store.state.packageId !== packageId) return;
    // The admin may have started filtering before storage answered: their choice wins.
    if (saved && !isEmptyFilter(saved) && isEmptyFilter(store.state.filter)) store.setFilter(saved);
    filterLoadedFor = packageId;
    lastFilter = store.state.filter;
  };

  const follower = createRouteFollower(link, (packageId) => {
    if (saveTimer !== null) flushSave();
    filterLoadedFor = null;
    store.openPackage(packageId);
    lastFilter = store.state.filter;
    if (packageId) {
      void restoreFilter(packageId);
      if (ping === null) ping = timers.setInterval(() => link.post({ type: 'ping' }), PING_INTERVAL_MS);
    } else if (ping !== null) {
      timers.clearInterval(ping);
      ping = null;
    }
    opts.onRoute?.(packageId);
  }, opts.onOverviewRoute);

  const offStore = store.subscribe(() => {
    const s = store.state;
    if (s.filter === lastFilter) return;
    lastFilter = s.filter;
    if (!s.packageId || filterLoadedFor !== s.packageId) return;
    pendingSave = { packageId: s.packageId, filter: s.filter };
    if (saveTimer !== null) timers.clearTimeout(saveTimer);
    saveTimer = timers.setTimeout(flushSave, FILTER_SAVE_DELAY_MS);
  });

  return {
    follower,
    refresh() {
      const id = follower.current();
      if (id) link.post({ type: 'open', packageId: id, refresh: true });
    },
    dispose() {
      offEvents();
      offStore();
      flushSave();
      if (ping !== null) timers.clearInterval(ping);
      ping = null;
    },
  };
}
