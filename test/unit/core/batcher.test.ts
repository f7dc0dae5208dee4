import { Batcher, type BatchTimers } from '../../../src/core/batcher';

function fakeTimers() {
  let pending: Array<{ cb: () => void; at: number; id: number }> = [];
  let now = 0;
  let id = 0;
  const timers: BatchTimers = {
    setTimeout: (cb, ms) => {
      pending.push({ cb, at: now + ms, id: ++id });
      return id;
    },
    clearTimeout: (h) => {
      pending = pending.filter((p) => p.id !== h);
    },
  };
  const advance = (ms: number): void => {
    now += ms;
    const due = pending.filter((p) => p.at <= now);
    pending = pending.filter((p) => p.at > now);
    for (const p of due) p.cb();
  };
  return { timers, advance, pending: () => pending.length };
}

describe('Batcher: pages coalesced into fewer messages', () => {
  it('sends the first piece at once, then holds pieces until the delay or the size limit', () => {
    const t = fakeTimers();
    const sent: number[][] = [];
    const b = new Batcher<number>((xs) => sent.push(xs), { maxItems: 5, maxDelayMs: 50, timers: t.timers });
    b.push([1, 2]);
    expect(sent).toEqual([[1, 2]]);
    b.push([3]);
    b.push([4]);
    expect(sent).toHaveLength(1);
    t.advance(49);
    expect(sent).toHaveLength(1);
    t.advance(1);
    expect(sent).toEqual([[1, 2], [3, 4]]);
    b.push([5, 6, 7]);
    b.push([8, 9]);
    expect(sent).toEqual([[1, 2], [3, 4], [5, 6, 7, 8, 9]]);
    expect(t.pending()).toBe(0);
  });

  it('flush sends what is held, in order, and nothing is sent twice or lost', () => {
    const t = fakeTimers();
    const sent: number[][] = [];
    const b = new Batcher<number>((xs) => sent.push(xs), { maxItems: 100, maxDelayMs: 50, timers: t.timers });
    for (let i = 0; i < 10; i++) b.push([i]);
    b.flush();
    t.advance(100);
    expect(sent.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sent).toHaveLength(2);
    b.flush();
    expect(sent).toHaveLength(2);
  });

  it('discard drops what is held (a cancelled load sends nothing more)', () => {
    const t = fakeTimers();
    const sent: number[][] = [];
    const b = new Batcher<number>((xs) => sent.push(xs), { maxItems: 100, maxDelayMs: 50, timers: t.timers });
    b.push([1]);
    b.push([2]);
    b.discard();
    t.advance(100);
    expect(sent).toEqual([[1]]);
  });
});
