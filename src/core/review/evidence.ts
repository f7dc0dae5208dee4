// The review's evidence files: the CSV (contract: Review) written by the same writer, quoting and formula
// guard as every other export, and the JSON (the review as stored: scope, start and end, reviewer, stale
// threshold, and per decision the row facts it was made on), which an import reads back after checking it.
import { csvCell, csvFileName, recordsToCsv } from '../../core/csv';
import { packFacts, unpackFacts } from './packed';
import { REVIEW_FORMAT, type Decision, type DecisionRecord, type Review, type ReviewRow, type RowFacts } from './model';
import type { Recommendation } from './recommend';

/** The contract's nine columns, then our own additions. */
export const REVIEW_CSV_HEADER: readonly string[] = [
  'Assignment ID',
  'Display name',
  'User principal name',
  'Decision',
  'Justification',
  'Reviewer',
  'Decided (UTC)',
  'Recommendation',
  'Stale reasons',
  'Recommendation reasons',
  'State',
  'Still assigned',
];

/** What the panel knows of an assignment now (absent: it is no longer in the package). */
export interface CurrentFacts {
  displayName: string;
  principalName: string;
  state: string;
  staleReasons: readonly string[];
  recommendation: Recommendation;
  recommendationReasons: readonly string[];
}

const recommendationCell = (r: Recommendation | undefined): string => (r === 'keep' || r === 'remove' ? r : '');

/** One record per assignment in the review; facts from now where the assignment still exists, else as decided. */
export function reviewRecords(review: Review, current: (id: string) => CurrentFacts | undefined): string[][] {
  return review.rows.map((row: ReviewRow) => recordOf(row, review.decisions[row.id], current(row.id)));
}

function recordOf(row: ReviewRow, d: DecisionRecord | undefined, now: CurrentFacts | undefined): string[] {
  // The stored facts are unpacked only for an assignment that is gone (the rest are described as they are now).
  const then: RowFacts | undefined = now || !d ? undefined : unpackFacts(d.facts);
  const facts: CurrentFacts | RowFacts | undefined = now ?? then;
  return [
    row.id,
    now?.displayName ?? then?.displayName ?? row.displayName,
    now?.principalName ?? then?.principalName ?? row.principalName,
    d?.decision ?? '',
    d?.justification ?? '',
    d?.reviewer ?? '',
    d?.at ?? '',
    recommendationCell(facts?.recommendation),
    (facts?.staleReasons ?? []).join('; '),
    (facts?.recommendationReasons ?? []).join('; '),
    facts?.state ?? '',
    String(now !== undefined),
  ];
}

/**
 * The review CSV, written straight into one string: no table of records is built first, and the cells a bulk
 * decision shares (decision, justification, reviewer, time) are quoted once per distinct value, not per row.
 */
export function reviewCsv(review: Review, current: (id: string) => CurrentFacts | undefined): string {
  const cell = new Map<string, string>();
  const shared = (v: string): string => {
    let c = cell.get(v);
    if (c === undefined) cell.set(v, (c = csvCell(v)));
    return c;
  };
  const parts: string[] = [recordsToCsv(REVIEW_CSV_HEADER, [])];
  for (const row of review.rows) {
    const d = review.decisions[row.id];
    const now = current(row.id);
    if (!now) {
      parts.push(`${recordOf(row, d, now).map(csvCell).join(',')}\r\n`);
      continue;
    }
    parts.push(
      `${csvCell(row.id)},${csvCell(now.displayName)},${csvCell(now.principalName)},${d ? shared(d.decision) : ''},${d ? shared(d.justification) : ''},${d ? shared(d.reviewer) : ''},${d ? shared(d.at) : ''},` +
        `${recommendationCell(now.recommendation)},${shared(now.staleReasons.join('; '))},${shared(now.recommendationReasons.join('; '))},${shared(now.state)},true\r\n`,
    );
  }
  return parts.join('');
}

/** `<access package name>-review-<yyyyMMdd-HHmmss>.csv` with the CSV export's file-name rules. */
export function reviewFileName(packageName: string, now: Date, ext: 'csv' | 'json' = 'csv'): string {
  // csvFileName owns the character replacement, length limit and UTC stamp; only the middle word differs.
  return csvFileName(packageName, 'all', now).replace(/-assignments-all-(\d{8}-\d{6})\.csv$/, `-review-$1.${ext}`);
}

/** The JSON evidence: the review itself, plus when and by whom it was exported. */
export function reviewJson(review: Review, exportedBy: string, exportedAt: string): string {
  // Facts are kept packed; the file spells them out (the format an import reads back).
  const decisions: Record<string, Omit<DecisionRecord, 'facts'> & { facts: RowFacts }> = {};
  for (const [id, d] of Object.entries(review.decisions)) decisions[id] = { ...d, facts: unpackFacts(d.facts) };
  return JSON.stringify({ ...review, decisions, exportedBy, exportedAt }, null, 2);
}

