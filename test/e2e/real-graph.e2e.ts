// What real Graph v1.0 would break, end to end against a schema-faithful demo tenant: relationships arrive
// only when expanded (connected organisation, policy questions), a direct add to a policy with required
// questions carries their answers as Graph documents them, and expiredDateTime and callout instances
// reach the CSV. Every request the product sent is then checked against the schema and the documented
// query options (the harness does that after every e2e test; here it is also asserted over the whole run).
import type { ElementHandle, Page } from 'puppeteer-core';
import { expectedAssignments } from '../tenant';
import { QUESTION_IDS } from '../tenant/fixtures';
import { inPanel, waitForLoaded } from '../support/browser';
import { exportAll, parseCsv, waitForNextLoad } from './fault-support';
import { clickInPanel, fillInput, IDS, inShadow, sentToGraphProblems, setup, waitForDownload, type Fixture } from './harness';

const REQUESTS_PATH = '/v1.0/identityGovernance/entitlementManagement/assignmentRequests';

async function waitInPanel(page: Page, selector: string, timeout = 30_000): Promise<ElementHandle<Element>> {
  await page.waitForFunction(
    (sel: string) => !!document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector(sel),
    { timeout, polling: 100 },
    selector,
  );
  return (await page.$(inPanel(selector)))!;
}

const addDisabled = (page: Page): Promise<boolean> =>
  inShadow(page, (root) => (root.querySelector('[data-testid="confirm-add"]') as HTMLButtonElement | null)?.disabled ?? true);

