// The worker's side of review mode: one copy of each package's open review, kept in memory and written to
// IndexedDB as each decision is made (one batch record per decision, ./storage.ts). Every change goes to every panel (each keeps those of its package),
// so a second tab sees the same decisions live and cannot fork the review. A failed write is reported as
// such (the decisions stay in memory and can be exported as JSON); nothing is ever said to be saved that
// was not.
import { decide, mergeReviews, newReview, type Review, type ReviewRow } from '../../core/review/model';
import { parseReviewFile, reviewJson } from '../../core/review/evidence';
import { baselineInfo, diffSince, snapshotFromFlags, unpackSnapshot, type BaselineInfo, type ListedRow, type ListSnapshot } from '../../core/review/diff';
import type { WorkerEvent } from '../../messages';
import { MAX_SNAPSHOT_ROWS, type ReviewEvent, type ReviewRequest, type SaveState } from '../../protocol/review';
import { decodeFacts, rowsToColumns, toColumns } from '../../core/review/packed';
import { isColumns, readOpen, unpackOpen, type DecisionBatch, type ReviewStorage, type StoredOpen, type StoredReview } from './storage';

export interface ReviewServiceDeps {
  storage: ReviewStorage;
  /** to every panel, or every panel but `except` */
  broadcast(ev: WorkerEvent, except?: ReviewPeer): void;
  /** the signed-in account's UPN ('' when signed out) */
  actor(): string;
  now?: () => Date;
  newId?: () => string;
  /** quiet time after a decision before its batches are folded into the review's one record (default 3 s) */
  compactAfterMs?: number;
  /** The package's list as this worker last sent it complete, in order (a visit's flags are for its rows). */
  list?(packageId: string): readonly ListedRow[] | undefined;
}

/** Who asked: the panel that gets answers meant for it alone. */
export interface ReviewPeer {
  post(ev: WorkerEvent): void;
}

const errorText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

