/** @jest-environment jsdom */
import { TextDecoder, TextEncoder } from 'node:util';
import { act } from 'preact/test-utils';
import { toCsv } from '../../../src/core/csv';
import type { WorkerEvent } from '../../../src/messages';
import { TESTIDS, facetTestId } from '../../../src/panel/testids';
import { PKG, daysAgo, loadEvents, row, rows, user } from './fixtures';
import { changeValue, mountPanel, typeInto, type Mounted } from './render';

// jest's jsdom environment lacks TextEncoder (both browsers have it); the filter string needs it.
Object.assign(globalThis, { TextEncoder, TextDecoder });

let m: Mounted;
afterEach(() => m?.unmount());

const count = () => m.$(TESTIDS.rowCount)!;
const attrs = () => ({
  loading: count().getAttribute('data-loading'),
  total: count().getAttribute('data-total'),
  shown: count().getAttribute('data-shown'),
  error: count().getAttribute('data-error'),
});
const click = (el: Element | null) => m.act(() => (el as HTMLElement).click());
/** A facet's option, its dropdown opened first as a person would (one dropdown is open at a time). */
const option = (facet: string, value: string) => {
  const toggle = m.$(facetTestId(facet))!.querySelector<HTMLElement>('[data-testid="facet-toggle"]')!;
  if (toggle.getAttribute('aria-expanded') !== 'true') void act(() => toggle.click());
  return m.$(facetTestId(facet))!.querySelector<HTMLElement>(`[data-testid="facet-option"][data-value="${value}"]`)!;
};

describe('row count', () => {
  test('follows a load: loading, streamed rows, done, then an error on a refresh', async () => {
    m = await mountPanel();
    // Opened, nothing fetched yet: a check waiting for "false" must not pass now.
    expect(attrs()).toEqual({ loading: 'true', total: '0', shown: '0', error: null });
    await m.send({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false });
    expect(attrs().loading).toBe('true');
    await m.send({ type: 'rows', loadId: 'L1', rows: rows(4) });
    expect(attrs()).toEqual({ loading: 'true', total: '4', shown: '4', error: null });
    expect(m.$$(TESTIDS.row)).toHaveLength(4);
    await m.send({ type: 'rows', loadId: 'L1', rows: rows(2, 4) });
    await m.send({ type: 'load-done', loadId: 'L1', packageId: PKG, total: 6, fetchedAt: daysAgo(0), missing: [], enriching: true });
    // User details still arriving: not done yet.
    expect(attrs()).toEqual({ loading: 'true', total: '6', shown: '6', error: null });
    await m.send({ type: 'enrich-done', loadId: 'L1' });
    expect(attrs()).toEqual({ loading: 'false', total: '6', shown: '6', error: null });

    await m.send({ type: 'load-start', packageId: PKG, loadId: 'L2', fromCache: false });
    await m.send({ type: 'load-error', loadId: 'L2', packageId: PKG, message: 'Graph said 403 Forbidden' });
    expect(attrs()).toEqual({ loading: 'false', total: '6', shown: '6', error: 'Graph said 403 Forbidden' });
    expect(m.$(TESTIDS.loadError)!.textContent).toContain('Graph said 403 Forbidden');
    await click(m.$(TESTIDS.retry));
    expect(m.link.posted).toContainEqual({ type: 'open', packageId: PKG, refresh: true });
  });

  test('data-total counts every state, expired rows and targets not yet in the directory', async () => {
    m = await mountPanel();
    const list = [
      row(0),
      row(1, { state: 'expired' }),
      row(2, { state: 'delivering', objectId: null, displayName: '', principalName: '' }),
      row(3, { state: 'deliveryFailed' }),
    ];
    await m.send(...loadEvents('L1', list));
    expect(attrs()).toEqual({ loading: 'false', total: '4', shown: '4', error: null });
  });
});

