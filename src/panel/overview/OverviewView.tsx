// The overview across packages (contract: Across packages): load state, charts, the packages table, and the
// assignments or people of the scope as a virtual table whose window the worker fills. Every cell is a
// text node: text from Graph is only ever text.
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FacetId } from '../../core/filters';
import { HELD_CODES, KIND_CODES, SIGN_IN_AGE_CODES, STALE_CODES, ACCOUNT_CODES, type OverviewFacet, type OverviewRow, type PersonRow } from '../../core/overview/store';
import type { ColumnKey } from '../../core/sort';
import type { OverviewTab } from '../../protocol/overview';
import { useAfterFirstPaint } from '../after-paint';
import { saveBlob } from '../export-csv';
import { formatCount, t, tn } from '../i18n';
import { useSubscription } from '../model-slot';
import { ROW_HEIGHT } from '../styles';
import { visibleWindow } from '../virtual';
import { cellWidth } from '../components/cell-width';
import { agoText, cellWords, facetValueText, staleReasonsText } from '../words';
import { DropdownFilter, useOpenFilter, type FilterOption } from '../components/DropdownFilter';
import { Charts } from './Charts';
import type { OverviewModel } from './model';
import { adoptFeatureStyles } from '../mount';
import { OVERVIEW_CSS } from './styles';
import { OverviewDetails } from './OverviewDetails';
import { OverviewRemove } from './OverviewRemove';
import type { WorkerLink } from '../worker-link';
import { ResourcesTable } from './ResourcesTable';
import { PackagesTable } from './PackagesTable';
import { Notes } from '../components/Notes';
import { adoptActionStyles } from '../actions/styles';

const OVERSCAN = 10;
const HEADER_HEIGHT = 30;

/** Columns of the assignments table (the package table's words, plus package and catalog). */
const ASSIGNMENT_COLUMNS: ReadonlyArray<{ key: ColumnKey | 'package' | 'catalog' | 'held'; width: number }> = [
  { key: 'displayName', width: 170 },
  { key: 'principalName', width: 210 },
  { key: 'package', width: 170 },
  { key: 'catalog', width: 130 },
  { key: 'state', width: 110 },
  { key: 'expiry', width: 120 },
  { key: 'lastSignIn', width: 140 },
  { key: 'stale', width: 170 },
  { key: 'held', width: 80 },
];

const PEOPLE_COLUMNS = [
  { key: 'displayName', width: 170 },
  { key: 'principalName', width: 210 },
  { key: 'kind', width: 100 },
  { key: 'account', width: 110 },
  { key: 'held', width: 90 },
  { key: 'assignments', width: 100 },
  { key: 'lastSignIn', width: 140 },
  { key: 'stale', width: 190 },
] as const;


function overviewFacetText(facet: OverviewFacet, value: string, names: ReadonlyMap<string, string>): string {
  switch (facet) {
    case 'package':
    case 'catalog':
      return names.get(value) || value || t('words_none');
    case 'state':
    case 'kind':
    case 'account':
    case 'stale':
      return facetValueText(facet as FacetId, value, value);
    case 'signInAge':
      return t(`overview_age_${value.replace(/[^a-z0-9]/gi, '_')}`);
    case 'expiryMonth':
      return value === 'none' ? t('overview_expiry_none') : value === 'expired' ? t('overview_expiry_expired') : value;
    case 'held':
      return tn('overview_held_value', value === '6+' ? 6 : Number(value.split('-')[0]), { value });
  }
}

const FACET_ORDER: Record<OverviewFacet, readonly string[] | null> = {
  package: null,
  catalog: null,
  state: null,
  kind: KIND_CODES,
  account: ACCOUNT_CODES,
  stale: STALE_CODES,
  signInAge: SIGN_IN_AGE_CODES,
  expiryMonth: null,
  held: HELD_CODES,
};

type OverviewCounts = Readonly<Record<string, Readonly<Record<string, number>>>>;
const NO_COUNTS: OverviewCounts = {};

const FILTER_FACETS: readonly OverviewFacet[] = ['catalog', 'package', 'state', 'kind', 'account', 'stale', 'held'];

