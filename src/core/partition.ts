// Splitting one access package's assignment listing into independent queries that can be fetched at once,
// and merging what they return. The list endpoint documents no $top/$skip, so parallel partitions are the
// dependable way to go faster than one page after another (a $top is asked for, never relied on).
//
// What partitions cannot see, and the guard (implemented in src/graph/assignments.ts):
//   Partitions are policy × state for the major states, state over all policies for the minor ones, and
//   one `state eq 'unknownFutureValue'` over all policies: Graph shows a state added later as that sentinel
//   (evolvable enums). An assignment in a major state under a policy missing from the policy list, or in
//   a state shown by a new name, matches no partition. So the unpartitioned listing runs alongside:
//   - its first page (the "probe"), without a next link, IS the whole list: no partition is needed;
//   - its first few pages are a sample: a row no partition covers (`coveredBy`) makes it read to the end;
//   - at the end, every sampled row must also have come back from its partition (else a filter is read
//     differently by the service, e.g. the case of state names), and a partition page that failed for
//     good is a known gap: either way the unpartitioned listing is read to the end as well.
//   Residual risk: an uncovered assignment beyond the sampled pages while every sampled row was covered.
//   No listing is a snapshot: an assignment that changes state while the partitions are read may show up
//   twice (merged by id) or, as with any paged listing, in neither.

import { t } from './i18n';
import type { PolicyInfo, Row } from './model';

/** What partitions look at in a listed item: an assignment row, or a request (policyId ''). */
export type PartitionItem = Pick<Row, 'id' | 'policyId' | 'state'>;

/** The documented v1.0 assignment states, most common first (they are started in this order). */
export const ASSIGNMENT_STATES = ['delivered', 'expired', 'delivering', 'deliveryFailed', 'partiallyDelivered'] as const;
/** States that usually hold most assignments: split by policy from the start. */
export const MAJOR_STATES = ['delivered', 'expired'] as const;
/** States that are usually small: one partition over all policies, split only if the first page says big. */
export const MINOR_STATES = ['delivering', 'deliveryFailed', 'partiallyDelivered'] as const;

/** How Graph v1.0 shows a state newer than the client (evolvable enum sentinel). */
export const FUTURE_STATE = 'unknownFutureValue';

export interface Partition {
  /** Stable key, e.g. "<policyId>|delivered" ("*|delivering" over all policies). */
  key: string;
  /** What a human reads in an error: "policy Sales, state delivered". */
  label: string;
  /** The complete $filter value, package filter included. */
  filter: string;
  policyId: string | null;
  state: string | null;
  /** An extra partition the service may refuse without loss (the probe still guards what it covers). */
  bestEffort?: boolean;
}

