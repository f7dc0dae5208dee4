import fc from 'fast-check';
import {
  allRows,
  count,
  countBoth,
  countCodes,
  intersections,
  orInto,
  pick,
  rowsByBit,
  rowsByCode,
  rowsOf,
  rowsWithCodes,
  wordsFor,
  type RowBits,
} from '../../../src/core/row-bits';

/** The rows a set holds, read bit by bit. */
const members = (bits: RowBits): number[] => {
  const out: number[] = [];
  for (let i = 0; i < bits.length * 32; i++) if ((bits[i >>> 5] >>> (i & 31)) & 1) out.push(i);
  return out;
};

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

// Up to 130 rows: none, part of a word, several words, and a last word full or not.
const sized = fc.integer({ min: 0, max: 130 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    codes: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
    bits: fc.array(fc.integer({ min: 0, max: 63 }), { minLength: n, maxLength: n }),
    subsets: fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { maxLength: 4 }),
    ticked: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
  }),
);

const setOf = (flags: readonly boolean[]): number[] => flags.flatMap((on, i) => (on ? [i] : []));

describe('row sets as bits', () => {
  it('hold exactly their rows, with no bit at or beyond n', () => {
    fc.assert(
      fc.property(sized, ({ n, codes, bits, subsets, ticked }) => {
        expect(members(allRows(n))).toEqual(range(n));
        expect(allRows(n)).toHaveLength(wordsFor(n));
        for (const s of subsets) expect(members(rowsOf(setOf(s), n))).toEqual(setOf(s));
        const byCode = rowsByCode(codes, n, 5);
        byCode.forEach((set, c) => expect(members(set)).toEqual(range(n).filter((i) => codes[i] === c)));
        const byBit = rowsByBit(bits, n, 6);
        byBit.forEach((set, b) => expect(members(set)).toEqual(range(n).filter((i) => (bits[i] >> b) & 1)));
        const mask = Uint8Array.from(ticked, (t) => (t ? 1 : 0));
        expect(members(rowsWithCodes(codes, n, mask))).toEqual(range(n).filter((i) => ticked[codes[i]]));
        // The same rows as the union of the ticked codes' sets.
        const union = new Uint32Array(wordsFor(n));
        ticked.forEach((t, c) => t && orInto(union, byCode[c]));
        expect(members(union)).toEqual(range(n).filter((i) => ticked[codes[i]]));
      }),
      { numRuns: 300 },
    );
  });

  it('count, intersect and pick as sets of row numbers do', () => {
    fc.assert(
      fc.property(sized, ({ n, codes, subsets }) => {
        const sets = subsets.map((s) => rowsOf(setOf(s), n));
        const within = allRows(n);
        const { all, allBut } = intersections(within, sets);
        const inAll = (skip: number) => range(n).filter((i) => subsets.every((s, k) => k === skip || s[i]));
        expect(members(all)).toEqual(inAll(-1));
        allBut.forEach((set, k) => expect(members(set)).toEqual(inAll(k)));
        expect(count(all)).toBe(inAll(-1).length);
        for (const s of sets) expect(countBoth(s, all)).toBe(members(s).filter((i) => inAll(-1).includes(i)).length);
        const counts = new Uint32Array(5);
        countCodes(codes, all, counts);
        expect([...counts]).toEqual([0, 1, 2, 3, 4].map((c) => inAll(-1).filter((i) => codes[i] === c).length));
        const items = range(n).map((i) => `row ${i}`);
        expect(pick(items, all)).toEqual(inAll(-1).map((i) => `row ${i}`));
      }),
      { numRuns: 300 },
    );
  });
});
