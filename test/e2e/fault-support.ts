// Helpers shared by the fault and isolation suites: what an admin would check after a fault — the rows the
// panel holds (through "Export all", so virtualisation hides nothing), the pages it names as missing, and
// the Graph requests the tenant saw.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import Papa from 'papaparse';
import { expectedAssignments } from '../tenant';
import type { RequestLogEntry } from '../tenant';
import type { Assignment } from '../tenant/types';
import { readRowCount, waitForLoaded, type RowCount } from '../support/browser';
import { clickInPanel, fillInput, inShadow, waitForDownload, type Fixture } from './harness';

export const graphRequests = (log: readonly RequestLogEntry[]): RequestLogEntry[] =>
  log.filter((e) => e.host === 'graph.microsoft.com' && e.method !== 'OPTIONS');

export const assignmentListings = (log: readonly RequestLogEntry[]): RequestLogEntry[] =>
  graphRequests(log).filter((e) => e.method === 'GET' && e.path.endsWith('/entitlementManagement/assignments'));

/** Listing requests of one package (its id is in every $filter the product sends). */
export const listingsOf = (log: readonly RequestLogEntry[], packageId: string): RequestLogEntry[] =>
  assignmentListings(log).filter((e) => (e.query.$filter ?? '').includes(packageId));

export interface CsvFile {
  header: string[];
  rows: Record<string, string>[];
  raw: string;
}

export function parseCsv(file: string): CsvFile {
  const raw = fs.readFileSync(file, 'utf8');
  const parsed = Papa.parse<string[]>(raw.replace(/^\uFEFF/, ''), { skipEmptyLines: true, newline: '\r\n' });
  const [header, ...records] = parsed.data;
  return { header, rows: records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))), raw };
}

function clearDownloads(dir: string): void {
  for (const file of fs.readdirSync(dir)) fs.rmSync(path.join(dir, file), { force: true });
}

/**
 * Every row the panel holds, read back through "Export all". When pages are missing the panel asks for a
 * confirmation first; `incomplete` says whether that warning is expected (and confirmed) or must not appear.
 */
export async function exportAll(page: Page, downloadDir: string, incomplete = false): Promise<CsvFile> {
  clearDownloads(downloadDir);
  await clickInPanel(page, 'export-all');
  if (incomplete) {
    await clickInPanel(page, 'export-anyway');
  } else {
    await new Promise((r) => setTimeout(r, 100));
    const warned = await inShadow(page, (root) => !!root.querySelector('[data-testid="export-warning"]'));
    expect(warned).toBe(false);
  }
  return parseCsv(await waitForDownload(downloadDir, /-assignments-all-\d{8}-\d{6}\.csv$/));
}

/** Distinct ids of what Graph lists for the package (the tenant may list one id twice in hostile mode). */
export const expectedIds = (f: Fixture, packageId: string): string[] =>
  [...new Set(expectedAssignments(f.tenant.data, packageId).map((a) => a.id))].sort();

export const idsOf = (csv: CsvFile): string[] => csv.rows.map((r) => r['Assignment ID']).sort();

export interface MissingPartView {
  partition: string;
  page: string;
  text: string;
}

/** The pages the panel names as missing, and whether it offers a retry with them. */
export async function missingParts(page: Page): Promise<{ parts: MissingPartView[]; retry: boolean } | null> {
  return inShadow(page, (root) => {
    const box = root.querySelector('[data-testid="missing-parts"]');
    if (!box) return null;
    return {
      parts: [...box.querySelectorAll('[data-testid="missing-part"]')].map((el) => ({
        partition: el.getAttribute('data-partition') ?? '',
        page: el.getAttribute('data-page') ?? '',
        text: el.textContent ?? '',
      })),
      retry: !!box.querySelector('[data-testid="retry"]'),
    };
  });
}

/** Waits until a load that began after `since` (a new loading phase) has finished. */
export async function waitForNextLoad(page: Page, start: () => Promise<void>, timeout = 90_000): Promise<RowCount> {
  await page.evaluate(() => {
    const w = window as unknown as { __sawLoading?: boolean; __loadWatch?: MutationObserver };
    w.__sawLoading = false;
    w.__loadWatch?.disconnect();
    const root = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot;
    if (!root) throw new Error('panel not mounted');
    const mark = () => {
      if (root.querySelector('[data-testid="row-count"]')?.getAttribute('data-loading') === 'true') w.__sawLoading = true;
    };
    w.__loadWatch = new MutationObserver(mark);
    w.__loadWatch.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-loading'] });
  });
  await start();
  await page.waitForFunction(() => (window as unknown as { __sawLoading?: boolean }).__sawLoading === true, { timeout: 20_000, polling: 20 });
  return waitForLoaded(page, timeout);
}

/** Rows the tenant lists for the package that are NOT in `have`. */
export function absentRows(f: Fixture, packageId: string, have: readonly string[]): Assignment[] {
  const got = new Set(have);
  return expectedAssignments(f.tenant.data, packageId).filter((a) => !got.has(a.id));
}

