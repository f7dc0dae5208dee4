// The details view's figures in real Chromium (issue "Assignment details"), `npm run bench -- --only details`:
// the production build against the demo tenant in its own process, the main package with one assignment
// request per assignment (100,000 and 100,000 at the default size).
//
//  - Load: the package opened at the run's page latency, every row listed, then the package's requests listed
//    by the worker (it starts them when the list is complete). From the tenant's log: the span of the
//    assignment listing (first request arriving to the last one answered) and of the requests listing; the
//    ratio says how much the requests listing adds to a full package load.
//  - Opens: on that package, now cached (list and requests in the worker), `opens` times a row's display name
//    is clicked: click → the view of that assignment at a frame (painted), and click → its requests shown at
//    a frame, each timed in the page; the view is closed with its Close button between opens. The tenant's
//    log counts every Graph request the opens made, and those of the requests listing among them (must be 0).
//  - The first open waits for every row to be listed, not for the account data: at 100,000 users that takes
//    minutes against the demo tenant, so the opens are measured while it still arrives (pessimistic figures).
import fs from 'node:fs';
import type { Page } from 'puppeteer-core';
import { HOST, launchWarmed, waitRowsLoaded, waitSliced } from './panel-page';
import { isGraph, type LogLine, type RemoteTenant } from './remote-tenant';

export interface DetailsBrowserFigures {
  chromium: string;
  assignments: number;
  requests: number;
  latencyMs: number;
  /** navigation → every row listed (the account data may still be arriving) */
  loadMs: number;
  /** the assignment listing at the tenant: first request in → last answer out */
  assignmentsSpanMs: number;
  assignmentPages: number;
  /** the requests listing at the tenant, the same way */
  requestsSpanMs: number;
  requestPages: number;
  /** the requests listing's span over the assignment listing's */
  ratio: number;
  /** per open: click → the assignment's view at a frame */
  viewMs: number[];
  /** per open: click → its requests shown at a frame */
  requestsMs: number[];
  /** Graph requests the opens made, and those of them to the requests listing */
  openGraphRequests: number;
  openRequestListings: number;
}

const isRequestListing = (l: LogLine): boolean => isGraph(l) && l.method === 'GET' && l.path.endsWith('/entitlementManagement/assignmentRequests');
const isAssignmentListing = (l: LogLine): boolean => isGraph(l) && l.method === 'GET' && l.path.endsWith('/entitlementManagement/assignments') && !/target\/objectId/i.test(l.filter ?? '');

/** First request in → last answer out, over the log lines that match. */
function span(lines: readonly LogLine[]): number {
  if (lines.length === 0) return 0;
  const start = Math.min(...lines.map((l) => l.time));
  const end = Math.max(...lines.map((l) => l.time + (l.durationMs ?? 0)));
  return end - start;
}

async function waitDetailsDone(page: Page, id: string, timeout: number, log?: (s: string) => void): Promise<void> {
  const started = Date.now();
  await waitSliced(
    page,
    timeout,
    (host: string, want: string) => {
      const v = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="assignment-details"]');
      return !!v && v.getAttribute('data-assignment-id') === want && v.getAttribute('data-loading') === 'false';
    },
    [HOST, id] as [string, string],
    async () => log?.(`    details of ${id} still loading after ${Math.round((Date.now() - started) / 1000)} s`),
  );
}

// One open, timed in the page: the click on the row's display name, then a requestAnimationFrame loop that
// notes the first frame showing the view of that assignment, and the first showing its requests.
const OPEN_SCRIPT = `async (host, index) => {
  const root = document.querySelector(host).shadowRoot;
  const rows = [...root.querySelectorAll('[data-testid="row"]')].filter((r) => r.querySelector('[data-testid="row-open-details"]'));
  const row = rows[index % rows.length];
  const id = row.getAttribute('data-assignment-id');
  const link = row.querySelector('[data-testid="row-open-details"]');
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  await frame();
  const t0 = performance.now();
  link.click();
  let view = null;
  let requests = null;
  const limit = t0 + 30000;
  while ((view === null || requests === null) && performance.now() < limit) {
    await frame();
    const v = root.querySelector('[data-testid="assignment-details"]');
    if (!v || v.getAttribute('data-assignment-id') !== id) continue;
    const now = performance.now();
    if (view === null) view = now - t0;
    if (requests === null && v.querySelector('[data-testid="details-request"], [data-testid="details-part-problem"][data-part="requests"]')) requests = now - t0;
  }
  return { id, view, requests };
}`;

