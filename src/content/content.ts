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
}

window.addEventListener('hashchange', onRoute);
onRoute();
