// The recommendation rule: what the facts a reviewer can see on a row suggest. It only suggests: a decision
// is recorded by the reviewer (one click accepts the recommendations of a selection), never by this rule.
//
// remove, when any of these holds (reasons in this order): the row's stale reasons (deleted, disabled,
//   inactive, never-signed-in, invitation-pending), `expired` (Graph's state is expired or the expiry date has
//   passed), `delivery-failed` (Graph's state is deliveryFailed: the access was never delivered);
// otherwise none (no suggestion) with `not-in-directory` for a target that is not in the directory yet, or
//   `no-sign-in-data` for a user whose sign-in activity cannot be read (the absence of a stale reason then
//   proves nothing);
// otherwise keep, with `active`.
import type { StaleReason, ViewRow } from '../../core/model';

export type Recommendation = 'keep' | 'remove' | 'none';
export type RecommendationReason = StaleReason | 'expired' | 'delivery-failed' | 'not-in-directory' | 'no-sign-in-data' | 'active';

export interface RecommendationResult {
  recommendation: Recommendation;
  reasons: RecommendationReason[];
}

export interface RecommendContext {
  /** epoch ms */
  now: number;
  signInAvailable: boolean;
}

export function recommend(row: ViewRow, ctx: RecommendContext): RecommendationResult {
  const reasons: RecommendationReason[] = [...row.staleReasons];
  const state = row.state.toLowerCase();
  const expiry = row.expiry === null ? NaN : Date.parse(row.expiry);
  if (state === 'expired' || (!Number.isNaN(expiry) && expiry < ctx.now)) reasons.push('expired');
  if (state === 'deliveryfailed') reasons.push('delivery-failed');
  if (reasons.length > 0) return { recommendation: 'remove', reasons };
  if (row.objectId === null) return { recommendation: 'none', reasons: ['not-in-directory'] };
  const isUser = row.subjectType.toLowerCase() !== 'serviceprincipal';
  if (isUser && !ctx.signInAvailable) return { recommendation: 'none', reasons: ['no-sign-in-data'] };
  return { recommendation: 'keep', reasons: ['active'] };
}
