// Preact hooks over the actions model.
import { useEffect, useState } from 'preact/hooks';
import { currentModel, onCurrentModel, type ActionsModel } from './model';

/** Re-renders whenever the model changes. */
export function useModel(model: ActionsModel | null): void {
  const [, setTick] = useState(0);
  useEffect(() => (model ? model.subscribe(() => setTick((t) => t + 1)) : undefined), [model]);
}

/** The panel's model, for components the panel context does not reach (row addons). */
export function useCurrentModel(): ActionsModel | null {
  const [model, setModel] = useState(currentModel);
  useEffect(() => {
    setModel(currentModel());
    return onCurrentModel(() => setModel(currentModel()));
  }, []);
  useModel(model);
  return model;
}
