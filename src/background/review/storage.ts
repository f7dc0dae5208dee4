// Where reviews live: IndexedDB of the extension (never the portal page's storage), in a database of their
// own so the list caches' database (and sign-out clearing it) never touches a review. Keys: the open review
// per package, its decision batches, finished reviews (archive) and the baseline list of "changes since the
// last review".
//
// A decision is stored as ONE small record per bulk decision (`dec:<package>:<seq>`: ids, packed facts, the
// shared justification), so deciding on 50,000 rows writes those rows and nothing else; the open review
// (`open:<package>`) is rewritten whole only when it starts, is imported, applied or a batch write failed,
// and that rewrite drops the batches it now holds, in the same transaction.
import { createStore, get, promisifyRequest, set, type UseStore } from 'idb-keyval';
import type { ListSnapshot } from '../../core/review/diff';
import { decide, type Decision, type Review, type ReviewRow } from '../../core/review/model';
import { fromColumns, rowsFromColumns, rowsToColumns, toColumns, type DecisionColumns, type RowColumns } from '../../core/review/packed';

/** One recorded decision as stored (the worker's stamp included). */
export interface DecisionBatch {
  reviewId: string;
  decision: Decision | null;
  justification: string;
  reviewer: string;
  at: string;
  ids: string[];
  facts: string[];
  added: ReviewRow[];
}

/** The open review as read: its record (columns, or a whole review stored before them) and the batches after it. */
export interface StoredReview {
  open: StoredOpen | Review;
  batches: DecisionBatch[];
}

export interface ReviewStorage {
  /** the open review's record and its batches, in the order stored */
  getOpen(packageId: string): Promise<StoredReview | undefined>;
  /** the whole open review (its batches are dropped in the same transaction) */
  putOpen(review: Review): Promise<void>;
  /** one decision, after those stored before it */
  putBatch(packageId: string, batch: DecisionBatch): Promise<void>;
  dropOpen(packageId: string): Promise<void>;
  archive(review: Review): Promise<void>;
  getBaseline(packageId: string): Promise<ListSnapshot | undefined>;
  putBaseline(snapshot: ListSnapshot): Promise<void>;
}

/** The batches of `review` replayed onto it, in the order they were stored (a batch of another review is stale). */
export function replayBatches(review: Review, batches: readonly DecisionBatch[]): Review {
  for (const b of batches) if (b.reviewId === review.id) decide(review, b);
  return review;
}

/** The open review as stored: its rows and decisions as columns (read back in a fraction of the time). */
export interface StoredOpen {
  review: Review;
  rows: RowColumns;
  decisions: DecisionColumns;
}

export function packOpen(review: Review): StoredOpen {
  return { review: { ...review, rows: [], decisions: {} }, rows: rowsToColumns(review.rows), decisions: toColumns(review.decisions) };
}

/** Also reads a review stored whole (before the columns). */
export function unpackOpen(v: StoredOpen | Review): Review {
  if (!isColumns(v)) return v;
  return { ...v.review, rows: rowsFromColumns(v.rows), decisions: fromColumns(v.decisions) };
}

export function isColumns(v: StoredOpen | Review): v is StoredOpen {
  return !Array.isArray(v.rows);
}

/** The open review with its batches replayed (records for every decision). */
export function readOpen(stored: StoredReview): Review {
  return replayBatches(unpackOpen(stored.open), stored.batches);
}

let store: UseStore | null = null;
const db = (): UseStore => (store ??= createStore('assignments-overlay-reviews', 'reviews'));

const openKey = (p: string): string => `open:${p.toLowerCase()}`;
const batchPrefix = (p: string): string => `dec:${p.toLowerCase()}:`;
const batchRange = (p: string): IDBKeyRange => IDBKeyRange.bound(batchPrefix(p), `${batchPrefix(p)}\uffff`);
/** package → the next batch number (keys sort as stored: fixed width) */
const nextSeq = new Map<string, number>();
const batchKey = (p: string, seq: number): string => `${batchPrefix(p)}${String(seq).padStart(12, '0')}`;

export const idbReviewStorage: ReviewStorage = {
  getOpen: (packageId) =>
    db()('readonly', async (s) => {
      const [review, keys, batches] = await Promise.all([
        promisifyRequest(s.get(openKey(packageId)) as IDBRequest<StoredOpen | Review | undefined>),
        promisifyRequest(s.getAllKeys(batchRange(packageId))),
        promisifyRequest(s.getAll(batchRange(packageId)) as IDBRequest<DecisionBatch[]>),
      ]);
      const last = keys.length ? Number(String(keys[keys.length - 1]).slice(batchPrefix(packageId).length)) : -1;
      nextSeq.set(packageId.toLowerCase(), Math.max(nextSeq.get(packageId.toLowerCase()) ?? 0, last + 1));
      return review ? { open: review, batches } : undefined;
    }),
  putOpen: (review) =>
    db()('readwrite', (s) => {
      s.delete(batchRange(review.packageId));
      s.put(packOpen(review), openKey(review.packageId));
      return promisifyRequest(s.transaction);
    }),
  putBatch: (packageId, batch) => {
    const key = packageId.toLowerCase();
    const seq = nextSeq.get(key) ?? 0;
    nextSeq.set(key, seq + 1);
    return set(batchKey(packageId, seq), batch, db());
  },
  dropOpen: (packageId) =>
    db()('readwrite', (s) => {
      s.delete(batchRange(packageId));
      s.delete(openKey(packageId));
      return promisifyRequest(s.transaction);
    }),
  archive: (review) => set(`archive:${review.packageId.toLowerCase()}:${review.id}`, review, db()),
  getBaseline: (packageId) => get<ListSnapshot>(`baseline:${packageId.toLowerCase()}`, db()),
  putBaseline: (snapshot) => set(`baseline:${snapshot.packageId.toLowerCase()}`, snapshot, db()),
};
