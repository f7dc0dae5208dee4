// Bulk filters with live facet counts over up to ~100,000 rows, within one frame.
//
// Semantics: within a facet the ticked values OR, across facets AND, and the search (case-insensitive
// substring of display name, UPN, email or object id) ANDs with all of them. counts[facet][value] is the
// number of rows that would be shown if, keeping every other facet's selection and the search, this facet's
// selection were exactly [value] (standard faceted search), so a count tells the admin what ticking gives.
//
// Speed: createFilterIndex turns every row into small integer codes once (typed arrays). With no value
// ticked, runFilter counts the search's rows (or takes the rows it drops off every row's counts). With values
// ticked it works on sets of rows, 32 a word (core/row-bits): each active facet's ticked rows, and a facet's
// counts are its values' rows within the rows every other facet lets through.
import { compareText } from './collate';
import { SearchGrams } from './search-grams';
import { allRows, countBoth, countCodes, intersections, orInto, pick, rowsByBit, rowsByCode, rowsOf, rowsWithCodes, wordsFor, type RowBits } from './row-bits';
import type { StaleReason, UserInfo, ViewRow } from './model';
import { DAY_MS, STALE_REASONS, compareToInstant } from './stale';

export type FacetId =
  | 'state'
  | 'policy'
  | 'kind'
  | 'account'
  | 'signIn'
  | 'expiry'
  | 'connectedOrg'
  | 'stale'
  | 'access'
  | 'decision'
  | 'change';

/** Display order of the facets (also the order of describeFilter). */
export const FACET_IDS: readonly FacetId[] = [
  'state',
  'policy',
  'kind',
  'account',
  'signIn',
  'expiry',
  'connectedOrg',
  'stale',
  'access',
  'decision',
  'change',
];

/** Short facet names for people (panel headings, removal confirmation). */
export const FACET_LABELS: Readonly<Record<FacetId, string>> = {
  state: 'state',
  policy: 'policy',
  kind: 'kind',
  account: 'account',
  signIn: 'sign-in',
  expiry: 'expiry',
  connectedOrg: 'connected organisation',
  stale: 'stale',
  access: 'access',
  decision: 'decision',
  change: 'change since the last review',
};

export type KindValue = 'member' | 'guest' | 'servicePrincipal' | 'other';
export type AccountValue = 'enabled' | 'disabled' | 'deleted' | 'not-in-directory' | 'unknown';
export type SignInValue = 'never' | 'stale' | 'recent' | 'unknown';
export type ExpiryValue = 'expired' | 'soon' | 'later' | 'none';
export type StaleValue = StaleReason | 'not-stale';

export const KIND_VALUES: readonly KindValue[] = ['member', 'guest', 'servicePrincipal', 'other'];
export const ACCOUNT_VALUES: readonly AccountValue[] = ['enabled', 'disabled', 'deleted', 'not-in-directory', 'unknown'];
export const SIGN_IN_VALUES: readonly SignInValue[] = ['recent', 'stale', 'never', 'unknown'];
export const EXPIRY_VALUES: readonly ExpiryValue[] = ['expired', 'soon', 'later', 'none'];
export const STALE_VALUES: readonly StaleValue[] = [...STALE_REASONS, 'not-stale'];
/** The access check's values; `none` until a check ran for the row. */
export type AccessFacetValue = 'complete' | 'missing' | 'not-checked' | 'pending' | 'none';
export const ACCESS_FACET_VALUES: readonly AccessFacetValue[] = ['complete', 'missing', 'not-checked', 'pending', 'none'];
/** A review's decision per row (src/core/review): rows without one are `none` (undecided). */
export type DecisionValue = 'none' | 'keep' | 'remove';
export const DECISION_VALUES: readonly DecisionValue[] = ['none', 'keep', 'remove'];
/** What changed since the list saved at the last review (or visit); `unchanged` for every other row. */
export type ChangeValue = 'added' | 'newly-stale' | 'newly-expiring' | 'unchanged';
export const CHANGE_VALUES: readonly ChangeValue[] = ['unchanged', 'added', 'newly-stale', 'newly-expiring'];

/**
 * Facets whose value per row is supplied at filter time, by assignment id, instead of being read from the
 * row: review decisions change far more often than the rows (a bulk decision must not rebuild the index).
 * A facet without a map has no values to offer (no review running); its rows count as the first value.
 */
export type KeyedFacetId = 'decision' | 'change';
export const KEYED_FACETS: readonly KeyedFacetId[] = ['decision', 'change'];
export const KEYED_VALUES: Readonly<Record<KeyedFacetId, readonly string[]>> = { decision: DECISION_VALUES, change: CHANGE_VALUES };
export type KeyedValues = Partial<Record<KeyedFacetId, ReadonlyMap<string, string>>>;

/** The connectedOrg value of rows without a connected organisation (org ids are GUIDs, so no clash). */
export const NO_CONNECTED_ORG = 'none';

export interface FilterState {
  search: string;
  /** Ticked values per facet; a missing or empty list means "no selection" (the facet lets every row pass). */
  facets: Partial<Record<FacetId, string[]>>;
}

export interface FilterContext {
  /** epoch ms */
  now: number;
  staleAfterDays: number;
  expiringWithinDays: number;
  signInAvailable: boolean;
}

export interface FacetValue {
  value: string;
  label: string;
}

export type FacetValues = Record<FacetId, FacetValue[]>;
/** counts[facet][value]; every value of facetValues() is present (0 included), plus any selected value. */
export type FacetCounts = Record<FacetId, Record<string, number>>;

export interface FilterResult {
  rows: ViewRow[];
  counts: FacetCounts;
}

