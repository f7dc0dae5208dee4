// /identityGovernance/entitlementManagement/...: packages, policies, catalogs, assignments, requests.
import { randomUUID } from 'node:crypto';
import type { Incoming, Reply, TenantContext } from '../context';
import { EM_ROLES, IDS, adminSubject, isoSeconds, policyAllowsAdminAssignment } from '../generate';
import { conjuncts, literalText, parseExpand, parseFilter, parseSelect, type FilterNode } from '../odata';
import { hasScope, type IssuedToken } from '../tokens';
import type { AccessPackage, Assignment, AssignmentRequest, Policy, Schedule, Subject } from '../types';
import { checkAnswers } from './answers';
import { GRAPH_JSON, GraphFailure, badRequest, forbidden, notFound, unknownSegment } from './errors';
import { adminUpdate } from './details';
import { contextUrl, pageOf } from './paging';
import {
  assignmentExpand,
  assignmentJson,
  catalogJson,
  connectedOrgJson,
  packageJson,
  policyJson,
  requestExpand,
  requestJson,
  shownRequestType,
  shownState,
  withEnumPreference,
} from './serialize';

const EM = 'identityGovernance/entitlementManagement';
const ASSIGNMENT_STATES = ['delivering', 'partiallyDelivered', 'delivered', 'expired', 'deliveryFailed', 'unknownFutureValue'];
const REQUEST_STATES = ['submitted', 'pendingApproval', 'delivering', 'delivered', 'deliveryFailed', 'denied', 'scheduled', 'canceled', 'partiallyDelivered', 'unknownFutureValue'];
// The v1.0 accessPackageRequestType members (the resource page's `UserExtend` is not in the schema's enum).
const REQUEST_TYPES = ['notSpecified', 'userAdd', 'userUpdate', 'userRemove', 'adminAdd', 'adminUpdate', 'adminRemove', 'systemAdd', 'systemUpdate', 'systemRemove', 'onBehalfAdd', 'unknownFutureValue', 'approverRemove'];
const OPEN_REQUEST_STATES = new Set(['submitted', 'pendingApproval', 'delivering', 'scheduled']);
const ACTIVE_ASSIGNMENT_STATES = new Set(['delivered', 'delivering', 'partiallyDelivered']);
const WRITE_ROLES = new Set<string>([EM_ROLES.assignmentManager, EM_ROLES.accessPackageManager, EM_ROLES.catalogOwner]);

function needRead(token: IssuedToken): void {
  if (!hasScope(token, 'EntitlementManagement.Read.All', 'EntitlementManagement.ReadWrite.All')) {
    throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation. The token lacks the EntitlementManagement.Read.All scope.');
  }
}

/** The admin's explicit entitlement-management roles (config.emRoles, else from config.writeRole). */
export function adminGrants(ctx: TenantContext): Array<{ roleDefinitionId: string; catalogId: string | null }> {
  if (ctx.config.emRoles) return ctx.config.emRoles;
  const role = ctx.config.writeRole === 'manager' ? EM_ROLES.assignmentManager : EM_ROLES.catalogReader;
  return ctx.data.catalogs.filter((c) => c.id !== IDS.generalCatalog).map((c) => ({ roleDefinitionId: role, catalogId: c.id }));
}

function canWrite(ctx: TenantContext, catalogId: string): boolean {
  return adminGrants(ctx).some((g) => WRITE_ROLES.has(g.roleDefinitionId) && (g.catalogId === null || g.catalogId === catalogId));
}

/** Equality clauses joined by `and`, on the paths an endpoint allows. Anything else: 400 like Graph. */
function equalityFilter(raw: string | null, allowed: Record<string, string>, typeName: string): Map<string, string> {
  const out = new Map<string, string>();
  if (raw === null) return out;
  let node: FilterNode;
  try {
    node = parseFilter(raw);
  } catch (e) {
    throw badRequest((e as Error).message, 'BadRequest');
  }
  for (const c of conjuncts(node)) {
    if (c.kind !== 'cmp' || c.op !== 'eq') {
      throw badRequest(`Invalid filter clause: only 'eq' comparisons joined by 'and' are supported on ${typeName}.`, 'InvalidFilter');
    }
    const key = allowed[c.path.toLowerCase()];
    if (!key) throw badRequest(`Invalid filter clause: the property '${c.path}' is not supported in $filter on ${typeName}.`, 'InvalidFilter');
    if (out.has(key) && out.get(key) !== literalText(c.value)) out.set(key, '\u0000no-match');
    else out.set(key, literalText(c.value));
  }
  return out;
}

