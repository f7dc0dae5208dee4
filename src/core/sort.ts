// The panel's columns (text only: the panel never renders markup from Graph) and a stable sort over them.
import { compareText } from './collate';
import type { ViewRow } from './model';

export type ColumnKey =
  | 'displayName'
  | 'principalName'
  | 'subjectType'
  | 'userType'
  | 'accountEnabled'
  | 'state'
  | 'status'
  | 'policy'
  | 'start'
  | 'expiry'
  | 'lastSignIn'
  | 'stale'
  | 'access';

export type SortDir = 'asc' | 'desc';

/** A sort key: text (locale order), number, or null (always sorts last). */
type SortKey = string | number | null;

export interface Column {
  key: ColumnKey;
  label: string;
  /** The cell's text. */
  value(row: ViewRow): string;
  /** @internal what the column sorts by */
  sortKey(row: ViewRow): SortKey;
}

const orNull = (s: string): string | null => (s === '' ? null : s);
const dateKey = (iso: string | null): number | null => {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

function accountText(row: ViewRow): string {
  if (!row.user) return '';
  if (row.user.deleted) return 'deleted';
  if (row.user.accountEnabled === true) return 'enabled';
  if (row.user.accountEnabled === false) return 'disabled';
  return '';
}
const ACCOUNT_ORDER: Record<string, number> = { enabled: 0, disabled: 1, deleted: 2 };

const text = (key: ColumnKey, label: string, get: (row: ViewRow) => string): Column => ({
  key,
  label,
  value: get,
  sortKey: (row) => orNull(get(row)),
});

const date = (key: ColumnKey, label: string, get: (row: ViewRow) => string | null): Column => ({
  key,
  label,
  value: (row) => get(row) ?? '',
  sortKey: (row) => dateKey(get(row)),
});

export const COLUMNS: readonly Column[] = [
  text('displayName', 'Display name', (r) => r.displayName),
  // UPN where Graph has one; a target not yet in the directory often has only an email.
  text('principalName', 'UPN / email', (r) => r.principalName || r.email),
  text('subjectType', 'Subject type', (r) => r.subjectType),
  text('userType', 'Member / guest', (r) => r.user?.userType ?? ''),
  {
    key: 'accountEnabled',
    label: 'Account',
    value: accountText,
    sortKey: (r) => ACCOUNT_ORDER[accountText(r)] ?? null,
  },
  text('state', 'State', (r) => r.state),
  text('status', 'Status', (r) => r.status),
  text('policy', 'Policy', (r) => r.policyName || r.policyId),
  date('start', 'Start (UTC)', (r) => r.start),
  date('expiry', 'Expiry (UTC)', (r) => r.expiry),
  date('lastSignIn', 'Last successful sign-in (UTC)', (r) => r.user?.lastSuccessfulSignIn ?? null),
  // Stale rows first in either direction (not-stale sorts as "empty"), grouped by their reasons.
  text('stale', 'Stale reasons', (r) => r.staleReasons.join('; ')),
  // The access check's result (empty until a check ran).
  text('access', 'Access', (r) => r.access?.value ?? ''),
];

export const COLUMN_BY_KEY: Readonly<Record<ColumnKey, Column>> = Object.fromEntries(
  COLUMNS.map((c) => [c.key, c]),
) as Record<ColumnKey, Column>;

/**
 * A sorted copy: stable (equal keys keep their order), empty values last in both directions, text in
 * locale order, dates as dates. Keys are computed once per row (decorate-sort-undecorate).
 */
export function sortRows(rows: ViewRow[], key: ColumnKey, dir: SortDir): ViewRow[] {
  const column = COLUMN_BY_KEY[key];
  const sign = dir === 'desc' ? -1 : 1;
  const keys = rows.map((r) => column.sortKey(r));
  const order = rows.map((_, i) => i);
  order.sort((a, b) => {
    const ka = keys[a];
    const kb = keys[b];
    if (ka === null || kb === null) {
      if (ka === kb) return a - b;
      return ka === null ? 1 : -1;
    }
    const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : compareText(String(ka), String(kb));
    return c !== 0 ? sign * c : a - b;
  });
  return order.map((i) => rows[i]);
}