export const emptyFilter = (): FilterState => ({ search: '', facets: {} });

export function isEmptyFilter(f: FilterState): boolean {
  return f.search === '' && FACET_IDS.every((id) => !f.facets[id]?.length);
}

// ---------------------------------------------------------------- per-row classification

/** Separator of the search haystack's fields; stripped from queries, so a match never spans two fields. */
const SEP = '\u0000';

const lower = (s: string | null | undefined): string => (s ?? '').toLowerCase();

export function kindOf(row: ViewRow): KindValue {
  if (lower(row.subjectType) === 'serviceprincipal') return 'servicePrincipal';
  const userType = row.user && !row.user.deleted ? lower(row.user.userType) : '';
  if (userType === 'member') return 'member';
  if (userType === 'guest') return 'guest';
  return 'other';
}

/** What a user's data says of the account (null: no data, or no accountEnabled in it): the facet's, the table's and the details' one rule. */
export function accountState(user: Pick<UserInfo, 'deleted' | 'accountEnabled'> | null | undefined): 'deleted' | 'enabled' | 'disabled' | null {
  if (!user) return null;
  if (user.deleted) return 'deleted';
  return user.accountEnabled === true ? 'enabled' : user.accountEnabled === false ? 'disabled' : null;
}

export function accountOf(row: ViewRow): AccountValue {
  if (row.objectId === null) return 'not-in-directory';
  return accountState(row.user) ?? 'unknown';
}

/** Classifiers bound to one context: the date limits are computed once for all rows. */
export interface Classifiers {
  signIn(row: ViewRow): SignInValue;
  expiry(row: ViewRow): ExpiryValue;
}

/** The sign-in and expiry facets' rules for `ctx`. Build them once per pass over rows: each build formats its instants. */
export function classifiers(ctx: FilterContext): Classifiers {
  const vsStale = compareToInstant(ctx.now - ctx.staleAfterDays * DAY_MS);
  const vsNow = compareToInstant(ctx.now);
  const vsSoon = compareToInstant(ctx.now + ctx.expiringWithinDays * DAY_MS);
  return {
    signIn(row) {
      if (!ctx.signInAvailable || !row.user || row.user.deleted) return 'unknown';
      if (row.activity === null) return 'never';
      return vsStale(row.activity) < 0 ? 'stale' : 'recent';
    },
    expiry(row) {
      if (lower(row.state) === 'expired') return 'expired';
      if (row.expiry === null) return 'none';
      const c = vsNow(row.expiry);
      if (Number.isNaN(c)) return 'none';
      if (c < 0) return 'expired';
      return vsSoon(row.expiry) <= 0 ? 'soon' : 'later';
    },
  };
}

/** sign-in facet (one row): unknown without sign-in data or a user record; never; stale (older than N days); recent. */
export const signInOf = (row: ViewRow, ctx: FilterContext): SignInValue => classifiers(ctx).signIn(row);

/** expiry facet (one row): expired (state expired or expiry before now); soon (within expiringWithinDays); later; none. */
export const expiryOf = (row: ViewRow, ctx: FilterContext): ExpiryValue => classifiers(ctx).expiry(row);

export function searchHaystack(row: ViewRow): string {
  return [row.displayName, row.principalName, row.email, row.objectId ?? ''].join(SEP).toLowerCase();
}

export function normaliseQuery(search: string): string {
  return search.split(SEP).join('').toLowerCase();
}

// ---------------------------------------------------------------- index

/** A growing value ↔ code dictionary for facets whose values come from the data. */
class Dictionary {
  readonly values: string[] = [];
  readonly labels: string[] = [];
  private readonly codes = new Map<string, number>();
  constructor(fixed: readonly string[] = [], fixedLabels: readonly string[] = []) {
    fixed.forEach((v, i) => this.code(v, fixedLabels[i] ?? v));
  }
  code(value: string, label: string): number {
    let c = this.codes.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.codes.set(value, c);
      this.values.push(value);
      this.labels.push(label);
    } else if (this.labels[c] === '' && label !== '') {
      this.labels[c] = label;
    }
    return c;
  }
  lookup(value: string): number | undefined {
    return this.codes.get(value);
  }
}

/** Facets with one value per row; `stale` (several reasons per row) is kept apart as a bit set. */
const SINGLE: readonly Exclude<FacetId, 'stale'>[] = ['state', 'policy', 'kind', 'account', 'signIn', 'expiry', 'connectedOrg', 'access'];
const STALE_BIT: Readonly<Record<string, number>> = Object.fromEntries(STALE_VALUES.map((v, i) => [v, 1 << i]));

export interface FilterIndex {
  readonly rows: readonly ViewRow[];
  readonly ctx: FilterContext;
  /** @internal per single-valued facet (SINGLE order): the value code of each row */
  readonly codes: Int32Array[];
  /** @internal per single-valued facet: its dictionary */
  readonly dicts: Dictionary[];
  /** @internal the stale facet's bits per row (bit i = STALE_VALUES[i]) */
  readonly staleBits: Uint8Array;
  /**
   * @internal lower-cased display name, UPN, email, object id, joined by SEP, of rows 0..length-1: built ahead
   * of the first search (prepareSearch) or by it, and carried to the next index of the same rows
   */
  haystacks: string[] | null;
  /**
   * @internal which rows' search text holds each character and pair of characters (core/search-grams), kept
   * with the haystacks and shared with the next index of the same rows (it only ever gains rows)
   */
  grams: SearchGrams | null;
  /** @internal recent searches and their matching row indices (see searchMatches) */
  searchCache: SearchCache | null;
}

