// Launches a real browser with the unchanged production build loaded, the real Microsoft hostnames mapped to
// the local demo tenant and only its certificate key trusted (browser-testing.md §3–5). Used by the e2e
// tests, the demo and the benchmark.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';

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

export interface Launched {
  browser: Browser;
  profileDir: string;
  downloadDir: string;
  extensionId: string;
  /** The extension's service worker (fetch again after the browser stopped it). */
  worker(): Promise<WebWorker>;
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
  const worker = async (): Promise<WebWorker> => {
    const t = await browser.waitForTarget(
      (x) => x.type() === 'service_worker' && x.url().startsWith(`chrome-extension://${extensionId}/`),
      { timeout: 20_000 },
    );
    const w = await t.worker();
    if (!w) throw new Error('extension worker not reachable');
    return w;
  };
  return {
    browser,
    profileDir,
    downloadDir,
    extensionId,
    worker,
    async close() {
      await browser.close().catch(() => undefined);
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Writes the contract's settings object through the worker, as the options page would. */
export async function seedSettings(launched: Launched, settings: Record<string, unknown>): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const w = await launched.worker();
      await w.evaluate((s) => chrome.storage.local.set({ settings: s }), settings);
      return;
    } catch (e) {
      // The worker target can exist before its script is ready (browser-testing.md §6): poll.
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
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
