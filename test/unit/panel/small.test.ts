import { parseWorkerEvent } from '../../../src/panel/worker-events';
import { DEFAULT_PREFS, loadPrefs, memoryStore, parsePrefs, PANEL_PREFS_KEY, savePrefs } from '../../../src/panel/storage';
import { scrollToReveal, visibleWindow, windowCapacity } from '../../../src/panel/virtual';
import { clampWidth } from '../../../src/panel/components/Resizer';

describe('parseWorkerEvent', () => {
  test('accepts the shapes the panel relies on', () => {
    const ok = [
      { type: 'auth', auth: { status: 'signed-in', username: 'a@b' } },
      { type: 'auth', auth: { status: 'signed-out' } },
      { type: 'load-start', packageId: 'p', loadId: 'l', fromCache: true, fetchedAt: '2025-01-01T00:00:00Z' },
      { type: 'rows', loadId: 'l', rows: [{ id: 'x' }] },
      { type: 'progress', loadId: 'l', progress: { pages: 1, rows: 2, partitionsDone: 0, partitionsTotal: 3 } },
      { type: 'load-done', loadId: 'l', packageId: 'p', total: 1, fetchedAt: 'x', missing: [], enriching: false },
      { type: 'load-error', loadId: 'l', packageId: 'p', message: 'm' },
      { type: 'sign-in-data', loadId: 'l', availability: { available: false, reason: 'r' } },
      { type: 'actions', packageId: 'p', entries: [] },
    ];
    for (const e of ok) expect(parseWorkerEvent(e)).toBe(e);
  });

  test('drops anything else', () => {
    const bad = [
      null,
      'rows',
      { type: 'rows', loadId: 1, rows: [] },
      { type: 'rows', loadId: 'l', rows: [{ id: 3 }] },
      { type: 'auth', auth: { status: 'hacked' } },
      { type: 'load-done', loadId: 'l', packageId: 'p', total: '1', fetchedAt: 'x', missing: [], enriching: false },
      { type: 'load-done', loadId: 'l', packageId: 'p', total: 1, fetchedAt: 'x', missing: [{ page: 1 }], enriching: false },
      { type: 'load-start', packageId: 'p', loadId: 'l' },
      { type: 'unknown' },
    ];
    for (const e of bad) expect(parseWorkerEvent(e)).toBeNull();
  });
});

describe('panel prefs', () => {
  test('malformed fields fall back to defaults; the threshold is clamped', () => {
    expect(parsePrefs(undefined)).toEqual(DEFAULT_PREFS);
    expect(parsePrefs({ width: 'wide', collapsed: 'yes', hiddenColumns: ['status', 3] })).toEqual({
      ...DEFAULT_PREFS,
      hiddenColumns: ['status'],
    });
    expect(parsePrefs({ width: 100, staleAfterDays: 0 })).toEqual({ ...DEFAULT_PREFS, width: 360, staleAfterDays: 1 });
  });

  test('round-trip through storage', async () => {
    const kv = memoryStore();
    await savePrefs(kv, { width: 800, collapsed: true, hiddenColumns: ['policy'], staleAfterDays: 30 });
    expect(kv.data.has(PANEL_PREFS_KEY)).toBe(true);
    expect(await loadPrefs(kv)).toEqual({ width: 800, collapsed: true, hiddenColumns: ['policy'], staleAfterDays: 30 });
  });
});

describe('virtual window', () => {
  test('renders the visible rows plus overscan, clamped to the list', () => {
    expect(visibleWindow(0, 280, 28, 100_000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleWindow(28 * 1000, 280, 28, 100_000, 5)).toEqual({ start: 995, end: 1016 });
    expect(visibleWindow(28 * 99_999, 280, 28, 100_000, 5)).toEqual({ start: 99_994, end: 100_000 });
    expect(visibleWindow(0, 280, 28, 0, 5)).toEqual({ start: 0, end: 0 });
    // scrollTop beyond the end (the list just shrank) still renders the last rows
    expect(visibleWindow(28 * 5000, 280, 28, 10, 5)).toEqual({ start: 4, end: 10 });
  });

  test('no window is longer than its capacity, so row keys taken modulo the capacity never collide', () => {
    for (const viewport of [0, 1, 27, 28, 29, 280, 281, 900]) {
      const cap = windowCapacity(viewport, 28, 4);
      for (let top = 0; top < 28 * 60; top += 7) {
        for (const count of [0, 1, 10, 100]) {
          const w = visibleWindow(top, viewport, 28, count, 4);
          expect(w.end - w.start).toBeLessThanOrEqual(cap);
          const keys = new Set<number>();
          for (let i = w.start; i < w.end; i++) keys.add(i % cap);
          expect(keys.size).toBe(w.end - w.start);
        }
      }
    }
  });

  test('scrollToReveal scrolls only when the row is out of view', () => {
    expect(scrollToReveal(5, 0, 300, 28, 30)).toBeNull();
    expect(scrollToReveal(20, 0, 300, 28, 30)).toBe(21 * 28 - 270);
    expect(scrollToReveal(2, 500, 300, 28, 30)).toBe(56);
  });
});

test('clampWidth keeps the panel between its minimum and the window', () => {
  expect(clampWidth(100, 1600)).toBe(360);
  expect(clampWidth(5000, 1600)).toBe(1520);
  expect(clampWidth(700.4, 1600)).toBe(700);
});
