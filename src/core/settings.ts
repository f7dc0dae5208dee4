// The contract's `settings` object: defaults, validation, and enterprise (managed) overrides.
import { CLOUD_IDS } from './clouds';
import { t } from './i18n';
import type { Cloud, Settings } from './model';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  clientId: '',
  tenantId: 'organizations',
  cloud: 'global',
  staleAfterDays: 90,
});

export const SETTINGS_KEYS: readonly (keyof Settings)[] = ['clientId', 'tenantId', 'cloud', 'staleAfterDays'];

export type SettingsErrors = Partial<Record<keyof Settings, string>>;

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A DNS name of at least two labels: letters, digits, hyphens (not at a label's ends); TLD alphabetic or IDN.
const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;

type Check<T> = { ok: true; value: T } | { ok: false; error: string };

/** Each field's rule; a valid value is returned normalised (trimmed, GUIDs and domains lower-cased). */
const CHECKS: { [K in keyof Settings]: (v: unknown) => Check<Settings[K]> } = {
  clientId(v) {
    const s = typeof v === 'string' ? v.trim() : '';
    if (GUID_RE.test(s)) return { ok: true, value: s.toLowerCase() };
    return {
      ok: false,
      error: t(s === '' ? 'settings_error_clientIdEmpty' : 'settings_error_clientId'),
    };
  },
  tenantId(v) {
    const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
    if (s === 'organizations' || GUID_RE.test(s) || DOMAIN_RE.test(s)) return { ok: true, value: s };
    if (s === 'common' || s === 'consumers') {
      return { ok: false, error: t('settings_error_tenantUnsupported', { value: s }) };
    }
    return { ok: false, error: t('settings_error_tenant') };
  },
  cloud(v) {
    return typeof v === 'string' && (CLOUD_IDS as string[]).includes(v)
      ? { ok: true, value: v as Cloud }
      : { ok: false, error: t('settings_error_cloud', { clouds: CLOUD_IDS.join(', ') }) };
  },
  staleAfterDays(v) {
    return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 3650
      ? { ok: true, value: v }
      : { ok: false, error: t('settings_error_days') };
  },
};

function checkField<K extends keyof Settings>(key: K, v: unknown): Check<Settings[K]> {
  return CHECKS[key](v) as Check<Settings[K]>;
}

/** Validates `v` for `key` and stores it in `into` when valid; returns the error otherwise. */
function apply<K extends keyof Settings>(into: Settings, key: K, v: unknown): string | null {
  const result = checkField(key, v);
  if (!result.ok) return result.error;
  into[key] = result.value;
  return null;
}

const fields = (input: unknown): Record<string, unknown> =>
  typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};

/**
 * Settings from anything stored: each valid field is kept (normalised), each invalid or missing one falls
 * back to its default. `errors` names the invalid fields — and an empty clientId, which leaves the
 * extension unconfigured.
 */
export function validateSettings(input: unknown): { settings: Settings; errors: SettingsErrors } {
  const src = fields(input);
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const errors: SettingsErrors = {};
  for (const key of SETTINGS_KEYS) {
    const error = apply(settings, key, src[key]);
    if (error !== null && (src[key] !== undefined || key === 'clientId')) errors[key] = error;
  }
  return { settings, errors };
}

/** The fields that enterprise policy sets validly (the options page shows them as locked). */
export function managedFields(managed: unknown): (keyof Settings)[] {
  const src = fields(managed);
  return SETTINGS_KEYS.filter((key) => src[key] !== undefined && checkField(key, src[key]).ok);
}

/** Local settings with every valid managed field on top (contract: managed overrides local). */
export function effectiveSettings(local: unknown, managed: unknown): Settings {
  const { settings } = validateSettings(local);
  const src = fields(managed);
  for (const key of managedFields(managed)) apply(settings, key, src[key]);
  return settings;
}
