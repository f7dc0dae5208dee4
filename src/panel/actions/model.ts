// The actions feature's state in the panel, fed by worker events: the open package's action log, the admin's
// role there, directory search results and delivery statuses; and the requests it sends. Plain TypeScript
// (no DOM): tested in node with a fake link.
import { shownWithValues } from '../../core/filters';
import type { QuestionAnswer } from '../../core/questions';
import { createModelSlot } from '../model-slot';
import type { ViewRow } from '../../core/model';
import type { ActionEntry, DeliveryStatus, DirectoryUser, WorkerEvent } from '../../messages';
import type { PanelStore } from '../store';
import type { WorkerLink } from '../worker-link';
import { isActionEntry, resultForRow, rowResults, statusCounts, type RemovalPlan, type RowResults, type StatusCounts } from './status';

export interface RolesInfo {
  /** true: a role allows changes; 'unknown': none found (Graph decides); false: Graph refused a change (403). */
  canWrite: boolean | 'unknown';
  roles: string[];
  explanation: string;
}

export type DeliveryView =
  | { kind: 'loading' }
  | { kind: 'found'; status: DeliveryStatus }
  | { kind: 'none' }
  | { kind: 'error'; message: string };

export interface SearchState {
  query: string;
  /** The seq of the newest search sent; older answers are ignored. */
  seq: number;
  loading: boolean;
  users: DirectoryUser[];
  error: string | null;
}

/** Typing pauses this long before a directory search is sent. */
export const SEARCH_DEBOUNCE_MS = 300;
/** The worker accepts at most this many ids per delivery-status request. */
export const DELIVERY_CHUNK = 500;
/** Assignment states whose delivery status is worth asking about. */
export const DELIVERY_STATES: ReadonlySet<string> = new Set(['delivering', 'partiallyDelivered', 'deliveryFailed']);

export interface ModelTimers {
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(h: unknown): void;
}

