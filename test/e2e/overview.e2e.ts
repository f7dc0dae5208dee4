// The overview across packages, end to end: the production build in a real browser against the demo tenant.
// Counts come from the tenant's own data (expectedAssignments and the contract's stale rule written
// independently in the truth helpers); the CSV is read back from disk.
import fs from 'node:fs';
import Papa from 'papaparse';
import type { Page } from 'puppeteer-core';
import { ACCESS_PACKAGES_ROUTE, catalogRoute, expectedAssignments, expectedStaleReasons } from '../tenant';
import { waitForLoaded } from '../support/browser';
import { RESOURCE_IDS } from '../tenant/graph/resources';
import { PACKAGE_EXPANDS } from '../../src/graph/packages';
import { addOverviewScale, type OverviewScaleInfo } from '../tenant/overview-scale';
import { stopExtensionWorker } from './fault-support';
import { clickInPanel, IDS, inShadow, setup, typeSearch, waitForDownload, type Fixture } from './harness';

const CONTRACT_COLUMNS = [
  'Assignment ID', 'Display name', 'User principal name', 'Email', 'Object ID', 'Subject type', 'User type',
  'Account enabled', 'State', 'Status', 'Policy', 'Start (UTC)', 'Expiry (UTC)', 'Last successful sign-in (UTC)',
  'Stale', 'Stale reasons',
];

interface OverviewAttrs {
  scope: string;
  loading: string;
  total: number;
}

async function overviewAttrs(page: Page): Promise<OverviewAttrs | null> {
  return inShadow(page, (root) => {
    const el = root.querySelector('[data-testid="overview"]');
    return el ? { scope: el.getAttribute('data-scope') ?? '', loading: el.getAttribute('data-loading') ?? '', total: Number(el.getAttribute('data-total')) } : null;
  });
}

/** Waits until the overview is loaded and its users are read (stale counts final). */
async function waitForOverview(page: Page, scope: string, timeout = 60_000): Promise<OverviewAttrs> {
  await page.waitForFunction(
    (s: string) => {
      const el = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="overview"]');
      return el?.getAttribute('data-scope') === s && el.getAttribute('data-loading') === 'false' && el.getAttribute('data-enriching') === 'false';
    },
    { timeout, polling: 100 },
    scope,
  );
  return (await overviewAttrs(page))!;
}

async function packageRows(page: Page): Promise<Record<string, { assignments: number; stale: number }>> {
  return inShadow(page, (root) =>
    Object.fromEntries(
      [...root.querySelectorAll('[data-testid="overview"] [data-testid="overview-package"]')].map((el) => [
        el.getAttribute('data-access-package-id') ?? '',
        { assignments: Number(el.getAttribute('data-assignments')), stale: Number(el.getAttribute('data-stale')) },
      ]),
    ),
  );
}