describe('filters', () => {
  test('search narrows data-shown (case-insensitive over name, UPN, email, object id)', async () => {
    m = await mountPanel();
    await m.send(
      ...loadEvents('L1', [
        row(0, { displayName: 'Anna Lindqvist' }),
        row(1, { displayName: 'Bo', principalName: 'bo@ANNA-corp.com' }),
        row(2, { displayName: 'Cy', objectId: 'deadbeef-0000' }),
      ]),
    );
    const search = m.$(TESTIDS.search) as HTMLInputElement;
    await m.act(() => typeInto(search, 'anna'));
    expect(attrs().shown).toBe('2');
    expect(m.$$(TESTIDS.row).map((r) => r.getAttribute('data-assignment-id'))).toEqual(['as-0', 'as-1']);
    await m.act(() => typeInto(search, 'DEADBEEF'));
    expect(attrs().shown).toBe('1');
    expect(attrs().total).toBe('3');
  });

  test('a facet option toggles and the other facets\' counts follow', async () => {
    m = await mountPanel();
    await m.send(
      ...loadEvents('L1', [
        row(0, { state: 'delivered', policyId: 'p-a', policyName: 'A' }),
        row(1, { state: 'expired', policyId: 'p-a', policyName: 'A' }),
        row(2, { state: 'delivered', policyId: 'p-b', policyName: 'B' }),
      ]),
    );
    expect(option('state', 'delivered').getAttribute('data-count')).toBe('2');
    expect(option('policy', 'p-b').getAttribute('data-count')).toBe('1');
    await click(option('policy', 'p-a').querySelector('input'));
    expect(option('policy', 'p-a').getAttribute('data-checked')).toBe('true');
    expect(attrs().shown).toBe('2');
    // Within policy p-a: one delivered, one expired.
    expect(option('state', 'delivered').getAttribute('data-count')).toBe('1');
    expect(option('state', 'expired').getAttribute('data-count')).toBe('1');
    // The active filter is a removable chip in the portal's words.
    expect(m.$$(TESTIDS.filterChip).map((c) => c.textContent)).toEqual(['Policy: A']);
    expect(m.$(TESTIDS.activeFilter)!.getAttribute('title')).toContain('policy: A');
    await click(option('policy', 'p-a').querySelector('input'));
    expect(attrs().shown).toBe('3');
    expect(option('state', 'delivered').getAttribute('data-count')).toBe('2');
  });

  test('clear-filters removes search and facets in one click', async () => {
    m = await mountPanel();
    await m.send(...loadEvents('L1', rows(3)));
    await m.act(() => typeInto(m.$(TESTIDS.search) as HTMLInputElement, 'User 1'));
    await click(option('state', 'delivered').querySelector('input'));
    expect(attrs().shown).toBe('1');
    await click(m.$(TESTIDS.clearFilters));
    expect(attrs().shown).toBe('3');
    expect((m.$(TESTIDS.search) as HTMLInputElement).value).toBe('');
  });

  test('a copied filter string pastes back; garbage gets a clear message and changes nothing', async () => {
    const copied: string[] = [];
    m = await mountPanel({ writeClipboard: async (t) => void copied.push(t) });
    await m.send(...loadEvents('L1', [row(0, { state: 'expired' }), row(1)]));
    await click(option('state', 'expired').querySelector('input'));
    await click(m.$(TESTIDS.copyFilter));
    expect(copied).toHaveLength(1);
    await click(m.$(TESTIDS.clearFilters));
    expect(attrs().shown).toBe('2');

    await click(m.$(TESTIDS.pasteFilter));
    await m.act(() => typeInto(m.$(TESTIDS.filterInput) as HTMLInputElement, 'not a filter!'));
    await click(m.$(TESTIDS.applyFilter));
    expect(m.$(TESTIDS.filterMessage)!.getAttribute('data-kind')).toBe('error');
    expect(attrs().shown).toBe('2');

    await m.act(() => typeInto(m.$(TESTIDS.filterInput) as HTMLInputElement, ` ${copied[0]} `));
    await click(m.$(TESTIDS.applyFilter));
    expect(attrs().shown).toBe('1');
    expect(m.$(TESTIDS.filterMessage)!.getAttribute('data-kind')).toBe('info');
  });
});