function fixedLabels(ctx: FilterContext): Record<'kind' | 'account' | 'signIn' | 'expiry' | 'access', string[]> {
  const n = ctx.staleAfterDays;
  return {
    kind: ['Member', 'Guest', 'Service principal', 'Other'],
    account: ['Enabled', 'Disabled', 'Deleted', 'Not in directory', 'Unknown'],
    signIn: [`Within ${n} days`, `Older than ${n} days`, 'Never signed in', 'Unknown'],
    expiry: ['Expired', `Within ${ctx.expiringWithinDays} days`, 'Later', 'No expiry'],
    access: ['Complete', 'Missing', 'Not checked', 'Pending', 'Check not run'],
  };
}

const STALE_LABELS: Readonly<Record<StaleValue, string>> = {
  deleted: 'Deleted',
  disabled: 'Disabled',
  inactive: 'Inactive',
  'never-signed-in': 'Never signed in',
  'invitation-pending': 'Invitation pending',
  'not-stale': 'Not stale',
};

/** Writes row i's facet codes and stale bits: the one encoding both index builders use. */
function rowEncoder(dicts: Dictionary[], codes: Int32Array[], staleBits: Uint8Array, ctx: FilterContext): (row: ViewRow, i: number) => void {
  const [dState, dPolicy, dKind, dAccount, dSignIn, dExpiry, dOrg, dAccess] = dicts;
  const [cState, cPolicy, cKind, cAccount, cSignIn, cExpiry, cOrg, cAccess] = codes;
  const notStale = STALE_BIT['not-stale'];
  const classify = classifiers(ctx);
  return (row, i) => {
    cState[i] = dState.code(row.state, row.state === '' ? '(no state)' : row.state);
    cPolicy[i] = dPolicy.code(row.policyId, row.policyName || row.policyId || '(no policy)');
    cKind[i] = dKind.code(kindOf(row), '');
    cAccount[i] = dAccount.code(accountOf(row), '');
    cSignIn[i] = dSignIn.code(classify.signIn(row), '');
    cExpiry[i] = dExpiry.code(classify.expiry(row), '');
    cOrg[i] =
      row.connectedOrgId === null
        ? dOrg.code(NO_CONNECTED_ORG, 'None')
        : dOrg.code(row.connectedOrgId, row.connectedOrgName || row.connectedOrgId);
    cAccess[i] = dAccess.code(row.access?.value ?? 'none', '');
    let bits = 0;
    for (const r of row.staleReasons) bits |= STALE_BIT[r] ?? 0;
    staleBits[i] = bits === 0 ? notStale : bits;
  };
}
const KEYED_LABELS: Readonly<Record<DecisionValue | ChangeValue, string>> = {
  none: 'Undecided',
  keep: 'Keep',
  remove: 'Remove',
  added: 'Added',
  'newly-stale': 'Newly stale',
  'newly-expiring': 'Newly expiring',
  unchanged: 'Unchanged',
};

/**
 * `carried`: the search text of an earlier index whose rows are the first rows of `rows` (its haystacks copied,
 * its grams shared).
 */
export function createFilterIndex(rows: ViewRow[], ctx: FilterContext, carried: Pick<FilterIndex, 'haystacks' | 'grams'> | null = null): FilterIndex {
  const n = rows.length;
  const fl = fixedLabels(ctx);
  const dicts = [
    new Dictionary(),
    new Dictionary(),
    new Dictionary(KIND_VALUES, fl.kind),
    new Dictionary(ACCOUNT_VALUES, fl.account),
    new Dictionary(SIGN_IN_VALUES, fl.signIn),
    new Dictionary(EXPIRY_VALUES, fl.expiry),
    new Dictionary(),
    new Dictionary(ACCESS_FACET_VALUES, fl.access),
  ];
  const codes = SINGLE.map(() => new Int32Array(n));
  const staleBits = new Uint8Array(n);
  const encode = rowEncoder(dicts, codes, staleBits, ctx);
  for (let i = 0; i < n; i++) encode(rows[i], i);
  // Haystacks are not built here: most rebuilds (enrichment arriving) happen while nobody searches.
  const haystacks = carried?.haystacks ? carried.haystacks.slice(0, n) : null;
  return { rows, ctx, codes, dicts, staleBits, haystacks, grams: haystacks ? carried!.grams : null, searchCache: null };
}

/**
 * Builds the search's haystacks ahead of the first search, at most `maxRows` of them per call (idle time after
 * a load; 100,000 of them cost some 50 ms, which the first keystroke paid). True once all are built.
 */
export function prepareSearch(index: FilterIndex, maxRows = Number.POSITIVE_INFINITY): boolean {
  const rows = index.rows;
  const hay = (index.haystacks ??= []);
  const end = Math.min(rows.length, hay.length + maxRows);
  for (let i = hay.length; i < end; i++) hay.push(searchHaystack(rows[i]));
  addGrams(index);
  return searchPrepared(index);
}

/** The grams of the haystacks built so far (rows the shared grams already hold are skipped). */
function addGrams(index: FilterIndex): void {
  const hay = index.haystacks;
  if (!hay) return;
  const grams = (index.grams ??= new SearchGrams());
  grams.reserve(index.rows.length);
  for (let i = grams.rows; i < hay.length; i++) grams.add(i, hay[i]);
}

/** Every row's search text is built (a search now starts at once). */
export function searchPrepared(index: FilterIndex): boolean {
  return index.haystacks !== null && index.haystacks.length >= index.rows.length;
}

