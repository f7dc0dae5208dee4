// Review mode end to end: the production build in a real browser against the demo tenant. Start a review,
// decide in bulk, reload and resume, a second tab on the same package sees the same decisions live, the
// evidence files, import checks, apply (exactly the remove decisions, through the removal confirmation) and
// apply again (nothing sent twice).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'puppeteer-core';
import { expectedAssignments } from '../tenant';
import type { Assignment } from '../tenant/types';
import { inPanel, waitForLoaded } from '../support/browser';
import { clickInPanel, IDS, inShadow, setup, typeSearch, waitForDownload, type Fixture } from './harness';

const REQUESTS_PATH = '/v1.0/identityGovernance/entitlementManagement/assignmentRequests';

const haystack = (a: Assignment): string =>
  [a.target?.displayName ?? '', a.target?.principalName ?? '', a.target?.email ?? '', a.target?.objectId ?? ''].join('\u0000').toLowerCase();

/** A piece of some display name that the search matches on between `min` and `max` assignments, none in `avoid`. */
function pickSearch(list: Assignment[], min: number, max: number, avoid: ReadonlySet<string> = new Set()): { text: string; ids: string[] } {
  const words = new Set<string>();
  for (const a of list) {
    for (const w of (a.target?.displayName ?? '').toLowerCase().split(/[^a-z]+/)) {
      for (let len = 3; len <= Math.min(5, w.length); len++) for (let i = 0; i + len <= w.length; i++) words.add(w.slice(i, i + len));
    }
  }
  const candidates = [...words]
    .map((text) => ({ text, ids: list.filter((a) => haystack(a).includes(text)).map((a) => a.id) }))
    .filter((c) => c.ids.length >= min && c.ids.length <= max && !c.ids.some((id) => avoid.has(id)))
    .sort((a, b) => a.ids.length - b.ids.length || a.text.localeCompare(b.text));
  if (!candidates.length) throw new Error(`no search word matches ${min}..${max} assignments`);
  return candidates[0];
}

interface Progress {
  total: number;
  decided: number;
  keep: number;
  remove: number;
}

async function waitForProgress(page: Page, want: Partial<Progress>, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (w: Partial<Progress>) => {
      const el = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="review-progress"]');
      if (!el) return false;
      return Object.entries(w).every(([k, v]) => el.getAttribute(`data-${k}`) === String(v));
    },
    { timeout, polling: 100 },
    want,
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

async function waitInPanel(page: Page, selector: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    (sel: string) => !!document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector(sel),
    { timeout, polling: 100 },
    selector,
  );
}

/** data-decision of every rendered row, by assignment id. */
async function decisions(page: Page): Promise<Record<string, string>> {
  return inShadow(page, (root) => {
    const out: Record<string, string> = {};
    for (const row of root.querySelectorAll('[data-testid="row"]')) out[row.getAttribute('data-assignment-id') ?? ''] = row.getAttribute('data-decision') ?? '(absent)';
    return out;
  });
}

/** Search, select every row of the filtered view. */
async function selectSearch(page: Page, text: string, n: number): Promise<void> {
  await typeSearch(page, text);
  await waitForShown(page, n);
  await clickInPanel(page, 'select-all');
  await page.waitForFunction(
    (k: number) =>
      document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="selection-count"]')?.getAttribute('data-selected') === String(k),
    { timeout: 10_000, polling: 100 },
    n,
  );
}

function removePosts(f: Fixture): string[] {
  return f.tenant.log
    .filter((e) => e.host === 'graph.microsoft.com' && e.method === 'POST' && e.path === REQUESTS_PATH)
    .map((e) => (e.body as { assignment?: { id?: string } }).assignment?.id ?? '');
}

