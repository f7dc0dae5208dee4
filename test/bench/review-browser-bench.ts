// Review mode's figures in real Chromium (issue "Access review"), `npm run bench -- --only review`: the
// production build against the demo tenant in its own process, on the main package (100,000 assignments at the
// default size), every row and account fact loaded first (what a reviewer decides on).
//
//  - Bulk decision: the rows of one facet value near half the package are selected, then Keep (or Remove, the
//    justification typed first) is clicked, alternately. Timed in the page from the click: the first frame
//    whose review-progress counts show the decision (recorded), and the first frame after it whose
//    review-save says "saved" (the worker has written it to IndexedDB and answered). Long tasks of the page
//    (PerformanceObserver 'longtask': the panel's content script runs on the page's main thread) between the
//    click and "saved": the longest is held against the 100 ms limit. Then once Keep on every row.
//    (A decision clears the selection, as in the panel: the rows are selected again before each.)
//  - Resume: the page is reloaded with that review open (a decision on every row), `reloads` times. A
//    requestAnimationFrame loop installed before the page's own scripts notes the first frame showing rows
//    (the list, from the worker's cache) and the first showing a row with its decision; the difference is the
//    figure held against "within 300 ms of the list".
import fs from 'node:fs';
import type { Page } from 'puppeteer-core';
import { HOST, launchWarmed, waitPanelAttr, waitRowsLoaded } from './panel-page';
import type { RemoteTenant } from './remote-tenant';

export interface BulkDecision {
  decision: 'keep' | 'remove';
  selected: number;
  /** click → a frame with the counts that include it */
  recordedMs: number;
  /** click → a frame saying "saved" (stored by the worker) */
  savedMs: number;
  /** the page's longest task between the click and "saved", 0 when none passed 50 ms */
  longestTaskMs: number;
  longTasks: number;
}

export interface ResumeTiming {
  /** navigation → a frame with rows */
  listMs: number;
  /** navigation → a frame with a row showing its decision */
  decisionsMs: number;
  /** decisionsMs - listMs */
  afterListMs: number;
}

export interface ReviewBrowserFigures {
  chromium: string;
  assignments: number;
  latencyMs: number;
  /** navigation → every row and account fact loaded */
  loadMs: number;
  facet: string;
  bulk: BulkDecision[];
  /** Keep on every row of the package */
  all: BulkDecision;
  resume: ResumeTiming[];
}

// Kept as text: functions handed to page.evaluate must not carry the TypeScript loader's helpers.
const DECIDE_SCRIPT = `async (host, button, justification, keep, remove) => {
  const root = document.querySelector(host).shadowRoot;
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const q = (id) => root.querySelector('[data-testid="' + id + '"]');
  const tasks = [];
  const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push([e.startTime, e.duration]); });
  observer.observe({ type: 'longtask' });
  let target = q(button);
  if (justification) {
    target.click();
    let box = null;
    for (let i = 0; i < 300 && !(box = q('decision-justification')); i++) await frame();
    if (!box) throw new Error('no justification box');
    box.value = justification;
    box.dispatchEvent(new Event('input', { bubbles: true }));
    for (let i = 0; i < 300 && (target = q('confirm-decision')).disabled; i++) await frame();
  }
  await frame();
  const t0 = performance.now();
  target.click();
  let recorded = null;
  let saved = null;
  const limit = t0 + 120000;
  while (saved === null && performance.now() < limit) {
    await frame();
    const p = q('review-progress');
    const now = performance.now();
    if (recorded === null && p && p.getAttribute('data-keep') === String(keep) && p.getAttribute('data-remove') === String(remove)) recorded = now - t0;
    if (recorded !== null && q('review-save')?.getAttribute('data-state') === 'saved') saved = now - t0;
  }
  // Long-task entries are delivered after the task: give the observer a moment.
  await new Promise((r) => setTimeout(r, 200));
  observer.disconnect();
  const end = t0 + (saved ?? 120000);
  const during = tasks.filter(([start, d]) => start + d >= t0 && start <= end).map(([, d]) => d);
  return { recorded, saved, longest: during.length ? Math.max(...during) : 0, longTasks: during.length };
}`;

