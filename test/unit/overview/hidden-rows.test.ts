/** @jest-environment jsdom */
// The packages table's rows off screen, kept by hand: the list is always exactly the packages given, in their
// order, each element kept across answers, its counts set only when they changed.
import type { PackageStats } from '../../../src/core/overview/store';
import { HiddenRows } from '../../../src/panel/overview/PackagesTable';

const stat = (id: string, assignments: number, stale = 0): PackageStats => ({
  packageId: id,
  assignments,
  delivered: 0,
  stale,
  staleBy: [0, 0, 0, 0, 0],
  deliveryFailed: 0,
  expiringSoon: 0,
  guests: 0,
});

function setUp(): { list: HTMLElement; rows: HiddenRows; ids: () => Array<string | null>; el: (id: string) => Element | null } {
  const list = document.createElement('div');
  document.body.append(list);
  const rows = new HiddenRows(list);
  return {
    list,
    rows,
    ids: () => [...list.children].map((c) => c.getAttribute('data-access-package-id')),
    el: (id) => list.querySelector(`[data-access-package-id="${id}"]`),
  };
}

describe('hidden package rows', () => {
  test('each package is a hidden row with the contract hooks and its counts', () => {
    const { rows, ids, el } = setUp();
    rows.sync([stat('a', 3, 1), stat('b', 2)]);
    expect(ids()).toEqual(['a', 'b']);
    const a = el('a') as HTMLElement;
    expect(a.hidden).toBe(true);
    expect(a.getAttribute('data-testid')).toBe('overview-package');
    expect(a.getAttribute('role')).toBe('row');
    expect(a.getAttribute('data-assignments')).toBe('3');
    expect(a.getAttribute('data-stale')).toBe('1');
    expect(a.children).toHaveLength(0);
  });

  test('packages that come and go, and a new order, leave exactly the list given; kept rows are the same elements', () => {
    const { list, rows, ids, el } = setUp();
    rows.sync(['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => stat(id, i)));
    const kept = { b: el('b'), d: el('d'), f: el('f') };
    // c and e went on screen, g came off it; then the order changes (the names were listed again).
    rows.sync([stat('a', 0), stat('b', 1), stat('d', 3), stat('f', 5), stat('g', 6)]);
    expect(ids()).toEqual(['a', 'b', 'd', 'f', 'g']);
    rows.sync([stat('g', 6), stat('f', 5), stat('b', 1), stat('d', 3)]);
    expect(ids()).toEqual(['g', 'f', 'b', 'd']);
    expect(el('b')).toBe(kept.b);
    expect(el('d')).toBe(kept.d);
    expect(el('f')).toBe(kept.f);
    expect(list.querySelectorAll('[data-access-package-id="a"]')).toHaveLength(0);
    rows.sync([]);
    expect(list.children).toHaveLength(0);
  });

  test('an answer sets the counts that changed and nothing else', () => {
    const { list, rows, el } = setUp();
    rows.sync([stat('a', 3, 1), stat('b', 2, 0)]);
    const set = jest.spyOn(Element.prototype, 'setAttribute');
    const moved = jest.spyOn(list, 'insertBefore');
    try {
      rows.sync([stat('a', 3, 2), stat('b', 2, 0)]);
      expect(set.mock.calls).toEqual([['data-stale', '2']]);
      expect(set.mock.contexts[0]).toBe(el('a'));
      expect(moved).not.toHaveBeenCalled();
    } finally {
      set.mockRestore();
      moved.mockRestore();
    }
  });
});
