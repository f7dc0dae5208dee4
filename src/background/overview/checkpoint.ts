// A load in progress, written to disk as it goes: when the worker stops mid-load (the browser restarts, the
// extension is updated, Chrome stops it), the next open of that scope resumes from the packages read instead of
// reading a million rows again. Each checkpoint writes only the rows appended since the last one (a part of the
// store, see StoreSnapshot), with what the parts so far hold, in one transaction.
import { OverviewStore, STORE_START, type StoreMark, type StoreOptions, type StoreSnapshot } from '../../core/overview/store';
import type { UnreadablePackage } from '../../protocol/overview';

/** What the parts written so far hold. */
export interface LoadCheckpoint {
  /** whose data (see StoredScope.account) */
  account: string;
  scope: string;
  /** epoch ms this checkpoint was written */
  savedAt: number;
  /** packages whose read ended: their rows are whole in the parts, or their reason is in `unreadable` */
  done: string[];
  unreadable: UnreadablePackage[];
  /** what the reads noticed so far (absent in checkpoints written before notes were kept) */
  notes?: string[];
  /** parts 0..parts-1 hold the rows */
  parts: number;
}

/** What a load has read so far besides its rows. */
export interface ReadSoFar {
  /** packages whose read ended */
  done: ReadonlySet<string>;
  unreadable: readonly UnreadablePackage[];
  /** what the reads noticed (core/notes.ts) */
  notes: ReadonlySet<string>;
}

/** Where a load's parts live (IndexedDB in the worker). */
export interface CheckpointStorage {
  /** Part `index` and the checkpoint, in one write; part 0 also drops the parts of an earlier load. */
  putPart(index: number, part: StoreSnapshot, checkpoint: LoadCheckpoint): Promise<void>;
  getCheckpoint(): Promise<LoadCheckpoint | undefined>;
  /** Parts 0..count-1 in order; undefined when one is missing. */
  getParts(count: number): Promise<StoreSnapshot[] | undefined>;
  dropParts(): Promise<void>;
}

/** A checkpoint is due this long after the last one, and never sooner than 20 times what the last one cost. */
export const CHECKPOINT_MS = 10_000;
/** A stopped load resumes for this long after its last checkpoint; after that it is read again. */
export const KEEP_PARTS_MS = 60 * 60_000;

/** One load's checkpoints. */
export class Checkpoints {
  private mark: StoreMark = STORE_START;
  private parts = 0;
  private last = 0;
  private cost = 0;
  private busy = false;
  private stopped = false;
  /** The listing ended while a checkpoint was being written: one more follows it. */
  private final: (() => void) | null = null;

  constructor(
    private readonly storage: CheckpointStorage,
    private readonly account: string,
    private readonly scope: string,
    private readonly everyMs: number,
    private readonly now: () => number,
  ) {
    this.last = now();
  }

  /** Never writes again (the load's rows are outdated, or another load writes its own). */
  stop(): void {
    this.stopped = true;
  }

  /**
   * A package's read ended: writes what the store appended since the last part, when a checkpoint is due
   * (or `now`: the listing ended).
   * `read` and the part are taken in the same turn, so every package it names as done is whole in the parts.
   */
  due(store: OverviewStore, read: ReadSoFar, now = false): void {
    if (this.stopped) return;
    if (this.busy) {
      if (now) this.final = () => void this.write(store, read);
      return;
    }
    if (!now && this.now() - this.last < Math.max(this.everyMs, 20 * this.cost)) return;
    void this.write(store, read);
  }

  private async write(store: OverviewStore, read: ReadSoFar): Promise<void> {
    this.busy = true;
    const started = this.now();
    try {
      const part = store.snapshot(this.mark);
      const checkpoint: LoadCheckpoint = {
        account: this.account,
        scope: this.scope,
        savedAt: started,
        done: [...read.done],
        unreadable: [...read.unreadable],
        notes: [...read.notes],
        parts: this.parts + 1,
      };
      await this.storage.putPart(this.parts, part, checkpoint);
      this.mark = part.to;
      this.parts++;
    } catch {
      // Refused (quota, memory): the load goes on; a stop now means reading the scope again.
      this.stopped = true;
    } finally {
      this.busy = false;
      this.last = this.now();
      // Copy, clone and write: the next one waits at least 20 times as long.
      this.cost = this.last - started;
    }
    const final = this.final;
    this.final = null;
    if (final && !this.stopped) final();
  }
}

/** A stopped load of this scope and account, as a store holding exactly the packages it had read. */
export interface Resumable {
  store: OverviewStore;
  done: Set<string>;
  unreadable: UnreadablePackage[];
  notes: string[];
}

/** The stopped load to resume, or null (none, another scope or account, too old, or parts that do not join). */
export async function readCheckpoint(storage: CheckpointStorage, account: string, scope: string, now: number, opts: StoreOptions): Promise<Resumable | null> {
  try {
    const c = await storage.getCheckpoint();
    if (!c) return null;
    if (c.account !== account || now - c.savedAt > KEEP_PARTS_MS) {
      await storage.dropParts(); // another account's, or too old to resume
      return null;
    }
    if (c.scope !== scope) return null;
    const parts = await storage.getParts(c.parts);
    const joined = parts ? OverviewStore.join(parts) : null;
    if (!joined) return null;
    const store = OverviewStore.restore(joined, opts);
    const done = new Set(c.done);
    // Rows of the packages still being read when it stopped: read again, whole.
    store.retainPackages(done);
    return { store, done, unreadable: c.unreadable, notes: c.notes ?? [] };
  } catch {
    // Unreadable, of another format, or refused memory: the scope is read from Graph.
    return null;
  }
}
