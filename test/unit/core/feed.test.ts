import { Feed } from '../../../src/core/feed';

const settled = async (p: Promise<void>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
};

describe('Feed', () => {
  test('a reader waits for values beyond what it has seen, and each reader keeps its own position', async () => {
    const f = new Feed<string>();
    const a = f.changed(0);
    expect(await settled(a)).toBe(false);
    f.push(['x', 'y']);
    expect(await settled(a)).toBe(true);
    expect(f.since(0)).toEqual(['x', 'y']);
    expect(f.since(1)).toEqual(['y']);
    expect(await settled(f.changed(1))).toBe(true); // already more than one
    const b = f.changed(2);
    f.push([]); // nothing new: still waiting
    expect(await settled(b)).toBe(false);
    f.push(['z']);
    expect(await settled(b)).toBe(true);
  });

  test('the end wakes every reader, and nothing is taken after it', async () => {
    const f = new Feed<number>();
    const waits = [f.changed(0), f.changed(0)];
    f.end();
    expect(await settled(Promise.all(waits).then(() => undefined))).toBe(true);
    f.push([1]);
    expect(f.length).toBe(0);
    expect(f.done).toBe(true);
    expect(Feed.of([1, 2]).done).toBe(true);
    expect(Feed.of([1, 2]).since(0)).toEqual([1, 2]);
  });

  test('an aborted reader stops waiting (a superseded load does not hang on a list that stopped)', async () => {
    const f = new Feed<number>();
    const c = new AbortController();
    const w = f.changed(0, c.signal);
    expect(await settled(w)).toBe(false);
    c.abort();
    expect(await settled(w)).toBe(true);
  });
});
