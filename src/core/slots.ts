// Requests in flight shared by many listings (the overview reads thousands of packages at once): a listing
// takes a slot per request and, when none is free, waits its turn. A freed slot goes to the waiting listing
// that has read the most pages: the big packages are the load's longest chains, so they are never starved by
// the many small ones.

export interface RequestSlots {
  /** Takes a slot if one is free. */
  tryTake(): boolean;
  release(): void;
  /**
   * Calls `wake` once when a slot is free and this waiter's turn has come (highest `priority()` first); the
   * waiter then takes it with tryTake, or lets the next one have it. Returns a cancel function.
   */
  wait(wake: () => void, priority: () => number): () => void;
}

interface Waiter {
  wake(): void;
  priority(): number;
}

export function requestSlots(size: number): RequestSlots & { readonly free: number } {
  let free = Math.max(1, Math.floor(size));
  const waiters: Waiter[] = [];
  let draining = false;
  const drain = (): void => {
    if (draining) return;
    draining = true;
    try {
      while (free > 0 && waiters.length > 0) {
        let best = 0;
        let bestPriority = waiters[0].priority();
        for (let i = 1; i < waiters.length; i++) {
          const p = waiters[i].priority();
          if (p > bestPriority) {
            best = i;
            bestPriority = p;
          }
        }
        const [w] = waiters.splice(best, 1);
        w.wake();
      }
    } finally {
      draining = false;
    }
  };
  return {
    get free() {
      return free;
    },
    tryTake() {
      if (free <= 0) return false;
      free--;
      return true;
    },
    release() {
      free++;
      drain();
    },
    wait(wake, priority) {
      const w: Waiter = { wake, priority };
      waiters.push(w);
      return () => {
        const i = waiters.indexOf(w);
        if (i >= 0) waiters.splice(i, 1);
      };
    },
  };
}