describe('against a schema-faithful tenant', () => {
  let f: Fixture;
  const startedAt = { log: 0 };

  beforeAll(async () => {
    f = await setup({ size: 120, ssoSession: 'always', requestDelayMs: 200 });
    // One assignment whose custom-extension callout failed (a real cause of a stuck delivery).
    const stuck = expectedAssignments(f.tenant.data, IDS.mainPackage).find((a) => a.state === 'delivering')!;
    stuck.customExtensionCalloutInstances = [
      { id: 'c0000000-0000-4000-8000-000000000001', customExtensionId: 'e0000000-0000-4000-8000-0000000000aa', status: 'calloutFailed', detail: 'The Logic App answered 500', externalCorrelationId: null },
    ];
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    const counts = await waitForLoaded(f.page);
    expect(counts.error).toBeNull();
  });
  afterAll(() => f?.close());

  it('exports the connected organisation, expiredDateTime and callout status that Graph lists', async () => {
    await clickInPanel(f.page, 'export-csv');
    const { header, rows } = parseCsv(await waitForDownload(f.launched.downloadDir, /-assignments-(filtered|all)-\d{8}-\d{6}\.csv$/));
    expect(header).toEqual(expect.arrayContaining(['Connected organisation', 'Expired (UTC)', 'Custom extension callouts']));
    const byId = new Map(expectedAssignments(f.tenant.data, IDS.mainPackage).map((a) => [a.id, a]));
    const orgName = (id: string | null | undefined) => f.tenant.data.connectedOrganizations.find((o) => o.id === id)?.displayName ?? '';
    let partners = 0;
    let expired = 0;
    for (const r of rows) {
      const a = byId.get(r['Assignment ID'])!;
      expect(r['Connected organisation']).toBe(orgName(a.target?.connectedOrganizationId));
      if (a.target?.connectedOrganizationId) partners++;
      expect(r['Expired (UTC)']).toBe(a.expiredDateTime ? new Date(a.expiredDateTime).toISOString().replace(/\.\d{3}Z$/, 'Z') : '');
      if (a.expiredDateTime) expired++;
      expect(r['Custom extension callouts']).toBe(a.customExtensionCalloutInstances.length ? 'calloutFailed (e0000000-0000-4000-8000-0000000000aa): The Logic App answered 500' : '');
    }
    // the tenant has partners and expired assignments, so the checks above saw both kinds
    expect(partners).toBeGreaterThan(0);
    expect(expired).toBeGreaterThan(0);
  });

  it('asks the policy questions on a direct add, enforces the required one, and sends the answers as Graph documents', async () => {
    const assigned = new Set(f.tenant.data.assignments.map((a) => a.target?.objectId));
    const user = [...f.tenant.data.users.values()].find((u) => !assigned.has(u.id) && u.id !== f.tenant.data.adminId && u.userPrincipalName && u.userType === 'Member')!;
    startedAt.log = f.tenant.log.length;
    await clickInPanel(f.page, 'add-users');
    const search = await waitInPanel(f.page, '[data-testid="user-search"]');
    await fillInput(search, user.userPrincipalName);
    const result = await waitInPanel(f.page, `[data-testid="user-result"][data-user-id="${user.id}"] input`);
    await result.click();
    await f.page.select(inPanel('[data-testid="policy-select"]'), IDS.policies.employees);

    // Both questions shown, the text one required; Add stays disabled until it is answered.
    await waitInPanel(f.page, `[data-testid="add-question"][data-question-id="${QUESTION_IDS.site}"]`);
    const shown = await inShadow(f.page, (root) =>
      [...root.querySelectorAll('[data-testid="add-question"]')].map((q) => [q.getAttribute('data-question-id'), q.getAttribute('data-required'), q.textContent ?? '']),
    );
    expect(shown.map(([id, req]) => [id, req])).toEqual([
      [QUESTION_IDS.reason, 'true'],
      [QUESTION_IDS.site, 'false'],
    ]);
    expect(shown[0][2]).toContain('Why do you need access?');
    expect(await addDisabled(f.page)).toBe(true);

    const text = await waitInPanel(f.page, `[data-testid="add-question"][data-question-id="${QUESTION_IDS.reason}"] textarea`);
    await fillInput(text, 'Quarterly audit');
    await f.page.select(inPanel(`[data-testid="add-question"][data-question-id="${QUESTION_IDS.site}"] select`), 'SEA');
    await f.page.waitForFunction(
      () => !(document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="confirm-add"]') as HTMLButtonElement | null)?.disabled,
      { timeout: 10_000, polling: 100 },
    );
    await clickInPanel(f.page, 'confirm-add');

    // Wait on Graph's side: the tenant's own log of what it received, and answered (its entry is written when
    // the request arrives; the status when the answer has gone).
    const deadline = Date.now() + 60_000;
    const posts = () => f.tenant.log.slice(startedAt.log).filter((e) => e.method === 'POST' && e.path === REQUESTS_PATH);
    while ((posts().length === 0 || posts().some((p) => p.status === 0)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(posts()).toHaveLength(1);
    const [post] = posts();
    expect(post.status).toBe(201);
    expect(post.body).toEqual({
      requestType: 'adminAdd',
      assignment: { targetId: user.id, assignmentPolicyId: IDS.policies.employees, accessPackageId: IDS.mainPackage },
      answers: [
        {
          '@odata.type': '#microsoft.graph.accessPackageAnswerString',
          value: 'Quarterly audit',
          displayValue: 'Quarterly audit',
          answeredQuestion: { '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion', id: QUESTION_IDS.reason },
        },
        {
          '@odata.type': '#microsoft.graph.accessPackageAnswerString',
          value: 'SEA',
          displayValue: 'Seattle',
          answeredQuestion: { '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion', id: QUESTION_IDS.site },
        },
      ],
    });
    // Graph delivers it: the user is assigned under the policy.
    const until = Date.now() + 30_000;
    const assignedNow = () => f.tenant.data.assignments.some((a) => a.target?.objectId === user.id && a.assignmentPolicyId === IDS.policies.employees);
    while (!assignedNow() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(assignedNow()).toBe(true);
  });

  it('sent Graph only what v1.0 documents: paths, query options, properties, expands, enum values, bodies', () => {
    const graphCalls = f.tenant.log.filter((e) => e.host === 'graph.microsoft.com');
    expect(graphCalls.length).toBeGreaterThan(5);
    expect(sentToGraphProblems(f.tenant.log)).toEqual([]);
    // the policy questions were read expanded, the listing expanded the connected organisation and only the
    // policy's id and name, no $top/$count
    expect(graphCalls.some((e) => /questions/.test(e.query.$expand ?? ''))).toBe(true);
    expect(graphCalls.some((e) => e.query.$expand === 'target($expand=connectedOrganization),assignmentPolicy($select=id,displayName)')).toBe(true);
    expect(graphCalls.filter((e) => e.path.endsWith('/assignments') && (e.query.$top !== undefined || e.query.$count !== undefined))).toEqual([]);
  });
});

/** The main package's assignments as the CSV lists them, with what the tenant holds for each. */
async function exportedWithTruth(f: Fixture): Promise<Array<{ row: Record<string, string>; policy: string; org: string }>> {
  const { rows } = await exportAll(f.page, f.launched.downloadDir);
  const byId = new Map(expectedAssignments(f.tenant.data, IDS.mainPackage).map((a) => [a.id, a]));
  expect(rows.length).toBe(byId.size);
  return rows.map((row) => {
    const a = byId.get(row['Assignment ID'])!;
    return {
      row,
      policy: f.tenant.data.policies.find((p) => p.id === a.assignmentPolicyId)?.displayName ?? '',
      org: f.tenant.data.connectedOrganizations.find((o) => o.id === a.target?.connectedOrganizationId)?.displayName ?? '',
    };
  });
}

const listNotes = (page: Page): Promise<string[] | null> =>
  inShadow(page, (root) => {
    const box = root.querySelector('[data-testid="load-notes"]');
    return box ? [...box.querySelectorAll('[data-testid="load-note"]')].map((n) => n.textContent ?? '') : null;
  });

describe('a Graph that refuses options inside $expand (the list endpoint documents none)', () => {
  let f: Fixture;
  const listing = (e: { path: string }) => e.path.endsWith('/entitlementManagement/assignments');
  beforeAll(async () => {
    f = await setup({ size: 120, ssoSession: 'always' });
  });
  afterAll(() => f?.close());

  it("$select refused: the whole policy is read, every row keeps its policy and organisation, nothing to note", async () => {
    f.tenant.configure({ refuseQueries: [{ match: 'assignmentPolicy($select=', code: 'BadRequest', message: "Query option '$select' is not allowed within '$expand'." }] });
    const from = f.tenant.log.length;
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    expect((await waitForLoaded(f.page)).error).toBeNull();
    const sent = f.tenant.log.slice(from).filter(listing);
    expect(sent.some((e) => e.status === 400 && e.query.$expand?.includes('$select='))).toBe(true);
    expect(sent.some((e) => e.status === 200 && e.query.$expand === 'target($expand=connectedOrganization),assignmentPolicy')).toBe(true);
    let partners = 0;
    for (const { row, policy, org } of await exportedWithTruth(f)) {
      expect(row.Policy).toBe(policy);
      expect(row['Connected organisation']).toBe(org);
      if (org) partners++;
    }
    expect(partners).toBeGreaterThan(0);
    expect(await listNotes(f.page)).toBeNull();
  });

  it('the nested $expand refused too: every row listed, the organisation column empty and the panel says why', async () => {
    const message = 'Nested $expand is not supported on this entity set.';
    f.tenant.configure({ refuseQueries: [{ match: '($expand=connectedOrganization)', code: 'BadRequest', message }] });
    // The list shown is the last one's: Refresh lists it again under the new refusal.
    expect((await waitForNextLoad(f.page, () => clickInPanel(f.page, 'refresh'))).error).toBeNull();
    await f.page.waitForFunction(() => !!document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot?.querySelector('[data-testid="load-notes"]'), { timeout: 30_000 });
    const notes = (await listNotes(f.page))!;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('connected organisation');
    expect(notes[0]).toContain(message);
    for (const { row, policy } of await exportedWithTruth(f)) {
      expect(row.Policy).toBe(policy);
      expect(row['Connected organisation']).toBe('');
    }
    // The worker remembers: the next load asks without the refused options at once, and says so again.
    const from = f.tenant.log.length;
    expect((await waitForNextLoad(f.page, () => clickInPanel(f.page, 'refresh'))).error).toBeNull();
    const sent = f.tenant.log.slice(from).filter(listing);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((e) => e.status === 400)).toEqual([]);
    expect(await listNotes(f.page)).toEqual(notes);
    f.tenant.configure({ refuseQueries: [] });
  });
});
