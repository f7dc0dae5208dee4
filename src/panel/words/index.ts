// The admin center's words in the panel: Graph's values (state, status, subject type, user type, filter values)
// become the portal's words through src/core/portal-words and the messages; Graph's own value stays in the
// tooltip, and the CSV keeps it verbatim. Dates are shown in the browser's locale and time zone, UTC in the tooltip.
import { compareText } from '../../core/collate';
import { accountState, type FacetId } from '../../core/filters';
import { localDateTime, utcDateTime } from '../../core/local-dates';
import type { ViewRow } from '../../core/model';
import {
  FACET_KEYS,
  ageOf,
  deliveryKey,
  facetValueKey,
  humanise,
  stateKey,
  statusKey,
  subjectTypeKey,
  userTypeKey,
} from '../../core/portal-words';
import type { ColumnKey } from '../../core/sort';
import { t, tn, uiLocale } from '../i18n';

/** Text to show and the tooltip that names Graph's value. */
export interface Words {
  text: string;
  title: string;
}

function word(key: string | null, raw: string): string {
  if (!raw) return '';
  return key ? t(key) : humanise(raw);
}

/** A translated value's tooltip: the words and Graph's value, when they differ. */
export function graphTitle(text: string, raw: string): string {
  return raw && raw !== text ? t('words_graphValue', { text, value: raw }) : text;
}

export const stateText = (state: string): string => word(stateKey(state), state);
/** "failed", "partially delivered": the state after "Delivery:" on a badge. */
export const deliveryStateText = (state: string): string => word(deliveryKey(state), state);
export const statusText = (status: string): string => word(statusKey(status), status);
export const subjectTypeText = (type: string): string => word(subjectTypeKey(type), type);
export const userTypeText = (type: string | null): string => (type ? word(userTypeKey(type), type) : '');

export function facetName(facet: FacetId): string {
  return t(FACET_KEYS[facet]);
}

/** A filter value's words; data-driven values (policy, organisation names) keep their own label. */
export function facetValueText(facet: FacetId, value: string, label: string): string {
  const key = facetValueKey(facet, value);
  if (key) return t(key);
  if (facet === 'state') return value ? humanise(value) : t('words_none');
  if (facet === 'connectedOrg' && value === 'none') return t('words_connectedOrg_none');
  return label || value || t('words_none');
}

export function staleReasonsText(reasons: readonly string[]): string {
  return reasons.map((r) => facetValueText('stale', r, r)).join(', ');
}

/** "3 days ago", "just now": an age in the portal's words. */
export function agoText(iso: string | null | undefined, now: number): string {
  const age = ageOf(iso, now);
  if (!age) return '';
  if (age.unit === 'now') return t('words_ago_now');
  return tn(`words_ago_${age.unit}`, age.count);
}

/** A date in the browser's locale and time zone. */
export function localDate(iso: string | null | undefined): string {
  return localDateTime(iso, uiLocale());
}

/**
 * What the first render would otherwise stop for, once per page (about 20 + 25 + 7 ms on 2 cores, most of a
 * first render): the extension's message catalogue (when the worker did not hand it over), the UI locale's
 * plural, date and number data, and its collation data (the first sort). Three steps, so the panel can give
 * each a task of its own.
 */
export const WARM_UPS: ReadonlyArray<() => void> = [
  () => void t('header_packageFallback'),
  () => void (tn('header_assignments', 0) + localDate(new Date(0).toISOString())),
  () => void compareText('a', 'b'),
];

/** `make()` kept by `key`; a map that reaches `max` entries starts again (a bad tenant's values must not grow it without bound). */
function kept(cache: Map<string, Words>, max: number, key: string, make: () => Words): Words {
  let words = cache.get(key);
  if (!words) {
    words = make();
    if (cache.size >= max) cache.clear();
    cache.set(key, words);
  }
  return words;
}

