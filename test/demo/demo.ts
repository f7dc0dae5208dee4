// `npm run demo`: the production build against the embedded demo tenant, in a real Chromium or Firefox.
//   npm run demo                       a Chromium window on the stand-in portal (needs a display)
//   npm run demo -- --browser firefox  the same in Firefox (dist/firefox in firefox-esr)
//   npm run demo -- --headless         loads the page, waits for the panel, writes three screenshots (the portal in its
//                                      light and its dark theme, the panel following; and one assignment's details
//                                      view) and prints their paths
// Options: --size N (assignments on the main package, default 3000), --seed N, --port N, --keep (headless: stay up)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACCESS_PACKAGES_ROUTE, startTenant } from '../tenant';
import type { Page } from 'puppeteer-core';
import { detailsOf } from '../tenant/details-data';
import { IDS } from '../tenant/generate';
import { findBrowser, launchForTenant, seedSettings, waitForLoaded, type BrowserName } from '../support/browser';

const DEMO_CLIENT_ID = '5d0c7a3e-2b1f-4e6d-9c8b-7a6f5e4d3c2b';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const name = arg('browser') ?? 'chrome';
  if (name !== 'chrome' && name !== 'chromium' && name !== 'firefox') {
    console.error(`--browser ${name}: expected chrome or firefox`);
    process.exit(2);
  }
  const browserName: BrowserName = name === 'firefox' ? 'firefox' : 'chrome';
  const found = findBrowser(browserName);
  if (!found.path) {
    console.error(found.hint);
    process.exit(2);
  }
  let headless = process.argv.includes('--headless');
  if (!headless && !process.env.DISPLAY && process.platform === 'linux') {
    console.log('No display found ($DISPLAY is empty): running headless and writing a screenshot instead.');
    headless = true;
  }
  const size = Number(arg('size') ?? 3000);
  const tenant = await startTenant({ port: Number(arg('port') ?? 0), seed: Number(arg('seed') ?? 7), size });
  const launched = await launchForTenant(tenant, { browser: browserName, headless });
  const stop = async (): Promise<void> => {
    await launched.close();
    await tenant.close();
  };
  process.on('SIGINT', () => void stop().then(() => process.exit(0)));
  process.on('SIGTERM', () => void stop().then(() => process.exit(0)));

  await seedSettings(launched, { clientId: DEMO_CLIENT_ID, tenantId: IDS.tenant, cloud: 'global', staleAfterDays: 90 });
  const page = (await launched.browser.pages())[0] ?? (await launched.browser.newPage());
  const url = tenant.portalUrl(IDS.mainPackage);
  console.log(`Demo tenant on port ${tenant.port} (${size} assignments on the main package), in ${browserName === 'firefox' ? 'Firefox' : 'Chromium'}.`);
  console.log(`Portal: ${url}`);
  await page.goto(url);

  // The demo tenant has no signed-in session yet: click the panel's sign-in button as a user would.
  const signIn = await page
    .waitForSelector('[data-testid="assignment-panel-host"] >>> [data-testid="sign-in"]', { visible: true, timeout: 30_000 })
    .catch(() => null);
  if (signIn) await signIn.click();
  const counts = await waitForLoaded(page, 120_000);
  console.log(`Panel loaded: ${counts.total} assignments${counts.error ? `, error: ${counts.error}` : ''}.`);

  if (headless) {
    await new Promise((r) => setTimeout(r, 500));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eao-demo-'));
    const light = path.join(dir, 'demo-light.png');
    await page.screenshot({ path: light });
    console.log(`Screenshot (light): ${light}`);
    // One assignment's details: the demo tenant's request approved in two stages, with its answer.
    const picked = detailsOf(tenant.data).picks.approvedTwice;
    const objectId = tenant.data.assignments.find((a) => a.id === picked)?.target?.objectId;
    if (picked && objectId) {
      await showDetails(page, objectId, picked);
      const details = path.join(dir, 'demo-details.png');
      await page.screenshot({ path: details });
      console.log(`Screenshot (details): ${details}`);
      await closeDetails(page);
    }
    // The overview across packages, as the admin center's access packages list shows it.
    await page.evaluate((h) => (location.hash = h), ACCESS_PACKAGES_ROUTE);
    // Loaded, and the account and sign-in data read (they settle the stale counts and the sign-in chart).
    await page.waitForFunction(
      (host) => {
        const root = document.querySelector(host)?.shadowRoot;
        return root?.querySelector('[data-testid="overview"]')?.getAttribute('data-enriching') === 'false';
      },
      { timeout: 120_000, polling: 100 },
      HOST,
    );
    await new Promise((r) => setTimeout(r, 300));
    const overview = path.join(dir, 'demo-overview.png');
    await page.screenshot({ path: overview });
    console.log(`Screenshot (overview): ${overview}`);
    await page.goto(url);
    await waitForLoaded(page, 120_000);
    // The stand-in portal has a dark scheme, as the admin center does; the panel reads the page's colours.
    try {
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    } catch {
      // No media emulation (Firefox over WebDriver BiDi): the page's own colours switch instead.
      await page.evaluate(() => {
        document.body.style.setProperty('background', '#1b1a19');
        document.body.style.setProperty('color', '#f3f2f1');
      });
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="assignment-panel-host"]')?.getAttribute('data-theme') === 'dark', {
      timeout: 10_000,
    });
    await new Promise((r) => setTimeout(r, 300));
    const dark = path.join(dir, 'demo-dark.png');
    await page.screenshot({ path: dark });
    console.log(`Screenshot (dark): ${dark}`);
    if (!process.argv.includes('--keep')) {
      await stop();
      return;
    }
  }
  console.log('Browser is open. Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => launched.browser.on('disconnected', () => resolve()));
  await tenant.close();
}

const HOST = '[data-testid="assignment-panel-host"]';

/** Searches the person's object id, clicks the assignment's display name and waits until every part arrived. */
async function showDetails(page: Page, objectId: string, assignmentId: string): Promise<void> {
  await page.evaluate(
    (host, q) => {
      const input = document.querySelector(host)!.shadowRoot!.querySelector('[data-testid="search"]') as HTMLInputElement;
      input.value = q;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    HOST,
    objectId,
  );
  const link = `[data-testid="row"][data-assignment-id="${assignmentId}"] [data-testid="row-open-details"]`;
  await page.waitForFunction((host, sel) => !!document.querySelector(host)?.shadowRoot?.querySelector(sel), { timeout: 30_000 }, HOST, link);
  await page.evaluate((host, sel) => (document.querySelector(host)!.shadowRoot!.querySelector(sel) as HTMLElement).click(), HOST, link);
  await page.waitForFunction(
    (host, id) => {
      const v = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="assignment-details"]');
      return !!v && v.getAttribute('data-assignment-id') === id && v.getAttribute('data-loading') === 'false';
    },
    { timeout: 30_000 },
    HOST,
    assignmentId,
  );
}

/** Closes the details view and clears the search: the page as it was. */
async function closeDetails(page: Page): Promise<void> {
  await page.evaluate((host) => {
    const root = document.querySelector(host)!.shadowRoot!;
    (root.querySelector('[data-testid="details-close"]') as HTMLElement | null)?.click();
    const input = root.querySelector('[data-testid="search"]') as HTMLInputElement;
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, HOST);
  await page.waitForFunction((host) => !document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="assignment-details"]'), { timeout: 10_000 }, HOST);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
