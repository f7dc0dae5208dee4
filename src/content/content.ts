// The only script the extension puts on every portal page. It stays out of the way: until the location hash
// names an access package (or an overview's scope: the access packages list, a catalog) nothing is injected
// and nothing is fetched. Then it asks the worker to inject the
// panel bundle (which follows later hash changes itself) and retires. Kept tiny on purpose: every portal page
// pays for its size.
import { routeFromHash } from '../core/route';
import type { ContentRequest } from '../messages';

const MAX_RETRIES = 5;
let asking = false;
let retries = 0;

function onRoute(): void {
  if (asking || !routeFromHash(location.hash)) return;
  asking = true;
  const msg: ContentRequest = { type: 'inject-panel' };
  // Callback style: works with both browsers' `chrome` namespace.
  chrome.runtime.sendMessage(msg, (reply?: { ok?: boolean }) => {
    const failed = chrome.runtime.lastError || !reply?.ok;
    if (!failed) {
      window.removeEventListener('hashchange', onRoute);
      return;
    }
    asking = false;
    // The worker may be stopping or starting right now: ask again on the same route, with back-off.
    if (retries < MAX_RETRIES) setTimeout(onRoute, 250 * 2 ** retries++);
  });
  warmUp();
}

/**
 * While the worker injects the panel, this world's main thread would only wait: it asks now for what the
 * panel's first render would otherwise ask first, the extension's message catalogue, a synchronous ask of the
 * browser (25-40 ms) that overlaps the injection. Only on a panel route, so other portal pages pay nothing.
 * The locale's number and date data are left to the panel's own start, in tasks of their own: here they
 * overlapped nothing and made this task a long one (45-65 ms in all).
 */
function warmUp(): void {
  try {
    chrome.i18n.getMessage('app_label');
  } catch {
    // Only a head start: the panel asks for what it needs itself.
  }
}

window.addEventListener('hashchange', onRoute);
onRoute();
