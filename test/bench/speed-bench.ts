// Figure 7, issue "A panel that looks and behaves like part of the admin center": the client's own cost of a
// load. 100,000 assignments at 0 ms per page in Chromium: how long until every row is on screen, the longest
// main-thread task of the portal page meanwhile, and a CPU profile of the worker and of the page that says
// where the time goes (test/bench/profile.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from 'puppeteer-core';
import { IDS } from '../tenant/ids';
import type { Launched } from '../support/browser';
import { startCpu, type CpuSpan } from './process-cpu';
import { describe, summarise, type CpuProfile, type ProfileShare } from './profile';
import { launchWarmed } from './panel-page';
import { isAssignmentList, isGraph, longestPartitionChain, startRemoteTenant, type RemoteTenant } from './remote-tenant';
import { fmtMs, lowerBoundPages } from './stats';
import { AFTER_LOADED_MS } from './speed-targets';

const HOST = '[data-testid="assignment-panel-host"]';

export interface LoadFigures {
  rows: number;
  /** navigation → every row listed and shown (data-loading false) */
  loadMs: number;
  /** navigation → the last row arrived (user details may still be loading) */
  rowsMs: number;
  /**
   * CPU time of the load by kind of process, the demo tenant's included (null without /proc): unlike loadMs,
   * not inflated by other processes' load; over the machine's cores, the least wall time it can take
   */
  cpu: CpuSpan | null;
  /** long tasks (> 50 ms) of the portal page's main thread while rows streamed in */
  longestTaskMs: number;
  longTasks: number;
  /** the same in the AFTER_LOADED_MS after everything was in (the panel's work once a list is complete) */
  after: { longTasks: number; longestTaskMs: number };
  /** profiled run (unminified build): self time per source module */
  worker: { totalMs: number; shares: ProfileShare[]; summary: string } | null;
  page: { totalMs: number; shares: ProfileShare[]; summary: string } | null;
}

// Long tasks of the page's main thread, and when the last row arrived: the row count says enriching (the
// list is done, user details follow) or not loading any more, whichever comes first.
// Read in the page: a task of the panel's still running would hold back a timestamp asked for from here.
const LONGTASK_PROBE = `(() => {
  const b = (window.__speed = { longtasks: [], rowsDoneAt: null, loadedAt: null });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const poll = setInterval(() => {
    const el = document.querySelector('${HOST}')?.shadowRoot?.querySelector('[data-testid="row-count"]');
    if (!el) return;
    if (b.rowsDoneAt === null && (el.getAttribute('data-enriching') === 'true' || el.getAttribute('data-loading') === 'false')) b.rowsDoneAt = performance.now();
    if (el.getAttribute('data-loading') === 'false') {
      b.loadedAt = performance.now();
      clearInterval(poll);
    }
  }, 10);
})();`;

interface SpeedWindow {
  __speed: { longtasks: Array<{ start: number; duration: number }>; rowsDoneAt: number | null; loadedAt: number | null };
}

async function waitLoaded(page: Page, timeout: number): Promise<number> {
  await page.waitForFunction(
    (host) => {
      const el = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="row-count"]');
      if (!el) return false;
      if (el.hasAttribute('data-error')) return true;
      return el.getAttribute('data-loading') === 'false' && el.getAttribute('data-enriching') !== 'true';
    },
    { timeout, polling: 50 },
    HOST,
  );
  return page.evaluate((host) => {
    const el = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="row-count"]');
    if (!el || el.hasAttribute('data-error')) throw new Error(`load failed: ${el?.getAttribute('data-error')}`);
    return Number(el.getAttribute('data-total'));
  }, HOST);
}

async function startProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
}

async function stopProfile(cdp: CDPSession): Promise<CpuProfile> {
  const { profile } = await cdp.send('Profiler.stop');
  return profile as unknown as CpuProfile;
}

