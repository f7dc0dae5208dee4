// Pure rules of the actions UI: which batch the status shows, per-row results, the removal plan and its
// typed-count gate, the direct-add rules, and the action log as CSV. No DOM, no browser API.
import { CLOUDS } from '../../core/clouds';
import { recordsToCsv } from '../../core/csv';
import { describeFilter, isEmptyFilter, type FacetValues, type FilterState } from '../../core/filters';
import type { Cloud, PolicyInfo, ViewRow } from '../../core/model';
import { packageFilter } from '../../core/partition';
import { isSyntheticId } from '../../core/normalise';
import type { ActionEntry } from '../../messages';
import { t } from '../i18n';

/** From this many assignments on, the admin types the count before the removal is sent (contract). */
export const TYPED_CONFIRM_AT = 25;
/** Names listed in the removal confirmation. */
export const NAMES_SHOWN = 10;

export interface StatusCounts {
  /** The batch counted (null: no entries). */
  batchId: string | null;
  pending: number;
  failed: number;
  done: number;
}

/**
 * The latest batch: the one whose entries changed last (greatest `at`), so a retry of an older batch makes
 * it the latest again. Ties go to the batch logged later.
 */
export function latestBatchId(entries: readonly ActionEntry[]): string | null {
  let best: string | null = null;
  let bestAt = -Infinity;
  for (const e of entries) {
    const t = Date.parse(e.at);
    const at = Number.isNaN(t) ? -Infinity : t;
    if (best === null || at >= bestAt) {
      best = e.batchId;
      bestAt = at;
    }
  }
  return best;
}

/** Counts of the latest batch's entries (action-status: data-pending, data-failed, data-done). */
export function statusCounts(entries: readonly ActionEntry[]): StatusCounts {
  const batchId = latestBatchId(entries);
  const out: StatusCounts = { batchId, pending: 0, failed: 0, done: 0 };
  for (const e of entries) if (e.batchId === batchId) out[e.result]++;
  return out;
}

/** Where a row finds its latest result: removals, reprocesses and extensions by assignment id, adds by user id and policy. */
export interface RowResults {
  removal: Map<string, ActionEntry>;
  add: Map<string, ActionEntry>;
}

const addKey = (userId: string, policyId: string): string => `${userId.toLowerCase()}|${policyId.toLowerCase()}`;

export function rowResults(entries: readonly ActionEntry[]): RowResults {
  const removal = new Map<string, ActionEntry>();
  const add = new Map<string, ActionEntry>();
  const newer = (a: ActionEntry | undefined, b: ActionEntry): boolean => !a || Date.parse(b.at) >= Date.parse(a.at);
  for (const e of entries) {
    if (e.kind === 'remove' || e.kind === 'reprocess' || e.kind === 'extend') {
      const k = e.key.toLowerCase();
      if (newer(removal.get(k), e)) removal.set(k, e);
    } else {
      const k = addKey(e.key, e.policyId ?? '');
      if (newer(add.get(k), e)) add.set(k, e);
    }
  }
  return { removal, add };
}

export function resultForRow(results: RowResults, row: Pick<ViewRow, 'id' | 'objectId' | 'policyId'>): ActionEntry | null {
  return results.removal.get(row.id.toLowerCase()) ?? (row.objectId ? results.add.get(addKey(row.objectId, row.policyId)) : undefined) ?? null;
}

/** The badge text of a row's latest result, in the panel's language (its `data-result` keeps the value). */
export function badgeText(e: ActionEntry): string {
  return t(e.result === 'pending' || e.result === 'failed' ? `actions_result_${e.result}` : `actions_result_${e.kind}`);
}

/** The badge's title: Graph's words and anything noted after. */
export function badgeTitle(e: ActionEntry): string {
  const head = t(`actions_badge_${e.kind}_${e.result === 'pending' || e.result === 'failed' ? e.result : 'accepted'}`);
  return [head + (e.code && e.result === 'failed' ? ` (${e.code})` : ''), e.message, e.note].filter(Boolean).join(' — ');
}

// ---------------------------------------------------------------- removal

export interface RemovalPlan {
  /** Assignment ids to send, in the shown order. */
  ids: string[];
  /** Display name (or UPN, email, id) per id. */
  labels: string[];
  /** Selected rows without an assignment id from Graph (never sent). */
  skipped: number;
  /** Of the ids, those the current filter does not show. */
  hidden: number;
}

export function rowLabel(r: Pick<ViewRow, 'displayName' | 'principalName' | 'email' | 'id'>): string {
  return r.displayName || r.principalName || r.email || r.id;
}

/** What a removal of the selected rows sends. */
export function planRemoval(selected: readonly ViewRow[], shownIds: ReadonlySet<string>): RemovalPlan {
  const plan: RemovalPlan = { ids: [], labels: [], skipped: 0, hidden: 0 };
  const seen = new Set<string>();
  for (const r of selected) {
    if (isSyntheticId(r.id) || r.id === '') {
      plan.skipped++;
      continue;
    }
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    plan.ids.push(r.id);
    plan.labels.push(rowLabel(r));
    if (!shownIds.has(r.id)) plan.hidden++;
  }
  return plan;
}

