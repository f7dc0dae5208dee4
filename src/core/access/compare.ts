// The access check's comparison: who holds each resource role (streamed in from Graph's listings, page by
// page) against who holds an assignment of the package. Pure: no browser or network API.
//
// Memory: the listings are never kept. Each page marks the rows whose target holds the role (one byte per row
// per resource) and records the principals that match no active assignment (the outside list, which is the
// result itself). So a check costs rows × resources bytes, however large the groups are.
import type { AccessResource } from './resources';

export type AccessValue = 'complete' | 'missing' | 'not-checked' | 'pending';
export const ACCESS_VALUES: readonly AccessValue[] = ['complete', 'missing', 'not-checked', 'pending'];

/** Why a resource, or an assignment, could not be compared. Turned into words by the panel. */
export type NotCheckedReason =
  | 'sharepoint' // Graph lists no holders of a SharePoint site role
  | 'unsupported' // a resource kind the check does not know
  | 'no-permission' // 403: the admin's token or role cannot read the holders
  | 'deleted' // 404: the group or application no longer exists
  | 'role-removed' // the application no longer defines (or has disabled) the app role the package grants
  | 'failed' // any other failure after retries
  | 'not-in-directory' // the assignment's target has no object id yet
  | 'not-delivered' // expired / deliveryFailed assignments grant nothing to compare
  | 'not-in-check'; // the assignment appeared, or its state changed, after the check ran

export type ResourceCheck = { status: 'checked' } | { status: 'not-checked'; reason: NotCheckedReason; detail?: string };

/** Assignment states whose target should hold every resource role (partiallyDelivered: at least some). */
const ACTIVE = new Set(['delivered', 'partiallydelivered']);
const PENDING = new Set(['delivering']);

/** The fields of a Row (core/model) the comparison reads. */
export interface AccessRow {
  id: string;
  objectId: string | null;
  state: string;
}

/** The rows by target object id (lower case), built once per check. */
export interface PrincipalIndex {
  readonly rows: readonly AccessRow[];
  /** object id → indices of the rows with that target */
  readonly byObject: ReadonlyMap<string, readonly number[]>;
  /** object ids holding an assignment that grants (or is about to grant) access */
  readonly granted: ReadonlySet<string>;
  /** active[i] = 1 when row i is delivered (or partially) and has a target: it should hold every role */
  readonly active: Uint8Array;
}

export function principalIndex(rows: readonly AccessRow[]): PrincipalIndex {
  const byObject = new Map<string, number[]>();
  const granted = new Set<string>();
  const active = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    if (!r.objectId) return;
    const key = r.objectId.toLowerCase();
    let list = byObject.get(key);
    if (!list) byObject.set(key, (list = []));
    list.push(i);
    const state = r.state.toLowerCase();
    if (ACTIVE.has(state)) active[i] = 1;
    if (ACTIVE.has(state) || PENDING.has(state)) granted.add(key);
  });
  return { rows, byObject, granted, active };
}

/** Active assignments (delivered, with a target) whose target lacks the role: one resource's "missing" count. */
export function countMissing(index: PrincipalIndex, has: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < has.length; i++) if (index.active[i] === 1 && has[i] !== 1) n++;
  return n;
}

export interface OutsidePrincipal {
  objectId: string;
  /** user, group, servicePrincipal, ... (from @odata.type or principalType) */
  type: string;
  displayName: string;
  principalName: string;
}

/** One resource's holders, folded in page by page. */
export class ResourceTally {
  /** has[i] = 1 when row i's target holds this resource's role */
  readonly has: Uint8Array;
  readonly outside: OutsidePrincipal[] = [];
  private readonly seenOutside = new Set<string>();
  holders = 0;

  constructor(private readonly index: PrincipalIndex) {
    this.has = new Uint8Array(index.rows.length);
  }

  add(p: OutsidePrincipal): void {
    this.hold(p.objectId, () => p);
  }

  /**
   * Folds one holder by object id; `describe` is called only for a holder outside the package (a few among
   * up to 100,000 per resource), so the others cost one map lookup and no object. Graph's ids are lower case:
   * the id is lower-cased only when it is not found as it is.
   */
  hold(objectId: string, describe: () => OutsidePrincipal): void {
    if (!objectId) return;
    this.holders++;
    let key = objectId;
    let at = this.index.byObject.get(key);
    if (at === undefined) {
      key = objectId.toLowerCase();
      if (key !== objectId) at = this.index.byObject.get(key);
    }
    if (at !== undefined) for (let k = 0; k < at.length; k++) this.has[at[k]] = 1;
    if (!this.index.granted.has(key) && !this.seenOutside.has(key)) {
      this.seenOutside.add(key);
      this.outside.push(describe());
    }
  }
}

