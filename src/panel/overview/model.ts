// The overview in the panel: which scope is open, the worker's load state, the query (search and facets),
// and the window of rows the table shows. The rows live in the worker; this model asks for the visible
// window and keeps the last answer. Plain TypeScript (no DOM): tested in node with a fake link.
import type { OverviewFacet, OverviewQuery } from '../../core/overview/store';
import type { ActionEntry, WorkerEvent } from '../../messages';
import { unpackView, type OverviewEvent, type OverviewTab } from '../../protocol/overview';
import { createModelSlot } from '../model-slot';
import type { WorkerLink } from '../worker-link';

export type OverviewState = Extract<OverviewEvent, { kind: 'state' }>;
export type OverviewScope = Extract<OverviewEvent, { kind: 'scope' }>;
export type OverviewView = Extract<OverviewEvent, { kind: 'view' }>;

/** The worker stops after ~30 s without port traffic: a long load is kept alive by pings. */
const PING_MS = 20_000;

export interface CsvSink {
  /** Called with each chunk as it arrives; `done` with the file name once the last one did. */
  chunk(text: string): void;
  done(fileName: string): void;
  failed(reason: string): void;
}

/** What an action sent from the overview did. */
export type TrackedKind = 'remove' | 'reprocess' | 'extend';

export interface ExportProgress {
  rows: number;
  of: number;
}

export class OverviewModel {
  scope: string | null = null;
  state: OverviewState | null = null;
  /** the scope's packages and their resources, once listed */
  listing: OverviewScope | null = null;
  view: OverviewView | null = null;
  tab: OverviewTab = 'assignments';
  query: OverviewQuery = { search: '', facets: {} };
  exporting: ExportProgress | null = null;
  exportError: string | null = null;
  /** where the overview was opened from (the package panel's "Back" returns there) */
  openedFromPackage = false;
  /**
   * The last action sent from the overview (a removal of the selection, or a remove, reprocess or extend from an
   * assignment's details): its batches' entries, per package, as the action queue reports them.
   */
  removal: { batchId: string; kind: TrackedKind; entries: Map<string, ActionEntry[]> } | null = null;

  /** the last query asked (an answer carries it back) */
  private seq = 0;
  private exports = 0;
  private offset = 0;
  private limit = 60;
  private staleAfterDays = 90;
  private sink: { id: string; sink: CsvSink } | null = null;
  private ping: ReturnType<typeof setInterval> | null = null;
  private readonly subs = new Set<() => void>();
  private readonly off: () => void;

  constructor(private readonly link: WorkerLink) {
    this.off = link.onEvent((e) => this.onEvent(e));
  }

  /** A question is on its way to the worker: the table shows the previous answer until it returns. */
  get answering(): boolean {
    return this.scope !== null && this.view?.seq !== this.seq;
  }

  subscribe(cb: () => void): () => void {
    this.subs.add(cb);
    return () => this.subs.delete(cb);
  }

  private emit(): void {
    for (const cb of [...this.subs]) cb();
  }

  /** Opens `scope` (null closes the overview). */
  open(scope: string | null, fromPackage = false): void {
    if (scope === this.scope) return;
    if (this.scope !== null) this.link.post({ type: 'overview', request: { kind: 'close' } });
    this.scope = scope;
    this.state = null;
    this.listing = null;
    this.view = null;
    this.query = { search: '', facets: {} };
    this.offset = 0;
    this.openedFromPackage = scope !== null && fromPackage;
    if (scope !== null) {
      this.link.post({ type: 'overview', request: { kind: 'open', scope, staleAfterDays: this.staleAfterDays } });
      this.ask();
      this.ping ??= setInterval(() => this.link.post({ type: 'ping' }), PING_MS);
    } else if (this.ping !== null) {
      clearInterval(this.ping);
      this.ping = null;
    }
    this.emit();
  }

  refresh(): void {
    if (this.scope === null) return;
    this.state = null;
    this.listing = null;
    this.link.post({ type: 'overview', request: { kind: 'open', scope: this.scope, refresh: true, staleAfterDays: this.staleAfterDays } });
    this.ask();
    this.emit();
  }

  setStaleAfterDays(days: number): void {
    if (days === this.staleAfterDays) return;
    this.staleAfterDays = days;
    if (this.scope !== null) this.ask();
  }

  setTab(tab: OverviewTab): void {
    if (tab === this.tab) return;
    this.tab = tab;
    this.offset = 0;
    this.ask();
    this.emit();
  }

  setSearch(search: string): void {
    this.query = { ...this.query, search };
    this.offset = 0;
    this.ask();
    this.emit();
  }

  /** Adds or removes one value of a facet. */
  toggle(facet: OverviewFacet, value: string): void {
    const current = this.query.facets[facet] ?? [];
    const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    this.setFacet(facet, next);
  }

  setFacet(facet: OverviewFacet, values: readonly string[]): void {
    const facets = { ...this.query.facets };
    if (values.length === 0) delete facets[facet];
    else facets[facet] = values;
    this.query = { ...this.query, facets };
    this.offset = 0;
    this.ask();
    this.emit();
  }

