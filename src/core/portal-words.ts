// The admin center's own words for Graph's values: which message key names a state, a status, a subject type,
// a user type, an account condition or a filter value. Pure: it returns keys; the panel turns them into text
// (so a translation is one messages file) and keeps Graph's value in a tooltip. The CSV keeps Graph's values.
import type { FacetId } from './filters';

/** Graph's `state` (accessPackageAssignmentState, camelCase in v1.0) → key. Matched case-insensitively. */
const STATE_KEYS: Readonly<Record<string, string>> = {
  delivered: 'words_state_delivered',
  delivering: 'words_state_delivering',
  partiallydelivered: 'words_state_partiallyDelivered',
  deliveryfailed: 'words_state_deliveryFailed',
  expired: 'words_state_expired',
};

/**
 * Graph's `status` is free text (v1.0 documents Delivering, Delivered, NearExpiry1DayNotificationTriggered,
 * ExpiredNotificationTriggered as examples); the known ones get words, anything else is humanised.
 */
const STATUS_KEYS: Readonly<Record<string, string>> = {
  delivered: 'words_status_delivered',
  delivering: 'words_status_delivering',
  partiallydelivered: 'words_status_partiallyDelivered',
  deliveryfailed: 'words_status_deliveryFailed',
  expired: 'words_status_expired',
  expirednotificationtriggered: 'words_status_expiredNotified',
  nearexpiry1daynotificationtriggered: 'words_status_nearExpiry1Day',
  pendingapproval: 'words_status_pendingApproval',
  pendingdelivery: 'words_status_pendingDelivery',
};

const SUBJECT_TYPE_KEYS: Readonly<Record<string, string>> = {
  user: 'words_subject_user',
  serviceprincipal: 'words_subject_servicePrincipal',
  notspecified: 'words_subject_notSpecified',
};

const USER_TYPE_KEYS: Readonly<Record<string, string>> = {
  member: 'words_userType_member',
  guest: 'words_userType_guest',
};

/** Filter values of the fixed facets (src/core/filters) and the stale reasons. */
const FACET_VALUE_KEYS: Readonly<Partial<Record<FacetId, Readonly<Record<string, string>>>>> = {
  kind: { member: 'words_userType_member', guest: 'words_userType_guest', servicePrincipal: 'words_subject_servicePrincipal', other: 'words_kind_other' },
  account: {
    enabled: 'words_account_enabled',
    disabled: 'words_account_disabled',
    deleted: 'words_account_deleted',
    'not-in-directory': 'words_account_notInDirectory',
    unknown: 'words_account_unknown',
  },
  signIn: { recent: 'words_signIn_recent', stale: 'words_signIn_stale', never: 'words_signIn_never', unknown: 'words_signIn_unknown' },
  expiry: { expired: 'words_expiry_expired', soon: 'words_expiry_soon', later: 'words_expiry_later', none: 'words_expiry_none' },
  stale: {
    deleted: 'words_stale_deleted',
    disabled: 'words_stale_disabled',
    inactive: 'words_stale_inactive',
    'never-signed-in': 'words_stale_neverSignedIn',
    'invitation-pending': 'words_stale_invitationPending',
    'not-stale': 'words_stale_notStale',
  },
};

/** Facet names (filter bar headings). */
export const FACET_KEYS: Readonly<Record<FacetId, string>> = {
  state: 'words_facet_state',
  policy: 'words_facet_policy',
  kind: 'words_facet_kind',
  account: 'words_facet_account',
  signIn: 'words_facet_signIn',
  expiry: 'words_facet_expiry',
  connectedOrg: 'words_facet_connectedOrg',
  stale: 'words_facet_stale',
  access: 'words_facet_access',
  decision: 'words_facet_decision',
  change: 'words_facet_change',
};

const keyOf = (table: Readonly<Record<string, string>>, value: string | null | undefined): string | null =>
  value ? (table[value.toLowerCase()] ?? null) : null;

export const stateKey = (state: string | null | undefined): string | null => keyOf(STATE_KEYS, state);

/** A state after the word "Delivery:" on a badge ("Delivery: failed 3 days ago"), so the badge does not repeat it. */
const DELIVERY_KEYS: Readonly<Record<string, string>> = {
  delivered: 'words_delivery_delivered',
  delivering: 'words_delivery_delivering',
  partiallydelivered: 'words_delivery_partiallyDelivered',
  deliveryfailed: 'words_delivery_failed',
  expired: 'words_delivery_expired',
};
export const deliveryKey = (state: string | null | undefined): string | null => keyOf(DELIVERY_KEYS, state);
export const statusKey = (status: string | null | undefined): string | null => keyOf(STATUS_KEYS, status);
export const subjectTypeKey = (t: string | null | undefined): string | null => keyOf(SUBJECT_TYPE_KEYS, t);
export const userTypeKey = (t: string | null | undefined): string | null => keyOf(USER_TYPE_KEYS, t);

/** The key of a fixed facet value (null for data-driven facets: policy, connected organisation). */
export function facetValueKey(facet: FacetId, value: string): string | null {
  if (facet === 'state') return stateKey(value);
  return FACET_VALUE_KEYS[facet]?.[value] ?? null;
}

/**
 * A value no table knows (a newer Graph enum member, a free-text status) as readable words:
 * "NearExpiry7DaysNotificationTriggered" → "Near expiry 7 days notification triggered". Never empty when the
 * value is not.
 */
export function humanise(value: string): string {
  const words = value
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return value;
  const text = words.map((w, i) => (i > 0 && /^[A-Z][a-z]/.test(w) ? w.toLowerCase() : w)).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How long ago, in the unit a person would use: for "failed 3 days ago" (the panel words it). */
export type Age = { unit: 'now' } | { unit: 'minute' | 'hour' | 'day'; count: number };

export function ageOf(iso: string | null | undefined, now: number): Age | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return { unit: 'now' };
  const min = Math.round(s / 60);
  if (min < 60) return { unit: 'minute', count: min };
  const h = Math.round(min / 60);
  if (h < 36) return { unit: 'hour', count: h };
  return { unit: 'day', count: Math.round(h / 24) };
}
