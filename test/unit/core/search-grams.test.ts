import fc from 'fast-check';
import { SearchGrams } from '../../../src/core/search-grams';

/** What a scan of every row finds: the rows below n whose text contains the query. */
const scan = (texts: readonly string[], query: string, n: number): number[] =>
  texts.slice(0, n).flatMap((t, r) => (t.includes(query) ? [r] : []));

const build = (texts: readonly string[]): SearchGrams => {
  const g = new SearchGrams();
  texts.forEach((t, r) => g.add(r, t));
  return g;
};

describe('SearchGrams: the rows that may hold a query, from their characters and pairs', () => {
  // A small alphabet (with the field separator and a character beyond Latin-1) so that grams are shared by
  // many rows, lists turn into bitsets, and queries both hit and miss.
  const text = fc.array(fc.constantFrom('a', 'b', 'n', '1', '-', 'é', 'ł', '\u0000'), { maxLength: 24 }).map((cs) => cs.join(''));
  const query = fc.array(fc.constantFrom('a', 'b', 'n', '1', '-', 'é', 'ł'), { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));

  it('answers one or two characters exactly, and longer queries with every row that holds them', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 120 }), fc.array(query, { minLength: 1, maxLength: 10 }), fc.nat(), (texts, queries, cut) => {
        const g = build(texts);
        const n = texts.length === 0 ? 0 : cut % (texts.length + 1);
        for (const q of queries) {
          const got = [...(g.candidates(q, n) ?? [])];
          const want = scan(texts, q, n);
          if (q.length <= 2) expect(got).toEqual(want);
          else {
            expect(got).toEqual([...got].sort((a, b) => a - b));
            for (const r of want) expect(got).toContain(r);
            // ... and only rows that hold each of its pairs.
            const pairs = Array.from({ length: q.length - 1 }, (_, j) => q.slice(j, j + 2));
            for (const r of got) expect(r < n && pairs.every((p) => texts[r].includes(p))).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays exact across many rows (bitsets that grow) and common grams turning from lists into bitsets', () => {
    const texts = Array.from({ length: 5000 }, (_, r) => `person${r}\u0000p${r % 7 === 0 ? 'zq' : ''}@contoso.com\u0000${(r * 2654435761 >>> 0).toString(16)}`);
    const g = build(texts);
    for (const q of ['p', 'zq', 'q@', 'n1', '99', '7', 'co', 'person12', 'x', '@c', 'on']) {
      const got = [...(g.candidates(q, texts.length) ?? [])];
      const want = scan(texts, q, texts.length);
      if (q.length <= 2) expect(got).toEqual(want);
      else {
        expect(got.filter((r) => texts[r].includes(q))).toEqual(want);
        const pairs = Array.from({ length: q.length - 1 }, (_, j) => q.slice(j, j + 2));
        expect(got.every((r) => pairs.every((p) => texts[r].includes(p)))).toBe(true);
      }
    }
    // A pair across the field separator is no pair: no row holds "n\u0000" as far as a query can ask.
    expect([...(g.candidates('0p', texts.length) ?? [])]).toEqual(scan(texts, '0p', texts.length));
  });

  it('does not answer for rows it has not been given, and skips a row added twice', () => {
    const g = new SearchGrams();
    g.add(0, 'ann');
    g.add(1, 'bob');
    expect(g.candidates('an', 3)).toBeNull();
    g.add(1, 'bob');
    g.add(5, 'anna'); // out of order: not taken
    expect(g.rows).toBe(2);
    expect([...g.candidates('b', 2)!]).toEqual([1]);
    g.add(2, 'nan');
    expect([...g.candidates('an', 3)!]).toEqual([0, 2]);
    expect([...g.candidates('zz', 3)!]).toEqual([]);
  });

  it('leaves out rows at or after n, in a bitset too', () => {
    // Below 50 every other row holds "a", after it every row: the bitset's last word must be cut at n.
    const texts = Array.from({ length: 100 }, (_, r) => (r >= 50 || r % 2 === 0 ? 'xa' : 'xb'));
    const g = build(texts);
    expect([...g.candidates('a', 50)!]).toEqual(scan(texts, 'a', 50));
    expect([...g.candidates('xa', 50)!]).toEqual(scan(texts, 'xa', 50));
  });
});
