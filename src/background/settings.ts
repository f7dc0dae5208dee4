// Settings as the worker sees them: local settings with the enterprise policy's managed fields on top.
// Read once and kept until storage says they changed: every Graph page asks for a token, and the token
// manager needs the settings each time.
import browser from 'webextension-polyfill';
import { effectiveSettings } from '../core/settings';
import type { Settings } from '../core/model';

let current: Promise<Settings> | null = null;

async function load(): Promise<Settings> {
  const local = (await browser.storage.local.get('settings')).settings;
  // storage.managed throws where no policy schema/manager exists (e.g. Firefox without a policy).
  const managed = await browser.storage.managed.get().catch(() => ({}));
  return effectiveSettings(local, managed);
}

export function readSettings(): Promise<Settings> {
  current ??= load().catch((e: unknown) => {
    current = null; // a failed read is not kept
    throw e;
  });
  return current;
}

/** Called when local or managed `settings` changed. */
export function forgetSettings(): void {
  current = null;
}
