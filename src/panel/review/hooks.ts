// Preact hooks over the review model.
import { useEffect, useState } from 'preact/hooks';
import { currentReviewModel, onCurrentReviewModel, type ReviewModel } from './model';

/** Re-renders whenever the model changes. */
export function useReviewModel(model: ReviewModel | null): void {
  const [, setTick] = useState(0);
  useEffect(() => (model ? model.subscribe(() => setTick((t) => t + 1)) : undefined), [model]);
}

/** The panel's review model, for components the panel context does not reach (rows, the details view). */
export function useCurrentReviewModel(): ReviewModel | null {
  const [model, setModel] = useState(currentReviewModel);
  useEffect(() => {
    setModel(currentReviewModel());
    return onCurrentReviewModel(() => setModel(currentReviewModel()));
  }, []);
  useReviewModel(model);
  return model;
}
