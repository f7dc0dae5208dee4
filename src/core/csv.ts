// The contract's CSV: UTF-8 with BOM, RFC 4180 quoting, CRLF, formula-injection guard, fixed columns.
import type { ViewRow } from './model';

/** The contract's 16 columns in order, then our own additions (the contract allows more to follow). */
export const CSV_HEADER: readonly string[] = [
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
  'Connected organisation',
  'Subject ID',
  'Expired (UTC)',
  'Custom extension callouts',
  'Access',
  'Missing resources',
];

const BOM = '\uFEFF';
const CRLF = '\r\n';

const bool = (b: boolean | null | undefined): string => (b === true ? 'true' : b === false ? 'false' : '');

/** One row's cells, unescaped, in CSV_HEADER order. Unknown values are empty. */
export function csvRecord(row: ViewRow): string[] {
  const user = row.user && !row.user.deleted ? row.user : null;
  return [
    row.id,
    row.displayName,
    row.principalName,
    row.email,
    row.objectId ?? '',
    row.subjectType,
    user?.userType ?? '',
    bool(user?.accountEnabled),
    row.state,
    row.status,
    row.policyName,
    row.start ?? '',
    row.expiry ?? '',
    user?.lastSuccessfulSignIn ?? '',
    bool(row.staleReasons.length > 0),
    row.staleReasons.join('; '),
    row.connectedOrgName,
    row.subjectId ?? '',
    row.expired ?? '',
    calloutsCell(row),
    row.access?.value ?? '',
    row.access?.missing.join('; ') ?? '',
  ];
}

/** `status (custom extension id): detail` per callout, `; `-separated. */
export function calloutsCell(row: Pick<ViewRow, 'callouts'>): string {
  return (row.callouts ?? [])
    .map((c) => `${c.status}${c.customExtensionId ? ` (${c.customExtensionId})` : ''}${c.detail ? `: ${c.detail}` : ''}`)
    .join('; ');
}

// Spreadsheets treat these leading characters as the start of a formula (or strip them to find one).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell as written: formula guard (a leading `'`), then RFC 4180 quoting where needed. */
export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

const line = (cells: readonly string[]): string => cells.map(csvCell).join(',') + CRLF;

/**
 * The CSV in pieces of `chunkRows` records (the first piece also carries the BOM and header), so the panel
 * can yield to the page between pieces. The pieces concatenate to exactly toCsv(rows).
 */
export function* toCsvChunks(rows: readonly ViewRow[], chunkRows = 5000): Generator<string> {
  const size = Math.max(1, Math.floor(chunkRows));
  yield BOM + line(CSV_HEADER);
  for (let i = 0; i < rows.length; i += size) {
    let out = '';
    const end = Math.min(rows.length, i + size);
    for (let k = i; k < end; k++) out += line(csvRecord(rows[k]));
    yield out;
  }
}

export function toCsv(rows: readonly ViewRow[]): string {
  let out = '';
  for (const chunk of toCsvChunks(rows)) out += chunk;
  return out;
}

/** Any table (e.g. the action log) with the same BOM, quoting, guard and line ends. */
export function recordsToCsv(header: readonly string[], records: readonly (readonly string[])[]): string {
  return BOM + line(header) + records.map(line).join('');
}

// <>:"/\|?* and control characters (C0, DEL, C1) are not allowed in file names on some systems.
// eslint-disable-next-line no-control-regex -- file names must not carry control characters
const UNSAFE_FILE_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;
/** Keeps the whole name under common 255-byte file-name limits even for long multi-byte package names. */
const MAX_NAME_CHARS = 120;

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * `<package name>-assignments-<filtered|all>-<yyyyMMdd-HHmmss>.csv`, time in UTC (contract: CSV); `what` names
 * another table of the same name and filter (the overview's packages).
 */
export function csvFileName(packageName: string, kind: 'filtered' | 'all', now: Date, what: 'assignments' | 'packages' = 'assignments'): string {
  let name = [...packageName.replace(UNSAFE_FILE_CHARS, '_')].slice(0, MAX_NAME_CHARS).join('');
  if (name === '') name = 'access-package';
  const stamp =
    `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}` +
    `-${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${name}-${what}-${kind}-${stamp}.csv`;
}
