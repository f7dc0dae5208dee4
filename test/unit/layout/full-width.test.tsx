/** @jest-environment jsdom */
// Full-width mode: the panel covers the page's width, and the choice is remembered with the width.
import type { HostLayout } from '../../../src/panel/mount';
import { layoutHost } from '../../../src/panel/mount';
import { parsePrefs } from '../../../src/panel/storage';
import { TESTIDS } from '../../../src/panel/testids';
import { loadEvents, rows } from '../panel/fixtures';
import { mountPanel, type Mounted } from '../panel/render';

let m: Mounted;
afterEach(() => m?.unmount());

test('the full-width button widens the host, is remembered, and docks again', async () => {
  const layouts: HostLayout[] = [];
  m = await mountPanel({ onLayout: (l) => layouts.push(l) });
  await m.send(...loadEvents('L1', rows(3)));
  const button = m.$(TESTIDS.fullWidth)!;
  expect(button.getAttribute('aria-pressed')).toBe('false');
  await m.act(() => button.click());
  expect(layouts.at(-1)).toMatchObject({ fullWidth: true, collapsed: false });
  expect(m.prefsSaved.at(-1)?.fullWidth).toBe(true);
  expect(m.$(TESTIDS.fullWidth)!.getAttribute('aria-pressed')).toBe('true');
  await m.act(() => m.$(TESTIDS.fullWidth)!.click());
  expect(layouts.at(-1)).toMatchObject({ fullWidth: false });
  expect(m.prefsSaved.at(-1)?.fullWidth).toBeUndefined();
});

test('stored prefs keep full width only when it is exactly true; the host covers the page width', () => {
  expect(parsePrefs({ width: 500, fullWidth: true }).fullWidth).toBe(true);
  expect(parsePrefs({ width: 500, fullWidth: 'yes' }).fullWidth).toBeUndefined();
  const host = document.createElement('div');
  layoutHost(host, { hidden: false, collapsed: false, width: 500, fullWidth: true });
  expect(host.style.getPropertyValue('width')).toBe('100vw');
  layoutHost(host, { hidden: false, collapsed: false, width: 500 });
  expect(host.style.getPropertyValue('width')).toBe('500px');
});
