// The message catalogue the worker hands the panel (src/background/catalogue.ts): asked for first thing when
// the panel starts, an asynchronous message, so the portal page's main thread never makes the i18n API's
// first, synchronous ask of the browser (22-39 ms).
import type { PanelMessagesReply } from '../messages';

export type Catalogue = Readonly<Record<string, string>>;

/** The parts of chrome.runtime this uses (tests hand in a fake). */
export interface CatalogueRuntime {
  sendMessage(msg: unknown, reply: (r: unknown) => void): void;
  readonly lastError?: unknown;
}

/** Past this the panel stops waiting and asks the API itself (the answer takes a few ms; this caps a failure). */
export const CATALOGUE_WAIT_MS = 400;

function isReply(r: unknown): r is PanelMessagesReply {
  const m = (r as { messages?: unknown } | null)?.messages;
  return !!m && typeof m === 'object' && Object.values(m).every((v) => typeof v === 'string');
}

/** The worker's catalogue, or null (no answer in time, an error, or an answer of another shape). */
export function askCatalogue(runtime: CatalogueRuntime, waitMs = CATALOGUE_WAIT_MS): Promise<Catalogue | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), waitMs);
    const done = (c: Catalogue | null): void => {
      clearTimeout(timer);
      resolve(c);
    };
    try {
      runtime.sendMessage({ type: 'panel-messages' }, (reply) => done(!runtime.lastError && isReply(reply) ? reply.messages : null));
    } catch {
      done(null);
    }
  });
}
