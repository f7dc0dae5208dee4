import { startTenant, type Tenant } from '../../tenant';
import { authorizeUrl, CLIENT_ID, decodeJwt, EM, fragment, get, ORIGIN, pkce, REDIRECT, signIn, tokenRequest } from './helpers';

let t: Tenant;
beforeAll(async () => {
  t = await startTenant({ size: 5, seed: 3 });
});
afterAll(() => t.close());
beforeEach(() => {
  t.configure({ ssoSession: 'cookie', authorizeError: null, refreshTokenExpired: false, requireOrigin: true, deniedScopes: [], accessTokenLifetimeSec: 3600 });
});

describe('authorization code flow with PKCE', () => {
  it('redirects to the redirect URI with code, state and client_info in the fragment', async () => {
    const res = await t.request(authorizeUrl({ state: 'abc|123' }));
    expect(res.status).toBe(302);
    const location = res.headers.location!;
    expect(location.startsWith(REDIRECT + '#')).toBe(true);
    const f = fragment(res);
    expect(f.get('state')).toBe('abc|123');
    expect(f.get('code')).toBeTruthy();
    expect(JSON.parse(Buffer.from(f.get('client_info')!, 'base64url').toString())).toEqual({ uid: t.data.adminId, utid: t.data.tenant.id });
    expect(t.stats.redirectUris).toContainEqual({ uri: REDIRECT, kind: 'chromium' });
  });

  it('issues tokens whose id_token carries the nonce and the admin, and the access token opens Graph', async () => {
    const { verifier, challenge } = pkce();
    const f = fragment(await t.request(authorizeUrl({ challenge, nonce: 'n-42' })));
    const res = await tokenRequest(t, { client_id: CLIENT_ID, grant_type: 'authorization_code', code: f.get('code')!, code_verifier: verifier, redirect_uri: REDIRECT, scope: 'https://graph.microsoft.com/EntitlementManagement.Read.All openid profile offline_access' });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    const body = res.json<Record<string, string | number>>();
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3600);
    expect(String(body.scope).split(' ')).toContain('https://graph.microsoft.com/EntitlementManagement.Read.All');
    const [header, , signature] = String(body.id_token).split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'none' });
    expect(signature).toBe('');
    const claims = decodeJwt(String(body.id_token));
    expect(claims).toMatchObject({
      aud: CLIENT_ID,
      iss: `https://login.microsoftonline.com/${t.data.tenant.id}/v2.0`,
      nonce: 'n-42',
      oid: t.data.adminId,
      tid: t.data.tenant.id,
      preferred_username: 'admin@contoso.onmicrosoft.com',
    });
    expect(Number(claims.exp)).toBeGreaterThan(Date.now() / 1000);
    const me = await get(t, String(body.access_token), 'https://graph.microsoft.com/v1.0/me');
    expect(me.status).toBe(200);
    expect(me.json<{ id: string }>().id).toBe(t.data.adminId);
  });

  it('refuses a wrong code_verifier, a reused code and a different redirect URI', async () => {
    const { verifier, challenge } = pkce();
    const code = () => t.request(authorizeUrl({ challenge })).then((r) => fragment(r).get('code')!);
    const base = { client_id: CLIENT_ID, grant_type: 'authorization_code', redirect_uri: REDIRECT, scope: 'openid' };

    const wrong = await tokenRequest(t, { ...base, code: await code(), code_verifier: pkce().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.json<{ error_codes: number[] }>().error_codes).toEqual([501481]);

    const c = await code();
    expect((await tokenRequest(t, { ...base, code: c, code_verifier: verifier })).status).toBe(200);
    const reused = await tokenRequest(t, { ...base, code: c, code_verifier: verifier });
    expect(reused.status).toBe(400);
    expect(reused.json<{ error: string }>().error).toBe('invalid_grant');

    const otherRedirect = await tokenRequest(t, { ...base, code: await code(), code_verifier: verifier, redirect_uri: 'https://elsewhere.example/' });
    expect(otherRedirect.status).toBe(400);
  });

  it('requires an Origin header on code redemption, as Entra does for SPAs', async () => {
    const { verifier, challenge } = pkce();
    const f = fragment(await t.request(authorizeUrl({ challenge })));
    const res = await tokenRequest(t, { client_id: CLIENT_ID, grant_type: 'authorization_code', code: f.get('code')!, code_verifier: verifier, redirect_uri: REDIRECT }, {});
    expect(res.status).toBe(400);
    expect(res.json<{ error_codes: number[] }>().error_codes).toEqual([9002327]);
  });

  it('rejects authorize requests without PKCE S256 by redirecting an error, and unknown tenants with a page', async () => {
    const plain = await t.request(authorizeUrl().replace('code_challenge_method=S256', 'code_challenge_method=plain'));
    expect(fragment(plain).get('error')).toBe('invalid_request');
    const page = await t.request(authorizeUrl().replace('/organizations/', '/00000000-0000-4000-8000-000000000000/'));
    expect(page.status).toBe(400);
    expect(page.headers.location).toBeUndefined();
    expect(page.body).toContain('AADSTS90002');
  });

  it('answers with the configured authorize error', async () => {
    t.configure({ authorizeError: { error: 'access_denied', description: 'AADSTS65004: User declined to consent.' } });
    const f = fragment(await t.request(authorizeUrl({ state: 's9' })));
    expect(f.get('error')).toBe('access_denied');
    expect(f.get('state')).toBe('s9');
    expect(f.get('code')).toBeNull();
  });
});

