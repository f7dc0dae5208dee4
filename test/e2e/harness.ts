// One end-to-end fixture: the demo tenant at the real hostnames, Chromium with dist/chrome loaded, the
// contract's settings seeded, and helpers that read the panel through its open shadow root.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { startTenant, type Tenant, type TenantOptions } from '../tenant';
import { IDS } from '../tenant/generate';
import { launchWithExtension, seedSettings, type Launched } from '../support/browser';

export { IDS };
// Browser tests wait on real network round trips, retries and Retry-After sleeps.
jest.setTimeout(120_000);

export const CLIENT_ID = '5d0c7a3e-2b1f-4e6d-9c8b-7a6f5e4d3c2b';

export interface Fixture {
  tenant: Tenant;
  launched: Launched;
  page: Page;
  /** CSP violations the portal page reported (the panel must cause none). */
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

export async function setup(opts: TenantOptions = {}, settings: Record<string, unknown> = {}): Promise<Fixture> {
  const tenant = await startTenant({ port: 0, seed: 7, ...opts });
  let launched: Launched | null = null;
  try {
    launched = await launchWithExtension({ hostResolverRules: tenant.hostResolverRules, spki: tenant.spki });
    await seedSettings(launched, {
      clientId: CLIENT_ID,
      tenantId: IDS.tenant,
      cloud: 'global',
      staleAfterDays: 90,
      ...settings,
    });
    const page = await launched.browser.newPage();
    await page.evaluateOnNewDocument(() => {
      const seen: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => {
        seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const l = launched;
    return {
      tenant,
      launched: l,
      page,
      cspViolations: () => page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []),
      async close() {
        await l.close();
        await tenant.close();
      },
    };
  } catch (e) {
    await launched?.close();
    await tenant.close();
    throw e;
  }
}

/** Runs `fn` with the panel's shadow root (puppeteer passes the root as an element handle). */
export async function inShadow<T, A extends unknown[]>(page: Page, fn: (root: ShadowRoot, ...args: A) => T, ...args: A): Promise<T> {
  const root = await page.evaluateHandle(() => {
    const r = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot;
    if (!r) throw new Error('panel not mounted');
    return r;
  });
  try {
    return (await page.evaluate(fn as never, root, ...args)) as T;
  } finally {
    await root.dispose();
  }
}

/** Clicks an element inside the panel. */
export async function clickInPanel(page: Page, testid: string, extra = ''): Promise<void> {
  const el = await page.waitForSelector(`[data-testid="assignment-panel-host"] >>> [data-testid="${testid}"]${extra}`, { visible: true, timeout: 20_000 });
  await el!.click();
}

export async function typeSearch(page: Page, text: string): Promise<void> {
  const input = await page.waitForSelector('[data-testid="assignment-panel-host"] >>> [data-testid="search"]');
  await input!.click({ clickCount: 3 });
  await input!.type(text);
}

/** Waits for a file to finish downloading into the profile's download folder. */
export async function waitForDownload(dir: string, match: RegExp, timeout = 20_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const files = fs.readdirSync(dir);
    const done = files.find((f) => match.test(f) && !f.endsWith('.crdownload'));
    if (done && !files.some((f) => f.endsWith('.crdownload'))) return path.join(dir, done);
    if (Date.now() > deadline) throw new Error(`no download matching ${match} in ${dir}: ${files.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
