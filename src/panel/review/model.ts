// Review mode in the panel: a mirror of the worker's copy of the open package's review, the decisions as the
// `decision` facet's values, recommendations per row, and the changes since the last review as the `change`
// facet. Decisions show at once (the worker's answer then says whether storage took them). Plain TypeScript
// (no DOM): tested in node with a fake link.
import { changeValues, IdDigest, packSnapshot, snapshotFlag, snapshotLabel, type BaselineInfo, type ListDiff, type SnapshotRow } from '../../core/review/diff';
import { createModelSlot } from '../model-slot';
import { decisionValues, reviewMembership, type Decision, type DecisionRecord, type Review, type ReviewProgress, type ReviewRow, type RowFacts } from '../../core/review/model';
import { columnValues, FactsEncoder, fromColumns, rowsFromColumns, type DecisionColumns } from '../../core/review/packed';
import { recommend, type RecommendationResult } from '../../core/review/recommend';
import { classifiers, patchKeyedCodes } from '../../core/filters';
import { nextTaskUnthrottled } from '../../core/tasks';
import type { ViewRow } from '../../core/model';
import type { WorkerEvent } from '../../messages';
import type { ReviewEvent, ReviewRequest } from '../../protocol/review';
import { EXPIRING_WITHIN_DAYS, type PanelStore } from '../store';
import type { WorkerLink } from '../worker-link';

/** Rows whose facts are packed in one go before the page gets a turn (some 30 ms on a loaded machine). */
const FACTS_CHUNK = 2500;
/** Rows per 'decide' request (one port message: serialised in one task, some 50 ms at this size). */
export const SEND_CHUNK = 10_000;

/** One request of a decision: its rows from `from` on, with the facts its pieces fill in. */
interface Part {
  seq: number;
  from: number;
  ids: string[];
  facts: string[];
  added: ReviewRow[];
}

export type SaveView = { state: 'saved' } | { state: 'saving' } | { state: 'failed'; error: string };

/** A refusal or failure to show, as a message key and its values (the panel turns it into words). */
export interface ReviewNotice {
  key: string;
  subs?: Record<string, string>;
}

export interface ModelOptions {
  now?: () => number;
  /**
   * Runs work the admin does not wait for once the current state is on screen (the panel: after the next
   * frame, ../after-paint). Without it, at once.
   */
  afterPaint?: (fn: () => void) => void;
  /** Rows of the visit's flags worked out per task (default VISIT_SLICE_ROWS). */
  visitSlice?: number;
}

/** Rows of the visit's flags worked out per task: some 10 ms on a 2-core machine. */
export const VISIT_SLICE_ROWS = 20_000;

/** A decision shown in the panel whose records are not written into `review.decisions` yet. */
interface ShownDecision {
  seq: number | null;
  ids: readonly string[];
  /** filled in pieces after the click (the same array as its request's) */
  facts: readonly string[];
  decision: Decision | null;
  justification: string;
  reviewer: string;
  at: string;
}

export class ReviewModel {
  review: Review | null = null;
  /** the open review was read from the worker (until then nothing is known) */
  known = false;
  save: SaveView = { state: 'saved' };
  notice: ReviewNotice | null = null;
  baseline: BaselineInfo | null = null;
  /** This visit's list was sent: the worker answers with the changes since the baseline it replaces. */
  private visitPending = false;
  diff: ListDiff | null = null;
  /** rows waiting for a remove decision's justification (the toolbar shows the dialog) */
  justifying: { rows: readonly ViewRow[]; fromSelection: boolean } | null = null;
  version = 0;

