// Every string a person reads goes through t(): the text lives in `messages.en.json` files beside the code
// that uses it (merged by the build into `_locales/en/messages.json`), so a translation is one file.
// Pure: the browser's lookup (`chrome.i18n.getMessage`) is plugged in by each context's shell.
//
// Message syntax: `{name}` is replaced by subs.name. No `$` (the browser's i18n API gives it a meaning).
// Plurals: tn with key K and a count looks up `K_one` / `K_other` (Intl.PluralRules of the UI locale) and
// passes `{count}` formatted with the locale's digit grouping.

export type Lookup = (key: string) => string;
export type Subs = Record<string, string | number>;

let lookup: Lookup = () => '';
let locale = 'en';

/** The context's shell installs the browser's lookup and UI locale once, before anything renders. */
export function setLookup(fn: Lookup, uiLocale?: string): void {
  // Messages do not change while a context runs: each is asked of the browser once (getMessage is a call
  // into the browser, about a microsecond each, and a render of the panel reads hundreds).
  const known = new Map<string, string>();
  lookup = (key) => {
    let text = known.get(key);
    if (text === undefined) known.set(key, (text = fn(key)));
    return text;
  };
  if (uiLocale) locale = uiLocale;
}

export function uiLocale(): string {
  return locale;
}

let counter: { locale: string; format: Intl.NumberFormat } | null = null;

/** Locale digit grouping for counts ("12,345" in English). */
export function formatCount(n: number): string {
  // One formatter per locale: toLocaleString builds a new one per call (~3x the cost, ~50 counts a render).
  if (counter?.locale !== locale) counter = { locale, format: new Intl.NumberFormat(locale) };
  return counter.format.format(n);
}

/** A `{name}` slot: filled by t(), cut at by tSlots(). */
const SLOT = /\{(\w+)\}/g;

function fill(text: string, subs?: Subs): string {
  if (!subs) return text;
  return text.replace(SLOT, (whole, name: string) => {
    const v = subs[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? formatCount(v) : v;
  });
}

/** The message for `key` with `{name}` filled in; the key itself when it is unknown (a test pins that none is). */
export function t(key: string, subs?: Subs): string {
  const text = lookup(key);
  return fill(text || key, subs);
}

let plurals: { locale: string; rules: Intl.PluralRules } | null = null;

/** A count with its noun: `${key}_one` or `${key}_other` chosen by the locale's plural rules. */
export function tn(key: string, count: number, subs?: Subs): string {
  let category = 'other';
  try {
    if (plurals?.locale !== locale) plurals = { locale, rules: new Intl.PluralRules(locale) };
    category = plurals.rules.select(count);
  } catch {
    // An unknown locale tag: English-like rules are the safest fallback.
  }
  const text = lookup(`${key}_${category}`) || lookup(`${key}_other`);
  return fill(text || key, { count, ...subs });
}

/** A message cut at its `{name}` slots, for text that holds markup: strings, and the names of the slots between them. */
export function tSlots(key: string): Array<string | { slot: string }> {
  const text = lookup(key) || key;
  const out: Array<string | { slot: string }> = [];
  let last = 0;
  for (const m of text.matchAll(SLOT)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push({ slot: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
