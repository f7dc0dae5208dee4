// Dates as Graph prints them.

export const DAY_MS = 86_400_000;

/** ISO 8601 UTC without milliseconds, as Graph prints most dates. */
export function isoSeconds(ms: number): string {
  // Hand-rolled (civil-from-days) because a 100k-row tenant formats half a million dates: no Date
  // objects, and integer division by `| 0` (Math.floor is slow inside jest's sandbox).
  const msMod = ((ms % 1000) + 1000) % 1000;
  const secs = (ms - msMod) / 1000;
  const secMod = ((secs % 86400) + 86400) % 86400;
  const days = (secs - secMod) / 86400;
  if (days < -719468 || days > 2_932_896) return new Date(ms).toISOString();
  let rem = secMod;
  const z = days + 719468; // days since 0000-03-01, non-negative here
  const era = (z / 146097) | 0;
  const doe = z - era * 146097;
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36524) | 0) - ((doe / 146096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const day = doy - (((153 * mp + 2) / 5) | 0) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return new Date(ms).toISOString();
  const hh = (rem / 3600) | 0;
  rem -= hh * 3600;
  const mm = (rem / 60) | 0;
  const ss = rem - mm * 60;
  const c = ISO_CHARS;
  c[0] = 48 + ((year / 1000) | 0);
  c[1] = 48 + (((year / 100) | 0) % 10);
  c[2] = 48 + (((year / 10) | 0) % 10);
  c[3] = 48 + (year % 10);
  c[5] = 48 + ((month / 10) | 0);
  c[6] = 48 + (month % 10);
  c[8] = 48 + ((day / 10) | 0);
  c[9] = 48 + (day % 10);
  c[11] = 48 + ((hh / 10) | 0);
  c[12] = 48 + (hh % 10);
  c[14] = 48 + ((mm / 10) | 0);
  c[15] = 48 + (mm % 10);
  c[17] = 48 + ((ss / 10) | 0);
  c[18] = 48 + (ss % 10);
  return String.fromCharCode.apply(null, c);
}
const ISO_CHARS = Array.from('0000-00-00T00:00:00Z', (ch) => ch.charCodeAt(0));