  private packageId: string | null = null;
  private seq = 0;
  /** seq → the ids of a decision sent and not yet stored (the 'stored' answer names only the seq) */
  private pendingSeqs = new Map<number, readonly string[]>();
  private visited = false;
  private recs = new WeakMap<ViewRow, RecommendationResult>();
  private recsFor: { viewRows: readonly ViewRow[]; signIn: boolean } | null = null;
  private progressCache: { version: number; viewRows: readonly ViewRow[]; value: ReviewProgress } | null = null;
  private membershipCache: { review: Review; rows: number; viewRows: readonly ViewRow[] | null; value: { added: string[]; disappeared: ReviewRow[] } } | null = null;
  /** keep / remove among the decision facet's values, counted as they change */
  private counts = { keep: 0, remove: 0 };
  /**
   * The records behind the values are written into `review.decisions` only when something reads them (an
   * export, the facts of a resumed review): a click on 50,000 rows changes the values and the repaint, no more.
   * `base`: the resumed review's decisions as the worker sent them; `shown`: decisions made since, in order.
   */
  private base: DecisionColumns | null = null;
  private baseFacts: { ids: readonly string[]; facts: readonly string[] } | null = null;
  private shown: ShownDecision[] = [];
  private rowIndex: { viewRows: readonly ViewRow[]; byId: Map<string, ViewRow> } | null = null;
  /** the decision facet's values, updated per decision (never rebuilt from 100,000 records on a click) */
  private values: DecisionValues | null = null;
  /** ids of review.rows (for the rows a decision adds to the review) */
  private rowIds: { review: Review; rows: Map<string, ReviewRow> } | null = null;
  /** a large decision's request, sent once its facts are packed (later ones wait for it: order is kept) */
  private posting: Promise<void> | null = null;
  private jsonWaiters: Array<(text: string) => void> = [];
  private readonly subs = new Set<() => void>();
  private offs: Array<() => void> = [];
  private readonly now: () => number;
  private readonly afterPaint: (fn: () => void) => void;
  private readonly visitSlice: number;

  constructor(
    private readonly store: PanelStore,
    private readonly link: WorkerLink,
    opts: ModelOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.afterPaint = opts.afterPaint ?? ((fn) => fn());
    this.visitSlice = Math.max(1, opts.visitSlice ?? VISIT_SLICE_ROWS);
  }

  start(): void {
    if (this.offs.length) return;
    this.offs.push(this.link.onEvent((e) => this.onEvent(e)));
    this.offs.push(this.store.subscribe(() => this.onStore()));
    this.onStore();
  }

  dispose(): void {
    for (const off of this.offs) off();
    this.offs = [];
    this.subs.clear();
  }

  subscribe(cb: () => void): () => void {
    this.subs.add(cb);
    return () => this.subs.delete(cb);
  }

  // ------------------------------------------------------------------ derived

  /** The open review is running in this panel (rows carry data-decision). */
  get active(): boolean {
    return this.review !== null && this.review.endedAt === null;
  }

  /** A row of the list by assignment id (for controls outside the table, e.g. the details view). */
  rowById(id: string): ViewRow | undefined {
    const viewRows = this.store.view().viewRows;
    if (this.rowIndex?.viewRows !== viewRows) this.rowIndex = { viewRows, byId: new Map(viewRows.map((r) => [r.id, r])) };
    return this.rowIndex.byId.get(id);
  }

  decisionOf(id: string): Decision | null {
    if (!this.review) return null;
    return (this.values ?? this.decisionMap(this.review)).get(id) ?? null;
  }

  /** The decision records (written from the decisions shown so far, once, when something needs them). */
  decisionRecords(): Record<string, DecisionRecord> {
    const review = this.review;
    if (!review) return {};
    if (this.base) {
      review.decisions = fromColumns(this.base);
      this.base = null;
    }
    if (this.baseFacts) {
      this.fillFacts(review, this.baseFacts.ids, this.baseFacts.facts);
      this.baseFacts = null;
    }
    for (const d of this.shown) {
      for (let i = 0; i < d.ids.length; i++) {
        const id = d.ids[i];
        if (d.decision === null) delete review.decisions[id];
        else review.decisions[id] = { decision: d.decision, justification: d.justification, reviewer: d.reviewer, at: d.at, facts: d.facts[i] ?? '' };
      }
    }
    this.shown = [];
    return review.decisions;
  }

  /** Resolves when every decision made here has its facts and has left for the worker. */
  async settled(): Promise<void> {
    while (this.posting) await this.posting;
  }

