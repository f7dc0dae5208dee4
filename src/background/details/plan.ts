// What the action queue does for each reprocess or extend entry before anything is sent: which reprocess
// Graph documents for the assignment's situation (or why none applies), and whether the new expiry is
// within the policy's maximum. Entries refused here are never sent; the reason is their log message.
import { extendRefusal, type ReprocessDecision, type ReprocessSkip } from '../../core/assignment-requests';
import type { ActionEntry } from '../../messages';
import type { ExtendPolicyLimit } from '../../protocol/details';
import { t } from '../../panel/i18n';

export interface DetailsPlans {
  reprocessPlan(packageId: string, assignmentIds: readonly string[]): Promise<ReprocessDecision[]>;
  extendPlan(packageId: string, assignmentIds: readonly string[]): Promise<{ states: Record<string, { state: string; policyId: string }>; limits: ExtendPolicyLimit[] }>;
}

export interface Refusal {
  entry: ActionEntry;
  code: string;
  message: string;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The reason a reprocess does not apply, in words (shared with the panel's confirmation). */
export function skipText(reason: ReprocessSkip, state: string, ageDays?: number): string {
  switch (reason) {
    case 'not-found':
      return t('details_skip_not_found');
    case 'expired':
      return t('details_skip_expired');
    case 'in-progress':
      return t('details_skip_in_progress');
    case 'failed-no-request':
      return t('details_skip_failed_no_request', { state });
    case 'request-too-old':
      return t('details_skip_too_old', { days: ageDays ?? '?' });
    default:
      return t('details_skip_unknown_state', { state });
  }
}

export async function planReprocess(d: DetailsPlans, pkg: string, entries: ActionEntry[], _now: number): Promise<Refusal[]> {
  let decisions: ReprocessDecision[];
  try {
    decisions = await d.reprocessPlan(pkg, entries.map((e) => e.key));
  } catch (e) {
    return entries.map((entry) => ({ entry, code: 'PlanUnavailable', message: t('details_plan_unavailable', { message: messageOf(e) }) }));
  }
  const refused: Refusal[] = [];
  entries.forEach((entry, i) => {
    const dcs = decisions[i];
    if (dcs.action === 'request') entry.reprocessRequestId = dcs.requestId;
    else if (dcs.action === 'skip') refused.push({ entry, code: 'NotApplicable', message: skipText(dcs.reason, dcs.state, dcs.ageDays) });
  });
  return refused;
}

export async function planExtend(d: DetailsPlans, pkg: string, entries: ActionEntry[], now: number): Promise<Refusal[]> {
  let plan: Awaited<ReturnType<DetailsPlans['extendPlan']>>;
  try {
    plan = await d.extendPlan(pkg, entries.map((e) => e.key));
  } catch (e) {
    return entries.map((entry) => ({ entry, code: 'PlanUnavailable', message: t('details_plan_unavailable', { message: messageOf(e) }) }));
  }
  const limits = new Map(plan.limits.map((l) => [l.policyId, l]));
  const refused: Refusal[] = [];
  for (const entry of entries) {
    const st = plan.states[entry.key];
    if (!st) {
      refused.push({ entry, code: 'NotApplicable', message: t('details_skip_not_found') });
      continue;
    }
    const limit = limits.get(st.policyId);
    const why = extendRefusal(entry.end ?? null, limit?.maxEnd, st.state, now);
    if (why === 'past-policy-max') {
      refused.push({ entry, code: 'ExpiryPastPolicyMaximum', message: t('details_extend_past_max', { max: limit?.maxEnd ?? '', policy: limit?.policyName ?? '' }) });
    } else if (why === 'in-past' || why === 'invalid-date') {
      refused.push({ entry, code: 'ExpiryNotValid', message: t('details_extend_invalid') });
    } else if (why === 'not-active') {
      refused.push({ entry, code: 'NotDelivered', message: t('details_extend_not_delivered', { state: st.state }) });
    }
  }
  return refused;
}
