// The overview's row store: every assignment of a scope (a catalog or the whole tenant, up to a million rows)
// held in the worker as columns. Strings that repeat (states, policies, people) are interned, an assignment
// row is a handful of numbers, and a person's strings and user record exist once however many packages they
// hold. Filters, search, facet counts, the packages table and the people list are computed here, where the
// rows are; the panel only ever receives the visible window and the counts.
import type { Row, StaleReason, UserInfo, ViewRow } from '../model';
import { DAY_MS, STALE_REASONS, staleEvaluator } from '../stale';
import { normaliseQuery } from '../filters';
import { isoOf, msOf, PackedIds, type PackedIdsDump } from './ids';
import { RecentAnswers } from '../recent';

export interface OverviewPackage {
  id: string;
  displayName: string;
  catalogId: string | null;
  catalogName: string;
}

/** Facets of the overview. `held`: how many packages of the scope the target holds (expired ones not counted). */
export type OverviewFacet = 'package' | 'catalog' | 'state' | 'kind' | 'account' | 'stale' | 'signInAge' | 'expiryMonth' | 'held';
export const OVERVIEW_FACETS: readonly OverviewFacet[] = ['package', 'catalog', 'state', 'kind', 'account', 'stale', 'signInAge', 'expiryMonth', 'held'];

export interface OverviewQuery {
  search: string;
  facets: Partial<Record<OverviewFacet, readonly string[]>>;
}

/** Whether `q` narrows the scope at all (a search the query would use, or a ticked value): the CSVs' -filtered- / -all-. */
export function isFiltered(q: OverviewQuery): boolean {
  return q.search.trim() !== '' || Object.values(q.facets).some((v) => (v?.length ?? 0) > 0);
}

export const KIND_CODES = ['member', 'guest', 'servicePrincipal', 'other'] as const;
export const ACCOUNT_CODES = ['enabled', 'disabled', 'deleted', 'not-in-directory', 'unknown'] as const;
/** Sign-in age in days since the activity date the stale rule uses. */
export const SIGN_IN_AGE_CODES = ['0-30', '30-90', '90-180', '180-365', '365+', 'never', 'unknown'] as const;
export const HELD_CODES = ['0', '1', '2-5', '6+'] as const;
export const STALE_CODES: readonly string[] = [...STALE_REASONS, 'not-stale'];

export interface PackageStats {
  packageId: string;
  assignments: number;
  delivered: number;
  stale: number;
  /** per stale reason, in STALE_REASONS order */
  staleBy: number[];
  deliveryFailed: number;
  expiringSoon: number;
  guests: number;
}

/** One assignment as the overview's table and CSV see it. */
export interface OverviewRow extends ViewRow {
  /** the row's place in the store (what a selection names) */
  index: number;
  selected: boolean;
  packageId: string;
  packageName: string;
  catalogName: string;
  /** packages of the scope this target holds */
  held: number;
}

/** One target across the scope. */
export interface PersonRow {
  key: string;
  objectId: string | null;
  displayName: string;
  principalName: string;
  email: string;
  subjectType: string;
  kind: string;
  account: string;
  /** assignments of the scope in the current result */
  assignments: number;
  held: number;
  staleReasons: StaleReason[];
  lastSignIn: string | null;
}

/** What the overview CSV writes of a target (see OverviewStore.csvTarget); `stale` is the reasons' bit set. */
export interface CsvTarget {
  displayName: string;
  principalName: string;
  email: string;
  objectId: string;
  subjectType: string;
  userType: string;
  accountEnabled: boolean | null;
  lastSuccessfulSignIn: string;
  stale: number;
  connectedOrgName: string;
  subjectId: string;
  held: number;
}

export interface QueryResult {
  /** matching rows, in display order */
  order: Int32Array;
  /** facet → value → rows matching every other facet and the search */
  counts: Record<OverviewFacet, Record<string, number>>;
  packages: PackageStats[];
}

export interface StoreOptions {
  now: number;
  staleAfterDays: number;
  signInAvailable: boolean;
  expiringWithinDays?: number;
}

const isFixedIso = (d: string): boolean => d.length === 20 && d.charCodeAt(10) === 84 /* T */ && d.charCodeAt(19) === 90; /* Z */

/** User records by target index, as columns; `get` builds the record again (exactly as it was set). */
class UserColumns {
  private known = new Uint8Array(1024);
  private enabled = new Int8Array(1024);
  private userType = new Uint16Array(1024);
  private external = new Uint16Array(1024);
  private dates = new Float64Array(4 * 1024);
  private readonly pool = new Pool();
  private readonly odd = new Map<number, UserInfo>();

  constructor() {
    this.pool.code('\u0000'); // code 0: null
  }

  set(t: number, u: UserInfo): void {
    if (this.known.length <= t) {
      const size = Math.max(t + 1, this.known.length * 2);
      this.known = grow(this.known, size);
      this.enabled = grow(this.enabled, size);
      this.userType = grow(this.userType, size);
      this.external = grow(this.external, size);
      this.dates = grow(this.dates, 4 * size);
    }
    const ds = [u.createdDateTime, u.lastSuccessfulSignIn, u.lastSignIn, u.lastNonInteractiveSignIn];
    // Dates come normalised (toIsoUtc: validated, fixed-width, whole seconds); anything else keeps the record
    // as it came.
    if (ds.some((d) => d !== null && !isFixedIso(d))) {
      this.odd.set(t, u);
      this.known[t] = 3;
      return;
    }
    this.odd.delete(t);
    this.known[t] = u.deleted ? 2 : 1;
    this.enabled[t] = u.accountEnabled === null ? -1 : u.accountEnabled ? 1 : 0;
    this.userType[t] = this.pool.code(u.userType ?? '\u0000');
    this.external[t] = this.pool.code(u.externalUserState ?? '\u0000');
    ds.forEach((d, k) => (this.dates[4 * t + k] = msOf(d)));
  }

  /**
   * The three facts the CSV writes of a known, not deleted user (user type, account enabled, last successful
   * sign-in), read from the columns without building a UserInfo; null when the CSV has no user for `t`.
   */
  csv(t: number): { userType: string; accountEnabled: boolean | null; lastSuccessfulSignIn: string | null } | null {
    const k = t < this.known.length ? this.known[t] : 0;
    if (k === 0 || k === 2) return null;
    if (k === 3) {
      const u = this.odd.get(t);
      return u && !u.deleted ? { userType: u.userType ?? '', accountEnabled: u.accountEnabled, lastSuccessfulSignIn: u.lastSuccessfulSignIn } : null;
    }
    const e = this.enabled[t];
    const c = this.userType[t];
    return { userType: c === 0 ? '' : this.pool.values[c], accountEnabled: e === -1 ? null : e === 1, lastSuccessfulSignIn: isoOf(this.dates[4 * t + 1]) };
  }

