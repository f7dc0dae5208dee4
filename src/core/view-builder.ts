// Rows + users → view rows → filter index, kept up to date by the rows and users that changed rather than
// rebuilt from every row. While 100,000 rows stream in (and, alongside, their users' account and sign-in
// data), the panel commits every ~100 ms; rebuilding both over every row at each commit cost ~200 ms per
// commit at the end of a load (the panel's biggest cost in the load profile, and its long tasks).
//
// A full rebuild still happens when what every row depends on changes: another list (not an extension of
// the last one), the stale threshold, whether sign-in data is available, or when most rows changed anyway.
import { accessNow } from './access/per-row';
import { createFilterIndex, extendFilterIndex, type FilterContext, type FilterIndex } from './filters';
import type { Row, UserInfo, ViewAccess, ViewRow } from './model';
import { toViewRows } from './stale';

export interface ViewInputs {
  rows: readonly Row[];
  users: ReadonlyMap<string, UserInfo>;
  /** Ids of users added or replaced in `users` since the last call (the builder empties it). */
  changedUsers: Set<string>;
  now: number;
  staleAfterDays: number;
  expiringWithinDays: number;
  signInAvailable: boolean;
  /** The access check's results by assignment id (null: no check ran); a new map means a full rebuild. */
  access?: ReadonlyMap<string, ViewAccess> | null;
}

export interface BuiltView {
  viewRows: ViewRow[];
  index: FilterIndex;
  /** true when this call rebuilt everything (for the panel's commit pacing) */
  full: boolean;
}

/** A changed-user update touching more rows than this share is done as a full rebuild (as cheap, simpler). */
const FULL_REBUILD_SHARE = 0.5;

/** `rows` starts with every element of `prev`, in order (the store appends with concat). */
function extendsList(rows: readonly Row[], prev: readonly Row[]): boolean {
  if (rows === prev) return true;
  if (rows.length < prev.length || prev.length === 0) return prev.length === 0;
  return rows[0] === prev[0] && rows[prev.length - 1] === prev[prev.length - 1];
}

export class ViewBuilder {
  private last: BuiltView | null = null;
  private rows: readonly Row[] = [];
  private key = '';
  /** lower-cased object id → positions of its rows; built on the first user update */
  private byObject: Map<string, number[]> | null = null;
  private access: ReadonlyMap<string, ViewAccess> | null = null;

  build(inp: ViewInputs): BuiltView {
    const key = `${inp.staleAfterDays}|${inp.signInAvailable}|${inp.expiringWithinDays}`;
    const prev = this.last;
    const access = inp.access ?? null;
    if (!prev || key !== this.key || access !== this.access || !extendsList(inp.rows, this.rows)) return this.full(inp, key);
    if (inp.rows === this.rows && inp.changedUsers.size === 0) return prev;

    const from = this.rows.length;
    // Every user has a row here, so this many users change at least as many rows: rebuilt in full without
    // first indexing every row by its user (the users held back until the list is done arrive like this:
    // indexing 20,000 rows to find them all cost some 60 ms before the full rebuild that followed anyway).
    if (inp.changedUsers.size > inp.rows.length * FULL_REBUILD_SHARE) return this.full(inp, key);
    const changed = this.changedPositions(inp.changedUsers, from);
    inp.changedUsers.clear();
    if (changed.length > inp.rows.length * FULL_REBUILD_SHARE) return this.full(inp, key);
    const opts = { now: inp.now, staleAfterDays: inp.staleAfterDays, signInAvailable: inp.signInAvailable };
    const viewRows = prev.viewRows.slice();
    if (changed.length > 0) {
      const redone = this.withAccess(toViewRows(changed.map((i) => this.rows[i] as Row), inp.users, opts));
      changed.forEach((i, k) => (viewRows[i] = redone[k]));
    }
    const added = inp.rows.slice(from) as Row[];
    for (const v of this.withAccess(toViewRows(added, inp.users, opts))) viewRows.push(v);
    if (this.byObject) this.indexObjects(inp.rows, from);
    this.rows = inp.rows;
    this.last = { viewRows, index: extendFilterIndex(prev.index, viewRows, changed), full: false };
    return this.last;
  }

  private full(inp: ViewInputs, key: string): BuiltView {
    inp.changedUsers.clear();
    // The search text of the rows kept (it depends on their own fields only): built once, not per rebuild.
    const searchText = this.last && extendsList(inp.rows, this.rows) ? this.last.index : null;
    const ctx: FilterContext = {
      now: inp.now,
      staleAfterDays: inp.staleAfterDays,
      expiringWithinDays: inp.expiringWithinDays,
      signInAvailable: inp.signInAvailable,
    };
    this.access = inp.access ?? null;
    const viewRows = this.withAccess(toViewRows(inp.rows as Row[], inp.users, ctx));
    this.key = key;
    this.rows = inp.rows;
    this.byObject = null;
    this.last = { viewRows, index: createFilterIndex(viewRows, ctx, searchText), full: true };
    return this.last;
  }

  private withAccess(viewRows: ViewRow[]): ViewRow[] {
    const access = this.access;
    // Once a check ran every row carries a value: rows it did not cover say so (core/access/per-row).
    if (access) for (const v of viewRows) v.access = accessNow(access.get(v.id), v.state);
    return viewRows;
  }

  private indexObjects(rows: readonly Row[], from: number): void {
    const map = (this.byObject ??= new Map());
    for (let i = from; i < rows.length; i++) {
      const id = rows[i].objectId;
      if (id === null) continue;
      const k = id.toLowerCase();
      const at = map.get(k);
      if (at) at.push(i);
      else map.set(k, [i]);
    }
  }

  /** Positions (below `limit`: rows already built) of rows whose user changed. */
  private changedPositions(users: ReadonlySet<string>, limit: number): number[] {
    if (users.size === 0 || limit === 0) return [];
    if (!this.byObject) this.indexObjects(this.rows, 0);
    const out: number[] = [];
    for (const id of users) for (const i of this.byObject!.get(id.toLowerCase()) ?? []) if (i < limit) out.push(i);
    return out;
  }
}
