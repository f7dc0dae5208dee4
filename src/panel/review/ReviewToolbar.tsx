// Review mode's toolbar controls: start or resume, progress, decide for the selection (keep / remove with a
// justification / accept recommendations), the evidence files (CSV, JSON; import), apply (the existing
// removal confirmation and action queue) and finish. One review per package; it resumes by itself.
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { describeFilter, isEmptyFilter } from '../../core/filters';
import { nextTaskUnthrottled } from '../../core/tasks';
import type { Cloud, ViewRow } from '../../core/model';
import type { ActionEntry } from '../../messages';
import { reviewCsv, reviewFileName, type CurrentFacts } from '../../core/review/evidence';
import { readCloud } from '../actions/cloud';
import { Dialog } from '../actions/Dialog';
import { currentModel } from '../actions/model';
import { RemoveDialog } from '../actions/RemoveDialog';
import type { RemovalPlan } from '../actions/status';
import { planApply, rowsToApply } from './apply';
import { saveBlob } from '../export-csv';
import { useStore } from '../hooks';
import { formatCount, t, tn } from '../i18n';
import type { PanelContext } from '../toolbar';
import { useReviewModel } from './hooks';
import { afterPaint } from '../after-paint';
import { ReviewModel, setCurrentReviewModel, currentReviewModel } from './model';
import { adoptReviewStyles } from './styles';
import { REVIEW_TESTIDS as IDS } from './testids';
import { reasonsText } from './words';
import { localDate } from '../words';
import { LocalTime } from '../components/LocalTime';

type Open = { kind: 'finish' } | { kind: 'apply'; plan: RemovalPlan };

