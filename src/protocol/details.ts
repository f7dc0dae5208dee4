// The details capability's messages: opening one assignment's details (requests, approvals, the person,
// their manager, their other assignments), planning and sending reprocess and extend. Hooked into
// src/messages.ts with one union member each way and one delegating line in each parser.
import type { PolicyExpiration, ReprocessDecision, RequestInfo } from '../core/assignment-requests';

// ---------------------------------------------------------------- panel -> worker

export type DetailsRequest =
  /** Open (or move to) one assignment's details. `seq` ties the answers to this opening. */
  | { type: 'details-open'; seq: number; packageId: string; assignmentId: string; objectId: string | null; policyId: string }
  /** The view closed: what it still fetches is cancelled. */
  | { type: 'details-close' }
  /** What reprocess would do for each assignment, or the policies' limits for extend, before confirming. */
  | { type: 'details-plan'; seq: number; kind: 'reprocess' | 'extend'; packageId: string; assignmentIds: string[] }
  /** Shared with the access check: the worker decides per assignment which reprocess applies, or skips it. */
  | { type: 'reprocess'; batchId: string; packageId: string; assignmentIds: string[]; labels?: string[] }
  /** One adminUpdate request per assignment with this new expiry (ISO, end of the chosen day in UTC). */
  | { type: 'extend'; batchId: string; packageId: string; assignmentIds: string[]; end: string; labels?: string[] };

// ---------------------------------------------------------------- worker -> panel

export interface ApprovalStageInfo {
  displayName: string;
  /** Graph's reviewResult verbatim (NotReviewed, Approved, Denied, ...). */
  reviewResult: string;
  status: string;
  reviewerName: string;
  reviewedDateTime: string | null;
  justification: string;
}

export interface PersonInfo {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string;
  userType: string;
  accountEnabled: boolean | null;
  createdDateTime: string | null;
  externalUserState: string;
  jobTitle: string;
  department: string;
}

export interface OtherAssignment {
  id: string;
  packageId: string;
  packageName: string;
  policyName: string;
  state: string;
  expiry: string | null;
}

/** A part that could not be read: Graph's status (0: no answer) and its message. */
export interface PartError {
  status: number;
  message: string;
}

export interface ExtendPolicyLimit {
  policyId: string;
  policyName: string;
  expiration: PolicyExpiration | null;
  /** the latest allowed expiry for an extension made now; null: no limit; absent: unknown */
  maxEnd?: string | null;
  error?: string;
}

export type DetailsEvent =
  | {
      type: 'details-requests';
      seq: number;
      assignmentId: string;
      requests: RequestInfo[];
      /** Requests about the same person naming no assignment (awaiting approval, denied...). */
      related: RequestInfo[];
      /** When the package's requests were listed (null: not yet). */
      fetchedAt: string | null;
      error?: PartError;
    }
  | { type: 'details-approvals'; seq: number; requestId: string; stages: ApprovalStageInfo[]; error?: PartError }
  | { type: 'details-person'; seq: number; objectId: string; person: PersonInfo | null; error?: PartError }
  | { type: 'details-manager'; seq: number; objectId: string; managerName: string | null; error?: PartError }
  | { type: 'details-others'; seq: number; objectId: string; assignments: OtherAssignment[]; error?: PartError }
  | { type: 'details-policy'; seq: number; limit: ExtendPolicyLimit }
  /** Every part of this opening has been sent. */
  | { type: 'details-done'; seq: number }
  | { type: 'details-plan'; seq: number; kind: 'reprocess'; decisions: ReprocessDecision[]; error?: string }
  | { type: 'details-plan'; seq: number; kind: 'extend'; states: Record<string, { state: string; policyId: string }>; limits: ExtendPolicyLimit[]; error?: string };

// ---------------------------------------------------------------- validation

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string';
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const strArray = (v: unknown, max: number): v is string[] => Array.isArray(v) && v.length <= max && v.every(str);
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isGuid = (v: unknown): v is string => str(v) && guid.test(v);
const optLabels = (v: unknown, ids: string[]): boolean => v === undefined || (strArray(v, ids.length) && v.length === ids.length);

export const DETAILS_REQUEST_TYPES: ReadonlySet<string> = new Set(['details-open', 'details-close', 'details-plan', 'reprocess', 'extend']);

/** The details requests' shapes, or null (the worker drops anything else). */
export function parseDetailsRequest(m: Obj): DetailsRequest | null {
  switch (m.type) {
    case 'details-open':
      return num(m.seq) && isGuid(m.packageId) && str(m.assignmentId) && m.assignmentId.length <= 200 && (m.objectId === null || str(m.objectId)) && str(m.policyId)
        ? { type: 'details-open', seq: m.seq, packageId: m.packageId, assignmentId: m.assignmentId, objectId: m.objectId as string | null, policyId: m.policyId }
        : null;
    case 'details-close':
      return { type: 'details-close' };
    case 'details-plan':
      return num(m.seq) && (m.kind === 'reprocess' || m.kind === 'extend') && isGuid(m.packageId) && strArray(m.assignmentIds, 100_000)
        ? { type: 'details-plan', seq: m.seq, kind: m.kind, packageId: m.packageId, assignmentIds: m.assignmentIds }
        : null;
    case 'reprocess':
      return str(m.batchId) && isGuid(m.packageId) && strArray(m.assignmentIds, 100_000) && optLabels(m.labels, m.assignmentIds)
        ? { type: 'reprocess', batchId: m.batchId, packageId: m.packageId, assignmentIds: m.assignmentIds, ...(m.labels !== undefined ? { labels: m.labels as string[] } : {}) }
        : null;
    case 'extend':
      return str(m.batchId) && isGuid(m.packageId) && strArray(m.assignmentIds, 100_000) && str(m.end) && Number.isFinite(Date.parse(m.end)) && optLabels(m.labels, m.assignmentIds)
        ? { type: 'extend', batchId: m.batchId, packageId: m.packageId, assignmentIds: m.assignmentIds, end: m.end, ...(m.labels !== undefined ? { labels: m.labels as string[] } : {}) }
        : null;
    default:
      return null;
  }
}

export const DETAILS_EVENT_TYPES: ReadonlySet<string> = new Set([
  'details-requests',
  'details-approvals',
  'details-person',
  'details-manager',
  'details-others',
  'details-policy',
  'details-done',
  'details-plan',
]);

/** Checks the discriminating fields of a details event (the panel drops anything else). */
export function isDetailsEvent(m: Obj): boolean {
  if (!num(m.seq)) return false;
  switch (m.type) {
    case 'details-requests':
      return str(m.assignmentId) && Array.isArray(m.requests) && Array.isArray(m.related);
    case 'details-approvals':
      return str(m.requestId) && Array.isArray(m.stages);
    case 'details-person':
      return str(m.objectId) && (m.person === null || isObj(m.person));
    case 'details-manager':
      return str(m.objectId);
    case 'details-others':
      return str(m.objectId) && Array.isArray(m.assignments);
    case 'details-policy':
      return isObj(m.limit) && str(m.limit.policyId);
    case 'details-done':
      return true;
    case 'details-plan':
      return m.kind === 'reprocess' ? Array.isArray(m.decisions) : m.kind === 'extend' && isObj(m.states) && Array.isArray(m.limits);
    default:
      return false;
  }
}

/** The requests the details service answers itself (reprocess and extend go to the action queue). */
export function isDetailsViewRequest(req: { type: string }): req is Extract<DetailsRequest, { type: 'details-open' | 'details-close' | 'details-plan' }> {
  return req.type === 'details-open' || req.type === 'details-close' || req.type === 'details-plan';
}