  /** The records of targets 0..T-1 as plain data. */
  dump(T: number): UserColumnsDump {
    const n = Math.min(T, this.known.length);
    return {
      known: this.known.slice(0, n),
      enabled: this.enabled.slice(0, n),
      userType: this.userType.slice(0, n),
      external: this.external.slice(0, n),
      dates: this.dates.slice(0, 4 * n),
      pool: this.pool.values.slice(),
      odd: [...this.odd].filter(([t]) => t < n),
    };
  }

  static load(d: UserColumnsDump): UserColumns {
    const u = new UserColumns();
    const size = Math.max(1024, d.known.length);
    u.known = grow(d.known.slice(), size);
    u.enabled = grow(d.enabled.slice(), size);
    u.userType = grow(d.userType.slice(), size);
    u.external = grow(d.external.slice(), size);
    u.dates = grow(d.dates.slice(), 4 * size);
    for (const v of d.pool) u.pool.code(v);
    for (const [t, info] of d.odd) u.odd.set(t, info);
    return u;
  }

  get(t: number, id: string | null): UserInfo | null {
    const k = t < this.known.length ? this.known[t] : 0;
    if (k === 0) return null;
    if (k === 3) return this.odd.get(t) ?? null;
    const text = (c: number): string | null => (c === 0 ? null : this.pool.values[c]);
    const e = this.enabled[t];
    return {
      id: id ?? '',
      deleted: k === 2,
      accountEnabled: e === -1 ? null : e === 1,
      userType: text(this.userType[t]),
      externalUserState: text(this.external[t]),
      createdDateTime: isoOf(this.dates[4 * t]),
      lastSuccessfulSignIn: isoOf(this.dates[4 * t + 1]),
      lastSignIn: isoOf(this.dates[4 * t + 2]),
      lastNonInteractiveSignIn: isoOf(this.dates[4 * t + 3]),
    };
  }
}

interface UserColumnsDump {
  known: Uint8Array;
  enabled: Int8Array;
  userType: Uint16Array;
  external: Uint16Array;
  dates: Float64Array;
  pool: string[];
  odd: Array<[number, UserInfo]>;
}

/**
 * How far the store's append-only parts reach: rows, targets, packages and each interned list (states,
 * statuses, policies, subject types, organisations). A snapshot covers [from, to).
 */
export interface StoreMark {
  rows: number;
  targets: number;
  packages: number;
  pools: number[];
}

export const STORE_START: StoreMark = { rows: 0, targets: 0, packages: 0, pools: [0, 0, 0, 0, 0] };
const sameMark = (a: StoreMark, b: StoreMark): boolean =>
  a.rows === b.rows && a.targets === b.targets && a.packages === b.packages && a.pools.length === b.pools.length && a.pools.every((v, k) => v === b.pools[k]);

/**
 * What the store read, as plain data a later worker restores exactly (structured-cloneable for IndexedDB):
 * the rows' columns, the people and their user records. Derived facts, options and the selection are not in
 * it: they are computed again, or belong to the panel that made them. A part (from a mark on) holds only
 * what was appended since: a load in progress writes its parts as it goes, and they join in order.
 */
export interface StoreSnapshot extends RowColumns {
  format: 1;
  from: StoreMark;
  to: StoreMark;
  packages: OverviewPackage[];
  ids: PackedIdsDump;
  states: string[];
  statuses: string[];
  policies: string[];
  tObjectId: (string | null)[];
  tSubjectId: (string | null)[];
  tName: string[];
  tUpn: string[];
  tEmail: string[];
  tType: number[];
  tOrg: number[];
  subjectTypes: string[];
  orgs: string[];
  /** the targets' user records: read after the listing, so only a whole store's snapshot has them */
  users: UserColumnsDump | null;
}

/** The query's columns, in display order (see OverviewStore.columns). */
interface Columns {
  order: Int32Array;
  cols: Uint16Array[];
  target: Int32Array;
  status: Uint16Array;
  expiry: Float64Array;
}

/** Each target's display positions, rowsOf[rowsAt[t]] … rowsOf[rowsAt[t + 1] - 1], for one display order. */
interface TargetRows {
  order: Int32Array;
  rowsOf: Int32Array;
  rowsAt: Int32Array;
}

/**
 * What a set of rows counts for: per facet value (stale by bit set), and per package for the packages table,
 * PKG_STRIDE numbers each: the rows by stale bit set (their sum is the package's rows), then delivered,
 * delivery failed, expiring soon and guests. One increment per row for the first part instead of one per
 * stale reason: the packages table was four fifths of a pass over every row.
 */
interface Tally {
  facets: Float64Array[];
  pkg: Int32Array;
}

const PACKAGE_FACET = OVERVIEW_FACETS.indexOf('package');
const PACKAGE_MARK = PACKAGE_FACET + 1;
const STATE_FACET = OVERVIEW_FACETS.indexOf('state');
const STALE_FACET = OVERVIEW_FACETS.indexOf('stale');
const KIND_FACET = OVERVIEW_FACETS.indexOf('kind');
const STALE_SETS = 32;
const PKG_DELIVERED = STALE_SETS;
const PKG_FAILED = STALE_SETS + 1;
const PKG_SOON = STALE_SETS + 2;
const PKG_GUESTS = STALE_SETS + 3;
const PKG_STRIDE = STALE_SETS + 4;
/**
 * Answers kept for a return to an earlier filter (a value unticked goes back one question, a few letters erased a
 * few), and the most rows their orders may hold together (4 bytes each: 8 MB). Kept answers live long enough to
 * reach the old generation: at 8 answers and 4,000,000 rows a major GC (0.35 s at a million rows) fell among the
 * keystrokes.
 */
const RECENT_ANSWERS = 4;
const RECENT_ROWS = 2_000_000;

interface FacetAnswer {
  key: string;
  version: number;
  opts: StoreOptions;
  order: Int32Array;
  /** per display position: 0 passes every facet, f + 1 fails facet f only, 255 fails more */
  fail: Uint8Array;
  tally: Tally;
  /** passing rows, in display order */
  out: Int32Array;
}

interface StateCodes {
  delivered: number;
  failedState: number;
  failedStatus: number;
  expired: number;
  now: number;
  soonLimit: number;
}

/**
 * Adds (d = 1) or takes off (d = -1) what the row at display position k with mark x counts for: every facet
 * when it passes them all, else the one facet it fails (a facet's counts are of rows matching every OTHER
 * facet); the packages table counts rows matching every facet but the package. Made once per query, so the
 * per-row call reads only its own fields.
 */
class Counter {
  // One field per facet's counts and column (OVERVIEW_FACETS order): the per-row work is nine plain
  // increments instead of a loop over arrays of arrays.
  private readonly n0: Float64Array;
  private readonly n1: Float64Array;
  private readonly n2: Float64Array;
  private readonly n3: Float64Array;
  private readonly n4: Float64Array;
  private readonly n5: Float64Array;
  private readonly n6: Float64Array;
  private readonly n7: Float64Array;
  private readonly n8: Float64Array;
  private readonly c0: Uint16Array;
  private readonly c1: Uint16Array;
  private readonly c2: Uint16Array;
  private readonly c3: Uint16Array;
  private readonly c4: Uint16Array;
  private readonly c5: Uint16Array;
  private readonly c6: Uint16Array;
  private readonly c7: Uint16Array;
  private readonly c8: Uint16Array;
  private readonly pkg: Int32Array;
  private readonly pkgCol: Uint16Array;
  private readonly stateCol: Uint16Array;
  private readonly staleCol: Uint16Array;
  private readonly kindCol: Uint16Array;

