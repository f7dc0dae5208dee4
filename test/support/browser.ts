// Launches a real browser with the unchanged production build loaded, the real Microsoft hostnames mapped to
// the local demo tenant and only its certificate key trusted (browser-testing.md §3–5). Used by the e2e
// tests, the demo and the benchmark. Chromium is launched here; Firefox in ./firefox.ts, behind the same
// `Launched` interface (`launchForTenant` picks either).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type ConsoleMessage, type Page, type WebWorker } from 'puppeteer-core';
import { closeBrowser } from './close-browser';
import { findFirefox, FIREFOX_INSTALL_HINT, launchFirefoxWithExtension } from './firefox';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CHROME_DIST = path.join(ROOT, 'dist', 'chrome');

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/usr/bin/microsoft-edge',
  '/opt/microsoft/msedge/msedge',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
];

export const INSTALL_HINT =
  'No Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROME_PATH to a ' +
  'Chromium, Chrome for Testing or Edge binary. (Branded Google Chrome 137+ ignores --load-extension.)';

export function findChromium(): string | null {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

export interface LaunchOptions {
  hostResolverRules: string;
  spki: string;
  headless?: boolean;
  extensionDir?: string;
  downloadDir?: string;
  windowSize?: [number, number];
}

export type BrowserName = 'chrome' | 'firefox';

export interface Launched {
  browserName: BrowserName;
  browser: Browser;
  profileDir: string;
  downloadDir: string;
  /** runtime.id: the Chrome extension id, or Firefox's gecko id */
  extensionId: string;
  /** origin of the extension's pages (and of its token request): chrome-extension://<id>, moz-extension://<uuid> */
  extensionOrigin: string;
  /** what identity.getRedirectURL() returns in this browser, computed independently of the extension */
  redirectUri: string;
  /** The extension's service worker (fetch again after the browser stopped it). Chromium only. */
  worker(): Promise<WebWorker>;
  /** Runs `fn` where the WebExtension APIs are (Chromium: the service worker; Firefox: an extension page). */
  evaluateInExtension<T, A extends unknown[]>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T>;
  /**
   * Runs `fn` with the background's own global scope (Chromium: the service worker; Firefox: the event page's
   * window, reached through runtime.getBackgroundPage(), which starts it if it was stopped). `fn` is sent as
   * source text: it must not close over anything; pass JSON-serialisable `args` instead.
   */
  evaluateInBackground<T, A extends unknown[]>(fn: (background: typeof globalThis, ...args: A) => T | Promise<T>, ...args: A): Promise<T>;
  /** Opens one of the extension's pages (e.g. options.html) in a new tab. */
  openExtensionPage(file: string): Promise<Page>;
  /**
   * Warnings and errors logged about the extension since launch. Firefox: the browser console (manifest
   * warnings, errors of every extension context). Chromium: console warnings and errors of the service worker
   * and of the extension pages the test reached through this object.
   */
  extensionConsole(): Promise<string[]>;
  /** Stops the background (service worker / event page) as the browser does when it is idle. */
  stopBackground(): Promise<void>;
  close(): Promise<void>;
}

export async function launchWithExtension(opts: LaunchOptions): Promise<Launched> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(INSTALL_HINT);
  const extDir = opts.extensionDir ?? CHROME_DIST;
  if (!fs.existsSync(path.join(extDir, 'manifest.json'))) throw new Error(`No build at ${extDir}: run npm run build`);
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eao-profile-'));
  const downloadDir = opts.downloadDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'eao-downloads-'));
  // Downloads land in a known folder under the extension's own file name (browser-testing.md §7).
  fs.mkdirSync(path.join(profileDir, 'Default'), { recursive: true });
  fs.writeFileSync(
    path.join(profileDir, 'Default', 'Preferences'),
    JSON.stringify({ download: { default_directory: downloadDir, prompt_for_download: false } }),
  );
  const [w, h] = opts.windowSize ?? [1600, 1000];
  const browser = await puppeteer.launch({
    executablePath,
    headless: opts.headless ?? true,
    userDataDir: profileDir,
    enableExtensions: true,
    defaultViewport: null,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
      '--disable-background-networking',
      '--disable-component-update',
      `--window-size=${w},${h}`,
      `--load-extension=${extDir}`,
      `--disable-extensions-except=${extDir}`,
      `--host-resolver-rules=${opts.hostResolverRules}`,
      `--ignore-certificate-errors-spki-list=${opts.spki}`,
    ],
  });
  const target = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
    { timeout: 20_000 },
  );
  const extensionId = new URL(target.url()).host;
  const extensionOrigin = `chrome-extension://${extensionId}`;
  // Console warnings and errors of the service worker (every incarnation) and of extension pages.
  const problems: string[] = [];
  const watched = new WeakSet<object>();
  const watch = (source: { on(event: 'console', cb: (m: ConsoleMessage) => void): unknown }, where: string): void => {
    if (watched.has(source)) return;
    watched.add(source);
    source.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'warn' || m.type() === 'error') problems.push(`${where}: ${m.text()}`);
    });
  };
  const worker = async (): Promise<WebWorker> => {
    const t = await browser.waitForTarget(
      (x) => x.type() === 'service_worker' && x.url().startsWith(`${extensionOrigin}/`),
      { timeout: 20_000 },
    );
    const w = await t.worker();
    if (!w) throw new Error('extension worker not reachable');
    watch(w, 'service worker');
    return w;
  };
  const openExtensionPage = async (file: string): Promise<Page> => {
    const page = await browser.newPage();
    watch(page, file);
    await page.goto(`${extensionOrigin}/${file}`);
    return page;
  };
  try {
    await worker(); // attached from the start, so its console is watched from the start
  } catch (e) {
    await closeBrowser(browser);
    throw e;
  }
  return {
    browserName: 'chrome',
    browser,
    profileDir,
    downloadDir,
    extensionId,
    extensionOrigin,
    redirectUri: `https://${extensionId}.chromiumapp.org/`,
    worker,
    async evaluateInExtension(fn, ...args) {
      const w = await worker();
      return w.evaluate(fn as never, ...args);
    },
    async evaluateInBackground(fn, ...args) {
      const w = await worker();
      return w.evaluate(`(${fn.toString()})(globalThis, ...${JSON.stringify(args)})`) as never;
    },
    openExtensionPage,
    async extensionConsole() {
      return [...problems];
    },
    async stopBackground() {
      // Closing the worker's target stops it, as Chrome does after 30 s idle; the next event starts it again.
      await (await worker()).close();
    },
    async close() {
      await closeBrowser(browser);
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Writes the contract's settings object through the extension's storage, as the options page would. */
export async function seedSettings(launched: Launched, settings: Record<string, unknown>): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      // `chrome` exists in both browsers' extension contexts; Firefox's chrome.storage also returns promises.
      await launched.evaluateInExtension((s) => chrome.storage.local.set({ settings: s }), settings);
      return;
    } catch (e) {
      // The worker target can exist before its script is ready (browser-testing.md §6): poll.
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The browser a run targets: E2E_BROWSER (set per jest project, or in the shell), Chromium by default. */
export function browserFromEnv(): BrowserName {
  const name = (globalThis as { E2E_BROWSER?: string }).E2E_BROWSER ?? process.env.E2E_BROWSER ?? 'chrome';
  if (name === 'chrome' || name === 'chromium') return 'chrome';
  if (name === 'firefox') return 'firefox';
  throw new Error(`E2E_BROWSER=${name}: expected chrome or firefox`);
}

/** The binary a run would use, or null with the install hint to show. */
export function findBrowser(name: BrowserName): { path: string | null; hint: string } {
  return name === 'firefox' ? { path: findFirefox(), hint: FIREFOX_INSTALL_HINT } : { path: findChromium(), hint: INSTALL_HINT };
}

/** What a browser needs to reach a demo tenant (test/tenant's Tenant has all of it). */
export interface TenantRoutes {
  hostResolverRules: string;
  spki: string;
  firefoxPrefs(): Record<string, string | number | boolean>;
}

export interface TenantLaunchOptions {
  browser?: BrowserName;
  headless?: boolean;
  downloadDir?: string;
  windowSize?: [number, number];
  /** Firefox only: more prefs */
  firefoxPrefs?: Record<string, string | number | boolean>;
}

/** Launches Chromium or Firefox with its production build, pointed at the demo tenant at the real hostnames. */
export function launchForTenant(tenant: TenantRoutes, opts: TenantLaunchOptions = {}): Promise<Launched> {
  const name = opts.browser ?? browserFromEnv();
  const common = { headless: opts.headless, downloadDir: opts.downloadDir, windowSize: opts.windowSize };
  if (name === 'firefox') return launchFirefoxWithExtension({ ...common, networkPrefs: tenant.firefoxPrefs(), prefs: opts.firefoxPrefs });
  return launchWithExtension({ ...common, hostResolverRules: tenant.hostResolverRules, spki: tenant.spki });
}

export const PANEL = '[data-testid="assignment-panel-host"]';

/** A selector inside the panel's open shadow root. */
export const inPanel = (sel: string): string => `${PANEL} >>> ${sel}`;

export interface RowCount {
  loading: string | null;
  total: number;
  shown: number;
  error: string | null;
}

export async function readRowCount(page: Page): Promise<RowCount | null> {
  return page.evaluate(() => {
    const el = document
      .querySelector('[data-testid="assignment-panel-host"]')
      ?.shadowRoot?.querySelector('[data-testid="row-count"]') as HTMLElement | null;
    if (!el) return null;
    return {
      loading: el.getAttribute('data-loading'),
      total: Number(el.getAttribute('data-total')),
      shown: Number(el.getAttribute('data-shown')),
      error: el.getAttribute('data-error'),
    };
  });
}

/** Waits until the panel says it is done loading (or failed) and returns the counts. */
export async function waitForLoaded(page: Page, timeout = 60_000): Promise<RowCount> {
  await page.waitForFunction(
    () => {
      const el = document
        .querySelector('[data-testid="assignment-panel-host"]')
        ?.shadowRoot?.querySelector('[data-testid="row-count"]');
      return !!el && (el.getAttribute('data-loading') === 'false' || el.hasAttribute('data-error'));
    },
    { timeout, polling: 100 },
  );
  return (await readRowCount(page))!;
}