export function needsTypedCount(n: number): boolean {
  return n >= TYPED_CONFIRM_AT;
}

/** The typed confirmation matches the count (digits; "1,234" and "1 234" accepted for 1234). */
export function typedCountMatches(typed: string, n: number): boolean {
  return typed.replace(/[\s,.\u00a0\u202f]/g, '') === String(n);
}

/** Whether Confirm may be pressed. */
export function canConfirmRemoval(n: number, typed: string): boolean {
  if (n === 0) return false;
  return !needsTypedCount(n) || typedCountMatches(typed, n);
}

// ---------------------------------------------------------------- direct add

export interface PolicyOption {
  policy: PolicyInfo;
  disabled: boolean;
  /** Shown next to the option: why it is disabled, or its one-user rule. */
  note: string;
}

export function policyOptions(policies: readonly PolicyInfo[]): PolicyOption[] {
  return policies.map((policy) => {
    if (!policy.allowsDirectAssignment) return { policy, disabled: true, note: t('actions_policy_automatic') };
    if (policy.hasQuestions) return { policy, disabled: false, note: t('actions_policy_questions') };
    return { policy, disabled: false, note: '' };
  });
}

/** Why the add cannot be submitted yet (null: it can). */
export function addBlockedReason(policy: PolicyInfo | null, users: number, start: string, end: string): string | null {
  if (users === 0) return t('actions_add_noUser');
  if (!policy) return t('actions_add_noPolicy');
  if (!policy.allowsDirectAssignment) return t('actions_add_automatic', { policy: policy.displayName });
  if (policy.hasQuestions && users > 1) return t('actions_add_oneAtATime', { policy: policy.displayName, count: users });
  if (start && end && end < start) return t('actions_add_endBeforeStart');
  return null;
}

/** A date input's yyyy-mm-dd as an ISO instant at 00:00 UTC (dates are UTC throughout the panel), or null. */
export function dateToIso(value: string): string | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? `${value}T00:00:00Z` : null;
}

// ---------------------------------------------------------------- the log

export const LOG_HEADER: readonly string[] = [
  'Time (UTC)',
  'Who',
  'Action',
  'Target',
  'Target ID',
  'Policy',
  'Result',
  'Code',
  'Message',
  'Note',
  'Request ID',
  'Batch ID',
  'Filter',
];

/** Newest first. */
export function sortedLog(entries: readonly ActionEntry[]): ActionEntry[] {
  return [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

export function logToCsv(entries: readonly ActionEntry[], policyName: (id: string) => string): string {
  return recordsToCsv(
    LOG_HEADER,
    sortedLog(entries).map((e) => [
      e.at,
      e.actor,
      e.kind,
      e.label,
      e.key,
      e.policyId ? policyName(e.policyId) || e.policyId : '',
      e.result,
      e.code ?? '',
      e.message ?? '',
      e.note ?? '',
      e.requestId ?? '',
      e.batchId,
      e.filter ?? '',
    ]),
  );
}

/** `<package>-action-log-<yyyyMMdd-HHmmss>.csv`, unsafe file-name characters replaced like the CSV export. */
// eslint-disable-next-line no-control-regex -- file names must not carry control characters
const UNSAFE_FILE_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;

export function logFileName(packageName: string, now: Date): string {
  const safe = [...packageName.replace(UNSAFE_FILE_CHARS, '_')].slice(0, 120).join('') || 'access-package';
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${safe}-action-log-${stamp}.csv`;
}

/** A shape check for entries arriving from the worker (worker-events.ts checks only the envelope). */
export function isActionEntry(v: unknown): v is ActionEntry {
  if (!v || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.batchId === 'string' &&
    (e.kind === 'remove' || e.kind === 'add' || e.kind === 'reprocess' || e.kind === 'extend') &&
    typeof e.key === 'string' &&
    typeof e.label === 'string' &&
    typeof e.at === 'string' &&
    (e.result === 'pending' || e.result === 'done' || e.result === 'failed')
  );
}

// ---------------------------------------------------------------- "Copy as Graph request" for the view

/** Control characters (a line break in a policy name) must not start a new line of the copied request. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');

/**
 * The Graph request behind the view: the package's assignments with target and policy, every page. The
 * overlay applies the view's filter itself after listing; it is named in a comment line.
 */
export function graphRequestForView(packageId: string, filter: FilterState, cloud: Cloud, labels?: Partial<FacetValues>): string {
  const url =
    `${CLOUDS[cloud].graphRoot}v1.0/identityGovernance/entitlementManagement/assignments` +
    `?$filter=${encodeURIComponent(packageFilter(packageId))}&$expand=target,assignmentPolicy`;
  const lines = ['# Every assignment of the access package: follow @odata.nextLink until it is absent.'];
  if (!isEmptyFilter(filter)) lines.push(`# The overlay then applies the view's filter: ${oneLine(describeFilter(filter, labels))}.`);
  lines.push(`GET ${url}`);
  return lines.join('\n') + '\n';
}
