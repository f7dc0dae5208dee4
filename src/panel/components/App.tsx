// The panel: header, toolbar, filters, stale summary and the table, over one PanelStore.
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isEmptyFilter, type FilterState } from '../../core/filters';
import { COLUMNS, type ColumnKey } from '../../core/sort';
import { useNow, useStore } from '../hooks';
import { t, tn } from '../i18n';
import { onPanelKeyDown } from '../keyboard/panel-keys';
import { keepFocus } from '../keyboard/focus-keeper';
import { LiveRegion } from '../announce/LiveRegion';
import { SettingsNotice, type SettingsNoticeState } from '../settings/SettingsNotice';
import type { HostLayout } from '../mount';
import type { PanelPrefs } from '../storage';
import { isBusy, type PanelState, type PanelStore } from '../store';
import { TESTIDS } from '../testids';
import type { ToolbarItem } from '../toolbar';
import type { LinkStatus, WorkerLink } from '../worker-link';
import { ColumnChooser } from './ColumnChooser';
import { ExportButtons } from './ExportButtons';
import { incompleteCsvColumns } from '../../core/export-readiness';
import { Facets } from './Facets';
import { FilterBar } from './FilterBar';
import { Auth, Header, WindowButtons } from './Header';
import { useSlotModel } from '../model-slot';
import { OverviewView, overviewSlot } from '../overview';
import { Resizer } from './Resizer';
import { StaleLine } from './StaleLine';
import { Table } from './Table';
import { Icon } from '../icons/Icon';

export interface AppProps {
  store: PanelStore;
  link: WorkerLink;
  /** Re-fetch the current package skipping the cache (controller.refresh). */
  onRefresh(): void;
  initialPrefs: PanelPrefs;
  /** Persist changed prefs (panelPrefs). */
  onPrefs(prefs: PanelPrefs): void;
  /** The settings' staleAfterDays: the threshold's default. */
  settingsDays: number;
  /** The shadow root, handed to toolbar items; null when rendered into a plain element (tests). */
  root: ShadowRoot | null;
  /** Position the light-DOM host (hidden / collapsed / width). */
  onLayout?(layout: HostLayout): void;
  toolbarItems?: readonly ToolbarItem[];
  clock?: () => number;
  writeClipboard?(text: string): Promise<void>;
  /** A settings change made while the panel is open, said in the panel. */
  settingsNotice?: SettingsNoticeState | null;
}

/** Why the CSV cannot be exported right now (null: it can). Never export a list that is not whole. */
export function exportBlockedReason(s: Readonly<PanelState>): string | null {
  if (!s.complete) {
    if (s.loading) return t('app_exportWaitLoad');
    if (s.error) return t('app_exportLoadFailed');
    return t('app_exportNothing');
  }
  if (s.reportedTotal !== null && s.reportedTotal !== s.rows.length) {
    return t('app_exportMismatch');
  }
  return null;
}

function emptyText(s: Readonly<PanelState>, total: number): string {
  if (total > 0) return t('app_emptyFiltered');
  if (isBusy(s)) return t('app_emptyLoading');
  if (s.error) return t('app_emptyError');
  if (s.complete) return t('app_emptyNone');
  return '';
}

