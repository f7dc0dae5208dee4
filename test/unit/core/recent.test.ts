import { RecentAnswers } from '../../../src/core/recent';

describe('RecentAnswers', () => {
  test('gives a kept answer again without computing it; the oldest goes first', () => {
    const recent = new RecentAnswers<string>(2);
    const computed: string[] = [];
    const get = (k: string): string => recent.get([], k, () => (computed.push(k), `answer ${k}`));
    expect(get('a')).toBe('answer a');
    get('b');
    expect(get('a')).toBe('answer a'); // kept: now the newest
    get('c'); // drops b, the oldest
    get('a');
    get('b');
    expect(computed).toEqual(['a', 'b', 'c', 'b']);
  });

  test('keeps what the answers hold under the most allowed, and the newest however much it holds', () => {
    const recent = new RecentAnswers<number[]>(10, (v) => v.length, 5);
    const computed: number[] = [];
    const get = (n: number): number[] => recent.get([], String(n), () => (computed.push(n), new Array<number>(n).fill(n)));
    get(2);
    get(3); // 5 in all: both kept
    get(2);
    get(3);
    get(9); // alone over the limit: kept, the others dropped
    get(9);
    get(2);
    expect(computed).toEqual([2, 3, 9, 2]);
  });

  test('a new basis (any part of it another object or value) drops every answer', () => {
    const recent = new RecentAnswers<number>(4);
    const data = { rows: 1 };
    let n = 0;
    recent.get([data, 1], 'x', () => ++n);
    expect(recent.get([data, 1], 'x', () => ++n)).toBe(1);
    expect(recent.get([data, 2], 'x', () => ++n)).toBe(2);
    expect(recent.get([{ rows: 1 }, 2], 'x', () => ++n)).toBe(3);
    expect(recent.get([data, 2], 'x', () => ++n)).toBe(4);
  });
});
