// The last few answers of a computation, by key: a person going back to an earlier filter (a value unticked, a
// letter erased) gets its answer at once instead of a pass over every row. The owner drops them all (clear) when
// what they were computed from changes.

export class RecentAnswers<T> {
  private answers: Array<{ key: string; value: T }> = [];

  /**
   * @param max how many answers are kept
   * @param weight what an answer holds (rows, say), and `maxWeight` the most all kept answers may hold: the
   *   newest is kept even when it alone holds more
   */
  constructor(
    private readonly max: number,
    private readonly weight: (value: T) => number = () => 0,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
  ) {}

  clear(): void {
    this.answers = [];
  }

  /** The answer kept for `key`, or `compute`'s, kept as the newest. */
  get(key: string, compute: () => T): T {
    const at = this.answers.findIndex((a) => a.key === key);
    const hit = at >= 0 ? this.answers.splice(at, 1)[0] : { key, value: compute() };
    this.answers.push(hit);
    let held = this.answers.reduce((n, a) => n + this.weight(a.value), 0);
    while (this.answers.length > this.max || (this.answers.length > 1 && held > this.maxWeight)) held -= this.weight(this.answers.shift()!.value);
    return hit.value;
  }
}
