// /me, /users, /servicePrincipals, /directoryObjects/getByIds, /organization, and the caller's
// entitlement-management roles. signInActivity follows graph-api.md §6 and §8: only when selected,
// licence and AuditLog.Read.All required, 10 requests per minute per app.
import { createHash } from 'node:crypto';
import type { Incoming, Reply, TenantContext } from '../context';
import { header } from '../http-util';
import { filterPaths, literalText, orWidth, parseExpand, parseFilter, parseSelect, resolveSelect, type FilterNode, type Literal } from '../odata';
import { hasScope, type IssuedToken } from '../tokens';
import type { DirUser, RoleAssignment, ServicePrincipal } from '../types';
import { adminGrants } from './entitlement';
import { GRAPH_JSON, GraphFailure, badRequest, forbidden, unknownSegment } from './errors';
import { contextUrl, pageOf, parseTop } from './paging';

const USER_DEFAULT = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];
const USER_PROPS = [
  ...USER_DEFAULT,
  'accountEnabled', 'userType', 'createdDateTime', 'externalUserState', 'externalUserStateChangeDateTime', 'signInActivity',
  'department', 'companyName', 'otherMails', 'employeeId', 'onPremisesSyncEnabled', 'onPremisesImmutableId', 'creationType',
  'deletedDateTime', 'identities', 'proxyAddresses', 'usageLocation', 'city', 'country', 'state', 'lastPasswordChangeDateTime',
  'mailNickname', 'employeeType', 'employeeHireDate', 'onPremisesSamAccountName', 'onPremisesUserPrincipalName',
  'onPremisesDistinguishedName', 'onPremisesLastSyncDateTime', 'onPremisesDomainName', 'assignedLicenses', 'ageGroup',
  'preferredDataLocation', 'streetAddress', 'postalCode', 'showInAddressList', 'passwordPolicies', 'signInSessionsValidFromDateTime',
];
const FILTERABLE: Record<string, string> = {
  id: 'id', displayname: 'displayName', userprincipalname: 'userPrincipalName', mail: 'mail', givenname: 'givenName',
  surname: 'surname', usertype: 'userType', accountenabled: 'accountEnabled', externaluserstate: 'externalUserState',
  createddatetime: 'createdDateTime', jobtitle: 'jobTitle', department: 'department', companyname: 'companyName',
  'signinactivity/lastsignindatetime': 'signInActivity/lastSignInDateTime',
  'signinactivity/lastnoninteractivesignindatetime': 'signInActivity/lastNonInteractiveSignInDateTime',
  'signinactivity/lastsuccessfulsignindatetime': 'signInActivity/lastSuccessfulSignInDateTime',
};
const SEARCHABLE = new Set(['displayname', 'userprincipalname', 'mail', 'givenname', 'surname', 'jobtitle']);

const unsupported = (message: string) => badRequest(message, 'Request_UnsupportedQuery');

