// The fault matrix: the production build in real Chromium against the demo tenant's fault injection. For
// every fault the guarantee is the same: the final list equals the tenant's, or the panel says precisely
// which pages are missing and offers a retry that then completes it. Nothing silently dropped or doubled.
// (panel.e2e.ts already covers a 429-every-7th + 503 + expired-token run and a cancel on route change.)
import { expectedAssignments } from '../tenant';
import { shownState } from '../tenant/graph/serialize';
import { waitForLoaded } from '../support/browser';
import { clickInPanel, IDS, inShadow, setup, type Fixture } from './harness';
import {
  absentRows,
  actionCounts,
  type ActionCounts,
  ensureOpen,
  assignmentListings,
  exportAll,
  expectedIds,
  graphRequests,
  idsOf,
  listingsOf,
  missingParts,
  postsPerKey,
  removalPosts,
  removeBySearch,
  rowCount,
  searchMatching,
  storedResults,
  sleep,
  stopExtensionWorker,
  waitForNextLoad,
} from './fault-support';

/**
 * The admin's check after a load under faults: either the list is exactly the tenant's (and nothing is
 * flagged), or the panel names the missing pages, the rows it holds are all real and distinct, every row
 * it lacks belongs to a page it named, and its retry (faults over) brings the exact list.
 */
async function expectExactOrPreciselyIncomplete(f: Fixture, packageId: string, endFaults: () => void): Promise<'exact' | 'retried'> {
  const expected = expectedIds(f, packageId);
  const counts = await rowCount(f.page);
  expect(counts.error).toBeNull();
  const missing = await missingParts(f.page);
  if (!missing) {
    expect(counts.total).toBe(expected.length);
    expect(idsOf(await exportAll(f.page, f.launched.downloadDir))).toEqual(expected);
    return 'exact';
  }
  expect(missing.parts.length).toBeGreaterThan(0);
  expect(missing.retry).toBe(true);
  for (const p of missing.parts) {
    expect(p.partition).not.toBe('');
    expect(p.page).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\//);
  }
  const held = idsOf(await exportAll(f.page, f.launched.downloadDir, true));
  expect(new Set(held).size).toBe(held.length);
  for (const id of held) expect(expected).toContain(id);
  expect(counts.total).toBe(held.length);
  expect(held.length).toBeLessThan(expected.length);
  endFaults();
  const after = await waitForNextLoad(f.page, () => clickInPanel(f.page, 'retry'));
  expect(after.error).toBeNull();
  expect(after.total).toBe(expected.length);
  expect(await missingParts(f.page)).toBeNull();
  expect(idsOf(await exportAll(f.page, f.launched.downloadDir))).toEqual(expected);
  return 'retried';
}

describe('throttling storm: every Graph request answers 429 for several seconds', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup({ size: 500, ssoSession: 'always', pageSize: 25 });
  });
  afterAll(() => f?.close());

  it('with Retry-After: waits it out and lists exactly the tenant', async () => {
    // Long enough that the panel's first request falls inside it even on a busy machine (4 s was not).
    const stormEnds = Date.now() + 8000;
    f.tenant.configure({ throttle: { untilMs: stormEnds } }); // Retry-After: the seconds left in the storm
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    const counts = await waitForLoaded(f.page, 90_000);
    expect(counts.error).toBeNull();
    expect(f.tenant.stats.throttled).toBeGreaterThan(0);
    // Nothing got through during the storm: the list was read after it.
    const ok = assignmentListings(f.tenant.log).filter((e) => e.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    expect(Math.min(...ok.map((e) => e.time))).toBeGreaterThanOrEqual(stormEnds);
    expect(await missingParts(f.page)).toBeNull();
    expect(counts.total).toBe(expectedIds(f, IDS.mainPackage).length);
    expect(idsOf(await exportAll(f.page, f.launched.downloadDir))).toEqual(expectedIds(f, IDS.mainPackage));
  });

  it('without Retry-After: backs off, then lists exactly the tenant or names what is missing and retries', async () => {
    await ensureOpen(f, IDS.mainPackage);
    f.tenant.resetLog();
    const counts = await waitForNextLoad(f.page, async () => {
      f.tenant.configure({ throttle: { untilMs: Date.now() + 3000, retryAfterSec: null } });
      await clickInPanel(f.page, 'refresh');
    });
    expect(counts.error).toBeNull();
    expect(graphRequests(f.tenant.log).filter((e) => e.status === 429).length).toBeGreaterThan(0);
    await expectExactOrPreciselyIncomplete(f, IDS.mainPackage, () => f.tenant.configure({ throttle: null }));
  });
});

