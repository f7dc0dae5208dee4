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

/** The CSV of `order`'s rows in pieces of `chunkRows` records; the first piece carries the BOM and header. */
export function* overviewCsvChunks(store: OverviewStore, order: Int32Array, chunkRows = 5000): Generator<string> {
  yield BOM + line(OVERVIEW_CSV_HEADER);
  const size = Math.max(1, Math.floor(chunkRows));
  for (let k = 0; k < order.length; k += size) {
    let out = '';
    const end = Math.min(order.length, k + size);
    for (let j = k; j < end; j++) {
      const row = store.row(order[j]);
      const cells = csvRecord(row);
      out += line([
        ...cells.slice(0, CONTRACT_COLUMNS),
        row.packageName,
        row.catalogName,
        String(row.held),
        ...KEPT.slice(CONTRACT_COLUMNS).map(({ i }) => cells[i]),
      ]);
    }
    yield out;
  }
}
