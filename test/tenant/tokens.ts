// What the sign-in side issued: authorization codes, access and refresh tokens, browser sessions.
import { randomBytes } from 'node:crypto';
import { DEFAULT_GRAPH_HOST, GRAPH_HOSTS, type TenantCloud } from './hosts';

export interface IssuedToken {
  token: string;
  clientId: string;
  userId: string;
  tenantId: string;
  cloud: TenantCloud;
  /** Graph host the token is for */
  audience: string;
  /** granted delegated scopes, without resource prefix, e.g. "User.Read.All" */
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  /** issue order; `revokedThrough` expires every token up to it */
  seq: number;
}

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | null;
  scope: string;
  userId: string;
  cloud: TenantCloud;
  expiresAt: number;
  used: boolean;
}

export interface RefreshGrant {
  clientId: string;
  userId: string;
  cloud: TenantCloud;
  expiresAt: number;
}

export const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** An unsigned JWT (`alg: none`, `header.payload.`), which MSAL accepts for id tokens (auth.md §10). */
export function unsignedJwt(payload: Record<string, unknown>): string {
  return `${base64url({ typ: 'JWT', alg: 'none' })}.${base64url(payload)}.`;
}

export interface ScopeRequest {
  /** Graph host the resource scopes name (null: none named, the cloud's default Graph) */
  audience: string | null;
  /** resource scopes without prefix */
  names: string[];
  /** the same scopes as the client wrote them (echoed in the token response) */
  asWritten: string[];
  /** a scope names a resource this cloud does not have (AADSTS500011) */
  foreignResource: string | null;
}

/** Splits a space-separated scope parameter into Graph scopes for this cloud. */
export function parseScopes(scope: string, cloud: TenantCloud): ScopeRequest {
  const out: ScopeRequest = { audience: null, names: [], asWritten: [], foreignResource: null };
  for (const raw of scope.split(/\s+/).filter(Boolean)) {
    if (OIDC_SCOPES.has(raw.toLowerCase())) continue;
    const m = /^(https:\/\/[^/]+)\/(.+)$/i.exec(raw);
    let name = raw;
    if (m) {
      const host = new URL(m[1]).host.toLowerCase();
      if (GRAPH_HOSTS[host] !== cloud) {
        out.foreignResource = m[1];
        continue;
      }
      out.audience = host;
      name = m[2];
    }
    out.names.push(name);
    out.asWritten.push(raw);
  }
  return out;
}

export class TokenStore {
  readonly codes = new Map<string, AuthCode>();
  readonly access = new Map<string, IssuedToken>();
  readonly refresh = new Map<string, RefreshGrant>();
  /** session cookie value → user id */
  readonly sessions = new Map<string, string>();
  private seq = 0;
  /** tokens with seq ≤ this count as expired (config.expireTokensAfter) */
  revokedThrough = 0;

  issueAccess(t: Omit<IssuedToken, 'token' | 'seq' | 'issuedAt' | 'expiresAt'>, lifetimeSec: number): IssuedToken {
    const issuedAt = Date.now();
    const expiresAt = issuedAt + lifetimeSec * 1000;
    const seq = ++this.seq;
    // Shaped like an Entra access token so nothing in the product trips over its form; the server
    // only ever looks it up, never trusts its contents.
    const token = `${base64url({ typ: 'JWT', alg: 'RS256', kid: 'demo-tenant' })}.${base64url({
      aud: `https://${t.audience}`,
      iss: `https://sts.windows.net/${t.tenantId}/`,
      iat: Math.floor(issuedAt / 1000),
      nbf: Math.floor(issuedAt / 1000),
      exp: Math.floor(expiresAt / 1000),
      appid: t.clientId,
      oid: t.userId,
      tid: t.tenantId,
      scp: t.scopes.join(' '),
      uti: randomToken(12),
      ver: '1.0',
    })}.${randomToken(32)}`;
    const issued: IssuedToken = { ...t, token, seq, issuedAt, expiresAt };
    this.access.set(token, issued);
    return issued;
  }

  /** Expires every access token issued so far. */
  revokeAll(): void {
    this.revokedThrough = this.seq;
  }

  check(token: string): { ok: true; token: IssuedToken } | { ok: false; reason: 'unknown' | 'expired' } {
    const t = this.access.get(token);
    if (!t) return { ok: false, reason: 'unknown' };
    if (t.seq <= this.revokedThrough || Date.now() >= t.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, token: t };
  }

  audienceFor(req: ScopeRequest, cloud: TenantCloud): string {
    return req.audience ?? DEFAULT_GRAPH_HOST[cloud];
  }
}

/** True when the token carries one of these scopes (case-insensitive). */
export function hasScope(t: IssuedToken, ...any: string[]): boolean {
  const want = any.map((s) => s.toLowerCase());
  return t.scopes.some((s) => want.includes(s.toLowerCase()));
}
