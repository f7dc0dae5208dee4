// The overview's messages (contract: Across packages): panel → worker inside PanelRequest {type:'overview'},
// worker → panel inside WorkerEvent {type:'overview'}. The rows stay in the worker: the panel asks for a
// window of the current result and receives that window and the counts.
import type { AccessResource } from '../core/access/resources';
import type { OverviewPackage, OverviewQuery, OverviewRow, PackageStats, PersonRow } from '../core/overview/store';

export type OverviewTab = 'packages' | 'assignments' | 'people' | 'resources';

export type OverviewRequest =
  /** Load a scope (`tenant` or `catalog:<id>`); `refresh` drops what the worker holds and fetches again. */
  | { kind: 'open'; scope: string; refresh?: boolean; staleAfterDays: number }
  /** The result of `query`, the rows `offset`… of `tab` (at most `limit`); `seq` comes back in the answer. */
  | { kind: 'query'; seq: number; query: OverviewQuery; tab: OverviewTab; offset: number; limit: number; staleAfterDays: number }
  /** The CSV of the current result (`filtered`) or of every row (`all`), streamed in chunks. */
  | { kind: 'export'; exportId: string; query: OverviewQuery; all: boolean; staleAfterDays: number }
  /** Select every row of `query` (`all`), clear the selection (`none`), or set given rows (`rows`, by index). */
  | { kind: 'select'; op: 'all' | 'none' | 'rows'; query: OverviewQuery; rows: number[]; on: boolean }
  /**
   * Remove the selected assignments: one batch per package (`<batchId>:<n>`) through the worker's action queue
   * (confirmation, a result per row, the log, never twice). `filter`: the selection's filter, in words.
   */
  | { kind: 'remove'; batchId: string; filter: string }
  | { kind: 'close' };

/** Why a package's assignments are not in the overview. */
export interface UnreadablePackage {
  packageId: string;
  reason: string;
}

export interface OverviewProgress {
  packagesDone: number;
  packagesTotal: number;
  rows: number;
  pages: number;
  /** epoch ms when the load began */
  startedAt: number;
  /** packages read before the worker stopped, taken from disk by this (resumed) load */
  resumed?: number;
}