  constructor(
    private readonly tally: Tally,
    private readonly d: number,
    private readonly cols: Uint16Array[],
    private readonly status: Uint16Array,
    private readonly expiry: Float64Array,
    private readonly codes: StateCodes,
  ) {
    const f = tally.facets;
    // Written out for nine facets: a tenth would be counted nowhere, so say so at once.
    if (f.length !== 9 || cols.length !== 9) throw new Error(`overview-counter-facets:${f.length}`);
    [this.n0, this.n1, this.n2, this.n3, this.n4, this.n5, this.n6, this.n7, this.n8] = f;
    [this.c0, this.c1, this.c2, this.c3, this.c4, this.c5, this.c6, this.c7, this.c8] = cols;
    this.pkg = tally.pkg;
    this.pkgCol = cols[PACKAGE_FACET];
    this.stateCol = cols[STATE_FACET];
    this.staleCol = cols[STALE_FACET];
    this.kindCol = cols[KIND_FACET];
  }

  row(k: number, x: number): void {
    if (x === 255) return;
    const d = this.d;
    if (x === 0) {
      this.n0[this.c0[k]] += d;
      this.n1[this.c1[k]] += d;
      this.n2[this.c2[k]] += d;
      this.n3[this.c3[k]] += d;
      this.n4[this.c4[k]] += d;
      this.n5[this.c5[k]] += d;
      this.n6[this.c6[k]] += d;
      this.n7[this.c7[k]] += d;
      this.n8[this.c8[k]] += d;
    } else {
      this.tally.facets[x - 1][this.cols[x - 1][k]] += d;
      if (x !== PACKAGE_MARK) return;
    }
    const { pkg, codes } = this;
    const b = this.pkgCol[k] * PKG_STRIDE;
    pkg[b + this.staleCol[k]] += d;
    const st = this.stateCol[k];
    if (st === codes.delivered) pkg[b + PKG_DELIVERED] += d;
    if (st === codes.failedState || this.status[k] === codes.failedStatus) pkg[b + PKG_FAILED] += d;
    const e = this.expiry[k];
    if (st !== codes.expired && e >= codes.now && e <= codes.soonLimit) pkg[b + PKG_SOON] += d;
    if (this.kindCol[k] === 1) pkg[b + PKG_GUESTS] += d;
  }
}

/** A growing string ↔ code dictionary. */
class Pool {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();
  /** A pool holding `values` under the codes they had. */
  static of(values: readonly string[]): Pool {
    const p = new Pool();
    for (const v of values) p.code(v);
    return p;
  }
  code(s: string): number {
    let c = this.codes.get(s);
    if (c === undefined) {
      c = this.values.length;
      this.codes.set(s, c);
      this.values.push(s);
    }
    return c;
  }
}

/**
 * The rows' typed columns, one entry per assignment besides its id: the one list that growing, compacting,
 * snapshots, joining parts and restoring go through.
 */
const ROW_COLUMNS = {
  pkg: Int32Array,
  target: Int32Array,
  state: Uint16Array,
  status: Uint16Array,
  policy: Int32Array,
  start: Float64Array,
  expiry: Float64Array,
  expired: Float64Array,
} as const;
type RowColumnName = keyof typeof ROW_COLUMNS;
export type RowColumns = { [K in RowColumnName]: InstanceType<(typeof ROW_COLUMNS)[K]> };
type RowColumn = RowColumns[RowColumnName];
const ROW_COLUMN_NAMES = Object.keys(ROW_COLUMNS) as RowColumnName[];

function rowColumns(size: number): RowColumns {
  return mapRowColumns(null, (_, k) => new ROW_COLUMNS[k](size));
}

/** Each column through `f`, from `from`'s columns or none; `f` returns the same kind of array it is given. */
function mapRowColumns(from: RowColumns | null, f: (col: RowColumn, name: RowColumnName) => RowColumn): RowColumns {
  const out = {} as Record<RowColumnName, RowColumn>;
  for (const k of ROW_COLUMN_NAMES) out[k] = f(from ? from[k] : (null as never), k);
  return out as RowColumns;
}

function grow<T extends Int32Array | Float64Array | Uint8Array | Uint16Array | Int8Array>(a: T, need: number): T {
  if (a.length >= need) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  next.set(a);
  return next;
}

/** One target per person (object id), subject, or e-mail and name when Graph gave neither. */
function targetKey(objectId: string | null, subjectId: string | null, email: string, name: string): string {
  return objectId ? `o:${objectId.toLowerCase()}` : subjectId ? `s:${subjectId}` : `e:${email.toLowerCase()}|${name}`;
}

const HELD_BUCKET = (n: number): number => (n <= 0 ? 0 : n === 1 ? 1 : n <= 5 ? 2 : 3);

export class OverviewStore {
  readonly packages: OverviewPackage[] = [];
  private readonly packageIndex = new Map<string, number>();
  private readonly catalogs = new Pool();
  private packageCatalog: number[] = [];

  // ---- rows
  private n = 0;
  private ids = new PackedIds();
  private rows: RowColumns = rowColumns(1024);
  private states = new Pool();
  private statuses = new Pool();
  /** policy id + '\u0000' + name */
  private policies = new Pool();

  // ---- targets (one per person or subject)
  private readonly targetIndex = new Map<string, number>();
  private tObjectId: (string | null)[] = [];
  private tSubjectId: (string | null)[] = [];
  private tName: string[] = [];
  private tUpn: string[] = [];
  private tEmail: string[] = [];
  private tType: number[] = [];
  private tOrg: number[] = [];
  private subjectTypes = new Pool();
  private orgs = new Pool();
  /**
   * The targets' user records as columns (a million-row scope holds 300,000 of them: as objects they are as
   * many more things for the collector to trace). uKnown: 0 not read, 1 read, 2 deleted.
   */
  private userCols = new UserColumns();
  private hay: string[] | null = null;

  // ---- derived per target (recomputed by derive())
  private tKind = new Uint8Array(0);
  private tAccount = new Uint8Array(0);
  private tStale = new Uint8Array(0);
  private tAge = new Uint8Array(0);
  private tActivity: (string | null)[] = [];
  private tHeld = new Int32Array(0);
  private rowExpiry = new Int32Array(0);
  private readonly months = new Pool();
  private derivedFor = -1;
  private sel = new Uint8Array(0);
  private selCount = 0;
  private derivedOpts: StoreOptions | null = null;
  private sortedOrder: Int32Array | null = null;
  private packageIds: string[] = [];
  private cols: Columns | null = null;
  private colsFor = -1;
  private derivedStamp = 0;
  private lastSearch: { needle: string; targets: number; list: number[] } | null = null;
  /**
   * The last answers, the newest last, all of one version and options: a scrolled window asks the same question
   * again, and a person goes back to a filter they had (a value unticked, a letter erased).
   */
  private readonly recent = new RecentAnswers<QueryResult>(RECENT_ANSWERS, (r) => r.order.buffer.byteLength / 4, RECENT_ROWS);
  /** The answer to the last facets without a search: the base a keystroke narrows. */
  private lastFacets: FacetAnswer | null = null;
  private byTarget: TargetRows | null = null;
  private sortedFor = -1;
  /** Bumped by every change (rows, users, options): derived facts and answers are for one version. */
  private version = 0;
  /** Bumped when rows come or go: the display order depends on nothing else. */
  private rowsVersion = 0;
  private rowsDerivedFor = -1;
  private rowsDerivedNow = Number.NaN;