function needUserRead(token: IssuedToken): void {
  if (!hasScope(token, 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'User.ReadBasic.All')) {
    throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
}

function userField(u: DirUser, prop: string): unknown {
  switch (prop) {
    case 'businessPhones':
    case 'otherMails':
    case 'proxyAddresses':
    case 'identities':
    case 'assignedLicenses':
      return [];
    default:
      return (u as unknown as Record<string, unknown>)[prop] ?? null;
  }
}

export function userJson(u: DirUser, select: string[] | null): object {
  const props = select ?? USER_DEFAULT;
  const out: Record<string, unknown> = {};
  for (const p of props) out[p] = userField(u, p);
  return out;
}

/** Sign-in data gates: scope, licence, then the per-app rate limit (graph-api.md §8). */
function signInGate(ctx: TenantContext, token: IssuedToken): void {
  if (!hasScope(token, 'AuditLog.Read.All')) {
    throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation. Reading signInActivity requires the AuditLog.Read.All permission.');
  }
  if (!ctx.config.signInLicensed) {
    throw forbidden('Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license");
  }
  const { requests, windowMs } = ctx.config.signInRate;
  const now = Date.now();
  const key = token.clientId;
  const times = (ctx.signInWindow.get(key) ?? []).filter((t) => t > now - windowMs);
  if (times.length >= requests) {
    ctx.signInWindow.set(key, times);
    ctx.stats.signInThrottled++;
    const retryAfter = Math.max(1, Math.ceil((times[0] + windowMs - now) / 1000));
    throw new GraphFailure(429, 'TooManyRequests', 'Too many requests. The application exceeded the request limit for sign-in activity; retry after the time given in Retry-After.', {
      'retry-after': String(retryAfter),
      // Scope/Limit/ApplicationId/ResourceId, as on the throttling page (the resource is the tenant here).
      'x-ms-throttle-scope': `Tenant_Application/ReadWrite/${key}/${ctx.data.tenant.id}`,
    });
  }
  times.push(now);
  ctx.signInWindow.set(key, times);
}

function advanced(req: Incoming): boolean {
  return (header(req.headers, 'consistencylevel') ?? '').toLowerCase() === 'eventual';
}

function compare(a: unknown, op: string, b: Literal): boolean {
  if (op === 'eq' || op === 'ne') {
    const eq = a === null || a === undefined ? b === null : typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;
    return op === 'eq' ? eq : !eq;
  }
  if (a === null || a === undefined || b === null) return false;
  const x = typeof a === 'string' ? Date.parse(a) : Number(a);
  const y = typeof b === 'string' ? Date.parse(b) : Number(b);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return op === 'gt' ? x > y : op === 'ge' ? x >= y : op === 'lt' ? x < y : x <= y;
}

function pathValue(u: DirUser, path: string): unknown {
  if (path.startsWith('signInActivity/')) {
    const s = u.signInActivity as unknown as Record<string, unknown> | null;
    return s ? s[path.slice('signInActivity/'.length)] ?? null : null;
  }
  return (u as unknown as Record<string, unknown>)[path] ?? null;
}

function canonical(path: string): string {
  const p = FILTERABLE[path.toLowerCase()];
  if (!p) throw unsupported(`Unsupported or invalid query filter clause specified for property '${path}' of resource 'User'.`);
  return p;
}

/** Compiles a filter into a predicate once, so a 100k-user directory is scanned without re-reading the AST. */
function compile(node: FilterNode): (u: DirUser) => boolean {
  switch (node.kind) {
    case 'and': {
      const parts = node.items.map(compile);
      return (u) => parts.every((p) => p(u));
    }
    case 'or': {
      const parts = node.items.map(compile);
      return (u) => parts.some((p) => p(u));
    }
    case 'not': {
      const inner = compile(node.item);
      return (u) => !inner(u);
    }
    case 'cmp': {
      const path = canonical(node.path);
      const { op, value } = node;
      return (u) => compare(pathValue(u, path), op, value);
    }
    case 'in': {
      const path = canonical(node.path);
      const values = node.values;
      return (u) => {
        const v = pathValue(u, path);
        return values.some((x) => compare(v, 'eq', x));
      };
    }
    case 'call': {
      const path = canonical(node.path);
      const w = typeof node.value === 'string' ? node.value.toLowerCase() : null;
      const starts = node.name === 'startswith';
      return (u) => {
        const v = pathValue(u, path);
        if (typeof v !== 'string' || w === null) return false;
        const s = v.toLowerCase();
        return starts ? s.startsWith(w) : s.endsWith(w);
      };
    }
  }
}

/** The ids a filter made only of `id eq` / `id in` clauses joined by `or` asks for; null otherwise. */
function idLookup(node: FilterNode): string[] | null {
  if (node.kind === 'or') {
    const parts = node.items.map(idLookup);
    return parts.every((p) => p !== null) ? (parts as string[][]).flat() : null;
  }
  if (node.kind === 'in' && node.path.toLowerCase() === 'id') return node.values.map(String);
  if (node.kind === 'cmp' && node.op === 'eq' && node.path.toLowerCase() === 'id') return [String(node.value)];
  return null;
}

/** Checks a /users $filter the way directory queries do; returns the predicate and whether it touches signInActivity. */
function userFilter(req: Incoming, raw: string): { test: (u: DirUser) => boolean; signIn: boolean; ids: string[] | null } {
  let node: FilterNode;
  try {
    node = parseFilter(raw);
  } catch (e) {
    throw badRequest((e as Error).message, 'BadRequest');
  }
  const paths = filterPaths(node).map(canonical);
  const isAdvanced = advanced(req) && req.query.get('$count') === 'true';
  const signIn = paths.some((p) => p.startsWith('signInActivity/'));
  if (signIn && paths.some((p) => !p.startsWith('signInActivity/'))) {
    throw unsupported('Filter on signInActivity cannot be combined with a filter on any other property.');
  }
  const check = (n: FilterNode): void => {
    if (n.kind === 'and' || n.kind === 'or') n.items.forEach(check);
    else if (n.kind === 'not') {
      if (!isAdvanced) throw unsupported("Operator 'not' is supported only with ConsistencyLevel: eventual and $count=true.");
      check(n.item);
    } else if (n.kind === 'cmp' && n.op === 'ne' && !isAdvanced) {
      throw unsupported("Operator 'ne' is supported only with ConsistencyLevel: eventual and $count=true.");
    } else if (n.kind === 'call') {
      if (n.name === 'endswith' && !isAdvanced) throw unsupported("Function 'endswith' is supported only with ConsistencyLevel: eventual and $count=true.");
      if (n.name !== 'startswith' && n.name !== 'endswith') throw unsupported(`Unsupported Query: function '${n.name}' is not supported.`);
    }
  };
  check(node);
  const width = orWidth(node);
  if (width > 15 && !isAdvanced) {
    throw unsupported(`Too many child clauses specified in search filter expression containing 'OR' operators: ${width}. Max allowed: 15.`);
  }
  if (isAdvanced && req.rawQuery.length > 2048) throw unsupported('The URL exceeds the 2,048 characters advanced queries allow.');
  return { test: compile(node), signIn, ids: idLookup(node) };
}

/** `$search="displayName:ali" OR "mail:ali"`: word-prefix matching, as directory search does. */
function userSearch(req: Incoming, raw: string): (u: DirUser) => boolean {
  if (!advanced(req)) {
    throw badRequest("Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'", 'Request_BadRequest');
  }
  const clauses: Array<{ prop: string; terms: string[]; join: 'and' | 'or' }> = [];
  const re = /\s*(?:(AND|OR)\s+)?"([^":]+):([^"]*)"/giy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(raw))) {
    const prop = m[2].toLowerCase();
    if (!SEARCHABLE.has(prop)) throw badRequest(`Invalid $search: the property '${m[2]}' is not searchable.`, 'Request_UnsupportedQuery');
    clauses.push({ prop: FILTERABLE[prop] ?? m[2], terms: m[3].toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean), join: (m[1] ?? 'and').toLowerCase() as 'and' | 'or' });
    consumed = re.lastIndex;
  }
  if (clauses.length === 0 || raw.slice(consumed).trim() !== '') throw badRequest(`Syntax error: invalid $search value '${raw}'.`, 'Request_BadRequest');
  const match = (u: DirUser, c: (typeof clauses)[number]) => {
    const words = String(pathValue(u, c.prop) ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return c.terms.every((t) => words.some((w) => w.startsWith(t)));
  };
  return (u) => {
    let acc = match(u, clauses[0]);
    for (let i = 1; i < clauses.length; i++) acc = clauses[i].join === 'or' ? acc || match(u, clauses[i]) : acc && match(u, clauses[i]);
    return acc;
  };
}

