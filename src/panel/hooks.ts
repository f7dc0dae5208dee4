// Preact hooks over the plain store.
import { useEffect, useState } from 'preact/hooks';
import type { PanelState, PanelStore } from './store';

/** Re-renders the component whenever the store changes; returns the current state. */
export function useStore(store: PanelStore): Readonly<PanelState> {
  const [, setTick] = useState(0);
  useEffect(() => store.subscribe(() => setTick((t) => t + 1)), [store]);
  return store.state;
}

/** The current time, refreshed every `intervalMs` (for "fetched 3 min ago"). */
export function useNow(intervalMs: number, clock: () => number = Date.now): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const t = setInterval(() => setNow(clock()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs, clock]);
  return now;
}
