// The HTTP face of Graph: CORS, bearer-token check, latency, and the connection-level faults
// (a reset in the middle of the body, a body that is not JSON) that only a top-level response can have.
import type { Incoming, Reply, TenantContext } from '../context';
import { GRAPH_HOSTS } from '../hosts';
import { header } from '../http-util';
import { graphErrorReply } from './errors';
import { dispatchGraph, type LogSink } from './router';

export interface GraphOutcome {
  reply: Reply;
  /** what to do to the response on the wire */
  fault?: 'reset' | 'malformed';
  tokenScopes?: string[];
}

const EXPOSE = 'Retry-After, request-id, client-request-id, x-ms-ags-diagnostic, Location, Content-Type, x-ms-throttle-scope';

function cors(req: Incoming): Record<string, string> {
  return {
    'access-control-allow-origin': header(req.headers, 'origin') ?? '*',
    'access-control-expose-headers': EXPOSE,
    vary: 'Origin',
  };
}

function unauthorized(ctx: TenantContext, req: Incoming, message: string): GraphOutcome {
  const reply = graphErrorReply(401, 'InvalidAuthenticationToken', message, {
    'www-authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    ...cors(req),
  });
  return { reply };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function takeFault(ctx: TenantContext, req: Incoming): 'reset' | 'malformed' | undefined {
  const cfg = ctx.config;
  const url = req.rawQuery ? `${req.path}?${req.rawQuery}` : req.path;
  if (cfg.faultMatch && !url.includes(cfg.faultMatch) && !safeDecode(url).includes(cfg.faultMatch)) return undefined;
  if (cfg.resetNext > 0) {
    cfg.resetNext--;
    ctx.stats.resets++;
    return 'reset';
  }
  if (cfg.malformedNext > 0) {
    cfg.malformedNext--;
    ctx.stats.malformed++;
    return 'malformed';
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export async function handleGraphHttp(ctx: TenantContext, req: Incoming, log: LogSink): Promise<GraphOutcome> {
  if (req.method === 'OPTIONS') {
    return {
      reply: {
        status: 200,
        headers: {
          ...cors(req),
          'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
          'access-control-allow-headers': header(req.headers, 'access-control-request-headers') ?? 'authorization, content-type',
          'access-control-max-age': '3600',
        },
      },
    };
  }
  // The "after N more requests" countdown runs before the check: requests 1..N pass, N+1 finds its token expired.
  const cfg = ctx.config;
  if (cfg.expireTokensAfter !== null) {
    if (cfg.expireTokensAfter <= 0) {
      ctx.tokens.revokeAll();
      cfg.expireTokensAfter = null;
    } else {
      cfg.expireTokensAfter--;
    }
  }
  const auth = header(req.headers, 'authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(auth);
  if (!m) return unauthorized(ctx, req, 'Access token is empty.');
  const checked = ctx.tokens.check(m[1]);
  if (!checked.ok) {
    if (checked.reason === 'expired') {
      ctx.stats.expiredTokenRejections++;
      return unauthorized(ctx, req, 'Lifetime validation failed, the token is expired.');
    }
    return unauthorized(ctx, req, 'IDX14100: JWT is not well formed, there are no dots (.). The token needs to be in JWS or JWE Compact Serialization Format.');
  }
  const token = checked.token;
  if (GRAPH_HOSTS[req.host] !== token.cloud) {
    // Tokens do not cross clouds (graph-api.md §11).
    return { ...unauthorized(ctx, req, 'Invalid audience. The token was issued for another cloud.'), tokenScopes: token.scopes };
  }
  let reply: Reply;
  if (cfg.latencyMs > 0 && req.method === 'GET') {
    // Graph's latency is the time to its answer, its own work included: a read is answered `latencyMs` after it
    // arrives, with the demo tenant's work (one thread, sharing the machine with the client) done inside that
    // time instead of added to it. Writes still wait first, so a write lands only when its answer is due.
    const arrived = Date.now();
    reply = await dispatchGraph(ctx, req, token, log);
    if (reply.body !== undefined && !Buffer.isBuffer(reply.body) && typeof reply.body !== 'string') reply.body = JSON.stringify(reply.body);
    const left = cfg.latencyMs - (Date.now() - arrived);
    if (left > 0) await sleep(left);
  } else {
    if (cfg.latencyMs > 0) await sleep(cfg.latencyMs);
    reply = await dispatchGraph(ctx, req, token, log);
  }
  Object.assign(reply.headers, cors(req));
  return { reply, fault: takeFault(ctx, req), tokenScopes: token.scopes };
}
