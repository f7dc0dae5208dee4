// Splitting one access package's assignment listing into independent queries that can be fetched at once,
// and merging what they return. The list endpoint documents no $top/$skip, so parallel partitions are the
// only way to go faster than one page after another.
//
// What partitions cannot see, and the guard (implemented in src/graph/assignments.ts):
//   A partition is `policy × state` for the five documented states. An assignment in a state Graph adds
//   later (`unknownFutureValue` or newer), or under a policy missing from the policy list, matches no
//   partition. So the unpartitioned listing's first page is always fetched too (the "probe"):
//   - no next link: that page IS the whole list, and the partitions are not needed;
//   - any row on it that no partition covers (see `coveredBy`): the unpartitioned listing is followed to
//     the end as well;
//   - at the end, every probe row must also have come back from its partition; if one did not (a filter
//     the service reads differently, e.g. case of state names), the unpartitioned listing is followed to the
//     end as well.
//   Residual risk: an uncovered assignment that is not on the probe page while every probe row was
//   covered. Each listing is also not a snapshot: an assignment that changes state while the partitions
//   are read may show up twice (merged by id) or, like with any paged listing, once in neither.

import type { PolicyInfo, Row } from './model';

/** The documented v1.0 assignment states, most common first (they are started in this order). */
export const ASSIGNMENT_STATES = ['delivered', 'expired', 'delivering', 'deliveryFailed', 'partiallyDelivered'] as const;

export interface Partition {
  /** Stable key, e.g. "<policyId>|delivered". */
  key: string;
  /** What a human reads in an error: "policy Sales, state delivered". */
  label: string;
  /** The complete $filter value, package filter included. */
  filter: string;
  policyId: string | null;
  state: string | null;
}

/** An OData string literal: single quotes doubled. */
export function odataString(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

export function packageFilter(packageId: string): string {
  return `accessPackage/id eq ${odataString(packageId)}`;
}

/**
 * policy × state partitions, states-major (every policy's `delivered`, then every policy's `expired`, ...),
 * so the biggest partitions usually start first. Without policies: one partition per state.
 */
export function planPartitions(packageId: string, policies: readonly PolicyInfo[]): Partition[] {
  const base = packageFilter(packageId);
  const seen = new Set<string>();
  const unique = policies.filter((p) => p.id !== '' && !seen.has(p.id) && (seen.add(p.id), true));
  const out: Partition[] = [];
  for (const state of ASSIGNMENT_STATES) {
    if (unique.length === 0) {
      out.push({ key: `*|${state}`, label: `state ${state}`, filter: `${base} and state eq ${odataString(state)}`, policyId: null, state });
      continue;
    }
    for (const p of unique) {
      out.push({
        key: `${p.id}|${state}`,
        label: `policy ${p.displayName || p.id}, state ${state}`,
        filter: `${base} and assignmentPolicy/id eq ${odataString(p.id)} and state eq ${odataString(state)}`,
        policyId: p.id,
        state,
      });
    }
  }
  return out;
}

/** Does the row fit this partition's filter? (States compared case-insensitively: samples use both cases.) */
export function rowMatchesPartition(p: Partition, row: Row): boolean {
  if (p.policyId !== null && row.policyId !== p.policyId) return false;
  if (p.state !== null && row.state.toLowerCase() !== p.state.toLowerCase()) return false;
  return true;
}

/** Would any partition of the plan return this row? */
export function coveredBy(plan: readonly Partition[], row: Row): boolean {
  return plan.some((p) => rowMatchesPartition(p, row));
}

/**
 * The plan reordered by how many rows of a sample (the probe page) fall in each partition, biggest first;
 * partitions the sample never hit keep their order at the end (they are probably empty: one quick request).
 */
export function orderBySample(plan: readonly Partition[], sample: readonly Row[]): Partition[] {
  const counts = new Map<string, number>();
  for (const row of sample) {
    const p = plan.find((q) => rowMatchesPartition(q, row));
    if (p) counts.set(p.key, (counts.get(p.key) ?? 0) + 1);
  }
  return plan
    .map((p, i) => ({ p, i, n: counts.get(p.key) ?? 0 }))
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .map((x) => x.p);
}

/** Rows from every partition and page, merged by assignment id. */
export class AssignmentMerger {
  private readonly byId = new Map<string, Row>();
  private dupes = 0;

  /** Adds rows; returns the ones not seen before (in order). A repeated id is counted, not added again. */
  add(rows: readonly Row[]): Row[] {
    const fresh: Row[] = [];
    for (const row of rows) {
      if (this.byId.has(row.id)) {
        this.dupes++;
        continue;
      }
      this.byId.set(row.id, row);
      fresh.push(row);
    }
    return fresh;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  rows(): Row[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }

  /** How many rows arrived again under an id already merged. */
  get duplicates(): number {
    return this.dupes;
  }
}
