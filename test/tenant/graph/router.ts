// Graph v1.0: one dispatcher for top-level requests and $batch sub-requests. Throttling and injected
// page failures apply per dispatched request (a $batch sub-request is throttled on its own, graph-api.md §7).
import type { Incoming, Reply, TenantContext } from '../context';
import { ODataError } from '../odata';
import { Rng } from '../random';
import type { IssuedToken } from '../tokens';
import { handleGetByIds, handleMe, handleOrganization, handleRoleManagement, handleServicePrincipals, handleUsers } from './directory';
import { routeDetails } from './details';
import { handleEntitlement } from './entitlement';
import { handleAppRoleAssignedTo, handleGroups, handleResourceServicePrincipal, isResourceServicePrincipal } from './resources';
import { GRAPH_JSON, GraphFailure, graphErrorReply, unknownSegment } from './errors';

export interface LogSink {
  (entry: { host: string; method: string; path: string; rawQuery: string; status: number; body?: unknown; tokenScopes: string[]; prefer?: string }): void;
}

const FAIL_CODES: Record<number, [string, string]> = {
  500: ['InternalServerError', 'An internal server error occurred. Please retry the request.'],
  503: ['serviceNotAvailable', 'The service is temporarily unavailable. Please retry after some time.'],
  504: ['GatewayTimeout', 'The gateway did not receive a response from the upstream service in time.'],
};

function urlOf(req: Incoming): string {
  return req.rawQuery ? `${req.path}?${req.rawQuery}` : req.path;
}

function matches(req: Incoming, match: string | null | undefined): boolean {
  if (!match) return true;
  const raw = urlOf(req);
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    /* keep raw */
  }
  return raw.includes(match) || decoded.includes(match);
}

/** 429s and injected 5xx failures, decided before the request reaches its handler. */
function injectedFault(ctx: TenantContext, req: Incoming): Reply | null {
  const cfg = ctx.config;
  const cid = req.headers['client-request-id']?.toString();
  const t = cfg.throttle;
  if (t && matches(req, t.match)) {
    const now = Date.now();
    let throttled = t.untilMs !== undefined && now < t.untilMs;
    if (!throttled && t.everyNth && t.everyNth > 0) {
      ctx.nthCounter++;
      throttled = ctx.nthCounter % t.everyNth === 0;
    }
    if (throttled) {
      ctx.stats.throttled++;
      const retry = t.retryAfterSec === undefined ? Math.max(1, Math.ceil(((t.untilMs ?? now) - now) / 1000)) : t.retryAfterSec;
      return graphErrorReply(429, 'TooManyRequests', 'Too many requests. Please retry later.', retry === null ? {} : { 'retry-after': String(retry) }, cid);
    }
  }
  const refused = cfg.refuseQueries.find((r) => matches(req, r.match));
  if (refused) return graphErrorReply(400, refused.code, refused.message, {}, cid);
  const f = cfg.failPages;
  if (f && matches(req, f.match) && (f.count === undefined || f.count > 0)) {
    let fail: boolean;
    if (f.probability !== undefined) {
      ctx.failRng ??= new Rng(f.seed ?? 1);
      fail = ctx.failRng.next() < f.probability;
    } else {
      fail = f.count !== undefined;
    }
    if (fail) {
      if (f.count !== undefined) f.count--;
      ctx.stats.injectedFailures++;
      const [code, message] = FAIL_CODES[f.status] ?? FAIL_CODES[503];
      return graphErrorReply(f.status, code, message, f.retryAfterSec !== undefined ? { 'retry-after': String(f.retryAfterSec) } : {}, cid);
    }
  }
  return null;
}

/** Routes one Graph request (path starting with /v1.0) to its handler; never throws. */
export async function dispatchGraph(ctx: TenantContext, req: Incoming, token: IssuedToken, log: LogSink): Promise<Reply> {
  // The $batch envelope itself is not throttled; its sub-requests are, one by one.
  const envelope = !req.inBatch && /^\/v1\.0\/(\$|%24)batch\/?$/i.test(req.path);
  const fault = envelope ? null : injectedFault(ctx, req);
  if (fault) return fault;
  const cid = req.headers['client-request-id']?.toString();
  try {
    const reply = await route(ctx, req, token, log);
    if (cid) reply.headers['client-request-id'] = cid;
    if (reply.status === 429) ctx.stats.throttled++;
    return reply;
  } catch (e) {
    if (e instanceof GraphFailure) {
      if (e.status === 429) ctx.stats.throttled++;
      return graphErrorReply(e.status, e.code, e.message, e.headers, cid);
    }
    if (e instanceof ODataError) return graphErrorReply(400, e.code, e.message, {}, cid);
    return graphErrorReply(500, 'InternalServerError', `The demo tenant failed: ${(e as Error).message}`, {}, cid);
  }
}

