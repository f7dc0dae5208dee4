import fc from 'fast-check';
import Papa from 'papaparse';
import { CSV_HEADER, csvCell, csvFileName, csvRecord, recordsToCsv, toCsv, toCsvChunks } from '../../../src/core/csv';
import type { ViewRow } from '../../../src/core/model';
import { deletedUser } from '../../../src/core/normalise';
import { STALE_REASONS } from '../../../src/core/stale';
import { user, viewRow } from './fixtures';

const CONTRACT_COLUMNS = [
  'Assignment ID',
  'Display name',
  'User principal name',
  'Email',
  'Object ID',
  'Subject type',
  'User type',
  'Account enabled',
  'State',
  'Status',
  'Policy',
  'Start (UTC)',
  'Expiry (UTC)',
  'Last successful sign-in (UTC)',
  'Stale',
  'Stale reasons',
];

/** Parses our CSV back (BOM stripped, trailing CRLF tolerated). */
function parse(csv: string): string[][] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const body = csv.slice(1);
  expect(body.endsWith('\r\n')).toBe(true);
  const result = Papa.parse<string[]>(body.slice(0, -2), { newline: '\r\n', quoteChar: '"', header: false });
  expect(result.errors).toEqual([]);
  return result.data;
}

/** What a cell should read after removing the formula guard exactly where it applies. */
const unguard = (original: string, written: string): string => (/^[=+\-@\t\r]/.test(original) ? written.slice(1) : written);