export function App(props: AppProps): JSX.Element | null {
  const { store, link } = props;
  const state = useStore(store);
  const view = store.view();
  const now = useNow(30_000, props.clock);
  const [prefs, setPrefs] = useState<PanelPrefs>(props.initialPrefs);
  const [liveWidth, setLiveWidth] = useState(props.initialPrefs.width);
  const [filtersOpen, setFiltersOpen] = useState(true);
  const [linkStatus, setLinkStatus] = useState<LinkStatus>('connected');
  const panelRef = useRef<HTMLDivElement | null>(null);
  const releaseFocusKeeper = useRef<(() => void) | null>(null);
  // The frame mounts and unmounts with hidden/collapsed: the focus keeper follows it.
  const attachPanel = useCallback((el: HTMLDivElement | null) => {
    panelRef.current = el;
    releaseFocusKeeper.current?.();
    releaseFocusKeeper.current = el ? keepFocus(el) : null;
  }, []);
  const collapsedRef = useRef<HTMLButtonElement>(null);
  /** Set when the admin collapsed or expanded the panel: the toggle keeps keyboard focus. */
  const refocus = useRef(false);

  useEffect(() => link.onStatus(setLinkStatus), [link]);

  const updatePrefs = (patch: Partial<PanelPrefs>): void => {
    const next = { ...prefs, ...patch };
    setPrefs(next);
    props.onPrefs(next);
  };

  const overview = useSlotModel(overviewSlot);
  const overviewOpen = overview !== null && overview.scope !== null;
  const hidden = state.packageId === null && !overviewOpen;
  useEffect(() => {
    props.onLayout?.({ hidden, collapsed: prefs.collapsed, width: liveWidth, fullWidth: prefs.fullWidth === true });
  }, [hidden, prefs.collapsed, liveWidth, prefs.fullWidth]);

  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    const target = prefs.collapsed
      ? collapsedRef.current
      : panelRef.current?.querySelector<HTMLElement>(`[data-testid="${TESTIDS.collapse}"]`);
    target?.focus();
  }, [prefs.collapsed]);

  const setCollapsed = (collapsed: boolean): void => {
    refocus.current = true;
    updatePrefs({ collapsed });
  };

  const columns = useMemo(() => COLUMNS.filter((c) => !prefs.hiddenColumns.includes(c.key)), [prefs.hiddenColumns]);

  const total = view.viewRows.length;
  const shown = view.shown;
  const hiddenSelected = useMemo(() => {
    if (state.selection.size === 0) return 0;
    const ids = new Set(shown.map((r) => r.id));
    let n = 0;
    for (const id of state.selection) if (!ids.has(id)) n++;
    return n;
  }, [shown, state.selection]);

  if (hidden) return null;

  if (prefs.collapsed) {
    return (
      <button
        type="button"
        class="collapsed-button"
        data-testid={TESTIDS.collapse}
        aria-expanded="false"
        aria-label={tn('app_showPanelLabel', total)}
        title={t('app_showPanel')}
        ref={collapsedRef}
        onClick={() => setCollapsed(false)}
      >
        <Icon name="chevronLeft" />
      </button>
    );
  }

  const setThreshold = (days: number): void => {
    store.setStaleAfterDays(days);
    updatePrefs({ staleAfterDays: store.state.staleAfterDays });
  };
  const resetThreshold = (): void => {
    store.setStaleAfterDays(props.settingsDays);
    const { staleAfterDays: _drop, ...rest } = prefs;
    setPrefs(rest);
    props.onPrefs(rest);
  };

  const ctx = { store, link, root: props.root };

  const onFullWidth = (on: boolean): void => updatePrefs({ fullWidth: on || undefined });
  /** The panel's frame (landmark, keyboard, resizer) around either view. */
  const frame = (children: ComponentChildren): JSX.Element => (
    // tabIndex -1: where focus goes back when what held it (a dialog's opener) was re-rendered away.
    <div class="panel" ref={attachPanel} tabIndex={-1} role="complementary" aria-label={t('app_label')} onKeyDown={(e) => onPanelKeyDown(e, panelRef.current)}>
      <Resizer
        width={liveWidth}
        onResize={setLiveWidth}
        onCommit={(w) => {
          setLiveWidth(w);
          updatePrefs({ width: w });
        }}
      />
      {children}
    </div>
  );

  if (overviewOpen) {
    return frame(
      <>
        <div class="section header-top">
          <Auth auth={state.auth} onSignIn={() => link.post({ type: 'sign-in' })} onSignOut={() => link.post({ type: 'sign-out' })} />
          <WindowButtons fullWidth={prefs.fullWidth === true} onFullWidth={onFullWidth} onCollapse={() => setCollapsed(true)} />
        </div>
        <OverviewView model={overview} link={link} root={props.root} now={now} onClose={overview.openedFromPackage ? () => overview.open(null) : undefined} />
      </>,
    );
  }
  const toolbar = props.toolbarItems ?? [];

  return frame(
    <>
      <LiveRegion state={state} />
      <SettingsNotice notice={props.settingsNotice ?? null} days={props.settingsDays} />
      <Header
        state={state}
        total={total}
        shown={shown.length}
        now={now}
        linkStatus={linkStatus}
        onSignIn={() => link.post({ type: 'sign-in' })}
        onSignOut={() => link.post({ type: 'sign-out' })}
        onRefresh={props.onRefresh}
        onCollapse={() => setCollapsed(true)}
        fullWidth={prefs.fullWidth === true}
        onFullWidth={onFullWidth}
      />
      <div class="section">
        <div class="toolbar">
          <input
            type="search"
            class="search"
            placeholder={t('app_searchPlaceholder')}
            aria-label={t('app_searchLabel')}
            data-testid={TESTIDS.search}
            value={state.filter.search}
            onInput={(e) => store.setSearch((e.currentTarget as HTMLInputElement).value)}
          />
          <ExportButtons
            shown={shown}
            all={view.allSorted}
            packageName={state.info?.displayName || state.packageId || ''}
            unfiltered={isEmptyFilter(state.filter)}
            blockedReason={exportBlockedReason(state)}
            missingPages={state.missing.length}
            incompleteColumns={incompleteCsvColumns({ rows: view.viewRows, enriching: state.enriching, signIn: state.signIn })}
            container={() => panelRef.current}
          />
          <ColumnChooser columns={COLUMNS} hidden={prefs.hiddenColumns} onChange={(h: ColumnKey[]) => updatePrefs({ hiddenColumns: h })} />
          <button type="button" data-testid={TESTIDS.filtersToggle} aria-expanded={filtersOpen} onClick={() => setFiltersOpen(!filtersOpen)}>
            <Icon name="filter" />
            {filtersOpen ? t('app_hideFilters') : t('app_showFilters')}
          </button>
          <span
            data-testid={TESTIDS.selectionCount}
            data-selected={String(state.selection.size)}
            data-hidden={String(hiddenSelected)}
            aria-live="polite"
          >
            {state.selection.size > 0
              ? tn('app_selected', state.selection.size) + (hiddenSelected > 0 ? ' ' + tn('app_selectedHidden', hiddenSelected) : '')
              : ''}
          </span>
          <div class="toolbar-slot" data-testid={TESTIDS.toolbarSlot}>
            {toolbar.map((Item, i) => (
              <Item key={i} {...ctx} />
            ))}
          </div>
        </div>
        {filtersOpen ? (
          <Facets facets={view.facets} counts={view.counts} filter={state.filter} onToggle={(f, v) => store.toggleFacetValue(f, v)} />
        ) : null}
      </div>
      {/* The filter line and the stale summary share one wrapping line: the table keeps the height. */}
      <div class="section filter-stale">
        <FilterBar
          filter={state.filter}
          facets={view.facets}
          onApply={(f: FilterState) => store.setFilter(f)}
          onClear={() => store.clearFilters()}
          onRemoveValue={(f, v) => store.toggleFacetValue(f, v)}
          onClearSearch={() => store.setSearch('')}
          writeClipboard={props.writeClipboard}
        />
        <StaleLine
          summary={view.stale}
          staleAfterDays={state.staleAfterDays}
          settingsDays={props.settingsDays}
          signIn={state.signIn}
          signInCachedAt={state.signInCachedAt}
          enriching={state.enriching}
          now={now}
          onThreshold={setThreshold}
          onResetThreshold={resetThreshold}
          onFilterReasons={(reasons) => store.setFacet('stale', reasons)}
        />
      </div>
      <Table
        rows={shown}
        columns={columns}
        selection={state.selection}
        sort={state.sort}
        onSort={(k) => store.cycleSort(k)}
        onToggle={(id) => store.toggleSelected(id)}
        onSetSelected={(ids, selected) => store.setSelected(ids, selected)}
        onSelectAll={(select) => (select ? store.selectAllShown() : store.setSelected(shown.map((r) => r.id), false))}
        emptyText={emptyText(state, total)}
      />
    </>,
  );
}
