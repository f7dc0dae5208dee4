// The one typed protocol between the contexts.
//
//   panel/content script  --(Port "panel")-->  worker      PanelRequest
//   worker                --(Port "panel")-->  panel       WorkerEvent
//   worker                --(runtime msg)-->   auth broker BrokerRequest / BrokerResponse
//
// The panel keeps one long-lived Port open while it is shown: it carries requests and events and keeps the
// MV3 worker (or Firefox event page) alive during a long fetch. Tokens never appear in any message here
// except BrokerResponse, which travels only between the worker and the broker (both extension contexts).

import { parseAnswers, type QuestionAnswer } from './core/questions';
import type {
  MissingPart,
  PackageInfo,
  PolicyInfo,
  Row,
  SignInAvailability,
  UserInfo,
} from './core/model';
import { parseAccessRequest, type AccessEvent, type AccessRequest } from './protocol/access';
import { parseDetailsRequest, type DetailsEvent, type DetailsRequest } from './protocol/details';
import { isReviewEvent, parseReviewRequest, type ReviewEvent, type ReviewRequest } from './protocol/review';
import { isOverviewEvent, parseOverviewRequest, type OverviewEvent, type OverviewRequest } from './protocol/overview';

export const PANEL_PORT = 'panel';

// ---------------------------------------------------------------- panel -> worker

export type PanelRequest =
  /** Show this package: cached rows at once (if any), then a fresh fetch. `refresh` skips the cache. */
  | { type: 'open'; packageId: string; refresh?: boolean }
  /** Stop the running fetch (panel closed, route changed). */
  | { type: 'cancel' }
  /** Interactive sign-in, sent on a user's click only. */
  | { type: 'sign-in' }
  | { type: 'sign-out' }
  /**
   * Remove these assignments (adminRemove). `batchId` is chosen by the panel and makes the call idempotent.
   * `labels` (optional, same order as `assignmentIds`): what a human recognises, for the action log.
   */
  | { type: 'remove'; batchId: string; packageId: string; assignmentIds: string[]; filter: string; labels?: string[] }
  /** Direct add (adminAdd) of users with a policy. `labels` as for 'remove', in `userIds` order. */
  | {
      type: 'add';
      batchId: string;
      packageId: string;
      policyId: string;
      userIds: string[];
      start?: string | null;
      end?: string | null;
      labels?: string[];
      /** Answers to the policy's requestor questions (sent with every request of the batch). */
      answers?: QuestionAnswer[];
    }
  /** Retry the failed entries of an earlier batch. */
  | { type: 'retry-actions'; batchId: string }
  /** Directory search for direct add (debounced by the panel). */
  | { type: 'search-users'; query: string; seq: number }
  /** On-demand delivery status for these assignments (matching assignment requests). */
  | { type: 'delivery-status'; assignmentIds: string[] }
  /** Ask for the action log of a package. */
  | { type: 'action-log'; packageId: string }
  /** Sent every ~20 s while the panel is shown: port traffic keeps the MV3 worker alive during long work. */
  | { type: 'ping' }
  /** The access check (src/protocol/access.ts). */
  | AccessRequest
  /** Assignment details, reprocess and extend (src/protocol/details.ts). */
  | DetailsRequest
  /** Review mode (src/protocol/review.ts). */
  | { type: 'review'; request: ReviewRequest }
  /** The overview across packages (src/protocol/overview.ts). */
  | { type: 'overview'; request: OverviewRequest };

// ---------------------------------------------------------------- content script -> worker (one-shot message)

/**
 * `inject-panel`: the content script saw an access package route, and the worker injects the panel bundle into
 * that frame. `panel-messages`: the panel, starting, asks for its message catalogue (src/background/catalogue.ts).
 */
export type ContentRequest = { type: 'inject-panel' } | { type: 'panel-messages' };

const CONTENT_REQUESTS: ReadonlySet<unknown> = new Set(['inject-panel', 'panel-messages']);

export function isContentRequest(msg: unknown): msg is ContentRequest {
  return !!msg && typeof msg === 'object' && CONTENT_REQUESTS.has((msg as { type?: unknown }).type);
}

/** The worker's answer to `panel-messages`: lower-cased key → the i18n API's message. */
export interface PanelMessagesReply {
  messages: Record<string, string>;
}

