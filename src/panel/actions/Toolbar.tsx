// The actions feature's toolbar controls: remove the selection, add users, the action log, copy the view as a
// script, delivery status of the rows in view, and the status of the latest batch (with "Retry failed").
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { describeFilter } from '../../core/filters';
import type { Cloud } from '../../core/model';
import { powershellForView } from '../../core/scripts';
import { useStore } from '../hooks';
import { formatCount, t, tn } from '../i18n';
import { TESTIDS } from '../testids';
import type { PanelContext } from '../toolbar';
import { ActionLog } from './ActionLog';
import { AddDialog } from './AddDialog';
import { readCloud } from './cloud';
import { CopyButton, type WriteClipboard } from './Copy';
import { useModel } from './hooks';
import { ActionsModel, currentModel, DELIVERY_STATES, setCurrentModel, type ModelTimers } from './model';
import { RemoveDialog } from './RemoveDialog';
import { deliveryText } from './RowInfo';
import { graphRequestForView, planRemoval, type RemovalPlan } from './status';
import { adoptActionStyles } from './styles';
import { Icon } from '../icons/Icon';

type Open = { kind: 'remove'; plan: RemovalPlan; filterText: string } | { kind: 'add' } | { kind: 'log' };

export interface ActionsToolbarProps extends PanelContext {
  writeClipboard?: WriteClipboard;
  timers?: ModelTimers;
  newId?: () => string;
}