/**
 * Builds, ahead of the first ticked value, the rows of each value of the next facet column still without them
 * (one column a call: about 1 ms at 100,000 rows), then the stale reasons'. True once all are built.
 */
export function prepareFacets(index: FilterIndex): boolean {
  const cache = setsOf(index);
  const f = index.codes.findIndex((_, k) => !cache.columns[k]);
  if (f >= 0) {
    valueSets(index, f, index.codes[f], index.dicts[f].values.length, undefined);
    // A column with too many values has no sets: marked done all the same.
    cache.columns[f] ??= { codes: index.codes[f], map: undefined, sets: [] };
    return false;
  }
  staleSets(index);
  return true;
}

export function facetsPrepared(index: FilterIndex): boolean {
  const cache = setsCache.get(index);
  return !!cache?.stale && index.codes.every((_, k) => !!cache.columns[k]);
}

/**
 * The index of `rows` built from the index of an earlier state of them, without a pass over every row:
 * `rows` holds the earlier rows (same positions) followed by new ones, and `changed` lists the positions
 * whose row was replaced (its user's account or sign-in data arrived). New and changed rows are encoded;
 * the rest is copied. Values keep their codes (the dictionaries only grow), so while 100,000 rows stream in
 * each commit costs what the new rows cost. The earlier index must not be used afterwards (they share the
 * dictionaries and the code arrays, which may be longer than `rows`: only the first rows.length count).
 */
export function extendFilterIndex(prev: FilterIndex, rows: ViewRow[], changed: readonly number[]): FilterIndex {
  const n = rows.length;
  const from = prev.rows.length;
  // The earlier index's arrays are written in place while they have room, and grow by doubling: copying
  // every code at every commit was itself the biggest cost of a streamed load.
  const grow = <A extends Int32Array | Uint8Array>(a: A, make: (len: number) => A): A => {
    if (a.length >= n) return a;
    const out = make(Math.max(n, a.length * 2));
    out.set(a.subarray(0, from));
    return out;
  };
  const codes = prev.codes.map((a) => grow(a, (len) => new Int32Array(len)));
  const staleBits = grow(prev.staleBits, (len) => new Uint8Array(len));
  const encodeRow = rowEncoder(prev.dicts, codes, staleBits, prev.ctx);
  const encode = (i: number): void => encodeRow(rows[i], i);
  const replaced = changed.filter((i) => i < from && i < n);
  const all = carriedCounts(prev);
  if (all) for (const i of replaced) countRow(all, codes, staleBits, i, -1);
  for (const i of replaced) encode(i);
  for (let i = from; i < n; i++) encode(i);
  // Search text depends on the assignment's own fields only: a changed user leaves it as it was. Complete
  // haystacks stay complete; a part built ahead (prepareSearch) is carried as it is.
  let haystacks: string[] | null = null;
  if (prev.haystacks) {
    haystacks = prev.haystacks.slice(0, n);
    if (haystacks.length === from) for (let i = from; i < n; i++) haystacks.push(searchHaystack(rows[i]));
  }
  const next: FilterIndex = { rows, ctx: prev.ctx, codes, dicts: prev.dicts, staleBits, haystacks, grams: haystacks ? prev.grams : null, searchCache: null };
  addGrams(next);
  if (all) {
    for (const i of replaced) countRow(all, codes, staleBits, i, 1);
    for (let i = from; i < n; i++) countRow(all, codes, staleBits, i, 1);
    // No keyed values (see carriedCounts): every new row has code 0 in each keyed facet.
    for (let k = 0; k < KEYED_FACETS.length; k++) all.counts[SINGLE.length + k][0] += n - from;
    allCountsCache.set(next, all);
  }
  return next;
}

/**
 * A copy of `prev`'s every-row counts (allCounts), for the index that extends it to update by the rows that
 * changed: while 100,000 rows stream in, counting every row again at each commit was a pass over them all per
 * commit. Only when no keyed values are set (none are while a list loads): the keyed codes of new rows are not
 * known here.
 */
function carriedCounts(prev: FilterIndex): AllCounts | null {
  const last = allCountsCache.get(prev);
  if (!last || last.keyed.some((m) => m !== undefined && m.size > 0)) return null;
  return { keyed: last.keyed, counts: last.counts.map((c) => c.slice()), stale: last.stale.slice() };
}

/** Adds (1) or takes off (-1) row i's values in every single-valued facet and its stale bits (a new value: its count grows). */
function countRow(all: AllCounts, codes: readonly Int32Array[], staleBits: Uint8Array, i: number, sign: 1 | -1): void {
  for (let f = 0; f < codes.length; f++) {
    const c = codes[f][i];
    if (c >= all.counts[f].length) {
      const out = new Uint32Array(c * 2 + 16);
      out.set(all.counts[f]);
      all.counts[f] = out;
    }
    all.counts[f][c] += sign;
  }
  for (let b = 0, v = staleBits[i]; v !== 0; b++, v >>>= 1) if (v & 1) all.stale[b] += sign;
}

// ---------------------------------------------------------------- filtering

/**
 * Recent searches on one index, most recent last. Typing narrows (a longer query re-tests only the rows of a
 * query it contains) and erasing goes back through queries already answered, so neither scans every row
 * again. Bounded by the matches it holds, not by the number of queries.
 */
export interface SearchCache {
  entries: SearchAnswer[];
  held: number;
}

interface SearchAnswer {
  query: string;
  matches: Int32Array;
  /** where each matching row's search text first holds the query (null when the grams answered without reading) */
  at: Int32Array | null;
}

/** A narrower query reads the rows of an earlier answer this small without asking the grams first. */
const FEW_TO_READ = 2_000;