export async function rowCount(page: Page): Promise<RowCount> {
  const c = await readRowCount(page);
  if (!c) throw new Error('no row count in the panel');
  return c;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Stops the extension's MV3 service worker the way the browser does when it reclaims it (CDP
 * `ServiceWorker.stopAllWorkers`), and proves it: the worker's running status goes to "stopped", and the
 * worker that runs afterwards is a fresh JavaScript context (a marker set in the old one is gone).
 *
 * Test-harness detail: puppeteer auto-attaches to every target with "wait for debugger on start", and
 * does not resume a service worker that restarts under the same target id, so the restarted worker
 * would sit in "starting" forever. A browser without a debugger starts it at once; here the test resumes
 * it (`Runtime.runIfWaitingForDebugger`) as soon as something (the panel reconnecting) has woken it.
 * Nothing wakes it on the test's behalf.
 */
export async function stopExtensionWorker(f: Fixture): Promise<{ stoppedAt: number; freshContext: () => Promise<boolean> }> {
  const marker = `__stopMarker${Date.now()}`;
  if (f.launched.browserName === 'firefox') return stopEventPage(f, marker);
  const old = await f.launched.worker();
  await old.evaluate((m) => {
    (globalThis as unknown as Record<string, boolean>)[m] = true;
  }, marker);
  const scriptPrefix = `chrome-extension://${f.launched.extensionId}/`;
  const statuses: string[] = [];
  const cdp = await f.page.createCDPSession();
  cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
    for (const v of e.versions) if (v.scriptURL.startsWith(scriptPrefix)) statuses.push(v.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  const stoppedAt = Date.now();
  await cdp.send('ServiceWorker.stopAllWorkers');
  const deadline = Date.now() + 10_000;
  while (!statuses.includes('stopped')) {
    if (Date.now() > deadline) throw new Error(`the extension's worker did not stop (statuses: ${statuses.join(', ')})`);
    await sleep(20);
  }

  // Resume the restarted worker once something has started it (see above).
  const browserSession = await f.launched.browser.target().createCDPSession();
  let resumed: { sessionId: string } | null = null;
  const resumeDeadline = Date.now() + 15_000;
  while (!resumed && Date.now() < resumeDeadline) {
    const stoppedIndex = statuses.indexOf('stopped');
    if (statuses.slice(stoppedIndex).includes('starting')) {
      const { targetInfos } = await browserSession.send('Target.getTargets');
      const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(scriptPrefix));
      if (sw) {
        const { sessionId } = await browserSession.send('Target.attachToTarget', { targetId: sw.targetId, flatten: true });
        await browserSession.connection()!.session(sessionId)!.send('Runtime.runIfWaitingForDebugger');
        resumed = { sessionId };
        break;
      }
    }
    await sleep(50);
  }
  return {
    stoppedAt,
    async freshContext() {
      if (!resumed) return false;
      const session = browserSession.connection()!.session(resumed.sessionId)!;
      const { result } = await session.send('Runtime.evaluate', { expression: `globalThis[${JSON.stringify(marker)}] === undefined && typeof chrome.runtime.id === 'string'`, returnByValue: true });
      return result.value === true;
    },
  };
}

/** Opens the package's Assignments route unless the panel already shows it, and waits for the load. */
export async function ensureOpen(f: Fixture, packageId: string): Promise<void> {
  const open = await f.page.evaluate((id) => location.hash.includes(id) && !!document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot, packageId);
  if (!open) await f.page.goto(f.tenant.portalUrl(packageId));
  await waitForLoaded(f.page, 90_000);
}

type BackgroundApi = { browser: { runtime: { getBackgroundPage(): Promise<Record<string, unknown>> } } };

/** Firefox: the event page is unloaded as its idle timer would (the harness's stopBackground). */
async function stopEventPage(f: Fixture, marker: string): Promise<{ stoppedAt: number; freshContext: () => Promise<boolean> }> {
  await f.launched.evaluateInExtension(async (m: string) => {
    const bg = await (globalThis as unknown as BackgroundApi).browser.runtime.getBackgroundPage();
    bg[m] = true;
  }, marker);
  const stoppedAt = Date.now();
  await f.launched.stopBackground();
  return {
    stoppedAt,
    freshContext: () =>
      f.launched.evaluateInExtension(async (m: string) => {
        const bg = await (globalThis as unknown as BackgroundApi).browser.runtime.getBackgroundPage();
        return bg[m] === undefined;
      }, marker),
  };
}

// ---------------------------------------------------------------- bulk removal

const REQUESTS_PATH = '/v1.0/identityGovernance/entitlementManagement/assignmentRequests';

