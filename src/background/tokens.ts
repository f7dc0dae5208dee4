// Access tokens for the worker. Order (auth.md §4): the broker's silent renewal (refresh token), then a
// non-interactive web-auth flow (prompt=none), then an interactive one only when the admin clicked. One
// request at a time; an abandoned interactive flow is cleaned up so the next one is not wedged.
import { ACCESS_CHECK_SCOPES, authorityFor, READ_SCOPES, scopesFor, WRITE_SCOPES } from '../core/clouds';
import type { Cloud, Settings } from '../core/model';
import { createGraph, type Graph } from '../graph/client';
import type { AuthState, BrokerConfig, BrokerRequest, BrokerResponse } from '../messages';
import { t } from '../panel/i18n';

export interface BrokerTransport {
  send(req: BrokerRequest): Promise<BrokerResponse>;
}

export interface TokenDeps {
  broker: BrokerTransport;
  launchWebAuthFlow(url: string, interactive: boolean): Promise<string>;
  redirectUri: string;
  settings(): Promise<Settings>;
  onAuth(state: AuthState): void;
  now?: () => number;
}

export interface TokenOptions {
  write?: boolean;
  access?: boolean;
  forceRefresh?: boolean;
  interactive?: boolean;
}

export class AuthRequiredError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

interface Cached {
  token: string;
  expiresOn: number;
  write: boolean;
  /** carries the access check's scopes (ACCESS_CHECK_SCOPES) */
  access: boolean;
  key: string;
}

export class TokenManager {
  private chain: Promise<unknown> = Promise.resolve();
  private cached: Cached | null = null;
  private state: AuthState = { status: 'signed-out' };

  constructor(private readonly deps: TokenDeps) {}

  get auth(): AuthState {
    return this.state;
  }

  /**
   * A Graph token. `write` adds EntitlementManagement.ReadWrite.All, asked for only when an action writes;
   * `access` adds the access check's read scopes, asked for only when a check runs.
   */
  token(opts: TokenOptions = {}): Promise<string> {
    const run = this.chain.then(() => this.acquire(opts));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async signOut(): Promise<void> {
    const config = await this.config();
    this.cached = null;
    if (config) await this.deps.broker.send({ target: 'broker', type: 'sign-out', config }).catch(() => undefined);
    this.setState({ status: 'signed-out' });
  }

  /** Settings changed: forget the token so the next call uses the new app registration. */
  reset(): void {
    this.cached = null;
  }

  private setState(s: AuthState): void {
    this.state = s;
    this.deps.onAuth(s);
  }

  private async config(): Promise<(BrokerConfig & { scopes: string[]; writeScopes: string[]; accessScopes: string[] }) | null> {
    const s = await this.deps.settings();
    if (!s.clientId) return null;
    const read = scopesFor(s.cloud, READ_SCOPES);
    return {
      clientId: s.clientId,
      authority: authorityFor(s.cloud, s.tenantId),
      redirectUri: this.deps.redirectUri,
      scopes: read,
      writeScopes: [...read, ...scopesFor(s.cloud, WRITE_SCOPES)],
      accessScopes: [...read, ...scopesFor(s.cloud, ACCESS_CHECK_SCOPES)],
    };
  }

  private async acquire(opts: TokenOptions): Promise<string> {
    const now = (this.deps.now ?? Date.now)();
    const c = await this.config();
    if (!c) {
      this.setState({
        status: 'not-configured',
        message: t('worker_auth_configure'),
      });
      throw new AuthRequiredError(t('worker_auth_not_configured'), 'not_configured');
    }
    const config: BrokerConfig = { clientId: c.clientId, authority: c.authority, redirectUri: c.redirectUri };
    const key = `${config.clientId}|${config.authority}`;
    const write = opts.write === true;
    const access = opts.access === true && !write;
    const scopes = write ? c.writeScopes : access ? c.accessScopes : c.scopes;
    const cached = this.cached;
    if (
      !opts.forceRefresh &&
      !opts.interactive &&
      cached &&
      cached.key === key &&
      (cached.write || !write) &&
      (cached.access || !access) &&
      cached.expiresOn - 120_000 > now
    ) {
      return cached.token;
    }

    const keep = (r: BrokerResponse): string | null => {
      if (!r.ok || !r.accessToken) return null;
      this.cached = { token: r.accessToken, expiresOn: r.expiresOn ?? now + 3_000_000, write, access, key };
      if (this.state.status !== 'signed-in' || this.state.username !== (r.username ?? '')) {
        this.setState({ status: 'signed-in', username: r.username ?? '', name: r.name });
      }
      return r.accessToken;
    };

    if (!opts.interactive) {
      const silent = await this.deps.broker.send({ target: 'broker', type: 'silent-token', config, scopes, forceRefresh: opts.forceRefresh });
      const token = keep(silent);
      if (token) return token;
      const viaFlow = keep(await this.webAuth(config, scopes, false));
      if (viaFlow) return viaFlow;
      this.cached = null;
      this.setState({ status: 'signed-out', message: write ? t('worker_auth_sign_in_again_write') : undefined });
      throw new AuthRequiredError(t('worker_auth_required'), 'login_required');
    }

    this.setState({ status: 'signing-in' });
    const r = await this.webAuth(config, scopes, true);
    const token = keep(r);
    if (token) return token;
    const message = r.ok ? t('worker_auth_failed') : brokerFailureText(r);
    this.setState({ status: 'signed-out', message });
    throw new AuthRequiredError(message, r.ok ? 'error' : r.errorCode);
  }

  private async webAuth(config: BrokerConfig, scopes: string[], interactive: boolean): Promise<BrokerResponse> {
    const start = await this.deps.broker.send({ target: 'broker', type: 'authorize-url', config, scopes, interactive });
    if (!start.ok || !start.url) return start.ok ? { ok: false, errorCode: 'no_url', message: t('worker_auth_no_url') } : start;
    let result: string;
    try {
      result = await this.deps.launchWebAuthFlow(start.url, interactive);
    } catch (e) {
      await this.deps.broker.send({ target: 'broker', type: 'complete-redirect', config, hash: null });
      return { ok: false, errorCode: interactive ? 'cancelled' : 'interaction_required', message: String((e as Error)?.message ?? e) };
    }
    const hash = new URL(result).hash;
    if (/[#&]error=/.test(hash)) {
      // e.g. login_required for prompt=none: let MSAL clear its pending request, then report it.
      const r = await this.deps.broker.send({ target: 'broker', type: 'complete-redirect', config, hash });
      return r.ok ? { ok: false, errorCode: 'error', message: t('worker_auth_failed') } : r;
    }
    return this.deps.broker.send({ target: 'broker', type: 'complete-redirect', config, hash });
  }
}

/**
 * The sentence for a failed sign-in. The broker (offscreen document: no i18n API there) answers with a code;
 * the words for the codes it knows are the worker's, anything else is the browser's or MSAL's own text.
 */
export function brokerFailureText(r: { errorCode: string; message: string }): string {
  switch (r.errorCode) {
    case 'cancelled':
      return t('worker_auth_cancelled');
    case 'no_result':
      return t('worker_auth_no_answer');
    case 'no_account':
      return t('worker_auth_not_signed_in');
    default:
      return r.message || t('worker_auth_failed');
  }
}

/** A Graph client for the cloud that takes its tokens (read, or read and write) from the token manager. */
export function graphWithTokens(tokens: Pick<TokenManager, 'token'>, cloud: Cloud, write: boolean): Graph {
  return createGraph({ cloud, getToken: (o: { forceRefresh: boolean }) => tokens.token({ write, forceRefresh: o.forceRefresh }) });
}
