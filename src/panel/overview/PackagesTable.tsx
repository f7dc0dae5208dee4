// The overview's packages table: one row per access package in scope, every one of them in the DOM (contract:
// Across packages), sortable, filtered with the rest of the overview, and saved as CSV as shown. A tenant's
// 2,000 rows stay cheap to update, as the virtual tables do: only the rows on screen are components with cells,
// re-rendered only when what they show changed; a row off screen is a plain hidden element that carries its
// package and counts, in a list of its own in an order no answer changes (placeRows, HiddenRows). (A profile of
// every row rendered and `content-visibility: auto` instead: twice the time per keystroke at 2,000 packages, in
// diffing, moving, formatting and intersection checks.)
import { Component, type JSX } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { compareText } from '../../core/collate';
import { overviewCsvFileName } from '../../core/overview/csv';
import { packagesCsv } from '../../core/overview/packages-csv';
import { isFiltered, STALE_CODES, type PackageStats } from '../../core/overview/store';
import { saveBlob } from '../export-csv';
import { formatCount, t } from '../i18n';
import { visibleWindow } from '../virtual';
import { staleReasonsText } from '../words';
import type { OverviewModel } from './model';
import { packageRoute } from './routes';

export type PackageSortKey = 'name' | 'assignments' | 'delivered' | 'stale' | 'deliveryFailed' | 'expiringSoon' | 'guests';

/** The rows' height in the styles below, and the box's most (about seven rows on screen). */
const ROW_PX = 24;
const BOX_PX = 170;
const OVERSCAN = 8;

const COUNT_KEYS = ['assignments', 'delivered', 'stale', 'deliveryFailed', 'expiringSoon', 'guests'] as const;

const COLUMN_LABEL: Record<(typeof COUNT_KEYS)[number], string> = {
  assignments: 'overview_col_assignments',
  delivered: 'overview_col_delivered',
  stale: 'overview_col_stale',
  deliveryFailed: 'overview_col_failed',
  expiringSoon: 'overview_col_expiring',
  guests: 'overview_col_guests',
};

/** Each package's place by name, as a person orders names ("Package 9" before "Package 10", case aside). */
export function nameRanks(names: ReadonlyMap<string, string>, stats: readonly PackageStats[]): Map<string, number> {
  const ids = stats.map((s) => s.packageId).sort((a, b) => compareText(names.get(a) ?? '', names.get(b) ?? '') || (a < b ? -1 : a > b ? 1 : 0));
  return new Map(ids.map((id, i) => [id, i]));
}

/**
 * The packages in the order chosen: by a count (ties by name, A to Z) or by name, ascending or descending.
 * Names compare by rank: an answer re-sorts 2,000 packages with many ties, and a collator per tie was a third
 * of the sort.
 */
export function sortPackages(stats: readonly PackageStats[], ranks: ReadonlyMap<string, number>, key: PackageSortKey, desc: boolean): PackageStats[] {
  const rank = (s: PackageStats): number => ranks.get(s.packageId) ?? Number.MAX_SAFE_INTEGER;
  const list = [...stats];
  list.sort((a, b) => {
    if (key === 'name') return desc ? rank(b) - rank(a) : rank(a) - rank(b);
    return (desc ? b[key] - a[key] : a[key] - b[key]) || rank(a) - rank(b);
  });
  return list;
}

/**
 * The rows on screen (and near), in the order chosen, and the hidden ones by name, an order no answer changes.
 * They are two lists of elements. An answer re-sorts the packages by their new counts: in one list, the rows
 * coming on screen and leaving it shifted the 2,000 hidden rows after them, and Preact's search for each moved
 * key (linear, from where it expects the key) ran about 600 times over that list per facet change, 4 ms in a
 * profile. `index` is the row's place in the order chosen.
 */
