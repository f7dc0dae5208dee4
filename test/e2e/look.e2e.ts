// The panel as part of the admin center: the portal's words, its theme (light, dark, high contrast, forced
// colours) with no accessibility violation (axe-core, injected by the test), the keyboard path, and keys that
// never reach the page's own shortcuts.
import fs from 'node:fs';
import { teamsHighContrastTheme, webDarkTheme, webLightTheme } from '@fluentui/tokens';
import type { Page } from 'puppeteer-core';
import { expectedAssignments } from '../tenant';
import { seedSettings, waitForLoaded } from '../support/browser';
import { BROWSER, CLIENT_ID, clickInPanel, IDS, inShadow, setup, typeSearch, type Fixture } from './harness';

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  nodes: string[];
}

/** axe-core over the panel's host and its shadow tree (only what the extension adds, not the stand-in page). */
async function axeViolations(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<Record<'violations' | 'passes', { id: string; nodes: { target: unknown[]; failureSummary?: string }[] }[]>> } }).axe;
    const result = await axe.run({ include: [['[data-testid="assignment-panel-host"]']] }, {});
    // axe reached into the shadow root: it checked the contrast of the panel's text (else "no violation" says nothing).
    const checked = result.passes.find((p) => p.id === 'color-contrast')?.nodes.length ?? 0;
    if (checked < 10) return [{ id: 'not-checked', nodes: [`color-contrast checked ${checked} nodes`] }];
    return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`) }));
  });
}

/**
 * Chromium's forced-colours emulation (puppeteer's emulateMediaFeatures does not list forced-colors). The
 * emulation lasts as long as its DevTools session, so the session stays open until it is switched off.
 */
let forcedSession: Awaited<ReturnType<Page['createCDPSession']>> | null = null;
async function emulateForcedColors(page: Page, value: 'active' | 'none'): Promise<void> {
  forcedSession ??= await page.createCDPSession();
  await forcedSession.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value }] });
  if (value === 'none') {
    await forcedSession.detach();
    forcedSession = null;
  }
}

const hostTheme = (page: Page) =>
  page.evaluate(() => document.querySelector('[data-testid="assignment-panel-host"]')?.getAttribute('data-theme') ?? null);

async function waitForTheme(page: Page, theme: string): Promise<void> {
  await page.waitForFunction(
    (t) => document.querySelector('[data-testid="assignment-panel-host"]')?.getAttribute('data-theme') === t,
    { timeout: 10_000 },
    theme,
  );
}

/** The page switches its own theme as the admin center does: its body colours change, nothing else. */
async function setPageColours(page: Page, background: string, color: string): Promise<void> {
  await page.evaluate(
    (bg, fg) => {
      document.body.style.setProperty('background', bg);
      document.body.style.setProperty('color', fg);
    },
    background,
    color,
  );
}

/** `#rrggbb` as a computed style says it. */
const rgb = (hex: string): string => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
const panelBackground = (f: Fixture) => inShadow(f.page, (root) => getComputedStyle(root.querySelector('.panel')!).backgroundColor);

const selectedCount = (f: Fixture) =>
  inShadow(f.page, (root) => Number(root.querySelector('[data-testid="selection-count"]')?.getAttribute('data-selected') ?? -1));

/** The element focused inside the panel's shadow root: its testid (or tag). */
const focusedInPanel = (f: Fixture) =>
  inShadow(f.page, (root) => {
    const el = root.activeElement;
    return el ? (el.getAttribute('data-testid') ?? el.tagName.toLowerCase()) : null;
  });

