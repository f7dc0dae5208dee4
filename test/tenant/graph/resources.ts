// The packages' resources for the access check: groups (member and owner roles), an application (a service
// principal with an app role) and a SharePoint site, with who actually holds each role:
//   /groups/{id}/members, /groups/{id}/owners, /servicePrincipals/{id}/appRoleAssignedTo,
//   and accessPackages/{id}?$expand=resourceRoleScopes($expand=role,scope).
//
// Holders follow the package's assignments (an added assignment grants, a removed one takes away), with drift
// in both directions: targets removed by hand (`removedByHand`) and principals added directly (`direct`). A
// reprocessed assignment gets its access back (the listener registered in `installResources`).
import type { Incoming, Reply, TenantContext } from '../context';
import { IDS } from '../ids';
import { parseSelect, resolveSelect, type ExpandItem } from '../odata';
import { hasScope, type IssuedToken } from '../tokens';
import type { Assignment, TenantData } from '../types';
import { GRAPH_JSON, GraphFailure, forbidden, unknownSegment } from './errors';
import { contextUrl, pageOf, parseTop } from './paging';

/** Fixed ids of the resources, so tests and the demo can name them. */
export const RESOURCE_IDS = {
  salesGroup: '5a1e5000-0000-4000-8000-000000000001',
  ownersGroup: '5a1e5000-0000-4000-8000-000000000002',
  internsGroup: '5a1e5000-0000-4000-8000-000000000003',
  financeGroup: '5a1e5000-0000-4000-8000-000000000004', // deleted: listed by the package, gone from the directory
  labGroup: '5a1e5000-0000-4000-8000-000000000005',
  expensesSp: '5a1e5000-0000-4000-8000-0000000000a1',
  expensesReaderRole: '5a1e5000-0000-4000-8000-0000000000b1',
  expensesAdminRole: '5a1e5000-0000-4000-8000-0000000000b2',
  salesSite: 'https://contoso.sharepoint.com/sites/sales',
  /** users holding roles without any assignment (direct members, a direct app role holder) */
  directUsers: ['5a1e5000-0000-4000-8000-0000000000d1', '5a1e5000-0000-4000-8000-0000000000d2'],
} as const;

export type RoleKind = 'member' | 'owner' | 'appRole' | 'site';

export interface ResourceRole {
  /** the resourceRoleScope id */
  id: string;
  packageId: string;
  kind: RoleKind;
  /** group id, service principal id or site URL */
  objectId: string;
  displayName: string;
  roleName: string;
  appRoleId?: string;
  /** object ids whose holding was removed by hand (drift: the package says they hold it) */
  removedByHand: Set<string>;
  /** principals that hold the role without the package (drift the other way) */
  direct: Array<{ id: string; type: 'user' | 'group' | 'servicePrincipal'; appRoleId?: string }>;
  createdDateTime: string;
}

export interface ResourceModel {
  roles: ResourceRole[];
  /** group and service principal ids that exist (others answer 404) */
  existing: Set<string>;
  /** resources whose holders this admin may not read (403), e.g. a group with hidden membership */
  forbidden: Set<string>;
  /** group id → display name */
  names: Map<string, string>;
  /** app role ids the application no longer defines (its servicePrincipal's appRoles lack them) */
  removedAppRoles: Set<string>;
}

const models = new WeakMap<TenantData, ResourceModel>();
const ACTIVE = new Set(['delivered', 'partiallydelivered']);

function activeTarget(a: Assignment): string | null {
  return a.target?.objectId && ACTIVE.has((a.state ?? '').toLowerCase()) ? a.target.objectId : null;
}

/** The delivered assignments of a package whose targets are users in the directory, in listing order. */
/** Delivered users of the package holding it once: a drift chosen among them touches exactly one assignment. */
function deliveredUsers(data: TenantData, packageId: string): Assignment[] {
  const delivered = data.assignments.filter((a) => a.accessPackageId === packageId && (a.state ?? '').toLowerCase() === 'delivered' && !!a.target?.objectId && data.users.has(a.target.objectId));
  const held = new Map<string, number>();
  for (const a of data.assignments) if (a.accessPackageId === packageId && a.target?.objectId) held.set(a.target.objectId, (held.get(a.target.objectId) ?? 0) + 1);
  return delivered.filter((a) => held.get(a.target!.objectId!) === 1);
}

/**
 * The assignments the model deliberately left without their access (main package): the first two delivered
 * users were removed from the sales group by hand, the third lost its app role assignment.
 */
