// Assignment ids packed four 32-bit words each: a million GUIDs as strings cost ~60 MB in a worker, as words
// 16 MB. Ids that are not canonical lower-case GUIDs (Graph's own are) are kept verbatim beside them.

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const HEX2 = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const hex8 = (w: number): string => HEX2[w >>> 24] + HEX2[(w >>> 16) & 255] + HEX2[(w >>> 8) & 255] + HEX2[w & 255];

export class PackedIds {
  private words = new Uint32Array(4 * 1024);
  private readonly other = new Map<number, string>();

  set(index: number, id: string): void {
    if (this.words.length < 4 * (index + 1)) {
      const next = new Uint32Array(Math.max(this.words.length * 2, 4 * (index + 1)));
      next.set(this.words);
      this.words = next;
    }
    if (!CANONICAL.test(id)) {
      this.other.set(index, id);
      return;
    }
    this.other.delete(index);
    const hex = id.replace(/-/g, '');
    const o = 4 * index;
    for (let k = 0; k < 4; k++) this.words[o + k] = parseInt(hex.slice(8 * k, 8 * k + 8), 16);
  }

  get(index: number): string {
    const verbatim = this.other.get(index);
    if (verbatim !== undefined) return verbatim;
    const o = 4 * index;
    let hex = '';
    for (let k = 0; k < 4; k++) hex += hex8(this.words[o + k]);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  get bytes(): number {
    return this.words.byteLength + this.other.size * 64;
  }

  /** The ids at [from, to) as plain data (structured-cloneable), for a later worker; parts in order join. */
  dump(from: number, to: number): PackedIdsDump {
    const words = new Uint32Array(4 * (to - from));
    words.set(this.words.subarray(4 * from, Math.min(this.words.length, 4 * to)));
    return { words, other: [...this.other].filter(([i]) => i >= from && i < to) };
  }

  static load(d: PackedIdsDump): PackedIds {
    const ids = new PackedIds();
    ids.words = d.words.length > 0 ? d.words.slice() : ids.words;
    for (const [i, id] of d.other) ids.other.set(i, id);
    return ids;
  }
}

export interface PackedIdsDump {
  words: Uint32Array;
  other: Array<[number, string]>;
}

/** Fixed-width ISO dates (normalise.ts: toIsoUtc) as epoch ms and back, exactly: NaN stands for null. */
export function msOf(iso: string | null | undefined): number {
  return iso ? Date.parse(iso) : Number.NaN;
}

const TWO = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const DAY_MS = 86_400_000;

/**
 * The fixed-width ISO text of an instant (whole seconds). A CSV of a million rows formats three million
 * dates: the civil date is computed from the day number (H. Hinnant's days-to-civil algorithm) instead of
 * through a Date object, for years 1970–9999; other years go through Date.
 */
export function isoOf(ms: number): string | null {
  if (Number.isNaN(ms)) return null;
  if (ms < 0 || ms >= 253402300800000) {
    // Years 0001–1969 (toIsoUtc refuses others): "YYYY-MM-DDTHH:mm:ss.sssZ" → whole seconds with Z.
    return `${new Date(ms).toISOString().slice(0, 19)}Z`;
  }
  const days = Math.floor(ms / DAY_MS);
  let secs = Math.floor((ms - days * DAY_MS) / 1000);
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const hh = Math.floor(secs / 3600);
  secs -= hh * 3600;
  const mm = Math.floor(secs / 60);
  const ss = secs - mm * 60;
  return `${y}-${TWO[m]}-${TWO[d]}T${TWO[hh]}:${TWO[mm]}:${TWO[ss]}Z`;
}
