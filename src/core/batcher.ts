// Coalesces small, frequent pieces (pages of 100 rows) into fewer, larger messages. At 0 ms page latency a
// port message per page was the worker's biggest cost after the network itself (each message is serialised,
// crosses to the page's process and is dispatched there), and each one woke the panel. The first piece goes
// out at once (time to first rows); later ones wait at most `maxDelayMs` or until `maxItems` are held.

export interface BatchTimers {
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface BatcherOptions {
  /** Send as soon as this many items are held. */
  maxItems: number;
  /** The longest an item waits. */
  maxDelayMs: number;
  timers?: BatchTimers;
}

const defaultTimers: BatchTimers = {
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Batcher<T> {
  private held: T[] = [];
  private timer: unknown = null;
  private sentAny = false;
  private readonly timers: BatchTimers;

  constructor(
    private readonly send: (items: T[]) => void,
    private readonly opts: BatcherOptions,
  ) {
    this.timers = opts.timers ?? defaultTimers;
  }

  push(items: readonly T[]): void {
    if (items.length === 0) return;
    for (const x of items) this.held.push(x);
    if (!this.sentAny || this.held.length >= this.opts.maxItems) this.flush();
    else if (this.timer === null) this.timer = this.timers.setTimeout(() => this.flush(), this.opts.maxDelayMs);
  }

  /** Sends what is held now (before a message that must follow every item, e.g. "load done"). */
  flush(): void {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.held.length === 0) return;
    const out = this.held;
    this.held = [];
    this.sentAny = true;
    this.send(out);
  }

  /** Drops what is held (the load was cancelled). */
  discard(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.held = [];
  }
}