describe('503 and 504 on random pages, a connection reset mid-body, a body that is not JSON', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup({ size: 600, ssoSession: 'always', pageSize: 25 });
  });
  afterAll(() => f?.close());

  it('503 on random pages and two connection resets in the middle of a body: the exact list', async () => {
    f.tenant.configure({
      failPages: { status: 503, probability: 0.3, seed: 11, count: 40, match: '/entitlementManagement/assignments' },
      resetNext: 2,
      faultMatch: '/entitlementManagement/assignments',
    });
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    const counts = await waitForLoaded(f.page, 90_000);
    expect(f.tenant.stats.injectedFailures).toBeGreaterThan(2);
    expect(f.tenant.stats.resets).toBe(2);
    expect(f.tenant.log.filter((e) => e.fault === 'reset')).toHaveLength(2);
    expect(counts.error).toBeNull();
    expect(await expectExactOrPreciselyIncomplete(f, IDS.mainPackage, () => f.tenant.configure({ failPages: null }))).toBe('exact');
  });

  it('504 on random pages and two bodies that are not JSON: the exact list', async () => {
    await ensureOpen(f, IDS.mainPackage);
    f.tenant.resetLog();
    const counts = await waitForNextLoad(f.page, async () => {
      f.tenant.configure({
        failPages: { status: 504, probability: 0.3, seed: 5, count: 40, match: '/entitlementManagement/assignments' },
        malformedNext: 2,
        faultMatch: '/entitlementManagement/assignments',
      });
      await clickInPanel(f.page, 'refresh');
    });
    expect(f.tenant.stats.injectedFailures).toBeGreaterThan(2);
    expect(f.tenant.stats.malformed).toBe(2);
    expect(counts.error).toBeNull();
    expect(await expectExactOrPreciselyIncomplete(f, IDS.mainPackage, () => f.tenant.configure({ failPages: null }))).toBe('exact');
  });

  it('a page that keeps failing: the panel names exactly that page, lacks exactly its rows, and its retry completes the list', async () => {
    const employees = f.tenant.data.policies.find((p) => p.id === IDS.policies.employees)!;
    const partition = `assignmentPolicy/id eq '${employees.id}' and state eq 'delivered'`;
    await ensureOpen(f, IDS.mainPackage);
    f.tenant.resetLog();
    const counts = await waitForNextLoad(f.page, async () => {
      f.tenant.configure({
        // That partition's first page fails every time (Retry-After 0 keeps the retries quick)…
        failPages: { status: 503, count: 1000, match: partition, retryAfterSec: 0 },
        // …and so does the unpartitioned first page, so nothing else can cover its rows.
        resetNext: 1000,
        faultMatch: `eq '${IDS.mainPackage}'&`,
        malformedNext: 0,
      });
      await clickInPanel(f.page, 'refresh');
    });
    expect(counts.error).toBeNull();
    const missing = await missingParts(f.page);
    expect(missing).not.toBeNull();
    expect(missing!.retry).toBe(true);
    // Named: the partition's page (503), and if the product fell back on it, the unpartitioned listing (reset).
    const named = missing!.parts.filter((p) => decodeURIComponent(p.page).includes(partition));
    expect(named).toHaveLength(1);
    expect(named[0].partition).toContain('state delivered');
    expect(named[0].partition).toContain(employees.displayName);
    expect(named[0].text).toMatch(/503|unavailable/i);
    for (const other of missing!.parts.filter((p) => p !== named[0])) {
      expect(decodeURIComponent(other.page)).toContain(`eq '${IDS.mainPackage}'&`);
      expect(other.partition).toMatch(/unpartitioned/);
    }

    // Exactly that partition's rows are absent; everything else is there, once.
    const held = idsOf(await exportAll(f.page, f.launched.downloadDir, true));
    expect(new Set(held).size).toBe(held.length);
    const absent = absentRows(f, IDS.mainPackage, held);
    expect(absent.length).toBeGreaterThan(0);
    for (const a of absent) {
      expect(a.assignmentPolicyId).toBe(employees.id);
      expect((a.state ?? '').toLowerCase()).toBe('delivered');
    }
    const inPartition = expectedAssignments(f.tenant.data, IDS.mainPackage).filter(
      (a) => a.assignmentPolicyId === employees.id && (a.state ?? '').toLowerCase() === 'delivered',
    );
    expect(absent.length).toBe(inPartition.length);
    expect(counts.total).toBe(held.length);

    f.tenant.configure({ failPages: null, resetNext: 0, faultMatch: null });
    const after = await waitForNextLoad(f.page, () => clickInPanel(f.page, 'retry'));
    expect(after.error).toBeNull();
    expect(await missingParts(f.page)).toBeNull();
    expect(after.total).toBe(expectedIds(f, IDS.mainPackage).length);
    expect(idsOf(await exportAll(f.page, f.launched.downloadDir))).toEqual(expectedIds(f, IDS.mainPackage));
  });
});

