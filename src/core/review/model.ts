// A review of one access package: its scope, and per assignment the reviewer's decision (keep / remove) with
// the justification, who decided, when, and the row facts the decision was made on. Decisions can change
// until the review is applied. Plain data (stored in IndexedDB and exported as JSON as it is) and pure
// functions; the worker owns the one copy per package, the panels show it.
import type { Recommendation, RecommendationReason } from './recommend';

export type Decision = 'keep' | 'remove';

/** What the reviewer saw when deciding (kept with the decision, as evidence). */
export interface RowFacts {
  displayName: string;
  principalName: string;
  /** Graph's state, verbatim */
  state: string;
  staleReasons: string[];
  expiry: string | null;
  /** the stale rule's activity date, or null */
  activity: string | null;
  recommendation: Recommendation;
  recommendationReasons: RecommendationReason[];
}

export interface DecisionRecord {
  decision: Decision;
  justification: string;
  /** the deciding account's UPN */
  reviewer: string;
  /** ISO time (UTC) */
  at: string;
  /** the row's facts when decided, packed into one string (./packed.ts: packFacts / unpackFacts) */
  facts: string;
}

/** An assignment in the review: enough to name it after it disappeared from the package. */
export interface ReviewRow {
  id: string;
  displayName: string;
  principalName: string;
}

export interface ReviewScope {
  kind: 'all' | 'filter';
  /** the filter in words ('' for all) */
  filter: string;
}

export const REVIEW_FORMAT = 'entra-assignments-review';

export interface Review {
  format: typeof REVIEW_FORMAT;
  version: 1;
  id: string;
  packageId: string;
  packageName: string;
  scope: ReviewScope;
  /** the assignments in the review: those in scope at the start, and any decided on later */
  rows: ReviewRow[];
  /** the UPN of who started it */
  reviewer: string;
  startedAt: string;
  /** set when finished (archived) */
  endedAt: string | null;
  /** set when its removals were sent */
  appliedAt: string | null;
  staleAfterDays: number;
  decisions: Record<string, DecisionRecord>;
}

export interface NewReview {
  id: string;
  packageId: string;
  packageName: string;
  scope: ReviewScope;
  rows: ReviewRow[];
  reviewer: string;
  startedAt: string;
  staleAfterDays: number;
}

export function newReview(n: NewReview): Review {
  return {
    format: REVIEW_FORMAT,
    version: 1,
    id: n.id,
    packageId: n.packageId,
    packageName: n.packageName,
    scope: n.scope,
    rows: n.rows,
    reviewer: n.reviewer,
    startedAt: n.startedAt,
    endedAt: null,
    appliedAt: null,
    staleAfterDays: n.staleAfterDays,
    decisions: {},
  };
}

export type DecideError = 'justification-required' | 'applied' | 'finished';

export interface DecideInput {
  /** null clears the decisions (back to undecided) */
  decision: Decision | null;
  justification: string;
  reviewer: string;
  at: string;
  /** the assignments decided (a bulk decision shares everything but the id and the facts) */
  ids: readonly string[];
  /** packed facts, one per id (ignored when clearing) */
  facts: readonly string[];
  /** rows among `ids` not yet in the review (added to the package since it started) */
  added: readonly ReviewRow[];
}

/**
 * Records one decision for every item (a bulk decision shares its justification). Refuses, changing nothing:
 * a remove without a justification, and any change to a review that was applied or finished. A row not yet
 * in the review (added to the package since it started) joins it. Returns the ids whose decision changed.
 */
