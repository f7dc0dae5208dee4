// One panel per page: a feature's toolbar item creates its model, and components the panel context does not
// reach (row addons, row attributes, the details view) read it from the feature's slot. The hooks re-render a
// component whenever the model in the slot, or the model itself, changes.
import { useEffect, useState } from 'preact/hooks';

export interface Subscribable {
  subscribe(cb: () => void): () => void;
}

export interface ModelSlot<M> {
  set(m: M | null): void;
  get(): M | null;
  /** Called whenever another model is put in the slot; returns the unsubscriber. */
  on(cb: () => void): () => void;
}

export function createModelSlot<M>(): ModelSlot<M> {
  let current: M | null = null;
  const subs = new Set<() => void>();
  return {
    set(m) {
      current = m;
      for (const cb of [...subs]) cb();
    },
    get: () => current,
    on(cb) {
      subs.add(cb);
      return () => subs.delete(cb);
    },
  };
}

/** Re-renders whenever the model changes. */
export function useSubscription(model: Subscribable | null): void {
  const [, setTick] = useState(0);
  useEffect(() => (model ? model.subscribe(() => setTick((t) => t + 1)) : undefined), [model]);
}

/** The slot's model, re-rendering when it or the model in it changes. */
export function useSlotModel<M extends Subscribable>(slot: ModelSlot<M>): M | null {
  const [model, setModel] = useState(slot.get);
  useEffect(() => {
    setModel(slot.get());
    return slot.on(() => setModel(slot.get()));
  }, [slot]);
  useSubscription(model);
  return model;
}