// ---------------------------------------------------------------- import

export type ImportResult = { ok: true; review: Review } | { ok: false; reason: 'malformed' | 'wrong-package'; detail: string };

/** Files larger than this are refused before parsing (100,000 decisions with facts fit well within it). */
export const MAX_IMPORT_CHARS = 200_000_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isIso = (v: unknown): v is string => isStr(v) && !Number.isNaN(Date.parse(v));
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const DECISIONS: readonly string[] = ['keep', 'remove'];
const RECOMMENDATIONS: readonly string[] = ['keep', 'remove', 'none'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function facts(v: unknown): RowFacts | null {
  if (!isObj(v)) return null;
  if (!isStr(v.displayName) || !isStr(v.principalName) || !isStr(v.state) || !isStrList(v.staleReasons)) return null;
  if (!(v.expiry === null || isStr(v.expiry)) || !(v.activity === null || isStr(v.activity))) return null;
  if (!isStr(v.recommendation) || !RECOMMENDATIONS.includes(v.recommendation) || !isStrList(v.recommendationReasons)) return null;
  return {
    displayName: v.displayName,
    principalName: v.principalName,
    state: v.state,
    staleReasons: v.staleReasons,
    expiry: v.expiry,
    activity: v.activity,
    recommendation: v.recommendation as Recommendation,
    recommendationReasons: v.recommendationReasons as RowFacts['recommendationReasons'],
  };
}

/**
 * Reads an exported review for package `packageId`. A file that is not one of ours, is damaged, or belongs to
 * another package is refused with the reason; nothing is taken from it then.
 */
export function parseReviewFile(text: string, packageId: string): ImportResult {
  const bad = (detail: string): ImportResult => ({ ok: false, reason: 'malformed', detail });
  if (text.length > MAX_IMPORT_CHARS) return bad('too large');
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return bad('not JSON');
  }
  if (!isObj(data) || data.format !== REVIEW_FORMAT || data.version !== 1) return bad('not a review export');
  const d = data;
  if (!isStr(d.id) || !isStr(d.packageId) || !GUID.test(d.packageId) || !isStr(d.packageName)) return bad('identity');
  if (!isObj(d.scope) || (d.scope.kind !== 'all' && d.scope.kind !== 'filter') || !isStr(d.scope.filter)) return bad('scope');
  if (!isStr(d.reviewer) || !isIso(d.startedAt)) return bad('reviewer or start');
  if (!(d.endedAt === null || isIso(d.endedAt)) || !(d.appliedAt === null || isIso(d.appliedAt))) return bad('end');
  if (typeof d.staleAfterDays !== 'number' || !Number.isFinite(d.staleAfterDays)) return bad('stale threshold');
  if (!Array.isArray(d.rows) || !isObj(d.decisions)) return bad('rows');
  const rows: ReviewRow[] = [];
  const ids = new Set<string>();
  for (const r of d.rows) {
    if (!isObj(r) || !isStr(r.id) || r.id === '' || !isStr(r.displayName) || !isStr(r.principalName) || ids.has(r.id)) return bad('row');
    ids.add(r.id);
    rows.push({ id: r.id, displayName: r.displayName, principalName: r.principalName });
  }
  const decisions: Record<string, DecisionRecord> = {};
  for (const [id, v] of Object.entries(d.decisions)) {
    if (!ids.has(id) || !isObj(v)) return bad('decision for an assignment not in the review');
    const f = facts(v.facts);
    if (!isStr(v.decision) || !DECISIONS.includes(v.decision) || !isStr(v.justification) || !isStr(v.reviewer) || !isIso(v.at) || !f) {
      return bad('decision');
    }
    if (v.decision === 'remove' && v.justification.trim() === '') return bad('remove decision without a justification');
    decisions[id] = { decision: v.decision as Decision, justification: v.justification, reviewer: v.reviewer, at: v.at, facts: packFacts(f) };
  }
  if (d.packageId.toLowerCase() !== packageId.toLowerCase()) {
    return { ok: false, reason: 'wrong-package', detail: d.packageName || d.packageId };
  }
  return {
    ok: true,
    review: {
      format: REVIEW_FORMAT,
      version: 1,
      id: d.id,
      packageId,
      packageName: d.packageName,
      scope: { kind: d.scope.kind, filter: d.scope.filter },
      rows,
      reviewer: d.reviewer,
      startedAt: d.startedAt,
      endedAt: (d.endedAt as string | null) ?? null,
      appliedAt: (d.appliedAt as string | null) ?? null,
      staleAfterDays: d.staleAfterDays,
      decisions,
    },
  };
}