export type OverviewEvent =
  /** The scope's packages, once listed (sent once per open, not with every state). */
  | {
      kind: 'scope';
      scope: string;
      scopeName: string;
      packages: OverviewPackage[];
      /** package id → the resources it grants (null: Graph would not list them with the packages) */
      resources: Record<string, AccessResource[]> | null;
    }
  | {
      kind: 'state';
      scope: string;
      loading: boolean;
      enriching: boolean;
      unreadable: UnreadablePackage[];
      /** What the listings and the users' reads noticed and worked around (core/notes.ts). */
      notes: string[];
      progress: OverviewProgress;
      /** every assignment loaded so far, every state */
      total: number;
      /** when the data shown was fetched (ISO) */
      fetchedAt: string | null;
      error: string | null;
      signInNote: string | null;
    }
  /** An answer to a query, as the worker computes it; it crosses the port packed (view-packed below). */
  | {
      kind: 'view';
      seq: number;
      tab: OverviewTab;
      /** rows in the result (assignments; people on the people tab) */
      shown: number;
      offset: number;
      rows: OverviewRow[];
      people: PersonRow[];
      counts: Record<string, Record<string, number>>;
      packages: PackageStats[];
      /** rows selected (across every filter) */
      selected: number;
    }
  /** A `view` as it crosses the port (packView, unpackView below). */
  | PackedView
  | { kind: 'csv'; exportId: string; chunk: string; rows: number; of: number; done: boolean; fileName: string }
  | { kind: 'csv-failed'; exportId: string; reason: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isQuery(v: unknown): v is OverviewQuery {
  if (!isObj(v) || !isStr(v.search) || !isObj(v.facets)) return false;
  return Object.values(v.facets).every((vals) => Array.isArray(vals) && vals.every(isStr));
}

const isScope = (s: unknown): s is string => isStr(s) && (s === 'tenant' || /^catalog:[0-9a-f-]{36}$/.test(s));
const isTab = (t: unknown): t is OverviewTab => t === 'packages' || t === 'assignments' || t === 'people' || t === 'resources';

export function parseOverviewRequest(v: unknown): OverviewRequest | null {
  if (!isObj(v)) return null;
  switch (v.kind) {
    case 'open':
      return isScope(v.scope) && isNum(v.staleAfterDays) ? { kind: 'open', scope: v.scope, refresh: v.refresh === true, staleAfterDays: v.staleAfterDays } : null;
    case 'query':
      return isNum(v.seq) && isQuery(v.query) && isTab(v.tab) && isNum(v.offset) && isNum(v.limit) && isNum(v.staleAfterDays)
        ? { kind: 'query', seq: v.seq, query: v.query, tab: v.tab, offset: Math.max(0, Math.floor(v.offset)), limit: Math.min(500, Math.max(0, Math.floor(v.limit))), staleAfterDays: v.staleAfterDays }
        : null;
    case 'export':
      return isStr(v.exportId) && isQuery(v.query) && isNum(v.staleAfterDays)
        ? { kind: 'export', exportId: v.exportId, query: v.query, all: v.all === true, staleAfterDays: v.staleAfterDays }
        : null;
    case 'select':
      return (v.op === 'all' || v.op === 'none' || v.op === 'rows') && isQuery(v.query) && Array.isArray(v.rows) && v.rows.length <= 10_000 && v.rows.every(isNum)
        ? { kind: 'select', op: v.op, query: v.query, rows: v.rows, on: v.on !== false }
        : null;
    case 'remove':
      return isStr(v.batchId) && v.batchId.length <= 100 && isStr(v.filter) ? { kind: 'remove', batchId: v.batchId, filter: v.filter.slice(0, 2000) } : null;
    case 'close':
      return { kind: 'close' };
    default:
      return null;
  }
}

export function isOverviewEvent(v: unknown): v is OverviewEvent {
  if (!isObj(v)) return false;
  switch (v.kind) {
    case 'scope':
      return isStr(v.scope) && isStr(v.scopeName) && Array.isArray(v.packages) && (v.resources === null || isObj(v.resources));
    case 'state':
      return isStr(v.scope) && typeof v.loading === 'boolean' && Array.isArray(v.unreadable) && Array.isArray(v.notes) && v.notes.every(isStr) && isNum(v.total) && isObj(v.progress);
    case 'view':
      return isNum(v.seq) && isTab(v.tab) && isNum(v.shown) && isNum(v.offset) && Array.isArray(v.rows) && Array.isArray(v.people) && isObj(v.counts) && Array.isArray(v.packages) && isNum(v.selected);
    case 'view-packed':
      return isStr(v.json);
    case 'csv':
      return isStr(v.exportId) && isStr(v.chunk) && isNum(v.rows) && isNum(v.of) && typeof v.done === 'boolean' && isStr(v.fileName);
    case 'csv-failed':
      return isStr(v.exportId) && isStr(v.reason);
    default:
      return false;
  }
}

// ---------------------------------------------------------------- the view on the wire
//
// Every answer carries the packages table (one PackageStats per package of the scope) and the package facet's
// counts: 2,000 packages made an answer about 410 KB, two thirds of it the packages' ids, which an extension port
// copies property by property on both sides. On the wire a package is its place in the list of the last `scope`
// event (sent before any answer that counts its packages, on the same ordered port), its stats an array of numbers,
// and the whole view one JSON string: about 70 KB. A package the list does not hold travels by its id.

export type ViewEvent = Extract<OverviewEvent, { kind: 'view' }>;

export interface PackedView {
  kind: 'view-packed';
  /** JSON of WireView */
  json: string;
}

/** A package: its index in the scope's list, or its id when the list does not hold it. */
type PackageRef = number | string;

interface WireView extends Omit<ViewEvent, 'kind' | 'packages' | 'counts'> {
  /** the length of the scope list the indexes point into */
  scopeSize: number;
  /** counts of every facet but `package` */
  counts: Record<string, Record<string, number>>;
  /** the package facet's counts: [package, count] */
  packageCounts: Array<[PackageRef, number]>;
  /** per package: [package, assignments, delivered, stale, deliveryFailed, expiringSoon, guests, ...staleBy] */
  stats: Array<[PackageRef, ...number[]]>;
}

const STATS_FIXED = 7;

/** `index`: package id → its place in the scope list last posted (of `scopeSize` packages). */
export function packView(view: ViewEvent, index: ReadonlyMap<string, number>, scopeSize: number): PackedView {
  const ref = (id: string): PackageRef => index.get(id) ?? id;
  const { package: byPackage, ...counts } = view.counts;
  const wire: WireView = {
    seq: view.seq,
    tab: view.tab,
    shown: view.shown,
    offset: view.offset,
    rows: view.rows,
    people: view.people,
    selected: view.selected,
    scopeSize,
    counts,
    packageCounts: Object.entries(byPackage ?? {}).map(([id, n]) => [ref(id), n]),
    stats: view.packages.map((p) => [ref(p.packageId), p.assignments, p.delivered, p.stale, p.deliveryFailed, p.expiringSoon, p.guests, ...p.staleBy]),
  };
  return { kind: 'view-packed', json: JSON.stringify(wire) };
}

/**
 * The view a packed one carries, its packages named from `scope` (the last scope event's list), or null when the
 * text is not a view or a package cannot be named: the list is not the one the worker counted against.
 */
export function unpackView(packed: PackedView, scope: readonly { id: string }[]): ViewEvent | null {
  let w: Partial<WireView>;
  try {
    w = JSON.parse(packed.json) as Partial<WireView>;
  } catch {
    return null;
  }
  if (!isObj(w) || !Array.isArray(w.stats) || !Array.isArray(w.packageCounts) || !isObj(w.counts)) return null;
  // An index names a package only in the list it was counted against.
  const sized = w.scopeSize === scope.length;
  const idOf = (r: unknown): string | null => {
    if (isStr(r)) return r;
    return sized && typeof r === 'number' && Number.isInteger(r) && r >= 0 && r < scope.length ? scope[r].id : null;
  };
  const packages: PackageStats[] = [];
  for (const s of w.stats) {
    if (!Array.isArray(s) || s.length < STATS_FIXED) return null;
    const packageId = idOf(s[0]);
    const nums = s.slice(1);
    if (packageId === null || !nums.every(isNum)) return null;
    const [assignments, delivered, stale, deliveryFailed, expiringSoon, guests, ...staleBy] = nums as number[];
    packages.push({ packageId, assignments, delivered, stale, staleBy, deliveryFailed, expiringSoon, guests });
  }
  const byPackage: Record<string, number> = {};
  for (const c of w.packageCounts) {
    const id = Array.isArray(c) ? idOf(c[0]) : null;
    if (id === null || !isNum(c[1])) return null;
    byPackage[id] = c[1];
  }
  const view = {
    kind: 'view',
    seq: w.seq,
    tab: w.tab,
    shown: w.shown,
    offset: w.offset,
    rows: w.rows,
    people: w.people,
    counts: { ...w.counts, package: byPackage },
    packages,
    selected: w.selected,
  };
  return isOverviewEvent(view) && view.kind === 'view' ? view : null;
}
