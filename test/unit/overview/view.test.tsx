/** @jest-environment jsdom */
// The overview's panel in jsdom: every package has its row and only changed rows re-render, the packages
// table saves as shown, and the table says when its answer is on its way.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { PackageStats } from '../../../src/core/overview/store';
import type { PanelRequest } from '../../../src/messages';
import { OverviewModel } from '../../../src/panel/overview/model';
import { packView } from '../../../src/protocol/overview';
import { OverviewView } from '../../../src/panel/overview/OverviewView';
import { PackageRow } from '../../../src/panel/overview/PackagesTable';
import { fakeLink } from '../panel/render';

type Query = Extract<PanelRequest, { type: 'overview' }> & { request: { kind: 'query'; seq: number } };

const packages = Array.from({ length: 150 }, (_, i) => ({ id: `pkg-${i}`, displayName: `Package ${i}`, catalogId: 'cat', catalogName: 'General' }));
const stats = (): PackageStats[] =>
  packages.map((p, i) => ({ packageId: p.id, assignments: 1000 - i, delivered: 900 - i, stale: i % 7, staleBy: [0, 0, 0, 0, 0], deliveryFailed: 0, expiringSoon: 0, guests: 0 }));

/** jsdom's Blob has no text(). */
const textOf = (blob: Blob): Promise<string> =>
  new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsText(blob);
  });

/** The frame after which the first answer's summaries are drawn (panel/after-paint). */
const painted = () => act(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));

function mountFirst() {
  const link = fakeLink();
  const model = new OverviewModel(link);
  const host = document.createElement('div');
  document.body.appendChild(host);
  model.open('tenant');
  const seq = () => (link.posted.filter((p) => p.type === 'overview' && p.request.kind === 'query').at(-1) as Query).request.seq;
  act(() => {
    render(<OverviewView model={model} link={link} root={null} now={Date.now()} />, host);
  });
  const emit = (e: Parameters<typeof link.emit>[0]) => act(() => link.emit(e));
  emit({ type: 'overview', event: { kind: 'scope', scope: 'tenant', scopeName: 'tenant', packages, resources: null } });
  emit({ type: 'overview', event: packView({ kind: 'view', seq: seq(), tab: 'assignments', shown: 0, offset: 0, rows: [], people: [], counts: {}, packages: stats(), selected: 0 }, new Map(), 0) });
  return { host, model, link, seq, emit };
}

async function mount() {
  const mounted = mountFirst();
  await painted();
  return mounted;
}