/** At most this many matching rows are kept across the cached searches (8 bytes each: the row and where it matches). */
export const SEARCH_CACHE_MAX_HELD = 1_000_000;

/** Row indices matching the search, from the recent searches where one answers it or narrows it. */
function searchMatches(index: FilterIndex, query: string): Int32Array | null {
  if (query === '') return null;
  const cache = (index.searchCache ??= { entries: [], held: 0 });
  const hit = cache.entries.findIndex((e) => e.query === query);
  if (hit >= 0) {
    const [entry] = cache.entries.splice(hit, 1);
    cache.entries.push(entry);
    return entry.matches;
  }
  prepareSearch(index);
  const answer = rowsContaining(index, query, cache);
  cache.entries.push(answer);
  cache.held += answer.matches.length;
  while (cache.held > SEARCH_CACHE_MAX_HELD && cache.entries.length > 1) cache.held -= cache.entries.shift()!.matches.length;
  return answer.matches;
}

/** The rows whose search text contains `query`, reading as few of them as the answers kept and the grams allow. */
function rowsContaining(index: FilterIndex, query: string, cache: SearchCache): SearchAnswer {
  const hay = index.haystacks!;
  // Every row containing `query` also contains any query it contains: re-test the smallest such answer (of
  // equal ones the longest query, which can be checked where it matched, see below).
  let base: SearchAnswer | null = null;
  for (const e of cache.entries) {
    if (!query.includes(e.query)) continue;
    if (!base || e.matches.length < base.matches.length || (e.matches.length === base.matches.length && e.query.length > base.query.length)) base = e;
  }
  // Where the rows of a kept answer that this query starts with matched: each is checked there (below).
  const keptAt = base && query.startsWith(base.query) ? base.at : null;
  // Or the rows that hold each of its pairs of characters, when fewer: exactly its rows for one or two characters.
  const held = keptAt || (base && base.matches.length <= FEW_TO_READ) ? null : index.grams!.candidates(query, hay.length);
  if (held && (!base || held.length <= base.matches.length)) {
    if (query.length <= 2) return { query, matches: held, at: null };
    base = { query: '', matches: held, at: null };
  }
  const rows = base?.matches ?? null;
  const total = rows ? rows.length : hay.length;
  const matches = new Int32Array(total);
  const at = new Int32Array(total);
  let count = 0;
  if (keptAt) {
    // A letter typed after an answered query (say "contos" to "contoso", which most rows hold): each row is
    // checked where it first held the shorter query, one character when one was typed, instead of searched
    // again; only a row whose first occurrence does not go on is searched past it.
    const len = base!.query.length;
    const typed = query.length === len + 1 ? query.charCodeAt(len) : -1;
    for (let k = 0; k < total; k++) {
      const i = rows![k];
      const text = hay[i];
      const p = keptAt[k];
      const hit = (typed >= 0 ? text.charCodeAt(p + len) === typed : text.startsWith(query, p)) ? p : text.indexOf(query, p + 1);
      if (hit >= 0) {
        matches[count] = i;
        at[count++] = hit;
      }
    }
  } else {
    for (let k = 0; k < total; k++) {
      const i = rows ? rows[k] : k;
      const hit = hay[i].indexOf(query);
      if (hit >= 0) {
        matches[count] = i;
        at[count++] = hit;
      }
    }
  }
  return { query, matches: matches.slice(0, count), at: at.slice(0, count) };
}

/** Per index and keyed facet: the last map seen and the value code of each row under it. */
const keyedCodeCache = new WeakMap<FilterIndex, Partial<Record<KeyedFacetId, { map: ReadonlyMap<string, string> | undefined; codes: Int32Array }>>>();

function keyedCodes(index: FilterIndex, id: KeyedFacetId, map: ReadonlyMap<string, string> | undefined): Int32Array {
  let perIndex = keyedCodeCache.get(index);
  if (!perIndex) keyedCodeCache.set(index, (perIndex = {}));
  const hit = perIndex[id];
  if (hit && hit.map === map) return hit.codes;
  const codes = new Int32Array(index.rows.length);
  if (map && map.size > 0) {
    const known = KEYED_VALUES[id];
    for (let i = 0; i < index.rows.length; i++) {
      const v = map.get(index.rows[i].id);
      const c = v === undefined ? 0 : known.indexOf(v);
      codes[i] = c < 0 ? 0 : c;
    }
  }
  perIndex[id] = { map, codes };
  return codes;
}

/** Per index: each row's position by assignment id (built once, for keyed values that change a few rows at a time). */
const positionCache = new WeakMap<FilterIndex, Map<string, number>>();

/**
 * `next` is `prev` with only the values of `changedIds` changed (a bulk review decision): the codes kept for
 * `prev` are updated for those rows and kept for `next`, so the next filter run does not re-read every row.
 * Does nothing when `prev` is not the map last seen for this index (the next run reads every row then).
 */
export function patchKeyedCodes(
  index: FilterIndex,
  id: KeyedFacetId,
  prev: ReadonlyMap<string, string> | undefined,
  next: ReadonlyMap<string, string>,
  changedIds: readonly string[],
  /** the one value every changed row now has (null: none), when that is so */
  value?: string | null,
): void {
  const hit = keyedCodeCache.get(index)?.[id];
  if (!hit || hit.map !== prev) return;
  let pos = positionCache.get(index);
  if (!pos) {
    pos = new Map();
    for (let i = 0; i < index.rows.length; i++) pos.set(index.rows[i].id, i);
    positionCache.set(index, pos);
  }
  const known = KEYED_VALUES[id];
  const codeOf = (v: string | undefined): number => {
    const c = v === undefined ? 0 : known.indexOf(v);
    return c < 0 ? 0 : c;
  };
  // A bulk decision gives every row the same value: its code is looked up once.
  const same = value === undefined ? -1 : codeOf(value ?? undefined);
  for (const rowId of changedIds) {
    const i = pos.get(rowId);
    if (i === undefined) continue;
    hit.codes[i] = same >= 0 ? same : codeOf(next.get(rowId));
  }
  hit.map = next;
}

