// login.microsoftonline.com and the national authority hosts: the OAuth 2.0 authorization code flow with
// PKCE as Entra ID runs it for a single-page application (auth.md §10).
import { createHash, randomUUID } from 'node:crypto';
import type { Incoming, Reply, TenantContext } from './context';
import { LOGIN_HOSTS, type TenantCloud } from './hosts';
import { cookies, escapeHtml, header, html, json } from './http-util';
import { base64url, OIDC_SCOPES, parseScopes, randomToken, unsignedJwt, type IssuedToken } from './tokens';

export const SESSION_COOKIE = 'ESTSAUTH';
const CODE_LIFETIME_MS = 10 * 60_000;
/** SPA refresh tokens live 24 hours (AADSTS700081, auth.md §4). */
const REFRESH_LIFETIME_SEC = 86_400;

export function redirectKind(uri: string): 'chromium' | 'firefox' | 'other' {
  if (/^https:\/\/[a-p]{32}\.chromiumapp\.org\/?/.test(uri)) return 'chromium';
  if (/^https:\/\/[0-9a-f]+\.extensions\.allizom\.org\/?/.test(uri)) return 'firefox';
  return 'other';
}

/** Entra's error JSON for the token endpoint. */
function oauthError(status: number, error: string, aadsts: number, description: string, origin?: string): Reply {
  const trace = randomUUID();
  const correlation = randomUUID();
  const now = new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z';
  return json(
    status,
    {
      error,
      error_description: `AADSTS${aadsts}: ${description} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${now}`,
      error_codes: [aadsts],
      timestamp: now,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    },
    corsHeaders(origin),
  );
}

function corsHeaders(origin: string | undefined): Record<string, string> {
  return {
    'access-control-allow-origin': origin ?? '*',
    'access-control-expose-headers': 'x-ms-request-id, client-request-id, x-ms-clitelem',
    vary: 'Origin',
    'cache-control': 'no-store, no-cache',
    pragma: 'no-cache',
    'x-ms-request-id': randomUUID(),
  };
}

/** Entra shows an error page (no redirect) when it cannot trust the client or redirect URI. */
function errorPage(aadsts: number, message: string): Reply {
  return html(
    400,
    `<!doctype html><html><head><title>Sign in to your account</title></head><body><h1>Sorry, but we're having trouble signing you in.</h1><p>AADSTS${aadsts}: ${escapeHtml(message)}</p></body></html>`,
  );
}

/** The tenant segment of the path: common, organizations, the tenant id or a verified domain. */
function tenantKnown(ctx: TenantContext, segment: string): boolean {
  const s = segment.toLowerCase();
  return (
    s === 'common' ||
    s === 'organizations' ||
    s === ctx.data.tenant.id ||
    ctx.data.tenant.verifiedDomains.some((d) => d.toLowerCase() === s)
  );
}