export function driftedAssignments(data: TenantData): { removedFromGroup: string[]; removedFromApp: string[] } {
  const d = deliveredUsers(data, IDS.mainPackage);
  return { removedFromGroup: d.slice(0, 2).map((a) => a.id), removedFromApp: d.slice(2, 3).map((a) => a.id) };
}

export function resourceModel(data: TenantData): ResourceModel {
  const have = models.get(data);
  if (have) return have;
  const created = new Date(data.now - 400 * 86_400_000).toISOString().slice(0, 19) + 'Z';
  const d = deliveredUsers(data, IDS.mainPackage);
  const objectOf = (a: Assignment | undefined): string[] => (a?.target?.objectId ? [a.target.objectId] : []);
  const role = (r: Omit<ResourceRole, 'removedByHand' | 'direct' | 'createdDateTime'> & Partial<ResourceRole>): ResourceRole => ({
    removedByHand: new Set(),
    direct: [],
    createdDateTime: created,
    ...r,
  });
  const model: ResourceModel = {
    roles: [
      role({
        id: '5a1e5000-0000-4000-8000-00000000c001',
        packageId: IDS.mainPackage,
        kind: 'member',
        objectId: RESOURCE_IDS.salesGroup,
        displayName: 'Sales and Marketing',
        roleName: 'Member',
        removedByHand: new Set([...objectOf(d[0]), ...objectOf(d[1])]),
        direct: [
          { id: RESOURCE_IDS.directUsers[0], type: 'user' },
          // A nested group: its members are not what the package grants (transitive membership).
          { id: RESOURCE_IDS.internsGroup, type: 'group' },
        ],
      }),
      role({
        id: '5a1e5000-0000-4000-8000-00000000c002',
        packageId: IDS.mainPackage,
        kind: 'appRole',
        objectId: RESOURCE_IDS.expensesSp,
        displayName: 'Expenses',
        roleName: 'Expenses reader',
        appRoleId: RESOURCE_IDS.expensesReaderRole,
        removedByHand: new Set(objectOf(d[2])),
        direct: [
          { id: RESOURCE_IDS.directUsers[1], type: 'user' },
          // Holds another app role of the same application: not this resource's role.
          { id: RESOURCE_IDS.directUsers[0], type: 'user', appRoleId: RESOURCE_IDS.expensesAdminRole },
        ],
      }),
      role({
        id: '5a1e5000-0000-4000-8000-00000000c003',
        packageId: IDS.mainPackage,
        kind: 'site',
        objectId: RESOURCE_IDS.salesSite,
        displayName: 'Sales site',
        roleName: 'Sales Visitors',
      }),
      role({
        id: '5a1e5000-0000-4000-8000-00000000c004',
        packageId: IDS.financePackage,
        kind: 'member',
        objectId: RESOURCE_IDS.financeGroup,
        displayName: 'Finance (deleted)',
        roleName: 'Member',
      }),
      role({
        id: '5a1e5000-0000-4000-8000-00000000c005',
        packageId: IDS.labPackage,
        kind: 'owner',
        objectId: RESOURCE_IDS.labGroup,
        displayName: 'Lab owners',
        roleName: 'Owner',
      }),
    ],
    existing: new Set([RESOURCE_IDS.salesGroup, RESOURCE_IDS.ownersGroup, RESOURCE_IDS.internsGroup, RESOURCE_IDS.labGroup, RESOURCE_IDS.expensesSp]),
    forbidden: new Set(),
    removedAppRoles: new Set(),
    names: new Map([
      [RESOURCE_IDS.salesGroup, 'Sales and Marketing'],
      [RESOURCE_IDS.ownersGroup, 'Sales leads'],
      [RESOURCE_IDS.internsGroup, 'Sales interns'],
      [RESOURCE_IDS.labGroup, 'Lab'],
    ]),
  };
  models.set(data, model);
  return model;
}

/** A reprocessed assignment gets every role of its package back (what Graph's reprocess does). */
export function restoreAccess(data: TenantData, assignmentId: string): void {
  const a = data.assignments.find((x) => x.id === assignmentId);
  const objectId = a?.target?.objectId;
  if (!a || !objectId) return;
  for (const r of resourceModel(data).roles) if (r.packageId === a.accessPackageId) r.removedByHand.delete(objectId);
}

/** Registers the reprocess listener on the tenant (called once when the tenant starts). */
export function installResources(ctx: TenantContext): void {
  ctx.reprocessListeners.push((assignmentId) => restoreAccess(ctx.data, assignmentId));
}

