// The assignment table: virtualised with a fixed row height, so 100,000 rows keep a bounded number of DOM
// nodes. Every cell is a text node (Preact children), never markup: text from Graph is only ever text.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ViewRow } from '../../core/model';
import type { Column, ColumnKey } from '../../core/sort';
import { t } from '../i18n';
import { ROW_HEIGHT } from '../styles';
import type { SortState } from '../store';
import { TESTIDS } from '../testids';
import { openDetails } from '../details/open';
import { tableKeyAction } from '../keyboard/table-keys';
import { rowAddons, rowAttributes, useRowAddonWidth } from '../toolbar';
import { scrollToReveal, visibleWindow, windowCapacity } from '../virtual';
import { RowCells } from './RowCells';
import { columnName } from '../words';
import { Icon } from '../icons/Icon';
import { cellWidth } from './cell-width';

/**
 * Rows rendered above and below the visible window: a wheel step (3 rows) stays inside it, and a fling, which
 * replaces the whole window every frame, pays for few rows nobody sees (12 cost a third more per frame).
 */
export const OVERSCAN = 4;

/** Viewport height assumed until the browser has laid the table out. */
const FALLBACK_VIEWPORT = 800;
const HEADER_HEIGHT = 30;
const SELECT_WIDTH = 32;

export const COLUMN_WIDTHS: Readonly<Record<ColumnKey, number>> = {
  displayName: 180,
  principalName: 220,
  subjectType: 110,
  userType: 110,
  accountEnabled: 90,
  state: 120,
  status: 140,
  policy: 160,
  start: 130,
  expiry: 130,
  lastSignIn: 150,
  stale: 170,
  access: 110,
};

export interface TableProps {
  rows: readonly ViewRow[];
  columns: readonly Column[];
  selection: ReadonlySet<string>;
  sort: SortState | null;
  onSort(key: ColumnKey): void;
  onToggle(id: string): void;
  /** Shift-click: selects (or clears) the rows from the last clicked one to this one. */
  onSetSelected?(ids: string[], selected: boolean): void;
  /** Selects (or clears) every row of the filtered view. */
  onSelectAll(select: boolean): void;
  emptyText: string;
}

function ariaSort(sort: SortState | null, key: ColumnKey): 'ascending' | 'descending' | 'none' {
  if (sort?.key !== key) return 'none';
  return sort.dir === 'asc' ? 'ascending' : 'descending';
}

