// A load's checkpoints: when they are written, and that the last one after the listing is never skipped.
import { Checkpoints, readCheckpoint, type CheckpointStorage, type LoadCheckpoint } from '../../../src/background/overview/checkpoint';
import type { Row } from '../../../src/core/model';
import { OverviewStore, type StoreSnapshot } from '../../../src/core/overview/store';
import { NOW, row } from '../core/fixtures';

const OPTS = { now: NOW, staleAfterDays: 90, signInAvailable: false };

/** Storage whose writes finish when the test says, on a clock the test moves. */
function slowDisk(clock: { t: number }, writeMs = 0) {
  const writes: LoadCheckpoint[] = [];
  const parts = new Map<number, StoreSnapshot>();
  const pending: Array<() => void> = [];
  let checkpoint: LoadCheckpoint | undefined;
  const storage: CheckpointStorage = {
    putPart: (index, part, c) =>
      new Promise<void>((resolve) => {
        pending.push(() => {
          clock.t += writeMs;
          parts.set(index, structuredClone(part));
          checkpoint = structuredClone(c);
          writes.push(checkpoint);
          resolve();
        });
      }),
    getCheckpoint: async () => checkpoint,
    getParts: async (count) => Array.from({ length: count }, (_, k) => parts.get(k)!),
    dropParts: async () => undefined,
  };
  const finish = async (): Promise<void> => {
    while (pending.length > 0) {
      pending.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  return { storage, writes, finish };
}

function storeWith(packages: string[]): OverviewStore {
  const s = new OverviewStore(OPTS);
  s.setPackages(packages.map((id) => ({ id, displayName: id, catalogId: 'c', catalogName: 'C' })));
  return s;
}

const rowsOf = (pkg: string, n: number): Row[] =>
  Array.from({ length: n }, (_, i) => row({ id: `${pkg}-${i}`, objectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }));

describe('Checkpoints', () => {
  it('the checkpoint at the end of the listing comes after one still being written, with every package', async () => {
    const clock = { t: 0 };
    const disk = slowDisk(clock);
    const store = storeWith(['a', 'b']);
    const done = new Set<string>();
    const notes = new Set<string>();
    const read = { done, unreadable: [], notes };
    const c = new Checkpoints(disk.storage, 'acct', 'tenant', 0, () => clock.t);
    store.add('a', rowsOf('a', 3));
    done.add('a');
    c.due(store, read); // written slowly
    store.add('b', rowsOf('b', 2));
    done.add('b');
    notes.add('b: an assignment came without an id');
    c.due(store, read, true); // the listing ended meanwhile
    await disk.finish();
    expect(disk.writes.map((w) => w.done)).toEqual([['a'], ['a', 'b']]);
    const back = await readCheckpoint(disk.storage, 'acct', 'tenant', clock.t, OPTS);
    expect(back?.store.size).toBe(5);
    // What the reads noticed comes back with the rows: those packages are not read again to notice it anew.
    expect(back?.notes).toEqual(['b: an assignment came without an id']);
  });

  it('waits 20 times what the last one took (copy, clone and write), however often it is asked', async () => {
    const clock = { t: 0 };
    const disk = slowDisk(clock, 1000);
    const store = storeWith(['a']);
    const c = new Checkpoints(disk.storage, 'acct', 'tenant', 0, () => clock.t);
    store.add('a', rowsOf('a', 1));
    c.due(store, { done: new Set(['a']), unreadable: [], notes: new Set() });
    await disk.finish(); // took 1 s
    clock.t += 19_000;
    c.due(store, { done: new Set(['a']), unreadable: [], notes: new Set() });
    await disk.finish();
    expect(disk.writes).toHaveLength(1);
    clock.t += 1_000;
    c.due(store, { done: new Set(['a']), unreadable: [], notes: new Set() });
    await disk.finish();
    expect(disk.writes).toHaveLength(2);
  });
});
