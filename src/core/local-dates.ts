// Dates as a person reads them: in the browser's locale and time zone, with the UTC instant (what the CSV
// holds) for a tooltip. Pure (Intl only); formatters are cached because a table renders hundreds of cells.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string | undefined): Intl.DateTimeFormat {
  const id = `${locale}|${timeZone ?? ''}`;
  let f = formatters.get(id);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    } catch {
      f = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    }
    formatters.set(id, f);
  }
  return f;
}

/** "4 Dec 2026, 15:02" (en-GB) / "Dec 4, 2026, 3:02 PM" (en-US); "" for no date, the input when unparsable. */
export function localDateTime(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return formatter(locale, timeZone).format(t);
}

/** "2026-12-04 15:02:09 UTC": the instant the CSV holds, for the tooltip. */
export function utcDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
