// The overview's CSV: the contract's sixteen columns, then `Access package` and `Catalog`, then the package
// export's own additions. Written in chunks from the worker's store: never one string of the whole file.
import { CSV_HEADER, csvCell, csvRecord } from '../csv';
import type { OverviewStore } from './store';

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

const BOM = '\uFEFF';
const CRLF = '\r\n';
const line = (cells: readonly string[]): string => cells.map(csvCell).join(',') + CRLF;

/**
 * The CSV of `order`'s rows in pieces of `chunkRows` records; the first piece carries the BOM and header.
 * A person's and a package's cells are written once per export and reused for each of their rows (the same
 * csvRecord, so every line is the one the row's own record would give).
 */
export function* overviewCsvChunks(store: OverviewStore, order: Int32Array, chunkRows = 5000): Generator<string> {
  yield BOM + line(OVERVIEW_CSV_HEADER);
  const size = Math.max(1, Math.floor(chunkRows));
  const people = new Map<number, { before: string; after: string; tail: string; last: string }>();
  const packages = new Map<number, string>();
  const cells = new Map<string, string>();
  const cell = (v: string): string => {
    let c = cells.get(v);
    if (c === undefined) {
      c = csvCell(v);
      if (cells.size < 100_000) cells.set(v, c);
    }
    return c;
  };
  const extra = KEPT.slice(CONTRACT_COLUMNS).map(({ i }) => i);
  const EXPIRED = CSV_HEADER.indexOf('Expired (UTC)');
  for (let k = 0; k < order.length; k += size) {
    // Lines collected and joined once: appending each to one string took a fifth longer at a million rows.
    const out: string[] = [];
    const end = Math.min(order.length, k + size);
    for (let j = k; j < end; j++) {
      const i = order[j];
      const f = store.rowFields(i);
      let person = people.get(f.target);
      let pkg = packages.get(f.pkg);
      if (person === undefined || pkg === undefined) {
        const row = store.row(i);
        const record = csvRecord(row);
        person = {
          before: record.slice(1, 8).map(csvCell).join(','),
          after: record.slice(13, 16).map(csvCell).join(','),
          // held and the additions before Expired (the row's own), then those after it
          tail: [String(row.held), ...extra.slice(0, extra.indexOf(EXPIRED)).map((x) => record[x])].map((v) => `,${csvCell(v)}`).join(''),
          last: extra.slice(extra.indexOf(EXPIRED) + 1).map((x) => `,${csvCell(record[x])}`).join(''),
        };
        pkg = [row.packageName, row.catalogName].map(csvCell).join(',');
        people.set(f.target, person);
        packages.set(f.pkg, pkg);
      }
      out.push(
        `${csvCell(f.id)},${person.before},${cell(f.state)},${cell(f.status)},${cell(f.policyName)},${f.start ?? ''},${f.expiry ?? ''},` +
        `${person.after},${pkg}${person.tail},${f.expired ?? ''}${person.last}${CRLF}`,
      );
    }
    yield out.join('');
  }
}
