// Access package assignment requests: normalised from Graph, indexed by assignment (and by the person, for
// requests whose assignment is gone or never existed), and the pure decisions behind "Reprocess" and
// "Extend". No browser or network API here.
//
// Sources (Graph v1.0):
//  - accessPackageAssignmentRequest properties: DC api-reference/v1.0/resources/accesspackageassignmentrequest.md
//    and the v1.0 schema (requestType, state, status, createdDateTime, completedDateTime, justification,
//    answers, schedule; relationships assignment, requestor).
//  - Reprocess: DC api/accesspackageassignment-reprocess.md (a delivered assignment whose access went
//    missing) and api/accesspackageassignmentrequest-reprocess.md (a request in deliveryFailed or
//    partiallyDelivered; Graph's docs give an age limit of one week in one place and 14 days in another).
import { text, toIsoUtc } from './normalise';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const field = (o: unknown, key: string): unknown => (isObj(o) ? o[key] : undefined);
const idOrNull = (v: unknown): string | null => (text(v) === '' ? null : text(v));

export interface RequestAnswer {
  /** The question's text when Graph sent it (answeredQuestion), else "". */
  question: string;
  /** displayValue, else the string value. */
  answer: string;
}

/** One accessPackageAssignmentRequest as the details view and the reprocess decision use it. */
export interface RequestInfo {
  id: string;
  /** Graph's requestType verbatim ("" when missing). */
  requestType: string;
  /** Graph's state verbatim (v1.0 `state`, beta `requestState`). */
  state: string;
  status: string;
  createdDateTime: string | null;
  completedDateTime: string | null;
  justification: string;
  answers: RequestAnswer[];
  scheduleStart: string | null;
  scheduleEnd: string | null;
  /** The expanded assignment's id (null: Graph sent none, e.g. a request still awaiting approval). */
  assignmentId: string | null;
  /** The assignment as it was expanded (its state may be expired after a removal). */
  assignmentState: string;
  /** The requestor subject: absent (null) when Graph sent none, e.g. the requestor was deleted. */
  requestor: { objectId: string | null; displayName: string; principalName: string; email: string } | null;
}

/** A v1.0 (or beta-shaped) request → RequestInfo; null without an id. Never throws. */
export function normaliseRequest(raw: unknown): RequestInfo | null {
  const id = idOrNull(field(raw, 'id'));
  if (id === null) return null;
  const assignment = field(raw, 'assignment') ?? field(raw, 'accessPackageAssignment');
  const schedule = field(raw, 'schedule');
  const requestor = field(raw, 'requestor');
  const answers: RequestAnswer[] = [];
  const rawAnswers = field(raw, 'answers');
  if (Array.isArray(rawAnswers)) {
    for (const a of rawAnswers) {
      const q = field(a, 'answeredQuestion');
      const answer = text(field(a, 'displayValue')) || text(field(a, 'value'));
      answers.push({ question: text(field(q, 'text')), answer });
    }
  }
  return {
    id,
    requestType: text(field(raw, 'requestType')),
    state: text(field(raw, 'state')) || text(field(raw, 'requestState')),
    status: text(field(raw, 'status')) || text(field(raw, 'requestStatus')),
    createdDateTime: toIsoUtc(field(raw, 'createdDateTime')),
    completedDateTime: toIsoUtc(field(raw, 'completedDateTime')),
    justification: text(field(raw, 'justification')),
    answers,
    scheduleStart: toIsoUtc(field(schedule, 'startDateTime')),
    scheduleEnd: toIsoUtc(field(field(schedule, 'expiration'), 'endDateTime')),
    assignmentId: idOrNull(field(assignment, 'id')),
    assignmentState: text(field(assignment, 'state')),
    requestor: isObj(requestor)
      ? {
          objectId: idOrNull(requestor.objectId),
          displayName: text(requestor.displayName),
          principalName: text(requestor.principalName),
          email: text(requestor.email),
        }
      : null,
  };
}

const createdMs = (r: RequestInfo): number => (r.createdDateTime ? Date.parse(r.createdDateTime) : Number.NEGATIVE_INFINITY);
const byCreated = (a: RequestInfo, b: RequestInfo): number => createdMs(a) - createdMs(b) || a.id.localeCompare(b.id);

/** Self-service request types: the requestor is the person the request is about. */
const SELF_TYPES = new Set(['useradd', 'userupdate', 'userremove', 'userextend']);

/**
 * The requests of one package, by assignment id (oldest first) and, for requests without an assignment,
 * by the person they are about (self-service requests name them as requestor). Built once per listing;
 * lookups are O(1), so opening details on a 100,000-request package costs nothing noticeable.
 */
export class RequestIndex {
  private readonly byAssignment = new Map<string, RequestInfo[]>();
  private readonly byTarget = new Map<string, RequestInfo[]>();
  readonly size: number;

  constructor(requests: readonly RequestInfo[]) {
    const seen = new Set<string>();
    for (const r of requests) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      if (r.assignmentId) push(this.byAssignment, r.assignmentId.toLowerCase(), r);
      else if (r.requestor?.objectId && SELF_TYPES.has(r.requestType.toLowerCase())) push(this.byTarget, r.requestor.objectId.toLowerCase(), r);
    }
    this.size = seen.size;
    for (const list of this.byAssignment.values()) list.sort(byCreated);
    for (const list of this.byTarget.values()) list.sort(byCreated);
  }

  /** Every request Graph lists for this assignment, oldest first. */
  forAssignment(assignmentId: string): readonly RequestInfo[] {
    return this.byAssignment.get(assignmentId.toLowerCase()) ?? [];
  }

  /** Requests about this person that name no assignment (awaiting approval, denied, canceled...). */
  withoutAssignment(objectId: string | null): readonly RequestInfo[] {
    return objectId ? this.byTarget.get(objectId.toLowerCase()) ?? [] : [];
  }

  /** The newest request for the assignment, or null. */
  latest(assignmentId: string): RequestInfo | null {
    const list = this.forAssignment(assignmentId);
    return list.length ? list[list.length - 1] : null;
  }
}

