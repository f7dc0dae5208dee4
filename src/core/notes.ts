// What a load noticed and worked around (Graph refused an option, an element came without an id, account data
// could not be read for some users): shown with the list, so an empty column or a row that cannot be acted on
// is explained. One list per load, bounded: a broken tenant may produce one line per element.
import { tn } from './i18n';

/** At most this many lines travel to the panel; the rest are counted in one last line. */
export const MAX_NOTES = 20;

/** The distinct lines in the order first seen, at most `max`, and a last line counting the others. */
export function noteList(lines: Iterable<string>, max = MAX_NOTES): string[] {
  const distinct = [...new Set(lines)].filter((l) => l !== '');
  if (distinct.length <= max) return distinct;
  return [...distinct.slice(0, max), tn('core_notes_more', distinct.length - max)];
}