const defaultTimers: ModelTimers = {
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

const emptySearch = (): SearchState => ({ query: '', seq: 0, loading: false, users: [], error: null });

export class ActionsModel {
  entries: readonly ActionEntry[] = [];
  roles: RolesInfo | null = null;
  readonly delivery = new Map<string, DeliveryView>();
  search: SearchState = emptySearch();
  /** Bumped on every change (components re-render on it). */
  version = 0;

  private packageId: string | null = null;
  private signedIn = false;
  private results: RowResults | null = null;
  private counted: StatusCounts | null = null;
  private searchTimer: unknown = null;
  private readonly subs = new Set<() => void>();
  private offs: Array<() => void> = [];
  private readonly timers: ModelTimers;
  private readonly newId: () => string;

  constructor(
    private readonly store: PanelStore,
    private readonly link: WorkerLink,
    opts: { timers?: ModelTimers; newId?: () => string } = {},
  ) {
    this.timers = opts.timers ?? defaultTimers;
    this.newId = opts.newId ?? (() => crypto.randomUUID());
  }

  /** Starts listening (and asks for the open package's log). */
  start(): void {
    if (this.offs.length) return;
    this.offs.push(this.link.onEvent((e) => this.onEvent(e)));
    this.offs.push(this.store.subscribe(() => this.onStore()));
    this.onStore();
  }

  dispose(): void {
    for (const off of this.offs) off();
    this.offs = [];
    if (this.searchTimer !== null) this.timers.clearTimeout(this.searchTimer);
    this.searchTimer = null;
    this.subs.clear();
  }

  subscribe(cb: () => void): () => void {
    this.subs.add(cb);
    return () => this.subs.delete(cb);
  }

  // ------------------------------------------------------------------ derived

  /** action-status: counts over the latest batch of the open package's log. */
  counts(): StatusCounts {
    return (this.counted ??= statusCounts(this.entries));
  }

  resultFor(row: Pick<ViewRow, 'id' | 'objectId' | 'policyId'>): ActionEntry | null {
    return resultForRow((this.results ??= rowResults(this.entries)), row);
  }

  /**
   * What the rows' addon (RowInfo) may show now, for the room the table gives it: a result badge (the package's
   * log has entries), and on rows being delivered the "Check delivery" button, or their status once asked.
   * From the filter's counts, not a pass over the rows.
   */
  rowInfoParts(): { badge: boolean; delivery: 'none' | 'button' | 'status' } {
    const delivering = this.deliveringShown() > 0;
    return { badge: this.entries.length > 0, delivery: !delivering ? 'none' : this.delivery.size > 0 ? 'status' : 'button' };
  }

  /** Shown rows whose delivery status is worth asking about, from the filter's counts (no pass over 100,000 rows). */
  deliveringShown(): number {
    return shownWithValues(this.store.view(), this.store.state.filter, 'state', DELIVERY_STATES);
  }

  // ------------------------------------------------------------------ requests

  /** Sends the removal once; returns its batch id. */
  remove(plan: RemovalPlan, filterText: string): string | null {
    const packageId = this.packageId;
    if (!packageId || plan.ids.length === 0) return null;
    const batchId = this.newId();
    this.link.post({ type: 'remove', batchId, packageId, assignmentIds: plan.ids, filter: filterText, labels: plan.labels });
    return batchId;
  }

  add(policyId: string, users: readonly DirectoryUser[], start: string | null, end: string | null, answers: readonly QuestionAnswer[] = []): string | null {
    const packageId = this.packageId;
    if (!packageId || users.length === 0) return null;
    const batchId = this.newId();
    this.link.post({
      type: 'add',
      batchId,
      packageId,
      policyId,
      userIds: users.map((u) => u.id),
      labels: users.map((u) => u.displayName || u.userPrincipalName || u.mail || u.id),
      start,
      end,
      ...(answers.length > 0 ? { answers: [...answers] } : {}),
    });
    return batchId;
  }

  retry(batchId: string): void {
    this.link.post({ type: 'retry-actions', batchId });
  }

  /** Debounced directory search; each search sent gets a new seq, and only its answer is kept. */
  setSearchQuery(query: string): void {
    if (this.searchTimer !== null) this.timers.clearTimeout(this.searchTimer);
    this.searchTimer = null;
    const q = query.trim();
    if (q === '') {
      this.search = { ...emptySearch(), seq: this.search.seq + 1 };
      this.changed();
      return;
    }
    this.search = { ...this.search, query: q, loading: true, error: null };
    this.changed();
    this.searchTimer = this.timers.setTimeout(() => {
      this.searchTimer = null;
      const seq = this.search.seq + 1;
      this.search = { ...this.search, seq };
      this.link.post({ type: 'search-users', query: q.slice(0, 200), seq });
    }, SEARCH_DEBOUNCE_MS);
  }

  requestDelivery(assignmentIds: readonly string[]): void {
    const ids = [...new Set(assignmentIds)];
    if (ids.length === 0) return;
    for (const id of ids) this.delivery.set(id, { kind: 'loading' });
    for (let i = 0; i < ids.length; i += DELIVERY_CHUNK) {
      this.link.post({ type: 'delivery-status', assignmentIds: ids.slice(i, i + DELIVERY_CHUNK) });
    }
    this.changed();
  }

  // ------------------------------------------------------------------ events

  private onStore(): void {
    const s = this.store.state;
    const signedIn = s.auth?.status === 'signed-in';
    if (s.packageId !== this.packageId) {
      this.packageId = s.packageId;
      this.entries = [];
      this.roles = null;
      this.delivery.clear();
      this.invalidate();
      this.changed();
      if (s.packageId) this.link.post({ type: 'action-log', packageId: s.packageId });
    } else if (signedIn && !this.signedIn && s.packageId) {
      // Signed in now: ask again, the worker adds the admin's roles to its answer.
      this.link.post({ type: 'action-log', packageId: s.packageId });
    }
    this.signedIn = signedIn;
  }

  private onEvent(e: WorkerEvent): void {
    switch (e.type) {
      case 'actions':
        if (e.packageId !== this.packageId) return;
        this.entries = e.entries.filter(isActionEntry);
        this.invalidate();
        this.changed();
        return;
      case 'roles':
        if (e.packageId !== this.packageId) return;
        this.roles = { canWrite: e.canWrite, roles: e.roles.filter((r) => typeof r === 'string'), explanation: e.explanation };
        this.changed();
        return;
      case 'search-results':
        if (e.seq !== this.search.seq) return; // a newer search was sent: this answer is stale
        this.search = { ...this.search, loading: this.searchTimer !== null, users: e.users, error: e.error ?? null };
        this.changed();
        return;
      case 'delivery': {
        const statuses = e.statuses.filter((s) => s && typeof s.assignmentId === 'string');
        for (const st of statuses) this.delivery.set(st.assignmentId, { kind: 'found', status: st });
        const found = new Set(statuses.map((s) => s.assignmentId));
        for (const id of Array.isArray(e.requested) ? e.requested : []) {
          if (found.has(id)) continue;
          this.delivery.set(id, e.error ? { kind: 'error', message: e.error } : { kind: 'none' });
        }
        this.changed();
        return;
      }
      default:
        return;
    }
  }

  private invalidate(): void {
    this.results = null;
    this.counted = null;
  }

  private changed(): void {
    this.version++;
    for (const cb of [...this.subs]) cb();
  }
}

// ---------------------------------------------------------------- the model rows render from

// The row addon (rendered by the table, which has no panel context) reads the toolbar item's model here.
export const actionsSlot = createModelSlot<ActionsModel>();
export const setCurrentModel = actionsSlot.set;
export const currentModel = actionsSlot.get;
export const onCurrentModel = actionsSlot.on;
