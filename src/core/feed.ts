// Values that arrive over time, read by more than one consumer: the user ids of an assignment list while it
// still loads, so account and sign-in data are read alongside the list instead of after it.

export class Feed<T> {
  private readonly items: T[] = [];
  private ended = false;
  private waiters: Array<() => void> = [];

  /** A feed that already holds all its values. */
  static of<T>(values: readonly T[]): Feed<T> {
    const f = new Feed<T>();
    f.push(values);
    f.end();
    return f;
  }

  push(values: Iterable<T>): void {
    if (this.ended) return;
    const before = this.items.length;
    for (const v of values) this.items.push(v);
    if (this.items.length > before) this.wake();
  }

  /** No more values will come. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.wake();
  }

  get done(): boolean {
    return this.ended;
  }

  get length(): number {
    return this.items.length;
  }

  at(i: number): T {
    return this.items[i];
  }

  /** The values from `from` on (each consumer keeps its own position). */
  since(from: number): T[] {
    return this.items.slice(from);
  }

  /** Resolves when the feed holds more than `seen` values, has ended, or `signal` aborts. */
  changed(seen: number, signal?: AbortSignal): Promise<void> {
    if (this.items.length > seen || this.ended || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal?.removeEventListener('abort', done);
        this.waiters = this.waiters.filter((w) => w !== done); // an aborted reader is not kept
        resolve();
      };
      this.waiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
}