  progress(): ReviewProgress | null {
    const review = this.review;
    if (!review) return null;
    const viewRows = this.store.view().viewRows;
    const c = this.progressCache;
    if (c && c.version === this.version && c.viewRows === viewRows) return c.value;
    // Counts come from the decision values; who was added or disappeared changes only with the list.
    // Until the list is complete, "disappeared" would name rows that simply have not arrived yet.
    const listed = this.store.state.complete ? viewRows : null;
    let m = this.membershipCache;
    if (!m || m.review !== review || m.rows !== review.rows.length || m.viewRows !== listed) {
      const value = reviewMembership(review, listed && new Set(listed.map((r) => r.id)));
      m = this.membershipCache = { review, rows: review.rows.length, viewRows: listed, value };
    }
    const values = this.values ?? this.decisionMap(review);
    const value: ReviewProgress = {
      total: review.rows.length,
      decided: this.counts.keep + this.counts.remove,
      keep: this.counts.keep,
      remove: this.counts.remove,
      added: m.value.added,
      disappeared: m.value.disappeared.map((row) => ({ row, decision: values.get(row.id) ?? null })),
    };
    this.progressCache = { version: this.version, viewRows, value };
    return value;
  }

  /** Changes (by identity) exactly when a decision shown here changes: not when one is only stored. */
  get decisionsKey(): unknown {
    return this.values;
  }

  /** Assignment ids decided `remove` (in the order decided). */
  removeIds(): string[] {
    const out: string[] = [];
    if (!this.review || this.counts.remove === 0) return out;
    for (const [id, d] of this.values ?? this.decisionMap(this.review)) if (d === 'remove') out.push(id);
    return out;
  }

  recommendation(row: ViewRow): RecommendationResult {
    const viewRows = this.store.view().viewRows;
    const signIn = this.store.state.signIn?.available === true;
    if (!this.recsFor || this.recsFor.viewRows !== viewRows || this.recsFor.signIn !== signIn) {
      this.recs = new WeakMap();
      this.recsFor = { viewRows, signIn };
    }
    let r = this.recs.get(row);
    if (!r) this.recs.set(row, (r = recommend(row, { now: this.now(), signInAvailable: signIn })));
    return r;
  }

  factsOf(row: ViewRow): RowFacts {
    const rec = this.recommendation(row);
    return {
      displayName: row.displayName,
      principalName: row.principalName,
      state: row.state,
      staleReasons: [...row.staleReasons],
      expiry: row.expiry,
      activity: row.activity,
      recommendation: rec.recommendation,
      recommendationReasons: rec.reasons,
    };
  }

  // ------------------------------------------------------------------ requests

  startReview(scope: 'all' | 'filter', filterText: string): void {
    const s = this.store.state;
    if (!this.packageId || this.review) return;
    const view = this.store.view();
    const rows = (scope === 'filter' ? view.shown : view.allSorted).map((r) => ({ id: r.id, displayName: r.displayName, principalName: r.principalName }));
    this.post({
      kind: 'start',
      packageId: this.packageId,
      packageName: s.info?.displayName ?? '',
      scope: { kind: scope, filter: scope === 'filter' ? filterText : '' },
      rows,
      staleAfterDays: s.staleAfterDays,
    });
  }

