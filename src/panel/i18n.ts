// Binds the pure message lookup (src/core/i18n) to the browser's i18n API. Imported for its effect by every
// context that renders text (panel, options, worker); jest installs the English messages itself. On the portal
// page the panel adopts the catalogue the worker read through the same API (src/panel/catalogue.ts) before it
// renders: its keys are looked up there, and a key it lacks is asked of the API here.
import { setLookup } from '../core/i18n';
import type { Catalogue } from './catalogue';

declare const chrome: { i18n?: { getMessage(key: string): string; getUILanguage(): string } } | undefined;

function bind(handed: Catalogue | null): void {
  if (typeof chrome === 'undefined' || !chrome?.i18n) return;
  const i18n = chrome.i18n;
  // The API's keys are case-insensitive; the catalogue's are lower-cased.
  const fromHanded = (key: string): string | undefined => {
    const k = key.toLowerCase();
    return handed && Object.hasOwn(handed, k) ? handed[k] : undefined;
  };
  setLookup((key) => fromHanded(key) ?? i18n.getMessage(key), i18n.getUILanguage());
}

bind(null);

/** The worker's catalogue: looked up before the API from now on. */
export function adoptCatalogue(handed: Catalogue): void {
  bind(handed);
}

export { formatCount, t, tn, tSlots, uiLocale } from '../core/i18n';
