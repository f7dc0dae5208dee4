// The overview across packages in the worker: loads every assignment of a scope (the tenant or a catalog)
// package by package with the same partitioned, retried, throttle-aware listing as a single package, keeps
// them in a column store (core/overview/store.ts), enriches the users once per person, and answers the
// panel's queries with the visible window and the counts only.
import type { AccessResource } from '../../core/access/resources';
import { CLOUDS } from '../../core/clouds';
import { nextTask } from '../../core/tasks';
import type { PolicyInfo, Settings } from '../../core/model';
import { overviewCsvChunks, overviewCsvFileName } from '../../core/overview/csv';
import { isFiltered, OverviewStore, type OverviewPackage, type OverviewQuery, type StoreSnapshot } from '../../core/overview/store';
import { fetchAssignments, type ExpandMemo } from '../../graph/assignments';
import { noteList } from '../../core/notes';
import type { Graph } from '../../graph/client';
import { listScopePackages, type ScopePackages } from '../../graph/packages';
import { Feed } from '../../core/feed';
import { requestSlots, type RequestSlots } from '../../core/slots';
import { enrichUsers } from '../../graph/users';
import { packView, type OverviewEvent, type OverviewProgress, type OverviewRequest, type OverviewTab, type UnreadablePackage, type ViewEvent } from '../../protocol/overview';
import type { RateLimiter } from '../../core/ratelimit';
import type { PanelRequest, WorkerEvent } from '../../messages';
import { AuthRequiredError } from '../tokens';
import { Checkpoints, CHECKPOINT_MS, readCheckpoint, type CheckpointStorage, type Resumable } from './checkpoint';

/**
 * Requests in flight for the whole scope, shared by the packages being read. Packages read at once: enough
 * that small ones (one chain each) fill the slots; one package takes at most PAGE_CONCURRENCY of them.
 */
const REQUESTS_IN_FLIGHT = 16;
const PACKAGE_CONCURRENCY = 32;
const PAGE_CONCURRENCY = 8;
/** Distinct notes kept for a scope: more than the panel shows (core/notes.ts counts the rest). */
const MAX_KEPT_NOTES = 200;
/** A package's unpartitioned listing reads this many pages before its partitions start (see fetchAssignments). */
const PARTITION_AFTER = 20;
/** State and view updates while loading: at most one per this many ms. */
const UPDATE_MS = 250;
/** While data arrives, answers take at most 1 / ANSWER_SHARE of the worker's time (see changed()). */
const ANSWER_SHARE = 30;
const CSV_CHUNK_ROWS = 5000;

/** Whether the window is answered again while data arrives, `sinceMs` after the last answer, which took `answerMs`. */
export function windowDue(sinceMs: number, answerMs: number): boolean {
  return sinceMs >= Math.max(UPDATE_MS, (ANSWER_SHARE - 1) * answerMs);
}

/** The panel's session: where events go (and, for the action queue, which package it shows). */
export interface OverviewPeer {
  readonly showing: string | null;
  post(ev: WorkerEvent): void;
}

/**
 * A fully loaded scope as kept on disk, for an open after this worker has stopped (Chrome stops an idle worker
 * about 30 s after its last panel closed, and with it the scope kept in memory).
 */
export interface StoredScope {
  /** Whose data: the settings' cloud, tenant and client (another's is never shown; sign-out clears it). */
  account: string;
  scope: string;
  scopeName: string;
  packages: OverviewPackage[];
  resources: Record<string, AccessResource[]> | null;
  unreadable: UnreadablePackage[];
  /** What the load noticed (absent in scopes stored before notes were kept). */
  notes?: string[];
  signInAvailable: boolean;
  signInNote: string | null;
  fetchedAt: string;
  store: StoreSnapshot;
}

/** Where the one stored scope, and the one load in progress, live (IndexedDB in the worker). */
export interface ScopeStorage extends CheckpointStorage {
  /** Whose scope is stored, without reading its rows (a million of them are a hundred megabytes). */
  about(): Promise<Pick<StoredScope, 'account' | 'scope' | 'fetchedAt'> | undefined>;
  get(): Promise<StoredScope | undefined>;
  put(s: StoredScope): Promise<void>;
  drop(): Promise<void>;
}