describe('the token expires in the middle of paging and its refresh token is dead too', () => {
  let f: Fixture;
  afterAll(() => f?.close());

  it('signs in again without a prompt and lists exactly the tenant', async () => {
    f = await setup({ size: 500, ssoSession: 'always', pageSize: 25, refreshTokenExpired: true });
    f.tenant.configure({ expireTokensAfter: 10 });
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    const counts = await waitForLoaded(f.page, 90_000);
    expect(counts.error).toBeNull();
    expect(f.tenant.stats.expiredTokenRejections).toBeGreaterThan(0);
    // The refresh grant was refused, so a second (prompt=none) authorization had to happen mid-load.
    const login = f.tenant.log.filter((e) => e.host === 'login.microsoftonline.com');
    const refreshes = login.filter((e) => e.path.endsWith('/token') && (e.body as Record<string, string> | undefined)?.grant_type === 'refresh_token');
    expect(refreshes.length).toBeGreaterThan(0);
    expect(refreshes.every((e) => e.status >= 400)).toBe(true);
    expect(login.filter((e) => e.path.endsWith('/authorize')).length).toBeGreaterThanOrEqual(2);
    expect(await missingParts(f.page)).toBeNull();
    expect(counts.total).toBe(expectedIds(f, IDS.mainPackage).length);
    expect(idsOf(await exportAll(f.page, f.launched.downloadDir))).toEqual(expectedIds(f, IDS.mainPackage));
  });
});

describe('an @odata.nextLink to another host', () => {
  let f: Fixture;
  afterAll(() => f?.close());

  it('is refused (no request, no token sent there), reported as missing pages, and retry completes the list', async () => {
    f = await setup({ size: 300, ssoSession: 'always', pageSize: 25 });
    // A host the demo tenant also answers (another cloud's Graph): had the link been followed, its log would show it.
    const foreign = 'graph.microsoft.us';
    f.tenant.configure({ nextLinkHost: foreign });
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    const counts = await waitForLoaded(f.page, 60_000);
    expect(counts.error).toBeNull();
    expect(f.tenant.log.filter((e) => e.host === foreign)).toEqual([]);
    expect(f.tenant.log.filter((e) => e.hasAuth && e.host !== 'graph.microsoft.com')).toEqual([]);

    const missing = await missingParts(f.page);
    expect(missing).not.toBeNull();
    expect(missing!.retry).toBe(true);
    expect(missing!.parts.length).toBeGreaterThan(0);
    for (const p of missing!.parts) {
      expect(p.page.startsWith(`https://${foreign}/`)).toBe(true);
      expect(p.text).toMatch(/not followed/);
    }
    // Every absent row belongs to a partition the panel named.
    const held = idsOf(await exportAll(f.page, f.launched.downloadDir, true));
    expect(new Set(held).size).toBe(held.length);
    expect(counts.total).toBe(held.length);
    const policyName = new Map(f.tenant.data.policies.map((p) => [p.id, p.displayName]));
    const named = new Set(missing!.parts.map((p) => p.partition));
    const absent = absentRows(f, IDS.mainPackage, held);
    expect(absent.length).toBeGreaterThan(0);
    for (const a of absent) {
      const state = a.state ?? '';
      expect(named.has(`policy ${policyName.get(a.assignmentPolicyId)}, state ${state}`) || named.has(`state ${state}`)).toBe(true);
    }

    f.tenant.configure({ nextLinkHost: null });
    const after = await waitForNextLoad(f.page, () => clickInPanel(f.page, 'retry'));
    expect(after.error).toBeNull();
    expect(await missingParts(f.page)).toBeNull();
    expect(idsOf(await exportAll(f.page, f.launched.downloadDir))).toEqual(expectedIds(f, IDS.mainPackage));
  });
});