export function OverviewView(props: { model: OverviewModel; link: WorkerLink; root: ShadowRoot | null; now: number; onClose?(): void }): JSX.Element {
  const { model, now } = props;
  // The details view registers its opener; the table's names call it.
  const opener = useRef<((assignmentId: string) => void) | null>(null);
  const openDetails = useCallback((assignmentId: string) => opener.current?.(assignmentId), []);
  useSubscription(model);
  useEffect(() => {
    adoptFeatureStyles(props.root, OVERVIEW_CSS);
    adoptActionStyles(props.root); // the removal dialog's
  }, [props.root]);
  const container = useRef<HTMLDivElement>(null);
  const state = model.state;
  const view = model.view;
  // The first answer's rows are painted before its summaries (charts, the packages table, the facets'
  // counts): drawn in the same frame they put about 20 ms before the first row, which is what a person waits for.
  const summary = useAfterFirstPaint(view);
  const loading = state === null || state.loading;
  const total = state?.total ?? 0;
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of model.listing?.packages ?? []) {
      m.set(p.id, p.displayName);
      if (p.catalogId) m.set(p.catalogId, p.catalogName);
    }
    return m;
  }, [model.listing]);

  const scopeTitle = model.scope === 'tenant' ? t('overview_scope_tenant') : t('overview_scope_catalog', { name: model.listing?.scopeName || '' });
  const searchRef = useRef<HTMLInputElement>(null);

  const onExport = (all: boolean): void => {
    const parts: Blob[] = [];
    model.exportCsv(all, {
      chunk: (text) => parts.push(new Blob([text])),
      done: (fileName) => {
        if (container.current) saveBlob(container.current, new Blob(parts, { type: 'text/csv;charset=utf-8' }), fileName);
      },
      failed: () => undefined,
    });
  };

  return (
    <div
      class="overview"
      ref={container}
      data-testid="overview"
      data-scope={model.scope ?? ''}
      data-loading={String(loading)}
      data-total={String(total)}
      data-enriching={String(state === null || state.loading || state.enriching)}
      role="region"
      aria-label={scopeTitle}
    >
      <div class="section overview-head">
        <h2 class="overview-title">{scopeTitle}</h2>
        <span class="meta" aria-live="polite">
          {statusText(model, now)}
        </span>
        <span class="overview-actions">
          <button type="button" data-testid="overview-refresh" onClick={() => model.refresh()} disabled={loading && state !== null && state.error === null}>
            {t('overview_refresh')}
          </button>
          {props.onClose ? (
            <button type="button" data-testid="overview-close" onClick={props.onClose}>
              {t('overview_back')}
            </button>
          ) : null}
        </span>
      </div>
      {state?.error ? (
        <div class="section alert" role="alert">
          {state.error === 'sign-in'
            ? t('overview_error_signIn')
            : state.error === 'memory'
              ? t('overview_error_memory', { rows: formatCount(total) })
              : t('overview_error', { reason: state.error })}
        </div>
      ) : null}
      {state && state.unreadable.length > 0 ? (
        <div class="section alert" role="alert" data-testid="overview-unreadable" data-count={String(state.unreadable.length)}>
          <div>{tn('overview_unreadable', state.unreadable.length)}</div>
          <ul>
            {state.unreadable.slice(0, 20).map((u) => (
              <li key={u.packageId}>{t('overview_unreadable_item', { name: names.get(u.packageId) || u.packageId, reason: u.reason })}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {state ? <Notes notes={state.notes} testid="overview-notes" itemTestid="overview-note" /> : null}
      {state?.signInNote ? <div class="section meta">{t('overview_signIn_note', { reason: state.signInNote })}</div> : null}
      <Charts counts={summary?.counts ?? NO_COUNTS} query={model.query} onToggle={(f, v) => model.toggle(f, v)} />
      <PackagesTable stats={summary?.packages ?? []} names={names} model={model} loading={loading} />
      <div class="section">
        <div class="toolbar" role="toolbar" aria-label={t('overview_toolbar')}>
          <div role="tablist" class="overview-tabs">
            {(['assignments', 'people', 'resources'] as OverviewTab[]).map((tab) => (
              <button
                key={tab}
                type="button"
                role="tab"
                aria-selected={model.tab === tab}
                data-testid={`overview-tab-${tab}`}
                onClick={() => model.setTab(tab)}
              >
                {t(`overview_tab_${tab}`)}
              </button>
            ))}
          </div>
          <input
            type="search"
            class="search"
            ref={searchRef}
            data-testid="search"
            placeholder={t('app_searchPlaceholder')}
            aria-label={t('app_searchLabel')}
            value={model.query.search}
            onInput={(e) => model.setSearch((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="button" data-testid="export-csv" disabled={loading || model.exporting !== null} onClick={() => onExport(false)} title={t('overview_export_title')}>
            {t('overview_export')}
          </button>
          <button type="button" data-testid="overview-export-all" disabled={loading || model.exporting !== null} onClick={() => onExport(true)}>
            {t('overview_export_all')}
          </button>
          {model.exporting ? (
            <span class="meta" role="status">
              {t('overview_exporting', { rows: formatCount(model.exporting.rows), of: formatCount(model.exporting.of) })}
            </span>
          ) : null}
          <OverviewRemove model={model} filterText={filterWords(model, names)} />
          <span class="meta" data-testid="overview-shown" data-shown={String(view?.shown ?? 0)}>
            {view ? tn(model.tab === 'people' ? 'overview_shown_people' : 'overview_shown', view.shown, { total: formatCount(total) }) : ''}
          </span>
        </div>
        <Facets model={model} names={names} counts={summary?.counts ?? NO_COUNTS} />
      </div>
      {model.tab === 'people' ? (
        <PeopleTable model={model} now={now} />
      ) : model.tab === 'resources' ? (
        <ResourcesTable model={model} names={names} />
      ) : (
        <AssignmentsTable model={model} onOpen={openDetails} />
      )}
      <OverviewDetails model={model} link={props.link} root={props.root} now={now} onOpener={(fn) => (opener.current = fn)} />
    </div>
  );
}

/** The filter in words, for the removal's confirmation and its log. */
function filterWords(model: OverviewModel, names: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  if (model.query.search.trim()) parts.push(t('overview_words_search', { text: model.query.search.trim() }));
  for (const [facet, values] of Object.entries(model.query.facets) as [OverviewFacet, string[]][]) {
    if (values.length) parts.push(`${t(`overview_facet_${facet}`)}: ${values.map((v) => overviewFacetText(facet, v, names)).join(', ')}`);
  }
  return parts.join('; ');
}

function statusText(model: OverviewModel, now: number): string {
  const s = model.state;
  if (!s) return t('overview_status_starting');
  const p = s.progress;
  if (s.loading) {
    const elapsed = Math.max(1, now - p.startedAt);
    // A resumed load's packages from disk took no time here: the estimate is of the rest.
    const before = p.resumed ?? 0;
    const share = p.packagesTotal > before ? (p.packagesDone - before) / (p.packagesTotal - before) : 0;
    const eta = share > 0.05 ? Math.round(((elapsed / share) - elapsed) / 1000) : null;
    return t(eta === null ? 'overview_status_loading' : 'overview_status_loading_eta', {
      done: formatCount(p.packagesDone),
      of: formatCount(p.packagesTotal),
      rows: formatCount(p.rows),
      seconds: formatCount(eta ?? 0),
    });
  }
  if (s.error) return '';
  const base = tn('overview_status_done', s.total, { packages: formatCount(s.progress.packagesTotal), age: agoText(s.fetchedAt, now) });
  return s.enriching ? `${base} ${t('overview_status_enriching')}` : base;
}

function Facets(props: { model: OverviewModel; names: ReadonlyMap<string, string>; counts: OverviewCounts }): JSX.Element {
  const { model, names, counts } = props;
  const [open, setOpen] = useOpenFilter<string>();
  return (
    <div class="filters overview-facets" role="group" aria-label={t('facets_label')}>
      {FILTER_FACETS.map((facet) => {
        const have = counts[facet] ?? {};
        const chosen = model.query.facets[facet] ?? [];
        if (chosen.length === 0 && !Object.values(have).some((n) => n > 0)) return null;
        // Built when the dropdown opens: the package facet of a tenant has thousands of values.
        const options = (): FilterOption[] => {
          const order = FACET_ORDER[facet] ?? Object.keys(have).sort((a, b) => (have[b] ?? 0) - (have[a] ?? 0));
          return order
            .filter((v) => (have[v] ?? 0) > 0 || chosen.includes(v))
            .map((v) => ({ value: v, text: overviewFacetText(facet, v, names), count: have[v] ?? 0, checked: chosen.includes(v) }));
        };
        return (
          <DropdownFilter
            key={facet}
            id={facet}
            testid={`overview-facet-${facet}`}
            name={t(`overview_facet_${facet}`)}
            selected={chosen.map((v) => overviewFacetText(facet, v, names))}
            open={open === facet}
            onOpen={setOpen(facet)}
            options={options}
            onToggle={(v) => model.toggle(facet, v)}
          />
        );
      })}
      {model.query.search || Object.keys(model.query.facets).length > 0 ? (
        <button type="button" class="subtle" data-testid="overview-clear" onClick={() => model.clearFilters()}>
          {t('overview_clear')}
        </button>
      ) : null}
    </div>
  );
}

interface TableColumn<T> {
  key: string;
  width: number;
  words(row: T): { text: string; title: string };
  class?: string;
  /** The cell's content when it is more than its words (the name that opens the details). */
  cell?(row: T, text: string): ComponentChildren;
}

interface WindowTableProps<T> {
  model: OverviewModel;
  label: string;
  /** rows in the whole result */
  count: number;
  /** the window the worker sent: rows `offset`… */
  offset: number;
  items: readonly T[];
  columns: ReadonlyArray<TableColumn<T>>;
  rowKey(row: T): string;
  /** the row element's own attributes (testid, data-*, class) */
  attrs(row: T): Record<string, string | boolean | undefined>;
  /** a leading cell (the row's checkbox) and its header, when the table selects */
  lead?: { head: JSX.Element; cell(row: T): JSX.Element };
  empty?: string | null;
}

/**
 * A virtual table over the worker's result: it asks the model for the rows on screen (with overscan) and
 * renders the window the worker sent, each cell as text.
 */
function WindowTable<T>(props: WindowTableProps<T>): JSX.Element {
  const { model, count, columns } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (): void => setViewport(el.clientHeight > 0 ? el.clientHeight : 600);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const win = visibleWindow(scrollTop, viewport - HEADER_HEIGHT, ROW_HEIGHT, count, OVERSCAN);
  useEffect(() => model.setWindow(win.start, win.end - win.start + OVERSCAN), [win.start, win.end]);

  const lead = props.lead ? 32 : 0;
  const widths = columns.map((c) => cellWidth(c.width));
  const width = lead + columns.reduce((w, c) => w + c.width, 0);
  const rows: JSX.Element[] = [];
  for (let i = Math.max(win.start, props.offset); i < Math.min(win.end, props.offset + props.items.length); i++) {
    const row = props.items[i - props.offset];
    rows.push(
      <div
        key={props.rowKey(row)}
        role="row"
        aria-rowindex={i + 2}
        {...props.attrs(row)}
        style={{ top: `${i * ROW_HEIGHT}px`, height: `${ROW_HEIGHT}px`, width: `${width}px` }}
      >
        {props.lead ? <div role="cell" style={cellWidth(lead)}>{props.lead.cell(row)}</div> : null}
        {columns.map((c, k) => {
          const w = c.words(row);
          return (
            <div key={c.key} role="cell" title={w.title} class={c.class} style={widths[k]}>
              {c.cell ? c.cell(row, w.text) : w.text}
            </div>
          );
        })}
      </div>,
    );
  }
  return (
    <div class="table-scroll" ref={ref} onScroll={() => setScrollTop(ref.current?.scrollTop ?? 0)} role="table" aria-rowcount={count + 1} aria-busy={props.model.answering} tabIndex={0} aria-label={props.label}>
      <div class="cells-row table-head" role="row" style={{ width: `${width}px` }}>
        {props.lead ? (
          <div role="columnheader" class="th" style={cellWidth(lead)}>
            {props.lead.head}
          </div>
        ) : null}
        {columns.map((c, k) => (
          <div key={c.key} role="columnheader" class="th" style={widths[k]}>
            {t(`overview_col_${c.key}`)}
          </div>
        ))}
      </div>
      <div style={{ position: 'relative', height: `${count * ROW_HEIGHT}px`, width: `${width}px` }}>{rows}</div>
      {props.empty ? <div class="empty">{props.empty}</div> : null}
    </div>
  );
}

const text = (v: string): { text: string; title: string } => ({ text: v, title: v });

/** The assignments table's columns; the display name opens the assignment's details, as on a package. */
const assignmentTable = (onOpen: (assignmentId: string) => void): ReadonlyArray<TableColumn<OverviewRow>> =>
  ASSIGNMENT_COLUMNS.map((c) => ({
    key: c.key,
    width: c.width,
    class: c.key === 'stale' ? 'reasons' : undefined,
    cell:
      c.key === 'displayName'
        ? (row: OverviewRow, name: string) => (
            <button
              type="button"
              class="link open-details"
              data-testid="row-open-details"
              aria-label={t('table_openDetails', { name: name || row.principalName || row.id })}
              onClick={() => onOpen(row.id)}
            >
              {name || <span class="no-name">{t('table_noName')}</span>}
            </button>
          )
        : undefined,
    words: (row: OverviewRow) =>
      c.key === 'package'
        ? text(row.packageName)
        : c.key === 'catalog'
          ? text(row.catalogName)
          : c.key === 'held'
            ? { text: formatCount(row.held), title: tn('overview_held_title', row.held) }
            : cellWords(c.key, row),
  }));

function AssignmentsTable(props: { model: OverviewModel; onOpen(assignmentId: string): void }): JSX.Element {
  const { model } = props;
  const columns = useMemo(() => assignmentTable(props.onOpen), [props.onOpen]);
  const view = model.view && model.view.tab === 'assignments' ? model.view : null;
  const count = view?.shown ?? 0;
  const allSelected = count > 0 && (view?.selected ?? 0) >= count;
  return (
    <WindowTable<OverviewRow>
      model={model}
      label={t('overview_tab_assignments')}
      count={count}
      offset={view?.offset ?? 0}
      items={view?.rows ?? []}
      columns={columns}
      rowKey={(row) => row.id}
      attrs={(row) => {
        const stale = row.staleReasons.length > 0;
        return {
          'aria-selected': row.selected,
          class: `cells-row row${stale ? ' stale' : ''}${row.selected ? ' selected' : ''}`,
          'data-testid': 'row',
          'data-assignment-id': row.id,
          'data-access-package-id': row.packageId,
          'data-stale': String(stale),
          'data-selected': String(row.selected),
        };
      }}
      lead={{
        head: (
          <input
            type="checkbox"
            data-testid="select-all"
            aria-label={t('overview_select_all', { count: formatCount(count) })}
            checked={allSelected}
            disabled={count === 0}
            onChange={() => model.select(allSelected ? 'none' : 'all')}
          />
        ),
        cell: (row) => (
          <input
            type="checkbox"
            data-testid="row-select"
            aria-label={t('overview_select_row', { name: row.displayName || row.principalName || row.id })}
            checked={row.selected}
            onChange={() => model.select('rows', [row.index], !row.selected)}
          />
        ),
      }}
      empty={view && count === 0 ? (model.state?.loading ? t('app_emptyLoading') : t('overview_empty')) : null}
    />
  );
}

function PeopleTable(props: { model: OverviewModel; now: number }): JSX.Element {
  const { model, now } = props;
  const view = model.view && model.view.tab === 'people' ? model.view : null;
  const columns: ReadonlyArray<TableColumn<PersonRow>> = PEOPLE_COLUMNS.map((c) => ({
    key: c.key,
    width: c.width,
    words: (p: PersonRow) =>
      text(
        c.key === 'displayName'
          ? p.displayName
          : c.key === 'principalName'
            ? p.principalName || p.email
            : c.key === 'kind'
              ? facetValueText('kind', p.kind, p.kind)
              : c.key === 'account'
                ? facetValueText('account', p.account, p.account)
                : c.key === 'held'
                  ? formatCount(p.held)
                  : c.key === 'assignments'
                    ? formatCount(p.assignments)
                    : c.key === 'lastSignIn'
                      ? p.lastSignIn
                        ? agoText(p.lastSignIn, now)
                        : ''
                      : staleReasonsText(p.staleReasons),
      ),
  }));
  return (
    <WindowTable<PersonRow>
      model={model}
      label={t('overview_tab_people')}
      count={view?.shown ?? 0}
      offset={view?.offset ?? 0}
      items={view?.people ?? []}
      columns={columns}
      rowKey={(p) => p.key}
      attrs={(p) => ({
        class: `cells-row row${p.staleReasons.length > 0 ? ' stale' : ''}`,
        'data-testid': 'overview-person',
        'data-object-id': p.objectId ?? '',
        'data-held': String(p.held),
        'data-stale': String(p.staleReasons.length > 0),
      })}
    />
  );
}