export function Table(props: TableProps): JSX.Element {
  const { rows, columns, selection, sort } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  const [active, setActive] = useState(0);
  /** The row whose checkbox was clicked last: a shift-click selects the range from it. */
  const anchor = useRef<string | null>(null);
  /** Where a Shift+arrow extension of the selection started (reset by any other key). */
  const keyAnchor = useRef<number | null>(null);
  const addons = rowAddons();

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = (): void => setViewport(el.clientHeight > 0 ? el.clientHeight : FALLBACK_VIEWPORT);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Keep the keyboard cursor inside the list when the filter shrinks it.
  const activeIndex = Math.min(active, Math.max(0, rows.length - 1));

  // The first column also holds the row addons (a review's decision buttons): it widens by what they take.
  const addonWidth = useRowAddonWidth();
  const pixels = useMemo(() => [SELECT_WIDTH, ...columns.map((c, k) => COLUMN_WIDTHS[c.key] + (k === 0 ? addonWidth : 0))], [columns, addonWidth]);
  const widths = useMemo(() => pixels.map(cellWidth), [pixels]);
  const width = pixels.reduce((w, px) => w + px, 0);

  // With nothing selected (the common case) neither needs a pass over every shown row on each keystroke.
  const allSelected = useMemo(() => selection.size > 0 && rows.length > 0 && rows.every((r) => selection.has(r.id)), [rows, selection]);
  const someSelected = useMemo(() => selection.size > 0 && !allSelected && rows.some((r) => selection.has(r.id)), [rows, selection, allSelected]);
  const selectAllRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (selectAllRef.current) selectAllRef.current.indeterminate = someSelected;
  }, [someSelected]);

  const win = visibleWindow(scrollTop, viewport - HEADER_HEIGHT, ROW_HEIGHT, rows.length, OVERSCAN);
  // Row elements are keyed by their place in a ring as long as the largest window, not by assignment: two
  // rendered rows never share a key and, while the viewport keeps its size, no row element is created or
  // removed. A keystroke that changes which rows are shown patches the elements on screen (text, attributes,
  // the checkbox's state) instead of building new ones (about a quarter less time per keystroke at 100,000
  // rows), and a scroll gives the elements of the rows that leave to the rows that enter (a fling: a third
  // less script and style work per frame than creating and removing them). Nothing per row is kept in a
  // component's state: row addons read their models, so a slot's next row shows its own values.
  const slots = windowCapacity(viewport - HEADER_HEIGHT, ROW_HEIGHT, OVERSCAN);

  const moveTo = (index: number): void => {
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setActive(next);
    const el = scrollRef.current;
    if (!el) return;
    const top = scrollToReveal(next, el.scrollTop, viewport, ROW_HEIGHT, HEADER_HEIGHT);
    if (top !== null) {
      el.scrollTop = top;
      setScrollTop(top);
    }
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.target !== scrollRef.current) return;
    const page = Math.max(1, Math.floor((viewport - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    const action = tableKeyAction(e, { index: activeIndex, count: rows.length, page, anchor: keyAnchor.current });
    if (e.key !== 'Shift') keyAnchor.current = action?.kind === 'extend' ? action.from : null;
    if (!action) return;
    e.preventDefault();
    switch (action.kind) {
      case 'move':
        moveTo(action.to);
        break;
      case 'extend': {
        const ids = rows.slice(Math.min(action.from, action.to), Math.max(action.from, action.to) + 1).map((r) => r.id);
        props.onSetSelected?.(ids, true);
        moveTo(action.to);
        break;
      }
      case 'toggle':
        props.onToggle(rows[action.index].id);
        break;
      case 'open':
        openDetails(rows[action.index].id);
        break;
    }
  };

  // Stable handlers for the memoised cells (RowCells): they read the current rows and props.
  const live = useRef(props);
  live.current = props;
  const handlers = useMemo(
    () => ({
      check(e: MouseEvent, row: ViewRow, selected: boolean): void {
        const p = live.current;
        const from = e.shiftKey && p.onSetSelected && anchor.current !== null ? p.rows.findIndex((r) => r.id === anchor.current) : -1;
        anchor.current = row.id;
        if (from < 0) return; // a plain click: onChange toggles
        e.preventDefault();
        const i = p.rows.indexOf(row);
        const ids = p.rows.slice(Math.min(from, i), Math.max(from, i) + 1).map((r) => r.id);
        p.onSetSelected!(ids, !selected);
      },
      toggle(id: string): void {
        live.current.onToggle(id);
      },
    }),
    [],
  );

  const rendered: JSX.Element[] = [];
  for (let i = win.start; i < win.end; i++) {
    const row = rows[i];
    const stale = row.staleReasons.length > 0;
    const selected = selection.has(row.id);
    rendered.push(
      <div
        key={i % slots}
        id={`row-${i}`}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={selected}
        class={`cells-row row${stale ? ' stale' : ''}${selected ? ' selected' : ''}${i === activeIndex ? ' active' : ''}`}
        data-testid={TESTIDS.row}
        data-assignment-id={row.id}
        data-stale={String(stale)}
        data-access={row.access?.value}
        data-selected={String(selected)}
        {...rowAttributes(row)}
        style={{
          top: `${i * ROW_HEIGHT}px`,
          height: `${ROW_HEIGHT}px`,
          width: `${width}px`,
        }}
      >
        <RowCells
          row={row}
          columns={columns}
          widths={widths}
          selected={selected}
          addons={addons}
          onCheckClick={handlers.check}
          onToggle={handlers.toggle}
        />
      </div>,
    );
  }

  return (
    <div
      ref={scrollRef}
      class="table-scroll"
      role="grid"
      aria-multiselectable="true"
      aria-label={t('table_label')}
      aria-rowcount={rows.length + 1}
      aria-activedescendant={rows.length ? `row-${activeIndex}` : undefined}
      tabIndex={0}
      data-testid={TESTIDS.table}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div class="table-head" role="rowgroup" style={{ width: `${width}px` }}>
        <div class="cells-row" role="row" aria-rowindex={1}>
          <div role="columnheader" class="th" style={widths[0]}>
            <input
              ref={selectAllRef}
              type="checkbox"
              checked={allSelected}
              disabled={rows.length === 0}
              aria-label={t('table_selectAll', { count: rows.length })}
              data-testid={TESTIDS.selectAll}
              onChange={() => props.onSelectAll(!allSelected)}
            />
          </div>
          {columns.map((c, k) => (
            <div
              key={c.key}
              role="columnheader"
              class="th"
              style={widths[k + 1]}
              aria-sort={ariaSort(sort, c.key)}
              data-testid={TESTIDS.columnHeader}
              data-column={c.key}
            >
              <button type="button" onClick={() => props.onSort(c.key)} title={t('table_sortBy', { column: columnName(c.key) })}>
                {columnName(c.key)}
                {sort?.key === c.key ? <Icon name={sort.dir === 'asc' ? 'arrowUp' : 'arrowDown'} size={12} /> : null}
              </button>
            </div>
          ))}
        </div>
      </div>
      {rows.length === 0 ? (
        <div class="empty">{props.emptyText}</div>
      ) : (
        <div role="rowgroup" style={{ position: 'relative', height: `${rows.length * ROW_HEIGHT}px`, width: `${width}px` }}>
          {rendered}
        </div>
      )}
    </div>
  );
}