interface Holder {
  id: string;
  type: 'user' | 'group' | 'servicePrincipal';
  appRoleId?: string;
}

/** Who holds the roles of this kind on this object now: package targets minus removals, plus direct holders. */
function holders(ctx: TenantContext, kind: RoleKind, objectId: string): Holder[] {
  const roles = resourceModel(ctx.data).roles.filter((r) => r.kind === kind && r.objectId === objectId);
  const seen = new Set<string>();
  const out: Holder[] = [];
  const push = (h: Holder): void => {
    const key = `${h.id}|${h.appRoleId ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(h);
  };
  for (const r of roles) {
    for (const a of ctx.data.assignments) {
      if (a.accessPackageId !== r.packageId || ctx.removed.has(a)) continue;
      const id = activeTarget(a);
      if (!id || r.removedByHand.has(id)) continue;
      push({ id, type: ctx.data.servicePrincipals.has(id) ? 'servicePrincipal' : 'user', appRoleId: r.appRoleId });
    }
    for (const h of r.direct) push({ ...h, appRoleId: h.appRoleId ?? r.appRoleId });
  }
  return out;
}

function needGroupMemberRead(token: IssuedToken): void {
  if (!hasScope(token, 'GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All')) {
    throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
}

function needApplicationRead(token: IssuedToken): void {
  if (!hasScope(token, 'Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All')) {
    throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
}

function notFoundObject(id: string): GraphFailure {
  return new GraphFailure(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

function ok(body: object): Reply {
  return { status: 200, headers: { 'content-type': GRAPH_JSON }, body };
}

const DIRECTORY_OBJECT_PROPS = ['id', 'displayName', 'userPrincipalName', 'mail', 'deletedDateTime'] as const;

function directoryObjectJson(ctx: TenantContext, h: Holder, select: string[] | null): object {
  const model = resourceModel(ctx.data);
  const u = h.type === 'user' ? ctx.data.users.get(h.id) : undefined;
  const sp = h.type === 'servicePrincipal' ? ctx.data.servicePrincipals.get(h.id) : undefined;
  const values: Record<string, unknown> = {
    id: h.id,
    displayName: u?.displayName ?? sp?.displayName ?? model.names.get(h.id) ?? (h.type === 'user' ? `Direct member ${h.id.slice(-2)}` : null),
    userPrincipalName: h.type === 'user' ? (u?.userPrincipalName ?? `direct.${h.id.slice(-2)}@${ctx.data.tenant.defaultDomain}`) : undefined,
    mail: h.type === 'user' ? (u?.mail ?? null) : undefined,
    deletedDateTime: null,
  };
  const out: Record<string, unknown> = { '@odata.type': `#microsoft.graph.${h.type}` };
  for (const p of select ?? ['id', 'displayName', 'userPrincipalName', 'mail']) if (values[p] !== undefined) out[p] = values[p];
  return out;
}

/** GET /groups/{id}/members | /owners (direct only; the page size is $top up to 999, else 100). */
export async function handleGroups(ctx: TenantContext, req: Incoming, token: IssuedToken, segs: string[]): Promise<Reply> {
  if (req.method !== 'GET') throw new GraphFailure(405, 'Request_BadRequest', `The demo tenant does not support ${req.method} on groups.`);
  const [id, sub, ...more] = segs;
  if (more.length) throw unknownSegment(more[0]);
  const rel = (sub ?? '').toLowerCase();
  if (!id || (rel !== 'members' && rel !== 'owners')) throw unknownSegment(sub ?? 'groups');
  needGroupMemberRead(token);
  const model = resourceModel(ctx.data);
  const groupId = id.toLowerCase();
  if (!model.existing.has(groupId)) throw notFoundObject(id);
  if (model.forbidden.has(groupId)) throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  if (req.query.get('$filter') !== null) throw new GraphFailure(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
  const select = resolveSelect(parseSelect(req.query.get('$select')), DIRECTORY_OBJECT_PROPS, 'directoryObject');
  const body = pageOf(ctx, req, {
    items: () => holders(ctx, rel === 'members' ? 'member' : 'owner', groupId),
    pageSize: parseTop(req, 999, 'Request_UnsupportedQuery') ?? 100,
    serialize: (h: Holder) => directoryObjectJson(ctx, h, select),
    contextUrl: contextUrl(req, 'directoryObjects'),
  });
  return ok(body);
}

const APP_ROLE_ASSIGNMENT_PROPS = ['id', 'appRoleId', 'createdDateTime', 'deletedDateTime', 'principalDisplayName', 'principalId', 'principalType', 'resourceDisplayName', 'resourceId'] as const;

/** GET /servicePrincipals/{id}/appRoleAssignedTo: every app role assignment granted for this application. */
export async function handleAppRoleAssignedTo(ctx: TenantContext, req: Incoming, token: IssuedToken, spId: string): Promise<Reply> {
  if (req.method !== 'GET') throw new GraphFailure(405, 'Request_BadRequest', `The demo tenant does not support ${req.method} here.`);
  needApplicationRead(token);
  const model = resourceModel(ctx.data);
  const id = spId.toLowerCase();
  if (!model.existing.has(id)) throw notFoundObject(spId);
  if (model.forbidden.has(id)) throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  if (req.query.get('$filter') !== null) throw new GraphFailure(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
  const select = resolveSelect(parseSelect(req.query.get('$select')), APP_ROLE_ASSIGNMENT_PROPS, 'appRoleAssignment');
  const created = new Date(ctx.data.now - 300 * 86_400_000).toISOString().slice(0, 19) + 'Z';
  const body = pageOf(ctx, req, {
    items: () => holders(ctx, 'appRole', id),
    pageSize: parseTop(req, 999, 'Request_UnsupportedQuery') ?? 100,
    serialize: (h: Holder) => {
      const u = ctx.data.users.get(h.id);
      const values: Record<string, unknown> = {
        id: Buffer.from(`${h.id}|${h.appRoleId}`).toString('base64url').slice(0, 43),
        appRoleId: h.appRoleId ?? '00000000-0000-0000-0000-000000000000',
        createdDateTime: created,
        deletedDateTime: null,
        principalDisplayName: u?.displayName ?? `Direct member ${h.id.slice(-2)}`,
        principalId: h.id,
        principalType: h.type === 'user' ? 'User' : h.type === 'group' ? 'Group' : 'ServicePrincipal',
        resourceDisplayName: 'Expenses',
        resourceId: id,
      };
      const out: Record<string, unknown> = {};
      for (const p of select ?? APP_ROLE_ASSIGNMENT_PROPS) out[p] = values[p];
      return out;
    },
    contextUrl: contextUrl(req, `servicePrincipals('${id}')/appRoleAssignedTo`),
  });
  return ok(body);
}

const RESOURCE_SP_PROPS = ['id', 'appId', 'displayName', 'appRoles'] as const;

/** A service principal the package model grants app roles of (the application resource, not a target). */
export function isResourceServicePrincipal(ctx: TenantContext, spId: string): boolean {
  const id = spId.toLowerCase();
  return resourceModel(ctx.data).roles.some((r) => r.kind === 'appRole' && r.objectId === id);
}

/** GET /servicePrincipals/{id} of an application resource: its app roles (those removed are not listed). */
export async function handleResourceServicePrincipal(ctx: TenantContext, req: Incoming, token: IssuedToken, spId: string): Promise<Reply> {
  if (req.method !== 'GET') throw new GraphFailure(405, 'Request_BadRequest', `The demo tenant does not support ${req.method} here.`);
  needApplicationRead(token);
  const model = resourceModel(ctx.data);
  const id = spId.toLowerCase();
  if (!model.existing.has(id)) throw notFoundObject(spId);
  if (model.forbidden.has(id)) throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  const select = resolveSelect(parseSelect(req.query.get('$select')), RESOURCE_SP_PROPS, 'servicePrincipal');
  const roles = model.roles.filter((r) => r.kind === 'appRole' && r.objectId === id);
  const roleIds = new Set<string>();
  for (const r of roles) {
    if (r.appRoleId) roleIds.add(r.appRoleId);
    for (const d of r.direct) if (d.appRoleId) roleIds.add(d.appRoleId);
  }
  const appRoles = [...roleIds]
    .filter((rid) => !model.removedAppRoles.has(rid))
    .map((rid) => ({ allowedMemberTypes: ['User'], description: null, displayName: roles.find((r) => r.appRoleId === rid)?.roleName ?? 'Role', id: rid, isEnabled: true, origin: 'Application', value: null }));
  const values: Record<string, unknown> = { id, appId: id, displayName: roles[0]?.displayName ?? 'Application', appRoles };
  const out: Record<string, unknown> = { '@odata.context': contextUrl(req, 'servicePrincipals/$entity') };
  for (const p of select ?? RESOURCE_SP_PROPS) out[p] = values[p];
  return ok(out);
}

// ---------------------------------------------------------------- accessPackage.resourceRoleScopes

const ROLE_PROPS = ['id', 'displayName', 'description', 'originId', 'originSystem'] as const;
const SCOPE_PROPS = ['id', 'displayName', 'description', 'originId', 'originSystem', 'isRootScope'] as const;

function pickProps(values: Record<string, unknown>, props: readonly string[], select: string[] | null, typeName: string, nav: readonly string[]): Record<string, unknown> {
  const chosen = resolveSelect(select, [...props, ...nav], typeName) ?? props;
  const out: Record<string, unknown> = {};
  for (const p of chosen) if (!nav.includes(p)) out[p] = values[p] ?? null;
  return out;
}

function checkNav(expand: ExpandItem[], allowed: readonly string[], typeName: string): Map<string, ExpandItem> {
  const out = new Map<string, ExpandItem>();
  for (const e of expand) {
    const name = allowed.find((a) => a.toLowerCase() === e.name.toLowerCase());
    if (!name) throw new GraphFailure(400, 'BadRequest', `Could not find a property named '${e.name}' on type 'microsoft.graph.${typeName}'.`);
    out.set(name, e);
  }
  return out;
}

const ORIGIN_SYSTEM: Record<RoleKind, string> = { member: 'AadGroup', owner: 'AadGroup', appRole: 'AadApplication', site: 'SharePointOnline' };

/** The value of `resourceRoleScopes` on an accessPackage expanded with it; role and scope only when expanded. */
export function resourceRoleScopesJson(ctx: TenantContext, packageId: string, item: ExpandItem): object[] {
  const ex = checkNav(item.expand, ['role', 'scope'], 'accessPackageResourceRoleScope');
  return resourceModel(ctx.data)
    .roles.filter((r) => r.packageId === packageId)
    .map((r) => {
      const out = pickProps({ id: r.id, createdDateTime: r.createdDateTime }, ['id', 'createdDateTime'], item.select, 'accessPackageResourceRoleScope', ['role', 'scope']);
      const system = ORIGIN_SYSTEM[r.kind];
      const roleItem = ex.get('role');
      if (roleItem) {
        checkNav(roleItem.expand, ['resource'], 'accessPackageResourceRole');
        const originId = r.kind === 'member' ? `Member_${r.objectId}` : r.kind === 'owner' ? `Owner_${r.objectId}` : r.kind === 'appRole' ? r.appRoleId : '4';
        out.role = pickProps({ id: `${r.id.slice(0, -4)}ro01`, displayName: r.roleName, description: null, originId, originSystem: system }, ROLE_PROPS, roleItem.select, 'accessPackageResourceRole', ['resource']);
      }
      const scopeItem = ex.get('scope');
      if (scopeItem) {
        checkNav(scopeItem.expand, ['resource'], 'accessPackageResourceScope');
        out.scope = pickProps({ id: `${r.id.slice(0, -4)}sc01`, displayName: r.displayName, description: null, originId: r.objectId, originSystem: system, isRootScope: true }, SCOPE_PROPS, scopeItem.select, 'accessPackageResourceScope', ['resource']);
      }
      return out;
    });
}

/**
 * Benchmark shape: the main package grants `groups` group memberships and `apps` app roles (every delivered
 * target holds them all, so each group has as many members as the package has delivered targets).
 */
export function scaleResources(data: TenantData, opts: { groups: number; apps: number }): void {
  const model = resourceModel(data);
  model.roles = model.roles.filter((r) => r.packageId !== IDS.mainPackage);
  const id = (kind: number, i: number): string => `5a1e5000-0000-4000-8${kind}00-${String(i).padStart(12, '0')}`;
  for (let i = 0; i < opts.groups; i++) {
    const g = id(1, i);
    model.existing.add(g);
    model.names.set(g, `Scale group ${i + 1}`);
    model.roles.push({ id: id(2, i), packageId: IDS.mainPackage, kind: 'member', objectId: g, displayName: `Scale group ${i + 1}`, roleName: 'Member', removedByHand: new Set(), direct: [], createdDateTime: '2025-01-01T00:00:00Z' });
  }
  for (let i = 0; i < opts.apps; i++) {
    const sp = id(3, i);
    model.existing.add(sp);
    model.roles.push({ id: id(4, i), packageId: IDS.mainPackage, kind: 'appRole', objectId: sp, appRoleId: id(5, i), displayName: `Scale app ${i + 1}`, roleName: 'User', removedByHand: new Set(), direct: [], createdDateTime: '2025-01-01T00:00:00Z' });
  }
}