function push(map: Map<string, RequestInfo[]>, key: string, r: RequestInfo): void {
  const list = map.get(key);
  if (list) list.push(r);
  else map.set(key, [r]);
}

// ---------------------------------------------------------------- reprocess

/** Graph's docs disagree (one week / 14 days): past 14 days a request reprocess is not offered at all. */
export const REQUEST_REPROCESS_MAX_DAYS = 14;
const DAY_MS = 86_400_000;
const FAILED_REQUEST_STATES = new Set(['deliveryfailed', 'partiallydelivered']);

export type ReprocessSkip = 'not-found' | 'expired' | 'in-progress' | 'failed-no-request' | 'request-too-old' | 'unknown-state';

export type ReprocessDecision =
  | { action: 'assignment'; assignmentId: string }
  | { action: 'request'; assignmentId: string; requestId: string; requestState: string }
  | { action: 'skip'; assignmentId: string; reason: ReprocessSkip; state: string; requestId?: string; ageDays?: number };

/**
 * Which reprocess Graph v1.0 documents for this assignment's situation: its newest request failed or was
 * partially delivered → reprocess that request (within the age limit); otherwise a delivered assignment is
 * reprocessed itself; anything else is skipped with the reason.
 */
export function reprocessDecision(
  assignment: { id: string; state: string } | null,
  assignmentId: string,
  latest: RequestInfo | null,
  now: number,
): ReprocessDecision {
  if (!assignment) return { action: 'skip', assignmentId, reason: 'not-found', state: '' };
  const state = assignment.state;
  if (latest && FAILED_REQUEST_STATES.has(latest.state.toLowerCase())) {
    const ageDays = latest.createdDateTime ? Math.floor((now - Date.parse(latest.createdDateTime)) / DAY_MS) : Number.POSITIVE_INFINITY;
    if (ageDays > REQUEST_REPROCESS_MAX_DAYS) {
      return { action: 'skip', assignmentId, reason: 'request-too-old', state, requestId: latest.id, ageDays: Number.isFinite(ageDays) ? ageDays : undefined };
    }
    return { action: 'request', assignmentId, requestId: latest.id, requestState: latest.state };
  }
  switch (state.toLowerCase()) {
    case 'delivered':
      return { action: 'assignment', assignmentId };
    case 'expired':
      return { action: 'skip', assignmentId, reason: 'expired', state };
    case 'delivering':
      return { action: 'skip', assignmentId, reason: 'in-progress', state };
    case 'deliveryfailed':
    case 'partiallydelivered':
      return { action: 'skip', assignmentId, reason: 'failed-no-request', state };
    default:
      return { action: 'skip', assignmentId, reason: 'unknown-state', state };
  }
}

// ---------------------------------------------------------------- extend

/** A policy's expiration (accessPackageAssignmentPolicy.expiration, an expirationPattern). */
export interface PolicyExpiration {
  type: string;
  endDateTime: string | null;
  /** ISO 8601 duration, e.g. P365D */
  duration: string | null;
}

export function normaliseExpiration(raw: unknown): PolicyExpiration | null {
  if (!isObj(raw)) return null;
  return { type: text(raw.type), endDateTime: toIsoUtc(raw.endDateTime), duration: idOrNull(raw.duration) };
}

/** Days in an ISO 8601 duration of days, weeks, hours (P90D, P2W, PT48H, P1Y taken as 365 days); null if not understood. */
export function durationDays(d: string | null): number | null {
  if (!d) return null;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/i.exec(d.trim());
  if (!m || d.trim().toUpperCase() === 'P' || d.trim().toUpperCase() === 'PT') return null;
  const [, y, mo, w, days, h, min] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return y * 365 + mo * 30 + w * 7 + days + h / 24 + min / 1440;
}

/** The latest expiry the policy allows for an assignment extended now: null = no limit; undefined = unknown. */
export function maxExtendEnd(exp: PolicyExpiration | null, now: number): string | null | undefined {
  if (!exp) return undefined;
  switch (exp.type.toLowerCase()) {
    case 'noexpiration':
      return null;
    case 'afterdatetime':
      return exp.endDateTime ?? undefined;
    case 'afterduration': {
      const days = durationDays(exp.duration);
      return days === null ? undefined : new Date(now + days * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    default:
      return undefined;
  }
}

/** `yyyy-mm-dd` from an <input type="date"> → the end of that day in UTC; null when not a real date. */
export function endOfDayUtc(date: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return null;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export type ExtendRefusal = 'invalid-date' | 'in-past' | 'past-policy-max' | 'not-active';

/** Why this new expiry must not be sent (null: it may). `max` as from maxExtendEnd. */
export function extendRefusal(end: string | null, max: string | null | undefined, state: string, now: number): ExtendRefusal | null {
  if (end === null) return 'invalid-date';
  if (Date.parse(end) <= now) return 'in-past';
  if (state.toLowerCase() !== 'delivered') return 'not-active';
  if (max !== null && max !== undefined && Date.parse(end) > Date.parse(max)) return 'past-policy-max';
  return null;
}
