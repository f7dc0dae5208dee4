// Writes (adminRemove / adminAdd assignment requests), delivery status and the directory search for
// direct add.
//
// Every item of a submission ends as exactly one result:
//   done    Graph accepted the request (its id and state returned);
//   failed  Graph refused it (its own code and message), or it was never sent (cancelled, invalid key);
//   pending it was sent and no answer came (network failure, or cancelled while open): it may have been
//           accepted, so it must not be blindly resent; check delivery status first.
// Within one call a key is sent at most once (input deduplicated, no resend after an ambiguous failure).
// Throttling (429/503) is retried by the client with Retry-After: those answers mean "not processed".
import { normaliseUser, toIsoUtc } from '../core/normalise';
import { graphAnswers, type QuestionAnswer } from '../core/questions';
import { REMOVAL_REQUEST_TYPES } from '../core/request-types';
import { odataString, packageFilter } from '../core/partition';
import { createRateLimiter, WRITE_WINDOW, type RateLimiter } from '../core/ratelimit';
import { abortError } from '../core/retry';
import { t } from '../core/i18n';
import type { DeliveryStatus, DirectoryUser } from '../messages';
import { listAll } from './assignments';
import { GraphError, type Graph } from './client';
import { explainForbidden } from './roles';

const EM = 'identityGovernance/entitlementManagement';
/** Graph's evolvable-enum opt-in: members added after unknownFutureValue are sent by name. */
export const INCLUDE_UNKNOWN_ENUMS = 'include-unknown-enum-members';
export { REMOVAL_REQUEST_TYPES };
const REQUESTS = `${EM}/assignmentRequests`;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** At most this many write requests in flight. */
export const MAX_WRITE_CONCURRENCY = 4;

export type WriteOutcome =
  | { key: string; result: 'done'; requestId: string; state: string; status: string }
  | { key: string; result: 'failed'; status: number; code: string; message: string; explanation?: string }
  | { key: string; result: 'pending'; message: string };

export interface SubmitOptions {
  graph: Graph;
  signal?: AbortSignal;
  /** Requests in flight (capped at 4). */
  concurrency?: number;
  /** Write pacing; default: Graph's documented write limit. Share one across calls to pace them together. */
  limiter?: RateLimiter;
  /** Just before an item's request is sent. */
  onSending?(key: string): void;
  /** Each item's final result, as it comes. */
  onResult(r: WriteOutcome): void;
}

export interface RemovalOptions extends SubmitOptions {
  assignmentIds: readonly string[];
}

export interface AddOptions extends SubmitOptions {
  packageId: string;
  policyId: string;
  userIds: readonly string[];
  /** ISO start (default: now, when an end is given). */
  start?: string | null;
  /** ISO end; none: the policy's own expiration applies. */
  end?: string | null;
  /** Answers to the policy's requestor questions, sent in every request. */
  answers?: readonly QuestionAnswer[];
}

/** One adminRemove request per assignment (there is no DELETE on assignments). */
export function submitRemovals(o: RemovalOptions): Promise<WriteOutcome[]> {
  return submitAll(o, o.assignmentIds, 'remove', (id) => ({ requestType: 'adminRemove', assignment: { id } }));
}

/** One adminAdd request per user, under the given policy. */
export function submitAdds(o: AddOptions): Promise<WriteOutcome[]> {
  if (!GUID.test(o.packageId) || o.policyId === '') throw new RangeError('a direct add needs a package id and a policy id');
  const schedule = addSchedule(o.start ?? null, o.end ?? null, o.graph.timing.now());
  const answers = graphAnswers(o.answers ?? []);
  return submitAll(o, o.userIds, 'add', (targetId) => ({
    requestType: 'adminAdd',
    assignment: { targetId, assignmentPolicyId: o.policyId, accessPackageId: o.packageId },
    ...(schedule ? { schedule } : {}),
    ...(answers.length > 0 ? { answers } : {}),
  }));
}

function addSchedule(start: string | null, end: string | null, now: number): Record<string, unknown> | null {
  const s = toIsoUtc(start);
  const e = toIsoUtc(end);
  if (s === null && e === null) return null;
  return {
    startDateTime: s ?? new Date(now).toISOString(),
    expiration: e ? { type: 'afterDateTime', endDateTime: e } : { type: 'noExpiration' },
  };
}