function enumValue(v: string | undefined, allowed: string[], enumName: string): string | undefined {
  if (v === undefined) return undefined;
  // Matched case-insensitively: Graph's own examples use both 'Delivered' and 'delivered'.
  const hit = allowed.find((s) => s.toLowerCase() === v);
  if (!hit) throw badRequest(`The string '${v}' is not a valid enumerated type constant for type '${enumName}'.`, 'BadRequest');
  return hit.toLowerCase();
}

function selectExpand(req: Incoming): { select: string[] | null; expand: ReturnType<typeof parseExpand> } {
  return { select: parseSelect(req.query.get('$select')), expand: parseExpand(req.query.get('$expand')) };
}

function emPageSize(ctx: TenantContext, req: Incoming): number {
  if (!ctx.config.honourTop) return ctx.config.pageSize;
  const top = req.query.get('$top');
  if (top === null) return ctx.config.pageSize;
  const n = Number(top);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`Invalid value '${top}' for $top.`);
  return Math.min(n, ctx.config.maxTop);
}

function findPackage(ctx: TenantContext, id: string): AccessPackage {
  const p = ctx.data.packages.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!p) throw notFound(`No accessPackage with id '${id}' was found.`);
  return p;
}

function single(ctx: TenantContext, req: Incoming, fragment: string, body: object): Reply {
  return { status: 200, headers: { 'content-type': GRAPH_JSON }, body: { '@odata.context': contextUrl(req, fragment), ...body } };
}

function list(ctx: TenantContext, req: Incoming, fragment: string, items: () => readonly unknown[], serialize: (x: never) => object, isGone?: (x: never) => boolean): Reply {
  const body = pageOf(ctx, req, {
    items,
    pageSize: emPageSize(ctx, req),
    serialize: serialize as (x: unknown) => object,
    contextUrl: contextUrl(req, fragment),
    isGone: isGone as ((x: unknown) => boolean) | undefined,
  });
  return { status: 200, headers: { 'content-type': GRAPH_JSON }, body };
}

export async function handleEntitlement(ctx: TenantContext, req: Incoming, token: IssuedToken, segs: string[]): Promise<Reply> {
  // segs: path segments after /identityGovernance/entitlementManagement
  const [collection, id, sub, ...more] = segs;
  const c = (collection ?? '').toLowerCase();
  if (req.method === 'POST' && c === 'assignmentrequests' && !id) return postRequest(ctx, req, token);
  if (req.method !== 'GET') throw new GraphFailure(405, 'Request_BadRequest', `The demo tenant does not support ${req.method} on this resource.`);
  needRead(token);
  if (more.length > 0) throw unknownSegment(more[0]);
  refuseUnknownOptions(req);
  return withEnumPreference(prefersUnknownEnums(req), () => readEntitlement(ctx, req, c, id, sub));
}

/**
 * OData system query options Graph knows. One it does not know is a 400; a known one the endpoint does not
 * document ($top, $count on these lists) is silently ignored, as Graph's known-issues page says.
 */
const SYSTEM_OPTIONS = new Set(['$select', '$filter', '$expand', '$top', '$skip', '$count', '$orderby', '$search', '$skiptoken', '$format']);

function refuseUnknownOptions(req: Incoming): void {
  for (const key of req.query.keys()) {
    if (key.startsWith('$') && !SYSTEM_OPTIONS.has(key.toLowerCase())) {
      throw badRequest(`Query option '${key}' is not supported.`, 'BadRequest');
    }
  }
}

/** `Prefer: include-unknown-enum-members` (one of possibly several comma-separated preferences). */
export function prefersUnknownEnums(req: Incoming): boolean {
  const raw = req.headers.prefer;
  const v = Array.isArray(raw) ? raw.join(',') : (raw ?? '').toString();
  return v.split(',').some((p) => p.trim().toLowerCase() === 'include-unknown-enum-members');
}

