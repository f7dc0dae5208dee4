// Binds the pure message lookup (src/core/i18n) to the browser's i18n API. Imported for its effect by every
// context that renders text (panel, options, worker); jest installs the English messages itself.
import { setLookup } from '../core/i18n';

declare const chrome: { i18n?: { getMessage(key: string): string; getUILanguage(): string } } | undefined;

if (typeof chrome !== 'undefined' && chrome?.i18n) {
  const i18n = chrome.i18n;
  setLookup((key) => i18n.getMessage(key), i18n.getUILanguage());
}

export { formatCount, t, tn, tSlots, uiLocale } from '../core/i18n';