export interface OverviewDeps {
  settings(): Promise<Settings>;
  /** Whose data a load reads (see StoredScope.account); without it and `stored`, nothing goes to disk. */
  account?(): Promise<string>;
  stored?: ScopeStorage;
  /** A Graph client with the admin's read token; throws AuthRequiredError when not signed in. */
  graph(): Promise<Graph>;
  signInLimiter: RateLimiter;
  /** How often a load in progress is written to disk (default CHECKPOINT_MS). */
  checkpointEveryMs?: number;
  /** The worker's action queue: a removal from the overview is one batch per package there. */
  actions?: { handle(req: PanelRequest, from: OverviewPeer): Promise<void> };
  now?: () => number;
}

interface LastQuery {
  seq: number;
  query: OverviewQuery;
  tab: OverviewTab;
  offset: number;
  limit: number;
}

/** The error the overview reports when the browser refused memory for more rows (the rows so far stay). */
export const MEMORY_ERROR = 'memory';

/** A refused allocation: what V8 throws when a typed array, an array or a string cannot grow any more. */
export function isMemoryRefusal(e: unknown): boolean {
  return e instanceof RangeError && /allocation failed|out of memory|invalid (typed )?array length|invalid string length/i.test(e.message);
}

/** One panel's overview: its scope's rows and the load that fills them. */
class ScopeLoad {
  readonly store: OverviewStore;
  scopeName = '';
  packages: OverviewPackage[] = [];
  resources: Record<string, AccessResource[]> | null = null;
  /** the packages were listed (postScope has something to say) */
  private listed = false;
  unreadable: UnreadablePackage[] = [];
  /** What the packages' listings and the users' reads noticed (core/notes.ts), distinct, bounded. */
  notes = new Set<string>();
  /** What Graph refused of the listing's $expand: packages read once a step down is confirmed start there. */
  private readonly expandMemo: ExpandMemo = { level: 0, message: '' };
  loading = true;
  enriching = false;
  error: string | null = null;
  signInNote: string | null = null;
  fetchedAt: string | null = null;
  progress: OverviewProgress;
  last: LastQuery | null = null;
  /** how long the last answer took (ms), and when it was sent */
  private answerMs = 0;
  private answeredAt = 0;
  /** rows in the store when the last answer was sent */
  private answeredRows = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  readonly controller = new AbortController();
  /** On disk as it is now: released again, it is not written again. */
  saved = false;
  /** Packages whose read ended (rows whole, or a reason in `unreadable`): a resumed load skips them. */
  done = new Set<string>();
  /** Writes the load in progress to disk as it goes (one load at a time does). */
  checkpoints: Checkpoints | null = null;

  constructor(
    readonly scope: string,
    /** whose data this is (StoredScope.account), null when not known */
    readonly account: string | null,
    private peer: OverviewPeer,
    private readonly deps: OverviewDeps,
    staleAfterDays: number,
    store?: OverviewStore,
  ) {
    const now = (deps.now ?? Date.now)();
    this.store = store ?? new OverviewStore({ now, staleAfterDays, signInAvailable: false });
    this.progress = { packagesDone: 0, packagesTotal: 0, rows: 0, pages: 0, startedAt: now };
  }

  /** A complete scope read back from disk: shown as it was, with the time it was fetched. */
  static fromStored(k: StoredScope, peer: OverviewPeer, deps: OverviewDeps, staleAfterDays: number): ScopeLoad {
    const now = (deps.now ?? Date.now)();
    const store = OverviewStore.restore(k.store, { now, staleAfterDays, signInAvailable: k.signInAvailable });
    const load = new ScopeLoad(k.scope, k.account, peer, deps, staleAfterDays, store);
    load.scopeName = k.scopeName;
    load.packages = k.packages;
    load.resources = k.resources;
    load.listed = true;
    load.unreadable = k.unreadable;
    load.notes = new Set(k.notes ?? []);
    load.loading = false;
    load.signInNote = k.signInNote;
    load.fetchedAt = k.fetchedAt;
    load.progress = { packagesDone: k.packages.length, packagesTotal: k.packages.length, rows: store.size, pages: 0, startedAt: now };
    load.saved = true;
    return load;
  }