const CLOSE_SCRIPT = `(host) => { document.querySelector(host).shadowRoot.querySelector('[data-testid="details-close"]')?.click(); }`;

export async function detailsBrowserFigures(
  tenant: RemoteTenant,
  opts: { extensionDir: string; latencyMs: number; opens: number },
  log: (s: string) => void,
): Promise<DetailsBrowserFigures> {
  const requests = await tenant.detailsScale();
  const launched = await launchWarmed(tenant, opts.extensionDir, opts.latencyMs);
  try {
    const chromium = await launched.browser.version();
    await tenant.resetLog();
    log(`  load of the main package (${requests.toLocaleString('en-US')} requests) at ${opts.latencyMs} ms per page…`);
    const page = await launched.browser.newPage();
    page.on('dialog', (d) => log(`    the page opened a ${d.type()} dialog: ${d.message().slice(0, 200)}`));
    page.on('error', (e) => log(`    the page crashed: ${e.message}`));
    const t0 = Date.now();
    await page.goto(tenant.portalUrl);
    const assignments = await waitRowsLoaded(page, 900_000, log, true);
    const loadMs = Date.now() - t0;
    // The requests part of a first details view waits for the package's requests listing: open one and wait.
    const first = (await page.evaluate(`(${OPEN_SCRIPT})(${JSON.stringify(HOST)}, 0)`)) as { id: string };
    await waitDetailsDone(page, first.id, 1_800_000, log);
    await page.evaluate(`(${CLOSE_SCRIPT})(${JSON.stringify(HOST)})`);
    const loadLog = await tenant.log();
    const assignmentLines = loadLog.filter(isAssignmentListing);
    const requestLines = loadLog.filter(isRequestListing);
    const assignmentsSpanMs = span(assignmentLines);
    const requestsSpanMs = span(requestLines);
    log(`  assignments listed in ${(assignmentsSpanMs / 1000).toFixed(1)} s, requests in ${(requestsSpanMs / 1000).toFixed(1)} s`);

    log(`  ${opts.opens} opens on the cached package…`);
    const from = await tenant.logLength();
    const viewMs: number[] = [];
    const requestsMs: number[] = [];
    for (let i = 0; i < opens(opts); i++) {
      const r = (await page.evaluate(`(${OPEN_SCRIPT})(${JSON.stringify(HOST)}, ${i + 1})`)) as { id: string; view: number | null; requests: number | null };
      if (r.view === null || r.requests === null) throw new Error(`the details of ${r.id} did not show within 30 s`);
      viewMs.push(r.view);
      requestsMs.push(r.requests);
      // The other parts (person, manager, approvals, other assignments) finish before the next open.
      await waitDetailsDone(page, r.id, 120_000);
      await page.evaluate(`(${CLOSE_SCRIPT})(${JSON.stringify(HOST)})`);
      await page.waitForFunction((host) => !document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="assignment-details"]'), { timeout: 30_000, polling: 50 }, HOST);
    }
    const openLog = (await tenant.log(from)).filter(isGraph);
    await page.close();
    return {
      chromium,
      assignments,
      requests,
      latencyMs: opts.latencyMs,
      loadMs,
      assignmentsSpanMs,
      assignmentPages: assignmentLines.length,
      requestsSpanMs,
      requestPages: requestLines.length,
      ratio: assignmentsSpanMs > 0 ? requestsSpanMs / assignmentsSpanMs : Number.NaN,
      viewMs,
      requestsMs,
      openGraphRequests: openLog.length,
      openRequestListings: openLog.filter(isRequestListing).length,
    };
  } finally {
    await launched.close();
    fs.rmSync(launched.downloadDir, { recursive: true, force: true });
  }
}

const opens = (o: { opens: number }): number => Math.max(1, Math.floor(o.opens));