export class ReviewService {
  /** packageId (lower case) → the open review, or null when storage says there is none */
  private readonly open = new Map<string, Review | null>();
  /** packageId → the state of the last write */
  private readonly saves = new Map<string, SaveState>();
  /** packageId → a batch write failed: the next write stores the whole review, so "saved" covers it again */
  private readonly whole = new Set<string>();
  /** packageId → writes chained one after another, so an older copy never lands after a newer one */
  private readonly writing = new Map<string, Promise<void>>();
  /**
   * packageId → the open review as storage holds it (columns), read for a resume: sent to panels as it is,
   * turned into records only when something changes it.
   */
  private readonly stored = new Map<string, StoredOpen>();
  /** packageId → decision batches stored since the review's record was last written whole */
  private readonly batched = new Set<string>();
  /** a review's rows by id, for reading the facts of a decision (kept: a 100,000-row map per decision is slow) */
  private readonly rowIndex = new WeakMap<Review, { indexed: number; byId: Map<string, ReviewRow> }>();
  /** packageId → the storage read of its open review under way */
  private readonly reading = new Map<string, Promise<StoredReview | undefined>>();
  private readonly compactTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: ReviewServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => crypto.randomUUID());
  }

  async handle(req: ReviewRequest, from: ReviewPeer): Promise<void> {
    const key = req.packageId.toLowerCase();
    const send = (event: ReviewEvent): void => from.post({ type: 'review', event });
    const all = (event: ReviewEvent): void => this.deps.broadcast({ type: 'review', event });
    switch (req.kind) {
      case 'get': {
        const review = await this.peek(key);
        this.state(send, req.packageId, review, null, this.saves.get(key) ?? { saved: true });
        return;
      }
      case 'start': {
        const current = await this.load(key);
        if (current) {
          // One review per package: the panel offers resume or finish first.
          send({ kind: 'refused', packageId: req.packageId, reason: 'open' });
          this.state(send, req.packageId, current, null, this.saves.get(key) ?? { saved: true });
          return;
        }
        const review = newReview({
          id: this.newId(),
          packageId: req.packageId,
          packageName: req.packageName,
          scope: req.scope,
          rows: req.rows,
          reviewer: this.deps.actor(),
          startedAt: this.stamp(),
          staleAfterDays: req.staleAfterDays,
        });
        this.open.set(key, review);
        const save = await this.persist(key, review);
        this.state(all, req.packageId, review, null, save);
        return;
      }
      case 'decide': {
        const review = await this.load(key);
        if (!review || review.id !== req.reviewId) {
          send({ kind: 'refused', packageId: req.packageId, seq: req.seq, reason: 'no-review' });
          return;
        }
        // Before the decision adds its rows: the names the panel left out are those of `added` or the review's.
        const facts = req.decision === null ? [] : decodeFacts(req.ids, req.facts, this.namesOf(review, req.added));
        if (facts === null) {
          send({ kind: 'refused', packageId: req.packageId, seq: req.seq, reason: 'bad-facts' });
          return;
        }
        const at = this.stamp();
        const reviewer = this.deps.actor();
        const batch: DecisionBatch = { reviewId: review.id, decision: req.decision, justification: req.justification, reviewer, at, ids: req.ids, facts, added: req.added };
        const result = decide(review, batch);
        if ('error' in result) {
          send({ kind: 'refused', packageId: req.packageId, seq: req.seq, reason: result.error });
          return;
        }
        const save = await this.persist(key, review, batch);
        this.compactLater(key);
        // The sender already shows the decision: it is told only the stamp and the save (a 50,000-row
        // decision sent back whole costs as much again as sending it); the other panels get all of it.
        send({ kind: 'stored', packageId: req.packageId, reviewId: review.id, seq: req.seq, reviewer, at, save });
        this.deps.broadcast({ type: 'review', event: {
          kind: 'decided',
          packageId: req.packageId,
          reviewId: review.id,
          seq: req.seq,
          decision: req.decision,
          justification: req.justification,
          reviewer,
          at,
          ids: req.ids,
          facts,
          added: req.added,
          save,
        } }, from);
        return;
      }
      case 'applied': {
        const review = await this.load(key);
        if (!review || review.id !== req.reviewId) return;
        review.appliedAt ??= this.stamp();
        const save = await this.persist(key, review);
        this.state(all, req.packageId, review, null, save);
        return;
      }
      case 'finish': {
        const review = await this.load(key);
        if (!review || review.id !== req.reviewId) return;
        const rows = unpackSnapshot(req.snapshot, MAX_SNAPSHOT_ROWS);
        if (!rows) {
          send({ kind: 'refused', packageId: req.packageId, reason: 'bad-snapshot' });
          return;
        }
        review.endedAt = this.stamp();
        const baseline: ListSnapshot = { packageId: req.packageId, kind: 'review', at: review.endedAt, rows };
        try {
          await this.deps.storage.archive(review);
          await this.deps.storage.putBaseline(baseline);
          await this.deps.storage.dropOpen(key);
          this.open.set(key, null);
          this.saves.set(key, { saved: true });
          this.state(all, req.packageId, null, baselineInfo(baseline), { saved: true });
        } catch (e) {
          // Not archived: the review stays open (and unfinished) rather than being lost.
          review.endedAt = null;
          send({ kind: 'refused', packageId: req.packageId, reason: `storage: ${errorText(e)}` });
        }
        return;
      }
      case 'import': {
        const parsed = parseReviewFile(req.text, req.packageId);
        if (!parsed.ok) {
          send({ kind: 'refused', packageId: req.packageId, reason: `import-${parsed.reason}: ${parsed.detail}` });
          return;
        }
        const current = await this.load(key);
        let next: Review;
        if (current) {
          const merged = mergeReviews(current, parsed.review);
          if (!merged) {
            send({ kind: 'refused', packageId: req.packageId, reason: 'import-other-review' });
            return;
          }
          next = merged;
        } else {
          if (parsed.review.endedAt) {
            send({ kind: 'refused', packageId: req.packageId, reason: 'import-finished' });
            return;
          }
          next = parsed.review;
        }
        this.open.set(key, next);
        const save = await this.persist(key, next);
        this.state(all, req.packageId, next, null, save);
        return;
      }
      case 'export': {
        const review = await this.load(key);
        if (!review) return;
        send({ kind: 'export', packageId: req.packageId, text: reviewJson(review, this.deps.actor(), this.stamp()) });
        return;
      }
      case 'visit': {
        const list = this.deps.list?.(req.packageId);
        const rows = list ? snapshotFromFlags(list, req.digest, req.flags) : null;
        if (!rows) {
          // Not the list this worker holds (another load since, or a new worker): no changes to tell, none kept.
          send({ kind: 'baseline', packageId: req.packageId, baseline: null, diff: null });
          return;
        }
        const prev = await this.deps.storage.getBaseline(key).catch(() => undefined);
        // Compared here: the panel gets the changes, not the whole list saved then.
        send({ kind: 'baseline', packageId: req.packageId, baseline: prev ? baselineInfo(prev) : null, diff: prev ? diffSince(prev.rows, rows) : null });
        // A finished review's list stays the baseline until the next review finishes.
        if (prev?.kind === 'review') return;
        await this.deps.storage.putBaseline({ packageId: req.packageId, kind: 'visit', at: this.stamp(), rows }).catch(() => undefined);
        return;
      }
    }
  }

  /**
   * The review without its rows and decisions, which go as columns (one clone of a few arrays, not of 100,000
   * objects); the decisions' facts follow in a message of their own, so the rows paint first.
   */
  private state(to: (ev: ReviewEvent) => void, packageId: string, review: Review | StoredOpen | null, baseline: BaselineInfo | null, save: SaveState): void {
    if (review && isColumns(review)) {
      // As read from storage: already columns, nothing to rebuild.
      to({ kind: 'state', packageId, review: review.review, rows: review.rows, decisions: { ...review.decisions, facts: [] }, baseline, save });
      const d = review.decisions;
      if (d.ids.length > 0) to({ kind: 'facts', packageId, reviewId: review.review.id, ids: d.ids, facts: d.facts });
      return;
    }
    const decisions = review && toColumns(review.decisions);
    to({
      kind: 'state',
      packageId,
      review: review && { ...review, rows: [], decisions: {} },
      rows: review && rowsToColumns(review.rows),
      decisions: decisions && { ...decisions, facts: [] },
      baseline,
      save,
    });
    if (review && decisions && decisions.ids.length > 0) to({ kind: 'facts', packageId, reviewId: review.id, ids: decisions.ids, facts: decisions.facts });
  }

  private stamp(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /**
   * Reads the package's open review into memory (the session calls this before it sends a cached list, so
   * the panel's 'get', arriving meanwhile, is answered before the rows and they paint with their decisions).
   */
  async preload(packageId: string): Promise<void> {
    await this.peek(packageId.toLowerCase());
  }

  /** A row's names as the panel knew them when it packed a decision's facts: `added` first, then the review's. */
  private namesOf(review: Review, added: readonly ReviewRow[]): (id: string) => ReviewRow | undefined {
    let index = this.rowIndex.get(review);
    if (!index) this.rowIndex.set(review, (index = { indexed: 0, byId: new Map() }));
    // Rows are only ever appended: index the new ones.
    for (; index.indexed < review.rows.length; index.indexed++) {
      const r = review.rows[index.indexed];
      if (!index.byId.has(r.id)) index.byId.set(r.id, r);
    }
    const byId = index.byId;
    const extra = added.length > 0 ? new Map(added.map((r) => [r.id, r])) : null;
    return (id) => extra?.get(id) ?? byId.get(id);
  }

  /** The open review as records (what a change needs). */
  private async load(key: string): Promise<Review | null> {
    const found = await this.peek(key);
    if (!found || !isColumns(found)) return found;
    const review = unpackOpen(found);
    this.stored.delete(key);
    this.open.set(key, review);
    return review;
  }

  /**
   * The open review: memory first (it may hold decisions storage refused), else storage. A review stored as
   * one record comes back as it is stored (columns); one with batches after its record is replayed, and its
   * record written whole again, so the next read is one record.
   */
  private async peek(key: string): Promise<Review | StoredOpen | null> {
    const known = (): Review | StoredOpen | null | undefined => (this.open.has(key) ? (this.open.get(key) ?? null) : this.stored.get(key));
    const before = known();
    if (before !== undefined) return before;
    // One read per package at a time: a preload and the panel's 'get' share it.
    let reading = this.reading.get(key);
    if (!reading) {
      reading = this.deps.storage.getOpen(key);
      this.reading.set(key, reading);
      const done = (): void => void (this.reading.get(key) === reading && this.reading.delete(key));
      reading.then(done, done);
    }
    let stored;
    try {
      stored = await reading;
    } catch (e) {
      this.saves.set(key, { saved: false, error: errorText(e) });
      return null;
    }
    // Another request may have filled memory while storage was read.
    const meanwhile = known();
    if (meanwhile !== undefined) return meanwhile;
    if (!stored) {
      this.open.set(key, null);
      return null;
    }
    if (stored.batches.length === 0 && isColumns(stored.open)) {
      this.stored.set(key, stored.open);
      return stored.open;
    }
    const review = readOpen(stored);
    this.open.set(key, review);
    if (stored.batches.length > 0) void this.persist(key, review);
    return review;
  }

  /** After decisions stop for a while, the review's batches are folded into its one record (a quick resume). */
  private compactLater(key: string): void {
    const wait = this.deps.compactAfterMs ?? 3000;
    clearTimeout(this.compactTimers.get(key));
    this.compactTimers.set(
      key,
      setTimeout(() => {
        this.compactTimers.delete(key);
        const review = this.open.get(key);
        if (review && this.batched.has(key)) void this.persist(key, review);
      }, wait),
    );
  }

  /**
   * Stores a decision as its batch (or the whole review: at start, import, apply, or after a batch failed);
   * the answer says whether THIS state (and everything before it) is stored.
   */
  private persist(key: string, review: Review, batch?: DecisionBatch): Promise<SaveState> {
    const before = this.writing.get(key) ?? Promise.resolve();
    const run = before.then(async (): Promise<SaveState> => {
      const whole = !batch || this.whole.has(key);
      try {
        if (whole) await this.deps.storage.putOpen(review);
        else await this.deps.storage.putBatch(key, batch);
        if (whole) {
          this.whole.delete(key);
          this.batched.delete(key);
        } else this.batched.add(key);
        return { saved: true };
      } catch (e) {
        // A batch that did not land would be missing from storage even after later batches land.
        this.whole.add(key);
        return { saved: false, error: errorText(e) };
      }
    });
    this.writing.set(
      key,
      run.then(() => undefined),
    );
    return run.then((save) => {
      this.saves.set(key, save);
      return save;
    });
  }
}