  /** A stopped load taken from disk: what it had read is shown at once, and the run reads the rest. */
  static resumed(r: Resumable, scope: string, account: string, peer: OverviewPeer, deps: OverviewDeps, staleAfterDays: number): ScopeLoad {
    const load = new ScopeLoad(scope, account, peer, deps, staleAfterDays, r.store);
    load.done = r.done;
    load.unreadable = r.unreadable;
    // What the packages read before the stop noticed: they are not read again to notice it anew.
    load.notes = new Set(r.notes);
    load.progress = { ...load.progress, packagesDone: r.done.size, rows: r.store.size, resumed: r.done.size };
    return load;
  }

  /** What goes to disk (null when it cannot: not complete, or whose data it is is not known). */
  toStored(): StoredScope | null {
    if (!this.complete || this.account === null || this.fetchedAt === null) return null;
    return {
      account: this.account,
      scope: this.scope,
      scopeName: this.scopeName,
      packages: this.packages,
      resources: this.resources,
      unreadable: this.unreadable,
      notes: [...this.notes],
      signInAvailable: this.store.options.signInAvailable,
      signInNote: this.signInNote,
      fetchedAt: this.fetchedAt,
      store: this.store.snapshot(),
    };
  }

  post(event: OverviewEvent): void {
    if (!this.controller.signal.aborted) this.peer.post({ type: 'overview', event });
  }

  /** Removals were sent from it, or its account signed out: not to be kept or shown to a later open. */
  outdated = false;

  outdate(): void {
    this.outdated = true;
    this.checkpoints?.stop();
  }

  /** Fully loaded without an error, and no removal since: worth keeping for the next open of this scope. */
  get complete(): boolean {
    return !this.loading && !this.enriching && this.error === null && !this.outdated && !this.controller.signal.aborted;
  }

  /** Kept with no panel showing it: it says nothing until a panel takes it again, and selects nothing. */
  detach(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.last = null;
    // A selection belongs to the panel that made it: a reopened overview never offers to remove old picks.
    this.store.clearSelection();
    this.peer = { showing: null, post: () => undefined };
  }

  attach(peer: OverviewPeer): void {
    this.peer = peer;
  }

  postState(): void {
    this.post({
      kind: 'state',
      scope: this.scope,
      loading: this.loading,
      enriching: this.enriching,
      unreadable: this.unreadable,
      notes: noteList(this.notes),
      progress: { ...this.progress },
      total: this.store.size,
      fetchedAt: this.fetchedAt,
      error: this.error,
      signInNote: this.signInNote,
    });
  }

  private indexed: { list: readonly OverviewPackage[]; size: number; index: ReadonlyMap<string, number> } | null = null;

  /** Package id → its place in the list the scope event carries (every change of the list is posted), and its length. */
  private scopeIndex(): { size: number; index: ReadonlyMap<string, number> } {
    const list = this.listed ? this.packages : [];
    if (this.indexed?.list !== list || this.indexed.size !== list.length) {
      this.indexed = { list, size: list.length, index: new Map(list.map((p, i) => [p.id, i])) };
    }
    return this.indexed;
  }

  /** The listed packages and their resources: once per open (a state update carries neither). */
  postScope(): void {
    if (this.listed) this.post({ kind: 'scope', scope: this.scope, scopeName: this.scopeName, packages: this.packages, resources: this.resources });
  }

  /** The last asked window again (after data, the threshold or the selection changed). */
  reanswer(): void {
    if (this.last) this.answer(this.last);
  }