  constructor(private opts: StoreOptions) {}

  get size(): number {
    return this.n;
  }

  get targets(): number {
    return this.tName.length;
  }

  get options(): StoreOptions {
    return this.opts;
  }

  setOptions(opts: StoreOptions): void {
    this.opts = opts;
    this.version++;
  }

  setPackages(list: readonly OverviewPackage[]): void {
    for (const p of list) {
      if (this.packageIndex.has(p.id)) continue;
      this.packageIndex.set(p.id, this.packages.length);
      this.packages.push(p);
      this.packageCatalog.push(this.catalogs.code(p.catalogId ?? ''));
      this.packageIds.push(p.id);
    }
  }

  /** Appends one page of a package's rows. */
  add(packageId: string, rows: readonly Row[]): void {
    const p = this.packageIndex.get(packageId);
    if (p === undefined) throw new Error(`unknown package ${packageId}`);
    const need = this.n + rows.length;
    if (this.rows.pkg.length < need) this.rows = mapRowColumns(this.rows, (a) => grow(a, need));
    // A row counts once all of it is written: when the browser refuses memory part-way (a GUID block, a
    // person record), the rows before it stay whole and queryable.
    const c = this.rows;
    try {
      for (const r of rows) {
        const i = this.n;
        this.ids.set(i, r.id);
        c.pkg[i] = p;
        c.target[i] = this.targetOf(r);
        c.state[i] = this.states.code(r.state);
        c.status[i] = this.statuses.code(r.status);
        c.policy[i] = this.policies.code(`${r.policyId}\u0000${r.policyName}`);
        c.start[i] = msOf(r.start);
        c.expiry[i] = msOf(r.expiry);
        c.expired[i] = msOf(r.expired ?? null);
        this.n = i + 1;
      }
    } finally {
      this.version++;
      this.rowsVersion++;
    }
  }

  /** Drops every row of a package (a reload of that package replaces them). */
  removePackage(packageId: string): void {
    this.retainPackages(new Set(this.packageIds.filter((id) => id !== packageId)));
  }

  /** Keeps only the rows of these packages, in one pass (a resumed load reads the others again). */
  retainPackages(keep: ReadonlySet<string>): void {
    const kept = this.packageIds.map((id) => keep.has(id));
    const columns = ROW_COLUMN_NAMES.map((k) => this.rows[k]);
    let w = 0;
    for (let i = 0; i < this.n; i++) {
      if (!kept[this.rows.pkg[i]]) continue;
      if (w !== i) {
        this.ids.set(w, this.ids.get(i));
        for (const a of columns) a[w] = a[i];
      }
      w++;
    }
    this.n = w;
    this.version++;
    this.rowsVersion++;
  }

  /** Where the store's parts end now (see StoreMark). */
  mark(): StoreMark {
    const pools = [this.states, this.statuses, this.policies, this.subjectTypes, this.orgs].map((p) => p.values.length);
    return { rows: this.n, targets: this.tName.length, packages: this.packages.length, pools };
  }

  /**
   * What was read since `from` (everything by default), as plain data (see StoreSnapshot): copies, so the
   * store may go on growing. A part (from a mark, taken while the listing runs) leaves out the user records.
   */
  snapshot(since?: StoreMark): StoreSnapshot {
    const from = since ?? STORE_START;
    const to = this.mark();
    const [a, b] = [from.rows, to.rows];
    const [ta, tb] = [from.targets, to.targets];
    return {
      format: 1,
      from,
      to,
      packages: this.packages.slice(from.packages),
      ids: this.ids.dump(a, b),
      ...mapRowColumns(this.rows, (col) => col.slice(a, b)),
      states: this.states.values.slice(from.pools[0]),
      statuses: this.statuses.values.slice(from.pools[1]),
      policies: this.policies.values.slice(from.pools[2]),
      tObjectId: this.tObjectId.slice(ta, tb),
      tSubjectId: this.tSubjectId.slice(ta, tb),
      tName: this.tName.slice(ta, tb),
      tUpn: this.tUpn.slice(ta, tb),
      tEmail: this.tEmail.slice(ta, tb),
      tType: this.tType.slice(ta, tb),
      tOrg: this.tOrg.slice(ta, tb),
      subjectTypes: this.subjectTypes.values.slice(from.pools[3]),
      orgs: this.orgs.values.slice(from.pools[4]),
      users: since ? null : this.userCols.dump(tb),
    };
  }

  /** Parts taken in order (each from where the one before ended) as one snapshot; null when they do not join. */
  static join(parts: readonly StoreSnapshot[]): StoreSnapshot | null {
    if (parts.length === 0 || parts.some((p) => p.format !== 1) || !sameMark(parts[0].from, STORE_START)) return null;
    for (let k = 1; k < parts.length; k++) if (!sameMark(parts[k].from, parts[k - 1].to)) return null;
    if (parts.length === 1) return parts[0];
    const typed = <T extends Uint32Array | Int32Array | Uint16Array | Float64Array>(pick: (p: StoreSnapshot) => T): T => {
      const all = parts.map(pick);
      const out = new (all[0].constructor as new (n: number) => T)(all.reduce((x, v) => x + v.length, 0));
      let at = 0;
      for (const v of all) {
        out.set(v, at);
        at += v.length;
      }
      return out;
    };
    const list = <T>(pick: (p: StoreSnapshot) => T[]): T[] => parts.flatMap(pick);
    return {
      format: 1,
      from: STORE_START,
      to: parts[parts.length - 1].to,
      packages: list((p) => p.packages),
      ids: { words: typed((p) => p.ids.words), other: list((p) => p.ids.other) },
      ...mapRowColumns(parts[0], (_, k) => typed((p) => p[k])),
      states: list((p) => p.states),
      statuses: list((p) => p.statuses),
      policies: list((p) => p.policies),
      tObjectId: list((p) => p.tObjectId),
      tSubjectId: list((p) => p.tSubjectId),
      tName: list((p) => p.tName),
      tUpn: list((p) => p.tUpn),
      tEmail: list((p) => p.tEmail),
      tType: list((p) => p.tType),
      tOrg: list((p) => p.tOrg),
      subjectTypes: list((p) => p.subjectTypes),
      orgs: list((p) => p.orgs),
      // The first part's (a part from a later mark has none): a whole snapshot's, or none for a load's parts.
      users: parts[0].users,
    };
  }

