// The details feature in the toolbar slot: Reprocess / Extend for the selection, their confirmations, and
// the details view itself (drawn over the table, which stays mounted underneath). DetailsPane, the view with
// its confirmations, also serves the overview's rows (overview/OverviewDetails.tsx).
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { endOfDayUtc, extendRefusal, type ReprocessDecision } from '../../core/assignment-requests';
import type { Cloud } from '../../core/model';
import { readCloud } from '../actions/cloud';
import type { WriteClipboard } from '../actions/Copy';
import { Dialog } from '../actions/Dialog';
import { useNow, useStore } from '../hooks';
import { t, tn } from '../i18n';
import type { PanelContext } from '../toolbar';
import { DetailsView, type DetailsViewProps } from './DetailsView';
import { DetailsModel, storeSource, type OpenDetails, type Plan } from './model';
import { setDetailsOpener } from './open';
import { detailsSections } from './sections';
import { adoptDetailsStyles } from './styles';
import { DETAILS_TESTIDS as IDS } from './testids';

export interface DetailsFeatureProps extends PanelContext {
  writeClipboard?: WriteClipboard;
  newId?: () => string;
  clock?: () => number;
}

export function useModel(model: DetailsModel): void {
  const [, setTick] = useState(0);
  useEffect(() => model.subscribe(() => setTick((n) => n + 1)), [model]);
}

/** The cloud of the settings, read once when a copy-as command first needs it. */
export function useCloud(): () => Promise<Cloud> {
  return useMemo(() => {
    let p: Promise<Cloud> | null = null;
    return () => (p ??= readCloud());
  }, []);
}

function skipText(d: Extract<ReprocessDecision, { action: 'skip' }>): string {
  switch (d.reason) {
    case 'not-found':
      return t('details_plan_not_found');
    case 'expired':
      return t('details_plan_expired');
    case 'in-progress':
      return t('details_plan_in_progress');
    case 'failed-no-request':
      return t('details_plan_failed_no_request', { state: d.state });
    case 'request-too-old':
      return t('details_plan_too_old', { days: d.ageDays ?? '?' });
    default:
      return t('details_plan_unknown_state', { state: d.state });
  }
}

function ReprocessDialog(props: { plan: Extract<Plan, { kind: 'reprocess' }>; label(id: string): string; onConfirm(): void; onClose(): void }): JSX.Element {
  const { plan } = props;
  const decisions = plan.decisions;
  const applies = decisions?.filter((d) => d.action !== 'skip').length ?? 0;
  return (
    <Dialog title={t('details_reprocess_title', { count: plan.ids.length })} onClose={props.onClose} testid="reprocess-dialog">
      {plan.error ? <p class="details-note">{t('details_plan_error', { message: plan.error })}</p> : null}
      {!decisions && !plan.error ? <p class="details-note">{t('details_plan_loading')}</p> : null}
      {decisions ? (
        <>
          <p>{t('details_reprocess_summary', { applies, skipped: decisions.length - applies })}</p>
          <ul class="details-plan">
            {decisions.slice(0, 200).map((d) => (
              <li key={d.assignmentId} data-testid={IDS.reprocessPlan} data-assignment-id={d.assignmentId} data-action={d.action}>
                {props.label(d.assignmentId)}
                {': '}
                {d.action === 'assignment'
                  ? t('details_plan_assignment')
                  : d.action === 'request'
                    ? t('details_plan_request', { id: d.requestId, state: d.requestState })
                    : t('details_plan_skip', { reason: skipText(d) })}
              </li>
            ))}
          </ul>
          {decisions.length > 200 ? <p class="details-note">{t('details_plan_more', { count: decisions.length - 200 })}</p> : null}
        </>
      ) : null}
      <div class="act-buttons">
        <button type="button" data-testid={IDS.confirmReprocess} disabled={!decisions || applies === 0} onClick={props.onConfirm}>
          {tn('details_confirm_reprocess', applies)}
        </button>
        <button type="button" onClick={props.onClose}>
          {t('details_cancel')}
        </button>
      </div>
    </Dialog>
  );
}