describe('table', () => {
  test('100,000 rows render a bounded number of row elements', async () => {
    m = await mountPanel();
    const list = rows(100_000);
    await m.send(...loadEvents('L1', list));
    expect(attrs().total).toBe('100000');
    const rendered = m.$$(TESTIDS.row);
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(100);
    expect(m.el.querySelectorAll('*').length).toBeLessThan(3000);
    // Scrolling far down renders the rows there, still bounded.
    const table = m.$(TESTIDS.table)!;
    await m.act(() => {
      table.scrollTop = 50_000 * 28;
      table.dispatchEvent(new Event('scroll'));
    });
    const ids = m.$$(TESTIDS.row).map((r) => r.getAttribute('data-assignment-id'));
    expect(ids).toContain('as-50000');
    expect(ids.length).toBeLessThan(100);
  });

  test('text from Graph with markup renders as text: no element is created', async () => {
    m = await mountPanel();
    const evil = '<img src=x onerror="window.__pwned=1">';
    await m.send(
      ...loadEvents('L1', [row(0, { displayName: evil, policyName: evil, status: '<script>alert(1)</script>' })]),
    );
    expect(m.el.querySelector('img')).toBeNull();
    expect(m.el.querySelector('script')).toBeNull();
    const r = m.$(TESTIDS.row)!;
    expect(r.textContent).toContain(evil);
    expect(option('policy', 'p-sales').textContent).toContain(evil);
    // The package name from the load (with <b>) is text too.
    expect(m.el.querySelector('b')).toBeNull();
    expect(m.el.textContent).toContain('Sales <b>team</b>');
  });

  test('rows carry data-stale, and sorting a column sets aria-sort', async () => {
    m = await mountPanel();
    await m.send(...loadEvents('L1', [row(0, { displayName: 'b' }), row(1, { displayName: 'a' })]));
    await m.send(
      { type: 'sign-in-data', loadId: 'L1', availability: { available: true } },
      { type: 'users', loadId: 'L1', users: [user(0, { accountEnabled: false }), user(1)] },
    );
    const stale = () => m.$$(TESTIDS.row).map((r) => [r.getAttribute('data-assignment-id'), r.getAttribute('data-stale')]);
    expect(stale()).toEqual([
      ['as-0', 'true'],
      ['as-1', 'false'],
    ]);
    const header = m.el.querySelector<HTMLElement>('[data-testid="column-header"][data-column="displayName"]')!;
    await click(header.querySelector('button'));
    expect(header.getAttribute('aria-sort')).toBe('ascending');
    expect(stale()).toEqual([
      ['as-1', 'false'],
      ['as-0', 'true'],
    ]);
  });

  test('a search that changes which rows are shown leaves no value of the previous rows behind', async () => {
    // Row elements are reused for the rows that take their place: each must show only its own values.
    m = await mountPanel();
    await m.send(...loadEvents('L1', [row(0, { displayName: 'Anna Stale' }), row(1, { displayName: 'Bo Fine' }), row(2, { displayName: 'Anna Fine' })]));
    await m.send(
      { type: 'sign-in-data', loadId: 'L1', availability: { available: true } },
      { type: 'users', loadId: 'L1', users: [user(0, { accountEnabled: false }), user(1), user(2)] },
    );
    await click(m.$$(TESTIDS.row)[0].querySelector(`[data-testid="${TESTIDS.rowSelect}"]`));
    const shown = () =>
      m.$$(TESTIDS.row).map((r) => ({
        id: r.getAttribute('data-assignment-id'),
        stale: r.getAttribute('data-stale'),
        selected: r.getAttribute('data-selected'),
        checked: r.querySelector<HTMLInputElement>(`[data-testid="${TESTIDS.rowSelect}"]`)!.checked,
        rowClass: r.className.includes('stale'),
        name: r.querySelector('[data-testid="row-open-details"]')!.textContent,
      }));
    expect(shown()[0]).toEqual({ id: 'as-0', stale: 'true', selected: 'true', checked: true, rowClass: true, name: 'Anna Stale' });
    const search = m.$(TESTIDS.search) as HTMLInputElement;
    await m.act(() => typeInto(search, 'fine'));
    expect(shown()).toEqual([
      { id: 'as-1', stale: 'false', selected: 'false', checked: false, rowClass: false, name: 'Bo Fine' },
      { id: 'as-2', stale: 'false', selected: 'false', checked: false, rowClass: false, name: 'Anna Fine' },
    ]);
    await m.act(() => typeInto(search, ''));
    expect(shown().map((r) => [r.id, r.checked, r.stale])).toEqual([
      ['as-0', true, 'true'],
      ['as-1', false, 'false'],
      ['as-2', false, 'false'],
    ]);
  });

  test('a row whose target has no display name still offers its details, named "(no name)"', async () => {
    m = await mountPanel();
    await m.send(...loadEvents('L1', [row(0, { displayName: '' })]));
    const name = m.$$(TESTIDS.row)[0].querySelector<HTMLElement>('[data-testid="row-open-details"]')!;
    expect(name.textContent).toBe('(no name)');
    // Its accessible name falls back to the UPN.
    expect(name.getAttribute('aria-label')).toContain('user0@contoso.com');
  });

  test('select-all selects every row of the filtered view, not only the rendered ones', async () => {
    m = await mountPanel();
    await m.send(...loadEvents('L1', [...rows(5000), row(9999, { state: 'expired' })]));
    await click(option('state', 'delivered').querySelector('input'));
    await click(m.$(TESTIDS.selectAll));
    expect(m.store.state.selection.size).toBe(5000);
    expect(m.store.state.selection.has('as-9999')).toBe(false);
    expect(m.$(TESTIDS.selectionCount)!.getAttribute('data-selected')).toBe('5000');
    await click(m.$(TESTIDS.selectAll));
    expect(m.store.state.selection.size).toBe(0);
  });

  test('keyboard: arrows move through rows and Space selects the current one', async () => {
    m = await mountPanel();
    await m.send(...loadEvents('L1', rows(3)));
    const table = m.$(TESTIDS.table)!;
    const key = (k: string) => m.act(() => void table.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true })));
    await key('ArrowDown');
    await key(' ');
    expect([...m.store.state.selection]).toEqual(['as-1']);
    expect(table.getAttribute('aria-activedescendant')).toBe('row-1');
    await key('End');
    await key(' ');
    expect([...m.store.state.selection]).toEqual(['as-1', 'as-2']);
    expect(m.$$(TESTIDS.row).map((r) => r.getAttribute('data-selected'))).toEqual(['false', 'true', 'true']);
  });

  test('a hidden column disappears and the choice is remembered', async () => {
    m = await mountPanel();
    await m.send(...loadEvents('L1', rows(2)));
    await click(m.$(TESTIDS.columnChooser));
    const status = m.el.querySelector<HTMLElement>('[data-testid="column-option"][data-column="status"] input')!;
    await click(status);
    expect(m.el.querySelector('[data-testid="column-header"][data-column="status"]')).toBeNull();
    expect(m.prefsSaved.at(-1)?.hiddenColumns).toEqual(['status']);
  });
});

