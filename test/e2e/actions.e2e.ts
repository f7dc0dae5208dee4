// Acting from the panel, end to end: the production build in a real browser against the demo tenant. Every
// expectation comes from the tenant's own data and its request log (what Graph actually received).
import type { ElementHandle, Page } from 'puppeteer-core';
import { expectedAssignments } from '../tenant';
import { inPanel, readRowCount, waitForLoaded } from '../support/browser';
import { pickSearch } from './search-words';
import { clickInPanel, fillInput, IDS, inShadow, setup, typeSearch, type Fixture } from './harness';

const REQUESTS_PATH = '/v1.0/identityGovernance/entitlementManagement/assignmentRequests';

interface WritePost {
  type: string;
  key: string;
  status: number;
}

/** The assignment-request POSTs Graph received, in order: adminRemove by assignment id, adminAdd by user id. */
function writes(f: Fixture): WritePost[] {
  return f.tenant.log
    .filter((e) => e.host === 'graph.microsoft.com' && e.method === 'POST' && e.path === REQUESTS_PATH)
    .map((e) => {
      const body = e.body as { requestType?: string; assignment?: { id?: string; targetId?: string } };
      return { type: body.requestType ?? '', key: body.assignment?.id ?? body.assignment?.targetId ?? '', status: e.status };
    });
}


interface Status {
  pending: number;
  failed: number;
  done: number;
  batch: string;
}

async function actionStatus(page: Page): Promise<Status> {
  return inShadow(page, (root) => {
    const el = root.querySelector('[data-testid="action-status"]')!;
    return {
      pending: Number(el.getAttribute('data-pending')),
      failed: Number(el.getAttribute('data-failed')),
      done: Number(el.getAttribute('data-done')),
      batch: el.getAttribute('data-batch') ?? '',
    };
  });
}

/** Waits until action-status shows these counts for a batch other than `notBatch`. */
async function waitForStatus(page: Page, want: Omit<Status, 'batch'>, notBatch = '', timeout = 60_000): Promise<Status> {
  await page.waitForFunction(
    (w: Omit<Status, 'batch'>, not: string) => {
      const el = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="action-status"]');
      if (!el || el.getAttribute('data-batch') === '' || el.getAttribute('data-batch') === not) return false;
      return (
        el.getAttribute('data-pending') === String(w.pending) &&
        el.getAttribute('data-failed') === String(w.failed) &&
        el.getAttribute('data-done') === String(w.done)
      );
    },
    { timeout, polling: 100 },
    want,
    notBatch,
  );
  return actionStatus(page);
}

/** Waits until the (refreshed) list holds `total` assignments and is done loading. */
async function waitForTotal(page: Page, total: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (n: number) => {
      const el = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="row-count"]');
      return el?.getAttribute('data-loading') === 'false' && el.getAttribute('data-total') === String(n);
    },
    { timeout, polling: 100 },
    total,
  );
}

async function waitForShown(page: Page, shown: number): Promise<void> {
  await page.waitForFunction(
    (n: number) =>
      document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="row-count"]')?.getAttribute('data-shown') === String(n),
    { timeout: 20_000, polling: 100 },
    shown,
  );
}

async function clearSearch(page: Page): Promise<void> {
  const input = await page.waitForSelector(inPanel('[data-testid="search"]'));
  await fillInput(input!, '');
}

/**
 * An element inside the panel, polled: a MutationObserver on the document (how waitForSelector waits) does not
 * see changes inside the shadow root.
 */
async function waitInPanel(page: Page, selector: string, timeout = 20_000): Promise<ElementHandle<Element>> {
  await page.waitForFunction(
    (sel: string) => !!document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector(sel),
    { timeout, polling: 100 },
    selector,
  );
  return (await page.$(inPanel(selector)))!;
}

/** Search, select every row of the filtered view, open the removal confirmation. */
async function selectAndOpenRemoval(page: Page, text: string, expected: number): Promise<void> {
  await typeSearch(page, text);
  await waitForShown(page, expected);
  await clickInPanel(page, 'select-all');
  await page.waitForFunction(
    (n: number) =>
      document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="selection-count"]')?.getAttribute('data-selected') === String(n),
    { timeout: 10_000 },
    expected,
  );
  await clickInPanel(page, 'remove-selected');
  await waitInPanel(page, '[role="dialog"][data-testid="removal-dialog"]');
}