export function decide(review: Review, input: DecideInput): { changed: string[] } | { error: DecideError } {
  if (review.endedAt) return { error: 'finished' };
  if (review.appliedAt) return { error: 'applied' };
  const justification = input.justification;
  if (input.decision === 'remove' && justification.trim() === '') return { error: 'justification-required' };
  if (input.added.length > 0) {
    const inReview = new Set(review.rows.map((r) => r.id));
    for (const row of input.added) {
      if (inReview.has(row.id)) continue;
      inReview.add(row.id);
      review.rows.push(row);
    }
  }
  const changed: string[] = [];
  const { ids, facts, decision, reviewer, at } = input;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (decision === null) {
      if (review.decisions[id]) {
        delete review.decisions[id];
        changed.push(id);
      }
      continue;
    }
    review.decisions[id] = { decision, justification, reviewer, at, facts: facts[i] ?? '' };
    changed.push(id);
  }
  return { changed };
}

export interface ReviewProgress {
  /** assignments in the review */
  total: number;
  decided: number;
  keep: number;
  remove: number;
  /** assignments of the package now that are not in the review (added since it started, for scope "all") */
  added: string[];
  /** assignments of the review no longer in the package, with their last decision */
  disappeared: { row: ReviewRow; decision: Decision | null }[];
}

/**
 * Who joined or left the package since the review started: assignments listed now that are not in the review
 * (for scope "all"), and assignments of the review no longer listed. Depends on the list, not on decisions.
 */
export function reviewMembership(review: Review, currentIds: ReadonlySet<string> | null): { added: string[]; disappeared: ReviewRow[] } {
  const out = { added: [] as string[], disappeared: [] as ReviewRow[] };
  if (!currentIds) return out;
  const inReview = new Set<string>();
  for (const row of review.rows) {
    inReview.add(row.id);
    if (!currentIds.has(row.id)) out.disappeared.push(row);
  }
  if (review.scope.kind === 'all') for (const id of currentIds) if (!inReview.has(id)) out.added.push(id);
  return out;
}

export function reviewProgress(review: Review, currentIds: ReadonlySet<string> | null): ReviewProgress {
  const out: ReviewProgress = { total: review.rows.length, decided: 0, keep: 0, remove: 0, added: [], disappeared: [] };
  const inReview = new Set<string>();
  for (const row of review.rows) {
    inReview.add(row.id);
    const d = review.decisions[row.id];
    if (d) {
      out.decided++;
      out[d.decision]++;
    }
    if (currentIds && !currentIds.has(row.id)) out.disappeared.push({ row, decision: d?.decision ?? null });
  }
  if (currentIds && review.scope.kind === 'all') for (const id of currentIds) if (!inReview.has(id)) out.added.push(id);
  return out;
}

/** The decisions as the `decision` facet's values (assignment id → keep / remove). */
export function decisionValues(review: Review): Map<string, Decision> {
  const out = new Map<string, Decision>();
  for (const [id, d] of Object.entries(review.decisions)) out.set(id, d.decision);
  return out;
}

/** Assignment ids decided `remove` that still exist (nothing is ever applied to one that is gone). */
export function removalsToApply(review: Review, currentIds: ReadonlySet<string>): string[] {
  return review.rows.filter((r) => review.decisions[r.id]?.decision === 'remove' && currentIds.has(r.id)).map((r) => r.id);
}

/**
 * Two copies of the same review (an import of one continued elsewhere): every row of both, and per assignment
 * the later decision. Returns null when they are not the same review.
 */
export function mergeReviews(mine: Review, theirs: Review): Review | null {
  if (mine.id !== theirs.id || mine.packageId !== theirs.packageId) return null;
  const rows = [...mine.rows];
  const ids = new Set(rows.map((r) => r.id));
  for (const r of theirs.rows) if (!ids.has(r.id)) rows.push(r);
  const decisions = { ...mine.decisions };
  for (const [id, d] of Object.entries(theirs.decisions)) {
    const cur = decisions[id];
    if (!cur || Date.parse(d.at) > Date.parse(cur.at)) decisions[id] = d;
  }
  return {
    ...mine,
    rows,
    decisions,
    endedAt: mine.endedAt ?? theirs.endedAt,
    appliedAt: mine.appliedAt ?? theirs.appliedAt,
  };
}
