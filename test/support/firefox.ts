// Launches Firefox (Debian's firefox-esr) with the unchanged dist/firefox build installed as a temporary add-on,
// driven by puppeteer-core over WebDriver BiDi (browser-testing.md §12). Firefox has no host-resolver rules, so
// the real Microsoft hostnames reach the demo tenant through its CONNECT proxy (the tenant's firefoxPrefs()).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import type { Launched } from './browser';
import { closeBrowser } from './close-browser';

const ROOT = path.resolve(__dirname, '..', '..');
export const FIREFOX_DIST = path.join(ROOT, 'dist', 'firefox');

/** browser_specific_settings.gecko.id of manifest.json: fixes the add-on id and so its identity redirect URL. */
export const GECKO_ID = 'entra-assignments-overlay@assignments-overlay.org';
/**
 * Firefox gives every installed add-on a random internal uuid (the host of its moz-extension:// pages). Pinning
 * it through `extensions.webextensions.uuids` lets the tests open the add-on's own pages.
 */
export const PINNED_UUID = '0f4b8f0e-6a55-4d2b-9c3e-7d1a2b3c4d5e';

const CANDIDATES = [
  '/usr/bin/firefox-esr',
  '/usr/bin/firefox',
  '/usr/lib/firefox-esr/firefox-esr',
  '/usr/lib/firefox/firefox',
  '/snap/bin/firefox',
  '/Applications/Firefox.app/Contents/MacOS/firefox',
  'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
];

export const FIREFOX_INSTALL_HINT =
  'No Firefox found. Install one (Debian/Ubuntu: `sudo apt-get install -y firefox-esr`) or set FIREFOX_PATH to a ' +
  'Firefox 128+ binary (ESR or release; WebDriver BiDi is built in).';

