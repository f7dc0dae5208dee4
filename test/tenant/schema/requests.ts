// Checks the requests the product sent (as the demo tenant recorded them) against what Graph v1.0
// documents: the path exists, every query option is one the endpoint documents, every $select / $expand /
// $filter property exists on its type (expand only navigation properties), enum literals are declared
// members, and request bodies follow the schema. Table-driven:
//   - entitlement management is resolved through the CSDL (csdl.ts) from `entitlementManagement`'s
//     navigation properties, their ids and bound actions;
//   - everything else is one row of NON_CSDL_ENDPOINTS below: the documented endpoints outside the
//     entitlement subset, each with the query options its v1.0 page documents. A new Graph call outside
//     the CSDL adds one row there (see test/tenant/README.md).
import { parseExpand, parseFilter, parseSelect, type ExpandItem, type FilterNode } from '../odata';
import { enumMembersShown, navigationOf, propertyOf, type Schema } from './csdl';
import { validateObject } from './validate';

export interface RecordedRequest {
  host: string;
  method: string;
  /** decoded path, `/v1.0/...` */
  path: string;
  query: Record<string, string>;
  body?: unknown;
  /** the Prefer header, if any */
  prefer?: string | null;
}

export interface EndpointRow {
  /** Path after `/v1.0/`, `{id}` for one segment. Case-insensitive. */
  path: string;
  methods: string[];
  /** Query options the v1.0 page documents for it ($skiptoken of next links is always allowed). */
  options: string[];
  /** The v1.0 page. */
  docs: string;
}

/** Documented v1.0 endpoints outside the entitlement-management CSDL subset. One row per endpoint. */
export const NON_CSDL_ENDPOINTS: EndpointRow[] = [
  { path: 'me', methods: ['GET'], options: ['$select', '$expand'], docs: 'https://learn.microsoft.com/graph/api/user-get?view=graph-rest-1.0' },
  { path: 'users', methods: ['GET'], options: ['$select', '$filter', '$top', '$search', '$count', '$orderby', '$expand'], docs: 'https://learn.microsoft.com/graph/api/user-list?view=graph-rest-1.0' },
  { path: 'users/$count', methods: ['GET'], options: ['$filter', '$search'], docs: 'https://learn.microsoft.com/graph/api/user-list?view=graph-rest-1.0' },
  { path: 'users/{id}', methods: ['GET'], options: ['$select', '$expand'], docs: 'https://learn.microsoft.com/graph/api/user-get?view=graph-rest-1.0' },
  { path: 'users/{id}/manager', methods: ['GET'], options: ['$select'], docs: 'https://learn.microsoft.com/graph/api/user-list-manager?view=graph-rest-1.0' },
  { path: 'groups/{id}/members', methods: ['GET'], options: ['$select', '$filter', '$top', '$count', '$search', '$expand'], docs: 'https://learn.microsoft.com/graph/api/group-list-members?view=graph-rest-1.0' },
  { path: 'groups/{id}/owners', methods: ['GET'], options: ['$select', '$filter', '$top', '$count', '$search', '$expand'], docs: 'https://learn.microsoft.com/graph/api/group-list-owners?view=graph-rest-1.0' },
  { path: 'servicePrincipals/{id}', methods: ['GET'], options: ['$select', '$expand'], docs: 'https://learn.microsoft.com/graph/api/serviceprincipal-get?view=graph-rest-1.0' },
  { path: 'servicePrincipals/{id}/appRoleAssignedTo', methods: ['GET'], options: ['$select', '$filter', '$top', '$count', '$orderby', '$search'], docs: 'https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto?view=graph-rest-1.0' },
  { path: 'directoryObjects/getByIds', methods: ['POST'], options: [], docs: 'https://learn.microsoft.com/graph/api/directoryobject-getbyids?view=graph-rest-1.0' },
  { path: 'organization', methods: ['GET'], options: ['$select'], docs: 'https://learn.microsoft.com/graph/api/organization-list?view=graph-rest-1.0' },
  { path: 'roleManagement/entitlementManagement/roleAssignments', methods: ['GET'], options: ['$filter', '$expand', '$select'], docs: 'https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments?view=graph-rest-1.0' },
  { path: '$batch', methods: ['POST'], options: [], docs: 'https://learn.microsoft.com/graph/json-batching' },
];