/** Dates' words by their ISO text: a table of 100,000 rows shows the same dates again as a search narrows and widens. */
const dateCache = new Map<string, Words>();
const DATE_CACHE_MAX = 4_096;

export function dateWords(iso: string | null | undefined): Words {
  if (!iso) return { text: localDate(iso), title: '' };
  // Formatting a date for the locale cost about a fifth of a keystroke's rendering (three date columns).
  return kept(dateCache, DATE_CACHE_MAX, iso, () => ({ text: localDate(iso), title: t('words_utcTitle', { date: utcDateTime(iso) }) }));
}

function accountWords(row: ViewRow): Words {
  const text = accountText(accountState(row.user));
  return { text, title: text };
}

/** An account state in the words of the account facet ('' for none). */
export const accountText = (state: ReturnType<typeof accountState>): string => (state ? facetValueText('account', state, state) : '');

type EnumColumn = 'subjectType' | 'userType' | 'state' | 'status';
const ENUM_TEXT: Readonly<Record<EnumColumn, (raw: string) => string>> = {
  subjectType: subjectTypeText,
  userType: (raw) => userTypeText(raw || null),
  state: stateText,
  status: statusText,
};
/**
 * An enum cell's words by Graph's value: a handful of values fill 100,000 rows, and building the words and the
 * tooltip for every cell of every frame was a ninth of what a fling through the table allocated.
 */
const enumCache: Record<EnumColumn, Map<string, Words>> = { subjectType: new Map(), userType: new Map(), state: new Map(), status: new Map() };
/** Graph's enums are few: more values than this in a column are a bad tenant's. */
const ENUM_CACHE_MAX = 256;

function enumWords(column: EnumColumn, raw: string): Words {
  return kept(enumCache[column], ENUM_CACHE_MAX, raw, () => {
    const text = ENUM_TEXT[column](raw);
    return { text, title: graphTitle(text, raw) };
  });
}

/** The words of one table cell, with the tooltip (Graph's value for enums, UTC for dates). */
export function cellWords(key: ColumnKey, row: ViewRow): Words {
  switch (key) {
    case 'displayName':
      return { text: row.displayName, title: row.displayName };
    case 'principalName': {
      const v = row.principalName || row.email;
      return { text: v, title: v };
    }
    case 'subjectType':
      return enumWords(key, row.subjectType);
    case 'userType':
      return enumWords(key, row.user?.userType ?? '');
    case 'accountEnabled':
      return accountWords(row);
    case 'state':
      return enumWords(key, row.state);
    case 'status':
      return enumWords(key, row.status);
    case 'policy': {
      const v = row.policyName || row.policyId;
      return { text: v, title: v };
    }
    case 'start':
      return dateWords(row.start);
    case 'expiry':
      return dateWords(row.expiry);
    case 'lastSignIn':
      return dateWords(row.user?.lastSuccessfulSignIn ?? null);
    case 'stale': {
      const text = staleReasonsText(row.staleReasons);
      return { text, title: text };
    }
    case 'access': {
      const value = row.access?.value;
      if (!value) return { text: '', title: '' };
      const text = facetValueText('access', value, value);
      const missing = row.access?.missing ?? [];
      return { text, title: missing.length > 0 ? t('words_access_missing', { resources: missing.join(', ') }) : text };
    }
  }
}

const COLUMN_KEYS: Readonly<Record<ColumnKey, string>> = {
  displayName: 'words_column_displayName',
  principalName: 'words_column_principalName',
  subjectType: 'words_column_subjectType',
  userType: 'words_column_userType',
  accountEnabled: 'words_column_account',
  state: 'words_column_state',
  status: 'words_column_status',
  policy: 'words_column_policy',
  start: 'words_column_start',
  expiry: 'words_column_expiry',
  lastSignIn: 'words_column_lastSignIn',
  stale: 'words_column_stale',
  access: 'words_column_access',
};

export function columnName(key: ColumnKey): string {
  return t(COLUMN_KEYS[key]);
}
