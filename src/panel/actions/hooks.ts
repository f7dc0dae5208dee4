// Preact hooks over the actions model.
import { useSlotModel, useSubscription } from '../model-slot';
import { actionsSlot, type ActionsModel } from './model';

/** Re-renders whenever the model changes. */
export const useModel: (model: ActionsModel | null) => void = useSubscription;

/** The panel's model, for components the panel context does not reach (row addons). */
export function useCurrentModel(): ActionsModel | null {
  return useSlotModel(actionsSlot);
}
