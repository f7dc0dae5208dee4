// The removal confirmation: how many, the first names, the filter that produced them, the admin's role, the
// typed count for large removals, and the removal as a script. Confirm sends once.
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Cloud } from '../../core/model';
import { graphRequestsForRemoval, powershellForRemoval } from '../../core/scripts';
import { plural } from '../format';
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
      title={`Remove ${plural(n, 'assignment')}?`}
      onClose={props.onClose}
      testid={TESTIDS.removalDialog}
      data={{ 'data-count': String(n) }}
      // A destructive dialog starts on Cancel (or on the count to type), never on Remove.
      initialFocus={typedGate ? `[data-testid="${TESTIDS.confirmInput}"]` : '[data-cancel]'}
    >
      <p>
        {n === 0
          ? 'None of the selected rows can be removed here.'
          : `Graph gets one removal request (adminRemove) per assignment. Removal is asynchronous: the list is refreshed until they are gone.`}
      </p>
      {n > 0 ? (
        <ul>
          {names.map((name, i) => (
            <li key={i}>{name}</li>
          ))}
          {n > names.length ? <li class="act-note">and {plural(n - names.length, 'more assignment')}</li> : null}
        </ul>
      ) : null}
      <p>
        <span class="act-note">Selected with: </span>
        {props.filterText}
      </p>
      {plan.hidden > 0 ? (
        <p class="act-warn">{plural(plan.hidden, 'selected assignment')} {plan.hidden === 1 ? 'is' : 'are'} not shown by the current filter and will be removed too.</p>
      ) : null}
      {plan.skipped > 0 ? (
        <p class="act-warn">
          {plural(plan.skipped, 'selected row')} without an assignment id from Graph {plan.skipped === 1 ? 'is' : 'are'} left out: {plan.skipped === 1 ? 'it' : 'they'} cannot be removed here.
        </p>
      ) : null}
      <RoleNote roles={model.roles} verb="remove assignments" />
      {typedGate ? (
        <label>
          Type {String(n)} to confirm:
          <input
            type="text"
            inputMode="numeric"
            autoComplete="off"
            data-testid={TESTIDS.confirmInput}
            aria-label={`Type ${n} to confirm the removal`}
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
          label="Copy as PowerShell"
          testid={TESTIDS.copyPowershell}
          title="Graph PowerShell sending the same removal requests"
          writeClipboard={props.writeClipboard}
          text={async () => powershellForRemoval(plan.ids, await props.cloud())}
        />
        <CopyButton
          label="Copy as Graph request"
          testid={TESTIDS.copyGraph}
          title="The raw Graph requests of this removal"
          writeClipboard={props.writeClipboard}
          text={async () => graphRequestsForRemoval(plan.ids, await props.cloud())}
        />
      </div>
      <div class="act-buttons">
        <button type="button" data-cancel onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" class="danger" data-testid={TESTIDS.confirmRemove} disabled={!ok} onClick={confirm}>
          Remove {plural(n, 'assignment')}
        </button>
      </div>
    </Dialog>
  );
}
