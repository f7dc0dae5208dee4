// Chrome/Edge: reach the MSAL broker in an offscreen document, creating it when needed (the worker may have
// been restarted; the document may or may not still exist).
import type { BrokerRequest, BrokerResponse } from '../messages';
import type { BrokerTransport } from './tokens';
import { t } from '../panel/i18n';

const URL_PATH = 'offscreen.html';
let creating: Promise<void> | null = null;

async function ensureDocument(): Promise<void> {
  const url = chrome.runtime.getURL(URL_PATH);
  const existing = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [url],
  });
  if (existing.length > 0) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: URL_PATH,
      reasons: [chrome.offscreen.Reason.LOCAL_STORAGE],
      justification: t('worker_offscreen_justification'),
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

export const offscreenBroker: BrokerTransport = {
  async send(req: BrokerRequest): Promise<BrokerResponse> {
    await ensureDocument();
    const res = (await chrome.runtime.sendMessage(req)) as BrokerResponse | undefined;
    return res ?? { ok: false, errorCode: 'no_broker', message: t('worker_auth_no_broker') };
  },
};