/**
 * Entitlement-management collections and the query options their v1.0 list / get pages document.
 * (List assignments: $select, $filter, $expand; list assignmentRequests: $expand, $filter, and $select
 * as OData allows on any entity set.) $top and $count are documented on none of them.
 */
const EM_OPTIONS = ['$select', '$filter', '$expand'];

/**
 * Where the v1.0 documentation and the schema disagree on a request body, the documented form is what
 * Graph accepts: the create-assignmentRequest page adds a user with `assignment.targetId`,
 * `assignmentPolicyId` and `accessPackageId`, which the schema's accessPackageAssignment does not declare.
 */
const BODY_EXTRAS: Record<string, string[]> = { accessPackageAssignment: ['targetId', 'assignmentPolicyId', 'accessPackageId'] };

const EM_PREFIX = 'identityGovernance/entitlementManagement';

/** Plain-language problems with one recorded request; empty when it is what Graph documents. */
export function requestProblems(schema: Schema, r: RecordedRequest, extra: readonly EndpointRow[] = []): string[] {
  if (r.host !== 'graph.microsoft.com' && !/graph\.microsoft\.(us|com)|microsoftgraph\.chinacloudapi\.cn/.test(r.host)) return [];
  // The proxy tunnel (Firefox) and CORS preflights are the browser's, not requests to Graph.
  if (r.method === 'CONNECT' || r.method === 'OPTIONS') return [];
  const rel = r.path.replace(/^\/v1\.0\/?/, '');
  const what = `${r.method} /v1.0/${rel}`;
  const include = (r.prefer ?? '').toLowerCase().includes('include-unknown-enum-members');
  if (rel.toLowerCase().startsWith(EM_PREFIX.toLowerCase())) {
    return entitlementProblems(schema, r, rel.slice(EM_PREFIX.length).replace(/^\//, ''), include).map((p) => `${what}: ${p}`);
  }
  const segs = rel.split('/').filter(Boolean);
  const row = [...NON_CSDL_ENDPOINTS, ...extra].find((e) => {
    const want = e.path.split('/');
    return want.length === segs.length && want.every((w, i) => w === '{id}' || w.toLowerCase() === segs[i].toLowerCase());
  });
  if (!row) return [`${what}: not an endpoint of the request table (add a documented row to NON_CSDL_ENDPOINTS)`];
  if (!row.methods.includes(r.method)) return [`${what}: ${r.method} is not documented for it`];
  return optionProblems(r.query, row.options).map((p) => `${what}: ${p}`);
}

function optionProblems(query: Record<string, string>, allowed: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of Object.keys(query)) {
    if (!k.startsWith('$') || k.toLowerCase() === '$skiptoken') continue;
    if (!allowed.some((a) => a.toLowerCase() === k.toLowerCase())) out.push(`query option ${k} is not documented for this endpoint`);
  }
  return out;
}

function entitlementProblems(schema: Schema, r: RecordedRequest, rest: string, include: boolean): string[] {
  const segs = rest.split('/').filter(Boolean);
  let type = 'entitlementManagement';
  let collection = false;
  let i = 0;
  // entitlementManagement/<nav>[/<id>][/<nav or bound action>]...
  while (i < segs.length) {
    const seg = segs[i];
    if (collection) {
      collection = false; // this segment is the key
      i++;
      continue;
    }
    const nav = navigationOf(schema, type, seg);
    if (nav) {
      type = nav.type;
      collection = nav.collection;
      i++;
      continue;
    }
    if (schema.actions.has(`${type}/${seg}`) && i === segs.length - 1) {
      if (r.method !== 'POST') return [`bound action ${seg} needs POST`];
      return optionProblems(r.query, []);
    }
    return [`'${seg}' is not a navigation property or bound action of ${type}`];
  }
  const out: string[] = [...optionProblems(r.query, EM_OPTIONS)];
  if (r.method === 'POST') {
    if (!collection) return [...out, 'POST to a single entity'];
    out.push(...bodyProblems(schema, r.body, type));
    return out;
  }
  if (r.method !== 'GET') return [...out, `${r.method} is not used by the product here`];
  const select = parseSelect(r.query.$select ?? null);
  for (const s of select ?? []) if (!propertyOf(schema, type, s) && !navigationOf(schema, type, s)) out.push(`$select: ${type} has no property '${s}'`);
  try {
    out.push(...expandProblems(schema, type, parseExpand(r.query.$expand ?? null)));
  } catch (e) {
    out.push(`$expand: ${(e as Error).message}`);
  }
  if (r.query.$filter !== undefined) {
    let node: FilterNode | null = null;
    try {
      node = parseFilter(r.query.$filter);
    } catch (e) {
      out.push(`$filter: ${(e as Error).message}`);
    }
    if (node) out.push(...filterProblems(schema, type, node, include));
  }
  return out;
}

function expandProblems(schema: Schema, type: string, items: ExpandItem[]): string[] {
  const out: string[] = [];
  for (const e of items) {
    // OData 4.0: an expand path may cross complex properties to a navigation property of their type
    // (e.g. accessPackageAssignmentRequest answers/answeredQuestion).
    const segs = e.name.split('/');
    if (segs.length > 1) {
      let at = type;
      let bad: string | null = null;
      for (const seg of segs.slice(0, -1)) {
        const p = propertyOf(schema, at, seg);
        if (!p || !schema.types.get(p.type) || schema.types.get(p.type)!.kind !== 'complex') {
          bad = p ? `$expand: ${at}.${seg} is not a complex property` : `$expand: ${at} has no property '${seg}'`;
          break;
        }
        at = p.type;
      }
      if (bad) {
        out.push(bad);
        continue;
      }
      out.push(...expandProblems(schema, at, [{ ...e, name: segs[segs.length - 1] }]));
      continue;
    }
    const nav = navigationOf(schema, type, e.name);
    if (!nav) {
      out.push(propertyOf(schema, type, e.name) ? `$expand: ${type}.${e.name} is not a navigation property` : `$expand: ${type} has no property '${e.name}'`);
      continue;
    }
    for (const s of e.select ?? []) if (!propertyOf(schema, nav.type, s)) out.push(`$expand ${e.name}($select): ${nav.type} has no property '${s}'`);
    out.push(...expandProblems(schema, nav.type, e.expand));
  }
  return out;
}

function filterProblems(schema: Schema, type: string, node: FilterNode, include: boolean): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.items.flatMap((n) => filterProblems(schema, type, n, include));
    case 'not':
      return filterProblems(schema, type, node.item, include);
    default: {
      let t = type;
      const parts = node.path.split('/');
      for (let k = 0; k < parts.length; k++) {
        const last = k === parts.length - 1;
        const nav = navigationOf(schema, t, parts[k]);
        const prop = propertyOf(schema, t, parts[k]);
        if (!last) {
          const next = nav ?? prop;
          if (!next) return [`$filter: ${t} has no property '${parts[k]}'`];
          t = next.type;
          continue;
        }
        if (!prop) return [nav ? `$filter: ${t}.${parts[k]} is a relationship, not a value` : `$filter: ${t} has no property '${parts[k]}'`];
        const e = schema.enums.get(prop.type);
        if (!e) return [];
        const values = node.kind === 'in' ? node.values : [node.value];
        const shown = enumMembersShown(e, include).map((m) => m.toLowerCase());
        return values
          .filter((v) => typeof v !== 'string' || !shown.includes(v.toLowerCase()))
          .map((v) => `$filter: ${String(v)} is not a member of ${prop.type}${e.members.some((m) => m.toLowerCase() === String(v).toLowerCase()) ? ' without Prefer: include-unknown-enum-members' : ''}`);
      }
      return [];
    }
  }
}

function bodyProblems(schema: Schema, body: unknown, type: string): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['the body is not a JSON object'];
  const ctx = { expand: [], select: null, includeUnknownEnums: false, body: true as const };
  const problems = validateObject(schema, body, type, ctx, 'body');
  // the documented deep-insert names the schema lacks (see BODY_EXTRAS)
  return problems.filter((p) => !Object.entries(BODY_EXTRAS).some(([t, names]) => names.some((n) => p.endsWith(`${t} has no property '${n}'`))));
}