  /**
   * Records `decision` for these rows (null: back to undecided). Shown at once; the worker stores it and
   * answers. Returns false (nothing changed) when a remove has no justification or there is no open review.
   */
  decide(rows: readonly ViewRow[], decision: Decision | null, justification: string): boolean {
    const review = this.review;
    if (!review || !this.packageId || review.appliedAt || review.endedAt || rows.length === 0) return false;
    if (decision === 'remove' && justification.trim() === '') return false;
    // Sent as parts of SEND_CHUNK rows, each a request (and a stored batch) of its own: one port message of a
    // 50,000-row decision took some 250 ms to serialise in one task, and the worker stores one part while the
    // next is packed. "Saved" is said once every part is stored.
    const ids: string[] = new Array<string>(rows.length);
    const added: ReviewRow[] = [];
    const parts: Part[] = [];
    const inReview = this.reviewRows(review);
    for (let from = 0; from < rows.length; from += SEND_CHUNK) {
      const to = Math.min(rows.length, from + SEND_CHUNK);
      const part: Part = { seq: ++this.seq, from, ids: [], facts: decision === null ? [] : new Array<string>(to - from).fill(''), added: [] };
      for (let i = from; i < to; i++) {
        const r = rows[i];
        ids[i] = r.id;
        if (!inReview.has(r.id)) part.added.push({ id: r.id, displayName: r.displayName, principalName: r.principalName });
      }
      part.ids = ids.slice(from, to);
      added.push(...part.added);
      parts.push(part);
      this.pendingSeqs.set(part.seq, part.ids);
    }
    this.applyLocally(ids, [], added, decision, justification, this.reviewer(), new Date(this.now()).toISOString(), parts);
    this.save = { state: 'saving' };
    // The facts (what the reviewer saw: the rows picked at the click) are packed in pieces so the page keeps
    // painting; each part leaves when its facts are in, after any earlier request.
    // The rows known after applyLocally are the worker's too once it reads `added` (names left out by these).
    const known = this.reviewRows(review);
    const packageId = this.packageId;
    const send = (part: Part, encoder: FactsEncoder): void =>
      this.post({ kind: 'decide', packageId, reviewId: review.id, seq: part.seq, decision, justification, ids: part.ids, facts: encoder.finish(), added: part.added });
    const capture = (part: Part, encoder: FactsEncoder, from: number, to: number): void => {
      for (let i = from; i < to; i++) part.facts[i] = encoder.addFacts(part.ids[i], this.factsOf(rows[part.from + i]));
    };
    if (decision === null || (rows.length <= FACTS_CHUNK && !this.posting)) {
      for (const part of parts) {
        const encoder = new FactsEncoder((id) => known.get(id));
        if (decision !== null) capture(part, encoder, 0, part.ids.length);
        send(part, encoder);
      }
    } else {
      const run = (this.posting ?? Promise.resolve()).then(async () => {
        // Not in the click's task: that one already shows the decision.
        await nextTaskUnthrottled();
        for (const part of parts) {
          const encoder = new FactsEncoder((id) => known.get(id));
          for (let from = 0; from < part.ids.length; from += FACTS_CHUNK) {
            capture(part, encoder, from, Math.min(part.ids.length, from + FACTS_CHUNK));
            await nextTaskUnthrottled();
          }
          // Posting serialises the request: a task of its own, not added to the last piece's.
          send(part, encoder);
          await nextTaskUnthrottled();
        }
      });
      this.posting = run;
      void run.then(() => {
        if (this.posting === run) this.posting = null;
      });
    }
    this.changed();
    return true;
  }

  /** From a button: keep is recorded at once, remove first asks for a justification. */
  request(rows: readonly ViewRow[], decision: Decision | null, fromSelection = false): void {
    if (rows.length === 0 || !this.active) return;
    if (decision === 'remove') {
      this.justifying = { rows, fromSelection };
      this.changed();
      return;
    }
    this.decide(rows, decision, '');
  }

  /** The justification dialog's answer (null: cancelled). */
  justify(text: string | null): void {
    const pending = this.justifying;
    this.justifying = null;
    if (pending && text !== null) this.decide(pending.rows, 'remove', text);
    this.changed();
  }