async function badges(page: Page): Promise<Record<string, { result: string; title: string }>> {
  return inShadow(page, (root) => {
    const out: Record<string, { result: string; title: string }> = {};
    for (const row of root.querySelectorAll('[data-testid="row"]')) {
      const b = row.querySelector('[data-testid="action-badge"]');
      if (b) out[row.getAttribute('data-assignment-id') ?? ''] = { result: b.getAttribute('data-result') ?? '', title: b.getAttribute('title') ?? '' };
    }
    return out;
  });
}

describe('bulk removal, partial failure and retry, the log across a reload, direct add', () => {
  let f: Fixture;
  let total = 0;
  const removedSoFar = new Set<string>();
  const list = () => expectedAssignments(f.tenant.data, IDS.mainPackage);

  beforeAll(async () => {
    f = await setup({ size: 160, ssoSession: 'always', requestDelayMs: 300 });
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    const counts = await waitForLoaded(f.page);
    expect(counts.error).toBeNull();
    total = counts.total;
    expect(total).toBe(list().length);
  });
  afterAll(() => f?.close());

  it('rows being delivered keep their names in sight beside the Check delivery button, and beside the status once asked', async () => {
    // Each row with the addon: the addon and the name inside the first cell's box, the name starting after it.
    const placed = (addon: string) =>
      inShadow(
        f.page,
        (root, sel) =>
          [...root.querySelectorAll('[data-testid="row"]')]
            .filter((row) => row.querySelector(sel))
            .map((row) => {
              const name = row.querySelector('[data-testid="row-open-details"]')!.getBoundingClientRect();
              const cell = row.querySelector('[data-testid="row-open-details"]')!.closest('[role="gridcell"]')!.getBoundingClientRect();
              const a = row.querySelector(sel)!.getBoundingClientRect();
              return { id: row.getAttribute('data-assignment-id'), addonInCell: a.right <= cell.right, nameInSight: name.left >= a.right && name.left < cell.right - 40 };
            }),
        addon,
      );
    // The addon reads the actions model in an effect, which runs after the paint that showed the loaded count.
    await waitInPanel(f.page, '[data-testid="delivery-status"]');
    const withButton = await placed('[data-testid="delivery-status"]');
    expect(withButton.length).toBeGreaterThan(0);
    for (const r of withButton) expect(r).toEqual({ id: r.id, addonInCell: true, nameInSight: true });
    await clickInPanel(f.page, 'delivery-all');
    await f.page.waitForFunction(
      (ids: string[]) => {
        const root = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot;
        return ids.every((id) => root?.querySelector(`[data-assignment-id="${id}"] [data-testid="delivery-info"]:not([data-state="loading"])`));
      },
      { timeout: 20_000 },
      withButton.map((r) => r.id ?? ''),
    );
    const withStatus = await placed('[data-testid="delivery-info"]');
    expect(withStatus.map((r) => r.id)).toEqual(withButton.map((r) => r.id));
    for (const r of withStatus) expect(r).toEqual({ id: r.id, addonInCell: true, nameInSight: true });
  });

  it('removes exactly a filtered selection: one adminRemove each, then they are gone from data-total', async () => {
    const pick = pickSearch(list(), 25, 45);
    const n = pick.ids.length;
    await selectAndOpenRemoval(f.page, pick.text, n);

    // 25 or more: Confirm waits for the typed count.
    const confirm = inPanel('[data-testid="confirm-remove"]');
    expect(await f.page.$eval(confirm, (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    const input = await waitInPanel(f.page, '[data-testid="confirm-input"]');
    await input.type(String(n - 1));
    expect(await f.page.$eval(confirm, (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await fillInput(input, String(n));
    expect(await f.page.$eval(confirm, (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    f.tenant.resetLog();
    await f.page.click(confirm);

    await waitForStatus(f.page, { pending: 0, failed: 0, done: n });
    const posts = writes(f);
    expect(posts.map((p) => p.type)).toEqual(Array(n).fill('adminRemove'));
    expect(posts.map((p) => p.key).sort()).toEqual([...pick.ids].sort());
    expect(posts.every((p) => p.status === 201)).toBe(true);

    // Graph removes them a moment later; the panel re-lists until they are gone.
    total -= n;
    await waitForTotal(f.page, total);
    pick.ids.forEach((id) => removedSoFar.add(id));
    expect(list().some((a) => removedSoFar.has(a.id))).toBe(false);
    await clearSearch(f.page);
  });

  it('reports a partial failure per row, and "Retry failed" sends only those once the block is lifted', async () => {
    const pick = pickSearch(list(), 5, 12, removedSoFar);
    const rejected = pick.ids.slice(0, 2);
    f.tenant.configure({ rejectAssignmentIds: rejected });
    const before = await actionStatus(f.page);
    await selectAndOpenRemoval(f.page, pick.text, pick.ids.length);
    expect(await f.page.$(inPanel('[data-testid="confirm-input"]'))).toBeNull();
    f.tenant.resetLog();
    await clickInPanel(f.page, 'confirm-remove');

    const n = pick.ids.length;
    const status = await waitForStatus(f.page, { pending: 0, failed: 2, done: n - 2 }, before.batch);
    // Each failed row says so, with Graph's own message.
    await f.page.waitForFunction(
      (ids: string[]) => {
        const root = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot;
        return ids.every((id) => root?.querySelector(`[data-assignment-id="${id}"] [data-testid="action-badge"][data-result="failed"]`));
      },
      { timeout: 30_000 },
      rejected,
    );
    const b = await badges(f.page);
    for (const id of rejected) expect(b[id].title).toContain(f.tenant.config.rejectError.message);
    const message = await inShadow(f.page, (root) => root.querySelector('[data-testid="action-message"]')?.textContent ?? '');
    expect(message).toContain(f.tenant.config.rejectError.message);

    // The accepted ones disappear; the rejected ones stay.
    total -= n - 2;
    await waitForTotal(f.page, total);

    f.tenant.configure({ rejectAssignmentIds: [] });
    const sentBefore = writes(f).length;
    await clickInPanel(f.page, 'retry-actions');
    await waitForStatus(f.page, { pending: 0, failed: 0, done: n });
    expect((await actionStatus(f.page)).batch).toBe(status.batch);
    const retried = writes(f).slice(sentBefore);
    expect(retried.map((p) => p.key).sort()).toEqual([...rejected].sort());
    // Over both attempts: every assignment was accepted exactly once.
    const accepted = writes(f).filter((p) => p.status === 201).map((p) => p.key).sort();
    expect(accepted).toEqual([...pick.ids].sort());

    total -= 2;
    await waitForTotal(f.page, total);
    pick.ids.forEach((id) => removedSoFar.add(id));
    await clearSearch(f.page);
  });

  it('keeps the action log across a page reload', async () => {
    const before = await actionStatus(f.page);
    await f.page.reload();
    await waitForLoaded(f.page);
    await f.page.waitForFunction(
      (batch: string) =>
        document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="action-status"]')?.getAttribute('data-batch') === batch,
      { timeout: 20_000 },
      before.batch,
    );
    expect(await actionStatus(f.page)).toEqual(before);
    await clickInPanel(f.page, 'action-log-open');
    await waitInPanel(f.page, '[data-testid="action-log"] tbody tr');
    const rows = await inShadow(f.page, (root) =>
      [...root.querySelectorAll('[data-testid="action-log"] tbody tr')].map((tr) => tr.getAttribute('data-result')),
    );
    expect(rows).toHaveLength(removedSoFar.size);
    expect(rows.every((r) => r === 'done')).toBe(true);
    // On disk, as the worker wrote it (read from an extension page: a handle on the worker can go stale).
    const options = await f.launched.openExtensionPage('options.html');
    const key = `actionLog:${IDS.mainPackage}`;
    const stored = (await options.evaluate((k: string) => chrome.storage.local.get(k), key)) as Record<string, { batches?: Array<{ entries?: Array<{ k?: string; r?: string }> }> }>;
    await options.close();
    const onDisk = (stored[key]?.batches ?? []).flatMap((b) => b.entries ?? []);
    expect(onDisk.map((e) => e.k).sort()).toEqual([...removedSoFar].sort());
    expect(onDisk.every((e) => e.r === 'done')).toBe(true);
    await f.page.keyboard.press('Escape');
    await f.page.waitForFunction(() => !document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[role="dialog"]'));
  });

  it('adds two users directly; they appear after the refresh', async () => {
    const assigned = new Set(f.tenant.data.assignments.map((a) => a.target?.objectId));
    // Someone with a request still open for this package (pending approval, delivering) cannot be added: Graph
    // refuses a second open request for the same subject and package.
    const requested = new Set(
      f.tenant.data.requests
        .filter((r) => r.accessPackageId === IDS.mainPackage && ['submitted', 'pendingApproval', 'delivering', 'scheduled'].includes(r.state))
        .map((r) => r.subject?.objectId),
    );
    const users = [...f.tenant.data.users.values()]
      .filter((u) => !assigned.has(u.id) && !requested.has(u.id) && u.id !== f.tenant.data.adminId && u.userPrincipalName)
      .slice(0, 2);
    expect(users).toHaveLength(2);
    const before = await actionStatus(f.page);
    await clickInPanel(f.page, 'add-users');
    const search = await waitInPanel(f.page, '[data-testid="user-search"]');
    for (const u of users) {
      await fillInput(search, u.userPrincipalName);
      const result = await waitInPanel(f.page, `[data-testid="user-result"][data-user-id="${u.id}"] input`);
      await result.click();
    }
    await f.page.select(inPanel('[data-testid="policy-select"]'), IDS.policies.direct);
    f.tenant.resetLog();
    await clickInPanel(f.page, 'confirm-add');

    await waitForStatus(f.page, { pending: 0, failed: 0, done: 2 }, before.batch);
    const posts = writes(f);
    expect(posts.map((p) => p.type)).toEqual(['adminAdd', 'adminAdd']);
    expect(posts.map((p) => p.key).sort()).toEqual(users.map((u) => u.id).sort());
    total += 2;
    await waitForTotal(f.page, total);
    for (const u of users) {
      expect(list().some((a) => a.target?.objectId === u.id && a.assignmentPolicyId === IDS.policies.direct)).toBe(true);
    }
  });
});

describe('a refused removal (403)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup({ size: 40, ssoSession: 'always', writeRole: 'reader', requestDelayMs: 300 });
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    await waitForLoaded(f.page);
  });
  afterAll(() => f?.close());

  it('is explained in the panel in plain words, and nothing is removed', async () => {
    const total = (await readRowCount(f.page))!.total;
    const first = await waitInPanel(f.page, '[data-testid="row"] [data-testid="row-select"]');
    await first.click();
    await clickInPanel(f.page, 'remove-selected');
    // The role note: an explicit Catalog reader role, which cannot change assignments.
    await f.page.waitForFunction(
      () =>
        document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="role-note"]')?.getAttribute('data-can-write') === 'unknown',
      { timeout: 20_000 },
    );
    const note = await inShadow(f.page, (root) => root.querySelector('[data-testid="role-note"]')?.textContent ?? '');
    expect(note).toContain('Catalog reader');
    f.tenant.resetLog();
    await clickInPanel(f.page, 'confirm-remove');

    await waitForStatus(f.page, { pending: 0, failed: 1, done: 0 });
    expect(writes(f).map((p) => p.status)).toEqual([403]);
    const message = await inShadow(f.page, (root) => root.querySelector('[data-testid="action-message"]')?.textContent ?? '');
    expect(message).toMatch(/Removing assignments needs Access package assignment manager, Access package manager or Catalog owner/);
    expect(message).toContain('does not have a role that allows managing assignments');
    expect((await readRowCount(f.page))!.total).toBe(total);
  });
});
