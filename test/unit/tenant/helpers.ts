// Shared steps for the demo-tenant tests: the PKCE sign-in an SPA performs, and Graph calls.
import { createHash, randomBytes } from 'node:crypto';
import type { Tenant, TenantResponse } from '../../tenant';

export const CLIENT_ID = '6731de76-14a6-49ae-97bc-6eba6914391e';
export const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
export const ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
export const GRAPH = 'https://graph.microsoft.com/v1.0';
export const EM = `${GRAPH}/identityGovernance/entitlementManagement`;

export interface AuthorizeParams {
  scope?: string;
  prompt?: string;
  state?: string;
  nonce?: string;
  challenge?: string;
  redirect?: string;
  clientId?: string;
  cookie?: string;
  host?: string;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(p: AuthorizeParams = {}): string {
  const q = new URLSearchParams({
    client_id: p.clientId ?? CLIENT_ID,
    scope: p.scope ?? 'https://graph.microsoft.com/EntitlementManagement.Read.All openid profile offline_access',
    redirect_uri: p.redirect ?? REDIRECT,
    response_mode: 'fragment',
    response_type: 'code',
    code_challenge: p.challenge ?? 'x',
    code_challenge_method: 'S256',
    state: p.state ?? 'state-1|extra',
    nonce: p.nonce ?? 'nonce-1',
    client_info: '1',
  });
  if (p.prompt) q.set('prompt', p.prompt);
  return `https://${p.host ?? 'login.microsoftonline.com'}/organizations/oauth2/v2.0/authorize?${q}`;
}

/** The parameters the authorize endpoint put in the redirect URI's fragment. */
export function fragment(res: TenantResponse): URLSearchParams {
  const location = res.headers.location ?? '';
  return new URLSearchParams(new URL(location).hash.slice(1));
}

export function tokenRequest(t: Tenant, form: Record<string, string>, headers: Record<string, string> = { origin: ORIGIN }, host = 'login.microsoftonline.com'): Promise<TenantResponse> {
  return t.request(`https://${host}/organizations/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  idToken: string;
  scope: string;
  sessionCookie: string | undefined;
}

/** The SPA flow: authorize with PKCE, then redeem the code with the verifier. */
export async function signIn(t: Tenant, scope?: string, host = 'login.microsoftonline.com'): Promise<SignedIn> {
  const { verifier, challenge } = pkce();
  const auth = await t.request(authorizeUrl({ challenge, scope, host }));
  if (auth.status !== 302) throw new Error(`authorize answered ${auth.status}: ${auth.body}`);
  const f = fragment(auth);
  const code = f.get('code');
  if (!code) throw new Error(`no code: ${auth.headers.location}`);
  const res = await tokenRequest(
    t,
    {
      client_id: CLIENT_ID,
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      scope: scope ?? 'https://graph.microsoft.com/EntitlementManagement.Read.All openid profile offline_access',
    },
    { origin: ORIGIN },
    host,
  );
  if (res.status !== 200) throw new Error(`token answered ${res.status}: ${res.body}`);
  const body = res.json<{ access_token: string; refresh_token: string; id_token: string; scope: string }>();
  const setCookie = auth.headers['set-cookie']?.[0];
  return { accessToken: body.access_token, refreshToken: body.refresh_token, idToken: body.id_token, scope: body.scope, sessionCookie: setCookie?.split(';')[0] };
}

export function decodeJwt(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function get(t: Tenant, token: string | null, url: string, headers: Record<string, string> = {}): Promise<TenantResponse> {
  return t.request(url, { headers: token ? { authorization: `Bearer ${token}`, ...headers } : headers });
}

export function post(t: Tenant, token: string, url: string, body: object): Promise<TenantResponse> {
  return t.request(url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
}

export interface Paged<T> {
  rows: T[];
  pages: number;
  links: string[];
}

/** Follows @odata.nextLink to the end, as the product must. */
export async function listAll<T = Record<string, unknown>>(t: Tenant, token: string, url: string, headers: Record<string, string> = {}): Promise<Paged<T>> {
  const rows: T[] = [];
  const links: string[] = [];
  let next: string | undefined = url;
  let pages = 0;
  while (next) {
    const res = await get(t, token, next, headers);
    if (res.status !== 200) throw new Error(`${next} answered ${res.status}: ${res.body}`);
    const body = res.json<{ value: T[]; '@odata.nextLink'?: string }>();
    rows.push(...body.value);
    pages++;
    next = body['@odata.nextLink'];
    if (next) links.push(next);
  }
  return { rows, pages, links };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until the check passes or the time is up. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(25);
  }
}