describe('the browser stops the MV3 service worker in the middle of a fetch', () => {
  let f: Fixture;
  afterAll(() => f?.close());

  it('the list restarts and completes with the exact count, no row twice', async () => {
    f = await setup({ size: 800, ssoSession: 'always', pageSize: 20, latencyMs: 120 });
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    // Mid-fetch: some pages are in, the list is far from complete.
    await f.page.waitForFunction(
      () => Number(document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot
        ?.querySelector('[data-testid="progress"]')?.getAttribute('data-pages') ?? 0) >= 3,
      { timeout: 30_000, polling: 20 },
    );
    expect((await rowCount(f.page)).loading).toBe('true');
    const stop = await stopExtensionWorker(f);
    const counts = await waitForLoaded(f.page, 90_000);
    // A new worker context finished the job: it asked Graph again after the stop.
    expect(await stop.freshContext()).toBe(true);
    expect(assignmentListings(f.tenant.log).some((e) => e.time > stop.stoppedAt + 50)).toBe(true);
    expect(counts.error).toBeNull();
    expect(await missingParts(f.page)).toBeNull();
    expect(counts.total).toBe(expectedIds(f, IDS.mainPackage).length);
    expect(idsOf(await exportAll(f.page, f.launched.downloadDir))).toEqual(expectedIds(f, IDS.mainPackage));
  });
});

describe('the route changes, and the tab closes, during a fetch', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup({ size: 800, ssoSession: 'always', pageSize: 20, latencyMs: 150 });
  });
  afterAll(() => f?.close());

  it('a route change to another package mid-fetch shows exactly that package, with nothing of the first', async () => {
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    await f.page.waitForFunction(
      () => Number(document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot
        ?.querySelector('[data-testid="row-count"]')?.getAttribute('data-total') ?? 0) > 0,
      { timeout: 30_000, polling: 20 },
    );
    expect((await rowCount(f.page)).loading).toBe('true');
    const finance = expectedIds(f, IDS.financePackage);
    const leftAt = Date.now();
    await f.page.evaluate((hash) => (location.hash = hash), new URL(f.tenant.portalUrl(IDS.financePackage)).hash);
    await f.page.waitForFunction(
      (n) => {
        const el = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="row-count"]');
        return el?.getAttribute('data-loading') === 'false' && el.getAttribute('data-total') === String(n);
      },
      { timeout: 30_000, polling: 20 },
      finance.length,
    );
    // Pages of the first package still in flight must not land in the second one's list.
    await sleep(1500);
    expect((await rowCount(f.page)).total).toBe(finance.length);
    expect(idsOf(await exportAll(f.page, f.launched.downloadDir))).toEqual(finance);
    // The first package's fetch was stopped when the second began, not left running in the background.
    const secondBegan = Math.min(...graphRequests(f.tenant.log).filter((e) => e.time >= leftAt && e.url.includes(IDS.financePackage)).map((e) => e.time));
    expect(Number.isFinite(secondBegan)).toBe(true);
    expect(listingsOf(f.tenant.log, IDS.mainPackage).filter((e) => e.time > secondBegan + 100)).toEqual([]);
  });

  it('closing the tab mid-fetch stops the fetch', async () => {
    const page = await f.launched.browser.newPage();
    f.tenant.resetLog();
    await page.goto(f.tenant.portalUrl(IDS.mainPackage));
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot
        ?.querySelector('[data-testid="progress"]')?.getAttribute('data-pages') ?? 0) >= 2,
      { timeout: 30_000, polling: 20 },
    );
    const closedAt = Date.now();
    await page.close();
    await sleep(3000);
    const listings = listingsOf(f.tenant.log, IDS.mainPackage);
    expect(listings.length).toBeGreaterThan(0);
    // What was in flight when the tab went may still arrive; nothing is asked for after.
    expect(listings.filter((e) => e.time > closedAt + 1000)).toEqual([]);
    // …and the list was not read to its end regardless (800 rows, 20 a page: 40 pages and more).
    expect(listings.length).toBeLessThan(30);
  });
});

