// The Graph endpoints behind the details view, reprocess and extend:
//   GET  /identityGovernance/entitlementManagement/accessPackageAssignmentApprovals/{requestId}/stages
//   POST /identityGovernance/entitlementManagement/assignments/{id}/reprocess            (202, delivered only)
//   POST /identityGovernance/entitlementManagement/assignmentRequests/{id}/reprocess     (202, failed requests only)
//   POST /identityGovernance/entitlementManagement/assignmentRequests  requestType adminUpdate (extend)
//   GET  /users/{id}/manager
// Malformed or inapplicable writes are refused as Graph does (400 with its code), missing objects 404.
import { randomUUID } from 'node:crypto';
import type { Incoming, Reply, TenantContext } from '../context';
import { DAY_MS, isoSeconds } from '../dates';
import { detailsOf } from '../details-data';
import { adminSubject } from '../people';
import { parseSelect } from '../odata';
import { hasScope, type IssuedToken } from '../tokens';
import type { AssignmentRequest, Policy } from '../types';
import { adminGrants } from './entitlement';
import { EM_ROLES } from '../ids';
import { GRAPH_JSON, GraphFailure, badRequest, forbidden, notFound } from './errors';
import { contextUrl } from './paging';
import { requestJson } from './serialize';

const EM = 'identityGovernance/entitlementManagement';
const WRITE_ROLES = new Set<string>([EM_ROLES.assignmentManager, EM_ROLES.accessPackageManager, EM_ROLES.catalogOwner]);
const OPEN_STATES = new Set(['submitted', 'pendingApproval', 'delivering', 'scheduled']);
/** Reprocess of a request is accepted up to this age (Graph's docs say one to two weeks). */
const REQUEST_REPROCESS_DAYS = 14;

const ok = (body: object): Reply => ({ status: 200, headers: { 'content-type': GRAPH_JSON }, body });
const accepted = (): Reply => ({ status: 202, headers: {} });

function needWrite(ctx: TenantContext, token: IssuedToken, packageId: string): void {
  if (!hasScope(token, 'EntitlementManagement.ReadWrite.All')) {
    throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation. The token lacks the EntitlementManagement.ReadWrite.All scope.');
  }
  const pkg = ctx.data.packages.find((p) => p.id === packageId);
  const catalogId = pkg?.catalogId ?? '';
  if (!adminGrants(ctx).some((g) => WRITE_ROLES.has(g.roleDefinitionId) && (g.catalogId === null || g.catalogId === catalogId))) {
    throw forbidden('AccessDenied', 'The caller does not have a role that allows managing assignments in this catalog (Access package assignment manager, Access package manager or Catalog owner).');
  }
}

function later(ctx: TenantContext, fn: () => void): void {
  const t = setTimeout(() => {
    ctx.timers.delete(t);
    fn();
  }, ctx.config.requestDelayMs);
  t.unref?.();
  ctx.timers.add(t);
}

/** Tell the other tenant models (e.g. group memberships of the access check) that a reprocess was accepted. */
function notifyReprocess(ctx: TenantContext, assignmentId: string): void {
  for (const fn of ctx.reprocessListeners) fn(assignmentId);
}

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();

/** The details routes, or null when the request is not one of them. */
export function routeDetails(ctx: TenantContext, req: Incoming, token: IssuedToken, segs: string[]): Reply | null {
  // segs: path segments after /v1.0
  const [a, b, c, d, e, ...more] = segs.map((s) => s);
  if (lower(a) === 'users' && b && lower(c) === 'manager' && d === undefined) return manager(ctx, req, token, b);
  if (lower(a) !== 'identitygovernance' || lower(b) !== 'entitlementmanagement' || more.length > 0) return null;
  if (req.method === 'GET' && lower(c) === 'accesspackageassignmentapprovals' && d && lower(e) === 'stages') return stages(ctx, req, token, d);
  if (req.method === 'POST' && lower(c) === 'assignments' && d && lower(e) === 'reprocess') return reprocessAssignment(ctx, token, d);
  if (req.method === 'POST' && lower(c) === 'assignmentrequests' && d && lower(e) === 'reprocess') return reprocessRequest(ctx, token, d);
  return null;
}

