// Figures 2, 5 (second open), 6 and the browser halves of 3 and 4, with the unchanged production build in
// Chromium against the demo tenant (test/support/browser.ts): what an admin's browser actually does.
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import { IDS } from '../tenant/ids';
import { launchWithExtension, seedSettings, type Launched } from '../support/browser';
import { isAssignmentList, isGraph, isSignInRead, type RemoteTenant } from './remote-tenant';
import { median, percentile } from './stats';

const CLIENT_ID = '5d0c7a3e-2b1f-4e6d-9c8b-7a6f5e4d3c2b';
const HOST = '[data-testid="assignment-panel-host"]';

export interface ScriptsInjected {
  /** extension files parsed in the page (any world), with their size on disk */
  files: Array<{ file: string; bytes: number }>;
  bytes: number;
  graphRequests: number;
}

export interface BrowserFigures {
  chromium: string;
  footprint: { other: ScriptsInjected; packagePage: ScriptsInjected; contentJsBytes: number; panelJsBytes: number };
  firstRows: {
    rows: number;
    latencyMs: number;
    /** navigation start → first row painted */
    fromNavigationMs: number;
    /** the first assignments request reaching the tenant → first row painted */
    fromFirstListRequestMs: number;
    /** navigation start → the first Graph request (route detection, panel injection, token) */
    navigationToFirstGraphMs: number;
  };
  secondOpen: { rows: number; firstOpenSignInRequests: number; secondOpenSignInRequests: number; secondOpenListings: number; shownFromCache: boolean };
  load100k: {
    rows: number;
    shown: number;
    loadMs: number;
    workerHeapBeforeBytes: number;
    /** the most the worker's heap held (after a forced GC, sampled every 250 ms) while it had the rows */
    workerHeapPeakBytes: number;
    workerHeapAfterBytes: number;
    panelHeapBytes: number;
  };
  csv: { rows: number; ms: number; bytes: number; longestTaskMs: number; longTasks: number; rowsInFile: number };
  /** per keystroke / facet toggle in the panel: event → filter, render and layout done (ms) */
  interaction: { rows: number; keystroke: Spread; facetToggle: Spread };
}

