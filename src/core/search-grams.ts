// Which rows' search text holds each character and each pair of adjacent characters. A search of one or two
// characters is then answered without reading any text, and a longer one reads only the rows that hold all of
// its pairs. At 100,000 rows the first letters of a word were the slowest keystrokes: a second letter read
// every row's text again (about 13 MB), 8-20 ms in the panel. Pure: no browser API.
//
// A character or pair held by few rows is kept as the ascending list of those rows; once more than one row
// in LIST_SHARE holds it, as a bitset (a bit per row). Memory is then bounded by a bitset per common pair plus
// a few bytes per row and rare pair: about 11 MB for the demo tenant's 100,000 rows (some 800 pairs).

/** A gram is a list of rows until more than 1 row in this many holds it, then a bitset. */
const LIST_SHARE = 32;

interface Gram {
  /** its rows, ascending, while it is a list (a plain array: in the page, push cost a quarter of growing typed arrays) */
  list: number[] | null;
  /** bit r = row r holds it, once it is a bitset */
  bits: Uint32Array | null;
}

/** Separates the fields of a row's search text: never part of a query, so never indexed. */
const SEP = 0;

/** Grams of characters below this (Latin-1, most text) sit in a table; others in a map by their text. */
const TABLE_CHARS = 256;

const newGram = (): Gram => ({ list: [], bits: null });

function has(g: Gram, r: number): boolean {
  if (g.bits) return ((g.bits[r >>> 5] >>> (r & 31)) & 1) === 1;
  const list = g.list!;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = list[mid];
    if (v === r) return true;
    if (v < r) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export class SearchGrams {
  /** Rows 0..rows-1 are in. */
  rows = 0;
  /** Rows a bitset has room for (a multiple of 32). */
  private capacity = 0;
  /**
   * A character's gram at its code, a pair's at TABLE_CHARS + first * TABLE_CHARS + second (both Latin-1): a
   * map keyed by number, hashed for every character of every row, cost about five times as much.
   */
  private readonly table: Array<Gram | undefined> = new Array<Gram | undefined>(TABLE_CHARS + TABLE_CHARS * TABLE_CHARS);
  /** Grams with a character beyond Latin-1, by their text. */
  private readonly other = new Map<string, Gram>();

  /**
   * Adds the next row's search text (lower-cased, fields joined by U+0000). Rows come in order, each once: an
   * index of the same rows that shares these grams may add a row already in, which is skipped.
   */
  add(r: number, text: string): void {
    if (r !== this.rows) return;
    if (r >= this.capacity) this.reserve(Math.max(1024, this.capacity * 2));
    this.rows++;
    // A bitset only has its bit set here (a row holding a gram twice sets it twice): lists need the call.
    const w = r >>> 5;
    const bit = 1 << (r & 31);
    let prev = SEP;
    for (let j = 0; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === SEP) {
        prev = SEP;
        continue;
      }
      const one = this.slot(c, -1, true)!;
      if (one.bits) one.bits[w] |= bit;
      else this.addToList(one, r);
      if (prev !== SEP) {
        const two = this.slot(prev, c, true)!;
        if (two.bits) two.bits[w] |= bit;
        else this.addToList(two, r);
      }
      prev = c;
    }
  }

  /** The gram of character `a` (b < 0) or of the pair a, b; created when `make`. */
  private slot(a: number, b: number, make: boolean): Gram | undefined {
    if (a < TABLE_CHARS && b < TABLE_CHARS) {
      const at = b < 0 ? a : TABLE_CHARS + a * TABLE_CHARS + b;
      let g = this.table[at];
      if (!g && make) this.table[at] = g = newGram();
      return g;
    }
    const key = b < 0 ? String.fromCharCode(a) : String.fromCharCode(a, b);
    let g = this.other.get(key);
    if (!g && make) this.other.set(key, (g = newGram()));
    return g;
  }

  /**
   * Rows below `n`, ascending, whose text holds every gram of `query` (lower-cased, without U+0000): exactly
   * the rows containing it for one or two characters, a superset to read for more. Null when rows below `n`
   * are missing here.
   */
  candidates(query: string, n: number): Int32Array | null {
    if (query.length === 0 || this.rows < n) return null;
    const gs: Gram[] = [];
    for (let j = 0; j === 0 || j + 1 < query.length; j++) {
      const g = this.slot(query.charCodeAt(j), query.length === 1 ? -1 : query.charCodeAt(j + 1), false);
      if (!g) return new Int32Array(0);
      if (!gs.includes(g)) gs.push(g);
    }
    // The shortest list (at most a 32nd of the rows) leads: each of its rows is looked up in the other grams.
    let lead: Gram | null = null;
    for (const g of gs) if (g.list && (!lead || g.list.length < lead.list!.length)) lead = g;
    if (lead) {
      const rows = lead.list!;
      const out = new Int32Array(Math.min(rows.length, n));
      let c = 0;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        if (r >= n) break;
        if (gs.every((g) => g === lead || has(g, r))) out[c++] = r;
      }
      return out.slice(0, c);
    }
    // Every gram a bitset: a word at a time.
    const out = new Int32Array(n);
    let c = 0;
    const bitsets = gs.map((g) => g.bits!);
    const words = (n + 31) >>> 5;
    for (let w = 0; w < words; w++) {
      let v = bitsets[0][w];
      for (let k = 1; k < bitsets.length && v !== 0; k++) v &= bitsets[k][w];
      if (w === words - 1 && (n & 31) !== 0) v &= (1 << (n & 31)) - 1;
      while (v !== 0) {
        const low = v & -v;
        out[c++] = (w << 5) + 31 - Math.clz32(low);
        v ^= low;
      }
    }
    return out.slice(0, c);
  }

  private addToList(g: Gram, r: number): void {
    const list = g.list!;
    const n = list.length;
    if (n > 0 && list[n - 1] === r) return; // this row holds it already
    if ((n + 1) * LIST_SHARE <= this.capacity) {
      list.push(r);
      return;
    }
    // Common: a bitset from now on.
    const bits = new Uint32Array(this.capacity >>> 5);
    for (const row of list) bits[row >>> 5] |= 1 << (row & 31);
    bits[r >>> 5] |= 1 << (r & 31);
    g.bits = bits;
    g.list = null;
  }

  /** Room for `rows` rows in every bitset (growing them once, not by doubling, when the count is known). */
  reserve(rows: number): void {
    const capacity = Math.ceil(rows / 32) * 32;
    if (capacity <= this.capacity) return;
    const grow = (g: Gram | undefined): void => {
      if (!g?.bits) return;
      const bits = new Uint32Array(capacity >>> 5);
      bits.set(g.bits);
      g.bits = bits;
    };
    this.table.forEach(grow);
    this.other.forEach(grow);
    this.capacity = capacity;
  }
}