function ExtendDialog(props: { plan: Extract<Plan, { kind: 'extend' }>; now: number; onConfirm(end: string): void; onClose(): void }): JSX.Element {
  const { plan, now } = props;
  const [date, setDate] = useState('');
  const end = endOfDayUtc(date);
  const limits = new Map(plan.limits.map((l) => [l.policyId, l]));
  const refusals = plan.states
    ? plan.ids.map((id) => {
        const st = plan.states![id];
        return st ? extendRefusal(end, limits.get(st.policyId)?.maxEnd, st.state, now) : 'not-active';
      })
    : [];
  const ok = refusals.filter((r) => r === null).length;
  const pastMax = refusals.filter((r) => r === 'past-policy-max').length;
  const notActive = refusals.filter((r) => r === 'not-active').length;
  return (
    <Dialog title={t('details_extend_title', { count: plan.ids.length })} onClose={props.onClose} testid="extend-dialog" initialFocus={`[data-testid="${IDS.extendDate}"]`}>
      {plan.error ? <p class="details-note">{t('details_plan_error', { message: plan.error })}</p> : null}
      {!plan.states && !plan.error ? <p class="details-note">{t('details_plan_loading')}</p> : null}
      <ul class="details-plan" data-testid={IDS.extendPlan}>
        {plan.limits.map((l) => (
          <li key={l.policyId}>
            {l.policyName || l.policyId}
            {': '}
            {l.error
              ? t('details_limit_unknown', { message: l.error })
              : l.maxEnd === undefined
                ? t('details_limit_unknown', { message: '' })
                : l.maxEnd === null
                  ? t('details_policy_no_max')
                  : t('details_policy_max', { max: `${l.maxEnd.slice(0, 10)}` })}
          </li>
        ))}
      </ul>
      <label>
        {t('details_extend_date')}{' '}
        <input type="date" data-testid={IDS.extendDate} value={date} onInput={(e) => setDate((e.currentTarget as HTMLInputElement).value)} />
      </label>
      {date && !end ? <p class="details-note">{t('details_extend_bad_date')}</p> : null}
      {end ? (
        <p aria-live="polite">
          {t('details_extend_summary', { ok, end })}
          {pastMax ? ` ${t('details_extend_refused_max', { count: pastMax })}` : ''}
          {notActive ? ` ${t('details_extend_refused_state', { count: notActive })}` : ''}
          {refusals.some((r) => r === 'in-past') ? ` ${t('details_extend_refused_past')}` : ''}
        </p>
      ) : null}
      <div class="act-buttons">
        <button type="button" data-testid={IDS.confirmExtend} disabled={!end || !plan.states || ok === 0} onClick={() => end && props.onConfirm(end)}>
          {tn('details_confirm_extend', ok)}
        </button>
        <button type="button" onClick={props.onClose}>
          {t('details_cancel')}
        </button>
      </div>
    </Dialog>
  );
}

/** The confirmation open over the details view (or over the table, for a selection). */
export type Confirm = { kind: 'reprocess' | 'extend'; ids: string[] } | { kind: 'remove'; id: string } | null;

/** Asks the worker for the plan of a reprocess or extend and opens its confirmation. */
export function startPlan(model: DetailsModel, setConfirm: (c: Confirm) => void, kind: 'reprocess' | 'extend', ids: string[]): void {
  model.requestPlan(kind, ids);
  setConfirm({ kind, ids });
}

/** What the pane hands the view as it is: the open assignment's package and catalog in words, and the context. */
type PassedToView = 'packageName' | 'catalogName' | 'catalogId' | 'staleAfterDays' | 'signIn' | 'now' | 'cloud' | 'writeClipboard';

export interface DetailsPaneProps extends Pick<DetailsViewProps, PassedToView> {
  model: DetailsModel;
  confirm: Confirm;
  setConfirm(c: Confirm): void;
  /** Gives focus to what the view covered (the table) as it closes: focus is never lost. */
  focusBehind(): void;
  extra?: (open: OpenDetails) => ComponentChildren;
  /** A batch was handed to the action queue from this pane (its per-row answers arrive as action events). */
  onSent?(batchId: string, kind: 'remove' | 'reprocess' | 'extend'): void;
}

