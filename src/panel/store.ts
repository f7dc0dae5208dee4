// The panel's state: what the worker sent for the current package, and what the admin chose (filter, sort,
// threshold, selection). Plain TypeScript, no DOM: tested in node.
//
// Loads: events carry a loadId; only the current load's events count. When a new load starts while a
// complete list is shown (from the cache, or an earlier fetch), that list stays on screen until the new load's
// `load-done`, then the new rows replace it in one step; when nothing complete is shown, rows stream in as
// they arrive so the first ones appear fast.
//
// Derivation: rows + users + threshold → view rows (toViewRows) → filter index → filtered rows → shown order.
// Each step is memoised on its inputs, so a keystroke in the search re-runs only the filter. Streaming data
// (rows, users, progress) is committed on a throttle tick, so enrichment rebuilds the index at most once
// per tick however fast users arrive.
import type { MissingPart, PackageInfo, PolicyInfo, Row, SignInAvailability, StaleReason, UserInfo, ViewAccess, ViewRow } from '../core/model';
import type { AuthState, LoadProgress, WorkerEvent } from '../messages';
import { STALE_REASONS } from '../core/stale';
import { ViewBuilder } from '../core/view-builder';
import {
  emptyFilter,
  FACET_IDS,
  facetsPrepared,
  facetValues,
  prepareFacets,
  prepareSearch,
  runFilter,
  searchPrepared,
  type FacetCounts,
  type FacetId,
  type FacetValues,
  type FilterIndex,
  type FilterResult,
  type FilterState,
  type KeyedFacetId,
  type KeyedValues,
} from '../core/filters';
import { RecentAnswers } from '../core/recent';
import { sortRows, type ColumnKey, type SortDir } from '../core/sort';
import { DEFAULT_SETTINGS } from '../core/settings';
import { clampStaleDays } from './storage';

/** "Expiring soon" in the expiry facet. */
export const EXPIRING_WITHIN_DAYS = 30;
/** How often streamed data is committed to the view (at least; see commitDelay). */
export const COMMIT_INTERVAL_MS = 100;
/** The longest wait between commits, however costly a rebuild is. */
export const MAX_COMMIT_INTERVAL_MS = 1000;
/**
 * The search text and its grams (core/search-grams) are built ahead of the first keystroke once a list is
 * complete and shown: this long after, in slices of this many rows, one per task (100,000 rows: 250-350 ms
 * in all on a slow 2-core machine, some 6 ms a slice). Slices of 5,000 rows (15-20 ms) became the page's long
 * tasks after a load when a major GC fell into one.
 */
export const SEARCH_PREP_DELAY_MS = 250;
export const SEARCH_PREP_ROWS = 2_000;

export interface SortState {
  key: ColumnKey;
  dir: SortDir;
}

export interface LoadError {
  message: string;
  code?: string;
}

export interface PanelState {
  packageId: string | null;
  auth: AuthState | null;
  /** The load whose events are accepted. */
  loadId: string | null;
  /** The assignment fetch of the current load is running. */
  loading: boolean;
  /** User details (account, sign-in) are still arriving for the shown rows. */
  enriching: boolean;
  /** A load runs while an earlier complete list stays shown (it is swapped at load-done). */
  refreshing: boolean;
  /** The shown rows are the full result of a finished load (missing pages aside). */
  complete: boolean;
  /** The shown rows came from the worker's cache. */
  fromCache: boolean;
  fetchedAt: string | null;
  info: PackageInfo | null;
  policies: readonly PolicyInfo[];
  /** The rows shown (committed). */
  rows: readonly Row[];
  /** The worker's count at load-done of the shown rows (null until then). */
  reportedTotal: number | null;
  progress: LoadProgress | null;
  missing: readonly MissingPart[];
  /** What the load noticed and worked around (the listing's, then the users'): shown with the list. */
  notes: readonly string[];
  error: LoadError | null;
  signIn: SignInAvailability | null;
  signInCachedAt: string | null;
  /** Sign-in reads still to go and their time at most, while users are read (null: none known). */
  signInLeft: { left: number; etaMs: number } | null;
  filter: FilterState;
  sort: SortState | null;
  staleAfterDays: number;
  /** Selected assignment ids (for src/panel/actions/). */
  selection: ReadonlySet<string>;
  /** Changes whenever rows, users, threshold or sign-in availability change. */
  dataVersion: number;
  /** Per-row values of the keyed facets (review decisions, changes since the last review), by assignment id. */
  keyed: KeyedValues;
}

