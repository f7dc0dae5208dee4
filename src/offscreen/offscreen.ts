// Chrome/Edge: the offscreen document that hosts MSAL for the service worker. Offscreen documents get only
// chrome.runtime, so this answers the worker's broker requests and nothing else.
import { createBroker } from '../auth/msal-broker';
import type { BrokerRequest } from '../messages';

const broker = createBroker();

chrome.runtime.onMessage.addListener((msg: unknown, sender, sendResponse) => {
  // Only the extension's own worker talks to the broker; content scripts cannot reach runtime.onMessage
  // of extension pages with a sender of this extension and no tab.
  if (sender.id !== chrome.runtime.id || sender.tab) return false;
  if (!msg || typeof msg !== 'object' || (msg as { target?: unknown }).target !== 'broker') return false;
  broker
    .handle(msg as BrokerRequest)
    .then(sendResponse, (e: unknown) => sendResponse({ ok: false, errorCode: 'error', message: String(e) }));
  return true;
});