export interface Spread {
  samples: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

function spread(xs: number[]): Spread {
  return { samples: xs.length, medianMs: median(xs), p95Ms: percentile(xs, 95), maxMs: Math.max(...xs) };
}

// Kept as text: functions handed to page.evaluate must not carry the TypeScript loader's helpers.
const INTERACTION_SCRIPT = `async (host, words) => {
  const root = document.querySelector(host)?.shadowRoot;
  if (!root) throw new Error('panel not mounted');
  const channel = new MessageChannel();
  const macrotask = () => new Promise((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
  const settle = async () => {
    await macrotask();
    void root.querySelector('[data-testid="table"]')?.offsetHeight;
  };
  const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const input = root.querySelector('[data-testid="search"]');
  const keystroke = [];
  for (const w of words) {
    const steps = [];
    for (let i = 1; i <= w.length; i++) steps.push(w.slice(0, i));
    for (let i = w.length - 1; i >= 0; i--) steps.push(w.slice(0, i));
    for (const q of steps) {
      const t0 = performance.now();
      input.value = q;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await settle();
      keystroke.push(performance.now() - t0);
      await nextFrame();
    }
  }
  // Each facet is a dropdown of the filter bar: opened (outside the timing) before its values are read or ticked.
  const openFacet = async (f) => {
    const toggle = root.querySelector('[data-testid="facet-' + f + '"] [data-testid="facet-toggle"]');
    if (!toggle) return false;
    if (toggle.getAttribute('aria-expanded') !== 'true') {
      toggle.click();
      await settle();
      await nextFrame();
    }
    return true;
  };
  // Facet values by (facet, value), looked up again before every click: the panel may re-render them.
  const picks = [];
  for (const f of ['state', 'policy', 'kind', 'account', 'signIn', 'expiry', 'stale']) {
    if (!(await openFacet(f))) continue;
    const set = root.querySelector('[data-testid="facet-' + f + '"]');
    for (const opt of [...set.querySelectorAll('[data-testid="facet-option"]')].slice(0, 3)) picks.push([f, opt.getAttribute('data-value')]);
  }
  const facet = [];
  // Tick them one after another (narrowing down), then untick them in the same order.
  for (const [f, v] of [...picks, ...picks]) {
    await openFacet(f);
    const box = [...root.querySelectorAll('[data-testid="facet-' + f + '"] [data-testid="facet-option"]')]
      .find((o) => o.getAttribute('data-value') === v)?.querySelector('input');
    if (!box) throw new Error('facet option ' + f + '=' + v + ' is gone');
    const t0 = performance.now();
    box.click();
    await settle();
    facet.push(performance.now() - t0);
    await nextFrame();
  }
  const open = root.querySelector('[data-testid="facet-toggle"][aria-expanded="true"]');
  if (open) open.click();
  return { keystroke, facet };
}`;

/**
 * Types words into the panel's search box letter by letter and erases them, then ticks and unticks facet
 * values, all inside the page. Each sample runs from dispatching the event until the work it caused is
 * done: the store's filter, Preact's re-render (a microtask) and the layout that the next frame needs (forced
 * by reading a size). Paint is not included. Leaves no filter behind.
 */
export async function interactionTimes(page: Page, words: string[]): Promise<{ keystroke: number[]; facet: number[] }> {
  return page.evaluate(`(${INTERACTION_SCRIPT})(${JSON.stringify(HOST)}, ${JSON.stringify(words)})`) as Promise<{ keystroke: number[]; facet: number[] }>;
}

type Log = (s: string) => void;

/**
 * Records, in the page's main world: when the first row is painted, whether the row count ever said the list
 * came from the cache (a MutationObserver on the open shadow root, so a short-lived state is not missed),
 * and every long task.
 */
const PAGE_PROBE = `(() => {
  const b = (window.__bench = { firstRow: null, fromCache: false, longtasks: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  let observed = false;
  const cached = (root) => {
    if (root.querySelector('[data-testid="row-count"][data-from-cache="true"]')) b.fromCache = true;
  };
  // The first row is timed at a frame (requestAnimationFrame), i.e. when it is about to be painted.
  const tick = () => {
    const root = document.querySelector('${HOST}')?.shadowRoot;
    if (root) {
      cached(root);
      if (b.firstRow === null && root.querySelector('[data-testid="row"]')) b.firstRow = performance.timeOrigin + performance.now();
      if (!observed) {
        observed = true;
        new MutationObserver(() => cached(root)).observe(root, { subtree: true, attributes: true, attributeFilter: ['data-from-cache'] });
      }
    }
    if (b.firstRow === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

interface BenchWindow {
  __bench: { firstRow: number | null; fromCache: boolean; longtasks: Array<{ start: number; duration: number }> };
}

async function rowCount(page: Page): Promise<Record<string, string | null> | null> {
  return page.evaluate((host) => {
    const el = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="row-count"]');
    if (!el) return null;
    const out: Record<string, string | null> = {};
    for (const a of ['data-loading', 'data-total', 'data-shown', 'data-error', 'data-enriching', 'data-from-cache']) out[a] = el.getAttribute(a);
    return out;
  }, HOST);
}

/** Until rows and user details are in (data-loading false and not enriching), or the load failed. */
async function waitSettled(page: Page, timeout: number): Promise<Record<string, string | null>> {
  await waitForPanel(page, timeout).catch(async (e: unknown) => {
    throw new Error(`the panel did not settle within ${timeout} ms (row count: ${JSON.stringify(await rowCount(page).catch(() => null))}): ${String(e)}`);
  });
  const c = await rowCount(page);
  if (!c || c['data-error'] !== null) throw new Error(`the panel failed to load: ${c?.['data-error']}`);
  return c;
}

async function waitForPanel(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(
    (host) => {
      const el = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="row-count"]');
      if (!el) return false;
      if (el.hasAttribute('data-error')) return true;
      return el.getAttribute('data-loading') === 'false' && el.getAttribute('data-enriching') !== 'true';
    },
    { timeout, polling: 100 },
    HOST,
  );
}

function scriptsInjected(launched: Launched, extDir: string, parsed: Set<string>, graphRequests: number): ScriptsInjected {
  const prefix = `chrome-extension://${launched.extensionId}/`;
  const files = [...parsed]
    .filter((u) => u.startsWith(prefix))
    .map((u) => u.slice(prefix.length))
    .sort()
    .map((file) => ({ file, bytes: fs.statSync(path.join(extDir, file)).size }));
  return { files, bytes: files.reduce((n, f) => n + f.bytes, 0), graphRequests };
}