export interface StaleSummary {
  /** Rows with at least one reason. */
  total: number;
  byReason: Record<StaleReason, number>;
}

export interface DerivedView {
  viewRows: readonly ViewRow[];
  index: FilterIndex;
  facets: FacetValues;
  counts: FacetCounts;
  /** The rows after filters, in the shown (sorted) order. */
  shown: readonly ViewRow[];
  /** Every row in the shown order (for "export all"). */
  allSorted: readonly ViewRow[];
  stale: StaleSummary;
}

export interface StoreOptions {
  /** Runs `cb` once after about `ms`. Default: setTimeout. */
  schedule?: (cb: () => void, ms: number) => void;
  now?: () => number;
}

interface PendingLoad {
  loadId: string;
  fromCache: boolean;
  fetchedAt: string | null;
  rows: Row[];
  ids: Set<string>;
}

const initialState = (staleAfterDays: number): PanelState => ({
  packageId: null,
  auth: null,
  loadId: null,
  loading: false,
  enriching: false,
  refreshing: false,
  complete: false,
  fromCache: false,
  fetchedAt: null,
  info: null,
  policies: [],
  rows: [],
  reportedTotal: null,
  progress: null,
  missing: [],
  notes: [],
  error: null,
  signIn: null,
  signInCachedAt: null,
  signInLeft: null,
  filter: emptyFilter(),
  sort: null,
  staleAfterDays,
  selection: new Set(),
  dataVersion: 0,
  keyed: {},
});

/**
 * What `data-loading` says: true from the moment a package is opened until its rows AND user details are in,
 * or the load failed. Also true while the worker waits for a sign-in: the list is not there yet, and a check
 * that waits for "false" must never see a list that has not been fetched (the worker's first auth event is
 * "signed-out" even when a silent sign-in is about to succeed).
 */
export function isBusy(s: Readonly<PanelState>): boolean {
  if (s.loading || s.enriching) return true;
  return s.packageId !== null && !s.complete && s.error === null;
}

/** A one-slot memo: recomputes when any input differs (by identity) from the last call. */
function memo<A extends readonly unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: A | null = null;
  let value!: R;
  return (...args: A) => {
    if (!last || last.length !== args.length || args.some((a, i) => a !== last![i])) {
      value = fn(...args);
      last = args;
    }
    return value;
  };
}

/** Filter answers kept for a return to one (a value unticked, a letter erased): each is a list of row references. */
const RECENT_FILTERS = 4;

/**
 * The filter's memo: its last few answers for one index and keyed values, by what the filter selects (a facet's
 * values in any order). Going back to an earlier filter shows its rows at once instead of a pass over every row.
 */
function recentFilter(): (index: FilterIndex, filter: FilterState, decision?: ReadonlyMap<string, string>, change?: ReadonlyMap<string, string>) => FilterResult {
  const answers = new RecentAnswers<FilterResult>(RECENT_FILTERS);
  return (index, filter, decision, change) => {
    const key = JSON.stringify([filter.search, FACET_IDS.map((id) => [...(filter.facets[id] ?? [])].sort())]);
    return answers.get([index, decision, change], key, () => runFilter(index, filter, { decision, change }));
  };
}