export function runFilter(index: FilterIndex, state: FilterState, keyed: KeyedValues = {}): FilterResult {
  const { rows } = index;
  const query = normaliseQuery(state.search);
  const candidates = searchMatches(index, query);

  // Single-valued facets: the index's own, then the keyed ones (codes into KEYED_VALUES).
  const ids: readonly Exclude<FacetId, 'stale'>[] = [...SINGLE, ...KEYED_FACETS];
  const codes = [...index.codes, ...KEYED_FACETS.map((id) => keyedCodes(index, id, keyed[id]))];
  const valueLists: readonly (readonly string[])[] = [...index.dicts.map((d) => d.values), ...KEYED_FACETS.map((id) => KEYED_VALUES[id])];
  const lookup = (f: number, v: string): number | undefined => {
    if (f < SINGLE.length) return index.dicts[f].lookup(v);
    const c = valueLists[f].indexOf(v);
    return c < 0 ? undefined : c;
  };

  // Compile the selections: per active single facet a mask over its codes; the stale facet a bit mask.
  const activeFacet: number[] = [];
  const activeMask: Uint8Array[] = [];
  ids.forEach((id, f) => {
    const selected = state.facets[id];
    if (!selected?.length) return;
    const mask = new Uint8Array(valueLists[f].length);
    for (const v of selected) {
      const c = lookup(f, v);
      if (c !== undefined) mask[c] = 1;
    }
    activeFacet.push(f);
    activeMask.push(mask);
  });
  let staleSel = 0;
  for (const v of state.facets.stale ?? []) staleSel |= STALE_BIT[v] ?? 0;
  const staleActive = (state.facets.stale?.length ?? 0) > 0;

  const counts = ids.map((_, f) => new Uint32Array(valueLists[f].length));
  const staleCounts = new Uint32Array(STALE_VALUES.length);
  let shown: ViewRow[] = [];
  const total = candidates ? candidates.length : rows.length;

  if (activeFacet.length === 0 && !staleActive) {
    // The common keystroke: no facet ticked, so every candidate is shown.
    countAllShown(index, keyed, codes, counts, staleCounts, candidates);
    if (candidates) {
      shown = new Array<ViewRow>(total);
      for (let k = 0; k < total; k++) shown[k] = rows[candidates[k]];
    } else shown = rows.slice();
  } else {
    // Ticked values: per active facet the set of rows with a ticked value, then every count from the sets'
    // intersections, 32 rows a word (core/row-bits).
    const n = rows.length;
    const sets = ids.map((_, f) => valueSets(index, f, codes[f], valueLists[f].length, f < SINGLE.length ? undefined : keyed[KEYED_FACETS[f - SINGLE.length]]));
    const reasons = staleSets(index);
    const ticked = activeFacet.map((f, a) => {
      const byValue = sets[f];
      if (!byValue) return rowsWithCodes(codes[f], n, activeMask[a]);
      const out = new Uint32Array(wordsFor(n));
      activeMask[a].forEach((on, c) => on && orInto(out, byValue[c]));
      return out;
    });
    if (staleActive) {
      const out = new Uint32Array(wordsFor(n));
      reasons.forEach((r, b) => staleSel & (1 << b) && orInto(out, r));
      ticked.push(out);
    }
    // A facet's counts are over the rows every other facet (and the search) lets through.
    const { all: pass, allBut } = intersections(candidates ? rowsOf(candidates, n) : allRows(n), ticked);
    ids.forEach((_, f) => {
      const a = activeFacet.indexOf(f);
      const within = a < 0 ? pass : allBut[a];
      const byValue = sets[f];
      if (byValue) byValue.forEach((rowsWith, c) => (counts[f][c] = countBoth(rowsWith, within)));
      else countCodes(codes[f], within, counts[f]);
    });
    const staleWithin = staleActive ? allBut[ticked.length - 1] : pass;
    reasons.forEach((r, b) => (staleCounts[b] = countBoth(r, staleWithin)));
    shown = pick(rows, pass);
  }

  const out = {} as FacetCounts;
  ids.forEach((id, f) => {
    const rec: Record<string, number> = {};
    valueLists[f].forEach((v, c) => (rec[v] = counts[f][c]));
    out[id] = rec;
  });
  const staleRec: Record<string, number> = {};
  STALE_VALUES.forEach((v, b) => (staleRec[v] = staleCounts[b]));
  out.stale = staleRec;
  // A selected value absent from the data still gets a (zero) count, so the panel can show it ticked.
  for (const id of FACET_IDS) for (const v of state.facets[id] ?? []) out[id][v] ??= 0;
  return { rows: shown, counts: out };
}

/**
 * How many shown rows have one of `values` in `facet`, read from a filter run's counts instead of a pass over
 * the shown rows: with no selection in that facet, a value's count is exactly its shown rows; with one, only
 * the selected values are shown. (Not for the stale facet, whose rows can carry several values.)
 */
export function shownWithValues(result: Pick<FilterResult, 'counts'>, filter: FilterState, facet: Exclude<FacetId, 'stale'>, values: Iterable<string>): number {
  const selected = filter.facets[facet];
  let n = 0;
  for (const v of values) if (!selected?.length || selected.includes(v)) n += result.counts[facet]?.[v] ?? 0;
  return n;
}

