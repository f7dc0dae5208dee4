// The admin center's words for Graph's values, with Graph's value kept for the tooltip.
import { localDateTime, utcDateTime } from '../../../src/core/local-dates';
import { ageOf, facetValueKey, humanise, stateKey, statusKey, subjectTypeKey, userTypeKey } from '../../../src/core/portal-words';
import { agoText, cellWords, deliveryStateText, facetValueText, stateText, statusText, subjectTypeText, userTypeText } from '../../../src/panel/words';
import { viewRow } from '../core/fixtures';

describe('portal words', () => {
  test('every assignment state the v1.0 schema lists (but unknownFutureValue) has the portal word', () => {
    expect(['delivered', 'delivering', 'partiallyDelivered', 'deliveryFailed', 'expired'].map(stateText)).toEqual([
      'Delivered',
      'Delivering',
      'Partially delivered',
      'Delivery failed',
      'Expired',
    ]);
    // The documented samples also use PascalCase: the same word.
    expect(stateText('PartiallyDelivered')).toBe('Partially delivered');
    expect(stateKey('unknownFutureValue')).toBeNull();
  });

  test('subject type, user type and documented statuses read as the portal says them', () => {
    expect(subjectTypeText('servicePrincipal')).toBe('Service principal');
    expect(subjectTypeText('user')).toBe('User');
    expect(userTypeText('Guest')).toBe('Guest');
    expect(userTypeText('Member')).toBe('Member');
    expect(statusText('NearExpiry1DayNotificationTriggered')).toBe('Expires within a day, user notified');
    expect(statusText('Delivered')).toBe('Delivered');
    expect([statusKey('Delivered'), subjectTypeKey('USER'), userTypeKey('guest')].every((k) => k !== null)).toBe(true);
  });

  test('a value no table knows is humanised, never shown as a bare enum word and never empty', () => {
    expect(humanise('NearExpiry7DaysNotificationTriggered')).toBe('Near expiry 7 days notification triggered');
    expect(humanise('unknownFutureValue')).toBe('Unknown future value');
    expect(stateText('somethingNew')).toBe('Something new');
    expect(stateText('')).toBe('');
  });

  test('filter values use the same words; data-driven labels stay as they are', () => {
    expect(facetValueText('kind', 'servicePrincipal', '')).toBe('Service principal');
    expect(facetValueText('stale', 'never-signed-in', '')).toBe('Never signed in');
    expect(facetValueText('state', 'deliveryFailed', 'deliveryFailed')).toBe('Delivery failed');
    expect(facetValueText('policy', 'p1', 'Sales team')).toBe('Sales team');
    expect(facetValueKey('account', 'not-in-directory')).not.toBeNull();
  });

  test('a cell shows the word and keeps Graph value in its tooltip', () => {
    const row = viewRow({ state: 'partiallyDelivered', subjectType: 'servicePrincipal' });
    expect(cellWords('state', row)).toEqual({ text: 'Partially delivered', title: 'Partially delivered (Graph: partiallyDelivered)' });
    expect(cellWords('subjectType', row).title).toContain('servicePrincipal');
  });

  test('dates in the given locale and time zone, the UTC instant for the tooltip', () => {
    const iso = '2026-03-01T23:30:00Z';
    expect(localDateTime(iso, 'en-US', 'America/New_York')).toBe('Mar 1, 2026, 6:30 PM');
    expect(localDateTime(iso, 'de-DE', 'Europe/Berlin')).toBe('02.03.2026, 00:30');
    expect(utcDateTime(iso)).toBe('2026-03-01 23:30:00 UTC');
    expect(localDateTime(null, 'en-US')).toBe('');
    expect(cellWords('start', viewRow({ start: iso })).title).toBe('2026-03-01 23:30:00 UTC');
  });

  test('a delivery badge does not repeat the word: "Delivery: failed"', () => {
    expect(deliveryStateText('deliveryFailed')).toBe('failed');
    expect(deliveryStateText('partiallyDelivered')).toBe('partially delivered');
    expect(deliveryStateText('somethingNew')).toBe('Something new');
  });

  test('ages in words with plural forms', () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    expect(ageOf('2026-03-07T12:00:00Z', now)).toEqual({ unit: 'day', count: 3 });
    expect(agoText('2026-03-07T12:00:00Z', now)).toBe('3 days ago');
    expect(agoText('2026-03-10T11:59:00Z', now)).toBe('1 minute ago');
    expect(agoText('2026-03-10T12:00:00Z', now)).toBe('just now');
    expect(agoText(null, now)).toBe('');
  });
});
