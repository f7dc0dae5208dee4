/** @jest-environment jsdom */
// The first column holds the row addons (review mode's recommendation and decision buttons): while an addon
// takes room there, the table widens that column, its header and every row by as much, so the row's name
// stays in sight instead of being clipped off behind the buttons.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { COLUMNS } from '../../../src/core/sort';
import { toViewRows } from '../../../src/core/stale';
import { COLUMN_WIDTHS, Table } from '../../../src/panel/components/Table';
import { registerRowAddon } from '../../../src/panel/toolbar';
import { NOW, rows } from './fixtures';

let taken = 0;
registerRowAddon(() => null, { useWidth: () => taken });

function mount(): HTMLElement {
  const host = document.createElement('div');
  document.body.appendChild(host);
  const view = toViewRows(rows(3), new Map(), { now: NOW, staleAfterDays: 90, signInAvailable: true });
  const columns = COLUMNS.slice(0, 3);
  act(() => {
    render(
      <Table rows={view} columns={columns} selection={new Set()} sort={null} onSort={() => undefined} onToggle={() => undefined} onSelectAll={() => undefined} emptyText="" />,
      host,
    );
  });
  return host;
}

const widthOf = (el: Element | null | undefined): string => (el as HTMLElement | null)?.style.width ?? '';

describe('the first column widens by what the row addons take', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  test.each([0, 190])('addons taking %i px', (px) => {
    taken = px;
    const host = mount();
    const first = COLUMN_WIDTHS.displayName + px;
    const headers = host.querySelectorAll('[role="columnheader"]');
    expect(widthOf(headers[1])).toBe(`${first}px`);
    expect(widthOf(headers[2])).toBe(`${COLUMN_WIDTHS.principalName}px`);
    const row = host.querySelector('[data-testid="row"]');
    expect(widthOf(row?.children[1])).toBe(`${first}px`);
    // The row and the header are as wide as their cells together.
    const total = 32 + first + COLUMN_WIDTHS.principalName + COLUMN_WIDTHS.subjectType;
    expect(widthOf(row)).toBe(`${total}px`);
    expect(widthOf(host.querySelector('.table-head'))).toBe(`${total}px`);
  });
});
