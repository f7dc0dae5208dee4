// The panel bundle, injected by the worker into the portal page's isolated world once the content script
// saw an access package route. From then on it follows the SPA's hash changes itself.
//
// Browser APIs are used through `chrome.*` directly (not the polyfill) to keep the bundle small; both target
// browsers accept the callback style used here.
import { render } from 'preact';
import type { Settings } from '../core/model';
import { effectiveSettings } from '../core/settings';
import { nextTaskUnthrottled } from '../core/tasks';
import { App } from './components/App';
import { askCatalogue } from './catalogue';
import { createController } from './controller';
import { adoptCatalogue } from './i18n';
import { adoptStyles, createPanelHost, layoutHost } from './mount';
import { loadPrefs, savePrefs, type KeyValueStore } from './storage';
import { PanelStore } from './store';
import { watchSettings } from './settings/live';
import { WARM_UPS } from './words';
import type { SettingsNoticeState } from './settings/SettingsNotice';
import { PANEL_CSS } from './styles';
import { followPageTheme } from './theme/follow';
import { startFeatures, toolbarItems } from './toolbar';
import { createPortLink } from './worker-link';
// Features that add toolbar controls register themselves on import (src/panel/actions/ goes here):
import './actions';
import './access';
import './details';
import './review';
import { OverviewModel, overviewSlot } from './overview';

declare global {
  var __entraAssignmentsPanelLoaded: boolean | undefined;
}

function lastErrorMessage(): string | null {
  return chrome.runtime.lastError?.message ?? null;
}

const chromeLocal: KeyValueStore = {
  get: (key) =>
    new Promise((resolve, reject) =>
      chrome.storage.local.get(key, (items) => {
        const err = lastErrorMessage();
        if (err) reject(new Error(err));
        else resolve((items as Record<string, unknown> | undefined)?.[key]);
      }),
    ),
  set: (key, value) =>
    new Promise((resolve, reject) =>
      chrome.storage.local.set({ [key]: value }, () => {
        const err = lastErrorMessage();
        if (err) reject(new Error(err));
        else resolve();
      }),
    ),
};

/** Local settings with enterprise policy on top; managed storage may not exist (e.g. Firefox without policy). */
function readSettings(): Promise<Settings> {
  const local = chromeLocal.get('settings').catch(() => undefined);
  const managed = new Promise<unknown>((resolve) => {
    try {
      chrome.storage.managed.get(null, (items) => {
        resolve(lastErrorMessage() ? {} : items);
      });
    } catch {
      resolve({});
    }
  });
  return Promise.all([local, managed]).then(([l, m]) => effectiveSettings(l, m));
}

/** Resolves once the document has a <body> to mount on (the bundle may run while the page still parses). */
function bodyReady(doc: Document): Promise<void> {
  if (doc.body) return Promise.resolve();
  return new Promise((resolve) => doc.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}

async function start(): Promise<void> {
  // Asked at once: the answer comes while the panel starts, before anything renders text.
  const catalogue = askCatalogue(chrome.runtime);
  // Not in the task that evaluated the bundle: that one is long enough already.
  await nextTaskUnthrottled();
  const store = new PanelStore();
  const link = createPortLink(chrome.runtime);
  const overview = new OverviewModel(link);
  overviewSlot.set(overview);
  startFeatures({ store, link });
  const controller = createController({ store, link, kv: chromeLocal, onOverviewRoute: (scope) => overview.open(scope) });
  // Open the package at once: the fetch starts while settings and prefs are read and the page still parses.
  const follow = (): void => controller.follower.update(location.hash);
  window.addEventListener('hashchange', follow);
  follow();
  const stored = Promise.all([loadPrefs(chromeLocal), readSettings()]);
  const handed = await catalogue;
  if (handed) adoptCatalogue(handed);
  // Paid while storage and the worker answer, each in a task of its own: no task of the panel's start is then
  // a long one for the portal page, the first render included.
  for (const warm of WARM_UPS) {
    await nextTaskUnthrottled();
    warm();
  }
  await nextTaskUnthrottled();

  await bodyReady(document);
  const { host, root } = createPanelHost(document);
  layoutHost(host, { hidden: true, collapsed: false, width: 0 });
  adoptStyles(root, PANEL_CSS);
  followPageTheme(document, host);

  const [prefs, settings] = await stored;
  store.setStaleAfterDays(prefs.staleAfterDays ?? settings.staleAfterDays);
  // The overview uses the package panel's threshold.
  overview.setStaleAfterDays(store.state.staleAfterDays);
  store.subscribe(() => overview.setStaleAfterDays(store.state.staleAfterDays));

  const items = toolbarItems();
  const draw = (s: Settings, notice: SettingsNoticeState | null): void =>
    render(
      <App
        store={store}
        link={link}
        onRefresh={() => controller.refresh()}
        initialPrefs={prefs}
        onPrefs={(p) => void savePrefs(chromeLocal, p)}
        settingsDays={s.staleAfterDays}
        root={root}
        onLayout={(layout) => layoutHost(host, layout)}
        toolbarItems={items}
        settingsNotice={notice}
      />,
      root,
    );
  draw(settings, null);

  // Options changed while the panel is open: apply them now, say so, and sign in / fetch again when needed.
  let changes = 0;
  watchSettings(settings, readSettings, (next, change) => {
    void loadPrefs(chromeLocal).then((current) => {
      // A threshold the admin set in this panel stays; otherwise the new default applies.
      if (change.staleDays && current.staleAfterDays === undefined) store.setStaleAfterDays(next.staleAfterDays);
      draw(next, { kind: change.reconnect ? 'reconnect' : 'staleDays', seq: ++changes });
      if (change.reconnect) controller.refresh();
    });
  });
}

// The worker may inject the bundle again (a second route, an extension update race): one panel per page.
if (!globalThis.__entraAssignmentsPanelLoaded) {
  globalThis.__entraAssignmentsPanelLoaded = true;
  void start();
}
