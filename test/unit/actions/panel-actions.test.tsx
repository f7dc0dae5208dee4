/** @jest-environment jsdom */
// The actions feature in the rendered panel: removal confirmation (typed-count gate), status, badges, retry,
// direct add, delivery status, shift-click range selection, copy fallback, the log.
import { TextDecoder, TextEncoder } from 'node:util';
import type { ActionEntry, PanelRequest } from '../../../src/messages';
import { ActionsToolbar } from '../../../src/panel/actions/Toolbar';
import { ROW_INFO_WIDTHS, RowInfo, useRowInfoWidth } from '../../../src/panel/actions/RowInfo';
import { COLUMN_WIDTHS } from '../../../src/panel/components/Table';
import { SEARCH_DEBOUNCE_MS } from '../../../src/panel/actions/model';
import { TESTIDS } from '../../../src/panel/testids';
import { registerRowAddon, type PanelContext } from '../../../src/panel/toolbar';
import { loadEvents, PKG, row, rows } from '../panel/fixtures';
import { mountPanel, typeInto, type Mounted } from '../panel/render';

Object.assign(globalThis, { TextEncoder, TextDecoder });
registerRowAddon(RowInfo, { useWidth: useRowInfoWidth });

let m: Mounted;
afterEach(() => m?.unmount());

// Manual timers for the search debounce; a clipboard the test controls.
let pending: Array<{ at: number; cb: () => void }> = [];
let clock = 0;
const advance = (ms: number): void => {
  clock += ms;
  const due = pending.filter((t) => t.at <= clock);
  pending = pending.filter((t) => t.at > clock);
  due.forEach((t) => t.cb());
};
let clipboard: (text: string) => Promise<void> = async () => undefined;
let ids = 0;

function Item(ctx: PanelContext) {
  return (
    <ActionsToolbar
      {...ctx}
      newId={() => `batch-${++ids}`}
      writeClipboard={(t) => clipboard(t)}
      timers={{ setTimeout: (cb, ms) => pending.push({ at: clock + ms, cb }), clearTimeout: () => undefined }}
    />
  );
}

async function mountWith(n: number, over: Parameters<typeof row>[1] = {}): Promise<Mounted> {
  pending = [];
  m = await mountPanel({ toolbarItems: [Item] });
  await m.send(...loadEvents('L1', rows(n).map((r, i) => ({ ...r, id: `a0000000-0000-4000-8000-${String(i).padStart(12, '0')}`, ...over }))));
  return m;
}

const click = (el: Element | null | undefined) => m.act(() => (el as HTMLElement).click());
const posted = <T extends PanelRequest['type']>(type: T) => m.link.posted.filter((p): p is Extract<PanelRequest, { type: T }> => p.type === type);
const dialog = () => m.el.querySelector('[role="dialog"]') as HTMLElement | null;

async function openRemoval(n: number): Promise<void> {
  await mountWith(n);
  await click(m.$(TESTIDS.selectAll));
  expect(m.$(TESTIDS.removeSelected)!.textContent).toBe(`Remove ${n.toLocaleString('en-US')} assignment${n === 1 ? '' : 's'}`);
  await click(m.$(TESTIDS.removeSelected));
  expect(dialog()).not.toBeNull();
}