  /**
   * State and the last asked window again while data arrives. The state (counts, progress) at most every
   * UPDATE_MS; the window at most a thirtieth of the time (ANSWER_SHARE): at a million rows an answer costs
   * about 100 ms, in which the pages that arrive wait for the worker and their next requests with them, and a
   * table refreshed every few seconds while loading is as useful as one refreshed four times a second.
   */
  changed(): void {
    // The first rows are shown at once: the table is empty until then.
    if (this.answeredRows === 0 && this.store.size > 0 && this.last !== null) return this.flush();
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.postState();
      if (this.last === null) return;
      // Not yet the window's turn: it comes with a later tick (the data changed since it was sent).
      if (windowDue(Date.now() - this.answeredAt, this.answerMs)) this.reanswer();
      else this.changed();
    }, UPDATE_MS);
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.postState();
    this.reanswer();
  }

  setThreshold(staleAfterDays: number): void {
    if (this.store.options.staleAfterDays !== staleAfterDays) this.store.setOptions({ ...this.store.options, staleAfterDays });
  }

  answer(q: LastQuery): void {
    const started = Date.now();
    this.last = q;
    const result = this.store.query(q.query);
    const people = q.tab === 'people' ? this.store.people(result.order) : [];
    const shown = q.tab === 'people' ? people.length : result.order.length;
    const rows = [];
    if (q.tab === 'assignments') {
      const end = Math.min(result.order.length, q.offset + q.limit);
      for (let k = q.offset; k < end; k++) rows.push(this.store.row(result.order[k]));
    }
    const view: ViewEvent = {
      kind: 'view',
      seq: q.seq,
      tab: q.tab,
      shown,
      offset: q.offset,
      rows,
      people: people.slice(q.offset, q.offset + q.limit),
      counts: result.counts,
      packages: result.packages,
      selected: this.store.selectedCount,
    };
    const { index, size } = this.scopeIndex();
    this.post(packView(view, index, size));
    this.answeredAt = Date.now();
    this.answeredRows = this.store.size;
    this.answerMs = this.answeredAt - started;
  }

  async exportCsv(exportId: string, query: OverviewQuery, all: boolean): Promise<void> {
    const order = this.store.query(all ? { search: '', facets: {} } : query).order;
    // "Download all", or the current view when it narrows nothing: the whole scope either way (contract: -all-).
    const fileName = overviewCsvFileName(this.scope, this.scopeName, 'assignments', !all && isFiltered(query), new Date());
    let rows = 0;
    let first = true;
    for (const chunk of overviewCsvChunks(this.store, order, CSV_CHUNK_ROWS)) {
      if (this.controller.signal.aborted) return;
      if (!first) rows = Math.min(order.length, rows + CSV_CHUNK_ROWS);
      first = false;
      this.post({ kind: 'csv', exportId, chunk, rows, of: order.length, done: false, fileName });
      // One chunk per task: queries and other panels get their turn between chunks.
      await nextTask();
    }
    this.post({ kind: 'csv', exportId, chunk: '', rows: order.length, of: order.length, done: true, fileName });
  }

  async run(): Promise<void> {
    const signal = this.controller.signal;
    let graph: Graph;
    try {
      graph = await this.deps.graph();
    } catch (e) {
      this.loading = false;
      this.error = e instanceof AuthRequiredError ? 'sign-in' : e instanceof Error ? e.message : String(e);
      this.flush();
      return;
    }
    const settings = await this.deps.settings();
    // Packages are read as their page of the listing arrives; the assignments of the first ones are on their
    // way while the rest of the listing still is.
    const queue = new Feed<OverviewPackage>();
    let found: ScopePackages | null = null;
    const take = (fresh: OverviewPackage[], sofar: ScopePackages): void => {
      found = sofar;
      this.scopeName = sofar.scopeName;
      this.packages = sofar.packages;
      this.resources = sofar.resources ? Object.fromEntries(sofar.resources) : null;
      this.store.setPackages(fresh);
      this.progress.packagesTotal = sofar.packages.length;
      this.listed = true;
      queue.push(fresh);
      this.postScope();
      this.changed();
    };
    // Stops the listings when the browser refuses memory or the package listing fails, while the load itself
    // still reports (signal does not).
    const fetching = new AbortController();
    signal.addEventListener('abort', () => fetching.abort(), { once: true });
    // Requests in flight for the whole scope, shared by the packages being read (most pages read first).
    const slots = requestSlots(REQUESTS_IN_FLIGHT);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!fetching.signal.aborted) {
        if (next >= queue.length) {
          if (queue.done) return;
          await queue.changed(next, fetching.signal);
          continue;
        }
        const p = queue.at(next++);
        if (this.done.has(p.id)) continue; // read before the worker stopped
        await this.loadPackage(graph, settings, p, found?.policies.get(p.id) ?? [], fetching, slots);
        this.progress.packagesDone++;
        if (!fetching.signal.aborted) {
          this.done.add(p.id);
          this.checkpoints?.due(this.store, { done: this.done, unreadable: this.unreadable, notes: this.notes });
        }
        this.changed();
      }
    };
    const workers = Promise.all(Array.from({ length: PACKAGE_CONCURRENCY }, worker));
    let listingError: string | null = null;
    try {
      // The last word: the scope's name, and no resources when Graph would not expand them.
      take([], await listScopePackages(graph, this.scope, fetching.signal, take));
    } catch (e) {
      if (!signal.aborted && !fetching.signal.aborted) {
        listingError = e instanceof Error ? e.message : String(e);
        fetching.abort();
      }
    }
    queue.end();
    await workers;
    if (signal.aborted) return;
    if (listingError !== null) {
      // What was read stays shown; the error says the scope is not complete.
      this.loading = false;
      this.error = listingError;
      this.flush();
      return;
    }
    this.loading = false;
    this.fetchedAt = new Date().toISOString();
    // Every package is in: a stop during the account data resumes without an assignment page.
    if (!fetching.signal.aborted) this.checkpoints?.due(this.store, { done: this.done, unreadable: this.unreadable, notes: this.notes }, true);
    if (fetching.signal.aborted) {
      // Refused memory: what was loaded stays shown, filterable and exportable; the account data would need more.
      this.error = MEMORY_ERROR;
      this.flush();
      return;
    }
    try {
      this.store.prepareSearch();
    } catch (e) {
      // Without room for it the first search builds what it needs, or says the memory ran out.
      if (!isMemoryRefusal(e)) throw e;
    }
    this.enriching = true;
    this.flush();
    await this.enrich(graph, signal);
    if (signal.aborted) return;
    this.enriching = false;
    this.flush();
  }

  private async loadPackage(graph: Graph, settings: Settings, p: OverviewPackage, policies: PolicyInfo[], fetching: AbortController, slots: RequestSlots): Promise<void> {
    const signal = fetching.signal;
    try {
      const result = await fetchAssignments({
        graph,
        packageId: p.id,
        policies,
        graphRoot: CLOUDS[settings.cloud].graphRoot,
        concurrency: PAGE_CONCURRENCY,
        slots,
        partitionAfter: PARTITION_AFTER,
        expandMemo: this.expandMemo,
        signal,
        onRows: (rows) => {
          try {
            this.store.add(p.id, rows);
          } catch (e) {
            if (isMemoryRefusal(e)) fetching.abort();
            throw e;
          }
          this.progress.rows += rows.length;
          this.progress.pages++;
          this.changed();
        },
      });
      this.note(result.problems);
      if (result.missing.length > 0) {
        this.unreadable.push({ packageId: p.id, reason: result.missing.map((m) => `${m.partition}: ${m.error}`).join('; ') });
      }
    } catch (e) {
      if (signal.aborted) return;
      this.unreadable.push({ packageId: p.id, reason: e instanceof Error ? e.message : String(e) });
    }
  }

  private async enrich(graph: Graph, signal: AbortSignal): Promise<void> {
    const ids = this.store.userIds();
    if (ids.length === 0) return;
    try {
      const read = await enrichUsers({
        graph,
        ids,
        signal,
        signInLimiter: this.deps.signInLimiter,
        onUsers: (users) => {
          this.store.setUsers(users);
          this.changed();
        },
        onAvailability: (a) => {
          this.store.setOptions({ ...this.store.options, signInAvailable: a.available });
          this.signInNote = a.available ? null : (a.reason ?? null);
          this.changed();
        },
      });
      this.note(read.problems);
    } catch (e) {
      if (!signal.aborted) this.signInNote = e instanceof Error ? e.message : String(e);
    }
  }

  /** Keeps what a read noticed, each line once; a tenant that breaks every element stops adding at a bound. */
  private note(lines: readonly string[]): void {
    for (const l of lines) {
      if (this.notes.size >= MAX_KEPT_NOTES) return;
      this.notes.add(l);
    }
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.controller.abort();
  }
}

