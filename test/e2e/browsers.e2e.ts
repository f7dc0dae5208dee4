// Where Chromium and Firefox differ under the hood, the product must behave the same. This file runs in both
// browsers (jest projects "e2e" and "e2e-firefox"); each test names the difference it guards:
// - the sign-in broker: MSAL in Chrome's offscreen document, in Firefox's event page (no offscreen API);
// - identity.getRedirectURL(): chromiumapp.org in Chrome, extensions.allizom.org in Firefox;
// - a non-interactive web-auth flow follows only HTTP redirects in Firefox;
// - the background stops after 30 s without events, even with a reply pending: a long fetch needs the panel's
//   keep-alive;
// - the portal's strict CSP: Firefox refuses a <style> element in a shadow root, so the panel's styles must come
//   from a constructable stylesheet;
// - the browser console stays clean of warnings about the extension.
// (Downloads through a blob: URL — Firefox refuses data: URLs — are what every CSV test in panel.e2e.ts uses.)
import fs from 'node:fs';
import Papa from 'papaparse';
import { expectedAssignments } from '../tenant';
import { REDIRECT_URIS } from '../../src/core/redirect-uris';
import { readRowCount, waitForLoaded } from '../support/browser';
import { BROWSER, clickInPanel, IDS, inShadow, setup, waitForDownload, type Fixture } from './harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loginCalls = (f: Fixture, path: string) =>
  f.tenant.log.filter((e) => e.host === 'login.microsoftonline.com' && e.method !== 'CONNECT' && e.path.endsWith(path));
const listingCalls = (f: Fixture) =>
  f.tenant.log.filter((e) => e.host === 'graph.microsoft.com' && e.method === 'GET' && e.path.endsWith('/entitlementManagement/assignments'));

describe(`${BROWSER}: sign-in broker, redirect URI, silent HTTP redirect, styles under the CSP, console`, () => {
  let f: Fixture;
  beforeAll(async () => {
    // Entra has a session: prompt=none succeeds with a 302 and the panel loads without a click.
    f = await setup({ size: 120, ssoSession: 'always' });
  });
  afterAll(() => f?.close());

  it("the options page shows this browser's redirect URI and names both browsers' URIs", async () => {
    const options = await f.launched.openExtensionPage('options.html');
    try {
      const text = async (testid: string) => {
        const el = await options.waitForSelector(`[data-testid="${testid}"]`, { timeout: 10_000 });
        return el!.evaluate((e) => e.textContent);
      };
      // identity.getRedirectURL() of the running build, as the browser computes it.
      expect(await text('redirect-uri')).toBe(f.launched.redirectUri);
      // The constants the page (and the README) list for both browsers: this one must equal the live value.
      expect(await text(`redirect-uri-${BROWSER}`)).toBe(f.launched.redirectUri);
      expect(await text('redirect-uri-chrome')).toBe(REDIRECT_URIS.chrome);
      expect(await text('redirect-uri-firefox')).toBe(REDIRECT_URIS.firefox);
    } finally {
      await options.close();
    }
  });

  it('signs in without a click when Entra answers prompt=none with an HTTP 302, and redeems the code in the extension', async () => {
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    const counts = await waitForLoaded(f.page);
    expect(counts.error).toBeNull();
    expect(counts.total).toBe(expectedAssignments(f.tenant.data, IDS.mainPackage).length);
    expect(await f.page.$('[data-testid="assignment-panel-host"] >>> [data-testid="sign-in"]')).toBeNull();

    const authorize = loginCalls(f, '/oauth2/v2.0/authorize');
    expect(authorize.length).toBeGreaterThan(0);
    for (const a of authorize) {
      expect(a.query.prompt).toBe('none');
      expect(a.status).toBe(302);
      expect(a.query.redirect_uri).toBe(f.launched.redirectUri);
    }
    // The code is redeemed by MSAL inside the extension (Chrome: offscreen document; Firefox: event page):
    // the token request carries the extension's origin, as Entra requires for a SPA registration.
    const token = loginCalls(f, '/oauth2/v2.0/token');
    expect(token.length).toBeGreaterThan(0);
    for (const t of token) expect(t.origin).toBe(f.launched.extensionOrigin);
  });

  it("MSAL's cache lives where this browser's broker runs", async () => {
    if (BROWSER === 'firefox') {
      // No offscreen API: the event page itself holds MSAL and its sessionStorage cache.
      const keys = await f.launched.evaluateInBackground((bg) => Object.keys(bg.sessionStorage));
      expect(keys.some((k) => k.startsWith('msal.'))).toBe(true);
    } else {
      const offscreen = await f.launched.evaluateInExtension(() =>
        chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] }).then((c) => c.length),
      );
      expect(offscreen).toBe(1);
    }
  });

  it('the panel is styled by its constructable stylesheet, and the watcher would have seen a refused <style>', async () => {
    const look = await inShadow(f.page, (root) => {
      const host = root.host as HTMLElement;
      const row = root.querySelector('[data-testid="row"]');
      return {
        sheets: root.adoptedStyleSheets.length,
        styleElements: root.querySelectorAll('style').length,
        bg: getComputedStyle(host).getPropertyValue('--bg').trim(),
        rowPosition: row ? getComputedStyle(row).position : null,
        rowBg: row ? getComputedStyle(row).backgroundColor : null,
      };
    });
    expect(look.sheets).toBeGreaterThan(0);
    expect(look.styleElements).toBe(0);
    // Values only the panel's stylesheet sets (unstyled: no custom property, static rows, transparent).
    expect(look.bg).not.toBe('');
    expect(look.rowPosition).toBe('absolute');
    expect(look.rowBg).not.toBeNull();
    expect(look.rowBg).not.toBe('rgba(0, 0, 0, 0)');
    expect(await f.cspViolations()).toEqual([]);

    // The watcher itself: a <style> without the page's nonce, put into a shadow root, is reported.
    await f.page.evaluate(() => {
      const probe = document.createElement('div');
      probe.id = 'csp-probe';
      const root = probe.attachShadow({ mode: 'open' });
      const style = document.createElement('style');
      style.textContent = ':host { display: block; width: 123px; }';
      root.appendChild(style);
      document.body.appendChild(probe);
    });
    await f.page.waitForFunction(() => ((window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []).length > 0, {
      timeout: 5_000,
    });
    const seen = await f.cspViolations();
    expect(seen.some((v) => v.startsWith('style-src'))).toBe(true);
    await f.page.evaluate(() => document.getElementById('csp-probe')?.remove());
    await sleep(300); // console reports of the probe arrive asynchronously: take them before the afterEach check
    await f.cspViolations();
  });

  it('the browser console holds no warning or error about the extension after install, sign-in, a fetch and an export', async () => {
    await clickInPanel(f.page, 'export-csv');
    const file = await waitForDownload(f.launched.downloadDir, /-assignments-all-\d{8}-\d{6}\.csv$/);
    const rows = Papa.parse<string[]>(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(rows.length - 1).toBe((await readRowCount(f.page))!.shown);
    const options = await f.launched.openExtensionPage('options.html');
    await options.waitForSelector('[data-testid="redirect-uri"]');
    await options.close();
    expect(await f.launched.extensionConsole()).toEqual([]);
  });
});

