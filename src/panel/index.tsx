// The panel bundle, injected by the worker into the portal page's isolated world once the content script
// saw an access package route. From then on it follows the SPA's hash changes itself.
//
// Browser APIs are used through `chrome.*` directly (not the polyfill) to keep the bundle small; both target
// browsers accept the callback style used here.
import { render } from 'preact';
import type { Settings } from '../core/model';
import { effectiveSettings } from '../core/settings';
import { App } from './components/App';
import { createController } from './controller';
import { adoptStyles, createPanelHost, layoutHost } from './mount';
import { loadPrefs, savePrefs, type KeyValueStore } from './storage';
import { PanelStore } from './store';
import { PANEL_CSS } from './styles';
import { toolbarItems } from './toolbar';
import { createPortLink } from './worker-link';
// Features that add toolbar controls register themselves on import (src/panel/actions/ goes here):
import './actions';
import './review';

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

async function start(): Promise<void> {
  const { host, root } = createPanelHost(document);
  layoutHost(host, { hidden: true, collapsed: false, width: 0 });
  adoptStyles(root, PANEL_CSS);

  const store = new PanelStore();
  const link = createPortLink(chrome.runtime);
  const controller = createController({ store, link, kv: chromeLocal });
  // Open the package at once: the fetch starts while settings and prefs are read.
  const follow = (): void => controller.follower.update(location.hash);
  window.addEventListener('hashchange', follow);
  follow();

  const [prefs, settings] = await Promise.all([loadPrefs(chromeLocal), readSettings()]);
  store.setStaleAfterDays(prefs.staleAfterDays ?? settings.staleAfterDays);

  render(
    <App
      store={store}
      link={link}
      onRefresh={() => controller.refresh()}
      initialPrefs={prefs}
      onPrefs={(p) => void savePrefs(chromeLocal, p)}
      settingsDays={settings.staleAfterDays}
      root={root}
      onLayout={(layout) => layoutHost(host, layout)}
      toolbarItems={toolbarItems()}
    />,
    root,
  );
}

// The worker may inject the bundle again (a second route, an extension update race): one panel per page.
if (!globalThis.__entraAssignmentsPanelLoaded) {
  globalThis.__entraAssignmentsPanelLoaded = true;
  void start();
}
