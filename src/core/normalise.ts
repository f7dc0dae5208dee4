// Graph payloads → the shared row model. Everything here is defensive: Graph objects arrive as `unknown`,
// a malformed element becomes a row that says what is wrong, and nothing is ever dropped or thrown.
import type { CalloutInstance, PackageInfo, PolicyInfo, Row, UserInfo } from './model';
import { normaliseQuestions } from './questions';
import { t } from './i18n';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const field = (o: unknown, key: string): unknown => (isObj(o) ? o[key] : undefined);

/** Text as Graph sent it: strings verbatim (markup, RTL, control chars included), scalars via String(). */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return '';
}

/** A non-empty string (ids): anything else is null. */
function idOrNull(v: unknown): string | null {
  const s = text(v);
  return s === '' ? null : s;
}

const firstObj = (...vs: unknown[]): Obj | undefined => vs.find(isObj) as Obj | undefined;

/** The prefix of the synthetic id given to an assignment that arrived without one. */
export const SYNTHETIC_ID_PREFIX = 'unidentified:';

/** True for the id of a row that Graph sent without an id: such a row can be shown and exported, never acted on. */
export function isSyntheticId(id: string): boolean {
  return id.startsWith(SYNTHETIC_ID_PREFIX);
}

// ---------------------------------------------------------------- dates

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * Any ISO 8601 date-time (offset or Z; a missing offset is read as UTC, as Graph's DateTimeOffset is UTC)
 * → `YYYY-MM-DDTHH:mm:ssZ`.
 *
 * Fractional seconds are dropped (truncated): every date in a row then has the same fixed-width form, so
 * CSV cells look alike and string order equals time order. Sub-second precision means nothing for the
 * stale rule or for expiry. Invalid input, Graph's "min date" (year 0001) and results outside years
 * 0001–9999 → null.
 */
export function toIsoUtc(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const canonical = graphUtc(v);
  if (canonical !== null) return canonical;
  const m = ISO_RE.exec(v.trim());
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, , z, sign, ohs, oms] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = hs === undefined ? 0 : Number(hs);
  const minute = mis === undefined ? 0 : Number(mis);
  const second = ss === undefined ? 0 : Number(ss);
  if (year <= 1) return null; // 0001-01-01: Graph's DateTimeOffset.MinValue, "no date"
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (day > daysInMonth(year, month)) return null;
  let offsetMin = 0;
  if (!z && sign) {
    const oh = Number(ohs);
    const om = oms === undefined ? 0 : Number(oms);
    if (oh > 23 || om > 59) return null;
    offsetMin = (sign === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear: Date.UTC would map years 0–99 to 19xx
  d.setUTCHours(hour, minute - offsetMin, second, 0);
  const y = d.getUTCFullYear();
  if (Number.isNaN(y) || y < 1 || y > 9999) return null;
  return (
    `${pad(y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`
  );
}

/**
 * Graph's own form, `YYYY-MM-DDTHH:mm:ss[.f…]Z` with a valid date after year 0001, read by position: nearly
 * every date of a listing has it, and a load normalises several per row, so this skips the regular expression
 * and the Date object. null: anything else, which toIsoUtc then reads in full.
 */
function graphUtc(v: string): string | null {
  const n = v.length;
  if (n < 20 || v.charCodeAt(n - 1) !== 90 /* Z */ || v[4] !== '-' || v[7] !== '-' || v[10] !== 'T' || v[13] !== ':' || v[16] !== ':') return null;
  if (n > 20) {
    if (n === 21 || v[19] !== '.') return null;
    for (let i = 20; i < n - 1; i++) if (digitAt(v, i) < 0) return null;
  }
  const year = digitsAt(v, 0, 4);
  const month = digitsAt(v, 5, 2);
  const day = digitsAt(v, 8, 2);
  const hour = digitsAt(v, 11, 2);
  const minute = digitsAt(v, 14, 2);
  const second = digitsAt(v, 17, 2);
  if (year <= 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  return n === 20 ? v : `${v.slice(0, 19)}Z`;
}

/** The digit at `i` (0–9), or -1. */
function digitAt(v: string, i: number): number {
  const c = v.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** The number written by `width` digits from `at`, or -1 if one of them is not a digit. */
function digitsAt(v: string, at: number, width: number): number {
  let out = 0;
  for (let i = at; i < at + width; i++) {
    const d = digitAt(v, i);
    if (d < 0) return -1;
    out = out * 10 + d;
  }
  return out;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// ---------------------------------------------------------------- assignments

export interface NormalisedAssignments {
  rows: Row[];
  /** One plain-language line per element that could not be read fully (shown by the panel). */
  problems: string[];
}

/**
 * v1.0 accessPackageAssignment objects (expanded with `target` and `assignmentPolicy`) → rows.
 * One row per element, always, in input order. `startIndex` numbers elements when the caller normalises
 * page by page, so synthetic ids stay unique across pages (element #n of the whole list is
 * `startIndex + i + 1`).
 */
export function normaliseAssignments(
  raws: unknown[],
  policyNames?: ReadonlyMap<string, string>,
  startIndex = 0,
): NormalisedAssignments {
  const rows: Row[] = [];
  const problems: string[] = [];
  for (let i = 0; i < raws.length; i++) {
    const n = startIndex + i + 1;
    const raw = raws[i];
    const id = typeof field(raw, 'id') === 'string' ? (field(raw, 'id') as string) : '';
    if (id === '') {
      problems.push(
        isObj(raw)
          ? t('core_assignment_no_id', { n: String(n), id: `${SYNTHETIC_ID_PREFIX}${n}` })
          : t('core_assignment_no_id_sent', { n: String(n), id: `${SYNTHETIC_ID_PREFIX}${n}`, sent: describeValue(raw) }),
      );
    }
    rows.push(assignmentRow(raw, id === '' ? `${SYNTHETIC_ID_PREFIX}${n}` : id, policyNames));
  }
  return { rows, problems };
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return t('core_value_list');
  return t('core_value_type', { type: typeof v });
}

function assignmentRow(raw: unknown, id: string, policyNames?: ReadonlyMap<string, string>): Row {
  // v1.0 names first; the beta names (assignmentState, accessPackageAssignmentPolicy, flat ids) as fallbacks.
  const policy = firstObj(field(raw, 'assignmentPolicy'), field(raw, 'accessPackageAssignmentPolicy'));
  const policyId = text(field(policy, 'id')) || text(field(raw, 'assignmentPolicyId'));
  const policyName = text(field(policy, 'displayName')) || (policyId ? policyNames?.get(policyId) ?? '' : '');
  const schedule = field(raw, 'schedule');
  const target = firstObj(field(raw, 'target'), field(raw, 'accessPackageSubject'));
  const org = field(target, 'connectedOrganization');
  const stateRaw = field(raw, 'state') ?? field(raw, 'assignmentState');
  const statusRaw = field(raw, 'status') ?? field(raw, 'assignmentStatus');
  return {
    id,
    state: text(stateRaw),
    status: text(statusRaw),
    policyId,
    policyName,
    start: toIsoUtc(field(schedule, 'startDateTime')),
    expiry: toIsoUtc(field(field(schedule, 'expiration'), 'endDateTime')),
    subjectId: idOrNull(field(target, 'id')) ?? idOrNull(field(raw, 'targetId')),
    objectId: idOrNull(field(target, 'objectId')),
    displayName: text(field(target, 'displayName')),
    principalName: text(field(target, 'principalName')),
    email: text(field(target, 'email')),
    subjectType: text(field(target, 'subjectType')),
    connectedOrgId: idOrNull(field(org, 'id')),
    connectedOrgName: text(field(org, 'displayName')),
    expired: toIsoUtc(field(raw, 'expiredDateTime')),
    callouts: callouts(field(raw, 'customExtensionCalloutInstances')),
  };
}

function callouts(v: unknown): CalloutInstance[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((c) => ({
    id: text(c.id),
    customExtensionId: text(c.customExtensionId),
    status: text(c.status),
    detail: text(c.detail),
  }));
}

// ---------------------------------------------------------------- users

const nonEmptyOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A /users object (`$select=id,accountEnabled,userType,externalUserState,createdDateTime,signInActivity`). */
export function normaliseUser(raw: unknown): UserInfo | null {
  const id = nonEmptyOrNull(field(raw, 'id'));
  if (id === null) return null;
  const enabled = field(raw, 'accountEnabled');
  const activity = field(raw, 'signInActivity');
  return {
    id,
    deleted: false,
    accountEnabled: typeof enabled === 'boolean' ? enabled : null,
    userType: nonEmptyOrNull(field(raw, 'userType')),
    externalUserState: nonEmptyOrNull(field(raw, 'externalUserState')),
    createdDateTime: toIsoUtc(field(raw, 'createdDateTime')),
    lastSuccessfulSignIn: toIsoUtc(field(activity, 'lastSuccessfulSignInDateTime')),
    lastSignIn: toIsoUtc(field(activity, 'lastSignInDateTime')),
    lastNonInteractiveSignIn: toIsoUtc(field(activity, 'lastNonInteractiveSignInDateTime')),
  };
}

/** The record for a target objectId that no longer resolves to a user. */
export function deletedUser(id: string): UserInfo {
  return {
    id,
    deleted: true,
    accountEnabled: null,
    userType: null,
    externalUserState: null,
    createdDateTime: null,
    lastSuccessfulSignIn: null,
    lastSignIn: null,
    lastNonInteractiveSignIn: null,
  };
}

// ---------------------------------------------------------------- policies and packages

/**
 * A v1.0 accessPackageAssignmentPolicy → PolicyInfo (null without an id).
 *
 * allowsDirectAssignment: an administrator can add an assignment (adminAdd) under any request-based
 * policy — including "None (administrator direct assignments only)", which v1.0 shows as
 * `allowedTargetScope: notSpecified` with empty `specificAllowedTargets` — but not under an automatic
 * assignment policy (one that carries `automaticRequestSettings`): its membership follows a rule.
 * Graph's answer to the adminAdd remains the final word; this only decides what the panel offers.
 *
 * hasQuestions: requestor questions present → the portal allows one user at a time.
 */
export function normalisePolicy(raw: unknown): PolicyInfo | null {
  const id = nonEmptyOrNull(field(raw, 'id'));
  if (id === null) return null;
  // `questions` is a relationship: present only when the policy was read with $expand=questions.
  const raws = field(raw, 'questions');
  const questions = normaliseQuestions(raws);
  return {
    id,
    displayName: text(field(raw, 'displayName')),
    allowsDirectAssignment: !isObj(field(raw, 'automaticRequestSettings')),
    hasQuestions: Array.isArray(raws) && raws.length > 0,
    ...(Array.isArray(raws) ? { questions } : {}),
  };
}

/** A v1.0 accessPackage (optionally with `$expand=catalog`) → PackageInfo. */
export function normalisePackage(raw: unknown): PackageInfo {
  const catalog = field(raw, 'catalog');
  return {
    id: text(field(raw, 'id')),
    displayName: text(field(raw, 'displayName')),
    catalogId: idOrNull(field(catalog, 'id')) ?? idOrNull(field(raw, 'catalogId')),
    catalogName: text(field(catalog, 'displayName')),
  };
}