function manager(ctx: TenantContext, req: Incoming, token: IssuedToken, userId: string): Reply {
  if (!hasScope(token, 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All')) {
    throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  const user = [...ctx.data.users.values()].find((u) => lower(u.id) === lower(userId));
  if (!user) throw new GraphFailure(404, 'Request_ResourceNotFound', `Resource '${userId}' does not exist or one of its queried reference-property objects are not present.`);
  const managerId = detailsOf(ctx.data).managers.get(user.id);
  const m = managerId ? ctx.data.users.get(managerId) : undefined;
  if (!m) throw new GraphFailure(404, 'Request_ResourceNotFound', `Resource 'manager' does not exist or one of its queried reference-property objects are not present.`);
  const select = parseSelect(req.query.get('$select'));
  const all: Record<string, unknown> = { '@odata.type': '#microsoft.graph.user', id: m.id, displayName: m.displayName, userPrincipalName: m.userPrincipalName, mail: m.mail, jobTitle: m.jobTitle };
  const body: Record<string, unknown> = { '@odata.context': contextUrl(req, 'directoryObjects/$entity') };
  for (const [k, v] of Object.entries(all)) if (!select || k === '@odata.type' || select.includes(k)) body[k] = v;
  return ok(body);
}

function stages(ctx: TenantContext, req: Incoming, token: IssuedToken, requestId: string): Reply {
  if (!hasScope(token, 'EntitlementManagement.Read.All', 'EntitlementManagement.ReadWrite.All')) {
    throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  const d = detailsOf(ctx.data);
  const r = ctx.data.requests.find((x) => lower(x.id) === lower(requestId));
  if (!r) throw notFound(`No approval with id '${requestId}' was found.`);
  if (d.forbiddenApprovals.has(r.id)) throw forbidden('Forbidden', 'The caller is not an approver of this request and cannot read its approval.');
  const list = d.stages.get(r.id);
  if (!list) throw notFound(`No approval with id '${requestId}' was found: the request did not need one.`);
  return ok({ '@odata.context': contextUrl(req, `${EM}/accessPackageAssignmentApprovals('${r.id}')/stages`), value: list });
}

function reprocessAssignment(ctx: TenantContext, token: IssuedToken, id: string): Reply {
  const a = ctx.data.assignments.find((x) => lower(x.id) === lower(id) && !ctx.removed.has(x));
  if (!a) throw notFound(`The access package assignment with id '${id}' was not found.`);
  needWrite(ctx, token, a.accessPackageId);
  if (a.state !== 'delivered') {
    throw badRequest(`The access package assignment '${id}' is in state '${a.state ?? ''}': only a delivered assignment can be reprocessed.`, 'BadRequest');
  }
  notifyReprocess(ctx, a.id);
  return accepted();
}

function reprocessRequest(ctx: TenantContext, token: IssuedToken, id: string): Reply {
  const r = ctx.data.requests.find((x) => lower(x.id) === lower(id));
  if (!r) throw notFound(`The access package assignment request with id '${id}' was not found.`);
  needWrite(ctx, token, r.accessPackageId);
  if (r.state !== 'deliveryFailed' && r.state !== 'partiallyDelivered') {
    throw badRequest(`The request '${id}' is in state '${r.state}': only a request whose delivery failed or was partial can be reprocessed.`, 'BadRequest');
  }
  if (ctx.clock() - Date.parse(r.createdDateTime) > REQUEST_REPROCESS_DAYS * DAY_MS) {
    throw badRequest(`The request '${id}' is too old to be reprocessed.`, 'BadRequest');
  }
  const assignment = r.assignmentId ? ctx.data.assignments.find((x) => x.id === r.assignmentId) : undefined;
  later(ctx, () => {
    r.state = 'delivered';
    r.status = 'Delivered';
    r.completedDateTime = isoSeconds(ctx.clock());
    if (assignment && (assignment.state === 'deliveryFailed' || assignment.state === 'partiallyDelivered')) {
      assignment.state = 'delivered';
      assignment.status = 'Delivered';
    }
  });
  if (r.assignmentId) notifyReprocess(ctx, r.assignmentId);
  return accepted();
}

/** The latest expiry the policy allows for a change made at `now` (null: none). */
function policyMax(p: Policy, now: number): number | null {
  const e = p.expiration;
  if (e.type === 'afterDateTime') return e.endDateTime ? Date.parse(e.endDateTime) : null;
  if (e.type === 'afterDuration') {
    const days = Number(/^P(\d+)D$/.exec(e.duration ?? '')?.[1] ?? NaN);
    return Number.isFinite(days) ? now + days * DAY_MS : null;
  }
  return null;
}

/** POST assignmentRequests with requestType adminUpdate: a new schedule for an existing assignment. */
export function adminUpdate(ctx: TenantContext, req: Incoming, token: IssuedToken, body: Record<string, unknown>, assignment: { id?: unknown }, now: number): Reply {
  const id = typeof assignment.id === 'string' ? assignment.id : '';
  if (!id) throw badRequest("The assignment id is required for a request of type 'adminUpdate'.", 'BadRequest');
  const a = ctx.data.assignments.find((x) => lower(x.id) === lower(id) && !ctx.removed.has(x));
  if (!a) throw notFound(`The access package assignment with id '${id}' was not found.`);
  needWrite(ctx, token, a.accessPackageId);
  if (a.state !== 'delivered') throw badRequest(`The access package assignment '${id}' is in state '${a.state ?? ''}' and cannot be updated.`, 'BadRequest');
  const s = body.schedule as { startDateTime?: unknown; expiration?: { endDateTime?: unknown; type?: unknown } } | undefined;
  const end = typeof s?.expiration?.endDateTime === 'string' ? Date.parse(s.expiration.endDateTime) : NaN;
  if (!s || !Number.isFinite(end)) throw badRequest("A request of type 'adminUpdate' needs schedule.expiration.endDateTime.", 'BadRequest');
  if (end <= now) throw badRequest('The requested expiration date is in the past.', 'BadRequest');
  const policy = ctx.data.policies.find((p) => p.id === a.assignmentPolicyId);
  const max = policy ? policyMax(policy, now) : null;
  if (max !== null && end > max) {
    throw badRequest(`The requested expiration ${isoSeconds(end)} exceeds the maximum allowed by the policy '${policy!.displayName}' (${isoSeconds(max)}).`, 'BadRequest');
  }
  if (ctx.data.requests.some((r) => r.assignmentId === a.id && OPEN_STATES.has(r.state))) {
    throw badRequest(`There is an existing open request for the assignment '${id}'. Wait for it to complete before submitting another one.`, 'BadRequest');
  }
  const start = typeof s.startDateTime === 'string' && Number.isFinite(Date.parse(s.startDateTime)) ? isoSeconds(Date.parse(s.startDateTime)) : isoSeconds(now);
  const schedule = { startDateTime: start, expiration: { endDateTime: isoSeconds(end), duration: null, type: 'afterDateTime' }, recurrence: null };
  const r: AssignmentRequest = {
    id: randomUUID(),
    requestType: 'adminUpdate',
    state: 'submitted',
    status: 'Accepted',
    createdDateTime: isoSeconds(now),
    completedDateTime: null,
    justification: typeof body.justification === 'string' ? body.justification : null,
    schedule,
    answers: [],
    customExtensionCalloutInstances: [],
    accessPackageId: a.accessPackageId,
    assignmentId: a.id,
    assignmentCopy: null,
    requestor: adminSubject(ctx.data),
    subject: a.target,
  };
  ctx.data.requests.push(r);
  later(ctx, () => {
    a.schedule = { startDateTime: a.schedule?.startDateTime ?? start, expiration: schedule.expiration, recurrence: null };
    r.state = 'delivered';
    r.status = 'Delivered';
    r.completedDateTime = isoSeconds(ctx.clock());
  });
  const out = { '@odata.context': contextUrl(req, `${EM}/assignmentRequests/$entity`), ...requestJson(ctx, r, null, new Map()) };
  return { status: 201, headers: { 'content-type': GRAPH_JSON, location: `https://${req.host}/v1.0/${EM}/assignmentRequests('${r.id}')` }, body: out };
}
