// Review mode: registers its toolbar controls, its per-row recommendation and decision control, and the rows'
// data-decision attribute. Imported once by src/panel/index.tsx. ReviewDecision is exported for the
// assignment details view.
import { registerPanelStart, registerRowAddon, registerRowAttributes, registerToolbarItem } from '../toolbar';
import { afterPaint } from '../after-paint';
import { currentReviewModel, ReviewModel, setCurrentReviewModel } from './model';
import { ReviewToolbar } from './ReviewToolbar';
import { RowReview, useRowReviewWidth } from './RowReview';

export { ReviewDecision } from './ReviewDecision';

// The model asks for the package's open review as the package opens, before the list is asked for: the
// worker answers in that order, so the rows paint with their decisions (a resume shows them at once).
registerPanelStart(({ store, link }) => {
  const model = new ReviewModel(store, link, { afterPaint });
  model.start();
  setCurrentReviewModel(model);
});
registerToolbarItem(ReviewToolbar);
registerRowAddon(RowReview, { useWidth: useRowReviewWidth });
registerRowAttributes((row) => {
  const model = currentReviewModel();
  if (!model || !model.active) return null;
  return { 'data-decision': model.decisionOf(row.id) ?? 'none' };
});