describe('two portal tabs on two packages at once', () => {
  let f: Fixture;
  afterAll(() => f?.close());

  it('each tab lists exactly its own package', async () => {
    f = await setup({ size: 700, ssoSession: 'always', pageSize: 25, latencyMs: 40 });
    const second = await f.launched.browser.newPage();
    await Promise.all([f.page.goto(f.tenant.portalUrl(IDS.mainPackage)), second.goto(f.tenant.portalUrl(IDS.labPackage))]);
    const [a, b] = await Promise.all([waitForLoaded(f.page, 90_000), waitForLoaded(second, 90_000)]);
    // Both were fetched at the same time.
    const main = listingsOf(f.tenant.log, IDS.mainPackage);
    const lab = listingsOf(f.tenant.log, IDS.labPackage);
    expect(lab.length).toBeGreaterThan(0);
    expect(Math.min(...lab.map((e) => e.time))).toBeLessThan(Math.max(...main.map((e) => e.time)));

    expect(a.error).toBeNull();
    expect(b.error).toBeNull();
    expect(a.total).toBe(expectedIds(f, IDS.mainPackage).length);
    expect(b.total).toBe(expectedIds(f, IDS.labPackage).length);
    // (A download starts from the tab in front, as when the admin clicks.)
    await f.page.bringToFront();
    expect(idsOf(await exportAll(f.page, f.launched.downloadDir))).toEqual(expectedIds(f, IDS.mainPackage));
    await second.bringToFront();
    expect(idsOf(await exportAll(second, f.launched.downloadDir))).toEqual(expectedIds(f, IDS.labPackage));
  });
});

