// Removal from the overview: the selected rows of any package, confirmed (the typed count from 25 rows, as on
// a package), then sent as one batch per package through the worker's action queue; action-status counts the
// answers of every row.
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { Dialog } from '../actions/Dialog';
import { canConfirmRemoval, needsTypedCount } from '../actions/status';
import { formatCount, t, tn } from '../i18n';
import type { OverviewModel } from './model';
import { Icon } from '../icons/Icon';

const STATUS_WORDS = { remove: 'overview_remove_status', reprocess: 'overview_reprocess_status', extend: 'overview_extend_status' } as const;

export function OverviewRemove(props: { model: OverviewModel; filterText: string }): JSX.Element {
  const { model } = props;
  const selected = model.view?.selected ?? 0;
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const sent = useRef(false);
  const status = model.removalStatus();
  const ok = canConfirmRemoval(selected, typed);

  const confirm = (): void => {
    if (!ok || sent.current) return;
    sent.current = true;
    model.remove(props.filterText);
    setOpen(false);
  };

  return (
    <>
      {/* Destructive and selection-bound: shown only when rows are selected (as on a package), saying what it does. */}
      {selected > 0 ? (
        <button
          type="button"
          class="danger"
          data-testid="remove-selected"
          onClick={() => {
            sent.current = false;
            setTyped('');
            setOpen(true);
          }}
        >
          <Icon name="delete" />
          {tn('overview_remove', selected)}
        </button>
      ) : null}
      {status ? (
        <span
          class="meta"
          role="status"
          data-testid="action-status"
          data-kind={model.removal?.kind}
          data-pending={String(status.pending)}
          data-failed={String(status.failed)}
          data-done={String(status.done)}
        >
          {t(STATUS_WORDS[model.removal?.kind ?? 'remove'], { pending: formatCount(status.pending), failed: formatCount(status.failed), done: formatCount(status.done) })}
        </span>
      ) : null}
      {open ? (
        <Dialog
          title={tn('overview_remove_title', selected)}
          onClose={() => setOpen(false)}
          testid="removal-dialog"
          data={{ 'data-count': String(selected) }}
          initialFocus={needsTypedCount(selected) ? '[data-testid="confirm-input"]' : '[data-cancel]'}
        >
          <p>{t('overview_remove_body')}</p>
          {props.filterText ? <p>{t('overview_remove_filter', { filter: props.filterText })}</p> : null}
          {needsTypedCount(selected) ? (
            <label>
              {t('overview_remove_type', { count: formatCount(selected) })}{' '}
              <input type="text" data-testid="confirm-input" value={typed} onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)} />
            </label>
          ) : null}
          <div class="act-buttons">
            <button type="button" data-cancel onClick={() => setOpen(false)}>
              {t('overview_cancel')}
            </button>
            <button type="button" class="danger" data-testid="confirm-remove" disabled={!ok} onClick={confirm}>
              {tn('overview_remove_confirm', selected)}
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
