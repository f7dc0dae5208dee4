// A small in-memory stand-in for the v1.0 assignments list endpoint: $filter on package, policy and state,
// $expand, paging with opaque $skiptoken next links. Knobs let a test break it in the ways the product
// must survive.
import { GRAPH, guid, query, pathOf, type FakeAnswer, type FakeRequest } from './fakes';

export interface RawAssignment {
  id: string;
  state: string;
  status: string;
  accessPackageId: string;
  policyId: string;
  objectId: string | null;
}

export interface ListServerOptions {
  assignments: RawAssignment[];
  pageSize: number;
  /** Compare state names case-sensitively (the docs do not say either way). */
  caseSensitiveState?: boolean;
  /** Answer `@odata.count` when $count=true is asked. */
  honourCount?: boolean;
  /** Refuse `$count` with 400. */
  refuseCount?: boolean;
  /** Refuse filters on policy/state with 400. */
  refusePartitionFilter?: boolean;
  /** Replace the answer of a request (return undefined to answer normally). */
  override?: (req: FakeRequest, info: { filter: string; offset: number }) => FakeAnswer | undefined;
  /** The host next links point to. */
  nextLinkRoot?: string;
  /**
   * What $top does: ignored (default, as documented: no $top); the page size (Graph's usual meaning);
   * a limit on the whole result (OData's meaning: the list is cut); refused with 400.
   */
  top?: 'ignore' | 'page' | 'total' | 'refuse';
  /** Refuse `target($expand=connectedOrganization)` with a 400 (the product then lists without it). */
  refuseNestedExpand?: boolean;
  /** Refuse `$select` inside `$expand` with a 400 (the product then reads the whole policy). */
  refuseNestedSelect?: boolean;
}

/** The $expand values this fake answers; any other is a 400. */
const KNOWN_EXPANDS = [
  'target($expand=connectedOrganization),assignmentPolicy($select=id,displayName)',
  'target($expand=connectedOrganization),assignmentPolicy',
  'target,assignmentPolicy',
];

export const PKG = 'aaaaaaaa-0000-4000-8000-000000000001';
export const LIST_PATH = 'identityGovernance/entitlementManagement/assignments';

export function makeAssignments(spec: Array<{ policyId: string; state: string; count: number }>, pkg = PKG): RawAssignment[] {
  const out: RawAssignment[] = [];
  let n = 0;
  for (const s of spec) {
    for (let i = 0; i < s.count; i++) {
      n++;
      out.push({ id: guid(n, 'a'), state: s.state, status: 'Delivered', accessPackageId: pkg, policyId: s.policyId, objectId: guid(n, 'b') });
    }
  }
  return out;
}

function toGraph(a: RawAssignment): unknown {
  return {
    id: a.id,
    state: a.state,
    status: a.status,
    schedule: { startDateTime: '2024-01-01T00:00:00Z', expiration: { type: 'noExpiration' } },
    assignmentPolicy: { id: a.policyId, displayName: `Policy ${a.policyId}` },
    target: { id: `subj-${a.id}`, objectId: a.objectId, displayName: `User ${a.id}`, principalName: `${a.id}@contoso.com`, email: '', subjectType: 'user' },
  };
}

/** Route for the list endpoint; anything else → 404. */
export function listServer(o: ListServerOptions): (req: FakeRequest) => FakeAnswer {
  return (req) => {
    if (pathOf(req.url) !== LIST_PATH) return { status: 404, json: { error: { code: 'NotFound', message: `no route ${req.url}` } } };
    const q = query(req.url);
    const filter = q.$filter ?? '';
    const offset = Number(q.$skiptoken ?? '0');
    const special = o.override?.(req, { filter, offset });
    if (special) return special;
    if (o.refuseCount && q.$count !== undefined) return { status: 400, json: { error: { code: 'BadRequest', message: '$count is not supported' } } };
    const pkg = /accessPackage\/id eq '([^']*)'/.exec(filter)?.[1];
    const pol = /assignmentPolicy\/id eq '([^']*)'/.exec(filter)?.[1];
    const state = /state eq '([^']*)'/.exec(filter)?.[1];
    if (o.refusePartitionFilter && (pol !== undefined || state !== undefined)) {
      return { status: 400, json: { error: { code: 'InvalidFilter', message: 'Invalid filter clause' } } };
    }
    const expand = q.$expand ?? '';
    if (!KNOWN_EXPANDS.includes(expand)) return { status: 400, json: { error: { code: 'BadRequest', message: `expand ${expand}` } } };
    if (o.refuseNestedSelect && expand.includes('($select=')) return { status: 400, json: { error: { code: 'BadRequest', message: 'Query option $select is not allowed inside $expand' } } };
    if (o.refuseNestedExpand && expand.includes('($expand=')) return { status: 400, json: { error: { code: 'BadRequest', message: 'Nested $expand is not supported' } } };
    const eqState = (s: string): boolean => (o.caseSensitiveState ? s === state : s.toLowerCase() === state!.toLowerCase());
    const all = o.assignments.filter(
      (a) => a.accessPackageId === pkg && (pol === undefined || a.policyId === pol) && (state === undefined || eqState(a.state)),
    );
    const top = q.$top === undefined ? null : Number(q.$top);
    if (top !== null && o.top === 'refuse') return { status: 400, json: { error: { code: 'BadRequest', message: '$top is not supported' } } };
    const size = top !== null && o.top === 'page' ? top : o.pageSize;
    const end = top !== null && o.top === 'total' ? Math.min(all.length, top) : all.length;
    const page = all.slice(offset, Math.min(end, offset + size));
    const json: Record<string, unknown> = { value: page.map(toGraph) };
    if (o.honourCount && q.$count === 'true') json['@odata.count'] = all.length;
    if (offset + size < end) {
      const root = o.nextLinkRoot ?? GRAPH;
      const params = new URLSearchParams();
      params.set('$filter', filter);
      params.set('$expand', q.$expand);
      if (q.$count) params.set('$count', q.$count);
      if (q.$top) params.set('$top', q.$top);
      params.set('$skiptoken', String(offset + size));
      json['@odata.nextLink'] = `${root}${LIST_PATH}?${params.toString()}`;
    }
    return { status: 200, json };
  };
}

/** How many pages each partition (policy × state) of the spec needs: the lower bound is the largest. */
export function pagesPerPartition(assignments: RawAssignment[], pageSize: number): number[] {
  const counts = new Map<string, number>();
  for (const a of assignments) counts.set(`${a.policyId}|${a.state}`, (counts.get(`${a.policyId}|${a.state}`) ?? 0) + 1);
  return [...counts.values()].map((c) => Math.ceil(c / pageSize));
}
