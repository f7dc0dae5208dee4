import { lowerBoundPages, median, percentile } from '../../bench/stats';

describe('percentile (nearest rank)', () => {
  it('gives the value at or above the share of samples asked for', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(median(xs)).toBe(5);
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile(xs, 90)).toBe(9);
    expect(percentile(xs, 10)).toBe(1);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile(xs, 100)).toBe(10);
  });

  it('does not reorder the caller’s samples and says NaN for none', () => {
    const xs = [3, 1, 2];
    percentile(xs, 50);
    expect(xs).toEqual([3, 1, 2]);
    expect(percentile([], 50)).toBeNaN();
  });

  it('p95 of 200 samples is the 190th smallest: the 10 slowest keystrokes are beyond it', () => {
    const xs = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(percentile(xs, 95)).toBe(190);
  });
});

describe('lowerBoundPages', () => {
  it('is the biggest policy×state group in pages of the given size', () => {
    const keys = [...Array(250).fill('p1|delivered'), ...Array(101).fill('p2|delivered'), ...Array(30).fill('p1|expired')];
    expect(lowerBoundPages(keys, 100)).toBe(3);
    expect(lowerBoundPages(keys, 50)).toBe(5);
  });

  it('an empty package needs no page beyond the first answer', () => {
    expect(lowerBoundPages([], 100)).toBe(0);
  });
});
