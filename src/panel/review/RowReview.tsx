// In each rendered row while a review runs: the recommendation (with its reasons in words) and the decision
// control. The row's data-decision attribute is set through the table's row attributes (./index.ts).
import type { JSX } from 'preact';
import type { ViewRow } from '../../core/model';
import { t } from '../i18n';
import { useCurrentReviewModel } from './hooks';
import { ReviewDecision } from './ReviewDecision';
import { REVIEW_TESTIDS } from './testids';
import { reasonsText } from './words';

/** What the recommendation and the two decision buttons take in a row's first cell (the longest words, English). */
export const ROW_REVIEW_WIDTH = 190;

/** The first column's extra width while a review is open (the table's hook, see registerRowAddon). */
export function useRowReviewWidth(): number {
  return useCurrentReviewModel()?.active ? ROW_REVIEW_WIDTH : 0;
}

export function RowReview(props: { row: ViewRow }): JSX.Element | null {
  const model = useCurrentReviewModel();
  if (!model || !model.active) return null;
  const rec = model.recommendation(props.row);
  const days = model.review?.staleAfterDays ?? 90;
  const label = rec.recommendation === 'remove' ? t('review_rec_remove') : rec.recommendation === 'keep' ? t('review_rec_keep') : t('review_rec_none');
  return (
    <>
      <span
        class={`rv-rec ${rec.recommendation}`}
        data-testid={REVIEW_TESTIDS.reviewRecommendation}
        data-recommendation={rec.recommendation}
        title={t('review_rec_title', { recommendation: label, reasons: reasonsText(rec.reasons, days) })}
      >
        {label}
      </span>
      <ReviewDecision assignmentId={props.row.id} row={props.row} />
    </>
  );
}
