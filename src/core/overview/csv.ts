// The overview's CSV: the contract's sixteen columns, then `Access package` and `Catalog`, then the package
// export's own additions. Written in chunks from the worker's store: never one string of the whole file.
import { CSV_HEADER, csvCell, csvFileName } from '../csv';
import { STALE_REASONS } from '../stale';
import type { OverviewStore } from './store';

/**
 * An overview CSV's file name (contract: Across packages): `tenant`, or the catalog's name (its scope key while
 * the name is unknown), then the table, and -filtered- only when the rows are narrowed.
 */
export function overviewCsvFileName(scope: string, scopeName: string, what: 'assignments' | 'packages', filtered: boolean, now: Date): string {
  return csvFileName(scope === 'tenant' ? 'tenant' : scopeName || scope, filtered ? 'filtered' : 'all', now, what);
}

const CONTRACT_COLUMNS = 16;
/** Columns of the package export that say nothing across packages (the access check runs per package). */
const PACKAGE_ONLY = new Set(['Access', 'Missing resources', 'Custom extension callouts']);
const KEPT = CSV_HEADER.map((h, i) => ({ h, i })).filter(({ h, i }) => i < CONTRACT_COLUMNS || !PACKAGE_ONLY.has(h));

export const OVERVIEW_CSV_HEADER: readonly string[] = [
  ...KEPT.slice(0, CONTRACT_COLUMNS).map(({ h }) => h),
  'Access package',
  'Catalog',
  'Packages held',
  ...KEPT.slice(CONTRACT_COLUMNS).map(({ h }) => h),
];

// The writer below spells the record out cell by cell; this pins the header it was written for.
const WRITTEN_FOR = 'Assignment ID,Display name,User principal name,Email,Object ID,Subject type,User type,Account enabled,' +
  'State,Status,Policy,Start (UTC),Expiry (UTC),Last successful sign-in (UTC),Stale,Stale reasons,Access package,Catalog,' +
  'Packages held,Connected organisation,Subject ID,Expired (UTC)';
if (OVERVIEW_CSV_HEADER.join(',') !== WRITTEN_FOR) throw new Error('overview-csv-columns');

const BOM = '\uFEFF';
const CRLF = '\r\n';
const bool = (b: boolean | null): string => (b === true ? 'true' : b === false ? 'false' : '');

/**
 * The CSV of `order`'s rows in pieces of `chunkRows` records; the first piece carries the BOM and header.
 * Each line holds the cells csvRecord gives the row (checked by the store's tests). A person's cells are read
 * from the store's own strings for every row rather than kept per person: at 300,000 people such a copy held
 * about 95 MB for the whole export.
 */
export function* overviewCsvChunks(store: OverviewStore, order: Int32Array, chunkRows = 5000): Generator<string> {
  yield BOM + OVERVIEW_CSV_HEADER.map(csvCell).join(',') + CRLF;
  const size = Math.max(1, Math.floor(chunkRows));
  // Few distinct values (states, policies, user types, packages, reason sets): escaped once each.
  const packages = new Map<number, string>();
  const reasons = new Map<number, string>();
  const cells = new Map<string, string>();
  const cell = (v: string): string => {
    let c = cells.get(v);
    if (c === undefined) {
      c = csvCell(v);
      if (cells.size < 10_000) cells.set(v, c);
    }
    return c;
  };
  for (let k = 0; k < order.length; k += size) {
    // Lines collected and joined once: appending each to one string took a fifth longer at a million rows.
    const out: string[] = [];
    const end = Math.min(order.length, k + size);
    for (let j = k; j < end; j++) {
      const i = order[j];
      const f = store.rowFields(i);
      const p = store.csvTarget(f.target);
      let pkg = packages.get(f.pkg);
      if (pkg === undefined) {
        const r = store.row(i);
        pkg = `${csvCell(r.packageName)},${csvCell(r.catalogName)}`;
        packages.set(f.pkg, pkg);
      }
      let why = reasons.get(p.stale);
      if (why === undefined) {
        const list = STALE_REASONS.filter((_, r) => p.stale & (1 << r));
        why = `${bool(list.length > 0)},${csvCell(list.join('; '))}`;
        reasons.set(p.stale, why);
      }
      out.push(
        `${csvCell(f.id)},${csvCell(p.displayName)},${csvCell(p.principalName)},${csvCell(p.email)},${csvCell(p.objectId)},` +
        `${cell(p.subjectType)},${cell(p.userType)},${bool(p.accountEnabled)},` +
        `${cell(f.state)},${cell(f.status)},${cell(f.policyName)},${f.start ?? ''},${f.expiry ?? ''},` +
        `${csvCell(p.lastSuccessfulSignIn)},${why},${pkg},${p.held},${cell(p.connectedOrgName)},${csvCell(p.subjectId)},${f.expired ?? ''}${CRLF}`,
      );
    }
    yield out.join('');
  }
}