describe('stale users', () => {
  const enrich = (): WorkerEvent[] => [
    { type: 'sign-in-data', loadId: 'L1', availability: { available: true } },
    {
      type: 'users',
      loadId: 'L1',
      users: [
        user(0, { accountEnabled: false }),
        user(1, { lastSuccessfulSignIn: daysAgo(200) }),
        user(2, { lastSuccessfulSignIn: daysAgo(150) }),
        user(3),
      ],
    },
  ];

  test('the summary counts reasons, and clicking one applies that stale-reason filter', async () => {
    m = await mountPanel();
    await m.send(...loadEvents('L1', rows(4)), ...enrich());
    const summary = m.$(TESTIDS.staleSummary)!;
    expect(summary.textContent).toContain('Stale: 3');
    expect(summary.textContent).toContain('Inactive: 2');
    expect(summary.textContent).toContain('Disabled: 1');
    await click(summary.querySelector('[data-reason="inactive"]'));
    expect(attrs().shown).toBe('2');
    expect(m.$$(TESTIDS.row).map((r) => r.getAttribute('data-assignment-id'))).toEqual(['as-1', 'as-2']);
    expect(option('stale', 'inactive').getAttribute('data-checked')).toBe('true');
    await click(m.$(TESTIDS.staleSummary)!.querySelector('[data-reason="any"]'));
    expect(attrs().shown).toBe('3');
  });

  test('the threshold input re-derives stale rows and is remembered', async () => {
    m = await mountPanel();
    await m.send(...loadEvents('L1', rows(4)), ...enrich());
    await m.act(() => changeValue(m.$(TESTIDS.threshold) as HTMLInputElement, '180'));
    expect(m.$(TESTIDS.staleSummary)!.textContent).toContain('Inactive: 1');
    expect(m.prefsSaved.at(-1)?.staleAfterDays).toBe(180);
    await click(m.$(TESTIDS.thresholdReset));
    expect(m.$(TESTIDS.staleSummary)!.textContent).toContain('Inactive: 2');
    expect(m.prefsSaved.at(-1)?.staleAfterDays).toBeUndefined();
  });

  test('when sign-in data is unavailable the panel says why, and claims no inactivity', async () => {
    m = await mountPanel();
    await m.send(
      ...loadEvents('L1', rows(2)),
      { type: 'sign-in-data', loadId: 'L1', availability: { available: false, reason: 'The tenant has no Entra ID P1 licence' } },
      { type: 'users', loadId: 'L1', users: [user(0, { lastSuccessfulSignIn: daysAgo(900) }), user(1)] },
    );
    expect(m.$(TESTIDS.signinUnavailable)!.textContent).toContain('no Entra ID P1 licence');
    expect(m.$$(TESTIDS.row).map((r) => r.getAttribute('data-stale'))).toEqual(['false', 'false']);
  });
});

