// The removal confirmation: how many, the first names, the filter that produced them, the admin's role, the
// typed count for large removals, and the removal as a script. Confirm sends once.
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Cloud } from '../../core/model';
import { graphRequestsForRemoval, powershellForRemoval } from '../../core/scripts';
import { t, tn } from '../i18n';
import { TESTIDS } from '../testids';
import { CopyButton, type WriteClipboard } from './Copy';
import { Dialog } from './Dialog';
import type { ActionsModel } from './model';
import { RoleNote } from './RoleNote';
import { canConfirmRemoval, NAMES_SHOWN, needsTypedCount, type RemovalPlan } from './status';

export interface RemoveDialogProps {
  model: ActionsModel;
  plan: RemovalPlan;
  /** The filter that produced the selection, in words. */
  filterText: string;
  cloud(): Promise<Cloud>;
  onClose(): void;
  /** The removal was sent (the toolbar clears those rows from the selection). */
  onSent?(plan: RemovalPlan): void;
  writeClipboard?: WriteClipboard;
}

export function RemoveDialog(props: RemoveDialogProps): JSX.Element {
  const { plan, model } = props;
  const n = plan.ids.length;
  const [typed, setTyped] = useState('');
  const [sent, setSent] = useState(false);
  /** Set by the first click, read by any click that arrives before the re-render disables the button. */
  const sentRef = useRef(false);
  const typedGate = needsTypedCount(n);
  const ok = canConfirmRemoval(n, typed) && !sent;

  const confirm = (): void => {
    if (!ok || sentRef.current) return;
    sentRef.current = true;
    setSent(true);
    if (model.remove(plan, props.filterText)) props.onSent?.(plan);
    props.onClose();
  };

  const names = plan.labels.slice(0, NAMES_SHOWN);
  return (
    <Dialog
      title={tn('actions_removeDialog_title', n)}
      onClose={props.onClose}
      testid={TESTIDS.removalDialog}
      data={{ 'data-count': String(n) }}
      // A destructive dialog starts on Cancel (or on the count to type), never on Remove.
      initialFocus={typedGate ? `[data-testid="${TESTIDS.confirmInput}"]` : '[data-cancel]'}
    >
      <p>
        {n === 0
          ? t('actions_removeDialog_none')
          : t('actions_removeDialog_how')}
      </p>
      {n > 0 ? (
        <ul>
          {names.map((name, i) => (
            <li key={i}>{name}</li>
          ))}
          {n > names.length ? <li class="act-note">{tn('actions_removeDialog_more', n - names.length)}</li> : null}
        </ul>
      ) : null}
      <p>
        <span class="act-note">{t('actions_removeDialog_selectedWith')}</span> {props.filterText}
      </p>
      {plan.hidden > 0 ? (
        <p class="act-warn">{tn('actions_removeDialog_hidden', plan.hidden)}</p>
      ) : null}
      {plan.skipped > 0 ? (
        <p class="act-warn">{tn('actions_removeDialog_skipped', plan.skipped)}</p>
      ) : null}
      <RoleNote roles={model.roles} unknown={t('actions_role_unknownRemove')} />
      {typedGate ? (
        <label>
          {/* The count to type is written without digit grouping: that is what the check compares. */}
          {t('actions_removeDialog_type', { count: String(n) })}
          <input
            type="text"
            inputMode="numeric"
            autoComplete="off"
            data-testid={TESTIDS.confirmInput}
            aria-label={t('actions_removeDialog_typeLabel', { count: String(n) })}
            value={typed}
            onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') confirm();
            }}
          />
        </label>
      ) : null}
      <div class="act-buttons">
        <CopyButton
          label={t('actions_copyPowershell')}
          testid={TESTIDS.copyPowershell}
          title={t('actions_removeDialog_powershellTitle')}
          writeClipboard={props.writeClipboard}
          text={async () => powershellForRemoval(plan.ids, await props.cloud())}
        />
        <CopyButton
          label={t('actions_copyGraph')}
          testid={TESTIDS.copyGraph}
          title={t('actions_removeDialog_graphTitle')}
          writeClipboard={props.writeClipboard}
          text={async () => graphRequestsForRemoval(plan.ids, await props.cloud())}
        />
      </div>
      <div class="act-buttons">
        <button type="button" data-cancel onClick={props.onClose}>
          {t('actions_cancel')}
        </button>
        <button type="button" class="danger" data-testid={TESTIDS.confirmRemove} disabled={!ok} onClick={confirm}>
          {tn('actions_remove', n)}
        </button>
      </div>
    </Dialog>
  );
}