// ---------------------------------------------------------------- worker -> panel

export type AuthState =
  | { status: 'not-configured'; message: string }
  | { status: 'signed-out'; message?: string }
  | { status: 'signing-in' }
  | { status: 'signed-in'; username: string; name?: string };

export interface LoadProgress {
  pages: number;
  rows: number;
  partitionsDone: number;
  partitionsTotal: number;
}

export interface ActionEntry {
  batchId: string;
  kind: 'remove' | 'add' | 'reprocess' | 'extend';
  /** assignment id (remove) or user id (add) */
  key: string;
  /** what a human recognises: display name / UPN */
  label: string;
  packageId: string;
  policyId?: string;
  /** who did it (the signed-in admin's UPN) */
  actor: string;
  /** pending: not answered yet; done: accepted by Graph; failed: Graph's code and message */
  result: 'pending' | 'done' | 'failed';
  code?: string;
  message?: string;
  requestId?: string;
  /** ISO time of the last change */
  at: string;
  /** remove: the filter that produced the selection, in words */
  filter?: string;
  /** add: the requested start and end (ISO), kept so a retry sends the same request; extend: the new expiry */
  start?: string | null;
  end?: string | null;
  /** add: the answers to the policy's requestor questions, kept so a retry sends the same request */
  answers?: QuestionAnswer[];
  /** What the refreshes after acceptance showed, e.g. "accepted by Graph; still listed after 5 refreshes". */
  note?: string;
  /** reprocess: the failed request reprocessed (absent: the assignment itself was reprocessed). */
  reprocessRequestId?: string;
}

export interface DeliveryStatus {
  assignmentId: string;
  requestId: string;
  requestType: string;
  state: string;
  status: string;
  createdDateTime: string | null;
  completedDateTime: string | null;
}

export interface DirectoryUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string;
}

export type WorkerEvent =
  | { type: 'auth'; auth: AuthState }
  /** A load begins. Rows of a new loadId replace the old ones when it completes. */
  | { type: 'load-start'; packageId: string; loadId: string; fromCache: boolean; fetchedAt?: string }
  | { type: 'package'; loadId: string; info: PackageInfo; policies: PolicyInfo[] }
  | { type: 'rows'; loadId: string; rows: Row[] }
  | { type: 'progress'; loadId: string; progress: LoadProgress }
  | { type: 'users'; loadId: string; users: UserInfo[] }
  | { type: 'sign-in-data'; loadId: string; availability: SignInAvailability; cachedAt?: string }
  | {
      type: 'load-done';
      loadId: string;
      packageId: string;
      total: number;
      fetchedAt: string;
      /** Pages that finally failed: the panel names them and offers a retry. Empty when complete. */
      missing: MissingPart[];
      /** True while enrichment (users) is still arriving after the rows. */
      enriching: boolean;
      /** What the listing noticed and worked around (core/notes.ts), shown with the list; absent: nothing. */
      notes?: string[];
    }
  /** `notes`: what reading the users noticed (e.g. account data unreadable for some), added to the list's. */
  | { type: 'enrich-done'; loadId: string; notes?: string[] }
  /** Sign-in reads still to go and how long they take at most at Graph's pace (`left` 0: none). */
  | { type: 'sign-in-left'; loadId: string; left: number; etaMs: number }
  | { type: 'load-error'; loadId: string; packageId: string; message: string; code?: string }
  | { type: 'actions'; packageId: string; entries: ActionEntry[] }
  | { type: 'search-results'; seq: number; users: DirectoryUser[]; error?: string }
  /** `requested`: the assignment ids asked about (those without a status have no matching request). */
  | { type: 'delivery'; statuses: DeliveryStatus[]; requested?: string[]; error?: string }
  | { type: 'roles'; packageId: string; canWrite: boolean | 'unknown'; roles: string[]; explanation: string }
  /** The access check (src/protocol/access.ts). */
  | AccessEvent
  /** Assignment details, reprocess and extend plans (src/protocol/details.ts). */
  | DetailsEvent
  /** Review mode (src/protocol/review.ts). */
  | { type: 'review'; event: ReviewEvent }
  /** The overview across packages (src/protocol/overview.ts). */
  | { type: 'overview'; event: OverviewEvent };