export function ActionsToolbar(props: ActionsToolbarProps): JSX.Element {
  const { store, link, root } = props;
  const model = useMemo(() => new ActionsModel(store, link, { timers: props.timers, newId: props.newId }), [store, link]);
  useEffect(() => {
    model.start();
    setCurrentModel(model);
    return () => {
      model.dispose();
      if (currentModel() === model) setCurrentModel(null);
    };
  }, [model]);
  useEffect(() => adoptActionStyles(root), [root]);
  useModel(model);
  const state = useStore(store);
  const view = store.view();
  const [open, setOpen] = useState<Open | null>(null);
  const cloud = useMemo(() => {
    let p: Promise<Cloud> | null = null;
    return () => (p ??= readCloud());
  }, []);

  const counts = model.counts();
  const firstFailure = counts.failed > 0 ? model.entries.find((e) => e.batchId === counts.batchId && e.result === 'failed') : undefined;
  // A pending entry with a message has an unknown outcome (the worker stopped, or no answer came): nothing
  // re-sends it by itself, so the retry (which checks Graph before sending again) is offered for it too.
  const unresolved = counts.pending > 0 && model.entries.some((e) => e.batchId === counts.batchId && e.result === 'pending' && !!e.message);
  const selected = state.selection.size;
  // The count from the filter's facet counts; the ids on click.
  const deliveryCount = model.deliveringShown();
  const packageId = state.packageId ?? '';

  const openRemoval = (): void => {
    const shownIds = new Set(view.shown.map((r) => r.id));
    setOpen({ kind: 'remove', plan: planRemoval(store.selectedRows(), shownIds), filterText: describeFilter(state.filter, view.facets) });
  };
  const close = (): void => setOpen(null);

  return (
    <>
      {/* Destructive and selection-bound: shown only when rows are selected, saying what it would do. */}
      {selected > 0 ? (
        <button type="button" class="danger" data-testid={TESTIDS.removeSelected} title={t('actions_removeTitle')} onClick={openRemoval}>
          <Icon name="delete" />
          {tn('actions_remove', selected)}
        </button>
      ) : null}
      <button type="button" data-testid={TESTIDS.addUsers} disabled={!state.packageId} onClick={() => setOpen({ kind: 'add' })}>
        <Icon name="personAdd" />
        {t('actions_addUsers')}
      </button>
      <button type="button" data-testid={TESTIDS.actionLogOpen} onClick={() => setOpen({ kind: 'log' })}>
        {t('actions_log')}
      </button>
      <CopyButton
        label={t('actions_copyPowershell')}
        testid={TESTIDS.copyPowershell}
        title={t('actions_copyPowershellTitle')}
        writeClipboard={props.writeClipboard}
        text={async () => powershellForView(packageId, state.filter, await cloud())}
      />
      <CopyButton
        label={t('actions_copyGraph')}
        testid={TESTIDS.copyGraph}
        title={t('actions_copyGraphTitle')}
        writeClipboard={props.writeClipboard}
        text={async () => graphRequestForView(packageId, state.filter, await cloud(), view.facets)}
      />
      {deliveryCount > 0 ? (
        <button
          type="button"
          data-testid={TESTIDS.deliveryAll}
          title={t('actions_deliveryAllTitle')}
          onClick={() => model.requestDelivery(view.shown.filter((r) => DELIVERY_STATES.has(r.state)).map((r) => r.id))}
        >
          {t('actions_deliveryAll', { count: formatCount(deliveryCount) })}
        </button>
      ) : null}
      <span
        class="act-status"
        data-testid={TESTIDS.actionStatus}
        data-batch={counts.batchId ?? ''}
        data-pending={String(counts.pending)}
        data-failed={String(counts.failed)}
        data-done={String(counts.done)}
      >
        {counts.batchId
          ? [
              <span key="d">{t('actions_done', { count: counts.done })}</span>,
              <span key="f" class={counts.failed ? 'failed' : undefined}>
                {t('actions_failed', { count: counts.failed })}
              </span>,
              <span key="p">{t('actions_pending', { count: counts.pending })}</span>,
            ]
          : null}
        {(counts.failed > 0 || unresolved) && counts.batchId ? (
          <button type="button" data-testid={TESTIDS.retryActions} onClick={() => model.retry(counts.batchId!)}>
            {t('actions_retryFailed')}
          </button>
        ) : null}
        {firstFailure ? (
          <span class="act-message" data-testid={TESTIDS.actionMessage} title={firstFailure.message}>
            {firstFailure.label}: {firstFailure.message}
            {counts.failed > 1 ? ' ' + tn('actions_moreFailures', counts.failed - 1) : ''}
          </span>
        ) : null}
      </span>
      {/* Announced once per batch, when nothing is pending any more (not per result). */}
      <span class="visually-hidden" role="status" aria-live="polite">
        {counts.batchId && counts.pending === 0 ? t('announce_actionsDone', { done: counts.done, failed: counts.failed }) : ''}
      </span>
      <DeliveryList model={model} rows={view.viewRows} />
      {open?.kind === 'remove' ? (
        <RemoveDialog
          model={model}
          plan={open.plan}
          filterText={open.filterText}
          cloud={cloud}
          onClose={close}
          onSent={(plan) => store.setSelected(plan.ids, false)}
          writeClipboard={props.writeClipboard}
        />
      ) : null}
      {open?.kind === 'add' ? <AddDialog model={model} policies={state.policies} onClose={close} /> : null}
      {open?.kind === 'log' ? (
        <ActionLog model={model} packageName={state.info?.displayName || packageId} policies={state.policies} onClose={close} />
      ) : null}
    </>
  );
}

/** The delivery statuses asked for, by name, with the request's state, status and dates. */
function DeliveryList(props: { model: ActionsModel; rows: readonly { id: string; displayName: string; principalName: string }[] }): JSX.Element | null {
  const answered = [...props.model.delivery].filter(([, v]) => v.kind !== 'loading');
  if (answered.length === 0) return null;
  const names = new Map<string, string>();
  const wanted = new Set(answered.map(([id]) => id));
  for (const r of props.rows) if (wanted.has(r.id)) names.set(r.id, r.displayName || r.principalName || r.id);
  return (
    <details class="act-deliveries">
      <summary>{tn('actions_deliverySummary', answered.length)}</summary>
      <ul>
        {answered.map(([id, v]) => {
          const info = deliveryText(v);
          return (
            <li key={id}>
              {names.get(id) ?? id}: {info.title}
            </li>
          );
        })}
      </ul>
    </details>
  );
}