export interface ResourceOutcome {
  resource: AccessResource;
  check: ResourceCheck;
  /** present when check.status is 'checked' */
  has?: Uint8Array;
}

export interface RowAccess {
  id: string;
  value: AccessValue;
  /** ids of the resources whose role the target lacks (missing) */
  missing: string[];
  /** not-checked: why (one per unreadable resource, or the assignment's own reason) */
  reasons: NotCheckedReason[];
  /** the assignment's state when it was compared (a row whose state changed since is no longer covered) */
  state?: string;
}

/**
 * Each row's access against the outcomes (`indices`: only these rows; default all):
 * - pending: the assignment is still delivering;
 * - not-checked: the assignment grants nothing now (expired, failed), has no directory object, a resource
 *   could not be read (no permission, deleted, failed), or only SharePoint sites (never readable) remain;
 * - missing: some readable resource role is not held (even if another resource could not be read);
 * - complete: every resource was read and every role is held.
 */
export function rowAccess(index: PrincipalIndex, outcomes: readonly ResourceOutcome[], indices?: Iterable<number>): RowAccess[] {
  // What does not depend on the row is worked out once: which resources were read, and why the others were not.
  const read = outcomes.filter((o) => o.check.status === 'checked');
  const reasons: NotCheckedReason[] = [];
  for (const o of outcomes) if (o.check.status === 'not-checked' && !reasons.includes(o.check.reason)) reasons.push(o.check.reason);
  // A SharePoint site can never be compared (Graph lists no holders): it is reported on the resource and
  // does not hold back a row whose other resources were all read. Any other gap does.
  const notChecked = reasons.some((x) => x !== 'sharepoint') || (read.length === 0 && reasons.length > 0);
  const none: string[] = [];
  const out: RowAccess[] = [];
  const each = indices ?? index.rows.keys();
  for (const i of each) {
    const r = index.rows[i];
    const state = r.state.toLowerCase();
    if (PENDING.has(state)) {
      out.push({ id: r.id, value: 'pending', missing: none, reasons: [], state: r.state });
      continue;
    }
    if (!ACTIVE.has(state)) {
      out.push({ id: r.id, value: 'not-checked', missing: none, reasons: ['not-delivered'], state: r.state });
      continue;
    }
    if (!r.objectId) {
      out.push({ id: r.id, value: 'not-checked', missing: none, reasons: ['not-in-directory'], state: r.state });
      continue;
    }
    let missing: string[] | null = null;
    for (const o of read) if (!o.has || o.has[i] !== 1) (missing ??= []).push(o.resource.id);
    const value: AccessValue = missing ? 'missing' : notChecked ? 'not-checked' : 'complete';
    out.push({ id: r.id, value, missing: missing ?? none, reasons: value === 'not-checked' ? reasons : [], state: r.state });
  }
  return out;
}

/** Counts per value, for `access-status`. */
export function accessCounts(entries: Iterable<Pick<RowAccess, 'value'>>): Record<AccessValue, number> {
  const c: Record<AccessValue, number> = { complete: 0, missing: 0, 'not-checked': 0, pending: 0 };
  for (const e of entries) c[e.value]++;
  return c;
}

/**
 * The resources a re-check of these rows must read again: those any of them was missing, or that could not be
 * read (a failure may have been passing). Resources every row held are not read again.
 */
export function resourcesToRecheck(previous: readonly Pick<RowAccess, 'missing' | 'value'>[], outcomes: readonly ResourceOutcome[]): string[] {
  const want = new Set<string>();
  for (const p of previous) for (const id of p.missing) want.add(id);
  const failed = outcomes.filter((o) => o.check.status === 'not-checked' && (o.check.reason === 'failed' || o.check.reason === 'no-permission'));
  if (previous.some((p) => p.value === 'not-checked' || p.value === 'pending')) for (const o of failed) want.add(o.resource.id);
  return outcomes.map((o) => o.resource.id).filter((id) => want.has(id));
}
