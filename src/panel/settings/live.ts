// Settings changed on the options page (or by policy) reach an open panel at once: the threshold re-marks the
// rows; a new app registration, tenant or cloud means a new sign-in and a new fetch, which the panel says and does.
import type { Settings } from '../../core/model';
import { settingsChange, type SettingsChange } from '../../core/settings-change';

export function watchSettings(
  initial: Settings,
  read: () => Promise<Settings>,
  onChange: (settings: Settings, change: SettingsChange) => void,
): () => void {
  let current = initial;
  const listener = (changes: Record<string, unknown>, area: string): void => {
    if (area !== 'managed' && !(area === 'local' && 'settings' in changes)) return;
    void read().then((next) => {
      const change = settingsChange(current, next);
      current = next;
      if (change.staleDays || change.reconnect) onChange(next, change);
    });
  };
  chrome.storage.onChanged.addListener(listener);
  return () => chrome.storage.onChanged.removeListener(listener);
}
