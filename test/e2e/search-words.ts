// Search words for the e2e tests: what the panel's search matches (contract: display name, UPN, email, object
// id, case-insensitive), and a piece of a display name that selects a wanted number of assignments.
import type { Assignment } from '../tenant/types';

export const haystack = (a: Assignment): string =>
  [a.target?.displayName ?? '', a.target?.principalName ?? '', a.target?.email ?? '', a.target?.objectId ?? ''].join('\u0000').toLowerCase();

/**
 * A piece of some display name (at least `minWord` letters) that the search matches on between `min` and
 * `max` of the given assignments, none in `avoid`; the fewest matches first.
 */
export function pickSearch(list: Assignment[], min: number, max: number, avoid: ReadonlySet<string> = new Set(), minWord = 2): { text: string; ids: string[] } {
  const words = new Set<string>();
  for (const a of list) {
    for (const w of (a.target?.displayName ?? '').toLowerCase().split(/[^a-z]+/)) {
      for (let len = minWord; len <= Math.min(5, w.length); len++) for (let i = 0; i + len <= w.length; i++) words.add(w.slice(i, i + len));
    }
  }
  const candidates = [...words]
    .map((text) => ({ text, ids: list.filter((a) => haystack(a).includes(text)).map((a) => a.id) }))
    .filter((c) => c.ids.length >= min && c.ids.length <= max && !c.ids.some((id) => avoid.has(id)))
    .sort((a, b) => a.ids.length - b.ids.length || a.text.localeCompare(b.text));
  if (!candidates.length) throw new Error(`no search word matches ${min}..${max} assignments`);
  return candidates[0];
}