export class PanelStore {
  private s: PanelState;
  private readonly subs = new Set<() => void>();
  private readonly schedule: (cb: () => void, ms: number) => void;
  private readonly now: () => number;
  private users = new Map<string, UserInfo>();
  /** Users added or replaced since the view was last built: only their rows are rebuilt. */
  private changedUsers = new Set<string>();
  private readonly builder = new ViewBuilder();
  /** Rows of the streaming load not yet committed to `rows`. */
  private streamed: Row[] = [];
  /** Ids of the streaming load's rows (duplicates across pages are dropped). */
  private streamIds = new Set<string>();
  /** A load buffered behind a shown complete list. */
  private pending: PendingLoad | null = null;
  private dirty = false;
  private tickScheduled = false;
  private enrichDoneFor: string | null = null;
  /** How long the last rebuild of view rows and index took (ms). */
  private rebuildMs = 0;
  private lastIndex: FilterIndex | null = null;
  /** Building the search text and facet sets of the shown index ahead of their first use (see prepareSoon). */
  private preparing = false;
  /** The access check's results by assignment id (src/panel/access/), null until a check ran. */
  private access: ReadonlyMap<string, ViewAccess> | null = null;

  constructor(opts: StoreOptions = {}) {
    this.schedule = opts.schedule ?? ((cb, ms) => void setTimeout(cb, ms));
    this.now = opts.now ?? Date.now;
    this.s = initialState(DEFAULT_SETTINGS.staleAfterDays);
  }

  get state(): Readonly<PanelState> {
    return this.s;
  }

  subscribe(cb: () => void): () => void {
    this.subs.add(cb);
    return () => this.subs.delete(cb);
  }

  /** Commits streamed data now (normally done by the throttle tick). */
  flush(): void {
    this.tickScheduled = false;
    this.commit();
    this.emit();
  }

  // ------------------------------------------------------------------ route and admin choices

  /** A new package (or none): everything of the previous one is dropped; no filter is active. */
  openPackage(packageId: string | null): void {
    const keep = { auth: this.s.auth, staleAfterDays: this.s.staleAfterDays, sort: this.s.sort };
    this.s = { ...initialState(keep.staleAfterDays), ...keep, packageId, dataVersion: this.s.dataVersion + 1 };
    this.users = new Map();
    this.changedUsers = new Set();
    this.streamed = [];
    this.streamIds = new Set();
    this.pending = null;
    this.dirty = false;
    this.enrichDoneFor = null;
    this.access = null;
    this.emit();
  }

  /** The access check's results (src/panel/access/): rows gain `access`, the Access facet and CSV columns. */
  setAccess(access: ReadonlyMap<string, ViewAccess> | null): void {
    this.access = access;
    this.set({ dataVersion: this.s.dataVersion + 1 });
  }

  setFilter(filter: FilterState): void {
    this.set({ filter });
  }

  setSearch(search: string): void {
    this.set({ filter: { ...this.s.filter, search } });
  }

  /** Ticks or unticks one value of a facet (within a facet values OR). */
  toggleFacetValue(facet: FacetId, value: string): void {
    const current = this.s.filter.facets[facet] ?? [];
    const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    this.setFacet(facet, next);
  }

  setFacet(facet: FacetId, values: string[]): void {
    const facets = { ...this.s.filter.facets };
    if (values.length) facets[facet] = values;
    else delete facets[facet];
    this.set({ filter: { ...this.s.filter, facets } });
  }

  /** A keyed facet's values by assignment id (null: none, the facet offers no values). */
  setKeyed(id: KeyedFacetId, values: ReadonlyMap<string, string> | null): void {
    const keyed = { ...this.s.keyed };
    if (values) keyed[id] = values;
    else delete keyed[id];
    this.set({ keyed });
  }

  clearFilters(): void {
    this.set({ filter: emptyFilter() });
  }

  /** Header click: ascending, then descending, then the list order again. */
  cycleSort(key: ColumnKey): void {
    const cur = this.s.sort;
    const sort: SortState | null =
      cur?.key !== key ? { key, dir: 'asc' } : cur.dir === 'asc' ? { key, dir: 'desc' } : null;
    this.set({ sort });
  }

