// The token broker: the one place MSAL runs. It needs a window (MSAL refuses a service worker), so on
// Chrome/Edge it lives in an offscreen document and on Firefox in the event page. It never navigates:
// MSAL's redirect URL is captured and handed to the worker, which runs identity.launchWebAuthFlow
// (auth.md §2), then the resulting hash comes back here to be redeemed.
import {
  CacheLookupPolicy,
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
} from '@azure/msal-browser';
import type { BrokerConfig, BrokerRequest, BrokerResponse } from '../messages';

export interface Broker {
  handle(req: BrokerRequest): Promise<BrokerResponse>;
}

export function createBroker(): Broker {
  let pca: PublicClientApplication | null = null;
  let pcaKey = '';
  // MSAL allows one interaction at a time, so one pending deferred suffices.
  let deliverUrl: ((url: string) => void) | undefined;

  async function instance(config: BrokerConfig): Promise<PublicClientApplication> {
    const key = `${config.clientId}|${config.authority}|${config.redirectUri}`;
    if (pca && pcaKey === key) return pca;
    const next = new PublicClientApplication({
      auth: {
        clientId: config.clientId,
        authority: config.authority,
        redirectUri: config.redirectUri,
        onRedirectNavigate: (url: string) => {
          deliverUrl?.(url);
          deliverUrl = undefined;
          return false;
        },
      },
      // sessionStorage: memoryStorage breaks v5 redirect flows and localStorage is encrypted with a session
      // cookie that extension pages never keep (auth.md §3).
      cache: { cacheLocation: 'sessionStorage' },
    });
    await next.initialize();
    pca = next;
    pcaKey = key;
    return next;
  }

  function account(app: PublicClientApplication): AccountInfo | null {
    return app.getActiveAccount() ?? app.getAllAccounts()[0] ?? null;
  }

  function success(r: AuthenticationResult): BrokerResponse {
    return {
      ok: true,
      accessToken: r.accessToken,
      expiresOn: r.expiresOn ? r.expiresOn.getTime() : Date.now() + 50 * 60_000,
      username: r.account?.username ?? '',
      name: r.account?.name ?? undefined,
    };
  }

  async function handle(req: BrokerRequest): Promise<BrokerResponse> {
    const app = await instance(req.config);
    switch (req.type) {
      case 'authorize-url': {
        const known = account(app);
        const url = await new Promise<string>((resolve, reject) => {
          deliverUrl = resolve;
          app
            .acquireTokenRedirect({
              scopes: req.scopes,
              prompt: req.interactive ? undefined : 'none',
              loginHint: known?.username || undefined,
            })
            .catch(reject);
        });
        return { ok: true, url };
      }
      case 'complete-redirect': {
        if (req.hash === null) {
          // The web-auth flow was abandoned: clear MSAL's pending interaction so the next try is not wedged
          // with interaction_in_progress (auth.md §2 step 5).
          await app.handleRedirectPromise().catch(() => null);
          return { ok: false, errorCode: 'cancelled', message: '' };
        }
        const result = await app.handleRedirectPromise({ hash: req.hash, navigateToLoginRequestUrl: false });
        if (!result) return { ok: false, errorCode: 'no_result', message: '' };
        if (result.account) app.setActiveAccount(result.account);
        return success(result);
      }
      case 'silent-token': {
        const known = account(app);
        if (!known) return { ok: false, errorCode: 'no_account', message: '' };
        // Refresh token only: the default policy falls back to a hidden iframe, which cannot reach
        // chromiumapp.org and times out after 10 s (auth.md §4).
        const result = await app.acquireTokenSilent({
          scopes: req.scopes,
          account: known,
          forceRefresh: req.forceRefresh === true,
          cacheLookupPolicy: req.forceRefresh ? CacheLookupPolicy.RefreshToken : CacheLookupPolicy.AccessTokenAndRefreshToken,
        });
        return success(result);
      }
      case 'sign-out': {
        await app.clearCache().catch(() => undefined);
        sessionStorage.clear();
        pca = null;
        pcaKey = '';
        return { ok: true };
      }
    }
  }

  return {
    async handle(req) {
      try {
        return await handle(req);
      } catch (e) {
        const err = e as { errorCode?: string; message?: string; name?: string };
        // MSAL's message is a link in v5; the code is what callers branch on.
        return { ok: false, errorCode: err.errorCode || err.name || 'error', message: err.message || String(e) };
      }
    },
  };
}