describe('hostile and odd input from Graph', () => {
  let f: Fixture;
  afterAll(() => f?.close());

  /** What the CSV must hold for a Graph string: the string itself, behind a quote when it would start a formula. */
  const cell = (v: string | null | undefined): string => {
    const s = v ?? '';
    return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  };
  /** The contract's date form: ISO 8601 UTC with Z, seconds precision; unknown (invalid, Graph's min date) empty. */
  const isoCell = (v: string | null | undefined): string => {
    if (!v || /^0001-/.test(v)) return '';
    const t = Date.parse(v);
    return Number.isNaN(t) ? '' : `${new Date(Math.floor(t / 1000) * 1000).toISOString().slice(0, 19)}Z`;
  };

  it('every field arrives verbatim as text, once per id, with unknown values empty and nothing executed', async () => {
    f = await setup({ size: 280, ssoSession: 'always', pageSize: 30, hostile: true });
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    const counts = await waitForLoaded(f.page, 60_000);
    expect(counts.error).toBeNull();
    expect(await missingParts(f.page)).toBeNull();

    const all = expectedAssignments(f.tenant.data, IDS.mainPackage);
    const seen = new Map<string, number>();
    for (const a of all) seen.set(a.id, (seen.get(a.id) ?? 0) + 1);
    const repeated = new Set([...seen].filter(([, n]) => n > 1).map(([id]) => id));
    expect(repeated.size).toBeGreaterThan(0); // Graph listed some ids twice, on different pages
    // One row per distinct id: the repeat is neither dropped (the id is there) nor doubled.
    expect(counts.total).toBe(seen.size);
    const csv = await exportAll(f.page, f.launched.downloadDir);
    expect(idsOf(csv)).toEqual([...seen.keys()].sort());

    const policyName = new Map(f.tenant.data.policies.map((p) => [p.id, p.displayName]));
    const byId = new Map(csv.rows.map((r) => [r['Assignment ID'], r]));
    let noObjectId = 0;
    let noTarget = 0;
    for (const a of all) {
      if (repeated.has(a.id)) continue; // which of two rows with one id wins is not defined
      const row = byId.get(a.id)!;
      const t = a.target;
      expect(row['Display name']).toBe(cell(t?.displayName));
      expect(row['User principal name']).toBe(cell(t?.principalName));
      expect(row.Email).toBe(cell(t?.email));
      expect(row['Object ID']).toBe(cell(t?.objectId));
      expect(row['Subject type']).toBe(cell(t?.subjectType));
      // Graph's state as Graph sends it: a member added later arrives as unknownFutureValue (no Prefer header).
      expect(row.State).toBe(cell(shownState(a.state)));
      expect(row.Status).toBe(cell(a.status));
      expect(row.Policy).toBe(cell(policyName.get(a.assignmentPolicyId)));
      expect(row['Start (UTC)']).toBe(isoCell(a.schedule?.startDateTime));
      expect(row['Expiry (UTC)']).toBe(isoCell(a.schedule?.expiration?.endDateTime));
      for (const v of Object.values(row)) expect(v).not.toMatch(/^(Invalid Date|NaN|undefined|null|\[object Object\])$/);
      if (!t?.objectId) {
        // Not (yet) in the directory: never stale.
        expect(row.Stale).toBe('false');
        if (t) noObjectId++;
        else noTarget++;
      }
    }
    expect(noObjectId).toBeGreaterThan(0);
    expect(noTarget).toBeGreaterThan(0);
    // Unknown enum values are shown as Graph sent them (a later state, without the Prefer header, as the sentinel).
    expect(csv.rows.some((r) => r.State === 'unknownFutureValue' && r['Subject type'] === 'unknownFutureValue')).toBe(true);

    // Markup, right-to-left and emoji text is shown as text: search for it and read it back from the rows.
    for (const probe of ['<img src=x onerror=', '\u202Egnp.exe', '👩‍💻 Dev Ops 🚀']) {
      const matching = csv.rows.filter((r) => r['Display name'].includes(probe));
      expect(matching.length).toBeGreaterThan(0);
      const input = await f.page.waitForSelector('[data-testid="assignment-panel-host"] >>> [data-testid="search"]');
      await input!.evaluate((el, v) => {
        const i = el as HTMLInputElement;
        i.value = v;
        i.dispatchEvent(new Event('input', { bubbles: true }));
      }, probe);
      await f.page.waitForFunction(
        (n) => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot
          ?.querySelector('[data-testid="row-count"]')?.getAttribute('data-shown') === String(n),
        { timeout: 10_000 },
        matching.length,
      );
      const rendered = await inShadow(f.page, (root, p) =>
        [...root.querySelectorAll('[data-testid="row"]')].map((el) => (el.textContent ?? '').includes(p)), probe);
      expect(rendered.length).toBe(matching.length);
      expect(rendered.every(Boolean)).toBe(true);
    }
    // The panel's own Fluent icons are <svg class="icon-svg">; nothing Graph sent may become an element.
    const injected = await inShadow(f.page, (root) => root.querySelectorAll('img, script, iframe, svg:not(.icon-svg), b, a[href^="javascript"]').length);
    expect(injected).toBe(0);
    expect(await f.page.evaluate(() => document.querySelectorAll('img, script:not([nonce]), iframe').length)).toBe(0);
  });
});