export async function handleLogin(ctx: TenantContext, req: Incoming): Promise<Reply> {
  const cloud = LOGIN_HOSTS[req.host];
  const origin = header(req.headers, 'origin');
  if (req.method === 'OPTIONS') {
    return {
      status: 204,
      headers: {
        ...corsHeaders(origin),
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': header(req.headers, 'access-control-request-headers') ?? 'content-type',
        'access-control-max-age': '86400',
      },
    };
  }
  const parts = req.path.split('/').filter(Boolean);
  if (req.method === 'GET' && parts.length === 3 && parts[0] === 'common' && parts[1] === 'discovery' && parts[2] === 'instance') {
    return json(200, instanceDiscovery(req), { 'access-control-allow-origin': '*' });
  }
  const [tenantSeg, ...rest] = parts;
  const route = rest.join('/');
  if (!tenantSeg) return html(404, '<!doctype html><title>Not found</title>');
  if (req.method === 'GET' && route === 'v2.0/.well-known/openid-configuration') {
    if (!tenantKnown(ctx, tenantSeg)) return json(400, { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${tenantSeg}' not found.` });
    return json(200, openidConfiguration(ctx, req.host, tenantSeg), { 'access-control-allow-origin': '*' });
  }
  if (req.method === 'GET' && route === 'discovery/v2.0/keys') return json(200, { keys: [] }, { 'access-control-allow-origin': '*' });
  if (req.method === 'GET' && route === 'oauth2/v2.0/authorize') return authorize(ctx, req, cloud, tenantSeg);
  if (req.method === 'POST' && route === 'oauth2/v2.0/token') return token(ctx, req, cloud, tenantSeg, origin);
  if (req.method === 'GET' && route === 'oauth2/v2.0/logout') return logout(ctx, req);
  return html(404, '<!doctype html><title>Not found</title>');
}

function authorize(ctx: TenantContext, req: Incoming, cloud: TenantCloud, tenantSeg: string): Reply {
  const q = req.query;
  const cfg = ctx.config;
  if (!tenantKnown(ctx, tenantSeg)) return errorPage(90002, `Tenant '${tenantSeg}' not found.`);
  const clientId = q.get('client_id');
  if (!clientId) return errorPage(900144, "The request body must contain the following parameter: 'client_id'.");
  if (cfg.clientId && cfg.clientId.toLowerCase() !== clientId.toLowerCase()) {
    return errorPage(700016, `Application with identifier '${clientId}' was not found in the directory '${ctx.data.tenant.displayName}'.`);
  }
  const redirectUri = q.get('redirect_uri');
  if (!redirectUri) return errorPage(900144, "The request body must contain the following parameter: 'redirect_uri'.");
  let redirect: URL;
  try {
    redirect = new URL(redirectUri);
  } catch {
    return errorPage(50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`);
  }
  const registered = cfg.redirectUris ? cfg.redirectUris.includes(redirectUri) : redirect.protocol === 'https:';
  if (!registered) {
    return errorPage(50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`);
  }
  if (!ctx.stats.redirectUris.some((r) => r.uri === redirectUri)) ctx.stats.redirectUris.push({ uri: redirectUri, kind: redirectKind(redirectUri) });

  const mode = q.get('response_mode') ?? 'fragment';
  const state = q.get('state');
  const back = (params: Record<string, string>, extraHeaders: Record<string, string> = {}): Reply => {
    const p = new URLSearchParams(params);
    if (state !== null) p.set('state', state);
    const url = new URL(redirect.href);
    if (mode === 'query') {
      for (const [k, v] of p) url.searchParams.set(k, v);
    } else {
      url.hash = p.toString();
    }
    return { status: 302, headers: { location: url.href, 'cache-control': 'no-store', ...extraHeaders }, body: '' };
  };
  const fail = (error: string, aadsts: number, description: string) =>
    back({ error, error_description: `AADSTS${aadsts}: ${description}`, error_uri: `https://login.microsoftonline.com/error?code=${aadsts}` });

  if (mode !== 'fragment' && mode !== 'query') return fail('invalid_request', 900144, `The response_mode '${mode}' is not supported.`);
  if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 700054, "response_type 'code' is required for this flow.");
  if (!q.get('code_challenge')) return fail('invalid_request', 9002325, 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.');
  if ((q.get('code_challenge_method') ?? 'plain') !== 'S256') return fail('invalid_request', 501491, "The code_challenge_method must be 'S256'.");
  // Entra does not insist on these two; MSAL always sends them, so a missing one is a product bug.
  if (!state) return fail('invalid_request', 900144, "The request must contain the parameter 'state'.");
  if (!q.get('nonce')) return fail('invalid_request', 900144, "The request must contain the parameter 'nonce'.");
  if (cfg.authorizeError) {
    return back({ error: cfg.authorizeError.error, error_description: cfg.authorizeError.description ?? `AADSTS65001: ${cfg.authorizeError.error}` });
  }
  const scopes = parseScopes(q.get('scope') ?? '', cloud);
  if (scopes.foreignResource) return fail('invalid_resource', 500011, `The resource principal named ${scopes.foreignResource} was not found in the tenant named ${ctx.data.tenant.displayName}.`);

  const prompt = q.get('prompt');
  const extra: Record<string, string> = {};
  if (prompt === 'none') {
    const sid = cookies(header(req.headers, 'cookie')).get(SESSION_COOKIE);
    const signedIn = cfg.ssoSession === 'always' || (cfg.ssoSession === 'cookie' && !!sid && ctx.tokens.sessions.has(sid));
    if (!signedIn) return fail('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.');
  } else {
    // The interactive flow "signs in" the admin at once and leaves a session cookie, as Entra does.
    const sid = randomToken(24);
    ctx.tokens.sessions.set(sid, ctx.data.adminId);
    extra['set-cookie'] = `${SESSION_COOKIE}=${sid}; path=/; secure; HttpOnly; SameSite=None`;
  }
  const code = randomToken(48);
  ctx.tokens.codes.set(code, {
    clientId,
    redirectUri,
    challenge: q.get('code_challenge')!,
    nonce: q.get('nonce'),
    scope: q.get('scope') ?? '',
    userId: ctx.data.adminId,
    cloud,
    expiresAt: Date.now() + CODE_LIFETIME_MS,
    used: false,
  });
  return back({ code, client_info: clientInfo(ctx), session_state: randomUUID() }, extra);
}

function clientInfo(ctx: TenantContext): string {
  return base64url({ uid: ctx.data.adminId, utid: ctx.data.tenant.id });
}

function token(ctx: TenantContext, req: Incoming, cloud: TenantCloud, tenantSeg: string, origin: string | undefined): Reply {
  const cfg = ctx.config;
  const type = header(req.headers, 'content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.", origin);
  }
  if (!tenantKnown(ctx, tenantSeg)) return oauthError(400, 'invalid_request', 90002, `Tenant '${tenantSeg}' not found.`, origin);
  const form = new URLSearchParams(req.body.toString('utf8'));
  const clientId = form.get('client_id');
  if (!clientId) return oauthError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.", origin);
  if (cfg.requireOrigin && !origin) {
    return oauthError(400, 'invalid_request', 9002327, "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.", origin);
  }
  const grant = form.get('grant_type');
  let userId: string;
  let nonce: string | null = null;
  if (grant === 'authorization_code') {
    const codeValue = form.get('code') ?? '';
    const code = ctx.tokens.codes.get(codeValue);
    if (!code || code.cloud !== cloud) return oauthError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid: the authorization code is not valid.', origin);
    if (code.used) return oauthError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.', origin);
    code.used = true;
    if (Date.now() > code.expiresAt) return oauthError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.', origin);
    if (code.clientId !== clientId) return oauthError(400, 'invalid_grant', 70000, 'The provided authorization code was issued to another client.', origin);
    if (form.get('redirect_uri') !== code.redirectUri) {
      return oauthError(400, 'invalid_grant', 50148, 'The redirect_uri specified in the token request does not match the one used to get the authorization code.', origin);
    }
    const verifier = form.get('code_verifier');
    if (!verifier) return oauthError(400, 'invalid_grant', 50148, 'The code_verifier is missing: PKCE is required.', origin);
    if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) {
      return oauthError(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.', origin);
    }
    userId = code.userId;
    nonce = code.nonce;
  } else if (grant === 'refresh_token') {
    const rt = ctx.tokens.refresh.get(form.get('refresh_token') ?? '');
    if (cfg.refreshTokenExpired || (rt && Date.now() > rt.expiresAt)) {
      const issued = new Date(Date.now() - REFRESH_LIFETIME_SEC * 1000).toISOString().slice(0, 19);
      return oauthError(
        400,
        'invalid_grant',
        700081,
        `The refresh token has expired due to maximum lifetime. The token was issued on ${issued}Z and the maximum allowed lifetime for this application is 1.00:00:00.`,
        origin,
      );
    }
    if (!rt || rt.cloud !== cloud) return oauthError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid: the refresh token is not valid.', origin);
    if (rt.clientId !== clientId) return oauthError(400, 'invalid_grant', 700025, 'Client is public so neither client_assertion nor client_secret should be presented; the refresh token belongs to another client.', origin);
    userId = rt.userId;
  } else {
    return oauthError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`, origin);
  }

  const requested = parseScopes(form.get('scope') ?? '', cloud);
  if (requested.foreignResource) {
    return oauthError(400, 'invalid_resource', 500011, `The resource principal named ${requested.foreignResource} was not found in the tenant named ${ctx.data.tenant.displayName}.`, origin);
  }
  const denied = new Set(cfg.deniedScopes.map((s) => s.toLowerCase()));
  const prefix = requested.audience ? `https://${requested.audience}/` : '';
  const granted: string[] = [];
  const echoed: string[] = [];
  requested.names.forEach((name, i) => {
    if (name.toLowerCase() === '.default') {
      for (const d of cfg.defaultScopes) {
        if (denied.has(d.toLowerCase()) || granted.includes(d)) continue;
        granted.push(d);
        echoed.push(prefix + d);
      }
    } else if (!denied.has(name.toLowerCase())) {
      granted.push(name);
      echoed.push(requested.asWritten[i]);
    }
  });
  if (requested.names.length === 0) {
    granted.push('User.Read');
    echoed.push('User.Read');
  }
  const oidcAsked = (form.get('scope') ?? '').split(/\s+/).filter((s) => OIDC_SCOPES.has(s.toLowerCase()) && s !== 'offline_access');

  const issued: IssuedToken = ctx.tokens.issueAccess(
    {
      clientId,
      userId,
      tenantId: ctx.data.tenant.id,
      cloud,
      audience: ctx.tokens.audienceFor(requested, cloud),
      scopes: granted,
    },
    cfg.accessTokenLifetimeSec,
  );
  ctx.stats.tokensIssued++;
  const refreshToken = `1.${randomToken(64)}`;
  ctx.tokens.refresh.set(refreshToken, { clientId, userId, cloud, expiresAt: Date.now() + REFRESH_LIFETIME_SEC * 1000 });

  const user = ctx.data.users.get(userId);
  const nowSec = Math.floor(Date.now() / 1000);
  const idClaims: Record<string, unknown> = {
    aud: clientId,
    iss: `https://${req.host}/${ctx.data.tenant.id}/v2.0`,
    iat: nowSec,
    nbf: nowSec,
    exp: nowSec + 3600,
    name: user?.displayName ?? 'Administrator',
    oid: userId,
    preferred_username: user?.userPrincipalName ?? '',
    rh: randomToken(16),
    sub: createHash('sha256').update(`${userId}|${clientId}`).digest('base64url').slice(0, 43),
    tid: ctx.data.tenant.id,
    uti: randomToken(16),
    ver: '2.0',
  };
  if (nonce) idClaims.nonce = nonce;
  return json(
    200,
    {
      token_type: 'Bearer',
      scope: [...echoed, ...oidcAsked].join(' '),
      expires_in: cfg.accessTokenLifetimeSec,
      ext_expires_in: cfg.accessTokenLifetimeSec,
      refresh_token_expires_in: REFRESH_LIFETIME_SEC,
      access_token: issued.token,
      refresh_token: refreshToken,
      id_token: unsignedJwt(idClaims),
      client_info: clientInfo(ctx),
    },
    corsHeaders(origin),
  );
}

function logout(ctx: TenantContext, req: Incoming): Reply {
  const sid = cookies(header(req.headers, 'cookie')).get(SESSION_COOKIE);
  if (sid) ctx.tokens.sessions.delete(sid);
  const clear = { 'set-cookie': `${SESSION_COOKIE}=; path=/; secure; HttpOnly; SameSite=None; Max-Age=0` };
  const back = req.query.get('post_logout_redirect_uri');
  if (back && back.startsWith('https://')) return { status: 302, headers: { location: back, ...clear }, body: '' };
  return html(200, '<!doctype html><title>Signed out</title><p>You signed out of your account.</p>', clear);
}

function openidConfiguration(ctx: TenantContext, host: string, tenantSeg: string): object {
  const specific = tenantSeg.toLowerCase() === 'common' || tenantSeg.toLowerCase() === 'organizations' ? '{tenantid}' : ctx.data.tenant.id;
  const base = `https://${host}/${tenantSeg}`;
  const graphHost = { 'login.microsoftonline.com': 'graph.microsoft.com', 'login.microsoftonline.us': 'graph.microsoft.us', 'login.partner.microsoftonline.cn': 'microsoftgraph.chinacloudapi.cn' }[host] ?? 'graph.microsoft.com';
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `https://${host}/${specific}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `https://${graphHost}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: host.endsWith('.cn') ? 'partner.microsoftonline.cn' : host.endsWith('.us') ? 'microsoftonline.us' : 'microsoftonline.com',
    cloud_graph_host_name: host.endsWith('.cn') ? 'graph.chinacloudapi.cn' : host.endsWith('.us') ? 'graph.microsoftazure.us' : 'graph.windows.net',
    msgraph_host: graphHost,
    rbac_url: 'https://pas.windows.net',
  };
}

function instanceDiscovery(req: Incoming): object {
  const endpoint = req.query.get('authorization_endpoint') ?? `https://${req.host}/common/oauth2/v2.0/authorize`;
  let tenant = 'common';
  try {
    tenant = new URL(endpoint).pathname.split('/').filter(Boolean)[0] ?? 'common';
  } catch {
    /* keep common */
  }
  return {
    tenant_discovery_endpoint: `https://${req.host}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [
      {
        preferred_network: 'login.microsoftonline.com',
        preferred_cache: 'login.windows.net',
        aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
      },
      { preferred_network: 'login.partner.microsoftonline.cn', preferred_cache: 'login.partner.microsoftonline.cn', aliases: ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'] },
      { preferred_network: 'login.microsoftonline.us', preferred_cache: 'login.microsoftonline.us', aliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'] },
    ],
  };
}
