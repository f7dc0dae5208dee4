// Preact hooks over the review model.
import { useSlotModel, useSubscription } from '../model-slot';
import { reviewSlot, type ReviewModel } from './model';

/** Re-renders whenever the model changes. */
export const useReviewModel: (model: ReviewModel | null) => void = useSubscription;

/** The panel's review model, for components the panel context does not reach (rows, the details view). */
export function useCurrentReviewModel(): ReviewModel | null {
  return useSlotModel(reviewSlot);
}