describe('faults in the middle of a bulk removal', () => {
  let f: Fixture;
  const list = () => expectedAssignments(f.tenant.data, IDS.mainPackage);
  beforeAll(async () => {
    f = await setup({ size: 220, ssoSession: 'always', requestDelayMs: 300, latencyMs: 120 });
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    expect((await waitForLoaded(f.page)).error).toBeNull();
  });
  afterAll(() => f?.close());

  /** Waits until Graph has received at least `n` adminRemove requests since the last resetLog. */
  const postsArrived = async (n: number) => {
    const deadline = Date.now() + 30_000;
    while (removalPosts(f.tenant.log).length < n) {
      if (Date.now() > deadline) throw new Error(`only ${removalPosts(f.tenant.log).length} removals reached Graph`);
      await sleep(10);
    }
  };

  /** Waits until the latest batch's tally covers all `n` entries and has stopped changing for `quietMs`. */
  const settled = async (n: number, quietMs: number): Promise<ActionCounts> => {
    let last = '';
    let since = Date.now();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const c = await actionCounts(f.page).catch(() => null);
      const key = JSON.stringify(c);
      if (key !== last) {
        last = key;
        since = Date.now();
      } else if (c && c.pending + c.failed + c.done === n && Date.now() - since >= quietMs) {
        return c;
      }
      if (Date.now() > deadline) throw new Error(`the removal tally did not settle: ${last}`);
      await sleep(100);
    }
  };

  it('the token expires mid-removal: every removal is renewed and accepted once, none twice', async () => {
    const pick = searchMatching(list(), 25, 45);
    const n = pick.ids.length;
    const before = list().length;
    f.tenant.resetLog();
    await removeBySearch(f.page, pick.text, n);
    await postsArrived(3);
    f.tenant.configure({ expireTokensAfter: 1 }); // every token issued so far expires now
    const tally = await settled(n, 1500);
    expect(tally).toEqual({ batch: tally.batch, pending: 0, failed: 0, done: n });
    const posts = removalPosts(f.tenant.log);
    expect(posts.some((p) => p.status === 401)).toBe(true); // the expiry did hit removals
    const perKey = postsPerKey(f.tenant.log);
    expect([...perKey.keys()].sort()).toEqual([...pick.ids].sort());
    for (const [key, c] of perKey) {
      expect({ key, accepted: c.accepted }).toEqual({ key, accepted: 1 });
      // Sent again only after a 401, which Graph answers without processing anything.
      const mine = posts.filter((p) => p.key === key);
      expect(mine.slice(0, -1).every((p) => p.status === 401)).toBe(true);
    }
    await f.page.waitForFunction(
      (total) => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot
        ?.querySelector('[data-testid="row-count"]')?.getAttribute('data-total') === String(total),
      { timeout: 60_000 },
      before - n,
    );
    expect(list().length).toBe(before - n);
  });

  it('the worker is stopped mid-removal: every removal ends done, failed or pending, none sent twice', async () => {
    const removed = new Set(removalPosts(f.tenant.log).map((p) => p.key));
    const pick = searchMatching(list().filter((a) => !removed.has(a.id)), 25, 45);
    const n = pick.ids.length;
    f.tenant.resetLog();
    await removeBySearch(f.page, pick.text, n);
    await postsArrived(4);
    const stop = await stopExtensionWorker(f);
    expect(removalPosts(f.tenant.log).length).toBeLessThan(n); // really mid-batch
    const tally = await settled(n, 2500);
    expect(await stop.freshContext()).toBe(true);
    // Nothing is lost: every entry is accounted for, and nothing went to Graph twice.
    expect(tally.pending + tally.failed + tally.done).toBe(n);
    const perKey = postsPerKey(f.tenant.log);
    for (const [key, c] of perKey) expect({ key, sent: c.sent }).toEqual({ key, sent: 1 });
    // The new worker sent nothing on its own (an entry of unknown outcome is never re-sent automatically).
    expect(removalPosts(f.tenant.log).filter((p) => p.time > stop.stoppedAt + 1500)).toEqual([]);
    // What Graph accepted is never reported as failed; what Graph never saw is never reported as done.
    const entries = await storedResults(f, IDS.mainPackage, pick.ids);
    for (const id of pick.ids) {
      if (!perKey.has(id)) expect({ id, result: entries[id] }).not.toEqual({ id, result: 'done' });
      else if (perKey.get(id)!.accepted === 1) expect({ id, result: entries[id] }).not.toEqual({ id, result: 'failed' });
    }

    // Entries of unknown outcome are offered a retry, which checks Graph before sending anything again:
    // in the end every assignment was accepted exactly once, and the list no longer holds them.
    if (tally.pending + tally.failed > 0) {
      await clickInPanel(f.page, 'retry-actions');
      await f.page.waitForFunction(
        () => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot
          ?.querySelector('[data-testid="action-status"]')?.getAttribute('data-pending') === '0',
        { timeout: 60_000, polling: 100 },
      );
      expect(await settled(n, 1000)).toEqual({ batch: tally.batch, pending: 0, failed: 0, done: n });
    }
    const finalPerKey = postsPerKey(f.tenant.log);
    expect([...finalPerKey.keys()].sort()).toEqual([...pick.ids].sort());
    for (const [key, c] of finalPerKey) expect({ key, sent: c.sent, accepted: c.accepted }).toEqual({ key, sent: 1, accepted: 1 });
    expect(Object.values(await storedResults(f, IDS.mainPackage, pick.ids)).every((r) => r === 'done')).toBe(true);
    const left = new Set(list().map((a) => a.id));
    expect(pick.ids.filter((id) => left.has(id))).toEqual([]);
  });
});
