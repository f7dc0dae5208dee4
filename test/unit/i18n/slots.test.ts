// tSlots cuts a message at its `{name}` slots so markup can sit inside translated text (the options page).
import { setLookup, t, tSlots } from '../../../src/core/i18n';

describe('tSlots', () => {
  afterAll(() => setLookup(() => ''));

  it('gives the text around each slot and the slots in order, and t() fills the same slots', () => {
    const messages: Record<string, string> = { k: 'Open {path} then {step}.', edge: '{a}{b}', plain: 'No slots' };
    setLookup((key) => messages[key] ?? '');
    expect(tSlots('k')).toEqual(['Open ', { slot: 'path' }, ' then ', { slot: 'step' }, '.']);
    expect(tSlots('edge')).toEqual([{ slot: 'a' }, { slot: 'b' }]);
    expect(tSlots('plain')).toEqual(['No slots']);
    expect(t('k', { path: 'X', step: 'Y' })).toBe('Open X then Y.');
  });
});