// ---------------------------------------------------------------- worker <-> auth broker

export type BrokerRequest =
  | { target: 'broker'; type: 'authorize-url'; config: BrokerConfig; scopes: string[]; interactive: boolean }
  | { target: 'broker'; type: 'complete-redirect'; config: BrokerConfig; hash: string | null }
  | { target: 'broker'; type: 'silent-token'; config: BrokerConfig; scopes: string[]; forceRefresh?: boolean }
  | { target: 'broker'; type: 'sign-out'; config: BrokerConfig };

export interface BrokerConfig {
  clientId: string;
  authority: string;
  redirectUri: string;
}

export type BrokerResponse =
  | { ok: true; url?: string; accessToken?: string; expiresOn?: number; username?: string; name?: string }
  | { ok: false; errorCode: string; message: string };

// ---------------------------------------------------------------- validation

const str = (v: unknown): v is string => typeof v === 'string';
const strArray = (v: unknown, max = 100_000): v is string[] =>
  Array.isArray(v) && v.length <= max && v.every(str);
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Absent, or one string per id. */
const optLabels = (v: unknown, ids: string[]): boolean => v === undefined || (strArray(v) && v.length === ids.length);

/** Checks the shape of what arrives from a panel port. Anything else is dropped by the worker. */
export function parsePanelRequest(msg: unknown): PanelRequest | null {
  if (!msg || typeof msg !== 'object') return null;
  const m = msg as Record<string, unknown>;
  switch (m.type) {
    case 'open':
      return str(m.packageId) && guid.test(m.packageId) && (m.refresh === undefined || typeof m.refresh === 'boolean')
        ? { type: 'open', packageId: m.packageId, refresh: m.refresh as boolean | undefined }
        : null;
    case 'cancel':
    case 'sign-in':
    case 'sign-out':
    case 'ping':
      return { type: m.type };
    case 'remove':
      return str(m.batchId) && str(m.packageId) && guid.test(m.packageId) && strArray(m.assignmentIds) && str(m.filter) &&
        optLabels(m.labels, m.assignmentIds)
        ? {
            type: 'remove',
            batchId: m.batchId,
            packageId: m.packageId,
            assignmentIds: m.assignmentIds,
            filter: m.filter,
            ...(m.labels !== undefined ? { labels: m.labels as string[] } : {}),
          }
        : null;
    case 'add':
      return str(m.batchId) &&
        str(m.packageId) &&
        guid.test(m.packageId) &&
        str(m.policyId) &&
        strArray(m.userIds, 1000) &&
        (m.start == null || str(m.start)) &&
        (m.end == null || str(m.end)) &&
        optLabels(m.labels, m.userIds) &&
        (m.answers === undefined || parseAnswers(m.answers) !== null)
        ? {
            type: 'add',
            batchId: m.batchId,
            packageId: m.packageId,
            policyId: m.policyId,
            userIds: m.userIds,
            start: (m.start as string | null | undefined) ?? null,
            end: (m.end as string | null | undefined) ?? null,
            ...(m.labels !== undefined ? { labels: m.labels as string[] } : {}),
            ...(m.answers !== undefined ? { answers: parseAnswers(m.answers) ?? [] } : {}),
          }
        : null;
    case 'retry-actions':
      return str(m.batchId) ? { type: 'retry-actions', batchId: m.batchId } : null;
    case 'search-users':
      return str(m.query) && m.query.length <= 200 && typeof m.seq === 'number'
        ? { type: 'search-users', query: m.query, seq: m.seq }
        : null;
    case 'delivery-status':
      return strArray(m.assignmentIds, 500) ? { type: 'delivery-status', assignmentIds: m.assignmentIds } : null;
    case 'action-log':
      return str(m.packageId) && guid.test(m.packageId) ? { type: 'action-log', packageId: m.packageId } : null;
    case 'review': {
      const request = parseReviewRequest(m.request);
      return request ? { type: 'review', request } : null;
    }
    case 'overview': {
      const request = parseOverviewRequest(m.request);
      return request ? { type: 'overview', request } : null;
    }
    default:
      return parseAccessRequest(m) ?? parseDetailsRequest(m);
  }
}

export { isOverviewEvent, isReviewEvent };