async function submitAll(
  o: SubmitOptions,
  keys: readonly string[],
  action: 'remove' | 'add',
  bodyFor: (key: string) => unknown,
): Promise<WriteOutcome[]> {
  const { graph, signal } = o;
  const limiter = o.limiter ?? createRateLimiter({ ...WRITE_WINDOW, now: graph.timing.now, sleep: graph.timing.sleep });
  const unique = [...new Set(keys)];
  const results: WriteOutcome[] = [];
  const report = (r: WriteOutcome): void => {
    results.push(r);
    o.onResult(r);
  };
  const notSent = (key: string, why: string): void =>
    report({ key, result: 'failed', status: 0, code: 'NotSent', message: why });

  const queue: string[] = [];
  for (const key of unique) {
    if (GUID.test(key)) queue.push(key);
    else report({ key, result: 'failed', status: 0, code: 'InvalidId', message: t('graph_write_not_object_id', { id: key }) });
  }

  const worker = async (): Promise<void> => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
      if (signal?.aborted) {
        notSent(key, t('graph_write_cancelled_before'));
        continue;
      }
      let release: () => void;
      try {
        release = await limiter.acquire(signal);
      } catch {
        notSent(key, t('graph_write_cancelled_before'));
        continue;
      }
      o.onSending?.(key);
      try {
        const body = await graph.post<Record<string, unknown> | undefined>(REQUESTS, bodyFor(key), { signal });
        report({
          key,
          result: 'done',
          requestId: str(body?.id),
          state: str(body?.state) || str(body?.requestState),
          status: str(body?.status) || str(body?.requestStatus),
        });
      } catch (e) {
        if (signal?.aborted) {
          report({ key, result: 'pending', message: t('graph_write_cancelled_open') });
        } else if (e instanceof GraphError && e.code === 'NetworkError') {
          report({ key, result: 'pending', message: t('graph_write_no_answer', { message: e.message }) });
        } else if (e instanceof GraphError) {
          report({
            key,
            result: 'failed',
            status: e.status,
            code: e.code,
            message: e.message,
            ...(e.status === 403 ? { explanation: explainForbidden(e, action) } : {}),
          });
        } else {
          report({ key, result: 'failed', status: 0, code: 'Error', message: e instanceof Error ? e.message : String(e) });
        }
      } finally {
        release();
      }
    }
  };
  const n = Math.max(1, Math.min(MAX_WRITE_CONCURRENCY, Math.floor(o.concurrency ?? MAX_WRITE_CONCURRENCY), queue.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

// ---------------------------------------------------------------- delivery status

/**
 * The newest assignment request behind each of these assignments (requests of the package, with their
 * assignment expanded). Assignments without a matching request are absent from the answer.
 */
export async function fetchDeliveryStatus(
  graph: Graph,
  packageId: string,
  assignmentIds: readonly string[],
  signal?: AbortSignal,
): Promise<DeliveryStatus[]> {
  const wanted = new Set(assignmentIds);
  if (wanted.size === 0) return [];
  // Request types added after unknownFutureValue (approverRemove) arrive by name only with this header:
  // the "is it gone?" check must see every kind of removal as one.
  const raws = await listAll(graph, `${REQUESTS}?$filter=${encodeURIComponent(packageFilter(packageId))}&$expand=assignment`, signal, {
    Prefer: INCLUDE_UNKNOWN_ENUMS,
  });
  const newest = new Map<string, { at: number; status: DeliveryStatus }>();
  for (const raw of raws) {
    const r = raw as Record<string, unknown>;
    const assignment = (r.assignment ?? r.accessPackageAssignment) as Record<string, unknown> | null | undefined;
    const assignmentId = str(assignment?.id);
    if (!wanted.has(assignmentId)) continue;
    const created = toIsoUtc(r.createdDateTime);
    const at = created ? Date.parse(created) : -Infinity;
    const prev = newest.get(assignmentId);
    if (prev && prev.at >= at) continue;
    newest.set(assignmentId, {
      at,
      status: {
        assignmentId,
        requestId: str(r.id),
        requestType: str(r.requestType),
        state: str(r.state) || str(r.requestState),
        status: str(r.status) || str(r.requestStatus),
        createdDateTime: created,
        completedDateTime: toIsoUtc(r.completedDateTime),
      },
    });
  }
  return [...newest.values()].map((x) => x.status);
}

// ---------------------------------------------------------------- directory search (direct add)

const USER_FIELDS = 'id,displayName,userPrincipalName,mail';
export const SEARCH_TOP = 20;

/**
 * Users matching `query` by display name, UPN or mail (prefix match, top 20): `$search` (an advanced
 * query, ConsistencyLevel: eventual), falling back to `startswith` filters where $search is refused. An
 * object id is looked up directly.
 */
export async function searchUsers(graph: Graph, query: string, signal?: AbortSignal): Promise<DirectoryUser[]> {
  const q = query.trim();
  if (q === '') return [];
  if (GUID.test(q)) {
    try {
      const u = await graph.get<unknown>(`users/${q}?$select=${USER_FIELDS}`, { signal });
      return [directoryUser(u)].filter((x): x is DirectoryUser => x !== null);
    } catch (e) {
      if (signal?.aborted) throw abortError(signal);
      if (e instanceof GraphError && e.status === 404) return [];
      throw e;
    }
  }
  // Inside a $search phrase a double quote or backslash would end or escape it: they are dropped.
  const term = q.replace(/["\\]/g, '');
  try {
    const search = ['displayName', 'userPrincipalName', 'mail'].map((f) => `"${f}:${term}"`).join(' OR ');
    const page = await graph.get<{ value?: unknown[] }>(
      `users?$search=${encodeURIComponent(search)}&$select=${USER_FIELDS}&$top=${SEARCH_TOP}&$count=true`,
      { signal, headers: { ConsistencyLevel: 'eventual' } },
    );
    return directoryUsers(page);
  } catch (e) {
    if (signal?.aborted) throw abortError(signal);
    if (!(e instanceof GraphError) || e.status !== 400) throw e;
  }
  const lit = odataString(q);
  const filter = `startswith(displayName,${lit}) or startswith(userPrincipalName,${lit}) or startswith(mail,${lit})`;
  const page = await graph.get<{ value?: unknown[] }>(`users?$filter=${encodeURIComponent(filter)}&$select=${USER_FIELDS}&$top=${SEARCH_TOP}`, { signal });
  return directoryUsers(page);
}

function directoryUsers(page: { value?: unknown[] } | undefined): DirectoryUser[] {
  const out: DirectoryUser[] = [];
  for (const raw of Array.isArray(page?.value) ? page.value : []) {
    const u = directoryUser(raw);
    if (u) out.push(u);
    if (out.length === SEARCH_TOP) break;
  }
  return out;
}

function directoryUser(raw: unknown): DirectoryUser | null {
  const base = normaliseUser(raw);
  if (!base) return null;
  const r = raw as Record<string, unknown>;
  return { id: base.id, displayName: str(r.displayName), userPrincipalName: str(r.userPrincipalName), mail: str(r.mail) };
}
