// The access check, end to end: the production build in a real browser against the demo tenant, whose
// resources drift both ways. Every expectation comes from the tenant's own data and its request log.
import fs from 'node:fs';
import Papa from 'papaparse';
import type { Page } from 'puppeteer-core';
import { expectedAssignments } from '../tenant';
import { driftedAssignments, RESOURCE_IDS, resourceModel } from '../tenant/graph/resources';
import type { Assignment } from '../tenant/types';
import { inPanel, waitForLoaded } from '../support/browser';
import { clickInPanel, IDS, inShadow, setup, typeSearch, waitForDownload, type Fixture } from './harness';

interface AccessStatus {
  loading: string;
  complete: number;
  missing: number;
  notChecked: number;
}

/** Clicks check-access (or another trigger) and waits until access-status says it is done. */
async function runAndWait(page: Page, testid: string, timeout = 60_000): Promise<AccessStatus> {
  await clickInPanel(page, testid);
  await page.waitForFunction(
    () => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="access-status"]')?.getAttribute('data-loading') === 'false',
    { timeout, polling: 100 },
  );
  return inShadow(page, (root) => {
    const el = root.querySelector('[data-testid="access-status"]')!;
    return {
      loading: el.getAttribute('data-loading') ?? '',
      complete: Number(el.getAttribute('data-complete')),
      missing: Number(el.getAttribute('data-missing')),
      notChecked: Number(el.getAttribute('data-not-checked')),
    };
  });
}

/** What the check must find, from the tenant's assignments and its drift. */
function truth(list: Assignment[], removed: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of list) {
    const state = (a.state ?? '').toLowerCase();
    const objectId = a.target?.objectId ?? null;
    if (state === 'delivering') out.set(a.id, 'pending');
    else if (state !== 'delivered' && state !== 'partiallydelivered') out.set(a.id, 'not-checked');
    else if (!objectId) out.set(a.id, 'not-checked');
    else out.set(a.id, removed.has(objectId) ? 'missing' : 'complete');
  }
  return out;
}

const countOf = (m: Map<string, string>, v: string): number => [...m.values()].filter((x) => x === v).length;

async function waitInPanel(page: Page, fn: string, arg: unknown, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    `(() => { const root = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot; if (!root) return false; const arg = ${JSON.stringify(arg)}; return (${fn})(root, arg); })()`,
    { timeout, polling: 100 },
  );
}

/** Opens the details of this assignment (searching by its target) and returns its access section once it shows. */
async function detailsAccess(page: Page, objectId: string, assignmentId: string): Promise<{ value: string | null; resources: Record<string, string>; text: string }> {
  await typeSearch(page, objectId);
  await waitInPanel(page, `(root, id) => !!root.querySelector('[data-testid="row"][data-assignment-id="' + id + '"] [data-testid="row-open-details"]')`, assignmentId);
  const name = await page.$(inPanel(`[data-testid="row"][data-assignment-id="${assignmentId}"] [data-testid="row-open-details"]`));
  await name!.click();
  await waitInPanel(
    page,
    `(root, id) => { const v = root.querySelector('[data-testid="assignment-details"]'); return !!v && v.getAttribute('data-assignment-id') === id && !!v.querySelector('[data-testid="details-access"][data-loading="false"]'); }`,
    assignmentId,
  );
  return inShadow(page, (root) => {
    const sec = root.querySelector('[data-testid="assignment-details"] [data-testid="details-access"]')!;
    const resources = Object.fromEntries(
      [...sec.querySelectorAll('[data-testid="details-access-resource"]')].map((li) => [li.getAttribute('data-resource-id') ?? '', `${li.getAttribute('data-access')}${li.getAttribute('data-reason') ? `:${li.getAttribute('data-reason')}` : ''}`]),
    );
    return { value: sec.getAttribute('data-access'), resources, text: sec.textContent ?? '' };
  });
}

async function closeDetails(page: Page): Promise<void> {
  await clickInPanel(page, 'details-close');
  await waitInPanel(page, `(root) => !root.querySelector('[data-testid="assignment-details"]')`, null);
}