export function ReviewToolbar(props: PanelContext): JSX.Element | null {
  const { store, link, root } = props;
  // The panel started the model before opening the package (./index.ts); a toolbar rendered without it
  // (a test's) starts and ends its own.
  const [model, own] = useMemo((): [ReviewModel, boolean] => {
    const started = currentReviewModel();
    return started ? [started, false] : [new ReviewModel(store, link, { afterPaint }), true];
  }, [store, link]);
  useEffect(() => {
    if (!own) return undefined;
    model.start();
    setCurrentReviewModel(model);
    return () => {
      model.dispose();
      if (currentReviewModel() === model) setCurrentReviewModel(null);
    };
  }, [model, own]);
  useEffect(() => adoptReviewStyles(root), [root]);
  useReviewModel(model);
  const state = useStore(store);
  const view = store.view();
  const [scope, setScope] = useState<'all' | 'filter'>('all');
  const [open, setOpen] = useState<Open | null>(null);
  // How many removals Apply would send: counted after the paint, in a task of its own (on 50,000 remove
  // decisions the count is a pass over them, which a decision's click need not wait for).
  const [applyCount, setApplyCount] = useState<number | null>(null);
  // Recounted when decisions or action results change, not when a part of a decision is only stored.
  const decisions = model.decisionsKey;
  const actionsVersion = currentModel()?.version ?? -1;
  const countRows = view.viewRows;
  useEffect(() => {
    const timer = setTimeout(() => {
      const actions = currentModel();
      setApplyCount(model.active ? rowsToApply(model.removeIds(), (id) => model.rowById(id), (r) => actions?.resultFor(r)).length : 0);
    }, 0);
    return () => clearTimeout(timer);
  }, [model, decisions, actionsVersion, countRows]);
  const cloud = useMemo(() => {
    let p: Promise<Cloud> | null = null;
    return () => (p ??= readCloud());
  }, []);

  if (!state.packageId || !model.known) return null;
  const review = model.active ? model.review : null;
  const filtered = !isEmptyFilter(state.filter);
  const packageName = state.info?.displayName || state.packageId;
  const container = (): Node => root ?? document.body;
  const listReady = state.complete && !state.loading;
  const selected = state.selection.size;
  const locked = !!review?.appliedAt;

  const notice = model.notice ? (
    <span class="rv-error" role="alert" data-testid={IDS.reviewMessage}>
      {t(model.notice.key, model.notice.subs)}
    </span>
  ) : null;
  const changes = model.diff ? <ChangesLine model={model} onFilter={(v) => store.setFacet('change', [v])} /> : null;

  if (!review) {
    const n = scope === 'filter' && filtered ? view.shown.length : view.viewRows.length;
    return (
      <span class="rv-bar">
        {filtered ? (
          <select
            data-testid={IDS.reviewScope}
            aria-label={t('review_scope_label')}
            value={scope}
            onChange={(e) => setScope((e.currentTarget as HTMLSelectElement).value === 'filter' ? 'filter' : 'all')}
          >
            <option value="all">{tn('review_scope_all', view.viewRows.length)}</option>
            <option value="filter">{tn('review_scope_filter', view.shown.length)}</option>
          </select>
        ) : null}
        <button
          type="button"
          data-testid={IDS.reviewStart}
          disabled={!listReady}
          title={listReady ? t('review_start_title') : t('review_wait_for_list')}
          onClick={() => model.startReview(scope === 'filter' && filtered ? 'filter' : 'all', describeFilter(state.filter, view.facets))}
        >
          {tn('review_start', n)}
        </button>
        <ImportButton model={model} />
        {changes}
        {notice}
      </span>
    );
  }

  const progress = model.progress()!;
  const selectedRows = (): ReturnType<typeof store.selectedRows> => store.selectedRows();
  const actions = currentModel();
  const resultFor = (r: ViewRow): ActionEntry | null | undefined => actions?.resultFor(r);
  const applyPlan = (): RemovalPlan => planApply(model.removeIds(), (id) => model.rowById(id), new Set(view.shown.map((r) => r.id)), resultFor);
  const toApply = applyCount ?? 0;
  const save = model.save;

  const exportCsv = async (): Promise<void> => {
    await nextTaskUnthrottled();
    // Every decision made here is in the file, with the facts it was made on.
    await model.settled();
    model.decisionRecords();
    const byId = new Map(view.viewRows.map((r) => [r.id, r]));
    const current = (id: string): CurrentFacts | undefined => {
      const r = byId.get(id);
      if (!r) return undefined;
      const rec = model.recommendation(r);
      return { displayName: r.displayName, principalName: r.principalName, state: r.state, staleReasons: r.staleReasons, recommendation: rec.recommendation, recommendationReasons: rec.reasons };
    };
    const csv = reviewCsv(review, current);
    saveBlob(container(), new Blob([csv], { type: 'text/csv;charset=utf-8' }), reviewFileName(packageName, new Date()));
  };
  const exportJson = async (): Promise<void> => {
    const text = await model.exportJson();
    saveBlob(container(), new Blob([text], { type: 'application/json' }), reviewFileName(packageName, new Date(), 'json'));
  };

  return (
    <span class="rv-bar">
      <button type="button" data-testid={IDS.reviewStart} title={t('review_resume_title', { start: review.startedAt, reviewer: review.reviewer || '—' })} onClick={() => undefined}>
        {t('review_resume')}
      </button>
      <span
        class="rv-progress"
        data-testid={IDS.reviewProgress}
        data-total={String(progress.total)}
        data-decided={String(progress.decided)}
        data-keep={String(progress.keep)}
        data-remove={String(progress.remove)}
        data-added={String(progress.added.length)}
        data-disappeared={String(progress.disappeared.length)}
        data-applied={review.appliedAt ? 'true' : 'false'}
        aria-live="polite"
      >
        <progress max={Math.max(1, progress.total)} value={progress.decided} aria-label={t('review_progress_label')} />
        {t('review_progress', { decided: formatCount(progress.decided), total: formatCount(progress.total), keep: formatCount(progress.keep), remove: formatCount(progress.remove) })}
        {review.scope.kind === 'filter' ? <span class="rv-note">{t('review_scope_was', { filter: review.scope.filter })}</span> : null}
        {progress.added.length > 0 ? <span class="rv-note">{tn('review_added_since', progress.added.length)}</span> : null}
        {progress.disappeared.length > 0 ? (
          <details data-testid={IDS.reviewDisappeared}>
            <summary>{tn('review_disappeared', progress.disappeared.length)}</summary>
            <ul class="rv-list">
              {progress.disappeared.slice(0, 200).map((d) => (
                <li key={d.row.id}>
                  {t('review_disappeared_item', { name: d.row.displayName || d.row.principalName || d.row.id, decision: d.decision ? t(`review_decision_${d.decision}`) : t('review_decision_none') })}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </span>
      <span class={`rv-save ${save.state}`} data-testid={IDS.reviewSave} data-state={save.state} title={save.state === 'failed' ? save.error : undefined}>
        {save.state === 'saved' ? t('review_saved') : save.state === 'saving' ? t('review_saving') : t('review_not_saved', { error: save.error })}
      </span>
      <button type="button" data-testid={IDS.decideKeep} disabled={selected === 0 || locked} onClick={() => {
          model.request(selectedRows(), 'keep');
          store.clearSelection();
        }}>
        {tn('review_decide_keep', selected)}
      </button>
      <button type="button" data-testid={IDS.decideRemove} disabled={selected === 0 || locked} onClick={() => model.request(selectedRows(), 'remove', true)}>
        {tn('review_decide_remove', selected)}
      </button>
      <button
        type="button"
        data-testid={IDS.reviewAccept}
        disabled={selected === 0 || locked}
        title={t('review_accept_title')}
        onClick={() => {
          model.acceptRecommendations(selectedRows(), (reasons) => t('review_accept_justification', { reasons: reasonsText(reasons, review.staleAfterDays) }));
          store.clearSelection();
        }}
      >
        {t('review_accept')}
      </button>
      <button type="button" data-testid={IDS.exportReview} onClick={() => void exportCsv()}>
        {t('review_export_csv')}
      </button>
      <button type="button" data-testid={IDS.reviewExportJson} onClick={() => void exportJson()}>
        {t('review_export_json')}
      </button>
      <ImportButton model={model} />
      <button
        type="button"
        class="danger"
        data-testid={IDS.applyReview}
        disabled={toApply === 0 || !actions}
        title={toApply === 0 ? t('review_apply_nothing') : t('review_apply_title')}
        onClick={() => setOpen({ kind: 'apply', plan: applyPlan() })}
      >
        {tn('review_apply', toApply)}
      </button>
      <button type="button" data-testid={IDS.reviewFinish} onClick={() => setOpen({ kind: 'finish' })}>
        {t('review_finish')}
      </button>
      {changes}
      {notice}
      {model.justifying ? <JustifyDialog
          count={model.justifying.rows.length}
          onDone={(text) => {
            // A decision on the selection clears it, ready for the next group.
            if (text !== null && model.justifying?.fromSelection) store.clearSelection();
            model.justify(text);
          }}
        /> : null}
      {open?.kind === 'finish' ? (
        <Dialog title={t('review_finish_title')} onClose={() => setOpen(null)} testid="review-finish-dialog" initialFocus="[data-cancel]">
          <p>{t('review_finish_text', { decided: formatCount(progress.decided), total: formatCount(progress.total) })}</p>
          <div class="act-buttons">
            <button type="button" data-cancel onClick={() => setOpen(null)}>
              {t('review_cancel')}
            </button>
            <button
              type="button"
              data-testid={IDS.reviewFinishConfirm}
              onClick={() => {
                model.finish();
                setOpen(null);
              }}
            >
              {t('review_finish_confirm')}
            </button>
          </div>
        </Dialog>
      ) : null}
      {open?.kind === 'apply' && actions ? (
        <RemoveDialog
          model={actions}
          plan={open.plan}
          filterText={t('review_apply_filter', { start: review.startedAt, reviewer: review.reviewer || '—' })}
          cloud={cloud}
          onClose={() => setOpen(null)}
          onSent={(plan) => {
            store.setSelected(plan.ids, false);
            model.markApplied();
          }}
        />
      ) : null}
    </span>
  );
}

/** Import a review exported as JSON (to continue it here); the worker checks the file. */
function ImportButton(props: { model: ReviewModel }): JSX.Element {
  const fileRef = useRef<HTMLInputElement>(null);
  const onFile = async (e: Event): Promise<void> => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) props.model.importText(await file.text());
  };
  return (
    <>
      <button type="button" data-testid={IDS.reviewImport} onClick={() => fileRef.current?.click()}>
        {t('review_import')}
      </button>
      <input ref={fileRef} type="file" accept=".json,application/json" hidden data-testid={IDS.reviewImportFile} onChange={(e) => void onFile(e)} />
    </>
  );
}

function JustifyDialog(props: { count: number; onDone(text: string | null): void }): JSX.Element {
  const [text, setText] = useState('');
  const ok = text.trim() !== '';
  return (
    <Dialog title={tn('review_justify_title', props.count)} onClose={() => props.onDone(null)} testid={IDS.decisionDialog}>
      <div class="rv-dialog">
        <label>
          {t('review_justify_label')}
          <textarea
            data-testid={IDS.decisionJustification}
            maxLength={2000}
            value={text}
            onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </label>
      </div>
      <div class="act-buttons">
        <button type="button" data-cancel onClick={() => props.onDone(null)}>
          {t('review_cancel')}
        </button>
        <button type="button" class="danger" data-testid={IDS.confirmDecision} disabled={!ok} onClick={() => ok && props.onDone(text)}>
          {tn('review_justify_confirm', props.count)}
        </button>
      </div>
    </Dialog>
  );
}

function ChangesLine(props: { model: ReviewModel; onFilter(value: string): void }): JSX.Element | null {
  const { diff, baseline } = props.model;
  if (!diff || !baseline) return null;
  return (
    <span
      class="rv-note"
      data-testid={IDS.reviewChanges}
      data-added={String(diff.added.length)}
      data-removed={String(diff.removed.length)}
      data-newly-stale={String(diff.newlyStale.length)}
      data-newly-expiring={String(diff.newlyExpiring.length)}
      data-since={baseline.at}
      data-kind={baseline.kind}
    >
      <LocalTime iso={baseline.at}>
        {t(baseline.kind === 'review' ? 'review_changes_since_review' : 'review_changes_since_visit', { at: localDate(baseline.at) })}
      </LocalTime>{' '}
      <button type="button" class="act-mini" disabled={diff.added.length === 0} onClick={() => props.onFilter('added')}>
        {tn('review_changes_added', diff.added.length)}
      </button>
      <button type="button" class="act-mini" disabled={diff.newlyStale.length === 0} onClick={() => props.onFilter('newly-stale')}>
        {tn('review_changes_newly_stale', diff.newlyStale.length)}
      </button>
      <button type="button" class="act-mini" disabled={diff.newlyExpiring.length === 0} onClick={() => props.onFilter('newly-expiring')}>
        {tn('review_changes_newly_expiring', diff.newlyExpiring.length)}
      </button>
      {diff.removed.length > 0 ? (
        <details>
          <summary>{tn('review_changes_removed', diff.removed.length)}</summary>
          <ul class="rv-list">
            {diff.removed.slice(0, 200).map((r) => (
              <li key={r.id}>{r.label}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </span>
  );
}
