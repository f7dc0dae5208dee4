// Assignment ids packed four 32-bit words each: a million GUIDs as strings cost ~60 MB in a worker, as words
// 16 MB. Ids that are not canonical lower-case GUIDs (Graph's own are) are kept verbatim beside them.

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
    for (let k = 0; k < 4; k++) hex += this.words[o + k].toString(16).padStart(8, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  get bytes(): number {
    return this.words.byteLength + this.other.size * 64;
  }
}

/** Fixed-width ISO dates (normalise.ts: toIsoUtc) as epoch ms and back, exactly: NaN stands for null. */
export function msOf(iso: string | null | undefined): number {
  return iso ? Date.parse(iso) : Number.NaN;
}

export function isoOf(ms: number): string | null {
  if (Number.isNaN(ms)) return null;
  const s = new Date(ms).toISOString();
  // Years 0001–9999 only (toIsoUtc refuses others): "YYYY-MM-DDTHH:mm:ss.sssZ" → whole seconds with Z.
  return `${s.slice(0, 19)}Z`;
}
