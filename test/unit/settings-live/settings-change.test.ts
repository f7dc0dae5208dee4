// A settings change on the options page: what the open panel must do about it.
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { settingsChange } from '../../../src/core/settings-change';

describe('settingsChange', () => {
  const base = { ...DEFAULT_SETTINGS, clientId: '11111111-1111-1111-1111-111111111111' };
  test('the threshold alone re-marks rows without a new sign-in', () => {
    expect(settingsChange(base, { ...base, staleAfterDays: 30 })).toEqual({ staleDays: true, reconnect: false });
  });
  test('app registration, tenant or cloud need a new sign-in and fetch', () => {
    expect(settingsChange(base, { ...base, clientId: '22222222-2222-2222-2222-222222222222' }).reconnect).toBe(true);
    expect(settingsChange(base, { ...base, tenantId: 'contoso.com' }).reconnect).toBe(true);
    expect(settingsChange(base, { ...base, cloud: 'usgov' }).reconnect).toBe(true);
  });
  test('nothing that matters changed', () => {
    expect(settingsChange(base, { ...base })).toEqual({ staleDays: false, reconnect: false });
  });
});
