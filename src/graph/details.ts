// The Graph reads behind the details view, and the reprocess and extend writes. Every path is Graph v1.0:
//  - Requests of a package: GET entitlementManagement/assignmentRequests?$filter=accessPackage/id eq '<id>'
//    [and state eq '<state>'] &$expand=assignment,requestor,answers/answeredQuestion (DC
//    api/entitlementmanagement-list-assignmentrequests.md: $filter on the package is what is documented, not on
//    one assignment; resources/accesspackageassignmentrequest.md: `state` supports $filter eq; the v1.0 schema:
//    accessPackageAnswer.answeredQuestion is a contained navigation property, so it is sent only when expanded).
//  - Approval stages: GET entitlementManagement/accessPackageAssignmentApprovals/{requestId}/stages (v1.0
//    schema; DC api/approval-list-stages.md: readable by an approver, otherwise 403).
//  - The person: GET users/{id}?$select=... and GET users/{id}/manager (DC api/user-get.md, user-list-manager.md).
//  - Other assignments of one person: GET entitlementManagement/assignments?$filter=target/objectId eq '<id>'
//    &$expand=accessPackage($select=id,displayName),assignmentPolicy($select=id,displayName), or without the
//    options where Graph refuses them (DC api/entitlementmanagement-list-assignments.md).
//  - A policy's expiration: GET entitlementManagement/assignmentPolicies/{id} (expirationPattern).
//  - Reprocess: POST entitlementManagement/assignments/{id}/reprocess (DC api/accesspackageassignment-reprocess.md)
//    and POST entitlementManagement/assignmentRequests/{id}/reprocess (DC
//    api/accesspackageassignmentrequest-reprocess.md); both answer 202 Accepted with no body.
//  - Extend: POST entitlementManagement/assignmentRequests with requestType adminUpdate and a schedule
//    (DC api/entitlementmanagement-post-assignmentrequests.md, "update an assignment's expiration").
import { normaliseExpiration, normaliseRequest, type PolicyExpiration, type RequestInfo } from '../core/assignment-requests';
import { text, toIsoUtc } from '../core/normalise';
import { odataString, planRequestPartitions } from '../core/partition';
import { t, tn } from '../core/i18n';
import type { ApprovalStageInfo, OtherAssignment, PartError, PersonInfo } from '../protocol/details';
import { fetchListing, listAll, listAllExpanding, type ListingKind } from './assignments';
import { GraphError, type Graph } from './client';
import { INCLUDE_UNKNOWN_ENUMS } from './requests';

const EM = 'identityGovernance/entitlementManagement';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const field = (o: unknown, key: string): unknown => (isObj(o) ? o[key] : undefined);

/** Graph's refusal (or the network failure) as the view shows it. */
export function partError(e: unknown): PartError {
  if (e instanceof GraphError) return { status: e.status, message: e.message };
  return { status: 0, message: e instanceof Error ? e.message : String(e) };
}

/** The answers' questions: `answeredQuestion` is a navigation property of the (complex) answer in the v1.0 schema, so it
 * arrives only expanded, through the complex property's path (OData 4.0 $expand: complexProperty/navigationProperty). */
export const REQUEST_EXPAND = 'assignment,requestor,answers/answeredQuestion';
/** Where Graph refuses that path: the answers come without their questions (matched to the policy's by id if any). */
export const REQUEST_EXPAND_PLAIN = 'assignment,requestor';

const REQUEST_EXPANDS = [REQUEST_EXPAND, REQUEST_EXPAND_PLAIN] as const;

function requestsFilterPath(filter: string, level: number): string {
  return `${EM}/assignmentRequests?$filter=${encodeURIComponent(filter)}&$expand=${REQUEST_EXPANDS[level]}`;
}

/** A request as the partitioned listing sees it: by its state (requests have no policy filter). */
export interface ListedRequest {
  id: string;
  state: string;
  policyId: string;
  request: RequestInfo;
}

/** The package's requests through the assignments' partitioned listing (src/graph/assignments.ts). */
export const REQUESTS: ListingKind<ListedRequest> = {
  path: requestsFilterPath,
  expands: REQUEST_EXPANDS,
  expandRefused: (m) => t('graph_expand_refused_requests', { message: m }),
  normalise(raws) {
    const rows: ListedRequest[] = [];
    let dropped = 0;
    for (const raw of raws) {
      const r = normaliseRequest(raw);
      if (r) rows.push({ id: r.id, state: r.state, policyId: '', request: r });
      else dropped++;
    }
    return { rows, problems: dropped > 0 ? [tn('graph_requests_dropped', dropped)] : [] };
  },
  plan: (packageId) => planRequestPartitions(packageId),
  // Request types added after unknownFutureValue (approverRemove) arrive by name only with this preference.
  headers: { Prefer: INCLUDE_UNKNOWN_ENUMS },
  labels: { probe: () => t('graph_listing_requests_probe'), scan: () => t('graph_listing_requests_scan') },
};

export interface PackageRequests {
  requests: RequestInfo[];
  /** Plain-language notes (a refused expansion, guard decisions). */
  problems: string[];
}

/**
 * Every assignment request of the package, through the same partitioned, retried, throttle-aware listing as
 * the assignments (fetchListing: one partition per request state, the unpartitioned listing as the guard,
 * checked next links, the client's retries with Retry-After on 429/503). A page that failed for good makes
 * the whole listing fail: an incomplete request history would be read as "no request".
 */