/** The facet counts of every row of an index, for the keyed values (review decisions, changes) they were made with. */
interface AllCounts {
  keyed: ReadonlyArray<ReadonlyMap<string, string> | undefined>;
  /** per facet (single-valued, then keyed) the rows with each code; may be longer than the facet's values */
  counts: Uint32Array[];
  stale: Uint32Array;
}

/** Per index: every row's counts (see AllCounts), counted once or carried from the index it extends. */
const allCountsCache = new WeakMap<FilterIndex, AllCounts>();

/**
 * Per index: for each facet column, the rows with each value (built by the first tick that needs them), with the
 * codes and keyed map they were built from; and the rows with each stale reason.
 */
const setsCache = new WeakMap<FilterIndex, { columns: Array<{ codes: Int32Array; map: unknown; sets: RowBits[] } | null>; stale: RowBits[] | null }>();

/** A column with more values than this is read row by row: a set per value would cost more than it saves. */
const MAX_VALUE_SETS = 128;

function setsOf(index: FilterIndex): { columns: Array<{ codes: Int32Array; map: unknown; sets: RowBits[] } | null>; stale: RowBits[] | null } {
  let c = setsCache.get(index);
  if (!c) setsCache.set(index, (c = { columns: [], stale: null }));
  return c;
}

/** Column f's rows per value code, or null when it has too many values (see MAX_VALUE_SETS). */
function valueSets(index: FilterIndex, f: number, codes: Int32Array, values: number, keyedMap: unknown): RowBits[] | null {
  if (values > MAX_VALUE_SETS) return null;
  const cache = setsOf(index);
  const hit = cache.columns[f];
  // Keyed codes are patched in place (patchKeyedCodes) with a new map: the map tells a set is out of date.
  if (hit && hit.codes === codes && hit.map === keyedMap && hit.sets.length === values) return hit.sets;
  const sets = rowsByCode(codes, index.rows.length, values);
  cache.columns[f] = { codes, map: keyedMap, sets };
  return sets;
}

function staleSets(index: FilterIndex): RowBits[] {
  const cache = setsOf(index);
  return (cache.stale ??= rowsByBit(index.staleBits, index.rows.length, STALE_VALUES.length));
}

/** The facet counts of every row of the index (counted once per index and keyed values). */
function allCounts(index: FilterIndex, keyed: KeyedValues, codes: readonly Int32Array[], shape: readonly Uint32Array[], staleShape: Uint32Array): AllCounts {
  const keyedNow = KEYED_FACETS.map((id) => keyed[id]);
  let all = allCountsCache.get(index);
  if (!all || all.keyed.some((m, k) => m !== keyedNow[k])) {
    const fresh = shape.map((c) => new Uint32Array(c.length));
    const stale = new Uint32Array(staleShape.length);
    countColumns(codes, fresh, index.staleBits, stale, null, index.rows.length);
    allCountsCache.set(index, (all = { keyed: keyedNow, counts: fresh, stale }));
  }
  return all;
}

/**
 * Facet counts when every candidate is shown. Without a search they are the same on every run: counted once
 * per index (and keyed values). A search that keeps more than half the rows (a first letter) subtracts the
 * rows it drops from those instead of counting the rows it keeps.
 */
function countAllShown(
  index: FilterIndex,
  keyed: KeyedValues,
  codes: readonly Int32Array[],
  counts: Uint32Array[],
  staleCounts: Uint32Array,
  candidates: Int32Array | null,
): void {
  const n = index.rows.length;
  if (candidates && candidates.length <= n / 2) {
    countColumns(codes, counts, index.staleBits, staleCounts, candidates, candidates.length);
    return;
  }
  const all = allCounts(index, keyed, codes, counts, staleCounts);
  counts.forEach((c, f) => c.set(all.counts[f].subarray(0, c.length)));
  staleCounts.set(all.stale);
  if (!candidates) return;
  // Walk the rows the search dropped (the gaps between the sorted candidates) and take them off.
  const staleBits = index.staleBits;
  const dropped = new Uint32Array(256);
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (c < candidates.length && candidates[c] === i) {
      c++;
      continue;
    }
    for (let f = 0; f < codes.length; f++) counts[f][codes[f][i]]--;
    dropped[staleBits[i]]++;
  }
  addStaleHistogram(staleCounts, dropped, -1);
}

/** Facet counts of rows that all pass: per column, then the stale bits through a histogram of bit sets. */
function countColumns(codes: readonly Int32Array[], counts: Uint32Array[], staleBits: Uint8Array, staleCounts: Uint32Array, candidates: Int32Array | null, total: number): void {
  for (let f = 0; f < codes.length; f++) {
    const col = codes[f];
    const cnt = counts[f];
    if (candidates) for (let k = 0; k < total; k++) cnt[col[candidates[k]]]++;
    else for (let k = 0; k < total; k++) cnt[col[k]]++;
  }
  const sets = new Uint32Array(256);
  if (candidates) for (let k = 0; k < total; k++) sets[staleBits[candidates[k]]]++;
  else for (let k = 0; k < total; k++) sets[staleBits[k]]++;
  addStaleHistogram(staleCounts, sets, 1);
}

/** Adds (sign 1) or takes off (sign -1) rows counted by their set of stale bits: `hist[bits]` rows each. */
function addStaleHistogram(staleCounts: Uint32Array, hist: Uint32Array, sign: 1 | -1): void {
  for (let bits = 1; bits < 256; bits++) {
    const k = hist[bits];
    if (k === 0) continue;
    for (let b = 0, v = bits; v !== 0; b++, v >>>= 1) if (v & 1) staleCounts[b] += sign * k;
  }
}