export function findFirefox(): string | null {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

/** identity.getRedirectURL() of an add-on: the SHA-1 of its id under extensions.allizom.org (auth.md §7). */
export function firefoxRedirectUri(geckoId = GECKO_ID): string {
  return `https://${createHash('sha1').update(geckoId).digest('hex')}.extensions.allizom.org/`;
}

export interface FirefoxLaunchOptions {
  /** network prefs that route the Microsoft hostnames to the demo tenant (Tenant.firefoxPrefs()) */
  networkPrefs: Record<string, string | number | boolean>;
  headless?: boolean;
  extensionDir?: string;
  downloadDir?: string;
  windowSize?: [number, number];
  /** more prefs, e.g. a shorter extensions.background.idle.timeout */
  prefs?: Record<string, string | number | boolean>;
}

/** Code run in the browser's own (privileged) window through BiDi; needs --remote-allow-system-access. */
async function evaluateInChrome<T>(browser: Browser, expression: string): Promise<T> {
  // puppeteer has no API for chrome-scope contexts; its BiDi connection takes raw commands.
  const connection = (browser as unknown as { connection: { send(method: string, params: object): Promise<{ result: unknown }> } })
    .connection;
  const tree = (await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result as {
    contexts: { context: string }[];
  };
  const context = tree.contexts[0]?.context;
  if (!context) throw new Error('no privileged browser window to evaluate in');
  const reply = (await connection.send('script.evaluate', { expression, target: { context }, awaitPromise: true })).result as {
    type: string;
    result?: { value?: unknown };
    exceptionDetails?: { text?: string };
  };
  if (reply.type === 'exception') throw new Error(`privileged evaluation failed: ${reply.exceptionDetails?.text ?? 'unknown'}`);
  return JSON.parse(String(reply.result?.value)) as T;
}

/**
 * Warnings and errors in the browser console that point at the add-on: manifest warnings at install, uncaught
 * errors and CSP reports of its pages, background and content scripts. Read from the console service of the
 * parent process, which is what the Browser Console shows (console.log calls of the add-on itself stay in its own
 * process and are not included).
 */
const CONSOLE_PROBLEMS = (uuid: string, geckoId: string): string => `(() => {
  const marks = [${JSON.stringify(uuid)}, ${JSON.stringify(geckoId)}];
  const out = [];
  for (const m of Services.console.getMessageArray() || []) {
    let text = m.message, source = '', serious = /\\t(WARN|ERROR|FATAL)\\t/.test(m.message);
    if (m instanceof Ci.nsIScriptError) {
      text = m.errorMessage;
      source = m.sourceName || '';
      serious = (m.flags & Ci.nsIScriptError.infoFlag) === 0;
    }
    if (serious && marks.some((k) => text.includes(k) || source.includes(k))) out.push(source ? text + ' (' + source + ')' : text);
  }
  return JSON.stringify(out);
})()`;

export async function launchFirefoxWithExtension(opts: FirefoxLaunchOptions): Promise<Launched> {
  const executablePath = findFirefox();
  if (!executablePath) throw new Error(FIREFOX_INSTALL_HINT);
  const extDir = opts.extensionDir ?? FIREFOX_DIST;
  if (!fs.existsSync(path.join(extDir, 'manifest.json'))) throw new Error(`No build at ${extDir}: run npm run build`);
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eao-ff-profile-'));
  const downloadDir = opts.downloadDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'eao-downloads-'));
  const [w, h] = opts.windowSize ?? [1600, 1000];
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: opts.headless ?? true,
    userDataDir: profileDir,
    defaultViewport: null,
    // The demo tenant's self-signed certificate: pages, background fetches and the web-auth window (§12).
    acceptInsecureCerts: true,
    // Lets the tests open moz-extension:// pages and read the browser console.
    args: ['--remote-allow-system-access', `--width=${w}`, `--height=${h}`],
    extraPrefsFirefox: {
      ...opts.networkPrefs,
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: PINNED_UUID }),
      // Downloads go to a known folder under the extension's file name, without asking (§12).
      'browser.download.dir': downloadDir,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.alwaysOpenPanel': false,
      // Firefox's own default, written out: the keep-alive test relies on the real idle timeout.
      'extensions.background.idle.timeout': 30_000,
      ...opts.prefs,
    },
  });
  const close = async (): Promise<void> => {
    await closeBrowser(browser);
    fs.rmSync(profileDir, { recursive: true, force: true });
  };
  let extensionId: string;
  try {
    extensionId = await browser.installExtension(extDir);
  } catch (e) {
    await close();
    throw e;
  }
  if (extensionId !== GECKO_ID) {
    await close();
    throw new Error(`installed add-on id ${extensionId}, expected ${GECKO_ID} (browser_specific_settings.gecko.id)`);
  }
  const extensionOrigin = `moz-extension://${PINNED_UUID}`;

  const openExtensionPage = async (file: string): Promise<Page> => {
    const page = await browser.newPage();
    // The default 'load' wait never resolves for moz-extension:// pages driven over BiDi (§12): wait for no
    // lifecycle event (what the reference calls waitUntil 'commit'), then for the document itself.
    await page.goto(`${extensionOrigin}/${file}`, { waitUntil: [] });
    await page.waitForFunction(() => document.readyState === 'complete' && 'browser' in globalThis, { timeout: 15_000 });
    return page;
  };

  return {
    browserName: 'firefox',
    browser,
    profileDir,
    downloadDir,
    extensionId,
    extensionOrigin,
    redirectUri: firefoxRedirectUri(extensionId),
    worker(): Promise<WebWorker> {
      return Promise.reject(new Error('Firefox runs the background as an event page, not a service worker: use evaluateInExtension'));
    },
    async evaluateInExtension(fn, ...args) {
      // An extension page of the add-on: it has the same WebExtension APIs as the event page.
      const page = await openExtensionPage('options.html');
      try {
        return await page.evaluate(fn as never, ...args);
      } finally {
        await page.close().catch(() => undefined);
      }
    },
    async evaluateInBackground(fn, ...args) {
      const page = await openExtensionPage('options.html');
      try {
        return (await page.evaluate(
          `(async () => (${fn.toString()})(await browser.runtime.getBackgroundPage(), ...${JSON.stringify(args)}))()`,
        )) as never;
      } finally {
        await page.close().catch(() => undefined);
      }
    },
    openExtensionPage,
    extensionConsole: () => evaluateInChrome<string[]>(browser, CONSOLE_PROBLEMS(PINNED_UUID, extensionId)),
    async stopBackground() {
      // What the idle timer does after 30 s, now: runtime.onSuspend, then the event page is unloaded.
      await evaluateInChrome(
        browser,
        `(async () => { const ext = WebExtensionPolicy.getByID(${JSON.stringify(extensionId)}).extension;
          await ext.terminateBackground({ ignoreDevToolsAttached: true, disableResetIdleForTest: true });
          return JSON.stringify(ext.backgroundState); })()`,
      );
    },
    close,
  };
}