/** The details view with its confirmations: the same over a package's table and over the overview's. */
export function DetailsPane(props: DetailsPaneProps): JSX.Element {
  const { model, confirm, setConfirm, now } = props;
  const open = model.open;
  const label = (id: string): string => {
    const r = model.rowOf(id);
    return r ? r.displayName || r.principalName || r.email || id : id;
  };
  const closeConfirm = (): void => {
    setConfirm(null);
    model.clearPlan();
  };
  const portalHost = typeof location !== 'undefined' && location.hostname ? location.hostname : 'entra.microsoft.com';

  return (
    <>
      {open ? (
        <DetailsView
          open={open}
          packageId={open.packageId}
          packageName={props.packageName}
          catalogName={props.catalogName}
          catalogId={props.catalogId}
          staleAfterDays={props.staleAfterDays}
          signIn={props.signIn}
          now={now}
          portalHost={portalHost}
          cloud={props.cloud}
          hasPrevious={model.neighbour(-1) !== null}
          hasNext={model.neighbour(1) !== null}
          onClose={() => {
            props.focusBehind();
            model.close();
          }}
          onMove={(d) => model.move(d)}
          onRemove={() => setConfirm({ kind: 'remove', id: open.assignmentId })}
          onReprocess={() => startPlan(model, setConfirm, 'reprocess', [open.assignmentId])}
          onExtend={() => startPlan(model, setConfirm, 'extend', [open.assignmentId])}
          writeClipboard={props.writeClipboard}
          extra={props.extra?.(open)}
        />
      ) : null}
      {confirm?.kind === 'reprocess' && model.plan?.kind === 'reprocess' ? (
        <ReprocessDialog
          plan={model.plan}
          label={label}
          onClose={closeConfirm}
          onConfirm={() => {
            const batchId = model.sendReprocess(confirm.ids);
            if (batchId) props.onSent?.(batchId, 'reprocess');
            closeConfirm();
          }}
        />
      ) : null}
      {confirm?.kind === 'extend' && model.plan?.kind === 'extend' ? (
        <ExtendDialog
          plan={model.plan}
          now={now}
          onClose={closeConfirm}
          onConfirm={(end) => {
            const batchId = model.sendExtend(confirm.ids, end);
            if (batchId) props.onSent?.(batchId, 'extend');
            closeConfirm();
          }}
        />
      ) : null}
      {confirm?.kind === 'remove' ? (
        <Dialog title={t('details_remove_title', { name: label(confirm.id) })} onClose={() => setConfirm(null)} testid="details-remove-dialog">
          <p>{t('details_remove_text')}</p>
          <div class="act-buttons">
            <button
              type="button"
              class="danger"
              data-testid={IDS.confirmDetailsRemove}
              onClick={() => {
                const batchId = model.sendRemove(confirm.id, t('details_remove_filter'));
                if (batchId) props.onSent?.(batchId, 'remove');
                setConfirm(null);
              }}
            >
              {t('details_remove_confirm')}
            </button>
            <button type="button" onClick={() => setConfirm(null)}>
              {t('details_cancel')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}

export function DetailsFeature(props: DetailsFeatureProps): JSX.Element {
  const { store, link, root } = props;
  const model = useMemo(() => new DetailsModel(storeSource(store), link, props.newId), [store, link]);
  const [confirm, setConfirm] = useState<Confirm>(null);
  useEffect(() => {
    model.start();
    const off = setDetailsOpener((id) => model.show(id));
    return () => {
      off();
      model.dispose();
    };
  }, [model]);
  useEffect(() => adoptDetailsStyles(root), [root]);
  useModel(model);
  const state = useStore(store);
  const now = useNow(60_000, props.clock);
  const cloud = useCloud();
  const selected = state.selection.size;
  const selectedIds = (): string[] => store.selectedRows().map((r) => r.id);

  return (
    <>
      {/* Selection-bound buttons appear only when rows are selected, and say what they would do. */}
      {selected > 0 ? (
        <>
          <button type="button" data-testid={IDS.reprocessSelected} onClick={() => startPlan(model, setConfirm, 'reprocess', selectedIds())} title={t('details_reprocess_selected_title')}>
            {tn('details_reprocess_selected', selected)}
          </button>
          <button type="button" data-testid={IDS.extendSelected} onClick={() => startPlan(model, setConfirm, 'extend', selectedIds())} title={t('details_extend_selected_title')}>
            {tn('details_extend_selected', selected)}
          </button>
        </>
      ) : null}
      <DetailsPane
        model={model}
        confirm={confirm}
        setConfirm={setConfirm}
        packageName={state.info?.displayName || state.packageId || ''}
        catalogName={state.info?.catalogName ?? ''}
        catalogId={state.info?.catalogId ?? null}
        staleAfterDays={state.staleAfterDays}
        signIn={state.signIn}
        now={now}
        cloud={cloud}
        writeClipboard={props.writeClipboard}
        focusBehind={() => root?.querySelector<HTMLElement>('[data-testid="table"]')?.focus()}
        extra={(open) => detailsSections().map((Section, i) => <Section key={i} assignmentId={open.assignmentId} row={open.row} />)}
      />
    </>
  );
}
