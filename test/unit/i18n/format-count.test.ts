import { formatCount, setLookup } from '../../../src/core/i18n';

describe('formatCount', () => {
  it('groups digits for the UI locale, and follows a change of locale', () => {
    setLookup(() => '', 'en');
    expect(formatCount(1234567)).toBe('1,234,567');
    setLookup(() => '', 'de');
    expect(formatCount(1234567)).toBe('1.234.567');
    setLookup(() => '', 'en');
    expect(formatCount(0)).toBe('0');
  });
});
