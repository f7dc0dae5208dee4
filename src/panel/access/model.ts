// The access check as the panel sees it: what the worker reported for the open package (resources, the
// outside-the-package lists, per-assignment results), fed into the store so rows carry `data-access`, the
// Access column and facet, and the CSV columns. Plain TypeScript: tested in node.
import { accessCounts, type AccessValue, type OutsidePrincipal, type RowAccess } from '../../core/access/compare';
import type { ViewAccess, ViewRow } from '../../core/model';
import type { WorkerEvent } from '../../messages';
import type { AccessEvent, AccessResourceInfo } from '../../protocol/access';
import { createModelSlot } from '../model-slot';
import type { PanelStore } from '../store';
import type { WorkerLink } from '../worker-link';

export interface AccessView {
  packageId: string | null;
  /** a check (or re-check) is running */
  loading: boolean;
  recheck: boolean;
  resources: readonly AccessResourceInfo[];
  /** resource id → holders without an assignment of the package */
  outside: ReadonlyMap<string, readonly OutsidePrincipal[]>;
  /** assignment id → result */
  rows: ReadonlyMap<string, RowAccess>;
  error: string | null;
}

const empty = (packageId: string | null): AccessView => ({
  packageId,
  loading: false,
  recheck: false,
  resources: [],
  outside: new Map(),
  rows: new Map(),
  error: null,
});

const isAccess = (e: WorkerEvent): e is AccessEvent => e.type.startsWith('access-');

/** The action kind of a reprocess in the action log (the action queue's reprocess request). */
export const REPROCESS_KIND = 'reprocess';

