// The decision control of one assignment: keep / remove / undecided, usable from a row and from the details
// view (<ReviewDecision assignmentId="..." />). Self-contained: it finds the panel's review model and the
// row itself; it renders nothing while no review runs or for an assignment not in the list.
import type { JSX } from 'preact';
import type { ViewRow } from '../../core/model';
import { t } from '../i18n';
import { useCurrentReviewModel } from './hooks';
import type { ReviewModel } from './model';
import { REVIEW_TESTIDS } from './testids';

export interface ReviewDecisionProps {
  assignmentId: string;
  /** The row when the caller has it (a table row); otherwise it is looked up in the list. */
  row?: ViewRow;
}

function findRow(model: ReviewModel, id: string): ViewRow | undefined {
  return model.rowById(id);
}

export function ReviewDecision(props: ReviewDecisionProps): JSX.Element | null {
  const model = useCurrentReviewModel();
  if (!model || !model.active) return null;
  const row = props.row ?? findRow(model, props.assignmentId);
  if (!row) return null;
  const decision = model.decisionOf(row.id);
  const locked = !!model.review?.appliedAt;
  const name = row.displayName || row.principalName || row.id;
  return (
    <span class="rv-decision" data-testid={REVIEW_TESTIDS.reviewDecision} data-assignment-id={row.id} data-decision={decision ?? 'none'}>
      <button
        type="button"
        tabIndex={-1}
        class="keep"
        aria-pressed={decision === 'keep'}
        disabled={locked}
        aria-label={t('review_keep_one', { name })}
        title={t('review_keep_one', { name })}
        onClick={() => model.request([row], decision === 'keep' ? null : 'keep')}
      >
        {t('review_keep_short')}
      </button>
      <button
        type="button"
        tabIndex={-1}
        class="remove"
        aria-pressed={decision === 'remove'}
        disabled={locked}
        aria-label={t('review_remove_one', { name })}
        title={t('review_remove_one', { name })}
        onClick={() => model.request([row], decision === 'remove' ? null : 'remove')}
      >
        {t('review_remove_short')}
      </button>
    </span>
  );
}
