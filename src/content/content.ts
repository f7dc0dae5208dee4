// The only script the extension puts on every portal page. It stays out of the way: until the location hash
// names an access package nothing is injected and nothing is fetched. Then it asks the worker to inject the
// panel bundle (which follows later hash changes itself) and retires. Kept tiny on purpose: every portal page
// pays for its size.
import { packageIdFromHash } from '../core/route';
import type { ContentRequest } from '../messages';

let asked = false;

function onRoute(): void {
  if (asked || !packageIdFromHash(location.hash)) return;
  asked = true;
  window.removeEventListener('hashchange', onRoute);
  const msg: ContentRequest = { type: 'inject-panel' };
  // Callback style: works with both browsers' `chrome` namespace. On failure, try again on the next route.
  chrome.runtime.sendMessage(msg, (reply?: { ok?: boolean }) => {
    if (chrome.runtime.lastError || !reply?.ok) {
      asked = false;
      window.addEventListener('hashchange', onRoute);
    }
  });
}

window.addEventListener('hashchange', onRoute);
onRoute();
