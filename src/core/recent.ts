// The last few answers of a computation, by key: a person going back to an earlier filter (a value unticked, a
// letter erased) gets its answer at once instead of a pass over every row. Answers are of one basis (the data
// and options they were computed from): a new basis drops them all.

export class RecentAnswers<T> {
  private answers: Array<{ key: string; value: T }> = [];
  private basis: readonly unknown[] = [];

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

  /**
   * The answer kept for `key`, or `compute`'s, kept as the newest. `basis`: what answers are computed from,
   * compared by identity with the last call's; when any differs, every kept answer is dropped first.
   */
  get(basis: readonly unknown[], key: string, compute: () => T): T {
    if (basis.length !== this.basis.length || basis.some((b, i) => b !== this.basis[i])) {
      this.basis = basis;
      this.answers = [];
    }
    const at = this.answers.findIndex((a) => a.key === key);
    const hit = at >= 0 ? this.answers.splice(at, 1)[0] : { key, value: compute() };
    this.answers.push(hit);
    let held = this.answers.reduce((n, a) => n + this.weight(a.value), 0);
    while (this.answers.length > this.max || (this.answers.length > 1 && held > this.maxWeight)) held -= this.weight(this.answers.shift()!.value);
    return hit.value;
  }
}