describe('overview across packages: tenant and catalog scopes, packages table, search, people, CSV', () => {
  let f: Fixture;
  const packageIds = (): string[] => f.tenant.data.packages.map((p) => p.id);
  const rowsOf = (id: string) => expectedAssignments(f.tenant.data, id);
  const staleCount = (id: string): number =>
    rowsOf(id).filter((a) => expectedStaleReasons(f.tenant.data, a, 90, { now: Date.now(), signInAvailable: true }).length > 0).length;

  beforeAll(async () => {
    f = await setup({ size: 300, ssoSession: 'always' });
  });
  afterAll(() => f?.close());
  /** Someone who holds the main package and a small one: the cross-package removal's subject. */
  const spanningPerson = (): string => {
    const small = new Set(f.tenant.data.assignments.filter((a) => a.accessPackageId === IDS.financePackage || a.accessPackageId === IDS.labPackage).map((a) => a.target?.objectId));
    return rowsOf(IDS.mainPackage).find((a) => a.target?.objectId && small.has(a.target.objectId) && (a.state ?? '').toLowerCase() === 'delivered')!.target!.objectId!;
  };

  it('opens on the access packages list with every package and every assignment of the tenant', async () => {
    f.tenant.resetLog();
    await f.page.goto(`https://entra.microsoft.com/${ACCESS_PACKAGES_ROUTE}`);
    const attrs = await waitForOverview(f.page, 'tenant');
    const total = packageIds().reduce((n, id) => n + rowsOf(id).length, 0);
    expect(attrs).toEqual({ scope: 'tenant', loading: 'false', total });

    const table = await packageRows(f.page);
    expect(Object.keys(table).sort()).toEqual(packageIds().sort());
    for (const id of packageIds()) expect(table[id]).toEqual({ assignments: rowsOf(id).length, stale: staleCount(id) });

    // The rows are assignments of the scope, with their package; the package panel's hooks are not shown.
    const rows = await inShadow(f.page, (root) =>
      [...root.querySelectorAll('[data-testid="overview"] [data-testid="row"]')].map((el) => ({
        id: el.getAttribute('data-assignment-id'),
        pkg: el.getAttribute('data-access-package-id'),
        stale: el.getAttribute('data-stale'),
      })),
    );
    expect(rows.length).toBeGreaterThan(10);
    const byId = new Map(f.tenant.data.assignments.map((a) => [a.id, a]));
    for (const r of rows) {
      expect(byId.get(r.id!)?.accessPackageId).toBe(r.pkg);
      const a = byId.get(r.id!)!;
      expect(r.stale).toBe(String(expectedStaleReasons(f.tenant.data, a, 90, { now: Date.now(), signInAvailable: true }).length > 0));
    }
    expect(await inShadow(f.page, (root) => root.querySelectorAll('[data-testid="row-count"]').length)).toBe(0);
    // The toolbar's count is read whole (it takes a line of its own rather than being cut).
    const shown = await inShadow(f.page, (root) => {
      const el = root.querySelector('[data-testid="overview-shown"]') as HTMLElement;
      return { text: el.textContent, whole: el.scrollWidth <= el.clientWidth };
    });
    expect(shown).toEqual({ text: `${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} shown`, whole: true });
    // The packages table fits the panel's default width: no sideways scroll, every count and header word whole.
    const fit = await inShadow(f.page, (root) => {
      const scroll = root.querySelector('[data-testid="overview-packages"] [role="table"]') as HTMLElement;
      const cut = [...scroll.querySelectorAll('.num, .num button')].filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.textContent);
      return { sideways: scroll.scrollWidth > scroll.clientWidth, cut };
    });
    expect(fit).toEqual({ sideways: false, cut: [] });

    // Graph was asked for the package list once and for each package's assignments with its package filter.
    const graph = f.tenant.log.filter((e) => e.host === 'graph.microsoft.com');
    expect(graph.filter((e) => /entitlementManagement\/accessPackages$/.test(e.path))).toHaveLength(1);
    const filters = graph.filter((e) => /entitlementManagement\/assignments$/.test(e.path)).map((e) => e.query.$filter ?? '');
    for (const id of packageIds()) expect(filters.some((q) => q.includes(`accessPackage/id eq '${id}'`))).toBe(true);
    expect(filters.every((q) => /accessPackage\/id eq '/.test(q))).toBe(true);
  });

  it('searches across packages and exports exactly the rows shown, with the package column after the contract’s sixteen', async () => {
    const someone = rowsOf(IDS.mainPackage).find((a) => a.target?.objectId && a.target.displayName)!;
    const theirs = f.tenant.data.assignments.filter((a) => a.target?.objectId === someone.target!.objectId && packageIds().includes(a.accessPackageId));
    await typeSearch(f.page, someone.target!.objectId!);
    await f.page.waitForFunction(
      (n: number) => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="overview-shown"]')?.getAttribute('data-shown') === String(n),
      { timeout: 20_000, polling: 100 },
      theirs.length,
    );
    const dir = f.launched.downloadDir;
    await clickInPanel(f.page, 'export-csv');
    const file = await waitForDownload(dir, /^tenant-assignments-filtered-\d{8}-\d{6}\.csv$/);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
    const [header, ...records] = parsed.data;
    expect(header.slice(0, 16)).toEqual(CONTRACT_COLUMNS);
    expect(header[16]).toBe('Access package');
    expect(records.map((r) => r[0]).sort()).toEqual(theirs.map((a) => a.id).sort());
    const names = new Map(f.tenant.data.packages.map((p) => [p.id, p.displayName]));
    for (const r of records) expect(r[16]).toBe(names.get(theirs.find((a) => a.id === r[0])!.accessPackageId));

    // The packages table saved as shown: every package, the search's counts, most assignments first.
    await clickInPanel(f.page, 'overview-packages-export');
    const pkgFile = await waitForDownload(dir, /^tenant-packages-filtered-\d{8}-\d{6}\.csv$/);
    const [pkgHeader, ...pkgRecords] = Papa.parse<string[]>(fs.readFileSync(pkgFile, 'utf8').slice(1), { skipEmptyLines: true }).data;
    expect(pkgHeader.slice(0, 4)).toEqual(['Access package ID', 'Access package', 'Catalog', 'Assignments']);
    expect(pkgRecords.map((r) => r[0]).sort()).toEqual(packageIds().sort());
    for (const r of pkgRecords) {
      expect(r[1]).toBe(names.get(r[0]));
      expect(Number(r[3])).toBe(theirs.filter((a) => a.accessPackageId === r[0]).length);
    }
    const counts = pkgRecords.map((r) => Number(r[3]));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    await typeSearch(f.page, '');
  });

  it('lists people once each with the packages they hold', async () => {
    await clickInPanel(f.page, 'overview-tab-people');
    await f.page.waitForFunction(() => (document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelectorAll('[data-testid="overview-person"]').length ?? 0) > 0, {
      timeout: 20_000,
      polling: 100,
    });
    const people = await inShadow(f.page, (root) =>
      [...root.querySelectorAll('[data-testid="overview-person"]')].map((el) => ({ id: el.getAttribute('data-object-id'), held: Number(el.getAttribute('data-held')) })),
    );
    // Targets in the directory appear once each (targets not yet in the directory have no object id).
    const ids = people.map((p) => p.id).filter((id) => id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of people.filter((x) => x.id).slice(0, 10)) {
      const held = new Set(
        f.tenant.data.assignments
          .filter((a) => a.target?.objectId === p.id && packageIds().includes(a.accessPackageId) && (a.state ?? '').toLowerCase() !== 'expired')
          .map((a) => a.accessPackageId),
      );
      expect(p.held).toBe(held.size);
    }
    // Sorted by packages held, most first.
    expect(people.map((p) => p.held)).toEqual([...people.map((p) => p.held)].sort((a, b) => b - a));
    // Resources: the main package's group is granted by it, to its delivered assignments.
    await clickInPanel(f.page, 'overview-tab-resources');
    const group = await f.page.waitForFunction(
      (id: string) => {
        const el = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector(`[data-testid="overview-resource"][data-resource-id="${id}"]`);
        return el ? { packages: el.getAttribute('data-packages'), holders: el.getAttribute('data-holders') } : null;
      },
      { timeout: 20_000, polling: 100 },
      RESOURCE_IDS.salesGroup,
    );
    const delivered = rowsOf(IDS.mainPackage).filter((a) => (a.state ?? '').toLowerCase() === 'delivered').length;
    expect(await group.jsonValue()).toEqual({ packages: '1', holders: String(delivered) });
    await clickInPanel(f.page, 'overview-tab-assignments');
  });

  it('a catalog page shows that catalog only; the package page offers the tenant overview and returns', async () => {
    await f.page.evaluate((h: string) => (location.hash = h), catalogRoute(IDS.researchCatalog));
    const attrs = await waitForOverview(f.page, `catalog:${IDS.researchCatalog}`);
    const inCatalog = f.tenant.data.packages.filter((p) => p.catalogId === IDS.researchCatalog).map((p) => p.id);
    expect(attrs.total).toBe(inCatalog.reduce((n, id) => n + rowsOf(id).length, 0));
    expect(Object.keys(await packageRows(f.page)).sort()).toEqual(inCatalog.sort());

    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    await waitForLoaded(f.page);
    expect(await overviewAttrs(f.page)).toBeNull();
    await clickInPanel(f.page, 'open-overview');
    await waitForOverview(f.page, 'tenant');
    await clickInPanel(f.page, 'overview-close');
    await f.page.waitForFunction(() => !!document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="row-count"]'), { timeout: 10_000, polling: 100 });
    expect(await overviewAttrs(f.page)).toBeNull();
  });

  it('reopening a scope shows the rows it listed at once, without listing them again; Refresh lists them again', async () => {
    await f.page.evaluate((h: string) => (location.hash = h), ACCESS_PACKAGES_ROUTE);
    const first = await waitForOverview(f.page, 'tenant');
    // To a package's page (the overview closes) and back, as an admin going through the list would.
    await f.page.evaluate((h: string) => (location.hash = h), new URL(f.tenant.portalUrl(IDS.financePackage)).hash);
    await waitForLoaded(f.page);
    expect(await overviewAttrs(f.page)).toBeNull();
    f.tenant.resetLog();
    await f.page.evaluate((h: string) => (location.hash = h), ACCESS_PACKAGES_ROUTE);
    const again = await waitForOverview(f.page, 'tenant', 5_000);
    expect(again.total).toBe(first.total);
    const listings = () => f.tenant.log.filter((e) => e.host === 'graph.microsoft.com' && /\/entitlementManagement\/(assignments|accessPackages)$/.test(e.path));
    expect(listings()).toEqual([]);
    // Its age is shown, and Refresh reads the scope again.
    expect(await inShadow(f.page, (root) => root.querySelector('.overview-head .meta')?.textContent ?? '')).toMatch(/fetched/i);
    await clickInPanel(f.page, 'overview-refresh');
    for (let i = 0; i < 100 && listings().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await waitForOverview(f.page, 'tenant');
    // The package listing, then every package's assignments.
    expect(listings().length).toBeGreaterThan(f.tenant.data.packages.length);
    expect((await overviewAttrs(f.page))!.total).toBe(first.total);
  });

  it('a Graph that refuses options inside $expand on the package list: Refresh still lists every package, with its resources', async () => {
    f.tenant.configure({ refuseQueries: [{ match: 'assignmentPolicies($select=', code: 'BadRequest', message: "Query option '$select' is not allowed within '$expand'." }] });
    try {
      await f.page.evaluate((h: string) => (location.hash = h), ACCESS_PACKAGES_ROUTE);
      const before = await waitForOverview(f.page, 'tenant');
      f.tenant.resetLog();
      await clickInPanel(f.page, 'overview-refresh');
      const packageLists = () => f.tenant.log.filter((e) => e.host === 'graph.microsoft.com' && /\/entitlementManagement\/accessPackages$/.test(e.path));
      for (let i = 0; i < 100 && !packageLists().some((e) => e.status === 200); i++) await new Promise((r) => setTimeout(r, 100));
      await waitForOverview(f.page, 'tenant');
      // Asked for the policies' fields first, refused, then the whole policies with the resources.
      expect(packageLists().map((e) => [e.status, e.query.$expand])).toEqual([
        [400, PACKAGE_EXPANDS[0]],
        [200, PACKAGE_EXPANDS[1]],
      ]);
      expect((await overviewAttrs(f.page))!.total).toBe(before.total);
      expect(Object.keys(await packageRows(f.page)).sort()).toEqual(packageIds().sort());
      await clickInPanel(f.page, 'overview-tab-resources');
      const group = await f.page.waitForFunction(
        (id: string) => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector(`[data-testid="overview-resource"][data-resource-id="${id}"]`)?.getAttribute('data-packages') ?? null,
        { timeout: 20_000, polling: 100 },
        RESOURCE_IDS.salesGroup,
      );
      expect(await group.jsonValue()).toBe('1');
      await clickInPanel(f.page, 'overview-tab-assignments');
    } finally {
      f.tenant.configure({ refuseQueries: [] });
    }
  });

  it("opens an assignment's details from its row (its package's requests, what else the person holds) and removes it from there", async () => {
    await f.page.evaluate((h: string) => (location.hash = h), ACCESS_PACKAGES_ROUTE);
    await waitForOverview(f.page, 'tenant');
    // An assignment with the requests that made it (the main package), then one of a small package, to remove.
    const withRequests = rowsOf(IDS.mainPackage).find((a) => (a.state ?? '').toLowerCase() === 'delivered' && a.target?.objectId && f.tenant.data.requests.some((r) => r.assignmentId === a.id))!;
    // Not the person the cross-package removal below removes everything from.
    const toRemove = rowsOf(IDS.labPackage).find((a) => (a.state ?? '').toLowerCase() === 'delivered' && a.target?.objectId && a.target.objectId !== spanningPerson())!;
    const lab = f.tenant.data.packages.find((p) => p.id === IDS.labPackage)!;
    const open = async (pick: { id: string; target?: { objectId?: string | null } | null }) => {
      await typeSearch(f.page, pick.target!.objectId!);
      await f.page.waitForSelector(`[data-testid="assignment-panel-host"] >>> [data-testid="row"][data-assignment-id="${pick.id}"] [data-testid="row-open-details"]`, { timeout: 20_000 });
      await clickInPanel(f.page, `row"][data-assignment-id="${pick.id}"] [data-testid="row-open-details`);
      await f.page.waitForFunction(
        (id: string) => {
          const v = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="assignment-details"]');
          return !!v && v.getAttribute('data-assignment-id') === id && v.getAttribute('data-loading') === 'false';
        },
        { timeout: 30_000, polling: 100 },
        pick.id,
      );
    };
    const closed = () =>
      f.page.waitForFunction(() => !document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="assignment-details"]'), {
        timeout: 10_000,
        polling: 100,
      });
    await open(withRequests);
    const objectId = withRequests.target!.objectId!;
    const seen = await inShadow(f.page, (root) => {
      const v = root.querySelector('[data-testid="assignment-details"]')!;
      return {
        text: v.textContent ?? '',
        requests: [...v.querySelectorAll('[data-testid="details-request"]')].map((r) => r.getAttribute('data-request-id')),
        others: [...v.querySelectorAll('[data-testid="details-other-assignment"]')].map((o) => o.getAttribute('data-assignment-id')),
      };
    });
    // The requests Graph lists for it and every other assignment of the person, as on a package.
    expect(seen.requests.length).toBeGreaterThan(0);
    expect(seen.requests.sort()).toEqual(f.tenant.data.requests.filter((r) => r.assignmentId === withRequests.id).map((r) => r.id).sort());
    expect(seen.others.sort()).toEqual(f.tenant.data.assignments.filter((a) => a.target?.objectId === objectId && a.id !== withRequests.id).map((a) => a.id).sort());
    await f.page.keyboard.press('Escape');
    await closed();

    // A row of another package: read and removed for its own package.
    await open(toRemove);
    expect(await inShadow(f.page, (root) => root.querySelector('[data-testid="assignment-details"]')!.textContent ?? '')).toContain(lab.displayName);
    f.tenant.resetLog();
    await clickInPanel(f.page, 'details-remove');
    await clickInPanel(f.page, 'details-confirm-remove');
    await f.page.waitForFunction(
      () => {
        const el = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="action-status"]');
        return !!el && el.getAttribute('data-kind') === 'remove' && el.getAttribute('data-pending') === '0' && el.getAttribute('data-done') === '1';
      },
      { timeout: 60_000, polling: 100 },
    );
    const posts = f.tenant.log
      .filter((e) => e.host === 'graph.microsoft.com' && e.method === 'POST' && /assignmentRequests$/.test(e.path))
      .map((e) => e.body as { requestType?: string; assignment?: { id?: string } });
    expect(posts).toEqual([expect.objectContaining({ requestType: 'adminRemove', assignment: expect.objectContaining({ id: toRemove.id }) })]);
    await f.page.keyboard.press('Escape');
    await closed();
    await typeSearch(f.page, '');
  });

  it('removes a selection that spans packages: one adminRemove per row, one batch per package, a result for each', async () => {
    await f.page.evaluate((h: string) => (location.hash = h), ACCESS_PACKAGES_ROUTE);
    await waitForOverview(f.page, 'tenant');
    // Someone who holds the main package and a small one.
    const person = spanningPerson();
    const theirs = f.tenant.data.assignments.filter((a) => a.target?.objectId === person && (a.state ?? '').toLowerCase() !== 'expired');
    expect(new Set(theirs.map((a) => a.accessPackageId)).size).toBeGreaterThan(1);
    await typeSearch(f.page, person);
    const all = f.tenant.data.assignments.filter((a) => a.target?.objectId === person);
    await f.page.waitForFunction(
      (n: number) => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="overview-shown"]')?.getAttribute('data-shown') === String(n),
      { timeout: 20_000, polling: 100 },
      all.length,
    );
    // Only the ones not expired: the State dropdown of the filter bar.
    await clickInPanel(f.page, 'overview-facet-state', ' [data-testid="facet-toggle"]');
    await f.page.waitForSelector('[data-testid="assignment-panel-host"] >>> [data-testid="overview-facet-state"] [data-testid="facet-option"]');
    await inShadow(f.page, (root) => {
      for (const v of ['delivered', 'delivering', 'deliveryFailed', 'partiallyDelivered']) {
        root.querySelector<HTMLInputElement>(`[data-testid="overview-facet-state"] [data-testid="facet-option"][data-value="${v}"] input`)?.click();
      }
    });
    await f.page.waitForFunction(
      (n: number) => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="overview-shown"]')?.getAttribute('data-shown') === String(n),
      { timeout: 20_000, polling: 100 },
      theirs.length,
    );
    f.tenant.resetLog();
    await clickInPanel(f.page, 'select-all');
    await f.page.waitForFunction(
      (n: number) => [...(document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelectorAll('[data-testid="row"]') ?? [])].filter((r) => r.getAttribute('data-selected') === 'true').length === n,
      { timeout: 20_000, polling: 100 },
      theirs.length,
    );
    await clickInPanel(f.page, 'remove-selected');
    await clickInPanel(f.page, 'confirm-remove');
    await f.page.waitForFunction(
      (n: number) => {
        const el = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="action-status"]');
        return !!el && el.getAttribute('data-pending') === '0' && Number(el.getAttribute('data-done')) + Number(el.getAttribute('data-failed')) === n;
      },
      { timeout: 60_000, polling: 100 },
      theirs.length,
    );
    const status = await inShadow(f.page, (root) => root.querySelector('[data-testid="action-status"]')!.getAttribute('data-done'));
    expect(Number(status)).toBe(theirs.length);
    const posts = f.tenant.log
      .filter((e) => e.host === 'graph.microsoft.com' && e.method === 'POST' && /assignmentRequests$/.test(e.path))
      .map((e) => e.body as { requestType?: string; assignment?: { id?: string } });
    expect(posts.map((p) => p.requestType)).toEqual(Array(theirs.length).fill('adminRemove'));
    expect(posts.map((p) => p.assignment?.id).sort()).toEqual(theirs.map((a) => a.id).sort());
    await typeSearch(f.page, '');
  });
});