/** Every adminRemove POST Graph received: the assignment it named and Graph's answer. */
export function removalPosts(log: readonly RequestLogEntry[]): Array<{ key: string; status: number; time: number }> {
  return log
    .filter((e) => e.host === 'graph.microsoft.com' && e.method === 'POST' && e.path === REQUESTS_PATH)
    // (The log entry is made on arrival; its body is filled in once read.)
    .map((e) => ({ body: e.body as { requestType?: string; assignment?: { id?: string } } | undefined, e }))
    .filter(({ body }) => body?.requestType === 'adminRemove')
    .map(({ body, e }) => ({ key: body?.assignment?.id ?? '', status: e.status, time: e.time }));
}

/** How many times each assignment was handed to Graph, and how many times Graph accepted it. */
export function postsPerKey(log: readonly RequestLogEntry[]): Map<string, { sent: number; accepted: number }> {
  const out = new Map<string, { sent: number; accepted: number }>();
  for (const p of removalPosts(log)) {
    const c = out.get(p.key) ?? { sent: 0, accepted: 0 };
    c.sent++;
    if (p.status === 201) c.accepted++;
    out.set(p.key, c);
  }
  return out;
}

/** A search text that the panel's free-text filter matches on `min`..`max` of these assignments (and only them). */
export function searchMatching(list: readonly Assignment[], min: number, max: number): { text: string; ids: string[] } {
  const hay = (a: Assignment): string =>
    [a.target?.displayName, a.target?.principalName, a.target?.email, a.target?.objectId].map((v) => v ?? '').join('\u0000').toLowerCase();
  const words = new Set<string>();
  for (const a of list) for (const w of (a.target?.displayName ?? '').toLowerCase().split(/[^a-z]+/)) if (w.length >= 3) words.add(w.slice(0, 3));
  const found = [...words]
    .map((text) => ({ text, ids: list.filter((a) => hay(a).includes(text)).map((a) => a.id) }))
    .filter((c) => c.ids.length >= min && c.ids.length <= max && new Set(c.ids).size === c.ids.length)
    .sort((a, b) => b.ids.length - a.ids.length || a.text.localeCompare(b.text));
  if (found.length === 0) throw new Error(`no search text matches ${min}..${max} assignments`);
  return found[0];
}

export interface ActionCounts {
  batch: string;
  pending: number;
  failed: number;
  done: number;
}

export async function actionCounts(page: Page): Promise<ActionCounts> {
  return inShadow(page, (root) => {
    const el = root.querySelector('[data-testid="action-status"]');
    return {
      batch: el?.getAttribute('data-batch') ?? '',
      pending: Number(el?.getAttribute('data-pending') ?? 0),
      failed: Number(el?.getAttribute('data-failed') ?? 0),
      done: Number(el?.getAttribute('data-done') ?? 0),
    };
  });
}

/** Searches, selects every row of that view, and confirms their removal (typing the count when asked). */
export async function removeBySearch(page: Page, text: string, count: number): Promise<void> {
  const search = await page.waitForSelector('[data-testid="assignment-panel-host"] >>> [data-testid="search"]');
  await fillInput(search!, text);
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot
      ?.querySelector('[data-testid="row-count"]')?.getAttribute('data-shown') === String(n),
    { timeout: 20_000 },
    count,
  );
  await clickInPanel(page, 'select-all');
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot
      ?.querySelector('[data-testid="selection-count"]')?.getAttribute('data-selected') === String(n),
    { timeout: 10_000 },
    count,
  );
  await clickInPanel(page, 'remove-selected');
  if (count >= 25) {
    const input = await page.waitForSelector('[data-testid="assignment-panel-host"] >>> [data-testid="confirm-input"]', { timeout: 20_000 });
    await fillInput(input!, String(count));
  }
  await clickInPanel(page, 'confirm-remove');
}

/** The result the action log (as stored by the worker, `actionLog:<package>`) holds for each of these removals. */
export async function storedResults(f: Fixture, packageId: string, ids: readonly string[]): Promise<Record<string, string>> {
  const key = `actionLog:${packageId}`;
  // Read from an extension page: puppeteer's handle on a service worker that was stopped and restarted is stale.
  const page = await f.launched.openExtensionPage('options.html');
  const stored = (await page.evaluate((k: string) => chrome.storage.local.get(k), key)) as Record<string, unknown>;
  await page.close();
  const log = stored[key] as { batches?: Array<{ kind?: string; entries?: Array<{ k?: string; r?: string; at?: string }> }> } | undefined;
  const latest = new Map<string, { r: string; at: string }>();
  for (const b of log?.batches ?? []) {
    if (b.kind !== 'remove') continue;
    for (const e of b.entries ?? []) {
      if (!e.k || !e.r) continue;
      const prev = latest.get(e.k);
      if (!prev || (e.at ?? '') >= prev.at) latest.set(e.k, { r: e.r, at: e.at ?? '' });
    }
  }
  return Object.fromEntries(ids.map((id) => [id, latest.get(id)?.r ?? '']));
}
