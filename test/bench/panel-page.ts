// What the browser benches share: the panel's host, a signed-in Chromium with the production extension and a
// warmed-up worker, and waits that survive DevTools' per-call timeout.
import fs from 'node:fs';
import type { EvaluateFunc, Page } from 'puppeteer-core';
import { IDS } from '../tenant/ids';
import { launchWithExtension, seedSettings, type Launched } from '../support/browser';
import type { RemoteTenant } from './remote-tenant';

export const HOST = '[data-testid="assignment-panel-host"]';
const CLIENT_ID = '5d0c7a3e-2b1f-4e6d-9c8b-7a6f5e4d3c2b';

/**
 * Chromium with the extension, signed in (SSO always), settings seeded, and the small package loaded once in a
 * tab closed again: the sign-in and the worker's first start are not what a bench measures. Pages then load at
 * `latencyMs`.
 */
export async function launchWarmed(tenant: RemoteTenant, extensionDir: string, latencyMs: number): Promise<Launched> {
  await tenant.configure({ ssoSession: 'always', latencyMs: 0, signInLicensed: false });
  const launched = await launchWithExtension({ hostResolverRules: tenant.hostResolverRules, spki: tenant.spki, extensionDir });
  try {
    await seedSettings(launched, { clientId: CLIENT_ID, tenantId: IDS.tenant, cloud: 'global', staleAfterDays: 90 });
    const warm = await launched.browser.newPage();
    await warm.goto(tenant.financeUrl);
    await waitRowsLoaded(warm, 60_000);
    await warm.close();
    await tenant.configure({ latencyMs });
    return launched;
  } catch (e) {
    await launched.close();
    fs.rmSync(launched.downloadDir, { recursive: true, force: true });
    throw e;
  }
}

/** Waits until the panel element with `testid` has `attr` = `value`. */
export async function waitPanelAttr(page: Page, testid: string, attr: string, value: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (host: string, sel: string, name: string, want: string) => document.querySelector(host)?.shadowRoot?.querySelector(sel)?.getAttribute(name) === want,
    { timeout, polling: 50 },
    HOST,
    `[data-testid="${testid}"]`,
    attr,
    value,
  );
}

/**
 * Waits for `predicate` in the page in slices of 30 s, calling `between` after each slice that did not end it.
 * A single long waitForFunction is one pending CDP call, and CDP calls time out after 180 s (puppeteer's
 * protocolTimeout) whatever the wait's own timeout: the 100,000-row run stopped on exactly that.
 */
export async function waitSliced<A extends unknown[]>(
  page: Page,
  timeout: number,
  predicate: EvaluateFunc<A>,
  args: A,
  between?: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const slice = Math.min(30_000, Math.max(1, deadline - Date.now()));
    const done = await page.waitForFunction(predicate, { timeout: slice, polling: 100 }, ...args).then(
      () => true,
      (e: unknown) => {
        if (Date.now() >= deadline || !(e instanceof Error) || !/exceeded/.test(e.message)) throw e;
        return false;
      },
    );
    if (done) return;
    await between?.();
  }
}

/** `listOnly`: done once every row is listed (the account data may still be arriving); else once that is in too. */
export async function waitRowsLoaded(page: Page, timeout: number, log?: (s: string) => void, listOnly = false): Promise<number> {
  await waitSliced(
    page,
    timeout,
    (host: string, listed: boolean) => {
      const el = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="row-count"]');
      // data-enriching turns true only once the list is complete (load-done), while account data arrives.
      return !!el && (el.hasAttribute('data-error') || el.getAttribute('data-loading') === 'false' || (listed && el.getAttribute('data-enriching') === 'true'));
    },
    [HOST, listOnly] as [string, boolean],
    async () => {
      const at = await page.evaluate((host) => {
        const el = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="row-count"]');
        return el ? `total ${el.getAttribute('data-total')}, enriching ${el.getAttribute('data-enriching')}` : 'no row count yet';
      }, HOST);
      log?.(`    still loading: ${at}`);
    },
  );
  return page.evaluate((host) => {
    const el = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="row-count"]');
    if (!el || el.hasAttribute('data-error')) throw new Error(`load failed: ${el?.getAttribute('data-error')}`);
    return Number(el.getAttribute('data-total'));
  }, HOST);
}