describe('look, words and behaviour', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup({ size: 400, ssoSession: 'always' });
    await f.page.setViewport({ width: 1366, height: 768 });
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    await waitForLoaded(f.page);
  });
  afterAll(() => f?.close());

  it("shows the portal's words, never Graph's enum values, with Graph's value in the tooltip", async () => {
    const cells = await inShadow(f.page, (root) =>
      [...root.querySelectorAll('[data-testid="row"] [role="gridcell"]')].map((c) => ({ text: c.textContent ?? '', title: c.getAttribute('title') ?? '' })),
    );
    expect(cells.length).toBeGreaterThan(50);
    for (const raw of ['partiallyDelivered', 'deliveryFailed', 'servicePrincipal', 'PendingAcceptance']) {
      expect(cells.filter((c) => c.text.includes(raw))).toEqual([]);
    }
    // Every state the tenant holds for this package reads as the admin center says it, Graph's value in the tooltip.
    const words: Record<string, string> = {
      delivered: 'Delivered',
      delivering: 'Delivering',
      partiallyDelivered: 'Partially delivered',
      deliveryFailed: 'Delivery failed',
      expired: 'Expired',
    };
    const states = new Set(expectedAssignments(f.tenant.data, IDS.mainPackage).map((a) => a.state ?? ''));
    // The State dropdown of the filter bar lists the same words.
    await clickInPanel(f.page, 'facet-state', ' [data-testid="facet-toggle"]');
    await f.page.waitForSelector('[data-testid="assignment-panel-host"] >>> [data-testid="facet-state"] [data-testid="facet-option"]');
    const facet = await inShadow(f.page, (root) =>
      [...root.querySelectorAll('[data-testid="facet-state"] [data-testid="facet-option"]')].map((o) => ({
        value: o.getAttribute('data-value') ?? '',
        text: o.querySelector('.label')?.textContent ?? '',
        title: o.querySelector('.label')?.getAttribute('title') ?? '',
      })),
    );
    for (const state of states) {
      if (!words[state]) continue;
      const option = facet.find((o) => o.value === state);
      expect(option?.text).toBe(words[state]);
      expect(option?.title).toContain(state);
    }
    await clickInPanel(f.page, 'facet-state', ' [data-testid="facet-toggle"]');
    await f.page.waitForFunction(
      () => !document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="facet-option"]'),
      { timeout: 10_000, polling: 100 },
    );
    const delivered = cells.find((c) => c.text === 'Delivered' && c.title.includes('Graph: delivered'));
    expect(delivered).toBeDefined();
    // Dates are local, with the UTC instant in the tooltip.
    expect(cells.some((c) => / UTC$/.test(c.title) && !c.text.includes('UTC') && c.text !== '')).toBe(true);
  });

  it('keys pressed in the panel never reach the page keyboard listeners; keys on the page still do', async () => {
    await f.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __pageKeys: string[] }).__pageKeys = seen;
      for (const type of ['keydown', 'keyup', 'keypress']) {
        document.addEventListener(type, (e) => seen.push(`document ${type} ${(e as KeyboardEvent).key}`));
        window.addEventListener(type, (e) => seen.push(`window ${type} ${(e as KeyboardEvent).key}`));
      }
    });
    const pageKeys = () => f.page.evaluate(() => (window as unknown as { __pageKeys: string[] }).__pageKeys.splice(0));
    await typeSearch(f.page, 'gx');
    await f.page.keyboard.press('Escape');
    await typeSearch(f.page, '');
    await f.page.keyboard.press('Tab');
    await f.page.keyboard.press('ArrowDown');
    expect(await pageKeys()).toEqual([]);
    // The same listeners do hear a key pressed on the page itself (so the check above could fail).
    await f.page.evaluate(() => (document.querySelector('#blade-title') as HTMLElement | null)?.setAttribute('tabindex', '-1'));
    await f.page.focus('#blade-title');
    await f.page.keyboard.press('g');
    expect((await pageKeys()).some((k) => k.startsWith('document keydown g'))).toBe(true);
  });

  it('keyboard: arrows move, Space selects, Shift+arrows extend, Enter opens details, / focuses the search, Escape closes', async () => {
    await inShadow(f.page, (root) => (root.querySelector('[data-testid="table"]') as HTMLElement).focus());
    const rowIds = await inShadow(f.page, (root) => [...root.querySelectorAll('[data-testid="row"]')].map((r) => r.getAttribute('data-assignment-id')));
    expect(await selectedCount(f)).toBe(0);
    await f.page.keyboard.press('ArrowDown');
    await f.page.keyboard.press(' ');
    expect(await selectedCount(f)).toBe(1);
    await f.page.keyboard.down('Shift');
    await f.page.keyboard.press('ArrowDown');
    await f.page.keyboard.press('ArrowDown');
    await f.page.keyboard.up('Shift');
    expect(await selectedCount(f)).toBe(3);
    const selected = await inShadow(f.page, (root) =>
      [...root.querySelectorAll('[data-testid="row"][data-selected="true"]')].map((r) => r.getAttribute('data-assignment-id')),
    );
    expect(selected).toEqual(rowIds.slice(1, 4));
    // The remove button appeared with the selection and says what it would do.
    const removeText = await inShadow(f.page, (root) => root.querySelector('[data-testid="remove-selected"]')?.textContent ?? null);
    expect(removeText).toBe('Remove 3 assignments');
    // The focused row is visible as such.
    const outline = await inShadow(f.page, (root) => getComputedStyle(root.querySelector('.row.active')!).outlineStyle);
    expect(outline).toBe('solid');
    // Enter opens the focused row's details; Escape closes them and gives focus back to the table.
    await f.page.keyboard.press('Enter');
    const detailsOf = () => inShadow(f.page, (root) => root.querySelector('[data-testid="assignment-details"]')?.getAttribute('data-assignment-id') ?? null);
    await f.page.waitForFunction(
      (id: string) => (document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="assignment-details"]')?.getAttribute('data-assignment-id') ?? null) === id,
      {},
      rowIds[3]!,
    );
    expect(await detailsOf()).toBe(rowIds[3]);
    await f.page.keyboard.press('Escape');
    await f.page.waitForFunction(() => !document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="assignment-details"]'));
    expect(await focusedInPanel(f)).toBe('table');

    await f.page.keyboard.press('/');
    expect(await focusedInPanel(f)).toBe('search');
    expect(await inShadow(f.page, (root) => (root.querySelector('[data-testid="search"]') as HTMLInputElement).value)).toBe('');

    await clickInPanel(f.page, 'column-chooser');
    expect(await inShadow(f.page, (root) => root.querySelector('[data-testid="column-option"]') !== null)).toBe(true);
    await f.page.keyboard.press('Escape');
    expect(await inShadow(f.page, (root) => root.querySelector('[data-testid="column-option"]') !== null)).toBe(false);
    expect(await focusedInPanel(f)).toBe('column-chooser');

    // Clear the selection for the next checks.
    await inShadow(f.page, (root) => (root.querySelector('[data-testid="table"]') as HTMLElement).focus());
    for (let i = 0; i < 3; i++) {
      await f.page.keyboard.press(' ');
      await f.page.keyboard.press('ArrowUp');
    }
    expect(await selectedCount(f)).toBe(0);
  });

  it('follows the page theme (light, dark, high contrast) with no accessibility violation in the panel or its dialogs', async () => {
    expect(await hostTheme(f.page)).toBe('light');
    // The Fluent 2 token of each theme (the build computes the panel's theme CSS from them).
    expect(await panelBackground(f)).toBe(rgb(webLightTheme.colorNeutralBackground1));
    expect(await axeViolations(f.page)).toEqual([]);

    await setPageColours(f.page, 'rgb(27, 26, 25)', 'rgb(243, 242, 241)');
    await waitForTheme(f.page, 'dark');
    expect(await panelBackground(f)).toBe(rgb(webDarkTheme.colorNeutralBackground1));
    expect(await axeViolations(f.page)).toEqual([]);
    // A filter dropdown open over the table; Escape closes it.
    await clickInPanel(f.page, 'facet-state', ' [data-testid="facet-toggle"]');
    await f.page.waitForSelector('[data-testid="assignment-panel-host"] >>> [data-testid="facet-state"] [data-testid="facet-option"]');
    expect(await axeViolations(f.page)).toEqual([]);
    await f.page.keyboard.press('Escape');
    await f.page.waitForFunction(
      () => !document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="facet-option"]'),
      { timeout: 10_000, polling: 100 },
    );
    await clickInPanel(f.page, 'add-users');
    await f.page.waitForFunction(() => !!document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[role="dialog"]'));
    expect(await axeViolations(f.page)).toEqual([]);
    await f.page.keyboard.press('Escape');

    await setPageColours(f.page, 'rgb(0, 0, 0)', 'rgb(255, 255, 255)');
    await waitForTheme(f.page, 'contrast');
    expect(await panelBackground(f)).toBe(rgb(teamsHighContrastTheme.colorNeutralBackground1));
    expect(await axeViolations(f.page)).toEqual([]);

    await setPageColours(f.page, '', '');
    await waitForTheme(f.page, 'light');
  });

  it('forced colours: no accessibility violation', async () => {
    // Chromium emulates the media feature; Firefox over WebDriver BiDi cannot, so it gets a profile whose
    // "override the page's colours: always" setting is on, which is Firefox's forced-colours mode.
    const forcedFixture = BROWSER === 'chrome' ? f : await setup({ size: 60, ssoSession: 'always' }, {}, { firefoxPrefs: { 'browser.display.document_color_use': 2 } });
    try {
      if (BROWSER === 'chrome') await emulateForcedColors(f.page, 'active');
      else {
        await forcedFixture.page.goto(forcedFixture.tenant.portalUrl(IDS.mainPackage));
        await waitForLoaded(forcedFixture.page);
      }
      expect(await forcedFixture.page.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);
      expect(await axeViolations(forcedFixture.page)).toEqual([]);
    } finally {
      if (BROWSER === 'chrome') await emulateForcedColors(f.page, 'none');
      else await forcedFixture.close();
    }
  });

  it('a stale threshold changed on the options page reaches the open panel at once, and the panel says so', async () => {
    const before = await inShadow(f.page, (root) => (root.querySelector('[data-testid="threshold"]') as HTMLInputElement).value);
    expect(before).toBe('90');
    await seedSettings(f.launched, { clientId: CLIENT_ID, tenantId: IDS.tenant, cloud: 'global', staleAfterDays: 30 });
    await f.page.waitForFunction(
      () => {
        const root = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot;
        return (root?.querySelector('[data-testid="threshold"]') as HTMLInputElement | null)?.value === '30' &&
          root?.querySelector('[data-testid="settings-notice"]')?.getAttribute('data-kind') === 'staleDays';
      },
      { timeout: 10_000 },
    );
    await seedSettings(f.launched, { clientId: CLIENT_ID, tenantId: IDS.tenant, cloud: 'global', staleAfterDays: 90 });
    await f.page.waitForFunction(
      () => (document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="threshold"]') as HTMLInputElement | null)?.value === '90',
      { timeout: 10_000 },
    );
    // The notice stays until dismissed.
    await clickInPanel(f.page, 'settings-notice-dismiss');
    expect(await inShadow(f.page, (root) => root.querySelector('[data-testid="settings-notice"]'))).toBeNull();
  });

  it('at 1366 × 768 with the filters closed the table shows at least 18 rows', async () => {
    const open = await inShadow(f.page, (root) => root.querySelector('.filters') !== null);
    if (open) await clickInPanel(f.page, 'filters-toggle');
    const visibleRows = await inShadow(f.page, (root) => {
      const scroll = root.querySelector('[data-testid="table"]') as HTMLElement;
      const head = root.querySelector('.table-head') as HTMLElement;
      const row = root.querySelector('[data-testid="row"]') as HTMLElement;
      return Math.floor((scroll.clientHeight - head.offsetHeight) / row.offsetHeight);
    });
    expect(visibleRows).toBeGreaterThanOrEqual(18);
  });

  it("at 1366 × 768 the header's row count is whole, on the header's one line: the name and fetched time give way", async () => {
    const header = await inShadow(f.page, (root) => {
      const count = root.querySelector('[data-testid="row-count"]') as HTMLElement;
      const top = count.closest('.header-top') as HTMLElement;
      const title = top.querySelector('.title') as HTMLElement;
      return { text: count.textContent, whole: count.scrollWidth <= count.clientWidth, oneLine: top.offsetHeight <= title.offsetHeight + 12 };
    });
    expect(header).toEqual({ text: expect.stringMatching(/\d assignments/), whole: true, oneLine: true });
  });
  it("full width covers the blade's content area (right of the portal's menu, below its top bar) and follows a resize", async () => {
    const boxes = () =>
      f.page.evaluate(() => {
        const r = (el: Element) => {
          const b = el.getBoundingClientRect();
          return { left: Math.round(b.left), top: Math.round(b.top), right: Math.round(b.right), bottom: Math.round(b.bottom) };
        };
        const host = document.querySelector('[data-testid="assignment-panel-host"]')!;
        return { host: r(host), main: r(document.querySelector('main')!), width: document.documentElement.clientWidth, height: innerHeight };
      });
    const hostAt = (left: 'main' | 'docked') =>
      f.page.waitForFunction((want) => {
        const host = document.querySelector('[data-testid="assignment-panel-host"]')!.getBoundingClientRect();
        const main = document.querySelector('main')!.getBoundingClientRect();
        return want === 'main' ? Math.round(host.left) === Math.round(main.left) : Math.round(host.top) === 0 && host.left > main.left;
      }, {}, left);
    await clickInPanel(f.page, 'full-width');
    try {
      await hostAt('main');
      const on = await boxes();
      expect(on.host).toEqual({ left: on.main.left, top: on.main.top, right: on.width, bottom: on.height });
      expect(on.main.left).toBeGreaterThan(200); // the stand-in portal's menu stays visible
      await f.page.setViewport({ width: 1200, height: 700 });
      await f.page.waitForFunction(() => Math.round(document.querySelector('[data-testid="assignment-panel-host"]')!.getBoundingClientRect().bottom) === innerHeight);
      const resized = await boxes();
      expect(resized.host).toEqual({ left: resized.main.left, top: resized.main.top, right: resized.width, bottom: resized.height });
    } finally {
      await clickInPanel(f.page, 'full-width');
      await f.page.setViewport({ width: 1366, height: 768 });
    }
    await hostAt('docked');
    const docked = await boxes();
    expect(docked.host.top).toBe(0);
    expect(docked.host.right).toBe(docked.width);
    expect(docked.host.left).toBeGreaterThan(docked.main.left);
  });
});