describe('export', () => {
  let blobs: Blob[];
  let anchors: { download: string; href: string }[];
  const realCreate = URL.createObjectURL;
  const realRevoke = URL.revokeObjectURL;
  beforeEach(() => {
    blobs = [];
    anchors = [];
    URL.createObjectURL = (b: Blob) => {
      blobs.push(b);
      return `blob:test/${blobs.length}`;
    };
    URL.revokeObjectURL = () => undefined;
  });
  afterEach(() => {
    URL.createObjectURL = realCreate;
    URL.revokeObjectURL = realRevoke;
  });
  const listen = () =>
    m.el.addEventListener('click', (e) => {
      const a = e.target as HTMLAnchorElement;
      if (a.tagName === 'A') {
        e.preventDefault(); // jsdom cannot navigate; the browser would download
        anchors.push({ download: a.download, href: a.href });
      }
    });
  const readBlob = (b: Blob) =>
    new Promise<Buffer>((resolve) => {
      const r = new FileReader();
      r.onload = () => resolve(Buffer.from(r.result as ArrayBuffer));
      r.readAsArrayBuffer(b);
    });
  const waitFor = async (cond: () => boolean) => {
    for (let i = 0; i < 100 && !cond(); i++) await m.act(() => new Promise((r) => setTimeout(r, 5)));
  };

  test('exports exactly the rows shown, in the shown order, as the contract CSV', async () => {
    m = await mountPanel();
    listen();
    await m.send(
      ...loadEvents('L1', [
        row(0, { displayName: 'Carl', state: 'delivered' }),
        row(1, { displayName: '=cmd|x', state: 'delivered' }),
        row(2, { displayName: 'Ann', state: 'expired' }),
        row(3, { displayName: 'Bea, "B"', state: 'delivered' }),
      ]),
    );
    await click(option('state', 'delivered').querySelector('input'));
    await click(m.el.querySelector('[data-column="displayName"] button'));
    const button = m.$(TESTIDS.exportCsv) as HTMLButtonElement;
    await click(button);
    expect(button.disabled).toBe(true); // busy while building
    await waitFor(() => anchors.length > 0);
    expect(blobs).toHaveLength(1);
    const expected = toCsv(m.store.view().shown);
    // Sorted by display name ('=' sorts before letters), expired row filtered out.
    expect(m.store.view().shown.map((r) => r.id)).toEqual(['as-1', 'as-3', 'as-0']);
    expect((await readBlob(blobs[0])).toString('utf8')).toBe(expected);
    expect(expected.startsWith('\uFEFFAssignment ID,Display name,')).toBe(true);
    expect(anchors[0].download).toMatch(/^Sales _b_team__b_-assignments-filtered-\d{8}-\d{6}\.csv$/);
    expect(anchors[0].href).toBe('blob:test/1');
    expect(m.el.querySelector('a')).toBeNull(); // the temporary link is gone
    await waitFor(() => !button.disabled);
    expect(button.disabled).toBe(false);
  });

  test('exporting the shown rows with no filter active names the file -all- (the whole list)', async () => {
    m = await mountPanel();
    listen();
    await m.send(...loadEvents('L1', [row(0), row(1, { state: 'expired' })]));
    await click(m.$(TESTIDS.exportCsv));
    await waitFor(() => anchors.length > 0);
    expect(anchors[0].download).toMatch(/-assignments-all-\d{8}-\d{6}\.csv$/);
  });

  test('the table shows the portal words, with Graph value in the tooltip', async () => {
    m = await mountPanel();
    await m.send(...loadEvents('L1', [row(0, { state: 'partiallyDelivered' })]));
    const cell = m.el.querySelector('[data-testid="row"] [title*="partiallyDelivered"]');
    expect(cell?.textContent).toBe('Partially delivered');
    expect(m.el.querySelector('[data-testid="row"]')!.textContent).not.toContain('partiallyDelivered');
  });

  test('export all takes every row regardless of the filter', async () => {
    m = await mountPanel();
    listen();
    await m.send(...loadEvents('L1', [row(0), row(1, { state: 'expired' })]));
    await click(option('state', 'expired').querySelector('input'));
    await click(m.$(TESTIDS.exportAll));
    await waitFor(() => anchors.length > 0);
    expect((await readBlob(blobs[0])).toString('utf8')).toBe(toCsv(m.store.view().allSorted));
    expect(anchors[0].download).toContain('-assignments-all-');
  });

  test('is disabled while the list is loading or failed part-way', async () => {
    m = await mountPanel();
    await m.send({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false }, { type: 'rows', loadId: 'L1', rows: rows(3) });
    expect((m.$(TESTIDS.exportCsv) as HTMLButtonElement).disabled).toBe(true);
    await m.send({ type: 'load-error', loadId: 'L1', packageId: PKG, message: 'timeout' });
    expect((m.$(TESTIDS.exportCsv) as HTMLButtonElement).disabled).toBe(true);
    expect((m.$(TESTIDS.exportAll) as HTMLButtonElement).disabled).toBe(true);
  });

  test('while user details load, the list can be exported and the columns not final yet are named', async () => {
    m = await mountPanel();
    listen();
    const events = loadEvents('L1', [row(0), row(1)]);
    // load-done says user details are still coming; the account data of one user arrived.
    events[3] = { ...(events[3] as Extract<WorkerEvent, { type: 'load-done' }>), enriching: true };
    await m.send(...events, { type: 'users', loadId: 'L1', users: [user(0)] });
    m.store.flush();
    const button = m.$(TESTIDS.exportCsv) as HTMLButtonElement;
    await waitFor(() => m.$(TESTIDS.exportIncomplete) !== null);
    expect(button.disabled).toBe(false);
    expect(m.$(TESTIDS.exportIncomplete)!.getAttribute('data-columns')).toBe('User type,Account enabled,Last successful sign-in (UTC),Stale,Stale reasons');
    expect(m.$(TESTIDS.exportIncomplete)!.textContent).toContain('Account enabled, Last successful sign-in (UTC)');
    await click(button);
    await waitFor(() => anchors.length > 0);
    expect((await readBlob(blobs[0])).toString('utf8')).toBe(toCsv(m.store.view().shown));
    // How long sign-in data takes is said while it loads: reads to go and the minutes at Graph's pace.
    await m.send({ type: 'sign-in-left', loadId: 'L1', left: 25, etaMs: 180_000 });
    const left = () => m.$(TESTIDS.signInLeft);
    expect(left()!.getAttribute('data-left')).toBe('25');
    expect(left()!.textContent).toBe("25 sign-in reads to go, at most 3 min at Graph's limit for sign-in data. The CSV can be exported now; its sign-in columns say they are not final.");
    await m.send({ type: 'sign-in-left', loadId: 'L1', left: 1, etaMs: 60_000 });
    expect(left()!.textContent).toMatch(/^1 sign-in read to go, at most 1 min/);
    await m.send({ type: 'sign-in-left', loadId: 'L2', left: 9, etaMs: 60_000 }); // another load's: ignored
    expect(left()!.getAttribute('data-left')).toBe('1');
    await m.send({ type: 'sign-in-left', loadId: 'L1', left: 0, etaMs: 0 });
    expect(left()).toBeNull();
    // Once every detail is in, the note is gone.
    await m.send({ type: 'users', loadId: 'L1', users: [user(1)] }, { type: 'sign-in-data', loadId: 'L1', availability: { available: true } }, { type: 'enrich-done', loadId: 'L1' });
    await waitFor(() => m.$(TESTIDS.exportIncomplete) === null);
  });

  test('with missing pages, the admin is told before anything is saved', async () => {
    m = await mountPanel();
    listen();
    const missing = [{ partition: 'policy Sales, state delivered', page: 'https://graph.microsoft.com/v1.0/x?$skiptoken=2', error: '503 Service Unavailable' }];
    await m.send(
      { type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false },
      { type: 'rows', loadId: 'L1', rows: rows(2) },
      { type: 'load-done', loadId: 'L1', packageId: PKG, total: 2, fetchedAt: daysAgo(0), missing, enriching: false },
    );
    const parts = m.$(TESTIDS.missingParts)!;
    expect(parts.textContent).toContain('policy Sales, state delivered');
    expect(parts.textContent).toContain('503 Service Unavailable');
    expect(m.$$(TESTIDS.missingPart)[0].getAttribute('data-page')).toBe(missing[0].page);
    await click(m.$(TESTIDS.exportCsv));
    expect(m.$(TESTIDS.exportWarning)).not.toBeNull();
    expect(blobs).toHaveLength(0);
    await click(m.$(TESTIDS.exportAnyway));
    await waitFor(() => anchors.length > 0);
    expect(anchors).toHaveLength(1);
  });
});

