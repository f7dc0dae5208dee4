/** @jest-environment jsdom */
// Full-width mode: the panel covers the page's width, and the choice is remembered with the width.
import type { HostLayout } from '../../../src/panel/mount';
import { coverBox, layoutHost } from '../../../src/panel/mount';
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

test('stored prefs keep full width only when it is exactly true; the host covers the page and docks again', () => {
  expect(parsePrefs({ width: 500, fullWidth: true }).fullWidth).toBe(true);
  expect(parsePrefs({ width: 500, fullWidth: 'yes' }).fullWidth).toBeUndefined();
  const host = document.createElement('div');
  // jsdom lays nothing out: no main landmark has a size, so full width is the whole viewport.
  layoutHost(host, { hidden: false, collapsed: false, width: 500, fullWidth: true });
  expect(host.style.getPropertyValue('width')).toBe(`${window.innerWidth}px`);
  expect(host.style.getPropertyValue('left')).toBe('0px');
  layoutHost(host, { hidden: false, collapsed: false, width: 500 });
  expect(host.style.getPropertyValue('width')).toBe('500px');
  expect(host.style.getPropertyValue('left')).toBe('auto');
  expect(host.style.getPropertyValue('height')).toBe('100vh');
});

describe('coverBox: full width covers the blade content area', () => {
  const view = { width: 1366, height: 768 };

  test("from the main landmark's top left corner to the viewport's right and bottom edges", () => {
    // The admin center: a 48 px top bar and a 240 px menu; the landmark may be taller than the viewport.
    expect(coverBox(view, { left: 240.6, top: 48, width: 1125, height: 2000 })).toEqual({ left: 241, top: 48, width: 1125, height: 720 });
  });

  test('the whole viewport when the page has no usable main landmark', () => {
    const whole = { left: 0, top: 0, width: 1366, height: 768 };
    expect(coverBox(view, null)).toEqual(whole);
    expect(coverBox(view, { left: 240, top: 48, width: 0, height: 0 })).toEqual(whole);
    // A landmark squeezed to the right edge (or pushed below the fold) would leave no room for the table.
    expect(coverBox(view, { left: 1200, top: 48, width: 166, height: 700 })).toEqual(whole);
    expect(coverBox(view, { left: 240, top: 700, width: 1126, height: 68 })).toEqual(whole);
  });

  test('never starts left of or above the viewport', () => {
    expect(coverBox(view, { left: -30, top: -10, width: 1400, height: 800 })).toEqual({ left: 0, top: 0, width: 1366, height: 768 });
  });
});