describe('CSV header and records', () => {
  it('begins with exactly the contract columns', () => {
    expect(CSV_HEADER.slice(0, 16)).toEqual(CONTRACT_COLUMNS);
    expect(parse(toCsv([]))).toEqual([[...CSV_HEADER]]);
  });

  it('maps a row to the contract sources', () => {
    const r = viewRow({
      id: 'a1',
      objectId: 'o1',
      state: 'delivered',
      status: 'Delivered',
      policyName: 'Sales',
      start: '2024-01-01T00:00:00Z',
      expiry: '2025-01-01T00:00:00Z',
      staleReasons: ['disabled', 'inactive'],
      connectedOrgName: 'Fabrikam',
      subjectId: 's1',
      expired: '2025-02-03T04:05:06Z',
      callouts: [
        { id: 'c1', customExtensionId: 'x1', status: 'calloutFailed', detail: 'Logic App returned 500' },
        { id: 'c2', customExtensionId: 'x2', status: 'waitingForCallback', detail: '' },
      ],
      user: user({ userType: 'Guest', accountEnabled: false, lastSuccessfulSignIn: null, lastSignIn: '2025-05-01T00:00:00Z' }),
    });
    expect(csvRecord(r)).toEqual([
      'a1',
      'Anna Lindqvist',
      'anna@contoso.com',
      'anna@contoso.com',
      'o1',
      'user',
      'Guest',
      'false',
      'delivered',
      'Delivered',
      'Sales',
      '2024-01-01T00:00:00Z',
      '2025-01-01T00:00:00Z',
      '', // lastSuccessfulSignIn only, never the other sign-in dates
      'true',
      'disabled; inactive',
      'Fabrikam',
      's1',
      '2025-02-03T04:05:06Z', // expiredDateTime, after the contract's sixteen
      'calloutFailed (x1): Logic App returned 500; waitingForCallback (x2)',
      '', // no access check ran
      '',
    ]);
  });

  it('writes the access check result and the missing resources after the contract columns', () => {
    const r = viewRow({ id: 'a2', access: { value: 'missing', missing: ['Sales and Marketing', 'Expenses'] } });
    const header = CSV_HEADER.slice(16);
    const cells = csvRecord(r).slice(16);
    expect(header.slice(-2)).toEqual(['Access', 'Missing resources']);
    expect(cells.slice(-2)).toEqual(['missing', 'Sales and Marketing; Expenses']);
  });

  it('leaves unknown values empty and says Stale false when no reason holds', () => {
    const notInDir = csvRecord(viewRow({ objectId: null, user: null, subjectId: null, start: null }));
    expect(notInDir[4]).toBe('');
    expect(notInDir[6]).toBe('');
    expect(notInDir[7]).toBe('');
    expect(notInDir[11]).toBe('');
    expect(notInDir[14]).toBe('false');
    expect(notInDir[15]).toBe('');
    expect(notInDir[17]).toBe('');
    const deleted = csvRecord(viewRow({ user: deletedUser('u-1'), staleReasons: ['deleted'] }));
    expect([deleted[6], deleted[7], deleted[14], deleted[15]]).toEqual(['', '', 'true', 'deleted']);
    expect(csvRecord(viewRow({ user: user({ accountEnabled: true }) }))[7]).toBe('true');
  });
});

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rhere', '"cr\rhere"'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-x', "'-x"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=a,"b"', `"'=a,""b"""`],
    ['a=b', 'a=b'],
    [' =x', ' =x'],
    ['😀 <b>', '😀 <b>'],
  ])('%j → %j', (input, out) => expect(csvCell(input)).toBe(out));
});

const arbText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', 'a', ' ', "'", 'é', '😀'), maxLength: 8 }),
);

const arbViewRow: fc.Arbitrary<ViewRow> = fc
  .record({
    id: arbText,
    displayName: arbText,
    principalName: arbText,
    email: arbText,
    objectId: fc.option(arbText, { nil: null }),
    subjectType: arbText,
    state: arbText,
    status: arbText,
    policyName: arbText,
    connectedOrgName: arbText,
    userType: fc.option(arbText, { nil: null }),
    accountEnabled: fc.constantFrom(true, false, null),
    staleReasons: fc.subarray([...STALE_REASONS]),
  })
  .map(({ userType, accountEnabled, ...r }) => viewRow({ ...r, user: user({ userType, accountEnabled }) }));

describe('toCsv properties', () => {
  it('papaparse reads back every cell (after removing the guard exactly where it applies)', () => {
    fc.assert(
      fc.property(fc.array(arbViewRow, { maxLength: 15 }), (rows) => {
        const parsed = parse(toCsv(rows));
        expect(parsed).toHaveLength(rows.length + 1);
        rows.forEach((r, i) => {
          const original = csvRecord(r);
          expect(parsed[i + 1].map((cell, c) => unguard(original[c], cell))).toEqual(original);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('uses CRLF between records and starts with the BOM', () => {
    const csv = toCsv([viewRow({ id: 'x' }), viewRow({ id: 'y' })]);
    expect(csv.startsWith('\uFEFFAssignment ID,Display name,')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(4); // header, 2 rows, '' after the final CRLF
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('chunks concatenate to toCsv for any chunk size', () => {
    fc.assert(
      fc.property(fc.array(arbViewRow, { maxLength: 25 }), fc.integer({ min: 1, max: 30 }), (rows, size) => {
        const chunks = [...toCsvChunks(rows, size)];
        expect(chunks.join('')).toBe(toCsv(rows));
        expect(chunks).toHaveLength(1 + Math.ceil(rows.length / size));
      }),
    );
  });
});

describe('recordsToCsv', () => {
  it('writes any table with the same quoting, guard and BOM', () => {
    const csv = recordsToCsv(['When', 'Result'], [
      ['2025-01-01T00:00:00Z', 'failed: "x", y'],
      ['-', '=1+1'],
    ]);
    expect(csv).toBe('\uFEFFWhen,Result\r\n2025-01-01T00:00:00Z,"failed: ""x"", y"\r\n\'-,\'=1+1\r\n');
  });
});

describe('csvFileName', () => {
  const now = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
  it('follows the contract pattern with UTC time', () => {
    expect(csvFileName('Sales access', 'filtered', now)).toBe('Sales access-assignments-filtered-20250102-030405.csv');
    expect(csvFileName('Sales', 'all', now)).toBe('Sales-assignments-all-20250102-030405.csv');
  });

  it('replaces <>:"/\\|?* and control characters with _', () => {
    expect(csvFileName('a<b>c:d"e/f\\g|h?i*j\u0000k\u001fl\u007fm', 'all', now)).toBe(
      'a_b_c_d_e_f_g_h_i_j_k_l_m-assignments-all-20250102-030405.csv',
    );
    expect(csvFileName('Åtkomst 😀 ../x', 'all', now)).toBe('Åtkomst 😀 .._x-assignments-all-20250102-030405.csv');
  });

  it('never yields an empty or over-long name', () => {
    expect(csvFileName('', 'all', now)).toBe('access-package-assignments-all-20250102-030405.csv');
    expect(csvFileName('x'.repeat(500), 'all', now).length).toBeLessThan(200);
  });
});