// Installed before the page's scripts on every load: notes the first frame with rows and with a decided row.
const RESUME_PROBE = `(() => {
  const host = ${JSON.stringify(HOST)};
  window.__reviewResume = { list: null, decisions: null };
  const tick = () => {
    const root = document.querySelector(host)?.shadowRoot;
    const out = window.__reviewResume;
    if (root) {
      const now = performance.now();
      if (out.list === null && root.querySelector('[data-testid="row"]')) out.list = now;
      if (out.decisions === null && root.querySelector('[data-testid="row"][data-decision="keep"], [data-testid="row"][data-decision="remove"]')) out.decisions = now;
    }
    if (out.decisions === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

async function selectShown(page: Page, count: number): Promise<void> {
  await page.evaluate((host) => (document.querySelector(host)!.shadowRoot!.querySelector('[data-testid="select-all"]') as HTMLInputElement).click(), HOST);
  await waitPanelAttr(page, 'selection-count', 'data-selected', String(count));
}

/** Ticks (or unticks) a facet option, its dropdown in the filter bar opened first (outside any timing). */
async function toggleFacet(page: Page, facet: string, value: string): Promise<void> {
  await page.evaluate(
    async (host: string, f: string, v: string) => {
      const root = document.querySelector(host)!.shadowRoot!;
      const toggle = root.querySelector<HTMLElement>(`[data-testid="facet-${f}"] [data-testid="facet-toggle"]`)!;
      if (toggle.getAttribute('aria-expanded') !== 'true') {
        toggle.click();
        await new Promise((r) => setTimeout(r, 0));
      }
      const opt = [...root.querySelectorAll(`[data-testid="facet-${f}"] [data-testid="facet-option"]`)].find((o) => o.getAttribute('data-value') === v);
      (opt!.querySelector('input') as HTMLInputElement).click();
    },
    HOST,
    facet,
    value,
  );
}

/** The facet value whose count is nearest half the rows (each dropdown of the filter bar opened in turn). */
async function halfFacet(page: Page, total: number): Promise<{ facet: string; value: string; count: number }> {
  return page.evaluate(
    async (host: string, half: number) => {
      const root = document.querySelector(host)!.shadowRoot!;
      let best = { facet: '', value: '', count: 0 };
      for (const toggle of root.querySelectorAll<HTMLElement>('[data-testid="facet-toggle"]')) {
        const facet = toggle.getAttribute('data-facet') ?? '';
        if (facet === 'decision' || facet === 'change') continue;
        if (toggle.getAttribute('aria-expanded') !== 'true') toggle.click();
        await new Promise((r) => setTimeout(r, 0));
        for (const o of root.querySelectorAll(`[data-testid="facet-${facet}"] [data-testid="facet-option"]`)) {
          const count = Number(o.getAttribute('data-count'));
          if (Math.abs(count - half) < Math.abs(best.count - half)) best = { facet, value: o.getAttribute('data-value') ?? '', count };
        }
      }
      return best;
    },
    HOST,
    total / 2,
  );
}

async function decide(page: Page, decision: 'keep' | 'remove', selected: number, keep: number, remove: number): Promise<BulkDecision> {
  const r = (await page.evaluate(
    `(${DECIDE_SCRIPT})(${JSON.stringify(HOST)}, ${JSON.stringify(decision === 'keep' ? 'decide-keep' : 'decide-remove')}, ${JSON.stringify(decision === 'remove' ? 'bench: no longer needed' : '')}, ${keep}, ${remove})`,
  )) as { recorded: number | null; saved: number | null; longest: number; longTasks: number };
  if (r.recorded === null || r.saved === null) throw new Error(`the ${decision} decision on ${selected} rows was not ${r.recorded === null ? 'shown' : 'saved'} within 120 s`);
  return { decision, selected, recordedMs: r.recorded, savedMs: r.saved, longestTaskMs: r.longest, longTasks: r.longTasks };
}

export async function reviewBrowserFigures(
  tenant: RemoteTenant,
  opts: { extensionDir: string; latencyMs: number; decisions: number; reloads: number },
  log: (s: string) => void,
): Promise<ReviewBrowserFigures> {
  const launched = await launchWarmed(tenant, opts.extensionDir, opts.latencyMs);
  try {
    const chromium = await launched.browser.version();
    log(`  load of the main package at ${opts.latencyMs} ms per page, with its account data…`);
    const page = await launched.browser.newPage();
    await page.evaluateOnNewDocument(RESUME_PROBE);
    const t0 = Date.now();
    await page.goto(tenant.portalUrl);
    const total = await waitRowsLoaded(page, 1_800_000, log);
    const loadMs = Date.now() - t0;

    await page.evaluate((host) => (document.querySelector(host)!.shadowRoot!.querySelector('[data-testid="review-start"]') as HTMLButtonElement).click(), HOST);
    await waitPanelAttr(page, 'review-progress', 'data-total', String(total));
    const half = await halfFacet(page, total);
    log(`  ${opts.decisions} bulk decisions on the ${half.count.toLocaleString('en-US')} rows of ${half.facet} = ${half.value}…`);
    await toggleFacet(page, half.facet, half.value);
    const bulk: BulkDecision[] = [];
    for (let i = 0; i < opts.decisions; i++) {
      // A decision clears the selection (ready for the next group): select the rows again.
      await selectShown(page, half.count);
      const decision = i % 2 === 0 ? 'keep' : 'remove';
      bulk.push(await decide(page, decision, half.count, decision === 'keep' ? half.count : 0, decision === 'remove' ? half.count : 0));
    }
    // Every row decided: what the resume reads back.
    await toggleFacet(page, half.facet, half.value);
    await waitPanelAttr(page, 'row-count', 'data-shown', String(total));
    await selectShown(page, total);
    log(`  keep on all ${total.toLocaleString('en-US')} rows…`);
    const all = await decide(page, 'keep', total, total, 0);

    log(`  ${opts.reloads} reloads with the review open…`);
    const resume: ResumeTiming[] = [];
    for (let i = 0; i < opts.reloads; i++) {
      await page.reload();
      await page.waitForFunction(() => (window as unknown as { __reviewResume?: { decisions: number | null } }).__reviewResume?.decisions != null, { timeout: 120_000, polling: 100 });
      const r = await page.evaluate(() => (window as unknown as { __reviewResume: { list: number; decisions: number } }).__reviewResume);
      resume.push({ listMs: r.list, decisionsMs: r.decisions, afterListMs: r.decisions - r.list });
      // Let the refresh that follows a cached list finish before the next reload.
      await waitRowsLoaded(page, 1_800_000);
    }
    await page.close();
    return { chromium, assignments: total, latencyMs: opts.latencyMs, loadMs, facet: `${half.facet}=${half.value}`, bulk, all, resume };
  } finally {
    await launched.close();
    fs.rmSync(launched.downloadDir, { recursive: true, force: true });
  }
}
