// Settings as the worker sees them: local settings with the enterprise policy's managed fields on top.
import browser from 'webextension-polyfill';
import { effectiveSettings } from '../core/settings';
import type { Settings } from '../core/model';

export async function readSettings(): Promise<Settings> {
  const local = (await browser.storage.local.get('settings')).settings;
  // storage.managed throws where no policy schema/manager exists (e.g. Firefox without a policy).
  const managed = await browser.storage.managed.get().catch(() => ({}));
  return effectiveSettings(local, managed);
}
