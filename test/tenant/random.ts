// Seeded randomness for the demo tenant: the same seed gives the same tenant, byte for byte.

/** sfc32: small, fast, good enough for test data (not for anything secret). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** [0, 1) */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** integer in [min, max] */
  int(min: number, max: number): number {
    // `| 0` instead of Math.floor: jest's sandbox makes Math.* calls ~100x slower, and 100k-row
    // tenants make millions of these.
    return min + ((this.next() * (max - min + 1)) | 0);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[(this.next() * items.length) | 0];
  }

  /** Picks a key by relative weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    let table = WEIGHT_TABLES.get(weights);
    if (!table) {
      const keys = Object.keys(weights) as K[];
      let total = 0;
      const cumulative = keys.map((k) => (total += weights[k]));
      table = { keys, cumulative, total };
      WEIGHT_TABLES.set(weights, table);
    }
    const r = this.next() * table.total;
    for (let i = 0; i < table.keys.length; i++) if (r < table.cumulative[i]) return table.keys[i] as K;
    return table.keys[table.keys.length - 1] as K;
  }

  /** A version-4-shaped GUID, lower case, as Entra prints them. */
  guid(): string {
    // Built from char codes in one go: a flat string (concatenation would leave ropes that cost memory
    // when a tenant holds 100,000+ ids).
    const c = GUID_CHARS;
    let p = 0;
    for (let w = 0; w < 4; w++) {
      let v = this.u32();
      for (let k = 0; k < 8; k++) {
        if (p === 8 || p === 13 || p === 18 || p === 23) c[p++] = 45; // '-'
        c[p++] = HEX[v >>> 28];
        v = (v << 4) >>> 0;
      }
    }
    c[14] = 52; // version 4
    c[19] = HEX[8 + (c[19] & 3)];
    return String.fromCharCode.apply(null, c as unknown as number[]);
  }
}

const HEX = Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0));
const GUID_CHARS = new Array<number>(36).fill(48);
const WEIGHT_TABLES = new WeakMap<object, { keys: string[]; cumulative: number[]; total: number }>();