export class AccessModel {
  private v: AccessView;
  private checkId: string | null = null;
  /** every resource seen in this package's checks, for names of missing resources */
  private names = new Map<string, string>();
  private readonly subs = new Set<() => void>();
  private stop: Array<() => void> = [];
  /** Reprocess batches seen with entries still pending: re-checked once all their entries are answered. */
  private watching = new Set<string>();
  /** Reprocess batches already re-checked (or finished before the check ran): never re-checked twice. */
  private handled = new Set<string>();
  /** When the last full check started (ms): a batch answered after it may not be reflected in it. */
  private checkStartedAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly store: PanelStore,
    private readonly link: WorkerLink,
    private readonly now: () => number = Date.now,
  ) {
    this.v = empty(store.state.packageId);
  }

  start(): void {
    this.stop.push(
      this.link.onEvent((e) => {
        if (isAccess(e)) this.handle(e);
        else if (e.type === 'actions') this.onActions(e);
      }),
    );
    this.stop.push(
      this.store.subscribe(() => {
        if (this.store.state.packageId !== this.v.packageId) this.reset();
      }),
    );
  }

  dispose(): void {
    this.stop.forEach((f) => f());
    this.stop = [];
  }

  get view(): Readonly<AccessView> {
    return this.v;
  }

  subscribe(cb: () => void): () => void {
    this.subs.add(cb);
    return () => this.subs.delete(cb);
  }

  counts(): Record<AccessValue, number> {
    return accessCounts(this.v.rows.values());
  }

  /**
   * Counts over the rows the panel holds now (after a check every row has a value: rows added or changed
   * since say not-checked), so access-status adds up to the list, not to the list as it was checked.
   */
  countsOf(viewRows: readonly ViewRow[]): Record<AccessValue, number> {
    if (this.v.rows.size === 0) return this.counts();
    const c: Record<AccessValue, number> = { complete: 0, missing: 0, 'not-checked': 0, pending: 0 };
    for (const r of viewRows) if (r.access) c[r.access.value]++;
    return c;
  }

  /** The Fix's selection: rows held now whose access is missing. */
  missingIdsOf(viewRows: readonly ViewRow[]): string[] {
    // No check ran: no row carries a value (and while 100,000 rows stream in, no pass over them per commit).
    if (this.v.rows.size === 0) return [];
    const out: string[] = [];
    for (const r of viewRows) if (r.access?.value === 'missing') out.push(r.id);
    return out;
  }

  /** Ids of the assignments whose access is missing (the Fix selects them for reprocessing). */
  missingIds(): string[] {
    const out: string[] = [];
    for (const a of this.v.rows.values()) if (a.value === 'missing') out.push(a.id);
    return out;
  }

  /** The check's own result for an assignment (resource ids in `missing`), or undefined. */
  entry(assignmentId: string): RowAccess | undefined {
    return this.v.rows.get(assignmentId);
  }

  resourceName(id: string): string {
    return this.names.get(id) ?? id;
  }

  check(): void {
    const packageId = this.store.state.packageId;
    if (!packageId) return;
    this.checkStartedAt = this.now();
    this.set({ loading: true, recheck: false, error: null });
    this.link.post({ type: 'check-access', packageId });
  }

  /** Re-checks these assignments only (e.g. once a reprocess of them finished). */
  recheck(assignmentIds: readonly string[]): void {
    const packageId = this.store.state.packageId;
    if (!packageId || assignmentIds.length === 0) return;
    this.set({ loading: true, recheck: true, error: null });
    this.link.post({ type: 'recheck-access', packageId, assignmentIds: [...assignmentIds] });
  }

  handle(e: AccessEvent): void {
    if (e.packageId !== this.v.packageId) return;
    if (e.type === 'access-start') {
      this.checkId = e.checkId;
      for (const r of e.resources) this.names.set(r.id, `${r.displayName} (${r.roleName})`);
      if (e.recheck) {
        // Only the re-read resources change; their outside lists are rebuilt from what arrives.
        const ids = new Set(e.resources.map((r) => r.id));
        const outside = new Map(this.v.outside);
        for (const id of ids) outside.delete(id);
        const resources = this.v.resources.map((r) => e.resources.find((x) => x.id === r.id) ?? r);
        this.set({ loading: true, recheck: true, resources, outside, error: null });
      } else {
        this.set({ ...empty(this.v.packageId), loading: true, resources: e.resources });
      }
      return;
    }
    if (e.checkId !== this.checkId) return;
    switch (e.type) {
      case 'access-resource': {
        const resources = this.v.resources.map((r) => (r.id === e.resource.id ? e.resource : r));
        const outside = new Map(this.v.outside);
        outside.delete(e.resource.id);
        this.set({ resources, outside });
        return;
      }
      case 'access-outside': {
        const outside = new Map(this.v.outside);
        outside.set(e.resourceId, [...(outside.get(e.resourceId) ?? []), ...e.principals]);
        this.set({ outside });
        return;
      }
      case 'access-rows': {
        const rows = new Map(this.v.rows);
        for (const a of e.entries) rows.set(a.id, a);
        this.v = { ...this.v, rows };
        return;
      }
      case 'access-done':
        this.set({ loading: false });
        this.store.setAccess(this.viewAccess());
        return;
      case 'access-error':
        this.set({ loading: false, error: e.message });
        return;
    }
  }

  /**
   * After a reprocess batch of this package finishes (every entry done or failed), the rows it reprocessed
   * are re-checked, once: the re-check reads only the resources they were missing. A batch is answered
   * before the log's next (throttled) report when Graph is quick, so one first seen already finished counts
   * too when it was answered after the check started; an older one (the log as the panel opened) does not.
   */
  private onActions(e: Extract<WorkerEvent, { type: 'actions' }>): void {
    if (e.packageId !== this.v.packageId) return;
    const batches = new Map<string, { pending: boolean; done: string[]; last: number }>();
    for (const entry of e.entries) {
      if ((entry.kind as string) !== REPROCESS_KIND) continue;
      const b = batches.get(entry.batchId) ?? { pending: false, done: [], last: 0 };
      if (entry.result === 'pending') b.pending = true;
      else if (entry.result === 'done') b.done.push(entry.key);
      b.last = Math.max(b.last, Date.parse(entry.at) || 0);
      batches.set(entry.batchId, b);
    }
    for (const [batchId, b] of batches) {
      if (this.handled.has(batchId)) continue;
      if (b.pending) {
        this.watching.add(batchId);
        continue;
      }
      const watched = this.watching.delete(batchId);
      if (!watched && !(b.last >= this.checkStartedAt)) {
        this.handled.add(batchId);
        continue;
      }
      if (this.v.rows.size === 0) continue;
      this.handled.add(batchId);
      const ids = b.done.filter((id) => this.v.rows.has(id));
      if (ids.length > 0) this.recheck(ids);
    }
  }

  private viewAccess(): Map<string, ViewAccess> {
    const out = new Map<string, ViewAccess>();
    for (const a of this.v.rows.values()) {
      out.set(a.id, { value: a.value, missing: a.missing.map((id) => this.resourceName(id)), reasons: a.reasons, ...(a.state !== undefined ? { state: a.state } : {}) });
    }
    return out;
  }

  private reset(): void {
    this.checkId = null;
    this.watching = new Set();
    this.handled = new Set();
    this.checkStartedAt = Number.POSITIVE_INFINITY;
    this.names = new Map();
    this.set(empty(this.store.state.packageId));
  }

  private set(patch: Partial<AccessView>): void {
    this.v = { ...this.v, ...patch };
    for (const cb of [...this.subs]) cb();
  }
}

/** The panel's access model, for the details view (which the toolbar's panel context does not reach). */
export const accessSlot = createModelSlot<AccessModel>();