/** By id (ids are stored lower case) or, for values with an @, by user principal name. */
function findUser(ctx: TenantContext, idOrUpn: string): DirUser | undefined {
  const direct = ctx.data.users.get(idOrUpn) ?? ctx.data.users.get(idOrUpn.toLowerCase());
  if (direct || !idOrUpn.includes('@')) return direct;
  const k = idOrUpn.toLowerCase();
  for (const u of ctx.data.users.values()) if (u.userPrincipalName.toLowerCase() === k) return u;
  return undefined;
}

function ok(body: object): Reply {
  return { status: 200, headers: { 'content-type': GRAPH_JSON }, body };
}

function userNotFound(id: string): GraphFailure {
  return new GraphFailure(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

export async function handleUsers(ctx: TenantContext, req: Incoming, token: IssuedToken, segs: string[]): Promise<Reply> {
  if (req.method !== 'GET') throw new GraphFailure(405, 'Request_BadRequest', `The demo tenant does not support ${req.method} on users.`);
  const select = resolveSelect(parseSelect(req.query.get('$select')), USER_PROPS, 'user');
  const wantsSignIn = !!select?.includes('signInActivity');
  const [id, sub, ...more] = segs;
  if (more.length || sub) throw unknownSegment(sub ?? more[0]);
  if (id === '$count') {
    needUserRead(token);
    if (!advanced(req)) throw badRequest('Count is not currently supported.', 'Request_BadRequest');
    return { status: 200, headers: { 'content-type': 'text/plain;charset=utf-8' }, body: String(ctx.data.users.size) };
  }
  if (id) {
    needUserRead(token);
    if (wantsSignIn) signInGate(ctx, token);
    const u = findUser(ctx, id);
    if (!u) throw userNotFound(id);
    return ok({ '@odata.context': contextUrl(req, select ? `users(${select.join(',')})/$entity` : 'users/$entity'), ...userJson(u, select) });
  }
  needUserRead(token);
  const filterRaw = req.query.get('$filter');
  const searchRaw = req.query.get('$search');
  const filter = filterRaw !== null ? userFilter(req, filterRaw) : null;
  const search = searchRaw !== null ? userSearch(req, searchRaw) : null;
  if (wantsSignIn || filter?.signIn) signInGate(ctx, token);
  const count = req.query.get('$count');
  if (count !== null && count !== 'false' && !advanced(req)) throw badRequest('$count is not currently supported.', 'Request_BadRequest');
  const orderby = req.query.get('$orderby');
  let sortKey: { prop: 'displayName' | 'userPrincipalName'; desc: boolean } | null = null;
  if (orderby !== null) {
    const m = /^\s*(displayName|userPrincipalName)(?:\s+(asc|desc))?\s*$/i.exec(orderby);
    if (!m) throw unsupported(`Sorting on '${orderby}' is not supported.`);
    sortKey = { prop: m[1].toLowerCase() === 'displayname' ? 'displayName' : 'userPrincipalName', desc: (m[2] ?? '').toLowerCase() === 'desc' };
  }
  let size = parseTop(req, 999, 'Request_UnsupportedQuery') ?? 100;
  // With signInActivity a page holds at most 500 users, whatever $top says (graph-api.md §6).
  if (wantsSignIn) size = Math.min(size, 500);
  const body = pageOf(ctx, req, {
    items: () => {
      // id lookups (the enrichment's bread and butter) go straight to the map instead of a full scan
      const candidates = filter?.ids ? filter.ids.map((id) => findUser(ctx, id)).filter((u): u is DirUser => !!u) : ctx.data.users.values();
      const seen = new Set<DirUser>();
      const all = [...candidates].filter((u) => !seen.has(u) && seen.add(u) && (!filter || filter.test(u)) && (!search || search(u)));
      if (sortKey) {
        const { prop, desc } = sortKey;
        all.sort((a, b) => String(a[prop] ?? '').localeCompare(String(b[prop] ?? '')) * (desc ? -1 : 1));
      }
      return all;
    },
    pageSize: size,
    serialize: (u: DirUser) => userJson(u, select),
    contextUrl: contextUrl(req, select ? `users(${select.join(',')})` : 'users'),
    count: count === 'true',
    expiredTokenError: { code: 'Directory_ExpiredPageToken', message: 'The specified page token value has expired and can no longer be included in your request.' },
  });
  return ok(body);
}

export async function handleMe(ctx: TenantContext, req: Incoming, token: IssuedToken, segs: string[]): Promise<Reply> {
  if (segs.length) throw unknownSegment(segs[0]);
  const select = resolveSelect(parseSelect(req.query.get('$select')), USER_PROPS, 'user');
  if (select?.includes('signInActivity')) signInGate(ctx, token);
  const u = ctx.data.users.get(token.userId);
  if (!u) throw userNotFound(token.userId);
  return ok({ '@odata.context': contextUrl(req, 'users/$entity'), ...userJson(u, select) });
}

const SP_DEFAULT = ['id', 'appId', 'displayName', 'servicePrincipalType', 'accountEnabled'];
const SP_PROPS = [...SP_DEFAULT, 'appDisplayName', 'appOwnerOrganizationId', 'publisherName', 'servicePrincipalNames', 'tags', 'deletedDateTime', 'description'];

function spJson(sp: ServicePrincipal, select: string[] | null): object {
  const out: Record<string, unknown> = {};
  for (const p of select ?? SP_DEFAULT) {
    out[p] = p === 'servicePrincipalNames' ? [sp.appId] : p === 'tags' ? [] : p === 'appDisplayName' ? sp.displayName : (sp as unknown as Record<string, unknown>)[p] ?? null;
  }
  return out;
}

export async function handleServicePrincipals(ctx: TenantContext, req: Incoming, token: IssuedToken, segs: string[]): Promise<Reply> {
  needUserRead(token);
  const select = resolveSelect(parseSelect(req.query.get('$select')), SP_PROPS, 'servicePrincipal');
  const [id, ...more] = segs;
  if (more.length) throw unknownSegment(more[0]);
  if (id) {
    const sp = ctx.data.servicePrincipals.get(id);
    if (!sp) throw userNotFound(id);
    return ok({ '@odata.context': contextUrl(req, 'servicePrincipals/$entity'), ...spJson(sp, select) });
  }
  const raw = req.query.get('$filter');
  let ids: Set<string> | null = null;
  if (raw !== null) {
    const node = parseFilter(raw);
    if (node.kind === 'in' && node.path.toLowerCase() === 'id') ids = new Set(node.values.map(literalText));
    else if (node.kind === 'cmp' && node.op === 'eq' && node.path.toLowerCase() === 'id') ids = new Set([literalText(node.value)]);
    else throw unsupported('Only id eq and id in (...) filters are supported on servicePrincipals.');
    if (ids.size > 15) throw unsupported(`Too many child clauses specified in search filter expression containing 'OR' operators: ${ids.size}. Max allowed: 15.`);
  }
  const body = pageOf(ctx, req, {
    items: () => [...ctx.data.servicePrincipals.values()].filter((s) => !ids || ids.has(s.id.toLowerCase())),
    pageSize: parseTop(req, 999, 'Request_UnsupportedQuery') ?? 100,
    serialize: (s: ServicePrincipal) => spJson(s, select),
    contextUrl: contextUrl(req, 'servicePrincipals'),
  });
  return ok(body);
}

/** POST /directoryObjects/getByIds {ids, types}: users and service principals, unknown ids left out. */
export async function handleGetByIds(ctx: TenantContext, req: Incoming, token: IssuedToken): Promise<Reply> {
  needUserRead(token);
  let body: { ids?: unknown; types?: unknown };
  try {
    body = JSON.parse(req.body.toString('utf8')) as typeof body;
  } catch {
    throw badRequest('Invalid request body.', 'Request_BadRequest');
  }
  if (!Array.isArray(body.ids) || !body.ids.every((x) => typeof x === 'string')) throw badRequest("The 'ids' property is required.", 'Request_BadRequest');
  if (body.ids.length > 1000) throw badRequest('At most 1000 ids may be requested at once.', 'Request_BadRequest');
  const types = Array.isArray(body.types) ? (body.types as string[]).map((t) => t.toLowerCase()) : ['user', 'serviceprincipal'];
  const value: object[] = [];
  for (const id of body.ids as string[]) {
    const u = types.includes('user') ? ctx.data.users.get(id) : undefined;
    if (u) value.push({ '@odata.type': '#microsoft.graph.user', ...userJson(u, null) });
    const sp = !u && types.includes('serviceprincipal') ? ctx.data.servicePrincipals.get(id) : undefined;
    if (sp) value.push({ '@odata.type': '#microsoft.graph.servicePrincipal', ...spJson(sp, null) });
  }
  return ok({ '@odata.context': contextUrl(req, 'directoryObjects'), value });
}

export async function handleOrganization(ctx: TenantContext, req: Incoming): Promise<Reply> {
  const t = ctx.data.tenant;
  return ok({
    '@odata.context': contextUrl(req, 'organization'),
    value: [
      {
        id: t.id,
        displayName: t.displayName,
        tenantType: 'AAD',
        countryLetterCode: 'US',
        createdDateTime: '2018-03-01T09:00:00Z',
        verifiedDomains: t.verifiedDomains.map((name) => ({ name, isDefault: name === t.defaultDomain, isInitial: name.endsWith('.onmicrosoft.com'), type: 'Managed', capabilities: 'Email, OfficeCommunicationsOnline' })),
      },
    ],
  });
}

/** The admin's grants as unifiedRoleAssignment objects, with stable ids. */
function adminRoleAssignments(ctx: TenantContext): RoleAssignment[] {
  return adminGrants(ctx).map((g) => ({
    id: createHash('sha256').update(`${ctx.data.adminId}|${g.roleDefinitionId}|${g.catalogId}`).digest('base64url').slice(0, 32),
    principalId: ctx.data.adminId,
    roleDefinitionId: g.roleDefinitionId,
    appScopeId: g.catalogId ? `/AccessPackageCatalog/${g.catalogId}` : '/',
    directoryScopeId: '/',
  }));
}

export async function handleRoleManagement(ctx: TenantContext, req: Incoming, token: IssuedToken, segs: string[]): Promise<Reply> {
  if (!hasScope(token, 'EntitlementManagement.Read.All', 'EntitlementManagement.ReadWrite.All', 'RoleManagement.Read.All', 'RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory')) {
    throw forbidden('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  const [provider, collection, ...more] = segs;
  if ((provider ?? '').toLowerCase() !== 'entitlementmanagement') throw unknownSegment(provider ?? '');
  if (more.length) throw unknownSegment(more[0]);
  const select = parseSelect(req.query.get('$select'));
  const defProps = ['id', 'displayName', 'description', 'isBuiltIn', 'isEnabled', 'templateId', 'version', 'rolePermissions'];
  const defJson = (id: string, sel: string[] | null) => {
    const d = ctx.data.roleDefinitions.find((x) => x.id === id);
    if (!d) return null;
    const chosen = resolveSelect(sel, defProps, 'unifiedRoleDefinition') ?? defProps;
    return Object.fromEntries(chosen.map((p) => [p, (d as unknown as Record<string, unknown>)[p] ?? null]));
  };
  if ((collection ?? '').toLowerCase() === 'roledefinitions') {
    return ok({ '@odata.context': contextUrl(req, 'roleManagement/entitlementManagement/roleDefinitions'), value: ctx.data.roleDefinitions.map((d) => defJson(d.id, select)) });
  }
  if ((collection ?? '').toLowerCase() !== 'roleassignments') throw unknownSegment(collection ?? '');
  const raw = req.query.get('$filter');
  if (raw === null) throw badRequest('A $filter on principalId, roleDefinitionId or appScopeId is required for this request.', 'BadRequest');
  const allowed: Record<string, keyof RoleAssignment> = { principalid: 'principalId', roledefinitionid: 'roleDefinitionId', appscopeid: 'appScopeId' };
  const node = parseFilter(raw);
  const clauses = node.kind === 'and' ? node.items : [node];
  const tests = clauses.map((c) => {
    const key = 'path' in c ? allowed[c.path.toLowerCase()] : undefined;
    if (!key) throw badRequest(`Invalid filter clause: unsupported filter on roleAssignments: '${raw}'.`, 'BadRequest');
    if (c.kind === 'cmp' && c.op === 'eq') return (r: RoleAssignment) => r[key].toLowerCase() === literalText(c.value);
    if (c.kind === 'in') return (r: RoleAssignment) => c.values.some((v) => r[key].toLowerCase() === literalText(v));
    throw badRequest(`Invalid filter clause: only eq and in are supported on roleAssignments.`, 'BadRequest');
  });
  const expand = parseExpand(req.query.get('$expand'));
  for (const e of expand) {
    if (!['roledefinition', 'principal'].includes(e.name.toLowerCase())) {
      throw badRequest(`Could not find a property named '${e.name}' on type 'microsoft.graph.unifiedRoleAssignment'.`, 'BadRequest');
    }
  }
  const raProps = ['id', 'principalId', 'roleDefinitionId', 'appScopeId', 'directoryScopeId'];
  const chosen = (resolveSelect(select, [...raProps, 'roleDefinition', 'principal'], 'unifiedRoleAssignment') ?? raProps).filter((p) => raProps.includes(p));
  const value = [...adminRoleAssignments(ctx), ...ctx.data.roleAssignments]
    .filter((r) => tests.every((t) => t(r)))
    .map((r) => {
      const out: Record<string, unknown> = Object.fromEntries(chosen.map((p) => [p, r[p as keyof RoleAssignment]]));
      for (const e of expand) {
        if (e.name.toLowerCase() === 'roledefinition') out.roleDefinition = defJson(r.roleDefinitionId, e.select);
        else {
          const u = ctx.data.users.get(r.principalId);
          out.principal = u ? { '@odata.type': '#microsoft.graph.user', ...userJson(u, null) } : null;
        }
      }
      return out;
    });
  return ok({ '@odata.context': contextUrl(req, 'roleManagement/entitlementManagement/roleAssignments'), value });
}