function readEntitlement(ctx: TenantContext, req: Incoming, c: string, id: string | undefined, sub: string | undefined): Reply {
  const { select, expand } = selectExpand(req);
  switch (c) {
    case 'accesspackages': {
      if (!id) {
        const f = equalityFilter(req.query.get('$filter'), { displayname: 'displayName', id: 'id', 'catalog/id': 'catalogId' }, 'accessPackage');
        return list(ctx, req, `${EM}/accessPackages`, () =>
          ctx.data.packages.filter((p) =>
            (!f.has('displayName') || p.displayName.toLowerCase() === f.get('displayName')) &&
            (!f.has('id') || p.id.toLowerCase() === f.get('id')) &&
            (!f.has('catalogId') || p.catalogId.toLowerCase() === f.get('catalogId')),
          ), ((p: AccessPackage) => packageJson(ctx, p, select, expand)) as (x: never) => object);
      }
      const p = findPackage(ctx, id);
      if (!sub) return single(ctx, req, `${EM}/accessPackages/$entity`, packageJson(ctx, p, select, expand));
      if (sub.toLowerCase() === 'assignmentpolicies') {
        return list(ctx, req, `${EM}/accessPackages('${p.id}')/assignmentPolicies`, () => ctx.data.policies.filter((x) => x.accessPackageId === p.id), ((x: Policy) => policyJson(ctx, x, select, expand)) as (x: never) => object);
      }
      throw unknownSegment(sub);
    }
    case 'assignmentpolicies': {
      if (sub) throw unknownSegment(sub);
      if (id) {
        const p = ctx.data.policies.find((x) => x.id.toLowerCase() === id.toLowerCase());
        if (!p) throw notFound(`No accessPackageAssignmentPolicy with id '${id}' was found.`);
        return single(ctx, req, `${EM}/assignmentPolicies/$entity`, policyJson(ctx, p, select, expand));
      }
      const f = equalityFilter(req.query.get('$filter'), { 'accesspackage/id': 'package', id: 'id', displayname: 'displayName' }, 'accessPackageAssignmentPolicy');
      return list(ctx, req, `${EM}/assignmentPolicies`, () =>
        ctx.data.policies.filter((p) =>
          (!f.has('package') || p.accessPackageId.toLowerCase() === f.get('package')) &&
          (!f.has('id') || p.id.toLowerCase() === f.get('id')) &&
          (!f.has('displayName') || p.displayName.toLowerCase() === f.get('displayName')),
        ), ((p: Policy) => policyJson(ctx, p, select, expand)) as (x: never) => object);
    }
    case 'catalogs': {
      if (sub) throw unknownSegment(sub);
      if (id) {
        const cat = ctx.data.catalogs.find((x) => x.id.toLowerCase() === id.toLowerCase());
        if (!cat) throw notFound(`No accessPackageCatalog with id '${id}' was found.`);
        return single(ctx, req, `${EM}/catalogs/$entity`, catalogJson(cat, select));
      }
      return list(ctx, req, `${EM}/catalogs`, () => ctx.data.catalogs, ((x: (typeof ctx.data.catalogs)[number]) => catalogJson(x, select)) as (x: never) => object);
    }
    case 'connectedorganizations': {
      if (sub) throw unknownSegment(sub);
      if (id) {
        const o = ctx.data.connectedOrganizations.find((x) => x.id.toLowerCase() === id.toLowerCase());
        if (!o) throw notFound(`No connectedOrganization with id '${id}' was found.`);
        return single(ctx, req, `${EM}/connectedOrganizations/$entity`, connectedOrgJson(o, select));
      }
      return list(ctx, req, `${EM}/connectedOrganizations`, () => ctx.data.connectedOrganizations, ((x: (typeof ctx.data.connectedOrganizations)[number]) => connectedOrgJson(x, select)) as (x: never) => object);
    }
    case 'assignments':
      if (sub) throw unknownSegment(sub);
      return listAssignments(ctx, req, id, select, expand);
    case 'assignmentrequests':
      if (sub) throw unknownSegment(sub);
      return listRequests(ctx, req, id, select, expand);
    default:
      throw unknownSegment(c);
  }
}