describe('silent sign-in (prompt=none)', () => {
  it('answers login_required without a session and succeeds with the cookie the interactive flow set', async () => {
    const none = fragment(await t.request(authorizeUrl({ prompt: 'none', state: 's1' })));
    expect(none.get('error')).toBe('login_required');
    expect(none.get('state')).toBe('s1');

    const interactive = await t.request(authorizeUrl({ prompt: 'select_account' }));
    const cookie = interactive.headers['set-cookie']![0];
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=None/i);
    const withSession = await t.request(authorizeUrl({ prompt: 'none' }), { headers: { cookie: cookie.split(';')[0] } });
    expect(fragment(withSession).get('code')).toBeTruthy();
  });

  it('follows ssoSession always / never', async () => {
    t.configure({ ssoSession: 'always' });
    expect(fragment(await t.request(authorizeUrl({ prompt: 'none' }))).get('code')).toBeTruthy();
    t.configure({ ssoSession: 'never' });
    const s = await signIn(t);
    const res = await t.request(authorizeUrl({ prompt: 'none' }), { headers: { cookie: s.sessionCookie! } });
    expect(fragment(res).get('error')).toBe('login_required');
  });
});

describe('refresh tokens', () => {
  it('renews the access token and the new one works', async () => {
    const s = await signIn(t);
    const res = await tokenRequest(t, { client_id: CLIENT_ID, grant_type: 'refresh_token', refresh_token: s.refreshToken, scope: 'https://graph.microsoft.com/EntitlementManagement.Read.All openid profile offline_access', client_info: '1' });
    expect(res.status).toBe(200);
    const body = res.json<{ access_token: string; id_token: string }>();
    expect(body.access_token).not.toBe(s.accessToken);
    expect(decodeJwt(body.id_token).nonce).toBeUndefined();
    expect((await get(t, body.access_token, `${EM}/accessPackages/${t.data.mainPackageId}`)).status).toBe(200);
  });

  it('answers AADSTS700081 when refresh tokens have expired', async () => {
    const s = await signIn(t);
    t.configure({ refreshTokenExpired: true });
    const res = await tokenRequest(t, { client_id: CLIENT_ID, grant_type: 'refresh_token', refresh_token: s.refreshToken, scope: 'openid' });
    expect(res.status).toBe(400);
    const body = res.json<{ error: string; error_codes: number[]; error_description: string }>();
    expect(body.error).toBe('invalid_grant');
    expect(body.error_codes).toEqual([700081]);
    expect(body.error_description).toMatch(/^AADSTS700081:/);
  });
});

describe('scopes', () => {
  it('records the granted scopes on the token and leaves out denied ones', async () => {
    t.configure({ deniedScopes: ['AuditLog.Read.All'] });
    const s = await signIn(t, 'https://graph.microsoft.com/EntitlementManagement.Read.All https://graph.microsoft.com/AuditLog.Read.All openid offline_access');
    expect(s.scope).not.toMatch(/AuditLog/);
    await get(t, s.accessToken, 'https://graph.microsoft.com/v1.0/me');
    expect(t.log[t.log.length - 1].tokenScopes).toEqual(['EntitlementManagement.Read.All']);
  });

  it('does not let a token of one cloud into another cloud', async () => {
    const us = await signIn(t, 'https://graph.microsoft.us/EntitlementManagement.Read.All openid', 'login.microsoftonline.us');
    expect((await get(t, us.accessToken, 'https://graph.microsoft.us/v1.0/me')).status).toBe(200);
    expect((await get(t, us.accessToken, 'https://graph.microsoft.com/v1.0/me')).status).toBe(401);
  });

  it('expires access tokens after their lifetime', async () => {
    t.configure({ accessTokenLifetimeSec: 0 });
    const s = await signIn(t);
    const res = await get(t, s.accessToken, 'https://graph.microsoft.com/v1.0/me');
    expect(res.status).toBe(401);
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/Lifetime validation failed/);
  });
});

describe('metadata', () => {
  it('serves OpenID configuration and instance discovery', async () => {
    const cfg = await t.request(`https://login.microsoftonline.com/${t.data.tenant.id}/v2.0/.well-known/openid-configuration`);
    expect(cfg.json<{ issuer: string; token_endpoint: string }>()).toMatchObject({
      issuer: `https://login.microsoftonline.com/${t.data.tenant.id}/v2.0`,
      token_endpoint: `https://login.microsoftonline.com/${t.data.tenant.id}/oauth2/v2.0/token`,
    });
    const inst = await t.request('https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize');
    expect(inst.json<{ tenant_discovery_endpoint: string }>().tenant_discovery_endpoint).toBe('https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration');
  });

  it('answers CORS preflights on the token endpoint', async () => {
    const res = await t.request('https://login.microsoftonline.com/organizations/oauth2/v2.0/token', { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
  });
});
