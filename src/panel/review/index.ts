// Review mode: registers its toolbar controls, its per-row recommendation and decision control, and the rows'
// data-decision attribute. Imported once by src/panel/index.tsx. ReviewDecision is exported for the
// assignment details view.
import { registerRowAddon, registerRowAttributes, registerToolbarItem } from '../toolbar';
import { currentReviewModel } from './model';
import { ReviewToolbar } from './ReviewToolbar';
import { RowReview } from './RowReview';

export { ReviewDecision } from './ReviewDecision';

registerToolbarItem(ReviewToolbar);
registerRowAddon(RowReview);
registerRowAttributes((row) => {
  const model = currentReviewModel();
  if (!model || !model.active) return null;
  return { 'data-decision': model.decisionOf(row.id) ?? 'none' };
});
