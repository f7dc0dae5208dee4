/** @jest-environment jsdom */
// The overview's panel in jsdom: a tenant's thousands of packages are not all laid out on every keystroke, and
// the table says when its answer is on its way.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { PackageStats } from '../../../src/core/overview/store';
import type { PanelRequest } from '../../../src/messages';
import { OverviewModel } from '../../../src/panel/overview/model';
import { OverviewView } from '../../../src/panel/overview/OverviewView';
import { fakeLink } from '../panel/render';

type Query = Extract<PanelRequest, { type: 'overview' }> & { request: { kind: 'query'; seq: number } };

const packages = Array.from({ length: 150 }, (_, i) => ({ id: `pkg-${i}`, displayName: `Package ${i}`, catalogId: 'cat', catalogName: 'General' }));
const stats = (): PackageStats[] =>
  packages.map((p, i) => ({ packageId: p.id, assignments: 1000 - i, delivered: 900 - i, stale: i % 7, staleBy: [0, 0, 0, 0, 0], deliveryFailed: 0, expiringSoon: 0, guests: 0 }));

function mount() {
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
  emit({ type: 'overview', event: { kind: 'view', seq: seq(), tab: 'assignments', shown: 0, offset: 0, rows: [], people: [], counts: {}, packages: stats(), selected: 0 } });
  return { host, model, link, seq, emit };
}

describe('overview panel', () => {
  test('a scope of many packages shows the first 100 in the chosen order; the rest on request, and back', () => {
    const { host } = mount();
    const rows = () => [...host.querySelectorAll('[data-testid="overview-package"]')].map((r) => r.getAttribute('data-access-package-id'));
    expect(rows()).toHaveLength(100);
    expect(rows()[0]).toBe('pkg-0'); // most assignments first
    const more = host.querySelector<HTMLButtonElement>('[data-testid="overview-packages-all"]')!;
    expect(more.textContent).toBe('Show all 150 access packages');
    act(() => more.click());
    expect(rows()).toHaveLength(150);
    expect(more.getAttribute('aria-expanded')).toBe('true');
    act(() => more.click());
    expect(rows()).toHaveLength(100);
    render(null, host);
  });

  test('the table is busy from a keystroke until its own answer is shown', () => {
    const { host, model, seq, emit } = mount();
    const busy = () => host.querySelector('.table-scroll')?.getAttribute('aria-busy');
    expect(busy()).toBe('false');
    act(() => model.setSearch('ok'));
    expect(busy()).toBe('true');
    emit({ type: 'overview', event: { kind: 'view', seq: seq(), tab: 'assignments', shown: 0, offset: 0, rows: [], people: [], counts: {}, packages: stats(), selected: 0 } });
    expect(busy()).toBe('false');
    render(null, host);
  });
});