describe('notes on the list', () => {
  test("what the listing and the users' reads noticed is listed as text, and a new list replaces it", async () => {
    m = await mountPanel();
    const hostile = 'Graph refused to expand the connected organisation (<img src=x onerror="alert(1)">); that column stays empty.';
    await m.send(
      { type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false },
      { type: 'rows', loadId: 'L1', rows: rows(2) },
      { type: 'load-done', loadId: 'L1', packageId: PKG, total: 2, fetchedAt: daysAgo(0), missing: [], enriching: true, notes: [hostile] },
    );
    const notes = () => m.$$(TESTIDS.loadNote).map((n) => n.textContent);
    expect(notes()).toEqual([hostile]);
    expect(m.$(TESTIDS.loadNotes)!.querySelector('img')).toBeNull();
    expect(m.$(TESTIDS.loadNotes)!.textContent).toContain('1 note on this list');
    // The users' notes join the list's, once each.
    await m.send({ type: 'enrich-done', loadId: 'L1', notes: ['Account data could not be read for 3 users: 403.', hostile] });
    expect(notes()).toEqual([hostile, 'Account data could not be read for 3 users: 403.']);
    expect(m.$(TESTIDS.loadNotes)!.getAttribute('data-count')).toBe('2');
    // A refresh that notices nothing: no notes.
    await m.send(
      { type: 'load-start', packageId: PKG, loadId: 'L2', fromCache: false },
      { type: 'rows', loadId: 'L2', rows: rows(2) },
      { type: 'load-done', loadId: 'L2', packageId: PKG, total: 2, fetchedAt: daysAgo(0), missing: [], enriching: false },
    );
    expect(m.$(TESTIDS.loadNotes)).toBeNull();
  });
});