const id = (i: number) => `a0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const entry = (i: number, result: ActionEntry['result'], over: Partial<ActionEntry> = {}): ActionEntry => ({
  batchId: 'B7',
  kind: 'remove',
  key: id(i),
  label: `User ${i}`,
  packageId: PKG,
  actor: 'admin@contoso.com',
  result,
  at: '2025-06-15T12:00:00Z',
  ...over,
});

describe('removal confirmation', () => {
  test('remove-selected appears only with a selection, and says what it would remove', async () => {
    await mountWith(3);
    expect(m.$(TESTIDS.removeSelected)).toBeNull();
    await click(m.$$(TESTIDS.rowSelect)[1]);
    expect((m.$(TESTIDS.removeSelected) as HTMLButtonElement).disabled).toBe(false);
    expect(m.$(TESTIDS.removeSelected)!.textContent).toBe('Remove 1 assignment');
    await click(m.$$(TESTIDS.rowSelect)[2]);
    expect(m.$(TESTIDS.removeSelected)!.textContent).toBe('Remove 2 assignments');
    await click(m.$$(TESTIDS.rowSelect)[1]);
    await click(m.$$(TESTIDS.rowSelect)[2]);
    expect(m.$(TESTIDS.removeSelected)).toBeNull();
  });

  test('24 rows: no typed count; confirm sends exactly one removal of those ids, even when clicked twice', async () => {
    await openRemoval(24);
    const d = dialog()!;
    expect(d.getAttribute('aria-modal')).toBe('true');
    expect(d.getAttribute('data-count')).toBe('24');
    expect(m.$(TESTIDS.confirmInput)).toBeNull();
    // A destructive dialog opens on Cancel.
    expect(document.activeElement?.textContent).toBe('Cancel');
    // The first ten names, then how many more.
    const items = [...d.querySelectorAll('li')].map((li) => li.textContent);
    expect(items.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `User ${i}`));
    expect(items[10]).toBe('and 14 more assignments');
    expect(d.textContent).toContain('Selected with: no filter (all rows)');
    const confirm = m.$(TESTIDS.confirmRemove) as HTMLButtonElement;
    expect(confirm.disabled).toBe(false);
    await m.act(() => {
      confirm.click();
      confirm.click();
    });
    const sent = posted('remove');
    expect(sent).toHaveLength(1);
    expect(sent[0].assignmentIds).toHaveLength(24);
    expect(sent[0]).toMatchObject({ packageId: PKG, filter: 'no filter (all rows)', batchId: 'batch-1' });
    expect(sent[0].labels!.slice(0, 2)).toEqual(['User 0', 'User 1']);
    expect(dialog()).toBeNull();
    expect(m.store.state.selection.size).toBe(0);
  });

  test('25 rows: confirm stays disabled until the count is typed', async () => {
    await openRemoval(25);
    const confirm = () => m.$(TESTIDS.confirmRemove) as HTMLButtonElement;
    const input = m.$(TESTIDS.confirmInput) as HTMLInputElement;
    expect(input).not.toBeNull();
    expect(document.activeElement).toBe(input);
    expect(confirm().disabled).toBe(true);
    await m.act(() => typeInto(input, '24'));
    expect(confirm().disabled).toBe(true);
    await click(confirm());
    expect(posted('remove')).toHaveLength(0);
    await m.act(() => typeInto(input, '25'));
    expect(confirm().disabled).toBe(false);
    await click(confirm());
    expect(posted('remove')).toHaveLength(1);
    expect(posted('remove')[0].assignmentIds).toHaveLength(25);
  });

  test('the filter that produced the selection is named; Escape cancels and gives focus back', async () => {
    await mountWith(5);
    await m.act(() => typeInto(m.$(TESTIDS.search) as HTMLInputElement, 'User 3'));
    await click(m.$(TESTIDS.selectAll));
    const opener = m.$(TESTIDS.removeSelected) as HTMLButtonElement;
    opener.focus();
    await click(opener);
    expect(dialog()!.textContent).toContain('Selected with: search "User 3"');
    expect(dialog()!.getAttribute('data-count')).toBe('1');
    expect(dialog()!.contains(document.activeElement)).toBe(true);
    await m.act(() => {
      dialog()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(dialog()).toBeNull();
    expect(posted('remove')).toHaveLength(0);
    expect(document.activeElement).toBe(opener);
  });

  test('when the opener is gone after confirming (no selection left), focus stays in the panel, not on the page', async () => {
    await openRemoval(2);
    const opener = m.$(TESTIDS.removeSelected)!;
    await click(dialog()!.querySelector('[data-testid="' + TESTIDS.confirmRemove + '"]'));
    expect(posted('remove')).toHaveLength(1);
    expect(dialog()).toBeNull();
    expect(opener.isConnected).toBe(false);
    expect(document.activeElement).not.toBe(document.body);
    expect(m.el.querySelector('.panel')!.contains(document.activeElement)).toBe(true);
  });

  test('Tab stays inside the dialog', async () => {
    await openRemoval(2);
    const d = dialog()!;
    const focusable = [...d.querySelectorAll<HTMLElement>('button:not([disabled]), input:not([disabled])')];
    focusable.at(-1)!.focus();
    await m.act(() => {
      d.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }));
    });
    expect(document.activeElement).toBe(focusable[0]);
    await m.act(() => {
      d.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true }));
    });
    expect(document.activeElement).toBe(focusable.at(-1));
  });

  test("the admin's role is in the dialog", async () => {
    await openRemoval(2);
    const note = () => m.$(TESTIDS.roleNote)!;
    expect(note().getAttribute('data-can-write')).toBe('');
    await m.send({ type: 'roles', packageId: PKG, canWrite: 'unknown', roles: ['Catalog reader'], explanation: 'Found on this catalog: Catalog reader, which cannot change assignments.' });
    expect(note().getAttribute('data-can-write')).toBe('unknown');
    expect(note().textContent).toContain('Catalog reader, which cannot change assignments.');
  });
});

describe('status, badges and retry', () => {

  test('action-status counts the latest batch; failed rows carry a badge with Graph\'s words; retry posts once', async () => {
    await mountWith(4);
    const status = () => m.$(TESTIDS.actionStatus)!;
    expect([status().getAttribute('data-pending'), status().getAttribute('data-failed'), status().getAttribute('data-done')]).toEqual(['0', '0', '0']);
    await m.send({
      type: 'actions',
      packageId: PKG,
      entries: [
        entry(0, 'done', { batchId: 'OLD', at: '2025-06-14T12:00:00Z' }),
        entry(1, 'failed', { code: 'BadRequest', message: 'Locked by an access review.' }),
        entry(2, 'done'),
        entry(3, 'pending'),
      ],
    });
    expect([status().getAttribute('data-pending'), status().getAttribute('data-failed'), status().getAttribute('data-done'), status().getAttribute('data-batch')]).toEqual(['1', '1', '1', 'B7']);
    const badge = (i: number) => m.el.querySelector(`[data-assignment-id="${id(i)}"] [data-testid="${TESTIDS.actionBadge}"]`);
    expect(badge(1)!.getAttribute('data-result')).toBe('failed');
    expect(badge(1)!.textContent).toBe('Failed');
    expect(badge(1)!.getAttribute('title')).toBe('Removal failed (BadRequest) — Locked by an access review.');
    expect(badge(2)!.textContent).toBe('Removed');
    expect(badge(3)!.textContent).toBe('Pending');
    expect(m.$(TESTIDS.actionMessage)!.textContent).toBe('User 1: Locked by an access review.');
    await click(m.$(TESTIDS.retryActions));
    expect(posted('retry-actions')).toEqual([{ type: 'retry-actions', batchId: 'B7' }]);
  });

  test('text from Graph stays text', async () => {
    await mountWith(2);
    await m.send({ type: 'actions', packageId: PKG, entries: [entry(0, 'failed', { message: '<img src=x onerror=alert(1)>' })] });
    expect(m.el.querySelector('img')).toBeNull();
    expect(m.$(TESTIDS.actionMessage)!.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  test('the action log lists who did what and exports it', async () => {
    await mountWith(2);
    await m.send({ type: 'actions', packageId: PKG, entries: [entry(0, 'failed', { code: 'X', message: 'No.' }), entry(1, 'done')] });
    await click(m.$(TESTIDS.actionLogOpen));
    const log = m.$(TESTIDS.actionLog)!;
    // The time in the browser's locale and time zone (the panel's dates), the UTC instant in its tooltip.
    const local = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse('2025-06-15T12:00:00Z'));
    expect([...log.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      [local, 'admin@contoso.com', 'Remove User 0', 'Failed (X)', 'No.'],
      [local, 'admin@contoso.com', 'Remove User 1', 'Removed', ''],
    ]);
    expect(log.querySelector('tbody td [title]')!.getAttribute('title')).toBe('2025-06-15 12:00:00 UTC');
    const blobs: Blob[] = [];
    Object.assign(URL, { createObjectURL: (b: Blob) => (blobs.push(b), 'blob:x'), revokeObjectURL: () => undefined });
    const clicked: string[] = [];
    const orig = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    };
    try {
      await click(m.$(TESTIDS.exportLog));
    } finally {
      HTMLAnchorElement.prototype.click = orig;
    }
    expect(clicked[0]).toMatch(/^Sales _b_team__b_-action-log-\d{8}-\d{6}\.csv$/);
    const bytes = await new Promise<Uint8Array>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
      reader.readAsArrayBuffer(blobs[0]);
    });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.split('\r\n')[0]).toBe('\uFEFFTime (UTC),Who,Action,Target,Target ID,Policy,Result,Code,Message,Note,Request ID,Batch ID,Filter');
    await click(m.$(TESTIDS.retryBatch));
    expect(posted('retry-actions')).toEqual([{ type: 'retry-actions', batchId: 'B7' }]);
  });
});

describe('selection', () => {
  test('shift-click selects the range from the last clicked row', async () => {
    await mountWith(8);
    const boxes = () => m.$$(TESTIDS.rowSelect);
    await click(boxes()[1]);
    await m.act(() => {
      boxes()[5].dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, shiftKey: true }));
    });
    const selected = m.$$(TESTIDS.row).map((r) => r.getAttribute('data-selected'));
    expect(selected).toEqual(['false', 'true', 'true', 'true', 'true', 'true', 'false', 'false']);
  });
});

describe('direct add', () => {
  test('search is debounced; a policy with questions takes one user; a direct one sends the add', async () => {
    m = await mountPanel({ toolbarItems: [Item] });
    pending = [];
    const events = loadEvents('L1', rows(1));
    (events[1] as { policies: unknown }).policies = [
      { id: 'p-direct', displayName: 'Direct', allowsDirectAssignment: true, hasQuestions: false },
      { id: 'p-q', displayName: 'Employees', allowsDirectAssignment: true, hasQuestions: true },
      { id: 'p-auto', displayName: 'Sales (automatic)', allowsDirectAssignment: false, hasQuestions: false },
    ];
    await m.send(...events);
    await click(m.$(TESTIDS.addUsers));
    await m.act(() => typeInto(m.$(TESTIDS.userSearch) as HTMLInputElement, 'ann'));
    expect(posted('search-users')).toHaveLength(0);
    await m.act(() => advance(SEARCH_DEBOUNCE_MS));
    expect(posted('search-users')).toEqual([{ type: 'search-users', query: 'ann', seq: expect.any(Number) }]);
    const seq = posted('search-users')[0].seq;
    // An answer to an older search is ignored.
    await m.send({ type: 'search-results', seq: seq - 1, users: [{ id: 'old', displayName: 'Old', userPrincipalName: 'old@contoso.com', mail: '' }] });
    expect(m.$$(TESTIDS.userResult)).toHaveLength(0);
    await m.send({
      type: 'search-results',
      seq,
      users: [
        { id: 'u1', displayName: 'Ann', userPrincipalName: 'ann@contoso.com', mail: '' },
        { id: 'u2', displayName: 'Anne', userPrincipalName: 'anne@contoso.com', mail: '' },
      ],
    });
    for (const r of m.$$(TESTIDS.userResult)) await click(r.querySelector('input'));
    const select = m.$(TESTIDS.policySelect) as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.disabled])).toEqual([
      ['p-direct', false],
      ['p-q', false],
      ['p-auto', true],
    ]);
    await m.act(() => {
      select.value = 'p-q';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const confirm = () => m.$(TESTIDS.confirmAdd) as HTMLButtonElement;
    expect(confirm().disabled).toBe(true);
    expect(m.$(TESTIDS.addDialog)!.textContent).toMatch(/one user at a time under it \(2 chosen\)/);
    await m.act(() => {
      select.value = 'p-direct';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await m.act(() => typeInto(m.$(TESTIDS.endDate) as HTMLInputElement, '2025-12-31'));
    expect(confirm().disabled).toBe(false);
    await click(confirm());
    expect(posted('add')).toEqual([
      { type: 'add', batchId: expect.any(String), packageId: PKG, policyId: 'p-direct', userIds: ['u1', 'u2'], labels: ['Ann', 'Anne'], start: null, end: '2025-12-31T00:00:00Z' },
    ]);
  });
});

describe('delivery status and scripts', () => {
  test('rows being delivered get a Status button; the answer shows next to the row', async () => {
    await mountWith(3, { state: 'deliveryFailed' });
    const button = m.$$(TESTIDS.deliveryButton)[0];
    await click(button);
    const asked = posted('delivery-status');
    expect(asked).toHaveLength(1);
    const aid = asked[0].assignmentIds[0];
    await m.send({
      type: 'delivery',
      requested: [aid],
      statuses: [{ assignmentId: aid, requestId: 'rq-1', requestType: 'adminAdd', state: 'deliveryFailed', status: 'Failed', createdDateTime: '2025-06-01T08:00:00Z', completedDateTime: null }],
    });
    const info = m.el.querySelector(`[data-assignment-id="${aid}"] [data-testid="${TESTIDS.deliveryInfo}"]`)!;
    expect(info.getAttribute('data-state')).toBe('deliveryFailed');
    // The badge says what it is, in the portal's words; Graph's values stay in its title.
    expect(info.textContent).toMatch(/^Delivery: failed \d+ days ago$/);
    expect(info.getAttribute('title')).toContain('state deliveryFailed, status Failed; created 2025-06-01 08:00:00 UTC');
    await click(m.$(TESTIDS.deliveryAll));
    expect(posted('delivery-status').at(-1)!.assignmentIds).toHaveLength(3);
  });

  test('the name keeps its room: the first column widens for the delivery button, then the status, and for badges', async () => {
    const nameWidth = () => (m.el.querySelector('[role="columnheader"][data-column="displayName"]') as HTMLElement).style.width;
    await mountWith(3);
    expect(nameWidth()).toBe(`${COLUMN_WIDTHS.displayName}px`);
    m.unmount();
    await mountWith(3, { state: 'deliveryFailed' });
    expect(nameWidth()).toBe(`${COLUMN_WIDTHS.displayName + ROW_INFO_WIDTHS.button}px`);
    await click(m.$$(TESTIDS.deliveryButton)[0]);
    expect(nameWidth()).toBe(`${COLUMN_WIDTHS.displayName + ROW_INFO_WIDTHS.status}px`);
    await m.send({ type: 'actions', packageId: PKG, entries: [{ ...entry(0, 'failed'), message: 'Locked.' }] });
    expect(nameWidth()).toBe(`${COLUMN_WIDTHS.displayName + ROW_INFO_WIDTHS.badge + ROW_INFO_WIDTHS.status}px`);
    // Filtered to rows not being delivered: no room for the button or the status.
    await m.act(() => m.store.setFacet('state', ['delivered']));
    expect(nameWidth()).toBe(`${COLUMN_WIDTHS.displayName + ROW_INFO_WIDTHS.badge}px`);
  });

  test('a refused clipboard shows the script in a text box instead', async () => {
    clipboard = () => Promise.reject(new Error('denied'));
    await mountWith(2);
    await click(m.$(TESTIDS.copyPowershell));
    await m.act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
    const box = m.$(TESTIDS.copyFallback)!.querySelector('textarea')!;
    expect(box.value).toContain(`$accessPackageId = '${PKG}'`);
    expect(box.value).toContain('Get-MgEntitlementManagementAssignment');
    clipboard = async () => undefined;
  });
});