describe('review mode', () => {
  let f: Fixture;
  let total = 0;
  let second: Page | null = null;
  const list = () => expectedAssignments(f.tenant.data, IDS.mainPackage);
  let removeIds: string[] = [];
  let keepIds: string[] = [];
  const justification = '=left the company; "contract ended"';

  beforeAll(async () => {
    f = await setup({ size: 120, ssoSession: 'always' });
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    const counts = await waitForLoaded(f.page);
    expect(counts.error).toBeNull();
    total = counts.total;
    expect(total).toBe(list().length);
  });
  afterAll(async () => {
    await second?.close().catch(() => undefined);
    await f?.close();
  });

  it('starts a review of every assignment; rows carry data-decision="none"', async () => {
    await clickInPanel(f.page, 'review-start');
    await waitForProgress(f.page, { total, decided: 0, keep: 0, remove: 0 });
    const d = await decisions(f.page);
    expect(Object.keys(d).length).toBeGreaterThan(0);
    expect(new Set(Object.values(d))).toEqual(new Set(['none']));
  });

  it('decides remove for a filtered selection (with a justification) and keep for another', async () => {
    const pickRemove = pickSearch(list(), 3, 8);
    removeIds = pickRemove.ids;
    await selectSearch(f.page, pickRemove.text, removeIds.length);
    await clickInPanel(f.page, 'decide-remove');
    await waitInPanel(f.page, '[data-testid="decision-justification"]');
    const confirm = inPanel('[data-testid="confirm-decision"]');
    expect(await f.page.$eval(confirm, (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    const box = await f.page.$(inPanel('[data-testid="decision-justification"]'));
    await box!.type(justification);
    await f.page.click(confirm);
    await waitForProgress(f.page, { total, decided: removeIds.length, remove: removeIds.length, keep: 0 });
    const shown = await decisions(f.page);
    for (const id of removeIds) expect([id, shown[id]]).toEqual([id, 'remove']);

    const pickKeep = pickSearch(list(), 2, 6, new Set(removeIds));
    keepIds = pickKeep.ids;
    await selectSearch(f.page, pickKeep.text, keepIds.length);
    await clickInPanel(f.page, 'decide-keep');
    await waitForProgress(f.page, { decided: removeIds.length + keepIds.length, keep: keepIds.length });
    const shownKeep = await decisions(f.page);
    for (const id of keepIds) expect([id, shownKeep[id]]).toEqual([id, 'keep']);
    await waitInPanel(f.page, '[data-testid="review-save"][data-state="saved"]');
  });

  it('the Decision facet lists the undecided rows', async () => {
    await typeSearch(f.page, '');
    await waitForShown(f.page, total);
    const option = await f.page.waitForSelector(inPanel('[data-testid="facet-decision"] [data-testid="facet-option"][data-value="none"] input'));
    await option!.click();
    await waitForShown(f.page, total - removeIds.length - keepIds.length);
    await option!.click();
    await waitForShown(f.page, total);
  });

  it('resumes after a reload with every decision as it was', async () => {
    await f.page.reload();
    await waitForLoaded(f.page);
    await waitForProgress(f.page, { total, decided: removeIds.length + keepIds.length, keep: keepIds.length, remove: removeIds.length });
    await typeSearch(f.page, '');
    const d = await decisions(f.page);
    for (const id of removeIds) if (id in d) expect([id, d[id]]).toEqual([id, 'remove']);
    // The review-start button resumes (it does not start a second review).
    await clickInPanel(f.page, 'review-start');
    await waitForProgress(f.page, { total, decided: removeIds.length + keepIds.length });
  });

  it('a second tab on the same package shows the same review, and its decisions reach the first tab live', async () => {
    second = await f.launched.browser.newPage();
    await second.goto(f.tenant.portalUrl(IDS.mainPackage));
    await waitForLoaded(second);
    await waitForProgress(second, { total, decided: removeIds.length + keepIds.length, keep: keepIds.length, remove: removeIds.length });
    const more = pickSearch(list(), 1, 4, new Set([...removeIds, ...keepIds]));
    await second.bringToFront();
    await selectSearch(second, more.text, more.ids.length);
    await clickInPanel(second, 'decide-keep');
    keepIds = [...keepIds, ...more.ids];
    await waitForProgress(second, { keep: keepIds.length });
    await waitForProgress(f.page, { decided: removeIds.length + keepIds.length, keep: keepIds.length });
    await f.page.bringToFront();
  });

  let jsonPath = '';
  it('exports the review as CSV (contract columns, one record per assignment) and as JSON evidence', async () => {
    await clickInPanel(f.page, 'export-review');
    const file = await waitForDownload(f.launched.downloadDir, /-review-\d{8}-\d{6}\.csv$/);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = Papa.parse<string[]>(text.slice(1).trimEnd(), { newline: '\r\n' }).data;
    expect(rows[0].slice(0, 9)).toEqual(['Assignment ID', 'Display name', 'User principal name', 'Decision', 'Justification', 'Reviewer', 'Decided (UTC)', 'Recommendation', 'Stale reasons']);
    expect(rows.length - 1).toBe(total);
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    for (const id of removeIds) {
      expect(byId.get(id)![3]).toBe('remove');
      expect(byId.get(id)![4]).toBe(`'${justification}`); // the formula guard, nothing else altered
      expect(byId.get(id)![5]).not.toBe('');
      expect(byId.get(id)![6]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
    for (const id of keepIds) expect(byId.get(id)![3]).toBe('keep');
    expect(rows.slice(1).filter((r) => r[3] === '').length).toBe(total - removeIds.length - keepIds.length);

    await clickInPanel(f.page, 'review-export-json');
    jsonPath = await waitForDownload(f.launched.downloadDir, /-review-\d{8}-\d{6}\.json$/);
    const data = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
    expect(data.packageId).toBe(IDS.mainPackage);
    expect(data.staleAfterDays).toBe(90);
    expect(data.scope).toEqual({ kind: 'all', filter: '' });
    expect(Object.keys(data.decisions).sort()).toEqual([...removeIds, ...keepIds].sort());
    expect(data.decisions[removeIds[0]].justification).toBe(justification);
    expect(data.decisions[removeIds[0]].facts).toHaveProperty('staleReasons');
  });

  it('refuses to import a review of another package, with a message, and changes nothing', async () => {
    const data = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
    data.packageId = 'ffffffff-0000-4000-8000-000000000000';
    data.decisions = {};
    const other = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'review-import-')), 'other.json');
    fs.writeFileSync(other, JSON.stringify(data));
    const input = await f.page.$(inPanel('[data-testid="review-import-file"]'));
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(other);
    await waitInPanel(f.page, '[data-testid="review-message"]');
    const message = await inShadow(f.page, (root) => root.querySelector('[data-testid="review-message"]')!.textContent ?? '');
    expect(message).toMatch(/another access package/);
    await waitForProgress(f.page, { decided: removeIds.length + keepIds.length, keep: keepIds.length, remove: removeIds.length });
  });

  it('applies the review: the removal confirmation, exactly the remove decisions; applying again sends nothing', async () => {
    f.tenant.resetLog();
    await clickInPanel(f.page, 'apply-review');
    await waitInPanel(f.page, '[role="dialog"][data-testid="removal-dialog"]');
    const count = await f.page.$eval(inPanel('[data-testid="removal-dialog"]'), (d) => d.getAttribute('data-count'));
    expect(count).toBe(String(removeIds.length));
    await clickInPanel(f.page, 'confirm-remove');
    await page_waitForStatus(f.page, removeIds.length);
    expect(removePosts(f).sort()).toEqual([...removeIds].sort());
    await waitForProgress(f.page, { applied: 'true' } as Partial<Progress>);

    // Graph removes them; the refreshed list no longer has them, and nothing is left to apply.
    await f.page.waitForFunction(
      (n: number) => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="row-count"]')?.getAttribute('data-total') === String(n),
      { timeout: 60_000, polling: 100 },
      total - removeIds.length,
    );
    const disabled = await f.page.$eval(inPanel('[data-testid="apply-review"]'), (b) => (b as HTMLButtonElement).disabled);
    expect(disabled).toBe(true);
    await f.page.$eval(inPanel('[data-testid="apply-review"]'), (b) => (b as HTMLButtonElement).click());
    expect(await f.page.$(inPanel('[data-testid="removal-dialog"]'))).toBeNull();
    expect(removePosts(f).length).toBe(removeIds.length);
    // The review lists them as gone, with their decision.
    await waitForProgress(f.page, { disappeared: removeIds.length } as unknown as Partial<Progress>);
  });

  it('finishes and archives the review; importing the JSON export continues it, as on another machine', async () => {
    await clickInPanel(f.page, 'review-finish');
    await clickInPanel(f.page, 'review-finish-confirm');
    await f.page.waitForFunction(
      () => {
        const root = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot;
        return !!root && !root.querySelector('[data-testid="review-progress"]') && !!root.querySelector('[data-testid="review-start"]');
      },
      { timeout: 20_000, polling: 100 },
    );
    expect(Object.values(await decisions(f.page)).every((d) => d === '(absent)')).toBe(true);

    const input = await f.page.$(inPanel('[data-testid="review-import-file"]'));
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(jsonPath);
    await waitForProgress(f.page, { decided: removeIds.length + keepIds.length, keep: keepIds.length, remove: removeIds.length });
    await waitForProgress(f.page, { disappeared: removeIds.length } as unknown as Partial<Progress>);
    const d = await decisions(f.page);
    for (const id of keepIds) if (id in d) expect([id, d[id]]).toEqual([id, 'keep']);
    // The removed assignments no longer exist: nothing to apply.
    expect(await f.page.$eval(inPanel('[data-testid="apply-review"]'), (b) => (b as HTMLButtonElement).disabled)).toBe(true);
  });
});

async function page_waitForStatus(page: Page, done: number): Promise<void> {
  await page.waitForFunction(
    (n: number) => {
      const el = document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="action-status"]');
      return el?.getAttribute('data-done') === String(n) && el.getAttribute('data-pending') === '0' && el.getAttribute('data-failed') === '0';
    },
    { timeout: 60_000, polling: 100 },
    done,
  );
}