  /** Each row gets its recommendation (rows without one are left as they are); removes are justified by the reasons. */
  acceptRecommendations(rows: readonly ViewRow[], justify: (reasons: readonly string[]) => string): number {
    const groups = new Map<string, { decision: Decision; justification: string; rows: ViewRow[] }>();
    for (const row of rows) {
      const rec = this.recommendation(row);
      if (rec.recommendation === 'none') continue;
      const justification = justify(rec.reasons);
      const key = `${rec.recommendation}\u0000${justification}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { decision: rec.recommendation, justification, rows: [] }));
      g.rows.push(row);
    }
    let n = 0;
    for (const g of groups.values()) if (this.decide(g.rows, g.decision, g.justification)) n += g.rows.length;
    return n;
  }

  finish(): void {
    if (!this.review || !this.packageId) return;
    this.post({ kind: 'finish', packageId: this.packageId, reviewId: this.review.id, snapshot: packSnapshot(this.snapshot(this.store.view().viewRows)) });
  }

  markApplied(): void {
    if (!this.review || !this.packageId) return;
    this.post({ kind: 'applied', packageId: this.packageId, reviewId: this.review.id });
  }

  importText(text: string): void {
    if (!this.packageId) return;
    this.notice = null;
    this.post({ kind: 'import', packageId: this.packageId, text });
    this.changed();
  }

  /** The worker's copy as JSON evidence. */
  async exportJson(): Promise<string> {
    // After every decision made here has left for the worker (the port keeps their order).
    await this.settled();
    return new Promise((resolve) => {
      if (!this.packageId) return;
      this.jsonWaiters.push(resolve);
      this.post({ kind: 'export', packageId: this.packageId });
    });
  }

  // ------------------------------------------------------------------ events

  private reviewer(): string {
    const auth = this.store.state.auth;
    return auth?.status === 'signed-in' ? auth.username : '';
  }

  private post(request: ReviewRequest): void {
    this.link.post({ type: 'review', request });
  }

  private onStore(): void {
    const s = this.store.state;
    if (s.packageId !== this.packageId) {
      this.packageId = s.packageId;
      this.review = null;
      this.known = false;
      this.baseline = null;
      this.visitPending = false;
      this.diff = null;
      this.notice = null;
      this.visited = false;
      this.save = { state: 'saved' };
      this.values = null;
      this.counts = { keep: 0, remove: 0 };
      this.base = null;
      this.baseFacts = null;
      this.shown = [];
      this.rowIds = null;
      this.pendingSeqs.clear();
      this.changed();
      if (s.packageId) this.post({ kind: 'get', packageId: s.packageId });
      return;
    }
    // The keyed facets were dropped with the previous package's state: put them back when missing.
    this.syncKeyed();
    if (!this.visited && this.known && this.listComplete()) {
      this.visited = true;
      // The visit's flags wait until the completed list is painted, then are worked out a slice per task; the
      // message is one flag per row and a digest of the ids (sent as objects, 100,000 rows held the portal page
      // for 0.7 s). Meanwhile a new package or a refresh may have come.
      const packageId = this.packageId;
      let rows: readonly ViewRow[] | null = null;
      let flags: string[] = [];
      let digest = new IdDigest();
      const step = (): void => {
        if (this.packageId !== packageId || !this.offs.length) return;
        if (!this.listComplete()) {
          this.visited = false;
          return;
        }
        const now = this.store.view().viewRows;
        if (now !== rows) {
          // Rebuilt since the last slice (a person's data, the threshold): start over on the rows as they are.
          rows = now;
          flags = [];
          digest = new IdDigest();
        }
        const from = flags.length * this.visitSlice;
        const to = Math.min(rows.length, from + this.visitSlice);
        const judge = this.judge();
        let text = '';
        for (let i = from; i < to; i++) {
          digest.add(rows[i].id);
          text += snapshotFlag(judge.stale(rows[i]), judge.expiring(rows[i]));
        }
        flags.push(text);
        if (to < rows.length) {
          this.afterPaint(step);
          return;
        }
        // The worker answers with the changes since the list saved at the last review or visit.
        this.visitPending = true;
        if (packageId) this.post({ kind: 'visit', packageId, digest: digest.value, flags: flags.join('') });
        this.changed();
      };
      this.afterPaint(step);
    }
  }

  /** A visit is the list as Graph gives it now: not the cached copy shown while it is fetched again. */
  private listComplete(): boolean {
    const s = this.store.state;
    return s.complete && !s.fromCache && !s.enriching && !s.loading && s.error === null && s.missing.length === 0;
  }

  /** Whether a row is stale, and expires soon (the expiry facet's "soon"), as the panel shows it now. */
  private judge(): { stale(r: ViewRow): boolean; expiring(r: ViewRow): boolean } {
    const ctx = { now: this.now(), staleAfterDays: this.store.state.staleAfterDays, expiringWithinDays: EXPIRING_WITHIN_DAYS, signInAvailable: this.store.state.signIn?.available === true };
    // Once per call, not per row: built per row, the rule's instants were formatted 20,000 times as a load completed.
    const { expiry } = classifiers(ctx);
    return { stale: (r) => r.staleReasons.length > 0, expiring: (r) => expiry(r) === 'soon' };
  }

  private snapshot(rows: readonly ViewRow[]): SnapshotRow[] {
    const judge = this.judge();
    return rows.map((r) => ({ id: r.id, label: snapshotLabel(r), stale: judge.stale(r), expiring: judge.expiring(r) }));
  }

  private onEvent(e: WorkerEvent): void {
    if (e.type !== 'review') return;
    const ev: ReviewEvent = e.event;
    if (!this.packageId || ev.packageId.toLowerCase() !== this.packageId.toLowerCase()) return;
    switch (ev.kind) {
      case 'state':
        this.known = true;
        // The decisions come as columns: the facet's values (what the rows paint); the records wait until read.
        this.review = ev.review && {
          ...ev.review,
          rows: ev.rows ? rowsFromColumns(ev.rows) : ev.review.rows,
          decisions: ev.decisions ? {} : ev.review.decisions,
        };
        this.base = this.review ? ev.decisions : null;
        this.baseFacts = null;
        this.shown = [];
        this.values = this.review && new DecisionValues(ev.decisions ? columnValues(ev.decisions) : decisionValues(this.review));
        this.counts = { keep: 0, remove: 0 };
        for (const d of this.values?.values() ?? []) this.counts[d]++;
        if (ev.baseline) this.baseline = ev.baseline;
        this.pendingSeqs.clear();
        this.save = ev.save.saved ? { state: 'saved' } : { state: 'failed', error: ev.save.error };
        this.syncKeyed(true);
        this.changed();
        this.onStore();
        return;
      case 'decided':
      case 'stored': {
        if (!this.review || this.review.id !== ev.reviewId) return;
        if (ev.kind === 'decided') {
          // Another panel's decision.
          this.applyLocally(ev.ids, ev.facts, ev.added, ev.decision, ev.justification, ev.reviewer, ev.at, null);
        } else {
          const ids = this.pendingSeqs.get(ev.seq);
          if (!ids) return;
          this.pendingSeqs.delete(ev.seq);
          this.restamp(ev.seq, ids, ev.reviewer, ev.at);
        }
        // After a failed write the worker stores the whole review again: a later write that succeeds covers earlier decisions too.
        if (!ev.save.saved) this.save = { state: 'failed', error: ev.save.error };
        else if (this.pendingSeqs.size === 0) this.save = { state: 'saved' };
        this.changed();
        return;
      }
      case 'facts': {
        const review = this.review;
        if (!review || review.id !== ev.reviewId) return;
        // Records shown before their facts arrived get them; a newer decision keeps its own.
        if (this.base) this.baseFacts = { ids: ev.ids, facts: ev.facts };
        else this.fillFacts(review, ev.ids, ev.facts);
        return;
      }
      case 'baseline': {
        if (!this.visitPending) return;
        this.visitPending = false;
        if (!ev.baseline || !ev.diff) return;
        this.baseline = ev.baseline;
        this.diff = ev.diff;
        this.store.setKeyed('change', changeValues(this.diff));
        this.changed();
        return;
      }
      case 'refused':
        this.notice = { key: noticeKey(ev.reason), subs: { reason: ev.reason } };
        if (ev.seq !== undefined) {
          // The worker did not take a decision shown here: show its copy again.
          this.pendingSeqs.delete(ev.seq);
          this.post({ kind: 'get', packageId: this.packageId });
        }
        this.changed();
        return;
      case 'export': {
        const waiters = this.jsonWaiters;
        this.jsonWaiters = [];
        for (const w of waiters) w(ev.text);
        return;
      }
    }
  }

  /** The review's rows by id (what the worker also knows: the facts on the port leave their names out). */
  private reviewRows(review: Review): Map<string, ReviewRow> {
    if (this.rowIds?.review !== review) this.rowIds = { review, rows: new Map(review.rows.map((r) => [r.id, r])) };
    return this.rowIds.rows;
  }

  /**
   * Shows a decision: the decision facet's values (a new map, with the filter's codes patched for these rows
   * only) and the counts. Its records are written when read (decisionRecords).
   */
  /** `parts`: this panel's decision, shown as the requests it is sent in; null: another panel's, shown as one. */
  private applyLocally(ids: readonly string[], facts: readonly string[], added: readonly ReviewRow[], decision: Decision | null, justification: string, reviewer: string, at: string, parts: readonly Part[] | null): void {
    const review = this.review;
    if (!review) return;
    const inReview = this.reviewRows(review);
    for (const row of added) {
      if (inReview.has(row.id)) continue;
      inReview.set(row.id, row);
      review.rows.push(row);
    }
    // One map changed in place (no copy of 100,000 entries); the facet gets a new view of it, so the filter
    // runs again, with its codes patched for these rows only.
    const prev = this.values ?? this.decisionMap(review);
    const values = prev.view();
    const counts = this.counts;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const old = values.get(id);
      if (old) counts[old]--;
      if (decision === null) values.delete(id);
      else {
        values.set(id, decision);
        counts[decision]++;
      }
    }
    if (parts) for (const p of parts) this.shown.push({ seq: p.seq, ids: p.ids, facts: p.facts, decision, justification, reviewer, at });
    else this.shown.push({ seq: null, ids, facts, decision, justification, reviewer, at });
    patchKeyedCodes(this.store.view().index, 'decision', prev, values, ids, decision);
    this.values = values;
    this.syncKeyed(true);
  }

  /** The worker's stamp (who and when) on a decision made here. */
  private restamp(seq: number, ids: readonly string[], reviewer: string, at: string): void {
    const review = this.review;
    if (!review) return;
    const shown = this.shown.find((d) => d.seq === seq);
    if (shown) {
      shown.reviewer = reviewer;
      shown.at = at;
      return;
    }
    for (const id of ids) {
      const d = review.decisions[id];
      if (d) {
        d.reviewer = reviewer;
        d.at = at;
      }
    }
  }

  private fillFacts(review: Review, ids: readonly string[], facts: readonly string[]): void {
    for (let i = 0; i < ids.length; i++) {
      const d = review.decisions[ids[i]];
      if (d && d.facts === '') d.facts = facts[i] ?? '';
    }
  }

  /** The values of a review whose decisions are all records (no columns or shown decisions pending). */
  private decisionMap(review: Review): DecisionValues {
    return (this.values = new DecisionValues(decisionValues(this.base ? this.decisionRecordsOf(review) : review)));
  }

  private decisionRecordsOf(review: Review): Review {
    this.decisionRecords();
    return review;
  }

  private syncKeyed(force = false): void {
    const want = this.active && this.review ? this.review : null;
    const has = this.store.state.keyed.decision;
    if (!want) {
      if (has) this.store.setKeyed('decision', null);
      return;
    }
    if (force || !has) this.store.setKeyed('decision', this.values ?? this.decisionMap(want));
    if (this.diff && !this.store.state.keyed.change) this.store.setKeyed('change', changeValues(this.diff));
  }

  private changed(): void {
    this.version++;
    for (const cb of [...this.subs]) cb();
  }
}

/**
 * The decision facet's values: one map, changed in place by each decision, seen through a new view object each
 * time (the panel's filter notices a new view; copying 100,000 entries per click is what this avoids). Only
 * the newest view is read.
 */
export class DecisionValues implements ReadonlyMap<string, Decision> {
  constructor(private readonly map: Map<string, Decision> = new Map()) {}
  /** A new view of the same map (to change it and have the change noticed). */
  view(): DecisionValues {
    return new DecisionValues(this.map);
  }
  set(id: string, d: Decision): void {
    this.map.set(id, d);
  }
  delete(id: string): void {
    this.map.delete(id);
  }
  get size(): number {
    return this.map.size;
  }
  get(id: string): Decision | undefined {
    return this.map.get(id);
  }
  has(id: string): boolean {
    return this.map.has(id);
  }
  forEach(cb: (value: Decision, key: string, map: ReadonlyMap<string, Decision>) => void): void {
    this.map.forEach((v, k) => cb(v, k, this));
  }
  entries(): MapIterator<[string, Decision]> {
    return this.map.entries();
  }
  keys(): MapIterator<string> {
    return this.map.keys();
  }
  values(): MapIterator<Decision> {
    return this.map.values();
  }
  [Symbol.iterator](): MapIterator<[string, Decision]> {
    return this.map[Symbol.iterator]();
  }
}

/** The message key of a worker refusal. */
function noticeKey(reason: string): string {
  if (reason.startsWith('import-wrong-package')) return 'review_import_wrong_package';
  if (reason.startsWith('import-malformed')) return 'review_import_malformed';
  if (reason === 'import-other-review') return 'review_import_other_review';
  if (reason === 'import-finished') return 'review_import_finished';
  if (reason === 'open') return 'review_already_open';
  if (reason === 'justification-required') return 'review_justification_required';
  if (reason === 'applied') return 'review_already_applied';
  if (reason.startsWith('storage')) return 'review_storage_failed';
  return 'review_refused';
}

// ---------------------------------------------------------------- the model rows render from

export const reviewSlot = createModelSlot<ReviewModel>();
export const setCurrentReviewModel = reviewSlot.set;
export const currentReviewModel = reviewSlot.get;
export const onCurrentReviewModel = reviewSlot.on;
