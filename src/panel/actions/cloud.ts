// The configured cloud, for the scripts the panel copies (Connect-MgGraph -Environment, Graph host).
import type { Cloud } from '../../core/model';
import { effectiveSettings } from '../../core/settings';

/** Local settings with enterprise policy on top; 'global' where storage cannot be read (tests, errors). */
export function readCloud(): Promise<Cloud> {
  if (typeof chrome === 'undefined' || !chrome.storage?.local) return Promise.resolve('global');
  const local = new Promise<unknown>((resolve) => {
    try {
      chrome.storage.local.get('settings', (items) => resolve(chrome.runtime.lastError ? undefined : (items as Record<string, unknown>)?.settings));
    } catch {
      resolve(undefined);
    }
  });
  const managed = new Promise<unknown>((resolve) => {
    try {
      chrome.storage.managed.get(null, (items) => resolve(chrome.runtime.lastError ? {} : items));
    } catch {
      resolve({});
    }
  });
  return Promise.all([local, managed]).then(([l, m]) => effectiveSettings(l, m).cloud);
}