// ---------------------------------------------------------------- values and labels

const KNOWN_STATES = ['delivered', 'partiallydelivered', 'delivering', 'deliveryfailed', 'expired'];

/** Known values first (in `rank` order), then the rest by label, then the "empty" value last. */
function ordered(values: FacetValue[], rank: (v: FacetValue) => number, emptyValue: string): FacetValue[] {
  return [...values].sort((a, b) => {
    const ea = a.value === emptyValue ? 1 : 0;
    const eb = b.value === emptyValue ? 1 : 0;
    if (ea !== eb) return ea - eb;
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra - rb;
    return compareText(a.label, b.label) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  });
}

/**
 * Every facet's values with labels, in a stable order: fixed facets in their fixed order (all values, even
 * those no row has), data-driven facets (state, policy, connected organisation) with the values present.
 */
export function facetValues(index: FilterIndex, keyed: KeyedValues = {}): FacetValues {
  const list = (f: number): FacetValue[] => index.dicts[f].values.map((value, c) => ({ value, label: index.dicts[f].labels[c] }));
  const stateRank = (v: FacetValue): number => {
    const r = KNOWN_STATES.indexOf(v.value.toLowerCase());
    return r === -1 ? KNOWN_STATES.length : r;
  };
  return {
    state: ordered(list(0), stateRank, ''),
    policy: ordered(list(1), () => 0, ''),
    kind: list(2),
    account: list(3),
    signIn: list(4),
    expiry: list(5),
    connectedOrg: ordered(list(6), () => 0, NO_CONNECTED_ORG),
    stale: STALE_VALUES.map((value) => ({ value, label: STALE_LABELS[value] })),
    access: list(7),
    decision: keyed.decision ? DECISION_VALUES.map((value) => ({ value, label: KEYED_LABELS[value] })) : [],
    change: keyed.change ? CHANGE_VALUES.map((value) => ({ value, label: KEYED_LABELS[value] })) : [],
  };
}

/**
 * Human text of a filter, e.g. `state: delivered, expired; policy: Sales; search "anna"`, used in the
 * removal confirmation. Values are shown by label where `labels` knows them, else verbatim.
 */
export function describeFilter(f: FilterState, labels?: Partial<FacetValues>): string {
  const parts: string[] = [];
  for (const id of FACET_IDS) {
    const selected = f.facets[id];
    if (!selected?.length) continue;
    const known = new Map((labels?.[id] ?? []).map((v) => [v.value, v.label]));
    const shown = selected.map((v) => known.get(v) ?? (v === '' ? '(none)' : v));
    parts.push(`${FACET_LABELS[id]}: ${shown.join(', ')}`);
  }
  if (f.search !== '') parts.push(`search ${JSON.stringify(f.search)}`);
  return parts.length ? parts.join('; ') : 'no filter (all rows)';
}

// ---------------------------------------------------------------- serialisation (URL-safe)

const MAX_SERIALISED = 16_384;
const MAX_SEARCH = 1_000;
const MAX_VALUES = 1_000;

/** A short URL-safe form of a filter: base64url of compact JSON `{v:1,s?,f?}`. */
export function serializeFilter(f: FilterState): string {
  const compact: { v: 1; s?: string; f?: Partial<Record<FacetId, string[]>> } = { v: 1 };
  if (f.search !== '') compact.s = f.search;
  const facets: Partial<Record<FacetId, string[]>> = {};
  for (const id of FACET_IDS) if (f.facets[id]?.length) facets[id] = [...new Set(f.facets[id])];
  if (Object.keys(facets).length) compact.f = facets;
  return toBase64Url(new TextEncoder().encode(JSON.stringify(compact)));
}

/**
 * The filter a serialised string names, or null for anything that is not exactly a filter we wrote
 * (unknown facets are refused rather than dropped: a silently widened filter could widen a removal).
 */
export function parseFilter(s: string): FilterState | null {
  if (typeof s !== 'string' || s === '' || s.length > MAX_SERIALISED) return null;
  const bytes = fromBase64Url(s);
  if (!bytes) return null;
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const { v, s: search = '', f: facets = {}, ...rest } = data as Record<string, unknown>;
  if (v !== 1 || Object.keys(rest).length) return null;
  if (typeof search !== 'string' || search.length > MAX_SEARCH) return null;
  if (typeof facets !== 'object' || facets === null || Array.isArray(facets)) return null;
  const out: FilterState = { search, facets: {} };
  for (const [key, values] of Object.entries(facets as Record<string, unknown>)) {
    if (!(FACET_IDS as readonly string[]).includes(key)) return null;
    if (!Array.isArray(values) || values.length > MAX_VALUES) return null;
    if (!values.every((x): x is string => typeof x === 'string' && x.length <= MAX_SEARCH)) return null;
    if (values.length) out.facets[key as FacetId] = [...new Set(values)];
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Map([...B64].map((ch, i) => [ch, i]));

function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let c = 0; c < chars; c++) out += B64[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

function fromBase64Url(s: string): Uint8Array | null {
  if (s.length % 4 === 1) return null;
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of s) {
    const v = B64_INDEX.get(ch);
    if (v === undefined) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 255);
    }
    acc &= (1 << bits) - 1;
  }
  // Leftover bits must be zero padding, else this is not canonical base64url.
  if (acc !== 0) return null;
  return Uint8Array.from(bytes);
}