/** An OData string literal: single quotes doubled. */
export function odataString(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

export function packageFilter(packageId: string): string {
  return `accessPackage/id eq ${odataString(packageId)}`;
}

function uniquePolicies(policies: readonly PolicyInfo[]): PolicyInfo[] {
  const seen = new Set<string>();
  return policies.filter((p) => p.id !== '' && !seen.has(p.id) && (seen.add(p.id), true));
}

function byPolicy(packageId: string, p: PolicyInfo, state: string): Partition {
  return {
    key: `${p.id}|${state}`,
    label: t('core_partition_policy_state', { policy: p.displayName || p.id, state }),
    filter: `${packageFilter(packageId)} and assignmentPolicy/id eq ${odataString(p.id)} and state eq ${odataString(state)}`,
    policyId: p.id,
    state,
  };
}

function byState(packageId: string, state: string, bestEffort = false): Partition {
  return {
    key: `*|${state}`,
    label: t(bestEffort ? 'core_partition_state_any' : 'core_partition_state', { state }),
    filter: `${packageFilter(packageId)} and state eq ${odataString(state)}`,
    policyId: null,
    state,
    ...(bestEffort ? { bestEffort: true } : {}),
  };
}

/**
 * The partitions, biggest usually first: every policy's `delivered`, then every policy's `expired` (the
 * states that hold most assignments), then one partition per minor state over all policies (each
 * request costs the same, and a minor state rarely fills more than a page or two per policy), last one
 * best-effort partition for the future-state sentinel. Without policies: one partition per state.
 * `refinePlan` splits a minor state by policy when the first page shows it is big.
 */
export function planPartitions(packageId: string, policies: readonly PolicyInfo[]): Partition[] {
  const unique = uniquePolicies(policies);
  const out: Partition[] = [];
  for (const state of MAJOR_STATES) {
    if (unique.length === 0) out.push(byState(packageId, state));
    else for (const p of unique) out.push(byPolicy(packageId, p, state));
  }
  for (const state of MINOR_STATES) out.push(byState(packageId, state));
  out.push(byState(packageId, FUTURE_STATE, true));
  return out;
}

/**
 * The documented v1.0 accessPackageRequestState values (DC resources/accesspackageassignmentrequest.md,
 * `state` supports $filter eq), most common first: a package's requests are mostly delivered.
 */
export const REQUEST_STATES = [
  'delivered', 'denied', 'canceled', 'deliveryFailed', 'partiallyDelivered', 'pendingApproval', 'delivering', 'submitted', 'scheduled',
] as const;

/**
 * The partitions of a package's assignment requests: one per request state (Graph documents no policy
 * filter on requests), then the best-effort future-state sentinel. The same guard as for assignments
 * applies (the unpartitioned listing's first pages are a sample; see fetchListing in src/graph/assignments.ts).
 */
export function planRequestPartitions(packageId: string): Partition[] {
  return [...REQUEST_STATES.map((s) => byState(packageId, s)), byState(packageId, FUTURE_STATE, true)];
}

/**
 * Splits not-yet-started all-policy partitions by policy where the sample (the first page) shows more rows
 * in them than in the biggest per-policy partition: left whole, such a partition would be the longest
 * chain. Returns the new pending list (order kept, split ones in place) and the new plan.
 */
export function refinePlan(
  packageId: string,
  plan: readonly Partition[],
  pending: readonly Partition[],
  policies: readonly PolicyInfo[],
  sample: readonly PartitionItem[],
): { plan: Partition[]; pending: Partition[] } {
  const unique = uniquePolicies(policies);
  if (unique.length < 2) return { plan: [...plan], pending: [...pending] };
  const count = (p: Partition): number => sample.filter((r) => rowMatchesPartition(p, r)).length;
  const biggest = Math.max(0, ...plan.filter((p) => p.policyId !== null).map(count));
  const split = new Map<string, Partition[]>();
  for (const p of pending) {
    if (p.policyId === null && !p.bestEffort && p.state !== null && count(p) > biggest) {
      const state = p.state;
      split.set(p.key, unique.map((pol) => byPolicy(packageId, pol, state)));
    }
  }
  const expand = (list: readonly Partition[]): Partition[] => list.flatMap((p) => split.get(p.key) ?? [p]);
  return { plan: expand(plan), pending: expand(pending) };
}

/** Does the row fit this partition's filter? (States compared case-insensitively: samples use both cases.) */
export function rowMatchesPartition(p: Partition, row: PartitionItem): boolean {
  if (p.policyId !== null && row.policyId !== p.policyId) return false;
  if (p.state !== null && row.state.toLowerCase() !== p.state.toLowerCase()) return false;
  return true;
}

/** Would any partition of the plan return this row? */
export function coveredBy(plan: readonly Partition[], row: PartitionItem): boolean {
  return plan.some((p) => rowMatchesPartition(p, row));
}

/**
 * The plan reordered by how many rows of a sample (the probe page) fall in each partition, biggest first;
 * partitions the sample never hit keep their order at the end (they are probably empty: one quick request).
 */
export function orderBySample(plan: readonly Partition[], sample: readonly PartitionItem[]): Partition[] {
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

/** Rows from every partition and page, merged by id (assignments; the package's requests too). */
export class AssignmentMerger<T extends { id: string } = Row> {
  private readonly byId = new Map<string, T>();
  private dupes = 0;

  /** Adds rows; returns the ones not seen before (in order). A repeated id is counted, not added again. */
  add(rows: readonly T[]): T[] {
    const fresh: T[] = [];
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

  rows(): T[] {
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
