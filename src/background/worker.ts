// The worker: the one place that talks to Entra ID and Microsoft Graph. It accepts panel ports and
// content-script messages only from portal pages of this extension, and never sends a token to them.
// First: the browser's message lookup, before any module that builds a message is evaluated.
import '../panel/i18n';
import browser, { type Runtime } from 'webextension-polyfill';
import { ALL_PORTAL_HOSTS } from '../core/clouds';
import { isContentRequest, PANEL_PORT, type AuthState, type PanelMessagesReply, type WorkerEvent } from '../messages';
import { ActionService, ensureWriteToken, graphFactory, ListWaiters } from './actions';
import { createAccessService } from './access/wiring';
import { clearCaches, listCache, overviewCache } from './cache';
import { requestCache } from './details/cache';
import { DetailsService } from './details/service';
import { OverviewService } from './overview/service';
import { panelCatalogue } from './catalogue';
import { cacheScope, PanelSession, signInLimiter, type SessionContext } from './session';
import { idbReviewStorage } from './review/storage';
import { ReviewService } from './review/service';
import { forgetSettings, readSettings } from './settings';
import { graphWithTokens, TokenManager, type BrokerTransport } from './tokens';
import type { Row } from '../core/model';

/** Packages whose last complete list the worker keeps for their panels' visits (core/review/diff). */
const SENT_LISTS = 8;

export interface WorkerDeps {
  broker: BrokerTransport;
}

/** A sender is trusted when it is this extension's content script on a portal page over https. */
export function isPortalSender(sender: Runtime.MessageSender | undefined): boolean {
  if (!sender || sender.id !== browser.runtime.id || !sender.tab || !sender.url) return false;
  try {
    const url = new URL(sender.url);
    return url.protocol === 'https:' && ALL_PORTAL_HOSTS.includes(url.hostname);
  } catch {
    return false;
  }
}

export function startWorker(deps: WorkerDeps): void {
  const sessions = new Set<PanelSession>();
  /** To every panel, or every panel but `except` (which was answered on its own). */
  const broadcast = (ev: WorkerEvent, except?: unknown): void => sessions.forEach((s) => s !== except && s.post(ev));

  const tokens = new TokenManager({
    broker: deps.broker,
    launchWebAuthFlow: (url, interactive) => browser.identity.launchWebAuthFlow({ url, interactive }),
    redirectUri: browser.identity.getRedirectURL(),
    settings: readSettings,
    onAuth: (auth: AuthState) => broadcast({ type: 'auth', auth }),
  });

  // Assignment details: the package's requests and the parts a view fetches, shared by every tab.
  const details = new DetailsService({
    graph: () => graphFactory(tokens, async () => (await readSettings()).cloud)(false),
    scope: async () => cacheScope(await readSettings()),
    cache: requestCache,
    cachedRows: async (scope, packageId) => (await listCache.get(scope, packageId))?.rows,
  });

  // The action queue is one per worker: its keys in flight span every tab.
  const lists = new ListWaiters();
  const actions = new ActionService({
    storage: {
      get: async (key) => (await browser.storage.local.get(key))[key],
      set: (key, value) => browser.storage.local.set({ [key]: value }),
    },
    graph: graphFactory(tokens, async () => (await readSettings()).cloud),
    ensureWriteAccess: () => ensureWriteToken(tokens),
    actor: () => (tokens.auth.status === 'signed-in' ? tokens.auth.username : ''),
    broadcast,
    reload: (packageId) => lists.reload(packageId, sessions),
    details,
    changed: (packageId) => overview.packageChanged(packageId),
  });

  // The last complete list of a few packages, in the order their panels got it: a visit's flags are for its rows.
  const sentLists = new Map<string, readonly Row[]>();
  const review = new ReviewService({
    storage: idbReviewStorage,
    broadcast,
    actor: () => (tokens.auth.status === 'signed-in' ? tokens.auth.username : ''),
    list: (packageId) => sentLists.get(packageId.toLowerCase()),
  });

  const overview = new OverviewService({
    settings: readSettings,
    account: async () => cacheScope(await readSettings()),
    stored: overviewCache,
    graph: async () => {
      await tokens.token();
      return graphWithTokens(tokens, (await readSettings()).cloud, false);
    },
    signInLimiter,
    actions,
  });

  const ctx: SessionContext = {
    tokens,
    actions,
    access: createAccessService(tokens),
    details,
    review,
    overview,
    onList: (packageId, rows) => {
      lists.notify(packageId, rows);
      details.onList(packageId, rows);
      const key = packageId.toLowerCase();
      sentLists.delete(key);
      sentLists.set(key, rows);
      if (sentLists.size > SENT_LISTS) sentLists.delete(sentLists.keys().next().value as string);
    },
    async signIn() {
      await tokens.token({ interactive: true });
      // Every panel that waited for sign-in now loads its package.
      sessions.forEach((s) => s.resumeAfterSignIn());
    },
    async signOut() {
      sessions.forEach((s) => s.cancel());
      await tokens.signOut();
      await clearCaches();
      overview.clear();
    },
  };

  browser.runtime.onMessage.addListener((msg: unknown, sender: Runtime.MessageSender) => {
    if (!isContentRequest(msg) || !isPortalSender(sender)) return undefined;
    if (msg.type === 'panel-messages') {
      const reply: PanelMessagesReply = { messages: panelCatalogue((key) => browser.i18n.getMessage(key)) };
      return Promise.resolve(reply);
    }
    return browser.scripting
      // At once, not at the page's idle time: the content script asks at document_start, and the panel mounts
      // itself when <body> is there.
      .executeScript({ target: { tabId: sender.tab!.id!, frameIds: [sender.frameId ?? 0] }, files: ['panel.js'], injectImmediately: true })
      .then(() => ({ ok: true }))
      .catch((e: unknown) => ({ ok: false, error: String(e) }));
  });

  browser.runtime.onConnect.addListener((port: Runtime.Port) => {
    if (port.name !== PANEL_PORT || !isPortalSender(port.sender)) {
      port.disconnect();
      return;
    }
    const session = new PanelSession(port, ctx);
    sessions.add(session);
    port.onDisconnect.addListener(() => {
      session.cancel();
      void details.handle({ type: 'details-close' }, session);
      overview.forget(session);
      sessions.delete(session);
    });
  });

  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || (area === 'local' && changes.settings !== undefined)) {
      forgetSettings();
      tokens.reset();
      overview.clear();
    }
  });
}
