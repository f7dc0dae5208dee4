// Small pure helpers of the benchmark: percentiles, the fetch lower bound, byte and time formatting.

/** The p-th percentile (0–100) of `xs` by the nearest-rank method; NaN for an empty list. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const median = (xs: readonly number[]): number => percentile(xs, 50);

export const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, v) => a + v, 0) / xs.length : Number.NaN);

/**
 * The fewest sequential pages any partitioning of the listing by Graph's filters can need: the documented
 * filters split at best into policy × state groups, and one group is one chain of next links. So the
 * biggest group, in pages, bounds the whole fetch from below. `keys` holds one group key per assignment.
 */
export function lowerBoundPages(keys: readonly string[], pageSize: number): number {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  let most = 0;
  for (const n of counts.values()) most = Math.max(most, n);
  return Math.ceil(most / pageSize);
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtBytes(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}