/** Until the tenant has received no Graph request for `quietMs`. */
async function graphQuiet(tenant: RemoteTenant, quietMs: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let seen = await tenant.logLength();
  let since = Date.now();
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    const n = await tenant.logLength();
    if (n !== seen) {
      seen = n;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
  throw new Error(`Graph still busy after ${timeoutMs} ms`);
}

/** One load of the big package at 0 ms pages (sign-in data off); with `profileDir`, CPU profiles of both sides. */
export async function loadOnce(tenant: RemoteTenant, extensionDir: string, profile: boolean): Promise<LoadFigures> {
  // Warmed up on the small package: the sign-in and the worker's first start are not what this measures.
  const launched = await launchWarmed(tenant, extensionDir, 0);
  try {
    const page = await launched.browser.newPage();
    await page.evaluateOnNewDocument(LONGTASK_PROBE);
    let workerCdp: CDPSession | null = null;
    let pageCdp: CDPSession | null = null;
    if (profile) {
      const target = await launched.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(launched.extensionOrigin));
      workerCdp = await target.createCDPSession();
      pageCdp = await page.createCDPSession();
      await startProfile(workerCdp);
      await startProfile(pageCdp);
    }
    const stopCpu = startCpu(launched.browser.process()?.pid, tenant.pid);
    const t0 = Date.now();
    await page.goto(tenant.portalUrl);
    const rows = await waitLoaded(page, 600_000);
    const loadMs = Date.now() - t0;
    const cpu = stopCpu();
    await new Promise((r) => setTimeout(r, AFTER_LOADED_MS));
    const probe = await page.evaluate(() => {
      const b = (window as unknown as SpeedWindow).__speed;
      return { longtasks: b.longtasks, rowsDoneAt: b.rowsDoneAt ?? performance.now(), loadedAt: b.loadedAt ?? performance.now() };
    });
    // While rows stream in: tasks that started before the last row arrived.
    const tasks = probe.longtasks.filter((t) => t.start <= probe.rowsDoneAt);
    const after = probe.longtasks.filter((t) => t.start + t.duration >= probe.loadedAt);
    const summary = (p: CpuProfile) => {
      const s = summarise(p, { '/background.js': path.join(extensionDir, 'background.js'), '/panel.js': path.join(extensionDir, 'panel.js') });
      return { ...s, summary: describe(s.shares) };
    };
    const rawWorker = workerCdp ? await stopProfile(workerCdp) : null;
    const rawPage = pageCdp ? await stopProfile(pageCdp) : null;
    if (process.env.BENCH_PROFILE_DIR) {
      if (rawWorker) fs.writeFileSync(path.join(process.env.BENCH_PROFILE_DIR, 'worker.cpuprofile'), JSON.stringify(rawWorker));
      if (rawPage) fs.writeFileSync(path.join(process.env.BENCH_PROFILE_DIR, 'page.cpuprofile'), JSON.stringify(rawPage));
    }
    const worker = rawWorker ? summary(rawWorker) : null;
    const pageProfile = rawPage ? summary(rawPage) : null;
    await page.close();
    return {
      rows,
      loadMs,
      rowsMs: probe.rowsDoneAt,
      cpu,
      longestTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
      longTasks: tasks.length,
      after: { longTasks: after.length, longestTaskMs: Math.max(0, ...after.map((t) => t.duration)) },
      worker,
      page: pageProfile,
    };
  } finally {
    await launched.close();
    fs.rmSync(launched.downloadDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- the speed group (`npm run bench -- --only speed`)

export interface ScrollFigures {
  rows: number;
  frames: number;
  /** per frame while scrolling: script + style + layout of that frame (rAF to the layout done), ms */
  longestFrameMs: number;
  framesOver16: number;
  longTasks: number;
}

export interface ShellFigures {
  /** navigation start → the panel's host and its shell (header) painted, per run */
  samplesMs: number[];
  medianMs: number;
  /** long tasks in the portal page from navigation until the first rows are shown */
  longTasks: number;
  longestTaskMs: number;
  /**
   * The portal's own way there: a page of the portal already open (no panel), its route changed to the
   * package, as the admin center's links do. Route change → shell painted per run, and the long tasks.
   */
  inPortal?: { samplesMs: number[]; medianMs: number; longTasks: number; longestTaskMs: number };
}

export interface SpeedFigures {
  chromium: string;
  load: LoadFigures;
  profile: LoadFigures | null;
  interaction: { rows: number; keystroke: number[]; facet: number[] };
  scroll: ScrollFigures;
  shell: ShellFigures;
  full: FullLoadFigures | null;
}

/**
 * A package loaded with Graph's page latency: when its rows and when its account data are all in, from the
 * first assignments request at the tenant, against the lower bound of both (the listing's partitions at 8
 * in flight, and the directory's read budget for the account $batch requests).
 */
export interface FullLoadFigures {
  rows: number;
  users: number;
  latencyMs: number;
  /** first assignments request → every row shown / every row and account shown */
  rowsMs: number;
  fullMs: number;
  listingBoundMs: number;
  accountBoundMs: number;
  /** account $batch requests the tenant received, and how many of them came before the last assignments page */
  accountBatches: number;
  accountBatchesDuringList: number;
  /** the longest partition's pages: when its first request came (from the start), the tenant's time per page
   *  and the time between one answer leaving the tenant and the next request arriving (transfer + client) */
  chain: { pages: number; startMs: number; serverMs: number; betweenMs: number };
}

/** Directory reads: 8,000 resource units per 10 s per app and tenant (> 500 users; graph-api.md §8), a user
 *  read with $select 1 unit, so a $batch of 20 is 20: 40 batches a second. */
const ACCOUNT_BATCHES_PER_S = 8000 / 10 / 20;

/** `size` rows at `latencyMs` pages; sign-in data refused (its own bound is Graph's 10 a minute, not ours). */
export async function fullLoad(extensionDir: string, size: number, latencyMs: number): Promise<FullLoadFigures> {
  const tenant = await startRemoteTenant({ size, shape: 'mixed', seed: 7, latencyMs, pageSize: 100 });
  try {
    const truth = await tenant.truth(IDS.mainPackage);
    // Signed in, warmed up, sign-in data refused; pages at `latencyMs` from here on.
    const launched = await launchWarmed(tenant, extensionDir, latencyMs);
    try {
      const from = await tenant.logLength();
      const page = await launched.browser.newPage();
      await page.goto(tenant.portalUrl);
      await page.waitForFunction(
        (host) => {
          const el = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="row-count"]');
          return !!el && (el.getAttribute('data-enriching') === 'true' || el.getAttribute('data-loading') === 'false');
        },
        { timeout: 600_000, polling: 20 },
        HOST,
      );
      const rowsAt = Date.now();
      const rows = await waitLoaded(page, 600_000);
      const fullAt = Date.now();
      await page.close();
      const log = await tenant.log(from);
      const lists = log.filter(isAssignmentList);
      const batches = log.filter((l) => isGraph(l) && l.path.endsWith('/$batch'));
      const start = lists[0].time;
      const lastList = Math.max(...lists.map((l) => l.time + (l.durationMs ?? 0)));
      const totalPages = Math.ceil(truth.ids.length / 100);
      const chain = longestPartitionChain(log);
      return {
        rows,
        users: truth.userTargets.length,
        latencyMs,
        rowsMs: rowsAt - start,
        fullMs: fullAt - start,
        listingBoundMs: Math.max(lowerBoundPages(truth.groups, 100), Math.ceil(totalPages / 8)) * latencyMs,
        accountBoundMs: Math.ceil(Math.ceil(truth.userTargets.length / 300) / ACCOUNT_BATCHES_PER_S) * 1000 + latencyMs,
        accountBatches: batches.length,
        accountBatchesDuringList: batches.filter((b) => b.time < lastList).length,
        chain: { pages: chain.pages, startMs: chain.firstAt - start, serverMs: chain.serverMs, betweenMs: chain.betweenMs },
      };
    } finally {
      await launched.close();
      fs.rmSync(launched.downloadDir, { recursive: true, force: true });
    }
  } finally {
    await tenant.close();
  }
}

// Scrolls the table from top to bottom a viewport per frame; each frame's cost is measured from the scroll
// (set in a requestAnimationFrame callback) until the re-render and the layout it forces are done.
const SCROLL_SCRIPT = `async (host) => {
  const root = document.querySelector(host)?.shadowRoot;
  const el = root?.querySelector('[data-testid="table"]');
  if (!el) throw new Error('no table');
  const tasks = [];
  const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) tasks.push(e.duration); });
  try { obs.observe({ type: 'longtask' }); } catch {}
  const channel = new MessageChannel();
  const macrotask = () => new Promise((r) => { channel.port1.onmessage = () => r(); channel.port2.postMessage(null); });
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const costs = [];
  el.scrollTop = 0;
  await frame();
  // A fling, not a crawl: about 300 frames from top to bottom, each moving at least one viewport.
  const step = Math.max(el.clientHeight, Math.ceil(el.scrollHeight / 300));
  while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
    await frame();
    const t0 = performance.now();
    el.scrollTop = el.scrollTop + step;
    el.dispatchEvent(new Event('scroll'));
    await macrotask();
    void el.querySelector('[data-testid="row"]')?.offsetHeight;
    costs.push(performance.now() - t0);
  }
  await frame();
  obs.disconnect();
  el.scrollTop = 0;
  return { costs, tasks };
}`;

const SHELL_PROBE = `(() => {
  const b = (window.__shell = { shell: null, firstRow: null, longtasks: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const tick = () => {
    const root = document.querySelector('${HOST}')?.shadowRoot;
    if (root && b.shell === null && root.querySelector('[data-testid="row-count"]')) b.shell = performance.now();
    if (root && b.firstRow === null && root.querySelector('[data-testid="row"]')) b.firstRow = performance.now();
    if (b.firstRow === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

interface ShellWindow {
  __shell: { shell: number | null; firstRow: number | null; longtasks: Array<{ start: number; duration: number }> };
}

/** Route → panel shell painted (timed at the frame that shows it), on the small Finance package, `runs` times. */
async function shellTimes(tenant: RemoteTenant, launched: Launched, runs: number): Promise<ShellFigures> {
  const samples: number[] = [];
  let longTasks = 0;
  let longest = 0;
  for (let i = 0; i < runs; i++) {
    const page = await launched.browser.newPage();
    await page.evaluateOnNewDocument(SHELL_PROBE);
    await page.goto(tenant.financeUrl);
    await page.waitForFunction(() => (window as unknown as ShellWindow).__shell?.firstRow !== null, { timeout: 60_000, polling: 50 });
    const b = await page.evaluate(() => (window as unknown as ShellWindow).__shell);
    samples.push(b.shell as number);
    const tasks = b.longtasks.filter((t) => t.start <= (b.firstRow as number));
    longTasks += tasks.length;
    longest = Math.max(longest, ...tasks.map((t) => t.duration));
    await page.close();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { samplesMs: samples, medianMs: sorted[Math.floor(sorted.length / 2)], longTasks, longestTaskMs: longest, inPortal: await routeChangeTimes(tenant, launched, runs) };
}

/** In an open portal page without the panel, the route changed to the Finance package: until shell and first row painted. */
const ROUTE_CHANGE = (hash: string): string => `new Promise((resolve) => {
  const b = { shell: null, firstRow: null, longtasks: [] };
  const t0 = performance.now();
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.startTime >= t0) b.longtasks.push(e.duration);
  });
  try { obs.observe({ type: 'longtask' }); } catch {}
  const tick = () => {
    const root = document.querySelector('${HOST}')?.shadowRoot;
    if (root && b.shell === null && root.querySelector('[data-testid="row-count"]')) b.shell = performance.now() - t0;
    if (root && root.querySelector('[data-testid="row"]')) { b.firstRow = performance.now() - t0; obs.disconnect(); resolve(b); return; }
    requestAnimationFrame(tick);
  };
  location.hash = ${JSON.stringify(hash)};
  requestAnimationFrame(tick);
})`;

async function routeChangeTimes(tenant: RemoteTenant, launched: Launched, runs: number): Promise<NonNullable<ShellFigures['inPortal']>> {
  const samples: number[] = [];
  const tasks: number[] = [];
  for (let i = 0; i < runs; i++) {
    const page = await launched.browser.newPage();
    await page.goto(tenant.dashboardUrl);
    // The portal page settled, its content script listening for the route (it injects nothing here).
    await new Promise((r) => setTimeout(r, 1000));
    const b = (await page.evaluate(ROUTE_CHANGE(new URL(tenant.financeUrl).hash))) as { shell: number; firstRow: number; longtasks: number[] };
    samples.push(b.shell);
    tasks.push(...b.longtasks);
    await page.close();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { samplesMs: samples, medianMs: sorted[Math.floor(sorted.length / 2)], longTasks: tasks.length, longestTaskMs: Math.max(0, ...tasks) };
}

/**
 * The speed group: the load (production build, then once more profiled on `profileDir`, the unminified
 * build), then on the loaded 100,000 rows the keystrokes and facet toggles and a scroll from top to bottom,
 * and route → shell painted on a small package.
 */
export async function speedFigures(
  tenant: RemoteTenant,
  opts: { extensionDir: string; profileDir: string | null; words: string[] },
  interact: (page: Page, words: string[]) => Promise<{ keystroke: number[]; facet: number[] }>,
  log: (s: string) => void,
): Promise<SpeedFigures> {
  log('  load at 0 ms pages (production build)…');
  const load = await loadOnce(tenant, opts.extensionDir, false);
  log(`  rows in ${(load.rowsMs / 1000).toFixed(1)} s, all loaded in ${(load.loadMs / 1000).toFixed(1)} s`);
  let profile: LoadFigures | null = null;
  if (opts.profileDir) {
    log('  the same load, profiled (unminified build)…');
    profile = await loadOnce(tenant, opts.profileDir, true);
  }
  const launched = await launchWarmed(tenant, opts.extensionDir, 0);
  try {
    const chromium = await launched.browser.version();
    log('  route → panel shell painted…');
    const shell = await shellTimes(tenant, launched, 5);
    log('  keystrokes, facet toggles and scrolling on the loaded rows…');
    const page = await launched.browser.newPage();
    await page.goto(tenant.portalUrl);
    const rows = await waitLoaded(page, 600_000);
    // After the list the panel reads the delivery status of failed assignments (about 55 requests here, some
    // seconds): keystrokes are timed once that is done too, on a panel with nothing else to do.
    await graphQuiet(tenant, 1000, 120_000);
    const interaction = await interact(page, opts.words);
    const s = (await page.evaluate(`(${SCROLL_SCRIPT})(${JSON.stringify(HOST)})`)) as { costs: number[]; tasks: number[] };
    await page.close();
    log('  fully loaded: 20,000 rows at 100 ms pages, rows and account data…');
    const full = await fullLoad(opts.extensionDir, 20_000, 100);
    log(`  rows in ${fmtMs(full.rowsMs)}, everything in ${fmtMs(full.fullMs)}`);
    return {
      chromium,
      load,
      profile,
      interaction: { rows, ...interaction },
      scroll: {
        rows,
        frames: s.costs.length,
        longestFrameMs: Math.max(0, ...s.costs),
        framesOver16: s.costs.filter((c) => c > 16).length,
        longTasks: s.tasks.length,
      },
      shell,
      full,
    };
  } finally {
    await launched.close();
    fs.rmSync(launched.downloadDir, { recursive: true, force: true });
  }
}
