// The details feature in the toolbar slot: Reprocess / Extend for the selection, their confirmations, and
// the details view itself (drawn over the table, which stays mounted underneath).
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { endOfDayUtc, extendRefusal, type ReprocessDecision } from '../../core/assignment-requests';
import type { Cloud } from '../../core/model';
import { readCloud } from '../actions/cloud';
import type { WriteClipboard } from '../actions/Copy';
import { Dialog } from '../actions/Dialog';
import { useNow, useStore } from '../hooks';
import { t, tn } from '../i18n';
import type { PanelContext } from '../toolbar';
import { DetailsView } from './DetailsView';
import { DetailsModel, type Plan } from './model';
import { setDetailsOpener } from './open';
import { detailsSections } from './sections';
import { adoptDetailsStyles } from './styles';
import { DETAILS_TESTIDS as IDS } from './testids';

export interface DetailsFeatureProps extends PanelContext {
  writeClipboard?: WriteClipboard;
  newId?: () => string;
  clock?: () => number;
}

type Confirm = { kind: 'reprocess' | 'extend'; ids: string[] } | { kind: 'remove'; id: string } | null;

function useModel(model: DetailsModel): void {
  const [, setTick] = useState(0);
  useEffect(() => model.subscribe(() => setTick((n) => n + 1)), [model]);
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

export function DetailsFeature(props: DetailsFeatureProps): JSX.Element {
  const { store, link, root } = props;
  const model = useMemo(() => new DetailsModel(store, link, props.newId), [store, link]);
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
  const cloud = useMemo(() => {
    let p: Promise<Cloud> | null = null;
    return () => (p ??= readCloud());
  }, []);
  const selected = state.selection.size;
  const open = model.open;
  const label = (id: string): string => {
    const r = model.rowOf(id);
    return r ? r.displayName || r.principalName || r.email || id : id;
  };

  const startPlan = (kind: 'reprocess' | 'extend', ids: string[]): void => {
    model.requestPlan(kind, ids);
    setConfirm({ kind, ids });
  };
  const closeConfirm = (): void => {
    setConfirm(null);
    model.clearPlan();
  };
  const selectedIds = (): string[] => store.selectedRows().map((r) => r.id);
  const portalHost = typeof location !== 'undefined' && location.hostname ? location.hostname : 'entra.microsoft.com';

  return (
    <>
      {/* Selection-bound buttons appear only when rows are selected, and say what they would do. */}
      {selected > 0 ? (
        <>
          <button type="button" data-testid={IDS.reprocessSelected} onClick={() => startPlan('reprocess', selectedIds())} title={t('details_reprocess_selected_title')}>
            {tn('details_reprocess_selected', selected)}
          </button>
          <button type="button" data-testid={IDS.extendSelected} onClick={() => startPlan('extend', selectedIds())} title={t('details_extend_selected_title')}>
            {tn('details_extend_selected', selected)}
          </button>
        </>
      ) : null}
      {open && state.packageId ? (
        <DetailsView
          open={open}
          packageId={state.packageId}
          packageName={state.info?.displayName || state.packageId}
          catalogName={state.info?.catalogName ?? ''}
          catalogId={state.info?.catalogId ?? null}
          staleAfterDays={state.staleAfterDays}
          signIn={state.signIn}
          now={now}
          portalHost={portalHost}
          cloud={cloud}
          hasPrevious={model.neighbour(-1) !== null}
          hasNext={model.neighbour(1) !== null}
          onClose={() => {
            // Focus is never lost: once the view is gone it goes back to the table (its active row).
            root?.querySelector<HTMLElement>('[data-testid="table"]')?.focus();
            model.close();
          }}
          onMove={(d) => model.move(d)}
          onRemove={() => setConfirm({ kind: 'remove', id: open.assignmentId })}
          onReprocess={() => startPlan('reprocess', [open.assignmentId])}
          onExtend={() => startPlan('extend', [open.assignmentId])}
          writeClipboard={props.writeClipboard}
          extra={detailsSections().map((Section, i) => <Section key={i} assignmentId={open.assignmentId} row={open.row} />)}
        />
      ) : null}
      {confirm?.kind === 'reprocess' && model.plan?.kind === 'reprocess' ? (
        <ReprocessDialog
          plan={model.plan}
          label={label}
          onClose={closeConfirm}
          onConfirm={() => {
            model.sendReprocess(confirm.ids);
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
            model.sendExtend(confirm.ids, end);
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
                model.sendRemove(confirm.id, t('details_remove_filter'));
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