// Firefox stops an event page 30 s after the last event it received, even while it still works on a reply
// (browser-testing.md §12). Graph can ask for a longer pause than that (Retry-After), during which the
// background makes no call at all: only the panel's pings over its port (every 20 s) keep it alive. Chromium
// is left out: puppeteer's attachment to the service worker keeps it running (checked: still the same worker
// after 45 s idle), so the test would prove nothing there.
if (BROWSER === 'firefox') {
  describe('firefox: a fetch that waits longer than the event page\'s 30-second idle timeout', () => {
    let f: Fixture;
    afterAll(() => f?.close());

    it("the panel's keep-alive holds the same event page through a 36-second Retry-After: one fetch, the exact count", async () => {
      f = await setup({ size: 60, ssoSession: 'always' });
      const THROTTLE_MS = 36_000;
      // Every Graph call is refused with Retry-After: 36 s until then; the first one is the package itself.
      f.tenant.configure({ throttle: { untilMs: Date.now() + THROTTLE_MS, retryAfterSec: THROTTLE_MS / 1000 } });
      const started = Date.now();
      await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
      await f.page.waitForFunction(
        () => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot
          ?.querySelector('[data-testid="row-count"]')?.getAttribute('data-loading') === 'true',
        { timeout: 20_000 },
      );
      // Wait for the first 429: the background then sleeps on its Retry-After.
      const deadline = Date.now() + 20_000;
      while (f.tenant.stats.throttled === 0) {
        if (Date.now() > deadline) throw new Error('no Graph call was throttled');
        await sleep(50);
      }
      // A mark in the event page's global scope: gone if Firefox stopped it and a new one took over.
      const mark = `__keepAliveMark${started}`;
      await f.launched.evaluateInBackground((bg, m) => {
        (bg as unknown as Record<string, boolean>)[m] = true;
      }, mark);

      const counts = await waitForLoaded(f.page, 100_000);
      expect(Date.now() - started).toBeGreaterThan(THROTTLE_MS);
      expect(f.tenant.stats.throttled).toBeGreaterThan(0);
      expect(counts.error).toBeNull();
      expect(counts.total).toBe(expectedAssignments(f.tenant.data, IDS.mainPackage).length);
      expect(await f.launched.evaluateInBackground((bg, m) => (bg as unknown as Record<string, boolean>)[m] === true, mark)).toBe(true);
      // No page was read twice (a refused one is asked again, by design): a restarted event page would have
      // started the listing over.
      const urls = listingCalls(f).filter((e) => e.status === 200).map((e) => e.url);
      expect(urls.length).toBeGreaterThan(0);
      expect(new Set(urls).size).toBe(urls.length);
    }, 150_000);
  });
}
