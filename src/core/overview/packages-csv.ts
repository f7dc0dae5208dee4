// The overview's packages table as CSV: the rows in the order shown, with the counts of the current filter, and
// the contract's CSV rules (BOM, RFC 4180 quoting, CRLF, formula guard) through the same writer as assignments.
import { recordsToCsv } from '../csv';
import { STALE_REASONS } from '../stale';
import type { PackageStats } from './store';

export const PACKAGES_CSV_HEADER: readonly string[] = [
  'Access package ID',
  'Access package',
  'Catalog',
  'Assignments',
  'Delivered',
  'Stale',
  ...STALE_REASONS.map((r) => `Stale: ${r}`),
  'Delivery failed',
  'Expiring within 30 days',
  'Guests',
];

/** One record per package, in `rows` order; names and catalogs by package id (empty when unknown). */
export function packagesCsv(rows: readonly PackageStats[], names: ReadonlyMap<string, string>, catalogs: ReadonlyMap<string, string>): string {
  return recordsToCsv(
    PACKAGES_CSV_HEADER,
    rows.map((s) => [
      s.packageId,
      names.get(s.packageId) ?? '',
      catalogs.get(s.packageId) ?? '',
      String(s.assignments),
      String(s.delivered),
      String(s.stale),
      ...STALE_REASONS.map((_, i) => String(s.staleBy[i] ?? 0)),
      String(s.deliveryFailed),
      String(s.expiringSoon),
      String(s.guests),
    ]),
  );
}