describe('overview when the browser stops the worker', () => {
  let f: Fixture;
  let info: OverviewScaleInfo;
  beforeAll(async () => {
    // Slow pages and many packages: the load outlasts the worker's first checkpoints (every 10 s).
    f = await setup({ size: 60, ssoSession: 'always', pageSize: 20, latencyMs: 300 });
    info = addOverviewScale(f.tenant.data, { packages: 80, catalogs: 4, rows: 20000, users: 1500, seed: 3 });
  });
  afterAll(() => f?.close());

  /** The packages the load on disk had finished (its last checkpoint), read where the extension's storage is. */
  const finishedOnDisk = (): Promise<string[]> =>
    f.launched.evaluateInExtension(
      () =>
        new Promise<string[]>((resolve) => {
          const open = indexedDB.open('assignments-overlay');
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('cache')) return resolve([]);
            const get = db.transaction('cache').objectStore('cache').get('overview-load');
            get.onsuccess = () => resolve((get.result as { done?: string[] } | undefined)?.done ?? []);
            get.onerror = () => resolve([]);
          };
          open.onerror = () => resolve([]);
        }),
    );
  const listingsOf = (ids: ReadonlySet<string>, after: number) =>
    f.tenant.log.filter((e) => e.time > after && e.path.endsWith('/entitlementManagement/assignments') && [...ids].some((id) => (e.query.$filter ?? '').includes(id)));

  it('a load stopped with its worker resumes: no package it had finished is read again, every row once', async () => {
    f.tenant.resetLog();
    await f.page.goto(`https://entra.microsoft.com/${ACCESS_PACKAGES_ROUTE}`);
    let finished: string[] = [];
    for (let i = 0; i < 600 && finished.length < 5; i++) {
      await new Promise((r) => setTimeout(r, 100));
      finished = await finishedOnDisk();
    }
    expect(finished.length).toBeGreaterThanOrEqual(5);
    expect((await overviewAttrs(f.page))!.loading).toBe('true');
    const stop = await stopExtensionWorker(f);

    const attrs = await waitForOverview(f.page, 'tenant', 180_000);
    expect(await stop.freshContext()).toBe(true);
    const all = f.tenant.data.packages.map((p) => p.id);
    expect(attrs.total).toBe(all.reduce((n, id) => n + expectedAssignments(f.tenant.data, id).length, 0));
    expect(attrs.total).toBeGreaterThanOrEqual(info.total);
    // The new worker read the packages the stopped one had not finished, and none it had.
    expect(listingsOf(new Set(finished), stop.stoppedAt)).toEqual([]);
    const notFinished = new Set(all.filter((id) => !finished.includes(id)));
    expect(new Set(listingsOf(notFinished, stop.stoppedAt).map((e) => all.find((id) => (e.query.$filter ?? '').includes(id))))).toEqual(notFinished);

    // Every assignment once in the CSV.
    await clickInPanel(f.page, 'overview-export-all');
    const file = await waitForDownload(f.launched.downloadDir, /^tenant-assignments-all-\d{8}-\d{6}\.csv$/);
    const ids = Papa.parse<string[]>(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data.slice(1).map((r) => r[0]);
    expect(ids).toHaveLength(attrs.total);
    expect(new Set(ids).size).toBe(attrs.total);

  });

  it('a scope closed fully loaded opens from disk after the worker stopped, without a request', async () => {
    const g = await setup({ size: 300, ssoSession: 'always' });
    try {
      await g.page.goto(`https://entra.microsoft.com/${ACCESS_PACKAGES_ROUTE}`);
      const first = await waitForOverview(g.page, 'tenant');
      // To a package's page: the panel lets the overview go, and the worker writes it.
      await g.page.evaluate((h: string) => (location.hash = h), new URL(g.tenant.portalUrl(IDS.financePackage)).hash);
      await waitForLoaded(g.page);
      await new Promise((r) => setTimeout(r, 500));
      const stop = await stopExtensionWorker(g);
      g.tenant.resetLog();
      await g.page.evaluate((h: string) => (location.hash = h), ACCESS_PACKAGES_ROUTE);
      const again = await waitForOverview(g.page, 'tenant', 30_000);
      expect(await stop.freshContext()).toBe(true);
      expect(again.total).toBe(first.total);
      expect(g.tenant.log.filter((e) => e.host === 'graph.microsoft.com' && e.path.endsWith('/entitlementManagement/assignments'))).toEqual([]);
      // Its age is shown as for a reopen in the same worker.
      expect(await inShadow(g.page, (root) => root.querySelector('.overview-head .meta')?.textContent ?? '')).toMatch(/fetched/i);
    } finally {
      await g.close();
    }
  });
});