describe('overview panel', () => {
  test("the first answer's rows are shown a frame before its packages table and facets", async () => {
    const { host } = mountFirst();
    const packageRows = () => host.querySelectorAll('[data-testid="overview-package"]').length;
    expect(host.querySelector('[data-testid="overview-shown"]')!.getAttribute('data-shown')).toBe('0');
    expect(host.querySelector('[data-testid="overview-shown"]')!.textContent).not.toBe('');
    expect(packageRows()).toBe(0);
    await painted();
    expect(packageRows()).toBe(150);
    render(null, host);
  });

  test('every package in scope has its row, most assignments first; a header sorts, again reverses', async () => {
    const { host } = await mount();
    const rows = () => [...host.querySelectorAll('[data-testid="overview-package"]')].map((r) => r.getAttribute('data-access-package-id'));
    expect(rows()).toHaveLength(150);
    expect(rows().slice(0, 2)).toEqual(['pkg-0', 'pkg-1']);
    const stale = [...host.querySelectorAll('[role="columnheader"]')].find((h) => h.textContent === 'Stale')!;
    act(() => stale.querySelector('button')!.click());
    expect(stale.getAttribute('aria-sort')).toBe('descending');
    expect(rows().slice(0, 2)).toEqual(['pkg-6', 'pkg-13']); // stale 6, the most; ties by name, numbers as numbers
    act(() => stale.querySelector('button')!.click());
    expect(stale.getAttribute('aria-sort')).toBe('ascending');
    expect(rows()[0]).toBe('pkg-0'); // stale 0
    render(null, host);
  });

  test('a new answer re-renders only the rows whose counts or place on screen changed', async () => {
    const { host, model, seq, emit } = await mount();
    const cell = (id: string) => host.querySelector(`[data-access-package-id="${id}"] [role="cell"]:nth-child(3)`)!;
    const answer = (change: (s: PackageStats) => PackageStats): string[] => {
      act(() => model.setSearch(`q${seq()}`));
      const renders = jest.spyOn(PackageRow.prototype, 'render');
      emit({ type: 'overview', event: packView({ kind: 'view', seq: seq(), tab: 'assignments', shown: 0, offset: 0, rows: [], people: [], counts: {}, packages: stats().map(change), selected: 0 }, new Map(), 0) });
      const ids = (renders.mock.contexts as PackageRow[]).map((r) => r.props.stats.packageId).sort();
      renders.mockRestore();
      return ids;
    };
    // A row off screen is no component: its counts are set on its element, and nothing else changes.
    const far = host.querySelector('[data-access-package-id="pkg-120"]')!;
    const setAttr = jest.spyOn(Element.prototype, 'setAttribute');
    expect(answer((s) => (s.packageId === 'pkg-120' ? { ...s, stale: 9, assignments: 5 } : s))).toEqual([]);
    expect(setAttr.mock.calls.filter((_, i) => setAttr.mock.contexts[i] === far)).toEqual([
      ['data-assignments', '5'],
      ['data-stale', '9'],
    ]);
    setAttr.mockRestore();
    expect(host.querySelector('[data-access-package-id="pkg-120"]')).toBe(far);
    expect(far.getAttribute('data-stale')).toBe('9');
    expect(answer((s) => (s.packageId === 'pkg-120' ? { ...s, stale: 9, assignments: 5, delivered: 1 } : s))).toEqual([]);
    expect(far.getAttribute('data-assignments')).toBe('5');
    // A row on screen that moves to the top: it, and the rows on screen it moved down.
    expect(answer((s) => (s.packageId === 'pkg-120' ? { ...s, stale: 9, assignments: 5, delivered: 1 } : s.packageId === 'pkg-3' ? { ...s, assignments: 2000 } : s))).toEqual([
      'pkg-0',
      'pkg-1',
      'pkg-2',
      'pkg-3',
    ]);
    const ids = [...host.querySelectorAll('[data-testid="overview-package"]')].map((r) => r.getAttribute('data-access-package-id'));
    expect(ids.slice(0, 4)).toEqual(['pkg-3', 'pkg-0', 'pkg-1', 'pkg-2']);
    expect(cell('pkg-3').textContent).toBe('2,000');
    expect(host.querySelector('[data-access-package-id="pkg-0"]')!.getAttribute('aria-rowindex')).toBe('3');
    render(null, host);
  });

  test('an answer that re-sorts every package moves only the rows on screen, and the hidden rows keep their order', async () => {
    const { host, model, seq, emit } = await mount();
    const group = host.querySelector('.overview-packages-scroll [role="rowgroup"]')!;
    const hiddenList = host.querySelector('.overview-packages-scroll .package-rows-hidden')!;
    const ids = (list: Element) => [...list.children].map((r) => r.getAttribute('data-access-package-id'));
    const shown = () => ids(group);
    const hiddenOrder = () => ids(hiddenList);
    expect([...group.children].every((r) => !(r as HTMLElement).hidden)).toBe(true);
    expect([...hiddenList.children].every((r) => (r as HTMLElement).hidden)).toBe(true);
    const before = hiddenOrder();
    act(() => model.setSearch('q'));
    const moved = jest.spyOn(Element.prototype, 'insertBefore');
    // The counts reversed: the order chosen (most assignments first) is the reverse of the last one.
    emit({ type: 'overview', event: packView({ kind: 'view', seq: seq(), tab: 'assignments', shown: 0, offset: 0, rows: [], people: [], counts: {}, packages: stats().map((s, i) => ({ ...s, assignments: i })), selected: 0 }, new Map(), 0) });
    const moves = moved.mock.contexts.filter((c) => c === group || c === hiddenList).length;
    moved.mockRestore();
    expect(shown().slice(0, 2)).toEqual(['pkg-149', 'pkg-148']);
    const onScreen = shown().length;
    expect(onScreen).toBeLessThan(40);
    // Every package is there once: on screen or hidden.
    expect([...shown(), ...hiddenOrder()].sort()).toEqual(stats().map((s) => s.packageId).sort());
    // Every row that left the screen and every one that came on, at most: not the 150 rows re-sorted.
    expect(moves).toBeLessThanOrEqual(2 * onScreen);
    // The hidden rows stay in name order whatever the counts say.
    const rank = (id: string | null) => Number(id!.slice(4));
    expect(hiddenOrder()).toEqual([...hiddenOrder()].sort((a, b) => rank(a) - rank(b)));
    expect(before).toEqual([...before].sort((a, b) => rank(a) - rank(b)));
    render(null, host);
  });

  test('rows off screen carry their package and counts but no cells; scrolling gives them their cells', async () => {
    const { host } = await mount();
    const rowEl = (id: string) => host.querySelector<HTMLElement>(`[data-access-package-id="${id}"]`)!;
    expect(rowEl('pkg-0').hidden).toBe(false);
    expect(rowEl('pkg-0').querySelectorAll('[role="cell"]')).toHaveLength(8);
    const far = rowEl('pkg-120');
    expect(far.hidden).toBe(true);
    expect(far.children).toHaveLength(0);
    expect(far.getAttribute('data-assignments')).toBe('880');
    expect(far.getAttribute('data-stale')).toBe(String(120 % 7));
    const box = host.querySelector<HTMLElement>('.overview-packages-scroll')!;
    Object.defineProperty(box, 'scrollTop', { value: 120 * 24, configurable: true });
    act(() => {
      box.dispatchEvent(new Event('scroll'));
    });
    expect(rowEl('pkg-120').hidden).toBe(false);
    expect(rowEl('pkg-120').querySelector('a')!.textContent).toBe('Package 120');
    // a name cut short in its column is whole in the link's tooltip
    expect(rowEl('pkg-120').querySelector('a')!.title).toBe('Package 120: open its assignments in the admin center');
    expect(rowEl('pkg-0').hidden).toBe(true);
    // the rows above keep their place: the padding stands in for them
    expect(host.querySelector<HTMLElement>('.overview-packages-scroll [role="rowgroup"]')!.style.paddingTop).toBe(`${(120 - 8) * 24}px`);
    render(null, host);
  });

  test('"Download packages" saves the table as shown, named for the scope and the filter', async () => {
    const { host, model, seq, emit } = await mount();
    const blobs: Blob[] = [];
    const names: string[] = [];
    const realCreate = URL.createObjectURL;
    const realRevoke = URL.revokeObjectURL;
    URL.createObjectURL = (b: Blob) => (blobs.push(b), 'blob:test');
    URL.revokeObjectURL = () => undefined;
    host.addEventListener('click', (e) => {
      const a = e.target as HTMLAnchorElement;
      if (a.tagName === 'A' && a.download) {
        e.preventDefault(); // jsdom cannot navigate; the browser would download
        names.push(a.download);
      }
    });
    try {
      const button = host.querySelector<HTMLButtonElement>('[data-testid="overview-packages-export"]')!;
      expect(button.disabled).toBe(true); // still loading: the counts are not final
      const progress = { packagesDone: 150, packagesTotal: 150, rows: 0, pages: 150, startedAt: Date.now() };
      emit({ type: 'overview', event: { kind: 'state', scope: 'tenant', loading: false, enriching: false, unreadable: [], notes: [], progress, total: 0, fetchedAt: new Date().toISOString(), error: null, signInNote: null } });
      expect(button.disabled).toBe(false);
      act(() => button.click());
      expect(names[0]).toMatch(/^tenant-packages-all-\d{8}-\d{6}\.csv$/);
      const lines = (await textOf(blobs[0])).split('\r\n');
      expect(lines).toHaveLength(152); // header, 150 packages, the last line end
      expect(lines[1]).toBe('pkg-0,Package 0,General,1000,900,0,0,0,0,0,0,0,0,0');
      expect(lines[150]).toBe('pkg-149,Package 149,General,851,751,2,0,0,0,0,0,0,0,0');
      act(() => model.toggle('catalog', 'cat'));
      emit({ type: 'overview', event: packView({ kind: 'view', seq: seq(), tab: 'assignments', shown: 0, offset: 0, rows: [], people: [], counts: {}, packages: stats(), selected: 0 }, new Map(), 0) });
      act(() => button.click());
      expect(names[1]).toMatch(/^tenant-packages-filtered-/);
    } finally {
      URL.createObjectURL = realCreate;
      URL.revokeObjectURL = realRevoke;
    }
    render(null, host);
  });

  test("what the packages' listings noticed is listed as text under the header", async () => {
    const { host, emit } = await mount();
    expect(host.querySelector('[data-testid="overview-notes"]')).toBeNull();
    const note = 'Graph refused to expand the connected organisation of assignment targets (<b>no</b>); that column stays empty.';
    const progress = { packagesDone: 1, packagesTotal: 1, rows: 0, pages: 1, startedAt: Date.now() };
    emit({ type: 'overview', event: { kind: 'state', scope: 'tenant', loading: false, enriching: false, unreadable: [], notes: [note], progress, total: 0, fetchedAt: null, error: null, signInNote: null } });
    const items = [...host.querySelectorAll('[data-testid="overview-notes"] [data-testid="overview-note"]')];
    expect(items.map((i) => i.textContent)).toEqual([note]);
    expect(host.querySelector('[data-testid="overview-notes"] b')).toBeNull();
    render(null, host);
  });

  test('the table is busy from a keystroke until its own answer is shown', async () => {
    const { host, model, seq, emit } = await mount();
    const busy = () => host.querySelector('.table-scroll')?.getAttribute('aria-busy');
    expect(busy()).toBe('false');
    act(() => model.setSearch('ok'));
    expect(busy()).toBe('true');
    emit({ type: 'overview', event: packView({ kind: 'view', seq: seq(), tab: 'assignments', shown: 0, offset: 0, rows: [], people: [], counts: {}, packages: stats(), selected: 0 }, new Map(), 0) });
    expect(busy()).toBe('false');
    render(null, host);
  });
});