function listAssignments(ctx: TenantContext, req: Incoming, id: string | undefined, select: string[] | null, expandItems: ReturnType<typeof parseExpand>): Reply {
  const expand = assignmentExpand(expandItems);
  const serialize = (a: Assignment) => assignmentJson(ctx, a, select, expand);
  if (id) {
    const a = ctx.data.assignments.find((x) => x.id.toLowerCase() === id.toLowerCase() && !ctx.removed.has(x));
    if (!a) throw notFound(`No accessPackageAssignment with id '${id}' was found.`);
    return single(ctx, req, `${EM}/assignments/$entity`, serialize(a));
  }
  const f = equalityFilter(
    req.query.get('$filter'),
    { 'accesspackage/id': 'package', 'assignmentpolicy/id': 'policy', state: 'state', 'target/objectid': 'objectId' },
    'accessPackageAssignment',
  );
  const state = enumValue(f.get('state'), ASSIGNMENT_STATES, 'microsoft.graph.accessPackageAssignmentState');
  if (ctx.config.catalogScopedOnly && !f.has('package')) {
    throw forbidden('AccessDenied', "The caller has only catalog-scoped roles: list assignments with $filter=accessPackage/id eq '<id>'.");
  }
  const pkg = f.get('package');
  const policy = f.get('policy');
  const objectId = f.get('objectId');
  return list(
    ctx,
    req,
    `${EM}/assignments`,
    () =>
      (pkg === undefined ? ctx.data.assignments : assignmentsOfPackage(ctx.data.assignments, pkg)).filter(
        (a) =>
          (pkg === undefined || a.accessPackageId.toLowerCase() === pkg) &&
          (policy === undefined || a.assignmentPolicyId.toLowerCase() === policy) &&
          (state === undefined || (shownState(a.state) ?? '').toLowerCase() === state) &&
          (objectId === undefined || (a.target?.objectId ?? '').toLowerCase() === objectId),
      ),
    serialize as (x: never) => object,
    ((a: Assignment) => ctx.removed.has(a)) as (x: never) => boolean,
  );
}

interface PackageIndex {
  length: number;
  last: Assignment | undefined;
  byPackage: Map<string, Assignment[]>;
}
const packageIndexes = new WeakMap<readonly Assignment[], PackageIndex>();

/**
 * A package's assignments in listing order, from an index kept per assignments array: the overview's bench
 * tenant lists 2,000 packages' partitions out of a million rows. Tests edit the array in place (push,
 * splice), which always changes its length or its last element, so either rebuilds the index.
 */
function assignmentsOfPackage(all: readonly Assignment[], packageId: string): readonly Assignment[] {
  let index = packageIndexes.get(all);
  if (!index || index.length !== all.length || index.last !== all[all.length - 1]) {
    const byPackage = new Map<string, Assignment[]>();
    for (const a of all) {
      const key = a.accessPackageId.toLowerCase();
      const list = byPackage.get(key);
      if (list) list.push(a);
      else byPackage.set(key, [a]);
    }
    index = { length: all.length, last: all[all.length - 1], byPackage };
    packageIndexes.set(all, index);
  }
  return index.byPackage.get(packageId) ?? [];
}

function listRequests(ctx: TenantContext, req: Incoming, id: string | undefined, select: string[] | null, expandItems: ReturnType<typeof parseExpand>): Reply {
  const expand = requestExpand(expandItems);
  const serialize = (r: AssignmentRequest) => requestJson(ctx, r, select, expand);
  if (id) {
    const r = ctx.data.requests.find((x) => x.id.toLowerCase() === id.toLowerCase());
    if (!r) throw notFound(`No accessPackageAssignmentRequest with id '${id}' was found.`);
    return single(ctx, req, `${EM}/assignmentRequests/$entity`, serialize(r));
  }
  const f = equalityFilter(
    req.query.get('$filter'),
    { 'accesspackage/id': 'package', 'assignment/id': 'assignment', state: 'state', requesttype: 'type', 'requestor/objectid': 'requestor' },
    'accessPackageAssignmentRequest',
  );
  const state = enumValue(f.get('state'), REQUEST_STATES, 'microsoft.graph.accessPackageRequestState');
  const type = enumValue(f.get('type'), REQUEST_TYPES, 'microsoft.graph.accessPackageRequestType');
  if (ctx.config.catalogScopedOnly && !f.has('package')) {
    throw forbidden('AccessDenied', "The caller has only catalog-scoped roles: list requests with $filter=accessPackage/id eq '<id>'.");
  }
  return list(
    ctx,
    req,
    `${EM}/assignmentRequests`,
    () =>
      ctx.data.requests.filter(
        (r) =>
          (!f.has('package') || r.accessPackageId.toLowerCase() === f.get('package')) &&
          (!f.has('assignment') || (r.assignmentId ?? '').toLowerCase() === f.get('assignment')) &&
          (state === undefined || r.state.toLowerCase() === state) &&
          (type === undefined || shownRequestType(r.requestType).toLowerCase() === type) &&
          (!f.has('requestor') || (r.requestor?.objectId ?? '').toLowerCase() === f.get('requestor')),
      ),
    serialize as (x: never) => object,
  );
}

