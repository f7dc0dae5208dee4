// Which CSV columns an export made now would leave incomplete. While account and sign-in data are still
// loading (minutes on a large tenant, under Graph's sign-in throttle), the admin may export the list as it
// is, told which columns are not final yet, instead of waiting at a disabled button.
import { CSV_HEADER } from './csv';
import type { SignInAvailability, ViewRow } from './model';

export interface ExportReadinessInput {
  rows: readonly ViewRow[];
  /** user details are still arriving */
  enriching: boolean;
  /** null until the worker says whether sign-in data is complete or unavailable */
  signIn: SignInAvailability | null;
}

const ACCOUNT_COLUMNS = ['User type', 'Account enabled', 'Stale', 'Stale reasons'];
const SIGN_IN_COLUMNS = ['Last successful sign-in (UTC)', 'Stale', 'Stale reasons'];

/** A row whose user the worker looks up (a directory object that is not a service principal). */
const isUserTarget = (r: ViewRow): boolean => r.objectId !== null && r.subjectType.toLowerCase() !== 'serviceprincipal';

/**
 * CSV header names (in header order) whose values may still change, or [] when the export would be final.
 * Sign-in data known to be unavailable (licence, consent) is not "incomplete": those cells stay empty.
 */
export function incompleteCsvColumns(inp: ExportReadinessInput): string[] {
  if (!inp.enriching) return [];
  const names = new Set<string>();
  if (inp.rows.some((r) => isUserTarget(r) && r.user === null)) for (const c of ACCOUNT_COLUMNS) names.add(c);
  if (inp.signIn === null && inp.rows.some(isUserTarget)) for (const c of SIGN_IN_COLUMNS) names.add(c);
  return CSV_HEADER.filter((h) => names.has(h));
}
