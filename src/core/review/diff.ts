// Changes since the last review (or the last visit when there was none): the list saved then against the list
// now. Added and removed assignments, and those that became stale or started expiring since, so the next
// review starts with what changed.
import type { ChangeValue } from '../../core/filters';
import type { Row } from '../model';

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

/** A baseline as a panel needs it: when and why it was saved (its rows stay in the worker, which compares). */
export type BaselineInfo = Pick<ListSnapshot, 'packageId' | 'kind' | 'at'>;

export const baselineInfo = (b: ListSnapshot): BaselineInfo => ({ packageId: b.packageId, kind: b.kind, at: b.at });

// On the port a finished review's snapshot is one string: JSON of [id, label, flags] per row (flags: 1 stale,
// 2 expiring). A port copies an object property by property on both sides; as objects, the 100,000 rows of a list
// held the portal page for 0.7 s.
const bits = (stale: boolean, expiring: boolean): number => (stale ? 1 : 0) | (expiring ? 2 : 0);
const withBits = (id: string, label: string, b: number): SnapshotRow => ({ id, label, stale: (b & 1) !== 0, expiring: (b & 2) !== 0 });

export function packSnapshot(rows: readonly SnapshotRow[]): string {
  const tuples = new Array<[string, string, number]>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    tuples[i] = [r.id, r.label, bits(r.stale, r.expiring)];
  }
  return JSON.stringify(tuples);
}

/** The rows of a packed snapshot; null when the text is not one (or holds more than `maxRows` rows). */
export function unpackSnapshot(text: string, maxRows: number): SnapshotRow[] | null {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(list) || list.length > maxRows) return null;
  const out = new Array<SnapshotRow>(list.length);
  for (let i = 0; i < list.length; i++) {
    const t: unknown = list[i];
    if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'string' || typeof t[1] !== 'string' || !Number.isInteger(t[2]) || t[2] < 0 || t[2] > 3) return null;
    out[i] = withBits(t[0], t[1], t[2]);
  }
  return out;
}

// A visit sends less: the worker holds the list it just sent (ids and names, in order), so the panel sends one
// flag character per row ('0'-'3': 1 stale, 2 expiring) and a digest of the ids it flagged, which the worker checks
// against its copy before it pairs them. 100,000 rows: 100 KB instead of 6 MB, which took the port 0.15-0.3 s.

export const snapshotFlag = (stale: boolean, expiring: boolean): string => String(bits(stale, expiring));

/** FNV-1a (32 bits) over the ids in order, each ended by a newline: to know both sides mean the same rows. */
export class IdDigest {
  private h = 0x811c9dc5;
  private n = 0;
  add(id: string): void {
    let h = this.h;
    for (let i = 0; i < id.length; i++) {
      h ^= id.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 10;
    this.h = Math.imul(h, 0x01000193);
    this.n++;
  }
  /** The digest of the ids added so far, their count included. */
  get value(): string {
    return `${this.n}:${(this.h >>> 0).toString(16)}`;
  }
}

/** A row of the list as the worker holds it: what a snapshot keeps of it besides the flags. */
export type ListedRow = Pick<Row, 'id' | 'displayName' | 'principalName'>;

/** The label a snapshot keeps for a row (the panel's words for it: name, else UPN, else the id). */
export const snapshotLabel = (r: ListedRow): string => r.displayName || r.principalName || r.id;

/** The snapshot of `list` with the panel's flags; null unless `digest` is that of the list's ids and every row has a flag. */
export function snapshotFromFlags(list: readonly ListedRow[], digest: string, flags: string): SnapshotRow[] | null {
  if (flags.length !== list.length || !/^[0-3]*$/.test(flags)) return null;
  const d = new IdDigest();
  for (const r of list) d.add(r.id);
  if (d.value !== digest) return null;
  const out = new Array<SnapshotRow>(list.length);
  for (let i = 0; i < list.length; i++) {
    out[i] = withBits(list[i].id, snapshotLabel(list[i]), flags.charCodeAt(i) - 48);
  }
  return out;
}
