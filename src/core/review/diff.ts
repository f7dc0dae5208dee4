// Changes since the last review (or the last visit when there was none): the list saved then against the list
// now. Added and removed assignments, and those that became stale or started expiring since, so the next
// review starts with what changed.
import type { ChangeValue } from '../../core/filters';

/** What is kept of a row to compare later: small, since a package may hold 100,000 assignments. */
export interface SnapshotRow {
  id: string;
  /** display name, else UPN, else the id: shown for rows that disappeared */
  label: string;
  stale: boolean;
  /** expires within the panel's "soon" window (the expiry facet's `soon`) */
  expiring: boolean;
}

export interface ListSnapshot {
  packageId: string;
  /** saved when a review finished, or on a visit of a package without one */
  kind: 'review' | 'visit';
  /** ISO time (UTC) */
  at: string;
  rows: SnapshotRow[];
}

export interface ListDiff {
  added: string[];
  removed: SnapshotRow[];
  newlyStale: string[];
  newlyExpiring: string[];
}

export function diffSince(before: readonly SnapshotRow[], now: readonly SnapshotRow[]): ListDiff {
  const prev = new Map(before.map((r) => [r.id, r]));
  const current = new Set<string>();
  const out: ListDiff = { added: [], removed: [], newlyStale: [], newlyExpiring: [] };
  for (const r of now) {
    current.add(r.id);
    const p = prev.get(r.id);
    if (!p) out.added.push(r.id);
    else {
      if (r.stale && !p.stale) out.newlyStale.push(r.id);
      if (r.expiring && !p.expiring) out.newlyExpiring.push(r.id);
    }
  }
  for (const p of before) if (!current.has(p.id)) out.removed.push(p);
  return out;
}

/** The `change` facet's value per row (a row both newly stale and newly expiring counts as newly stale). */
export function changeValues(diff: ListDiff): Map<string, ChangeValue> {
  const out = new Map<string, ChangeValue>();
  for (const id of diff.newlyExpiring) out.set(id, 'newly-expiring');
  for (const id of diff.newlyStale) out.set(id, 'newly-stale');
  for (const id of diff.added) out.set(id, 'added');
  return out;
}