  setSort(sort: SortState | null): void {
    this.set({ sort });
  }

  setStaleAfterDays(days: number): void {
    if (!Number.isFinite(days)) return;
    const staleAfterDays = clampStaleDays(days);
    if (staleAfterDays === this.s.staleAfterDays) return;
    this.set({ staleAfterDays, dataVersion: this.s.dataVersion + 1 });
  }

  // ------------------------------------------------------------------ selection (for src/panel/actions/)

  toggleSelected(id: string): void {
    const selection = new Set(this.s.selection);
    if (selection.has(id)) selection.delete(id);
    else selection.add(id);
    this.set({ selection });
  }

  setSelected(ids: Iterable<string>, selected: boolean): void {
    const selection = new Set(this.s.selection);
    for (const id of ids) {
      if (selected) selection.add(id);
      else selection.delete(id);
    }
    this.set({ selection });
  }

  /** Selects every row of the current filtered view (not only the rendered ones). */
  selectAllShown(): void {
    this.setSelected(
      this.view().shown.map((r) => r.id),
      true,
    );
  }

  clearSelection(): void {
    if (this.s.selection.size) this.set({ selection: new Set() });
  }

  /** The selected rows, in the shown order where shown, then any the filter hides. */
  selectedRows(): ViewRow[] {
    const sel = this.s.selection;
    if (!sel.size) return [];
    return this.view().allSorted.filter((r) => sel.has(r.id));
  }

  // ------------------------------------------------------------------ worker events

  handle(e: WorkerEvent): void {
    switch (e.type) {
      case 'auth':
        this.set({ auth: e.auth });
        return;
      case 'load-start':
        this.onLoadStart(e);
        return;
      case 'package':
        if (!this.isCurrent(e.loadId)) return;
        this.set({ info: e.info, policies: e.policies });
        return;
      case 'rows':
        if (!this.isCurrent(e.loadId)) return;
        this.onRows(e.rows);
        return;
      case 'progress':
        if (!this.isCurrent(e.loadId)) return;
        this.s = { ...this.s, progress: e.progress };
        this.later();
        return;
      case 'users':
        if (!this.isCurrent(e.loadId)) return;
        for (const u of e.users) {
          this.users.set(u.id, u);
          this.changedUsers.add(u.id);
        }
        this.dirty = true;
        this.later();
        return;
      case 'sign-in-data':
        if (!this.isCurrent(e.loadId)) return;
        this.commit();
        this.set({
          signIn: e.availability,
          signInCachedAt: e.cachedAt ?? null,
          dataVersion: this.s.dataVersion + 1,
        });
        return;
      case 'load-done':
        if (!this.isCurrent(e.loadId) || e.packageId !== this.s.packageId) return;
        this.onLoadDone(e);
        return;
      case 'enrich-done':
        if (!this.isCurrent(e.loadId)) return;
        this.enrichDoneFor = e.loadId;
        this.commit();
        this.set({ enriching: false, signInLeft: null, notes: e.notes?.length ? [...new Set([...this.s.notes, ...e.notes])] : this.s.notes });
        return;
      case 'sign-in-left':
        if (!this.isCurrent(e.loadId)) return;
        this.set({ signInLeft: e.left > 0 ? { left: e.left, etaMs: e.etaMs } : null });
        return;
      case 'load-error':
        if (!this.isCurrent(e.loadId) || e.packageId !== this.s.packageId) return;
        this.commit();
        this.pending = null;
        this.set({
          loading: false,
          refreshing: false,
          enriching: false,
          progress: null,
          error: { message: e.message, code: e.code },
        });
        return;
      default:
        // actions, roles, search results, delivery: for src/panel/actions/, which subscribes to the link.
        return;
    }
  }