export function placeRows(
  rows: readonly PackageStats[],
  start: number,
  end: number,
  ranks: ReadonlyMap<string, number>,
): { shown: Array<{ stats: PackageStats; index: number }>; hidden: PackageStats[] } {
  const shown: Array<{ stats: PackageStats; index: number }> = [];
  for (let i = start; i < end; i++) shown.push({ stats: rows[i], index: i });
  const hidden = [...rows.slice(0, start), ...rows.slice(end)];
  const rank = (s: PackageStats): number => ranks.get(s.packageId) ?? Number.MAX_SAFE_INTEGER;
  hidden.sort((a, b) => rank(a) - rank(b) || (a.packageId < b.packageId ? -1 : a.packageId > b.packageId ? 1 : 0));
  return { shown, hidden };
}

interface RowProps {
  stats: PackageStats;
  name: string;
  catalog: string;
  chosen: boolean;
  /** the row's place for assistive technology (the header is 1) */
  rowIndex: number;
  /** the Filter button's word, looked up once for every row */
  filterText: string;
  onFilter(packageId: string): void;
}

const sameCounts = (a: PackageStats, b: PackageStats): boolean =>
  a.packageId === b.packageId && COUNT_KEYS.every((k) => a[k] === b[k]) && a.staleBy.every((n, i) => n === b.staleBy[i]);

/** One package on screen; each answer brings new stats objects, so it compares the counts, not the object. */
export class PackageRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    const p = this.props;
    return (
      next.stats.packageId !== p.stats.packageId ||
      next.rowIndex !== p.rowIndex ||
      next.name !== p.name ||
      next.catalog !== p.catalog ||
      next.chosen !== p.chosen ||
      next.filterText !== p.filterText ||
      next.onFilter !== p.onFilter ||
      !sameCounts(next.stats, p.stats)
    );
  }

  override render(): JSX.Element {
    const { stats: s, name, catalog, chosen, rowIndex, filterText, onFilter } = this.props;
    return (
      <div
        role="row"
        data-testid="overview-package"
        data-access-package-id={s.packageId}
        data-assignments={String(s.assignments)}
        data-stale={String(s.stale)}
        aria-rowindex={rowIndex}
        class={`grid-row package-row${chosen ? ' selected' : ''}`}
      >
        <div role="cell">
          <a href={packageRoute(s.packageId)} title={t('overview_open_package', { name: name || s.packageId })}>
            {name || s.packageId}
          </a>{' '}
          <button type="button" class="link" aria-pressed={chosen} onClick={() => onFilter(s.packageId)}>
            {filterText}
          </button>
        </div>
        <div role="cell" title={catalog}>
          {catalog}
        </div>
        {COUNT_KEYS.map((k) => (
          <div key={k} role="cell" class="num" title={k === 'stale' ? staleReasonsText(STALE_CODES.filter((_, i) => (s.staleBy[i] ?? 0) > 0)) : undefined}>
            {formatCount(s[k])}
          </div>
        ))}
      </div>
    );
  }
}

/**
 * The rows off screen, kept by hand in their list, in the order given: no person sees them, and at 2,000
 * packages their re-render through Preact on every answer (each brings new counts) was 9 ms of a facet change's
 * 26 ms of script. Here an answer costs a comparison of two counts per row, and an element moved, added or
 * removed per row that came on or left the screen.
 */
export class HiddenRows {
  private readonly rows = new Map<string, { el: HTMLElement; assignments: number; stale: number }>();

  constructor(private readonly list: HTMLElement) {}

  sync(stats: readonly PackageStats[]): void {
    const wanted = new Set<string>();
    for (const s of stats) wanted.add(s.packageId);
    for (const [id, row] of this.rows) {
      if (wanted.has(id)) continue;
      row.el.remove();
      this.rows.delete(id);
    }
    let next = this.list.firstElementChild;
    for (const s of stats) {
      let row = this.rows.get(s.packageId);
      if (!row) {
        const el = this.list.ownerDocument.createElement('div');
        el.setAttribute('role', 'row');
        el.setAttribute('data-testid', 'overview-package');
        el.setAttribute('data-access-package-id', s.packageId);
        el.className = 'package-row';
        el.hidden = true;
        row = { el, assignments: Number.NaN, stale: Number.NaN };
        this.rows.set(s.packageId, row);
      }
      if (row.el === next) next = next.nextElementSibling;
      else this.list.insertBefore(row.el, next);
      if (row.assignments !== s.assignments) row.el.setAttribute('data-assignments', String((row.assignments = s.assignments)));
      if (row.stale !== s.stale) row.el.setAttribute('data-stale', String((row.stale = s.stale)));
    }
  }
}

