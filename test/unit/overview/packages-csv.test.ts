// The packages table's CSV: the contract's rules (BOM, quoting, formula guard, CRLF), the rows in the order
// given, the counts per stale reason, and a file name that says packages.
import { csvFileName } from '../../../src/core/csv';
import { PACKAGES_CSV_HEADER, packagesCsv } from '../../../src/core/overview/packages-csv';
import type { PackageStats } from '../../../src/core/overview/store';

const stat = (packageId: string, n: number, staleBy: number[] = [0, 0, 0, 0, 0]): PackageStats => ({
  packageId,
  assignments: n,
  delivered: n - 1,
  stale: staleBy.reduce((a, b) => a + b, 0),
  staleBy,
  deliveryFailed: 1,
  expiringSoon: 2,
  guests: 3,
});

describe('packages CSV', () => {
  test('one record per package in the order given, stale counts per reason, names as text', () => {
    const names = new Map([
      ['a', 'Sales, EMEA'],
      ['b', '=HYPERLINK("x")'],
    ]);
    const catalogs = new Map([['a', 'General']]);
    const csv = packagesCsv([stat('b', 5, [1, 0, 2, 0, 0]), stat('a', 10), stat('c', 1)], names, catalogs);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(PACKAGES_CSV_HEADER.join(','));
    expect(lines[0]).toBe(
      'Access package ID,Access package,Catalog,Assignments,Delivered,Stale,Stale: deleted,Stale: disabled,Stale: inactive,' +
        'Stale: never-signed-in,Stale: invitation-pending,Delivery failed,Expiring within 30 days,Guests',
    );
    expect(lines[1]).toBe(`b,"'=HYPERLINK(""x"")",,5,4,3,1,0,2,0,0,1,2,3`);
    expect(lines[2]).toBe('a,"Sales, EMEA",General,10,9,0,0,0,0,0,0,1,2,3');
    expect(lines[3]).toBe('c,,,1,0,0,0,0,0,0,0,1,2,3');
    expect(lines).toHaveLength(5); // the last record ends with CRLF too
  });

  test('the file name says packages, with the same scope name rules and UTC stamp as assignments', () => {
    const now = new Date(Date.UTC(2026, 11, 7, 9, 5, 3));
    expect(csvFileName('tenant', 'all', now, 'packages')).toBe('tenant-packages-all-20261207-090503.csv');
    expect(csvFileName('HR: <core>', 'filtered', now, 'packages')).toBe('HR_ _core_-packages-filtered-20261207-090503.csv');
    expect(csvFileName('HR', 'all', now)).toBe('HR-assignments-all-20261207-090503.csv');
  });
});