  /** A store holding exactly what a whole snapshot held, under `opts`. Throws on a part or another format. */
  static restore(snap: StoreSnapshot, opts: StoreOptions): OverviewStore {
    // Caught by the caller: the scope is read from Graph instead.
    if (snap.format !== 1 || !sameMark(snap.from, STORE_START)) throw new RangeError(String(snap.format));
    const s = new OverviewStore(opts);
    s.setPackages(snap.packages);
    const n = snap.to.rows;
    const size = Math.max(1024, n);
    s.n = n;
    s.ids = PackedIds.load(snap.ids);
    s.rows = mapRowColumns(snap, (col) => grow(col.slice(), size));
    s.states = Pool.of(snap.states);
    s.statuses = Pool.of(snap.statuses);
    s.policies = Pool.of(snap.policies);
    s.tObjectId = snap.tObjectId.slice();
    s.tSubjectId = snap.tSubjectId.slice();
    s.tName = snap.tName.slice();
    s.tUpn = snap.tUpn.slice();
    s.tEmail = snap.tEmail.slice();
    s.tType = snap.tType.slice();
    s.tOrg = snap.tOrg.slice();
    s.subjectTypes = Pool.of(snap.subjectTypes);
    s.orgs = Pool.of(snap.orgs);
    for (let t = 0; t < s.tName.length; t++) s.targetIndex.set(targetKey(s.tObjectId[t], s.tSubjectId[t], s.tEmail[t], s.tName[t]), t);
    if (snap.users) s.userCols = UserColumns.load(snap.users);
    s.version++;
    s.rowsVersion++;
    return s;
  }

  /** Account and sign-in data of target users, as enrichment delivers it. */
  setUsers(users: readonly UserInfo[]): void {
    for (const u of users) {
      const t = this.targetIndex.get(`o:${u.id.toLowerCase()}`);
      if (t !== undefined) this.userCols.set(t, u);
    }
    this.version++;
  }

  /** Object ids of the user targets (enrichment's input). */
  userIds(): string[] {
    const out: string[] = [];
    for (let t = 0; t < this.tName.length; t++) {
      const id = this.tObjectId[t];
      if (id && this.subjectTypes.values[this.tType[t]].toLowerCase() !== 'serviceprincipal') out.push(id);
    }
    return out;
  }

  private targetOf(r: Row): number {
    const key = targetKey(r.objectId, r.subjectId, r.email, r.displayName);
    let t = this.targetIndex.get(key);
    if (t === undefined) {
      t = this.tName.length;
      this.targetIndex.set(key, t);
      this.tObjectId.push(r.objectId);
      this.tSubjectId.push(r.subjectId);
      this.tName.push(r.displayName);
      this.tUpn.push(r.principalName);
      this.tEmail.push(r.email);
      this.tType.push(this.subjectTypes.code(r.subjectType));
      this.tOrg.push(this.orgs.code(r.connectedOrgName));
      this.hay = null;
    }
    return t;
  }

  // ---------------------------------------------------------------- derived facts

  /** Per-target kind, account, stale reasons, sign-in age and packages held; per-row expiry month. */
  private derive(): void {
    if (this.derivedFor === this.version && this.derivedOpts === this.opts) return;
    const T = this.tName.length;
    const { now, staleAfterDays, signInAvailable } = this.opts;
    this.tKind = new Uint8Array(T);
    this.tAccount = new Uint8Array(T);
    this.tStale = new Uint8Array(T);
    this.tAge = new Uint8Array(T);
    this.tActivity = new Array<string | null>(T);
    // One threshold for every person: built per person (a Date and its text each) it was about 5 % of the
    // worker's work during a load of a million rows.
    const staleReasons = staleEvaluator({ now, staleAfterDays, signInAvailable });
    for (let t = 0; t < T; t++) {
      const subjectType = this.subjectTypes.values[this.tType[t]];
      const user = this.userCols.get(t, this.tObjectId[t]);
      const row = { objectId: this.tObjectId[t], subjectType } as Row;
      const { reasons, activity } = staleReasons(row, user);
      let bits = 0;
      for (const r of reasons) bits |= 1 << STALE_REASONS.indexOf(r);
      this.tStale[t] = bits;
      this.tActivity[t] = activity;
      const sp = subjectType.toLowerCase() === 'serviceprincipal';
      const live = user && !(user.deleted && sp) ? user : null;
      const userType = live && !live.deleted ? (live.userType ?? '').toLowerCase() : '';
      this.tKind[t] = sp ? 2 : userType === 'member' ? 0 : userType === 'guest' ? 1 : 3;
      this.tAccount[t] =
        this.tObjectId[t] === null ? 3 : !live ? 4 : live.deleted ? 2 : live.accountEnabled === true ? 0 : live.accountEnabled === false ? 1 : 4;
      if (!signInAvailable || !live || live.deleted) this.tAge[t] = 6;
      else if (activity === null) this.tAge[t] = 5;
      else {
        const days = (now - Date.parse(activity)) / DAY_MS;
        this.tAge[t] = days < 30 ? 0 : days < 90 ? 1 : days < 180 ? 2 : days < 365 ? 3 : 4;
      }
    }
    this.deriveRows();
    this.derivedFor = this.version;
    this.derivedOpts = this.opts;
    this.derivedStamp++;
  }

  /** Facts of the rows alone (packages held, expiry month): recomputed only when rows or `now` change. */
  private deriveRows(): void {
    const now = this.opts.now;
    const rows = this.rows;
    if (this.rowsDerivedFor === this.rowsVersion && this.rowsDerivedNow === now) return;
    const T = this.tName.length;
    // Packages held: distinct packages with a not-expired assignment (in package order, a package's rows are
    // contiguous, so "a new package for this target" is "not the last package seen for it").
    this.tHeld = new Int32Array(T);
    const lastPkg = new Int32Array(T).fill(-1);
    const expiredCode = this.expiredCode();
    const byPackage = this.baseOrder();
    for (let k = 0; k < byPackage.length; k++) {
      const i = byPackage[k];
      if (rows.state[i] === expiredCode) continue;
      const t = rows.target[i];
      const p = rows.pkg[i];
      if (lastPkg[t] !== p) {
        lastPkg[t] = p;
        this.tHeld[t]++;
      }
    }
    // Expiry month: 'none', 'expired', or the UTC month of the expiry ('2027-01').
    this.rowExpiry = new Int32Array(this.n);
    const none = this.months.code('none');
    const past = this.months.code('expired');
    for (let i = 0; i < this.n; i++) {
      const e = rows.expiry[i];
      if (rows.state[i] === expiredCode) this.rowExpiry[i] = past;
      else if (Number.isNaN(e)) this.rowExpiry[i] = none;
      else if (e < now) this.rowExpiry[i] = past;
      else this.rowExpiry[i] = this.months.code(isoOf(e)!.slice(0, 7));
    }
    this.rowsDerivedFor = this.rowsVersion;
    this.rowsDerivedNow = now;
  }