  clearFilters(): void {
    this.query = { search: '', facets: {} };
    this.offset = 0;
    this.ask();
    this.emit();
  }

  /** The table scrolled: rows `offset`… are on screen (with overscan). */
  setWindow(offset: number, limit: number): void {
    if (offset === this.offset && limit <= this.limit) return;
    this.offset = Math.max(0, offset);
    this.limit = Math.max(this.limit, limit);
    this.ask();
  }

  /** Selects every row of the current filter (`all`), none, or the given rows (by their store index). */
  select(op: 'all' | 'none' | 'rows', rows: number[] = [], on = true): void {
    this.link.post({ type: 'overview', request: { kind: 'select', op, query: this.query, rows, on } });
  }

  /** Sends the removal of the selected rows (one batch per package); `filter` says how they were chosen. */
  remove(filter: string): void {
    const batchId = `ov-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    this.removal = { batchId, kind: 'remove', entries: new Map() };
    this.link.post({ type: 'overview', request: { kind: 'remove', batchId, filter } });
    this.emit();
  }

  /** Counts the answers of a batch sent from an assignment's details (its result shows beside the removal's). */
  track(batchId: string, kind: TrackedKind): void {
    this.removal = { batchId, kind, entries: new Map() };
    this.emit();
  }

  /** The stale threshold the overview's rows were judged by. */
  staleDays(): number {
    return this.staleAfterDays;
  }

  /** The last removal's counts: answered or not, per row. */
  removalStatus(): { pending: number; failed: number; done: number } | null {
    if (!this.removal) return null;
    let pending = 0;
    let failed = 0;
    let done = 0;
    for (const list of this.removal.entries.values()) {
      for (const e of list) {
        if (e.result === 'pending') pending++;
        else if (e.result === 'failed') failed++;
        else done++;
      }
    }
    return { pending, failed, done };
  }

  /** Streams the CSV of the current result (or of every row) into `sink`. */
  exportCsv(all: boolean, sink: CsvSink): void {
    const id = `csv-${Date.now()}-${++this.exports}`;
    this.sink = { id, sink };
    this.exporting = { rows: 0, of: this.view?.shown ?? 0 };
    this.exportError = null;
    this.link.post({ type: 'overview', request: { kind: 'export', exportId: id, query: this.query, all, staleAfterDays: this.staleAfterDays } });
    this.emit();
  }

  private ask(): void {
    this.link.post({
      type: 'overview',
      request: { kind: 'query', seq: ++this.seq, query: this.query, tab: this.tab, offset: this.offset, limit: this.limit, staleAfterDays: this.staleAfterDays },
    });
  }

  private onEvent(e: WorkerEvent): void {
    // Signed in after the overview asked for it: load now.
    if (e.type === 'auth' && e.auth.status === 'signed-in' && this.state?.error === 'sign-in') return this.refresh();
    if (e.type === 'actions' && this.removal) {
      // One batch per package: a selection's removal is split into `<batchId>:<packageId>`.
      const id = this.removal.batchId;
      const mine = e.entries.filter((x) => x.batchId === id || x.batchId.startsWith(`${id}:`));
      if (mine.length > 0) {
        this.removal.entries.set(e.packageId, mine);
        this.emit();
      }
      return;
    }
    if (e.type !== 'overview' || this.scope === null) return;
    const ev = e.event;
    switch (ev.kind) {
      case 'scope':
        if (ev.scope !== this.scope) return;
        this.listing = ev;
        break;
      case 'state':
        if (ev.scope !== this.scope) return;
        this.state = ev;
        break;
      case 'view-packed': {
        // Views cross the port packed, their packages named by place in the last scope event's list.
        const view = unpackView(ev, this.listing?.packages ?? []);
        // An answer to an older question is dropped when a newer one is on its way, unless the worker sent
        // it by itself (a refresh of the last question while data arrives carries the last seq).
        if (!view || view.seq !== this.seq || view.tab !== this.tab) return;
        this.view = view;
        break;
      }
      case 'csv':
        if (!this.sink || ev.exportId !== this.sink.id) return;
        if (ev.chunk) this.sink.sink.chunk(ev.chunk);
        this.exporting = { rows: ev.rows, of: ev.of };
        if (ev.done) {
          const { sink } = this.sink;
          this.sink = null;
          this.exporting = null;
          sink.done(ev.fileName);
        }
        break;
      case 'csv-failed':
        if (!this.sink || ev.exportId !== this.sink.id) return;
        this.sink.sink.failed(ev.reason);
        this.sink = null;
        this.exporting = null;
        this.exportError = ev.reason;
        break;
    }
    this.emit();
  }

  dispose(): void {
    this.off();
    if (this.ping !== null) clearInterval(this.ping);
  }
}

/** The page's one overview model (created by index.tsx). */
export const overviewSlot = createModelSlot<OverviewModel>();