describe('header', () => {
  test('sign-in button while signed out sends sign-in; signed in shows the account', async () => {
    m = await mountPanel();
    await m.send({ type: 'auth', auth: { status: 'signed-out' } });
    await click(m.$(TESTIDS.signIn));
    expect(m.link.posted).toContainEqual({ type: 'sign-in' });
    await m.send({ type: 'auth', auth: { status: 'signed-in', username: 'admin@contoso.com' } });
    expect(m.$(TESTIDS.signIn)).toBeNull();
    expect(m.$(TESTIDS.authState)!.textContent).toContain('admin@contoso.com');
    await click(m.$(TESTIDS.signOut));
    expect(m.link.posted).toContainEqual({ type: 'sign-out' });
  });

  test('shows when the list was fetched, and "from cache" while a refresh runs', async () => {
    m = await mountPanel();
    await m.send(...loadEvents('L1', rows(2), { fromCache: true }));
    await m.send({ type: 'load-start', packageId: PKG, loadId: 'L2', fromCache: false });
    const fetched = m.$(TESTIDS.fetchedAt)!;
    expect(fetched.textContent).toContain('fetched 1 minute ago');
    expect(fetched.textContent).toContain('from cache, refreshing');
    expect(m.$(TESTIDS.progress)).not.toBeNull();
  });

  test('refresh asks the worker for a fresh list', async () => {
    m = await mountPanel();
    await click(m.$(TESTIDS.refresh));
    expect(m.link.posted).toEqual([{ type: 'open', packageId: PKG, refresh: true }]);
  });

  test('collapses to a small button and back, remembering the choice', async () => {
    const layouts: { hidden: boolean; collapsed: boolean }[] = [];
    m = await mountPanel({ onLayout: (l) => void layouts.push({ hidden: l.hidden, collapsed: l.collapsed }) });
    await click(m.$(TESTIDS.collapse));
    expect(m.$(TESTIDS.rowCount)).toBeNull();
    expect(m.prefsSaved.at(-1)?.collapsed).toBe(true);
    expect(layouts.at(-1)).toEqual({ hidden: false, collapsed: true });
    // Keyboard users keep their place: focus moves to the toggle that replaced the one they pressed.
    expect(document.activeElement).toBe(m.$(TESTIDS.collapse));
    await click(m.$(TESTIDS.collapse));
    expect(m.$(TESTIDS.rowCount)).not.toBeNull();
    expect(layouts.at(-1)).toEqual({ hidden: false, collapsed: false });
    expect(document.activeElement).toBe(m.$(TESTIDS.collapse));
  });

  test('hidden on a route that is not a package', async () => {
    const layouts: boolean[] = [];
    m = await mountPanel({ onLayout: (l) => void layouts.push(l.hidden) });
    await m.act(() => m.store.openPackage(null));
    expect(m.el.childElementCount).toBe(0);
    expect(layouts.at(-1)).toBe(true);
  });

  test('tells the admin to reload the page when the extension was reloaded', async () => {
    m = await mountPanel();
    await m.act(() => m.link.setStatus('dead'));
    expect(m.$(TESTIDS.linkStatus)!.textContent).toContain('Reload this page');
  });
});
