// One end-to-end fixture: the demo tenant at the real hostnames, the browser under test with its production
// build loaded (Chromium: dist/chrome; Firefox: dist/firefox), the contract's settings seeded, and helpers that
// read the panel through its open shadow root. The same test files run in both browsers: the jest project sets
// E2E_BROWSER (package.json: "e2e" is Chromium, "e2e-firefox" Firefox).
import { loadSchema } from '../tenant/schema/csdl';
import { requestProblems } from '../tenant/schema/requests';
import type { RequestLogEntry } from '../tenant/server';
import fs from 'node:fs';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { startTenant, type Tenant, type TenantOptions } from '../tenant';
import { IDS } from '../tenant/generate';
import { browserFromEnv, launchForTenant, seedSettings, type BrowserName, type Launched, type TenantLaunchOptions } from '../support/browser';

export { IDS };
export type { BrowserName };
/** The browser this run drives. */
export const BROWSER: BrowserName = browserFromEnv();
// Browser tests wait on real network round trips, retries and Retry-After sleeps.
jest.setTimeout(120_000);

export const CLIENT_ID = '5d0c7a3e-2b1f-4e6d-9c8b-7a6f5e4d3c2b';

export interface Fixture {
  tenant: Tenant;
  launched: Launched;
  page: Page;
  /**
   * CSP violations the portal page reported since the last call (the panel must cause none), across navigations.
   * Every test also fails on its own if any occurred (the afterEach below).
   */
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

/** Console prefix the page's violation listener logs with, so violations survive navigations. */
const CSP_MARK = '[csp-violation] ';
const live = new Set<Fixture>();

export async function setup(
  opts: TenantOptions = {},
  settings: Record<string, unknown> = {},
  launch: Omit<TenantLaunchOptions, 'browser'> = {},
): Promise<Fixture> {
  const tenant = await startTenant({ port: 0, seed: 7, ...opts });
  let launched: Launched | null = null;
  try {
    launched = await launchForTenant(tenant, { ...launch, browser: BROWSER });
    await seedSettings(launched, {
      clientId: CLIENT_ID,
      tenantId: IDS.tenant,
      cloud: 'global',
      staleAfterDays: 90,
      ...settings,
    });
    const page = await launched.browser.newPage();
    // The stand-in portal sends a strict CSP (style-src/script-src with its own nonce only). A violation is
    // kept in the document (read synchronously) and logged to the console (kept here across navigations).
    const reported = new Set<string>();
    page.on('console', (m) => {
      if (m.text().startsWith(CSP_MARK)) reported.add(m.text().slice(CSP_MARK.length));
    });
    await page.evaluateOnNewDocument((mark: string) => {
      const seen: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => {
        const text = `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} on ${location.href}`;
        seen.push(text);
        console.warn(mark + text);
      });
    }, CSP_MARK);
    const l = launched;
    const fixture: Fixture = {
      tenant,
      launched: l,
      page,
      async cspViolations() {
        const here = await page
          .evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])
          .catch(() => [] as string[]);
        const all = [...new Set([...reported, ...here])];
        reported.clear();
        await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations?.splice(0)).catch(() => undefined);
        return all;
      },
      async close() {
        live.delete(fixture);
        await l.close();
        await tenant.close();
      },
    };
    live.add(fixture);
    return fixture;
  } catch (e) {
    await launched?.close();
    await tenant.close();
    throw e;
  }
}

// Nothing the extension adds may be refused by the portal's CSP: any violation fails the test it happened in.
// Every request the product sent to Graph must be one Graph v1.0 documents (test/tenant/schema/requests.ts):
// an unknown property, expand, enum value or query option fails the test it was sent in.
const checkedUpTo = new WeakMap<Fixture, number>();
afterEach(async () => {
  for (const f of live) {
    expect(await f.cspViolations()).toEqual([]);
    let from = checkedUpTo.get(f) ?? 0;
    if (from > f.tenant.log.length) from = 0; // the log was reset
    const sent = f.tenant.log.slice(from);
    checkedUpTo.set(f, f.tenant.log.length);
    expect(sentToGraphProblems(sent)).toEqual([]);
  }
});

/** What Graph v1.0 would not take among these recorded requests (one line per kind of problem). */
export function sentToGraphProblems(log: readonly RequestLogEntry[]): string[] {
  const schema = loadSchema();
  const out = new Set<string>();
  for (const e of log) for (const p of requestProblems(schema, e)) out.add(p.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '{id}'));
  return [...out];
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

/**
 * Replaces the text of an input as a user would: click, select all (Ctrl+A), type; an empty `text` clears it.
 * (A triple click selects nothing in Firefox over WebDriver BiDi, so typing would append.)
 */
export async function fillInput(input: ElementHandle<Element>, text: string): Promise<void> {
  const keyboard = input.frame.page().keyboard;
  const selectAll = async (): Promise<void> => {
    await input.click();
    await keyboard.down('Control');
    await keyboard.press('KeyA');
    await keyboard.up('Control');
    // Firefox has once let the old text stay unselected after the click and Ctrl+A, so the new text was
    // appended to it (seen: two object ids in the search box): select it in the element as well.
    await input.evaluate((el) => (el as HTMLInputElement).select());
  };
  await selectAll();
  if (text) await input.type(text);
  else await keyboard.press('Backspace');
  if ((await input.evaluate((el) => (el as HTMLInputElement).value)) === text) return;
  await selectAll();
  await keyboard.press('Backspace');
  if (text) await input.type(text);
}

export async function typeSearch(page: Page, text: string): Promise<void> {
  const input = await page.waitForSelector('[data-testid="assignment-panel-host"] >>> [data-testid="search"]');
  await fillInput(input!, text);
}

/** In-progress downloads: Chromium's `.crdownload`, Firefox's `.part` (next to an empty placeholder). */
const partial = (f: string): boolean => f.endsWith('.crdownload') || f.endsWith('.part');

/**
 * Waits for a file to finish downloading into the profile's download folder. Firefox creates the empty
 * placeholder a moment before its `.part` file, so an empty file is not done (every CSV has a header), and
 * the size must hold across two polls. A file gone between listing and reading was one of Firefox's
 * temporary names: the download is still moving.
 */
export async function waitForDownload(dir: string, match: RegExp, timeout = 20_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let last = { name: '', size: -1 };
  for (;;) {
    const files = fs.readdirSync(dir);
    const done = files.find((f) => match.test(f) && !partial(f));
    if (done && !files.some(partial)) {
      const size = fs.statSync(path.join(dir, done), { throwIfNoEntry: false })?.size ?? 0;
      if (size > 0 && last.name === done && last.size === size) return path.join(dir, done);
      last = { name: done, size };
    }
    if (Date.now() > deadline) throw new Error(`no download matching ${match} in ${dir}: ${files.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