export async function listPackageRequests(graph: Graph, packageId: string, signal?: AbortSignal, concurrency = 8): Promise<PackageRequests> {
  const requests: RequestInfo[] = [];
  const result = await fetchListing(REQUESTS, {
    graph,
    packageId,
    policies: [],
    concurrency,
    signal,
    onRows: (rows) => {
      for (const r of rows) requests.push(r.request);
    },
  });
  if (result.missing.length > 0) {
    const m = result.missing[0];
    throw new GraphError({ status: 0, code: 'IncompleteListing', message: tn('graph_requests_incomplete', result.missing.length, { partition: m.partition, message: m.error }), url: m.page });
  }
  return { requests, problems: result.problems };
}

export async function fetchApprovalStages(graph: Graph, requestId: string, signal?: AbortSignal): Promise<ApprovalStageInfo[]> {
  const raws = await listAll(graph, `${EM}/accessPackageAssignmentApprovals/${encodeURIComponent(requestId)}/stages`, signal);
  return raws.filter(isObj).map((s) => ({
    displayName: text(s.displayName),
    reviewResult: text(s.reviewResult),
    status: text(s.status),
    reviewerName: text(field(s.reviewedBy, 'displayName')),
    reviewedDateTime: toIsoUtc(s.reviewedDateTime),
    justification: text(s.justification),
  }));
}

const PERSON_FIELDS = 'id,displayName,userPrincipalName,mail,userType,accountEnabled,createdDateTime,externalUserState,jobTitle,department';

/** The person's directory fields (sign-in dates come with the list's enrichment). A 404 answers null. */
export async function fetchPerson(graph: Graph, objectId: string, signal?: AbortSignal): Promise<PersonInfo | null> {
  let raw: Obj;
  try {
    raw = await graph.get<Obj>(`users/${encodeURIComponent(objectId)}?$select=${PERSON_FIELDS}`, { signal });
  } catch (e) {
    if (e instanceof GraphError && e.status === 404) return null;
    throw e;
  }
  return {
    id: text(raw.id) || objectId,
    displayName: text(raw.displayName),
    userPrincipalName: text(raw.userPrincipalName),
    mail: text(raw.mail),
    userType: text(raw.userType),
    accountEnabled: typeof raw.accountEnabled === 'boolean' ? raw.accountEnabled : null,
    createdDateTime: toIsoUtc(raw.createdDateTime),
    externalUserState: text(raw.externalUserState),
    jobTitle: text(raw.jobTitle),
    department: text(raw.department),
  };
}

/** The manager's display name; null when the user has none (Graph answers 404). */
export async function fetchManagerName(graph: Graph, objectId: string, signal?: AbortSignal): Promise<string | null> {
  try {
    const raw = await graph.get<Obj>(`users/${encodeURIComponent(objectId)}/manager?$select=id,displayName`, { signal });
    return text(raw.displayName) || text(raw.id);
  } catch (e) {
    if (e instanceof GraphError && e.status === 404) return null;
    throw e;
  }
}

/**
 * Of each assignment's package and policy only the id and name are shown, not the whole objects (a policy
 * carries its approval and review settings); where Graph refuses the options inside $expand (a 400), the
 * whole objects.
 */
export const OTHER_ASSIGNMENT_EXPANDS = ['accessPackage($select=id,displayName),assignmentPolicy($select=id,displayName)', 'accessPackage,assignmentPolicy'] as const;

export async function fetchOtherAssignments(graph: Graph, objectId: string, signal?: AbortSignal): Promise<OtherAssignment[]> {
  const filter = `target/objectId eq ${odataString(objectId)}`;
  const path = (expand: string): string => `${EM}/assignments?$filter=${encodeURIComponent(filter)}&$expand=${expand}`;
  const raws = await listAllExpanding(graph, path, OTHER_ASSIGNMENT_EXPANDS, { signal });
  return raws.filter(isObj).map((a) => ({
    id: text(a.id),
    packageId: text(field(a.accessPackage, 'id')),
    packageName: text(field(a.accessPackage, 'displayName')),
    policyName: text(field(a.assignmentPolicy, 'displayName')),
    state: text(a.state),
    expiry: toIsoUtc(field(field(a.schedule, 'expiration'), 'endDateTime')),
  }));
}

export async function fetchPolicyExpiration(graph: Graph, policyId: string, signal?: AbortSignal): Promise<{ name: string; expiration: PolicyExpiration | null }> {
  const raw = await graph.get<Obj>(`${EM}/assignmentPolicies/${encodeURIComponent(policyId)}`, { signal });
  return { name: text(raw.displayName), expiration: normaliseExpiration(raw.expiration) };
}

// ---------------------------------------------------------------- writes

export type ReprocessTarget = { kind: 'assignment'; id: string } | { kind: 'request'; id: string };

/** One reprocess. Graph answers 202 with no body; there is no request id to keep. */
export async function postReprocess(graph: Graph, target: ReprocessTarget, signal?: AbortSignal): Promise<void> {
  const collection = target.kind === 'assignment' ? 'assignments' : 'assignmentRequests';
  await graph.post(`${EM}/${collection}/${encodeURIComponent(target.id)}/reprocess`, undefined, { signal });
}

/** The adminUpdate request that extends one assignment to `end`; Graph's request (id, state) is returned. */
export async function postExtend(
  graph: Graph,
  assignmentId: string,
  start: string,
  end: string,
  signal?: AbortSignal,
): Promise<{ id: string; state: string; status: string }> {
  const body = {
    '@odata.type': '#microsoft.graph.accessPackageAssignmentRequest',
    requestType: 'adminUpdate',
    assignment: { id: assignmentId },
    schedule: { startDateTime: start, expiration: { type: 'afterDateTime', endDateTime: end } },
  };
  const r = await graph.post<Obj | undefined>(`${EM}/assignmentRequests`, body, { signal });
  return { id: text(field(r, 'id')), state: text(field(r, 'state')) || text(field(r, 'requestState')), status: text(field(r, 'status')) || text(field(r, 'requestStatus')) };
}