  private isCurrent(loadId: string): boolean {
    return loadId === this.s.loadId;
  }

  private onLoadStart(e: Extract<WorkerEvent, { type: 'load-start' }>): void {
    if (e.packageId !== this.s.packageId || e.loadId === this.s.loadId) return;
    this.commit();
    const base = {
      loadId: e.loadId,
      loading: true,
      enriching: false,
      signInLeft: null,
      progress: null,
      error: null,
    };
    if (this.s.complete) {
      // Keep the complete list on screen until this load is done.
      this.pending = {
        loadId: e.loadId,
        fromCache: e.fromCache,
        fetchedAt: e.fetchedAt ?? null,
        rows: [],
        ids: new Set(),
      };
      this.set({ ...base, refreshing: true });
    } else {
      this.pending = null;
      this.streamed = [];
      this.streamIds = new Set();
      this.set({
        ...base,
        refreshing: false,
        rows: [],
        reportedTotal: null,
        missing: [],
        notes: [],
        fromCache: e.fromCache,
        fetchedAt: e.fetchedAt ?? null,
        selection: new Set(),
        dataVersion: this.s.dataVersion + 1,
      });
    }
  }

  private onRows(rows: Row[]): void {
    const target = this.pending ?? { rows: this.streamed, ids: this.streamIds };
    for (const r of rows) {
      if (target.ids.has(r.id)) continue;
      target.ids.add(r.id);
      target.rows.push(r);
    }
    if (!this.pending) {
      this.dirty = true;
      // The first rows go on screen at once (time to first rows); later ones are batched, since every
      // commit rebuilds the filter index over all rows so far.
      if (this.s.rows.length === 0) this.flush();
      else this.later();
    }
  }

  private onLoadDone(e: Extract<WorkerEvent, { type: 'load-done' }>): void {
    this.commit();
    const enriching = e.enriching && this.enrichDoneFor !== e.loadId;
    const done = {
      loading: false,
      refreshing: false,
      complete: true,
      reportedTotal: e.total,
      fetchedAt: e.fetchedAt,
      missing: e.missing,
      notes: e.notes ?? [],
      enriching,
      progress: null,
      error: null,
    };
    const p = this.pending;
    if (p) {
      this.pending = null;
      // Swap in one step; a selected row that no longer exists is dropped from the selection.
      const selection = new Set([...this.s.selection].filter((id) => p.ids.has(id)));
      this.streamIds = p.ids;
      this.set({ ...done, rows: p.rows, fromCache: p.fromCache, selection, dataVersion: this.s.dataVersion + 1 });
    } else {
      this.set(done);
    }
  }

  // ------------------------------------------------------------------ commit and notify

  /** Moves streamed rows and user updates into the view inputs. */
  private commit(): void {
    if (this.streamed.length) {
      this.s = { ...this.s, rows: this.s.rows.concat(this.streamed) };
      this.streamed = [];
      this.dirty = true;
    }
    if (this.dirty) {
      this.dirty = false;
      this.s = { ...this.s, dataVersion: this.s.dataVersion + 1 };
    }
  }

  /**
   * Streaming 100,000 rows means many commits, each rebuilding the index over every row so far: the wait
   * between commits grows with the rebuild's cost, so rebuilding never takes more than ~20% of the time.
   */
  commitDelay(): number {
    return Math.min(MAX_COMMIT_INTERVAL_MS, Math.max(COMMIT_INTERVAL_MS, Math.round(this.rebuildMs * 4)));
  }

  private later(): void {
    if (this.tickScheduled) return;
    this.tickScheduled = true;
    this.schedule(() => {
      if (!this.tickScheduled) return;
      this.flush();
    }, this.commitDelay());
  }