// ------------------------------------------------------------------------------------------ writes

interface AssignmentBody {
  id?: unknown;
  targetId?: unknown;
  assignmentPolicyId?: unknown;
  accessPackageId?: unknown;
  target?: { email?: unknown; objectId?: unknown } | null;
  schedule?: unknown;
}

function parseJsonBody(req: Incoming): Record<string, unknown> {
  const type = (req.headers['content-type'] ?? '').toString().toLowerCase();
  if (!type.includes('application/json')) throw badRequest('Content-Type must be application/json.', 'BadRequest');
  try {
    const v = JSON.parse(req.body.toString('utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw badRequest('Invalid request body: the payload is not valid JSON.', 'BadRequest');
  }
}

function openRequestFor(ctx: TenantContext, pred: (r: AssignmentRequest) => boolean): AssignmentRequest | undefined {
  return ctx.data.requests.find((r) => OPEN_REQUEST_STATES.has(r.state) && pred(r));
}

async function postRequest(ctx: TenantContext, req: Incoming, token: IssuedToken): Promise<Reply> {
  if (!hasScope(token, 'EntitlementManagement.ReadWrite.All')) {
    throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation. The token lacks the EntitlementManagement.ReadWrite.All scope required to create requests.');
  }
  const body = parseJsonBody(req);
  const requestType = typeof body.requestType === 'string' ? body.requestType : '';
  const a = (body.assignment ?? body.accessPackageAssignment) as AssignmentBody | undefined;
  if (!a || typeof a !== 'object') throw badRequest("The request must contain 'assignment'.", 'BadRequest');
  const now = ctx.clock();
  if (requestType.toLowerCase() === 'adminremove') return adminRemove(ctx, req, a, body, now);
  if (requestType.toLowerCase() === 'adminadd') return adminAdd(ctx, req, a, body, now);
  if (requestType.toLowerCase() === 'adminupdate') return adminUpdate(ctx, req, token, body, a, now);
  throw badRequest(`The requestType '${requestType}' is not supported for this caller. Use adminAdd, adminUpdate or adminRemove.`, 'BadRequest');
}

function created(ctx: TenantContext, req: Incoming, r: AssignmentRequest): Reply {
  const body = { '@odata.context': contextUrl(req, `${EM}/assignmentRequests/$entity`), ...requestJson(ctx, r, null, new Map()) };
  return { status: 201, headers: { 'content-type': GRAPH_JSON, location: `https://${req.host}/v1.0/${EM}/assignmentRequests('${r.id}')` }, body };
}

function newRequest(
  ctx: TenantContext,
  type: string,
  packageId: string,
  assignmentId: string | null,
  body: Record<string, unknown>,
  now: number,
  schedule: Schedule | null,
  subject: Subject | null,
): AssignmentRequest {
  const r: AssignmentRequest = {
    id: randomUUID(),
    requestType: type,
    state: 'submitted',
    status: 'Accepted',
    createdDateTime: isoSeconds(now),
    completedDateTime: null,
    justification: typeof body.justification === 'string' ? body.justification : null,
    schedule,
    answers: Array.isArray(body.answers) ? body.answers : [],
    customExtensionCalloutInstances: [],
    accessPackageId: packageId,
    assignmentId,
    assignmentCopy: null,
    requestor: adminSubject(ctx.data),
    subject,
  };
  ctx.data.requests.push(r);
  return r;
}

function later(ctx: TenantContext, fn: () => void): void {
  const t = setTimeout(() => {
    ctx.timers.delete(t);
    fn();
  }, ctx.config.requestDelayMs);
  t.unref?.();
  ctx.timers.add(t);
}

function adminRemove(ctx: TenantContext, req: Incoming, a: AssignmentBody, body: Record<string, unknown>, now: number): Reply {
  const id = typeof a.id === 'string' ? a.id : '';
  if (!id) throw badRequest("The assignment id is required for a request of type 'adminRemove'.", 'BadRequest');
  const target = ctx.data.assignments.find((x) => x.id.toLowerCase() === id.toLowerCase() && !ctx.removed.has(x));
  if (!target) throw notFound(`The access package assignment with id '${id}' was not found.`);
  const pkg = findPackage(ctx, target.accessPackageId);
  if (!canWrite(ctx, pkg.catalogId)) {
    throw forbidden('AccessDenied', 'The caller does not have a role that allows managing assignments in this catalog (Access package assignment manager, Access package manager or Catalog owner).');
  }
  if (openRequestFor(ctx, (r) => r.assignmentId?.toLowerCase() === id.toLowerCase() && r.requestType === 'adminRemove')) {
    throw badRequest(`There is an existing open request for the assignment '${id}'. Wait for it to complete before submitting another one.`, 'BadRequest');
  }
  if (ctx.config.rejectAssignmentIds.some((x) => x.toLowerCase() === id.toLowerCase())) {
    const e = ctx.config.rejectError;
    throw new GraphFailure(e.status, e.code, e.message);
  }
  const r = newRequest(ctx, 'adminRemove', target.accessPackageId, target.id, body, now, null, target.target);
  later(ctx, () => {
    const ended = { state: 'expired', status: 'ExpiredNotificationTriggered', expiredDateTime: isoSeconds(ctx.clock()) };
    const gone = () => {
      const i = ctx.data.assignments.indexOf(target);
      if (i >= 0) ctx.data.assignments.splice(i, 1);
      ctx.removed.add(target);
    };
    if (ctx.config.removedLingerMs > 0) {
      // Still listed for a while, as ended, before it is gone (config.removedLingerMs).
      Object.assign(target, ended);
      const t = setTimeout(() => (ctx.timers.delete(t), gone()), ctx.config.removedLingerMs);
      t.unref?.();
      ctx.timers.add(t);
    } else gone();
    r.assignmentCopy = { ...target, ...ended };
    r.state = 'delivered';
    r.status = 'Delivered';
    r.completedDateTime = isoSeconds(ctx.clock());
  });
  return created(ctx, req, r);
}

function adminAdd(ctx: TenantContext, req: Incoming, a: AssignmentBody, body: Record<string, unknown>, now: number): Reply {
  const packageId = typeof a.accessPackageId === 'string' ? a.accessPackageId : '';
  const policyId = typeof a.assignmentPolicyId === 'string' ? a.assignmentPolicyId : '';
  if (!packageId || !policyId) throw badRequest("accessPackageId and assignmentPolicyId are required for a request of type 'adminAdd'.", 'BadRequest');
  const pkg = findPackage(ctx, packageId);
  const policy = ctx.data.policies.find((p) => p.id.toLowerCase() === policyId.toLowerCase());
  if (!policy) throw notFound(`The access package assignment policy with id '${policyId}' was not found.`);
  if (policy.accessPackageId !== pkg.id) throw badRequest(`The policy '${policyId}' does not belong to the access package '${packageId}'.`, 'BadRequest');
  if (!canWrite(ctx, pkg.catalogId)) {
    throw forbidden('AccessDenied', 'The caller does not have a role that allows managing assignments in this catalog (Access package assignment manager, Access package manager or Catalog owner).');
  }
  if (!policyAllowsAdminAssignment(policy)) {
    throw badRequest(`The policy '${policy.displayName}' does not allow administrator direct assignment: it assigns users automatically.`, 'BadRequest');
  }
  checkAnswers(policy, body);
  const targetId = typeof a.targetId === 'string' ? a.targetId : typeof a.target?.objectId === 'string' ? a.target.objectId : '';
  const email = typeof a.target?.email === 'string' ? a.target.email : '';
  let subject: Subject;
  if (targetId) {
    const user = ctx.data.users.get(targetId) ?? [...ctx.data.users.values()].find((u) => u.id.toLowerCase() === targetId.toLowerCase());
    const sp = user ? undefined : ctx.data.servicePrincipals.get(targetId);
    if (!user && !sp) throw notFound(`The subject with object id '${targetId}' was not found in the directory.`);
    const existing = ctx.data.assignments.find((x) => x.target?.objectId?.toLowerCase() === targetId.toLowerCase() && x.target !== null);
    subject = existing?.target
      ? { ...existing.target, connectedOrganizationId: existing.target.connectedOrganizationId }
      : {
          id: randomUUID(),
          objectId: user?.id ?? sp!.id,
          displayName: user?.displayName ?? sp!.displayName,
          email: user?.mail ?? null,
          principalName: user?.userPrincipalName ?? null,
          onPremisesSecurityIdentifier: null,
          subjectType: user ? 'user' : 'servicePrincipal',
          connectedOrganizationId: null,
        };
    const active = ctx.data.assignments.find(
      (x) =>
        !ctx.removed.has(x) &&
        x.assignmentPolicyId === policy.id &&
        (x.target?.objectId ?? '').toLowerCase() === targetId.toLowerCase() &&
        ACTIVE_ASSIGNMENT_STATES.has(x.state ?? ''),
    );
    if (active) throw badRequest(`The subject '${targetId}' already has an active assignment for this access package with the policy '${policy.displayName}'.`, 'BadRequest');
  } else if (email) {
    if (!/external|connectedorganization|alldirectoryusers/i.test(policy.allowedTargetScope)) {
      throw badRequest(`The policy '${policy.displayName}' does not allow assigning users who are not in the directory.`, 'BadRequest');
    }
    subject = { id: randomUUID(), objectId: null, displayName: null, email, principalName: null, onPremisesSecurityIdentifier: null, subjectType: 'user', connectedOrganizationId: null };
  } else {
    throw badRequest("The assignment must name a target: 'targetId' or 'target.email'.", 'BadRequest');
  }
  const key = (targetId || email).toLowerCase();
  const open = openRequestFor(
    ctx,
    (r) => r.accessPackageId === pkg.id && !!r.subject && ((r.subject.objectId ?? '').toLowerCase() === key || (!r.subject.objectId && (r.subject.email ?? '').toLowerCase() === key)),
  );
  if (open) throw badRequest(`There is an existing open request for this subject and access package (request '${open.id}').`, 'BadRequest');

  const schedule = requestedSchedule(body.schedule ?? a.schedule, policy, now);
  const r = newRequest(ctx, 'adminAdd', pkg.id, null, body, now, schedule, subject);
  later(ctx, () => {
    const inDirectory = subject.objectId !== null;
    const assignment: Assignment = {
      id: randomUUID(),
      state: inDirectory ? 'delivered' : 'delivering',
      status: inDirectory ? 'Delivered' : 'Delivering',
      expiredDateTime: null,
      schedule,
      customExtensionCalloutInstances: [],
      accessPackageId: pkg.id,
      assignmentPolicyId: policy.id,
      target: subject,
    };
    ctx.data.assignments.push(assignment);
    r.assignmentId = assignment.id;
    r.state = inDirectory ? 'delivered' : 'delivering';
    r.status = inDirectory ? 'Delivered' : 'Delivering';
    r.completedDateTime = inDirectory ? isoSeconds(ctx.clock()) : null;
  });
  return created(ctx, req, r);
}

function requestedSchedule(raw: unknown, policy: Policy, now: number): Schedule {
  const s = (raw && typeof raw === 'object' ? raw : {}) as { startDateTime?: unknown; expiration?: { endDateTime?: unknown; duration?: unknown; type?: unknown } };
  const start = typeof s.startDateTime === 'string' && Number.isFinite(Date.parse(s.startDateTime)) ? isoSeconds(Date.parse(s.startDateTime)) : isoSeconds(now);
  const end = s.expiration && typeof s.expiration.endDateTime === 'string' && Number.isFinite(Date.parse(s.expiration.endDateTime)) ? isoSeconds(Date.parse(s.expiration.endDateTime)) : null;
  if (end) return { startDateTime: start, expiration: { endDateTime: end, duration: null, type: 'afterDateTime' }, recurrence: null };
  const days = Number(/P(\d+)D/.exec(policy.expiration.duration ?? '')?.[1] ?? NaN);
  if (Number.isFinite(days)) {
    return { startDateTime: start, expiration: { endDateTime: isoSeconds(Date.parse(start) + days * 86_400_000), duration: policy.expiration.duration, type: 'afterDuration' }, recurrence: null };
  }
  return { startDateTime: start, expiration: { endDateTime: null, duration: null, type: 'noExpiration' }, recurrence: null };
}
