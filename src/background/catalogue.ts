// The panel's message catalogue, read in the worker and handed to the panel when it starts. The browser's
// i18n API loads a context's catalogue on that context's first getMessage, a synchronous ask of the browser
// process: 22-39 ms on the portal page's main thread, where it delayed the panel's first render and, asked
// from the content script at document_start, the portal's own parsing. The worker asks the same API for the
// same keys in the same UI language, once per worker life, and the panel looks its strings up in the table.

/** Every message key of the extension: the build puts the keys of `_locales/en/messages.json` here. */
declare const __MESSAGE_KEYS__: readonly string[];

let table: Readonly<Record<string, string>> | null = null;

/** Lower-cased key (the API's keys are case-insensitive) → the browser's message for it, where it has one. */
export function messageTable(keys: readonly string[], getMessage: (key: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const text = getMessage(key);
    if (text) out[key.toLowerCase()] = text;
  }
  return out;
}

/** The catalogue for the panel, built on first use. */
export function panelCatalogue(getMessage: (key: string) => string): Readonly<Record<string, string>> {
  return (table ??= messageTable(__MESSAGE_KEYS__, getMessage));
}