  private expiredCode(): number {
    return this.states.values.findIndex((s) => s.toLowerCase() === 'expired');
  }

  /** Rows by package name, then display name: the order a person scans a tenant in. */
  private baseOrder(): Int32Array {
    if (this.sortedOrder && this.sortedFor === this.rowsVersion) return this.sortedOrder;
    const pkgRank = rankOf(this.packages.map((p) => p.displayName.toLowerCase()));
    const nameRank = rankOf(this.tName.map((s) => s.toLowerCase()));
    const n = this.n;
    const order = new Int32Array(n);
    const pk = this.rows.pkg;
    const tg = this.rows.target;
    const bits = (x: number): number => Math.max(1, Math.ceil(Math.log2(x + 1)));
    const iBits = bits(n);
    const nBits = bits(this.tName.length);
    if (bits(this.packages.length) + nBits + iBits <= 53) {
      // One number per row (package rank, name rank, row) sorted natively: a comparator sort of a million
      // rows takes seconds, this a fraction of one.
      const keys = new Float64Array(n);
      const nScale = 2 ** iBits;
      const pScale = 2 ** (iBits + nBits);
      for (let i = 0; i < n; i++) keys[i] = pkgRank[pk[i]] * pScale + nameRank[tg[i]] * nScale + i;
      keys.sort();
      for (let k = 0; k < n; k++) order[k] = keys[k] % nScale;
    } else {
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => pkgRank[pk[a]] - pkgRank[pk[b]] || nameRank[tg[a]] - nameRank[tg[b]] || a - b);
    }
    this.sortedOrder = order;
    this.sortedFor = this.rowsVersion;
    return order;
  }

  private haystack(): string[] {
    if (this.hay && this.hay.length === this.tName.length) return this.hay;
    const SEP = '\u0000';
    this.hay = this.tName.map((name, t) => [name, this.tUpn[t], this.tEmail[t], this.tObjectId[t] ?? ''].join(SEP).toLowerCase());
    return this.hay;
  }

  /** The value names of a facet's codes. */
  private values(facet: OverviewFacet): readonly string[] {
    switch (facet) {
      case 'package':
        return this.packageIds;
      case 'catalog':
        return this.catalogs.values;
      case 'state':
        return this.states.values;
      case 'kind':
        return KIND_CODES;
      case 'account':
        return ACCOUNT_CODES;
      case 'stale':
        return STALE_CODES;
      case 'signInAge':
        return SIGN_IN_AGE_CODES;
      case 'expiryMonth':
        return this.months.values;
      case 'held':
        return HELD_CODES;
    }
  }

  /**
   * One code column per facet (Uint16Array each, so the query's inner loop stays monomorphic), laid out in
   * display order: the query walks memory in sequence and maps a match back to its row through `order`.
   * Per-person facts are copied to their rows. Stale is a bit set per row (several reasons at once).
   */
  private columns(): Columns {
    this.derive();
    const order = this.baseOrder();
    if (this.cols && this.colsFor === this.derivedStamp && this.cols.order === order) return this.cols;
    const n = this.n;
    const rows = this.rows;
    const F = OVERVIEW_FACETS.length;
    const cols = Array.from({ length: F }, () => new Uint16Array(n));
    const [pkg, catalog, state, kind, account, stale, age, expiryMonth, held] = cols;
    const target = new Int32Array(n);
    const status = new Uint16Array(n);
    const expiry = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const t = rows.target[i];
      pkg[k] = rows.pkg[i];
      catalog[k] = this.packageCatalog[rows.pkg[i]];
      state[k] = rows.state[i];
      kind[k] = this.tKind[t];
      account[k] = this.tAccount[t];
      stale[k] = this.tStale[t];
      age[k] = this.tAge[t];
      expiryMonth[k] = this.rowExpiry[i];
      held[k] = HELD_BUCKET(this.tHeld[t]);
      target[k] = t;
      status[k] = rows.status[i];
      expiry[k] = rows.expiry[i];
    }
    this.cols = { order, cols, target, status, expiry };
    this.colsFor = this.derivedStamp;
    return this.cols;
  }

  /** Targets whose name, UPN, email or object id contains `needle`; narrowed from the last search when it extends it. */
  private searchTargets(needle: string): { match: Uint8Array; list: number[] } {
    const hay = this.haystack();
    const last = this.lastSearch;
    const out = new Uint8Array(hay.length);
    const list: number[] = [];
    if (last && last.targets === hay.length && needle.startsWith(last.needle)) {
      for (const t of last.list) if (hay[t].includes(needle)) {
        out[t] = 1;
        list.push(t);
      }
    } else {
      for (let t = 0; t < hay.length; t++) if (hay[t].includes(needle)) {
        out[t] = 1;
        list.push(t);
      }
    }
    this.lastSearch = { needle, targets: hay.length, list };
    return { match: out, list };
  }

  // ---------------------------------------------------------------- query

  query(q: OverviewQuery): QueryResult {
    return this.recent.get([this.version, this.opts], JSON.stringify(q), () => {
      const result = this.answer(q);
      // A narrow facet's order is a view of a buffer of every row: kept, it holds its own copy.
      return result.order.buffer.byteLength > 2 * result.order.byteLength ? { ...result, order: result.order.slice() } : result;
    });
  }

  /**
   * A search is applied to the answer of its facets alone (kept while the facets stay, as they do while a
   * person types): only the rows of the people the search keeps are counted (a narrow search), or only those
   * of the people it drops are taken off (a broad one). Either way a keystroke touches the fewer of the two
   * instead of every row, and sees the same counts a pass over every row would give.
   */
  private answer(q: OverviewQuery): QueryResult {
    const base = this.facetsOnly(q.facets);
    const needle = normaliseQuery(q.search.trim());
    if (!needle) return this.result(base.tally, base.out);
    const { match, list } = this.searchTargets(needle);
    const { rowsOf, rowsAt } = this.targetRows();
    let kept = 0;
    for (const t of list) kept += rowsAt[t + 1] - rowsAt[t];
    const n = this.n;
    const { fail, order } = base;
    const add = kept <= n - kept;
    const tally = add ? this.emptyTally() : this.copyTally(base.tally);
    const count = this.counter(tally, add ? 1 : -1);
    // Few rows to count: reached through each person's rows. Many: one pass in display order, which reads
    // memory in sequence (reaching a third of a million rows person by person took nearly three times as long).
    const sparse = (add ? kept : n - kept) <= n / 16;
    if (sparse && add) {
      for (const t of list) for (let j = rowsAt[t]; j < rowsAt[t + 1]; j++) count.row(rowsOf[j], fail[rowsOf[j]]);
    } else if (sparse) {
      for (let t = 0; t < match.length; t++) {
        if (match[t] === 1) continue;
        for (let j = rowsAt[t]; j < rowsAt[t + 1]; j++) count.row(rowsOf[j], fail[rowsOf[j]]);
      }
    }
    const target = this.columns().target;
    const out = new Int32Array(Math.min(kept, base.out.length));
    let m = 0;
    for (let k = 0; k < n; k++) {
      const x = fail[k];
      if (x === 255) continue;
      const hit = match[target[k]] === 1;
      if (hit && x === 0) out[m++] = order[k];
      if (!sparse && hit === add) count.row(k, x);
    }
    return this.result(tally, out.subarray(0, m));
  }

  /** Each target's rows as positions in display order (ascending), for a search that keeps or drops few people. */
  private targetRows(): TargetRows {
    const { order, target } = this.columns();
    if (this.byTarget?.order === order) return this.byTarget;
    const T = this.tName.length;
    const rowsAt = new Int32Array(T + 1);
    for (let k = 0; k < target.length; k++) rowsAt[target[k] + 1]++;
    for (let t = 0; t < T; t++) rowsAt[t + 1] += rowsAt[t];
    const next = rowsAt.slice(0, T);
    const rowsOf = new Int32Array(target.length);
    for (let k = 0; k < target.length; k++) rowsOf[next[target[k]]++] = k;
    this.byTarget = { order, rowsOf, rowsAt };
    return this.byTarget;
  }

  /**
   * Builds what a search reads (every person's searchable text, each person's rows) ahead of the first
   * keystroke: the worker calls it once the listing is complete, so typing never waits for it.
   */
  prepareSearch(): void {
    this.haystack();
    this.targetRows();
  }

  /**
   * The answer to the facets alone, with each row's mark (fail[k]: 0 passes every facet, f + 1 fails facet
   * f only, 255 fails more), kept for the next query with the same facets.
   */
  private facetsOnly(facets: OverviewQuery['facets']): FacetAnswer {
    const key = JSON.stringify(facets);
    const c = this.columns();
    const kept = this.lastFacets;
    if (kept && kept.key === key && kept.version === this.version && kept.opts === this.opts && kept.order === c.order) return kept;
    const { order, cols } = c;
    const stale = cols[STALE_FACET];
    const n = this.n;
    const fail = new Uint8Array(n);
    // Active facets as code masks, column by column (tight loops over typed arrays). Stale is a bit mask: a
    // row passes when it has one of the chosen reasons (or none, for 'not-stale').
    OVERVIEW_FACETS.forEach((facet, index) => {
      const chosen = facets[facet];
      if (!chosen || chosen.length === 0) return;
      const values = this.values(facet);
      const mark = index + 1;
      if (index === STALE_FACET) {
        let staleBits = 0;
        let notStale = false;
        for (const v of chosen) {
          const c = values.indexOf(v);
          if (v === 'not-stale') notStale = true;
          else if (c >= 0) staleBits |= 1 << c;
        }
        for (let k = 0; k < n; k++) {
          const bits = stale[k];
          if ((bits & staleBits) !== 0 || (notStale && bits === 0)) continue;
          fail[k] = fail[k] === 0 ? mark : 255;
        }
        return;
      }
      const mask = new Uint8Array(Math.max(1, values.length));
      for (const v of chosen) {
        const c = values.indexOf(v);
        if (c >= 0) mask[c] = 1;
      }
      const col = cols[index];
      for (let k = 0; k < n; k++) if (mask[col[k]] === 0) fail[k] = fail[k] === 0 ? mark : 255;
    });
    // One pass for the counts, the result and the packages table: nine passes over every row cost twice as much.
    const tally = this.emptyTally();
    const count = this.counter(tally, 1);
    const out = new Int32Array(n);
    let m = 0;
    for (let k = 0; k < n; k++) {
      const x = fail[k];
      if (x === 255) continue;
      if (x === 0) out[m++] = order[k];
      count.row(k, x);
    }
    this.lastFacets = { key, version: this.version, opts: this.opts, order, fail, tally, out: out.subarray(0, m) };
    return this.lastFacets;
  }

  private emptyTally(): Tally {
    return {
      facets: OVERVIEW_FACETS.map((f) => new Float64Array(f === 'stale' ? STALE_SETS : Math.max(1, this.values(f).length))),
      pkg: new Int32Array(this.packages.length * PKG_STRIDE),
    };
  }

  private copyTally(t: Tally): Tally {
    return { facets: t.facets.map((a) => a.slice()), pkg: t.pkg.slice() };
  }

  /** Counts rows into `tally` (d = 1) or takes them off it (d = -1). */
  private counter(tally: Tally, d: 1 | -1): Counter {
    const c = this.columns();
    return new Counter(tally, d, c.cols, c.status, c.expiry, this.codes());
  }

  /** The state and status codes the packages table counts by (a few dozen values; read once per query). */
  private codes(): StateCodes {
    const now = this.opts.now;
    return {
      delivered: this.states.values.findIndex((s) => s.toLowerCase() === 'delivered'),
      failedState: this.states.values.findIndex((s) => s.toLowerCase() === 'deliveryfailed'),
      failedStatus: this.statuses.values.findIndex((s) => s.toLowerCase() === 'deliveryfailed'),
      expired: this.expiredCode(),
      now,
      soonLimit: now + (this.opts.expiringWithinDays ?? 30) * DAY_MS,
    };
  }

  /** The counts by value name and the packages table, from a tally. */
  private result(tally: Tally, order: Int32Array): QueryResult {
    const countArrays = tally.facets;
    const counts = {} as Record<OverviewFacet, Record<string, number>>;
    OVERVIEW_FACETS.forEach((f, fi) => {
      const rec: Record<string, number> = {};
      if (fi === STALE_FACET) {
        const by = new Array<number>(STALE_CODES.length).fill(0);
        countArrays[fi].forEach((n, bits) => {
          if (n === 0) return;
          if (bits === 0) by[STALE_CODES.length - 1] += n;
          else for (let r = 0; r < STALE_REASONS.length; r++) if (bits & (1 << r)) by[r] += n;
        });
        STALE_CODES.forEach((v, c) => {
          if (by[c] > 0) rec[v] = by[c];
        });
      } else {
        this.values(f).forEach((v, c) => {
          if (countArrays[fi][c] > 0) rec[v] = countArrays[fi][c];
        });
      }
      counts[f] = rec;
    });
    const packages: PackageStats[] = this.packages.map((p, pi) => {
      const b = pi * PKG_STRIDE;
      let assignments = 0;
      const staleBy = STALE_REASONS.map(() => 0);
      for (let bits = 0; bits < STALE_SETS; bits++) {
        const c = tally.pkg[b + bits];
        assignments += c;
        if (c !== 0) for (let r = 0; r < STALE_REASONS.length; r++) if (bits & (1 << r)) staleBy[r] += c;
      }
      return {
        packageId: p.id,
        assignments,
        delivered: tally.pkg[b + PKG_DELIVERED],
        stale: assignments - tally.pkg[b],
        staleBy,
        deliveryFailed: tally.pkg[b + PKG_FAILED],
        expiringSoon: tally.pkg[b + PKG_SOON],
        guests: tally.pkg[b + PKG_GUESTS],
      };
    });
    return { order, counts, packages };
  }

  // ---------------------------------------------------------------- rows out

  /** Row i as the table and the CSV see it. */
  row(i: number): OverviewRow {
    this.derive();
    const t = this.rows.target[i];
    const [policyId, policyName] = this.policies.values[this.rows.policy[i]].split('\u0000');
    const subjectType = this.subjectTypes.values[this.tType[t]];
    const user = this.userCols.get(t, this.tObjectId[t]);
    const sp = subjectType.toLowerCase() === 'serviceprincipal';
    const applicable = this.tObjectId[t] === null || (user?.deleted && sp) ? null : user;
    const bits = this.tStale[t];
    const p = this.packages[this.rows.pkg[i]];
    return {
      id: this.ids.get(i),
      state: this.states.values[this.rows.state[i]],
      status: this.statuses.values[this.rows.status[i]],
      policyId,
      policyName,
      start: isoOf(this.rows.start[i]),
      expiry: isoOf(this.rows.expiry[i]),
      subjectId: this.tSubjectId[t],
      objectId: this.tObjectId[t],
      displayName: this.tName[t],
      principalName: this.tUpn[t],
      email: this.tEmail[t],
      subjectType,
      connectedOrgId: null,
      connectedOrgName: this.orgs.values[this.tOrg[t]],
      expired: isoOf(this.rows.expired[i]),
      callouts: [],
      user: applicable,
      staleReasons: STALE_REASONS.filter((_, r) => bits & (1 << r)),
      activity: this.tActivity[t] ?? null,
      index: i,
      selected: this.sel[i] === 1,
      packageId: p.id,
      packageName: p.displayName,
      catalogName: p.catalogName,
      held: this.tHeld[t],
    };
  }

  // ---------------------------------------------------------------- selection

  /** Selects (or clears) rows by their index. */
  select(rows: ArrayLike<number>, on: boolean): void {
    if (this.sel.length < this.n) this.sel = grow(this.sel, this.n);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      if (i < 0 || i >= this.n || (this.sel[i] === 1) === on) continue;
      this.sel[i] = on ? 1 : 0;
      this.selCount += on ? 1 : -1;
    }
  }

  clearSelection(): void {
    this.sel.fill(0);
    this.selCount = 0;
  }

  get selectedCount(): number {
    return this.selCount;
  }

  /** The selected rows, grouped by package: package id → assignment ids and labels (display name or UPN). */
  selectedByPackage(): Map<string, { ids: string[]; labels: string[] }> {
    const out = new Map<string, { ids: string[]; labels: string[] }>();
    for (let i = 0; i < this.n; i++) {
      if (this.sel[i] !== 1) continue;
      const p = this.packages[this.rows.pkg[i]].id;
      let group = out.get(p);
      if (!group) out.set(p, (group = { ids: [], labels: [] }));
      const t = this.rows.target[i];
      group.ids.push(this.ids.get(i));
      group.labels.push(this.tName[t] || this.tUpn[t] || this.tEmail[t]);
    }
    return out;
  }

  /** The fields of row i that are the row's own (not its person's or package's), for the CSV writer. */
  rowFields(i: number): { id: string; state: string; status: string; policyName: string; start: string | null; expiry: string | null; expired: string | null; target: number; pkg: number } {
    const policy = this.policies.values[this.rows.policy[i]];
    return {
      id: this.ids.get(i),
      state: this.states.values[this.rows.state[i]],
      status: this.statuses.values[this.rows.status[i]],
      policyName: policy.slice(policy.indexOf('\u0000') + 1),
      start: isoOf(this.rows.start[i]),
      expiry: isoOf(this.rows.expiry[i]),
      expired: isoOf(this.rows.expired[i]),
      target: this.rows.target[i],
      pkg: this.rows.pkg[i],
    };
  }

  /**
   * A target's cells of the CSV record as csvRecord(row(i)) gives them for any of its rows, read from the
   * store's own strings: the overview CSV writes them per row instead of keeping a copy per person.
   */
  csvTarget(t: number): CsvTarget {
    this.derive();
    const subjectType = this.subjectTypes.values[this.tType[t]];
    const objectId = this.tObjectId[t];
    // row(i).user with csvRecord's rule on top: no object id or a deleted user writes no user cells.
    const applicable = objectId === null ? null : this.userCols.csv(t);
    return {
      displayName: this.tName[t],
      principalName: this.tUpn[t],
      email: this.tEmail[t],
      objectId: objectId ?? '',
      subjectType,
      userType: applicable?.userType ?? '',
      accountEnabled: applicable?.accountEnabled ?? null,
      lastSuccessfulSignIn: applicable?.lastSuccessfulSignIn ?? '',
      stale: this.tStale[t],
      connectedOrgName: this.orgs.values[this.tOrg[t]],
      subjectId: this.tSubjectId[t] ?? '',
      held: this.tHeld[t],
    };
  }

  /** The targets of a result, one entry each, in the result's order of first appearance. */
  people(order: Int32Array): PersonRow[] {
    this.derive();
    const seen = new Int32Array(this.tName.length).fill(-1);
    const out: PersonRow[] = [];
    for (let k = 0; k < order.length; k++) {
      const t = this.rows.target[order[k]];
      if (seen[t] >= 0) {
        out[seen[t]].assignments++;
        continue;
      }
      seen[t] = out.length;
      const bits = this.tStale[t];
      out.push({
        key: this.tObjectId[t] ?? this.tSubjectId[t] ?? this.tEmail[t],
        objectId: this.tObjectId[t],
        displayName: this.tName[t],
        principalName: this.tUpn[t],
        email: this.tEmail[t],
        subjectType: this.subjectTypes.values[this.tType[t]],
        kind: KIND_CODES[this.tKind[t]],
        account: ACCOUNT_CODES[this.tAccount[t]],
        assignments: 1,
        held: this.tHeld[t],
        staleReasons: STALE_REASONS.filter((_, r) => bits & (1 << r)),
        lastSignIn: this.tActivity[t] ?? null,
      });
    }
    return out.sort((a, b) => b.held - a.held || a.displayName.localeCompare(b.displayName));
  }

  /** Typed-array and string bytes held, for the benchmark's bytes per row. */
  approximateBytes(): number {
    const rowBytes = this.ids.bytes + ROW_COLUMN_NAMES.reduce((n, k) => n + this.rows[k].byteLength, 0) + this.rowExpiry.byteLength;
    let strings = 0;
    for (let t = 0; t < this.tName.length; t++) {
      strings += 2 * ((this.tObjectId[t]?.length ?? 0) + (this.tSubjectId[t]?.length ?? 0) + this.tName[t].length + this.tUpn[t].length + this.tEmail[t].length) + 5 * 16;
    }
    return rowBytes + strings;
  }
}

/** rank[i] = position of values[i] in sorted order (equal values share a rank). */
function rankOf(values: readonly string[]): Int32Array {
  const idx = values.map((_, i) => i).sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
  const rank = new Int32Array(values.length);
  let r = 0;
  idx.forEach((i, k) => {
    if (k > 0 && values[i] !== values[idx[k - 1]]) r++;
    rank[i] = r;
  });
  return rank;
}