/** A closed overview's rows are offered to the next open of the same scope for this long. */
export const KEEP_CLOSED_MS = 30 * 60_000;
/** A scope on disk is offered for this long after it was fetched (its age is shown; Refresh reads it again). */
export const KEEP_STORED_MS = 24 * 60 * 60_000;

/**
 * One overview per panel; a second open of the same scope keeps the rows (refresh drops them). The last
 * fully loaded scope whose panel closed it, navigated away or reloaded is kept (one, for memory: a million rows
 * are about 125 MB) and taken by the next open of that scope, which shows it at once with its fetched time
 * instead of listing the tenant again; Refresh lists it again.
 */
export class OverviewService {
  private readonly loads = new Map<OverviewPeer, ScopeLoad>();
  /**
   * An open still asking the disk: the panel's next requests (its first query comes right after the open)
   * wait for it, or they would find no load and go unanswered.
   */
  private readonly opening = new Map<OverviewPeer, Promise<void>>();
  /** Panels that went away: an open still asking the disk for one starts nothing. */
  private readonly gone = new WeakSet<OverviewPeer>();
  private kept: { load: ScopeLoad; at: number } | null = null;
  /** The load whose parts are on disk (or being written): one at a time. */
  private partsOwner: ScopeLoad | null = null;

  constructor(private readonly deps: OverviewDeps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /**
   * A panel let go of its load: kept when complete (replacing the one kept before) and written to disk for a
   * later worker, otherwise stopped. Written here rather than when the load completes: copying a million rows
   * takes the worker a moment the admin, still typing in that panel, would feel.
   */
  private release(load: ScopeLoad): void {
    if (!load.complete) {
      load.cancel();
      return;
    }
    this.kept?.load.cancel();
    load.detach();
    this.kept = { load, at: this.now() };
    void this.save(load);
  }

  private async save(load: ScopeLoad): Promise<void> {
    if (!this.deps.stored || load.saved) return;
    let stored: StoredScope | null;
    try {
      stored = load.toStored();
      if (stored === null) return;
      load.saved = true;
      await this.deps.stored.put(stored);
      // Complete on disk: its parts are no longer needed (unless another load has written its own since).
      if (this.partsOwner === load) {
        this.partsOwner = null;
        await this.deps.stored.dropParts();
      }
    } catch {
      // Refused (quota, memory): the next worker reads the scope from Graph again, as it would without a disk.
      load.saved = false;
    }
  }

  /** The stored scope when it is this account's, this scope and fresh enough; a stale or foreign one is dropped. */
  private async takeStored(scope: string, account: string | null): Promise<StoredScope | null> {
    if (!this.deps.stored || account === null) return null;
    const k = await this.deps.stored.about().catch(() => undefined);
    if (!k) return null;
    if (k.account !== account || this.now() - Date.parse(k.fetchedAt) > KEEP_STORED_MS) {
      await this.deps.stored.drop().catch(() => undefined);
      return null;
    }
    if (k.scope !== scope) return null;
    const stored = await this.deps.stored.get().catch(() => undefined);
    // Replaced meanwhile by another panel's scope: not this one.
    return stored && stored.account === account && stored.scope === scope ? stored : null;
  }

  /** No load in this worker is still writing its parts: another may read them, or write its own. */
  private partsFree(): boolean {
    const o = this.partsOwner;
    return o === null || !o.loading || o.controller.signal.aborted || o.outdated;
  }

  /** The kept load of this scope, if fresh enough: handed over (it is no longer kept). */
  private takeKept(scope: string): ScopeLoad | null {
    const k = this.kept;
    if (!k || k.load.scope !== scope) return null;
    this.kept = null;
    if (this.now() - k.at > KEEP_CLOSED_MS) {
      k.load.cancel();
      return null;
    }
    return k.load;
  }

  /** Sign-out or other settings: nothing kept may be shown to the next account or tenant. */
  clear(): void {
    this.kept?.load.cancel();
    this.kept = null;
    // A panel still showing a load would keep it (and write it to disk) when it lets go.
    for (const load of this.loads.values()) load.outdate();
    this.partsOwner = null;
    this.dropDisk();
  }

  /** Neither the stored scope nor a stopped load's parts may be shown again (a failed drop is not worth a word). */
  private dropDisk(): void {
    void this.deps.stored?.drop().catch(() => undefined);
    void this.deps.stored?.dropParts().catch(() => undefined);
  }

  /**
   * Graph accepted a write to this package (from any panel): a scope holding it no longer says what Graph
   * holds. The kept one and the one on disk are dropped (the disk's scope is not read to check: a million rows);
   * one a panel shows stays shown, with its age, and is not kept after it.
   */
  packageChanged(packageId: string): void {
    const holds = (load: ScopeLoad): boolean => load.packages.some((p) => p.id === packageId);
    if (this.kept && holds(this.kept.load)) {
      this.kept.load.cancel();
      this.kept = null;
    }
    for (const load of this.loads.values()) if (holds(load)) load.outdate();
    // A stopped load's parts may hold it too; the one writing them (if any) holds it, and has stopped.
    this.dropDisk();
  }

  async handle(req: OverviewRequest, from: OverviewPeer): Promise<void> {
    const opening = this.opening.get(from);
    if (opening) await opening;
    const current = this.loads.get(from);
    switch (req.kind) {
      case 'open': {
        if (current && current.scope === req.scope && !req.refresh && current.error === null) {
          current.setThreshold(req.staleAfterDays);
          current.postScope();
          current.flush();
          return;
        }
        if (current) this.release(current);
        const kept = this.takeKept(req.scope);
        if (kept && !req.refresh) {
          kept.attach(from);
          this.loads.set(from, kept);
          kept.setThreshold(req.staleAfterDays);
          kept.postState();
          kept.postScope();
          return;
        }
        kept?.cancel();
        let opened!: () => void;
        this.opening.set(from, new Promise<void>((resolve) => (opened = resolve)));
        let account: string | null = null;
        let stored: StoredScope | null = null;
        let resumable: Resumable | null = null;
        try {
          account = this.deps.account ? await this.deps.account() : null;
          stored = req.refresh ? null : await this.takeStored(req.scope, account);
          // A load of this scope that stopped with its worker (or its panel) goes on from where it was.
          if (!stored && !req.refresh && this.deps.stored && account !== null && this.partsFree()) {
            const opts = { now: this.now(), staleAfterDays: req.staleAfterDays, signInAvailable: false };
            resumable = await readCheckpoint(this.deps.stored, account, req.scope, this.now(), opts);
          }
        } finally {
          this.opening.delete(from);
          opened();
        }
        if (this.gone.has(from)) return;
        if (stored) {
          let load: ScopeLoad | null = null;
          try {
            load = ScopeLoad.fromStored(stored, from, this.deps, req.staleAfterDays);
          } catch {
            // Of another format or refused memory: read from Graph instead.
          }
          if (load) {
            this.loads.set(from, load);
            load.postState();
            load.postScope();
            return;
          }
        }
        const load =
          resumable && account !== null
            ? ScopeLoad.resumed(resumable, req.scope, account, from, this.deps, req.staleAfterDays)
            : new ScopeLoad(req.scope, account, from, this.deps, req.staleAfterDays);
        if (this.deps.stored && account !== null && this.partsFree()) {
          // Refresh asked for Graph's data now: a stop before its first part must not resume the older load.
          if (req.refresh) void this.deps.stored.dropParts().catch(() => undefined);
          // Its first part replaces the parts on disk (a resumed load writes what it kept again, once).
          load.checkpoints = new Checkpoints(this.deps.stored, account, req.scope, this.deps.checkpointEveryMs ?? CHECKPOINT_MS, () => this.now());
          this.partsOwner = load;
        }
        this.loads.set(from, load);
        load.postState();
        return load.run();
      }
      case 'query':
        if (!current) return;
        current.setThreshold(req.staleAfterDays);
        return current.answer({ seq: req.seq, query: req.query, tab: req.tab, offset: req.offset, limit: req.limit });
      case 'export':
        if (!current || current.loading) {
          from.post({ type: 'overview', event: { kind: 'csv-failed', exportId: req.exportId, reason: 'loading' } });
          return;
        }
        return current.exportCsv(req.exportId, req.query, req.all);
      case 'select':
        if (!current) return;
        if (req.op === 'none') current.store.clearSelection();
        else if (req.op === 'all') current.store.select(current.store.query(req.query).order, true);
        else current.store.select(req.rows, req.on);
        current.reanswer();
        return;
      case 'remove': {
        if (!current || !this.deps.actions) return;
        const groups = [...current.store.selectedByPackage()];
        current.store.clearSelection();
        // Neither this load nor the copy on disk is shown again as the scope's data: both still hold these rows.
        current.outdate();
        this.dropDisk();
        current.reanswer();
        // One batch per package, all sent at once: the queue paces the writes and logs each row.
        await Promise.all(
          groups.map(([packageId, g], k) =>
            this.deps.actions!.handle({ type: 'remove', batchId: `${req.batchId}:${k}`, packageId, assignmentIds: g.ids, labels: g.labels, filter: req.filter }, from),
          ),
        );
        return;
      }
      case 'close':
        if (current) this.release(current);
        this.loads.delete(from);
        return;
    }
  }

  /** The panel went away. */
  forget(from: OverviewPeer): void {
    this.gone.add(from);
    const load = this.loads.get(from);
    if (load) this.release(load);
    this.loads.delete(from);
  }
}