async function route(ctx: TenantContext, req: Incoming, token: IssuedToken, log: LogSink): Promise<Reply> {
  const segs = req.path.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  const version = segs.shift();
  if (version !== 'v1.0') {
    throw new GraphFailure(400, 'BadRequest', `Invalid version: '${version ?? ''}'. The demo tenant serves Microsoft Graph v1.0 only.`);
  }
  const details = routeDetails(ctx, req, token, segs);
  if (details) return details;
  const [first, second, ...rest] = segs;
  switch ((first ?? '').toLowerCase()) {
    case '$batch':
      if (req.method !== 'POST' || req.inBatch) throw new GraphFailure(400, 'BadRequest', 'Invalid batch request.');
      return batch(ctx, req, token, log);
    case 'identitygovernance':
      if ((second ?? '').toLowerCase() !== 'entitlementmanagement') throw unknownSegment(second ?? '');
      return handleEntitlement(ctx, req, token, rest);
    case 'users':
      return handleUsers(ctx, req, token, [second, ...rest].filter((x): x is string => x !== undefined));
    case 'me':
      return handleMe(ctx, req, token, [second, ...rest].filter((x): x is string => x !== undefined));
    case 'serviceprincipals':
      if (second && rest.length === 1 && rest[0].toLowerCase() === 'approleassignedto') return handleAppRoleAssignedTo(ctx, req, token, second);
      if (second && rest.length === 0 && isResourceServicePrincipal(ctx, second)) return handleResourceServicePrincipal(ctx, req, token, second);
      return handleServicePrincipals(ctx, req, token, [second, ...rest].filter((x): x is string => x !== undefined));
    case 'directoryobjects':
      if (req.method === 'POST' && (second ?? '').toLowerCase() === 'getbyids' && rest.length === 0) return handleGetByIds(ctx, req, token);
      throw unknownSegment(second ?? 'directoryObjects');
    case 'organization':
      return handleOrganization(ctx, req);
    case 'groups':
      return handleGroups(ctx, req, token, [second, ...rest].filter((x): x is string => x !== undefined));
    case 'rolemanagement':
      return handleRoleManagement(ctx, req, token, [second, ...rest].filter((x): x is string => x !== undefined));
    default:
      throw unknownSegment(first ?? '');
  }
}

interface BatchItem {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: unknown;
  body?: unknown;
  dependsOn?: unknown;
}

/** POST /$batch: at most 20 sub-requests, each through the same dispatcher (graph-api.md §7). */
async function batch(ctx: TenantContext, req: Incoming, token: IssuedToken, log: LogSink): Promise<Reply> {
  let parsed: { requests?: unknown };
  try {
    parsed = JSON.parse(req.body.toString('utf8')) as { requests?: unknown };
  } catch {
    throw new GraphFailure(400, 'BadRequest', 'Invalid batch payload: the body is not valid JSON.');
  }
  const items = parsed?.requests;
  if (!Array.isArray(items) || items.length === 0) throw new GraphFailure(400, 'BadRequest', "Invalid batch payload: 'requests' must be a non-empty array.");
  if (items.length > 20) throw new GraphFailure(400, 'BadRequest', `Invalid batch payload: the number of requests (${items.length}) exceeds the limit of 20.`);
  const seen = new Set<string>();
  for (const it of items as BatchItem[]) {
    if (typeof it?.id !== 'string' || !it.id) throw new GraphFailure(400, 'BadRequest', "Invalid batch payload: every request needs an 'id'.");
    if (seen.has(it.id)) throw new GraphFailure(400, 'BadRequest', `Invalid batch payload: the id '${it.id}' is used twice.`);
    seen.add(it.id);
  }
  const statuses = new Map<string, number>();
  const responses: object[] = [];
  for (const it of items as BatchItem[]) {
    const id = it.id as string;
    const deps = Array.isArray(it.dependsOn) ? (it.dependsOn as unknown[]).map(String) : [];
    let reply: Reply;
    if (deps.some((d) => (statuses.get(d) ?? 424) >= 400)) {
      reply = graphErrorReply(424, 'FailedDependency', 'The request depends on a request that failed.');
    } else {
      reply = await subRequest(ctx, req, it, token, log);
    }
    statuses.set(id, reply.status);
    responses.push({ id, status: reply.status, headers: reply.headers, body: typeof reply.body === 'object' && !Buffer.isBuffer(reply.body) ? reply.body : reply.body?.toString() ?? null });
  }
  return { status: 200, headers: { 'content-type': GRAPH_JSON }, body: { responses } };
}

async function subRequest(ctx: TenantContext, outer: Incoming, it: BatchItem, token: IssuedToken, log: LogSink): Promise<Reply> {
  const method = typeof it.method === 'string' ? it.method.toUpperCase() : '';
  const url = typeof it.url === 'string' ? it.url : '';
  if (!method || !url) return graphErrorReply(400, 'BadRequest', "Each batch request needs 'method' and 'url'.");
  if (/^[a-z]+:\/\//i.test(url)) return graphErrorReply(400, 'BadRequest', `Batch request URLs must be relative: '${url}'.`);
  const headers: Record<string, string> = {};
  if (it.headers && typeof it.headers === 'object') {
    for (const [k, v] of Object.entries(it.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
  }
  headers.authorization = outer.headers.authorization ?? '';
  let body = Buffer.alloc(0);
  if (it.body !== undefined && it.body !== null) {
    if (!headers['content-type']) return graphErrorReply(400, 'BadRequest', 'A batch request with a body needs a Content-Type header.');
    body = Buffer.from(typeof it.body === 'string' ? it.body : JSON.stringify(it.body));
  }
  const rel = url.startsWith('/') ? url : `/${url}`;
  const q = rel.indexOf('?');
  const sub: Incoming = {
    method,
    host: outer.host,
    path: `/v1.0${q < 0 ? rel : rel.slice(0, q)}`,
    rawQuery: q < 0 ? '' : rel.slice(q + 1),
    query: new URLSearchParams(q < 0 ? '' : rel.slice(q + 1)),
    headers,
    body,
    inBatch: true,
  };
  const reply = await dispatchGraph(ctx, sub, token, log);
  let logged: unknown;
  if (body.length) {
    try {
      logged = JSON.parse(body.toString('utf8'));
    } catch {
      logged = body.toString('utf8');
    }
  }
  log({ host: sub.host, method, path: sub.path, rawQuery: sub.rawQuery, status: reply.status, body: logged, tokenScopes: token.scopes, prefer: headers.prefer });
  return reply;
}