  /**
   * The first keystroke on a complete list built the search text of every row (some 50 ms at 100,000 rows, on
   * top of the search), and the first ticked value the rows of each facet value (about 7 ms). Both are built
   * ahead here, a slice per task, on whatever index is shown by then (a later index of the same rows carries the
   * search text built).
   */
  private prepareSoon(): void {
    const index = this.lastIndex;
    if (!index || (searchPrepared(index) && facetsPrepared(index))) return;
    this.preparing = true;
    const step = (): void => {
      const shown = this.lastIndex;
      if (!shown || !this.s.complete || (prepareSearch(shown, SEARCH_PREP_ROWS) && prepareFacets(shown))) this.preparing = false;
      else this.schedule(step, 0);
    };
    this.schedule(step, SEARCH_PREP_DELAY_MS);
  }

  private set(patch: Partial<PanelState>): void {
    this.s = { ...this.s, ...patch };
    this.emit();
  }

  private emit(): void {
    for (const cb of [...this.subs]) cb();
  }

  // ------------------------------------------------------------------ derivation

  // View rows and their filter index, rebuilt only for the rows and users that changed (core/view-builder.ts).
  private readonly deriveBuilt = memo(
    (rows: readonly Row[], _version: number, staleAfterDays: number, signInAvailable: boolean, access: ReadonlyMap<string, ViewAccess> | null) =>
      this.builder.build({
        rows,
        users: this.users,
        changedUsers: this.changedUsers,
        now: this.now(),
        staleAfterDays,
        expiringWithinDays: EXPIRING_WITHIN_DAYS,
        signInAvailable,
        access,
      }),
  );

  private readonly deriveFacets = memo((index: FilterIndex, decision: boolean, change: boolean): FacetValues =>
    facetValues(index, { ...(decision ? { decision: new Map() } : {}), ...(change ? { change: new Map() } : {}) }),
  );
  private readonly deriveFilter = recentFilter();

  private readonly deriveAllSorted = memo((viewRows: ViewRow[], sort: SortState | null): readonly ViewRow[] =>
    sort ? sortRows(viewRows, sort.key, sort.dir) : viewRows,
  );

  private readonly deriveShown = memo(
    (filtered: readonly ViewRow[], allSorted: readonly ViewRow[], viewRows: readonly ViewRow[]): readonly ViewRow[] => {
      // The filter keeps list order; the shown order is the sorted order restricted to the filtered rows.
      if (allSorted === viewRows) return filtered;
      if (filtered.length === viewRows.length) return allSorted;
      const keep = new Set(filtered);
      return allSorted.filter((r) => keep.has(r));
    },
  );

  private readonly deriveStale = memo((viewRows: readonly ViewRow[]): StaleSummary => {
    const byReason = Object.fromEntries(STALE_REASONS.map((r) => [r, 0])) as Record<StaleReason, number>;
    let total = 0;
    for (const r of viewRows) {
      if (!r.staleReasons.length) continue;
      total++;
      for (const reason of r.staleReasons) byReason[reason]++;
    }
    return { total, byReason };
  });

  /** Where sign-in data is unknown yet, the stale rule does not claim inactivity. */
  private signInAvailable(): boolean {
    return this.s.signIn?.available === true;
  }

  view(): DerivedView {
    const s = this.s;
    const signIn = this.signInAvailable();
    const started = this.now();
    const { viewRows, index } = this.deriveBuilt(s.rows, s.dataVersion, s.staleAfterDays, signIn, this.access);
    if (index !== this.lastIndex) {
      this.lastIndex = index;
      this.rebuildMs = this.now() - started;
    }
    if (s.complete && !this.preparing) this.prepareSoon();
    const result = this.deriveFilter(index, s.filter, s.keyed.decision, s.keyed.change);
    const allSorted = this.deriveAllSorted(viewRows, s.sort);
    return {
      viewRows,
      index,
      facets: this.deriveFacets(index, !!s.keyed.decision, !!s.keyed.change),
      counts: result.counts,
      shown: this.deriveShown(result.rows, allSorted, viewRows),
      allSorted,
      stale: this.deriveStale(viewRows),
    };
  }
}