async function rowAccess(page: Page): Promise<Record<string, string | null>> {
  return inShadow(page, (root) =>
    Object.fromEntries([...root.querySelectorAll('[data-testid="row"]')].map((el) => [el.getAttribute('data-assignment-id') ?? '', el.getAttribute('data-access')])),
  );
}

describe('access check: drift both ways, the outside list, Fix and re-check, CSV, faults on one resource', () => {
  let f: Fixture;
  const list = (): Assignment[] => expectedAssignments(f.tenant.data, IDS.mainPackage);
  const targetOf = (id: string): string => f.tenant.data.assignments.find((a) => a.id === id)!.target!.objectId!;
  let drifted: string[] = [];

  beforeAll(async () => {
    f = await setup({ size: 160, ssoSession: 'always' });
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    const counts = await waitForLoaded(f.page);
    expect(counts.error).toBeNull();
    const d = driftedAssignments(f.tenant.data);
    drifted = [...d.removedFromGroup, ...d.removedFromApp];
  });
  afterAll(() => f?.close());

  it('finds the assignments whose access went missing, and who holds a role outside the package', async () => {
    f.tenant.resetLog();
    const status = await runAndWait(f.page, 'check-access');
    const expected = truth(list(), new Set(drifted.map(targetOf)));
    expect(status).toEqual({ loading: 'false', complete: countOf(expected, 'complete'), missing: drifted.length, notChecked: countOf(expected, 'not-checked') });
    expect(countOf(expected, 'missing')).toBe(drifted.length);

    // Every rendered row carries its value.
    const rendered = await rowAccess(f.page);
    expect(Object.keys(rendered).length).toBeGreaterThan(0);
    for (const [id, v] of Object.entries(rendered)) expect(v).toBe(expected.get(id));
    // A drifted one, found by its object id.
    await typeSearch(f.page, targetOf(drifted[0]));
    await f.page.waitForFunction(
      (id: string) => !!document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector(`[data-testid="row"][data-assignment-id="${id}"][data-access="missing"]`),
      { timeout: 20_000, polling: 100 },
      drifted[0],
    );
    await typeSearch(f.page, '');

    const outside = await inShadow(f.page, (root) =>
      [...root.querySelectorAll('[data-testid="access-outside"]')].map((el) => `${el.getAttribute('data-resource-id')}|${el.getAttribute('data-object-id')}`).sort(),
    );
    expect(outside).toEqual(
      [
        `${RESOURCE_IDS.salesGroup}|${RESOURCE_IDS.directUsers[0]}`,
        `${RESOURCE_IDS.salesGroup}|${RESOURCE_IDS.internsGroup}`,
        `${RESOURCE_IDS.expensesSp}|${RESOURCE_IDS.directUsers[1]}`,
      ].sort(),
    );
    // The SharePoint site is reported as not checkable, on its resource.
    const site = await inShadow(f.page, (root, url: string) => root.querySelector(`[data-testid="access-resource"][data-resource-id="${url}"]`)?.getAttribute('data-reason') ?? null, RESOURCE_IDS.salesSite);
    expect(site).toBe('sharepoint');

    // Graph was asked for the package's resources and each listing, never per user.
    const paths = f.tenant.log.filter((e) => e.host === 'graph.microsoft.com').map((e) => e.path);
    expect(paths.some((p) => p.endsWith(`/groups/${RESOURCE_IDS.salesGroup}/members`))).toBe(true);
    expect(paths.some((p) => p.endsWith(`/servicePrincipals/${RESOURCE_IDS.expensesSp}/appRoleAssignedTo`))).toBe(true);
    expect(paths.some((p) => /\/users\//.test(p))).toBe(false);
    // The check's scopes were asked for when the check ran.
    const scopes = f.tenant.log.filter((e) => e.path.endsWith('/members')).flatMap((e) => e.tokenScopes);
    expect(scopes).toEqual(expect.arrayContaining(['GroupMember.Read.All', 'Application.Read.All']));

    // Its details say the same per resource: the group's role is missing, the app role held, the site not checkable.
    const d0 = await detailsAccess(f.page, targetOf(drifted[0]), drifted[0]);
    expect(d0.value).toBe('missing');
    expect(d0.resources).toEqual({
      [RESOURCE_IDS.salesGroup]: 'missing',
      [RESOURCE_IDS.expensesSp]: 'complete',
      [RESOURCE_IDS.salesSite]: 'not-checked:sharepoint',
    });
    expect(d0.text).toContain('Sales and Marketing');
    await closeDetails(f.page);
    // An expired assignment grants nothing to compare: every resource says so.
    const expired = list().find((a) => a.state === 'expired' && a.target?.objectId)!;
    const dx = await detailsAccess(f.page, expired.target!.objectId!, expired.id);
    expect(dx.value).toBe('not-checked');
    expect(Object.values(dx.resources)).toEqual(['not-checked:not-delivered', 'not-checked:not-delivered', 'not-checked:not-delivered']);
    await closeDetails(f.page);
    await typeSearch(f.page, '');
  });

  it('exports the Access and Missing resources columns', async () => {
    await clickInPanel(f.page, 'export-csv');
    const file = await waitForDownload(f.launched.downloadDir, /-assignments-(all|filtered)-\d{8}-\d{6}\.csv$/);
    const parsed = Papa.parse<string[]>(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true });
    const [header, ...records] = parsed.data;
    const col = (name: string): number => header.indexOf(name);
    expect(col('Access')).toBeGreaterThanOrEqual(16);
    expect(col('Missing resources')).toBeGreaterThan(col('Access'));
    const byId = new Map(records.map((r) => [r[0], r]));
    const d = driftedAssignments(f.tenant.data);
    expect(byId.get(d.removedFromGroup[0])?.[col('Access')]).toBe('missing');
    expect(byId.get(d.removedFromGroup[0])?.[col('Missing resources')]).toContain('Sales and Marketing');
    expect(byId.get(d.removedFromApp[0])?.[col('Missing resources')]).toContain('Expenses');
  });

  it('Fix selects exactly the missing ones; reprocessing them restores their access, and the re-check that follows reads only their resources', async () => {
    await clickInPanel(f.page, 'access-fix');
    await waitInPanel(f.page, `(root, n) => root.querySelector('[data-testid="selection-count"]')?.getAttribute('data-selected') === String(n)`, drifted.length);
    // Reprocess them through the action queue: the tenant, like Graph, gives a reprocessed assignment its roles back.
    await clickInPanel(f.page, 'reprocess-selected');
    await waitInPanel(f.page, `(root, n) => root.querySelectorAll('[data-testid="reprocess-plan-item"]').length === n`, drifted.length);
    const plan = await inShadow(f.page, (root) => [...root.querySelectorAll('[data-testid="reprocess-plan-item"]')].map((li) => li.getAttribute('data-action')));
    expect(plan.every((a) => a === 'assignment' || a === 'request')).toBe(true);
    const before = list();
    const batch = await inShadow(f.page, (root) => root.querySelector('[data-testid="action-status"]')?.getAttribute('data-batch') ?? null);
    f.tenant.resetLog();
    await clickInPanel(f.page, 'confirm-reprocess');
    await waitInPanel(
      f.page,
      `(root, a) => { const el = root.querySelector('[data-testid="action-status"]'); return !!el && el.getAttribute('data-batch') !== a.batch && el.getAttribute('data-pending') === '0' && el.getAttribute('data-done') === String(a.n); }`,
      { batch, n: drifted.length },
      60_000,
    );
    // Once the batch is answered the panel re-checks those rows by itself.
    await waitInPanel(
      f.page,
      `(root) => { const el = root.querySelector('[data-testid="access-status"]'); return !!el && el.getAttribute('data-loading') === 'false' && el.getAttribute('data-missing') === '0'; }`,
      null,
      60_000,
    );
    const expected = truth(before, new Set());
    const status = await inShadow(f.page, (root) => Number(root.querySelector('[data-testid="access-status"]')!.getAttribute('data-complete')));
    expect(status).toBe(countOf(expected, 'complete'));
    for (const [id, v] of Object.entries(await rowAccess(f.page))) expect(v).toBe(expected.get(id));
    // One reprocess per row, sent once.
    const posts = f.tenant.log.filter((e) => e.host === 'graph.microsoft.com' && e.method === 'POST').map((e) => e.path);
    expect(posts).toHaveLength(drifted.length);
    expect(new Set(posts).size).toBe(drifted.length);
    expect(posts.every((p) => /\/entitlementManagement\/(assignments|assignmentRequests)\/[^/]+\/reprocess$/.test(p))).toBe(true);
    // The re-check read exactly the two resources those rows were missing, once each (a page each at this
    // size), and not the package's resources again (the panel may meanwhile refresh its list or roles).
    const listings = f.tenant.log
      .filter((e) => e.host === 'graph.microsoft.com')
      .map((e) => e.path)
      .filter((p) => /\/(groups|servicePrincipals)\/[^/]+\/(members|owners|appRoleAssignedTo)$/.test(p));
    expect(listings.sort()).toEqual([`/v1.0/groups/${RESOURCE_IDS.salesGroup}/members`, `/v1.0/servicePrincipals/${RESOURCE_IDS.expensesSp}/appRoleAssignedTo`].sort());
    expect(f.tenant.log.some((e) => (e.query.$expand ?? '').includes('resourceRoleScopes'))).toBe(false);
  });

  it('rows that appear after the check carry data-access too: not checked, saying they were not in the check', async () => {
    const model = list().find((a) => a.state === 'delivered' && a.target?.objectId)!;
    const added: Assignment = { ...model, id: 'e2e0a17c-0000-4000-8000-00000000a017' };
    f.tenant.data.assignments.push(added);
    const total = list().length;
    await clickInPanel(f.page, 'refresh');
    await waitInPanel(
      f.page,
      `(root, n) => { const el = root.querySelector('[data-testid="row-count"]'); return !!el && el.getAttribute('data-loading') === 'false' && el.getAttribute('data-total') === String(n); }`,
      total,
      60_000,
    );
    await typeSearch(f.page, model.target!.objectId!);
    await waitInPanel(f.page, `(root, id) => root.querySelector('[data-testid="row"][data-assignment-id="' + id + '"]')?.getAttribute('data-access') === 'not-checked'`, added.id);
    const d = await detailsAccess(f.page, model.target!.objectId!, added.id);
    expect(d.value).toBe('not-checked');
    expect(Object.values(d.resources).every((v) => v === 'not-checked:not-in-check')).toBe(true);
    await closeDetails(f.page);
    await typeSearch(f.page, '');
    // access-status counts the list as it is now: every row has exactly one value.
    const st = await inShadow(f.page, (root) => {
      const el = root.querySelector('[data-testid="access-status"]')!;
      return ['data-complete', 'data-missing', 'data-not-checked', 'data-pending'].reduce((n, a) => n + Number(el.getAttribute(a)), 0);
    });
    expect(st).toBe(total);

    // Re-checking that row alone: the last check has no place for it, so the whole package is checked again.
    const all = await f.page.$(inPanel('[data-testid="select-all"]'));
    await all!.click();
    await all!.click();
    await waitInPanel(f.page, `(root) => root.querySelector('[data-testid="selection-count"]')?.getAttribute('data-selected') === '0'`, null);
    await typeSearch(f.page, model.target!.objectId!);
    const box = `[data-testid="row"][data-assignment-id="${added.id}"] [data-testid="row-select"]`;
    await waitInPanel(f.page, `(root, s) => !!root.querySelector(s)`, box);
    await (await f.page.$(inPanel(box)))!.click();
    await waitInPanel(f.page, `(root) => root.querySelector('[data-testid="selection-count"]')?.getAttribute('data-selected') === '1'`, null);
    f.tenant.resetLog();
    await runAndWait(f.page, 'access-recheck');
    const expected = truth(list(), new Set()).get(added.id);
    await waitInPanel(f.page, `(root, a) => root.querySelector('[data-testid="row"][data-assignment-id="' + a.id + '"]')?.getAttribute('data-access') === a.v`, { id: added.id, v: expected });
    expect(f.tenant.log.some((e) => (e.query.$expand ?? '').includes('resourceRoleScopes'))).toBe(true);
    await typeSearch(f.page, '');
  });

  it('a deleted group, a forbidden one and a removed app role are reported on their resource; failures and throttling on a listing are retried', async () => {
    // Finance: its group was deleted.
    await f.page.goto(f.tenant.portalUrl(IDS.financePackage));
    await waitForLoaded(f.page);
    const finance = expectedAssignments(f.tenant.data, IDS.financePackage);
    let status = await runAndWait(f.page, 'check-access');
    expect(status.complete).toBe(0);
    expect(status.missing).toBe(0);
    expect(status.notChecked).toBe(finance.filter((a) => a.state !== 'delivering').length);
    const deleted = await inShadow(f.page, (root, id: string) => root.querySelector(`[data-testid="access-resource"][data-resource-id="${id}"]`)?.getAttribute('data-reason') ?? null, RESOURCE_IDS.financeGroup);
    expect(deleted).toBe('deleted');

    // Lab: 403 on its group, then allowed, with a throttled first page.
    await f.page.goto(f.tenant.portalUrl(IDS.labPackage));
    await waitForLoaded(f.page);
    const lab = expectedAssignments(f.tenant.data, IDS.labPackage);
    resourceModel(f.tenant.data).forbidden.add(RESOURCE_IDS.labGroup);
    status = await runAndWait(f.page, 'check-access');
    expect(status.complete).toBe(0);
    const reason = await inShadow(f.page, (root, id: string) => root.querySelector(`[data-testid="access-resource"][data-resource-id="${id}"]`)?.getAttribute('data-reason') ?? null, RESOURCE_IDS.labGroup);
    expect(reason).toBe('no-permission');

    resourceModel(f.tenant.data).forbidden.delete(RESOURCE_IDS.labGroup);
    f.tenant.configure({ failPages: { status: 503, count: 2, match: `/groups/${RESOURCE_IDS.labGroup}/owners`, retryAfterSec: 1 } });
    status = await runAndWait(f.page, 'check-access');
    const delivered = lab.filter((a) => a.state === 'delivered' || a.state === 'partiallyDelivered').length;
    expect(status.complete).toBe(delivered);
    expect(f.tenant.stats.injectedFailures).toBeGreaterThanOrEqual(2);

    // Throttling (429 with Retry-After) on every other Graph request: retried, and the check completes.
    f.tenant.resetLog();
    const throttledBefore = f.tenant.stats.throttled;
    f.tenant.configure({ throttle: { everyNth: 2, retryAfterSec: 1 } });
    await clickInPanel(f.page, 'check-access');
    const owners = `/groups/${RESOURCE_IDS.labGroup}/owners`;
    for (let waited = 0; !f.tenant.log.some((e) => e.path.endsWith(owners) && e.status === 200); waited += 100) {
      if (waited > 60_000) throw new Error('the throttled check never read the lab group');
      await new Promise((r) => setTimeout(r, 100));
    }
    f.tenant.configure({ throttle: null });
    await waitInPanel(f.page, `(root) => root.querySelector('[data-testid="access-status"]')?.getAttribute('data-loading') === 'false'`, null, 60_000);
    const after = await inShadow(f.page, (root) => Number(root.querySelector('[data-testid="access-status"]')!.getAttribute('data-complete')));
    expect(after).toBe(delivered);
    expect(f.tenant.stats.throttled).toBeGreaterThan(throttledBefore);
    expect(f.tenant.log.some((e) => e.status === 429)).toBe(true);

    // Main: the application no longer defines the app role the package grants: said on that resource.
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    await waitForLoaded(f.page);
    resourceModel(f.tenant.data).removedAppRoles.add(RESOURCE_IDS.expensesReaderRole);
    try {
      status = await runAndWait(f.page, 'check-access');
    } finally {
      resourceModel(f.tenant.data).removedAppRoles.delete(RESOURCE_IDS.expensesReaderRole);
    }
    expect(status.complete).toBe(0);
    const removed = await inShadow(f.page, (root, id: string) => root.querySelector(`[data-testid="access-resource"][data-resource-id="${id}"]`)?.getAttribute('data-reason') ?? null, RESOURCE_IDS.expensesSp);
    expect(removed).toBe('role-removed');
    const group = await inShadow(f.page, (root, id: string) => root.querySelector(`[data-testid="access-resource"][data-resource-id="${id}"]`)?.getAttribute('data-status') ?? null, RESOURCE_IDS.salesGroup);
    expect(group).toBe('checked');
  });
});
