// What a settings change made on the options page means for a panel that is already open. Pure.
import type { Settings } from './model';

export interface SettingsChange {
  /** The stale threshold's default changed: re-mark the rows (no fetch needed). */
  staleDays: boolean;
  /** The app registration, tenant or cloud changed: the current sign-in is for another app, so sign in and fetch again. */
  reconnect: boolean;
}

export function settingsChange(before: Settings, after: Settings): SettingsChange {
  return {
    staleDays: before.staleAfterDays !== after.staleAfterDays,
    reconnect: before.clientId !== after.clientId || before.tenantId !== after.tenantId || before.cloud !== after.cloud,
  };
}
