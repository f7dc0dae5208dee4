// The review capability's messages: panel → worker (ReviewRequest, inside PanelRequest {type:'review'}) and
// worker → panel (ReviewEvent, inside WorkerEvent {type:'review'}), and the check of what arrives.
// The worker owns the one copy of each package's review: panels send decisions, the worker stamps the
// reviewer (the signed-in UPN) and the time, stores them, and tells every panel on that package.
import type { BaselineInfo, ListDiff } from '../core/review/diff';
import type { Decision, Review, ReviewRow, ReviewScope } from '../core/review/model';
import type { DecisionColumns, FactsWire, RowColumns } from '../core/review/packed';

export type ReviewRequest =
  /** The package's open review (if any). */
  | { kind: 'get'; packageId: string }
  | { kind: 'start'; packageId: string; packageName: string; scope: ReviewScope; rows: ReviewRow[]; staleAfterDays: number }
  /**
   * `seq` (chosen by the panel) comes back in the 'stored' event (to the sender; the other panels get 'decided'),
   * so the sender knows its decision was stored.
   * A bulk decision is its ids, their packed facts in the port's compact form (one per id; none when the
   * decision is cleared), and the rows not yet in the review.
   */
  | { kind: 'decide'; packageId: string; reviewId: string; seq: number; decision: Decision | null; justification: string; ids: string[]; facts: FactsWire; added: ReviewRow[] }
  /**
   * Finish and archive; `snapshot` is the list now, the baseline of "changes since the last review" (packed:
   * core/review/diff packSnapshot).
   */
  | { kind: 'finish'; packageId: string; reviewId: string; snapshot: string }
  /** The removals of the review were sent (through the action queue). */
  | { kind: 'applied'; packageId: string; reviewId: string }
  /** An exported review (the JSON file's text), checked by the worker. */
  | { kind: 'import'; packageId: string; text: string }
  /** The full review as JSON evidence. */
  | { kind: 'export'; packageId: string }
  /**
   * The list as seen on this visit, kept as the baseline unless a finished review left one: one flag per row of
   * the list the worker just sent, and the digest of the ids they are for (core/review/diff snapshotFromFlags).
   * Answered with the changes since the baseline it replaces, which the worker works out.
   */
  | { kind: 'visit'; packageId: string; digest: string; flags: string };

/** Whether the review's latest change reached storage. */
export type SaveState = { saved: true } | { saved: false; error: string };

export type ReviewEvent =
  /**
   * `review` travels without its rows and decisions (`rows: []`, `decisions: {}`): they come as columns, cheap
   * to clone, and the decisions' facts follow in a 'facts' event (`decisions.facts` is empty here).
   */
  | { kind: 'state'; packageId: string; review: Review | null; rows: RowColumns | null; decisions: DecisionColumns | null; baseline: BaselineInfo | null; save: SaveState }
  | {
      kind: 'decided';
      packageId: string;
      reviewId: string;
      seq: number;
      decision: Decision | null;
      justification: string;
      reviewer: string;
      at: string;
      ids: string[];
      facts: string[];
      added: ReviewRow[];
      save: SaveState;
    }
  /** To the panel that sent a 'decide': its decision as stamped, and whether it is stored. */
  | { kind: 'stored'; packageId: string; reviewId: string; seq: number; reviewer: string; at: string; save: SaveState }
  /** Right after a 'state': the packed facts of its decisions (only the CSV of a gone assignment needs them). */
  | { kind: 'facts'; packageId: string; reviewId: string; ids: string[]; facts: string[] }
  /** The answer to a 'visit': the list saved at the last review or visit before it and the changes since (null: none). */
  | { kind: 'baseline'; packageId: string; baseline: BaselineInfo | null; diff: ListDiff | null }
  | { kind: 'refused'; packageId: string; seq?: number; reason: string }
  | { kind: 'export'; packageId: string; text: string };

// ---------------------------------------------------------------- checks

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ROWS = 200_000;
/** The most rows a snapshot may unpack to (the lists' own limit here). */
export const MAX_SNAPSHOT_ROWS = MAX_ROWS;

const isReviewRow = (v: unknown): v is ReviewRow => isObj(v) && isStr(v.id) && isStr(v.displayName) && isStr(v.principalName);
/** A packed snapshot's text, its rows checked where it is unpacked (a row is some 60 characters, a long name a few hundred). */
const isPackedSnapshot = (v: unknown): v is string => isStr(v) && v.length <= 512 * MAX_ROWS;
const listOf = <T>(v: unknown, is: (x: unknown) => x is T): v is T[] => Array.isArray(v) && v.length <= MAX_ROWS && v.every(is);
const strList = (v: unknown): v is string[] => Array.isArray(v) && v.length <= MAX_ROWS && v.every(isStr);
const isFactsWire = (v: unknown): v is FactsWire =>
  isObj(v) &&
  strList(v.shapes) &&
  Array.isArray(v.shape) &&
  v.shape.length <= MAX_ROWS &&
  v.shape.every((k) => Number.isInteger(k) && k >= 0) &&
  Array.isArray(v.text) &&
  v.text.length <= 4 * MAX_ROWS &&
  v.text.every(isStr);

/** The request when its shape is right, else null (dropped). */
export function parseReviewRequest(v: unknown): ReviewRequest | null {
  if (!isObj(v) || !isStr(v.packageId) || !GUID.test(v.packageId)) return null;
  const packageId = v.packageId;
  switch (v.kind) {
    case 'get':
    case 'export':
      return { kind: v.kind, packageId };
    case 'start':
      return isStr(v.packageName) &&
        isObj(v.scope) &&
        (v.scope.kind === 'all' || v.scope.kind === 'filter') &&
        isStr(v.scope.filter) &&
        listOf(v.rows, isReviewRow) &&
        typeof v.staleAfterDays === 'number'
        ? { kind: 'start', packageId, packageName: v.packageName, scope: { kind: v.scope.kind, filter: v.scope.filter }, rows: v.rows, staleAfterDays: v.staleAfterDays }
        : null;
    case 'decide':
      return isStr(v.reviewId) &&
        typeof v.seq === 'number' &&
        (v.decision === 'keep' || v.decision === 'remove' || v.decision === null) &&
        isStr(v.justification) &&
        v.justification.length <= 10_000 &&
        strList(v.ids) &&
        isFactsWire(v.facts) &&
        v.facts.shape.length === (v.decision === null ? 0 : v.ids.length) &&
        listOf(v.added, isReviewRow)
        ? { kind: 'decide', packageId, reviewId: v.reviewId, seq: v.seq, decision: v.decision, justification: v.justification, ids: v.ids, facts: v.facts, added: v.added }
        : null;
    case 'finish':
      return isStr(v.reviewId) && isPackedSnapshot(v.snapshot) ? { kind: 'finish', packageId, reviewId: v.reviewId, snapshot: v.snapshot } : null;
    case 'applied':
      return isStr(v.reviewId) ? { kind: 'applied', packageId, reviewId: v.reviewId } : null;
    case 'import':
      return isStr(v.text) ? { kind: 'import', packageId, text: v.text } : null;
    case 'visit':
      return isStr(v.digest) && v.digest.length <= 32 && isStr(v.flags) && v.flags.length <= MAX_ROWS && /^[0-3]*$/.test(v.flags)
        ? { kind: 'visit', packageId, digest: v.digest, flags: v.flags }
        : null;
    default:
      return null;
  }
}

/** The envelope of a review event (the panel's review model checks the rest). */
export function isReviewEvent(v: unknown): v is ReviewEvent {
  return isObj(v) && isStr(v.kind) && isStr(v.packageId);
}