/** Opens `url` in a new page with the debugger watching which scripts get parsed (content scripts included). */
async function footprintOf(launched: Launched, extDir: string, tenant: RemoteTenant, url: string, settle: (page: Page) => Promise<void>): Promise<ScriptsInjected> {
  const page = await launched.browser.newPage();
  const cdp = await page.createCDPSession();
  const parsed = new Set<string>();
  cdp.on('Debugger.scriptParsed', (e: { url: string }) => parsed.add(e.url));
  await cdp.send('Debugger.enable');
  const mark = await tenant.logLength();
  await page.goto(url);
  await settle(page);
  const graph = (await tenant.log(mark)).filter(isGraph).length;
  const out = scriptsInjected(launched, extDir, parsed, graph);
  await cdp.detach().catch(() => undefined);
  await page.close();
  return out;
}

async function workerSession(browser: Browser, extensionId: string): Promise<CDPSession> {
  const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`), { timeout: 20_000 });
  return target.createCDPSession();
}

async function liveHeap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const u = await cdp.send('Runtime.getHeapUsage');
  return u.usedSize;
}

async function waitForDownload(dir: string, match: RegExp, timeout: number): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const files = fs.readdirSync(dir);
    const done = files.find((f) => match.test(f) && !f.endsWith('.crdownload'));
    if (done && !files.some((f) => f.endsWith('.crdownload'))) return path.join(dir, done);
    if (Date.now() > deadline) throw new Error(`no download matching ${match} in ${dir}: ${files.join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `extensionDir`: the build to load (bench.ts copies dist/chrome when it starts: other people's builds rewrite dist/). */
export async function browserFigures(tenant: RemoteTenant, opts: { size: number; latencyMs: number; extensionDir: string }, log: Log): Promise<BrowserFigures> {
  await tenant.configure({ ssoSession: 'always', latencyMs: opts.latencyMs, signInLicensed: true, signInRate: { requests: 10, windowMs: 60_000 } });
  const extDir = opts.extensionDir;
  const launched = await launchWithExtension({ hostResolverRules: tenant.hostResolverRules, spki: tenant.spki, extensionDir: extDir });
  try {
    const chromium = await launched.browser.version();
    await seedSettings(launched, { clientId: CLIENT_ID, tenantId: IDS.tenant, cloud: 'global', staleAfterDays: 90 });

    // ---- 6. footprint: what a portal page receives when it is not an access package, and when it is
    log('  footprint on a portal page that is not an access package…');
    const other = await footprintOf(launched, extDir, tenant, tenant.dashboardUrl, () => new Promise((r) => setTimeout(r, 1500)));
    log('  footprint on an access package page…');
    // Another package than the cache test below uses, so that test's first open is a first open.
    const packagePage = await footprintOf(launched, extDir, tenant, tenant.labUrl, async (page) => {
      await waitSettled(page, 60_000);
    });
    const size = (f: string) => fs.statSync(path.join(extDir, f)).size;

    // ---- 5. second open of the same package: served from the worker's cache, no sign-in request
    log('  second open of a package from the cache…');
    const open = async (url: string) => {
      const page = await launched.browser.newPage();
      await page.evaluateOnNewDocument(PAGE_PROBE);
      const mark = await tenant.logLength();
      await page.goto(url);
      const c = await waitSettled(page, 60_000);
      const sawCache = await page.evaluate(() => (window as unknown as BenchWindow).__bench.fromCache);
      const lines = await tenant.log(mark);
      await page.close();
      return { rows: Number(c['data-total']), signIn: lines.filter(isSignInRead).length, listings: lines.filter(isAssignmentList).length, sawCache };
    };
    const first = await open(tenant.financeUrl);
    const second = await open(tenant.financeUrl);

    // ---- 2. time to first rows on the big package
    log(`  first rows of ${opts.size} assignments at ${opts.latencyMs} ms per page…`);
    const page = await launched.browser.newPage();
    await page.evaluateOnNewDocument(PAGE_PROBE);
    const mark = await tenant.logLength();
    await page.goto(tenant.portalUrl);
    await page.waitForFunction(() => (window as unknown as BenchWindow).__bench?.firstRow !== null, { timeout: 60_000, polling: 50 });
    const { firstRow, navStart } = await page.evaluate(() => ({ firstRow: (window as unknown as BenchWindow).__bench.firstRow as number, navStart: performance.timeOrigin }));
    const lines = await tenant.log(mark);
    const firstList = lines.find(isAssignmentList);
    const firstGraph = lines.find(isGraph);
    if (!firstList || !firstGraph) throw new Error('no assignment listing reached the tenant');
    await page.close();

    // ---- 6. worker memory holding the rows, 4. CSV export in the page: the full package at 0 ms latency
    log(`  full load of ${opts.size} assignments in the browser (0 ms latency, sign-in data off so enrichment ends fast)…`);
    await tenant.configure({ latencyMs: 0, signInLicensed: false });
    const worker = await workerSession(launched.browser, launched.extensionId);
    const heapBefore = await liveHeap(worker);
    const big = await launched.browser.newPage();
    await big.evaluateOnNewDocument(PAGE_PROBE);
    let peak = heapBefore;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await liveHeap(worker).catch(() => 0));
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const t0 = Date.now();
    await big.goto(tenant.portalUrl);
    const loaded = await waitSettled(big, 300_000);
    const loadMs = Date.now() - t0;
    sampling = false;
    await sampler;
    const heapAfter = await liveHeap(worker);
    const pageCdp = await big.createCDPSession();
    const panelHeap = await liveHeap(pageCdp);
    await pageCdp.detach();

    log('  search keystrokes and facet toggles in the panel…');
    const times = await interactionTimes(big, ['anna', 'smith', 'contoso', 'fabrikam', 'a1b2', 'guest', 'northwind']);
    const after = await rowCount(big);
    if (after?.['data-shown'] !== loaded['data-shown']) throw new Error(`a filter was left behind: ${after?.['data-shown']} shown`);

    log('  CSV export of every row in the page…');
    const clickAt = await big.evaluate((host) => {
      const btn = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="export-csv"]') as HTMLElement | null;
      if (!btn) throw new Error('no export button');
      const at = performance.now();
      btn.click();
      return at;
    }, HOST);
    const c0 = Date.now();
    const file = await waitForDownload(launched.downloadDir, /-assignments-.*\.csv$/, 60_000);
    const csvMs = Date.now() - c0;
    const tasks = await big.evaluate((from) => (window as unknown as BenchWindow).__bench.longtasks.filter((t) => t.start + t.duration >= from), clickAt);
    const text = fs.readFileSync(file, 'utf8');
    const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
    await big.close();
    await worker.detach().catch(() => undefined);

    return {
      chromium,
      footprint: { other, packagePage, contentJsBytes: size('content.js'), panelJsBytes: size('panel.js') },
      firstRows: {
        rows: opts.size,
        latencyMs: opts.latencyMs,
        fromNavigationMs: firstRow - navStart,
        fromFirstListRequestMs: firstRow - firstList.time,
        navigationToFirstGraphMs: firstGraph.time - navStart,
      },
      secondOpen: {
        rows: second.rows,
        firstOpenSignInRequests: first.signIn,
        secondOpenSignInRequests: second.signIn,
        secondOpenListings: second.listings,
        shownFromCache: second.sawCache,
      },
      load100k: {
        rows: Number(loaded['data-total']),
        shown: Number(loaded['data-shown']),
        loadMs,
        workerHeapBeforeBytes: heapBefore,
        workerHeapPeakBytes: peak,
        workerHeapAfterBytes: heapAfter,
        panelHeapBytes: panelHeap,
      },
      csv: {
        rows: Number(loaded['data-shown']),
        ms: csvMs,
        bytes: Buffer.byteLength(text, 'utf8'),
        longestTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
        longTasks: tasks.length,
        rowsInFile: parsed.data.length - 1,
      },
      interaction: { rows: Number(loaded['data-total']), keystroke: spread(times.keystroke), facetToggle: spread(times.facet) },
    };
  } finally {
    await launched.close();
    // The exported CSV (tens of MB at 100,000 rows) is not kept.
    fs.rmSync(launched.downloadDir, { recursive: true, force: true });
  }
}