export function PackagesTable(props: { stats: readonly PackageStats[]; names: ReadonlyMap<string, string>; model: OverviewModel; loading: boolean }): JSX.Element {
  const { stats, names, model } = props;
  const [sort, setSort] = useState<{ key: PackageSortKey; desc: boolean }>({ key: 'assignments', desc: true });
  // The packages in scope are known once listed; the answers only change their counts.
  const ranks = useMemo(() => nameRanks(names, stats), [names, stats.length]);
  const rows = useMemo(() => sortPackages(stats, ranks, sort.key, sort.desc), [stats, sort, ranks]);
  const catalogOf = useMemo(() => new Map((model.listing?.packages ?? []).map((p) => [p.id, p.catalogName])), [model.listing]);
  const onFilter = useMemo(() => (packageId: string) => model.toggle('package', packageId), [model]);
  const filterText = t('overview_filter_package');
  const box = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(BOX_PX);
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setViewport(el.clientHeight || BOX_PX));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const win = visibleWindow(scrollTop, viewport, ROW_PX, rows.length, OVERSCAN);
  const placed = useMemo(() => placeRows(rows, win.start, win.end, ranks), [rows, win.start, win.end, ranks]);
  const hiddenList = useRef<HTMLDivElement>(null);
  const hidden = useRef<HiddenRows | null>(null);
  // Before the browser paints: the package that left the screen is back among the hidden rows in the same frame.
  useLayoutEffect(() => {
    if (!hiddenList.current) return;
    hidden.current ??= new HiddenRows(hiddenList.current);
    hidden.current.sync(placed.hidden);
  }, [placed.hidden]);
  const chosen = model.query.facets.package ?? [];
  const header = (key: PackageSortKey, label: string): JSX.Element => (
    <div key={key} role="columnheader" class={key === 'name' ? 'th' : 'th num'} aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" title={label} onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : key !== 'name' })}>
        {label}
      </button>
    </div>
  );
  const onExport = (): void => {
    const blob = new Blob([packagesCsv(rows, names, catalogOf)], { type: 'text/csv;charset=utf-8' });
    const fileName = overviewCsvFileName(model.scope ?? '', model.listing?.scopeName ?? '', 'packages', isFiltered(model.query), new Date());
    if (box.current) saveBlob(box.current, blob, fileName);
  };
  return (
    <div class="section overview-packages" ref={box} data-testid="overview-packages">
      <div class="overview-packages-head">
        <span id="overview-packages-caption" class="overview-packages-caption">
          {t('overview_packages_caption')}
        </span>
        <button type="button" data-testid="overview-packages-export" disabled={props.loading || rows.length === 0} title={t('overview_packages_export_title')} onClick={onExport}>
          {t('overview_packages_export')}
        </button>
      </div>
      <div
        class="overview-packages-scroll"
        ref={scroller}
        onScroll={() => setScrollTop(scroller.current?.scrollTop ?? 0)}
        role="table"
        aria-labelledby="overview-packages-caption"
        aria-rowcount={rows.length + 1}
      >
        <div class="grid-row package-row table-head" role="row" aria-rowindex={1}>
          {header('name', t('overview_col_package'))}
          <div role="columnheader" class="th">
            {t('overview_col_catalog')}
          </div>
          {COUNT_KEYS.map((k) => header(k, t(COLUMN_LABEL[k])))}
        </div>
        <div role="rowgroup" style={{ paddingTop: `${win.start * ROW_PX}px`, paddingBottom: `${(rows.length - win.end) * ROW_PX}px` }}>
          {placed.shown.map(({ stats: s, index }) => (
            <PackageRow
              key={s.packageId}
              stats={s}
              name={names.get(s.packageId) ?? ''}
              catalog={catalogOf.get(s.packageId) ?? ''}
              chosen={chosen.includes(s.packageId)}
              rowIndex={index + 2}
              filterText={filterText}
              onFilter={onFilter}
            />
          ))}
        </div>
        <div class="package-rows-hidden" ref={hiddenList} hidden />
      </div>
    </div>
  );
}
