// Sliding-window request limiter: keeps sign-in requests inside Graph's documented 10 per minute per app and
// tenant (and 5 per 10 s for reports), and paces writes. Pure: clock and sleep are parameters.
import { abortError, timerSleep, type Sleep } from './retry';

export interface RateWindow {
  /** At most this many requests... */
  requests: number;
  /** ...in any window of this length. */
  windowMs: number;
}

export interface RateLimiterOptions extends RateWindow {
  /** Further windows that must hold at the same time (e.g. 10 per minute AND 5 per 10 s). */
  also?: RateWindow[];
  now?: () => number;
  sleep?: Sleep;
}

/** Call when the request has been answered (or failed): see RateLimiter.acquire. Calling twice is harmless. */
export type Release = () => void;

export interface RateLimiter {
  /**
   * Waits (first come, first served) until one more request fits every window, then counts it. Rejects
   * with the signal's reason when aborted while waiting.
   *
   * Call the returned `release` when the answer arrives: the request then counts from the moment it was
   * answered, not the moment it was allowed. The service counts a request when it arrives, which is
   * somewhere in between; counting from the answer is the conservative choice, so network delay can
   * never squeeze 11 requests into the service's minute. A request never released counts as in flight
   * for one extra window at most, then from its start.
   */
  acquire(signal?: AbortSignal): Promise<Release>;
  /** No request is allowed before `time` (e.g. after a 429 told us to wait). */
  holdUntil(time: number): void;
  readonly windows: readonly RateWindow[];
}

/** Graph's sign-in activity budget (graph-api.md §8): 10 per minute per app per tenant, 5 per 10 s for reports. */
export const SIGN_IN_WINDOWS: readonly RateWindow[] = [
  { requests: 10, windowMs: 60_000 },
  { requests: 5, windowMs: 10_000 },
];

/** Directory writes: 3,000 per 2 min 30 s per app and tenant (graph-api.md §8). */
export const WRITE_WINDOW: RateWindow = { requests: 3000, windowMs: 150_000 };

interface Slot {
  at: number;
  open: boolean;
}

interface Waiter {
  resolve: (release: Release) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const windows: RateWindow[] = [{ requests: opts.requests, windowMs: opts.windowMs }, ...(opts.also ?? [])];
  for (const w of windows) {
    if (!(w.requests >= 1) || !(w.windowMs > 0)) throw new RangeError(`invalid rate window ${JSON.stringify(w)}`);
  }
  const now = opts.now ?? (() => Date.now());
  const sleep = opts.sleep ?? timerSleep;
  const longest = Math.max(...windows.map((w) => w.windowMs));
  let slots: Slot[] = [];
  const queue: Waiter[] = [];
  let hold = -Infinity;
  let pumping = false;
  let wake: AbortController | null = null;

  // An open (unanswered) slot counts as "now", but not beyond one extra window.
  const effective = (s: Slot, t: number): number => (s.open ? Math.min(t, s.at + longest) : s.at);

  function waitTime(t: number): number {
    let wait = hold - t;
    for (const w of windows) {
      const inWindow = slots
        .map((s) => effective(s, t))
        .filter((e) => e > t - w.windowMs)
        .sort((a, b) => a - b);
      if (inWindow.length >= w.requests) {
        // The oldest requests must leave the window until one place is free.
        const leaving = inWindow[inWindow.length - w.requests];
        wait = Math.max(wait, leaving + w.windowMs - t);
      }
    }
    return wait;
  }

  function prune(t: number): void {
    slots = slots.filter((s) => s.open || s.at > t - longest);
  }

  function nudge(): void {
    wake?.abort();
  }

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length > 0) {
        const t = now();
        prune(t);
        const wait = waitTime(t);
        if (wait <= 0) {
          const waiter = queue.shift() as Waiter;
          if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
          const slot: Slot = { at: t, open: true };
          slots.push(slot);
          waiter.resolve(() => {
            if (!slot.open) return;
            slot.open = false;
            slot.at = Math.max(slot.at, now());
            nudge();
          });
          continue;
        }
        wake = new AbortController();
        try {
          await sleep(wait, wake.signal);
        } catch {
          // woken early: a request was answered or a waiter left; recompute
        }
        wake = null;
      }
    } finally {
      pumping = false;
    }
  }

  return {
    windows,
    acquire(signal?: AbortSignal): Promise<Release> {
      if (signal?.aborted) return Promise.reject(abortError(signal));
      return new Promise<Release>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, signal };
        if (signal) {
          waiter.onAbort = () => {
            const i = queue.indexOf(waiter);
            if (i >= 0) queue.splice(i, 1);
            reject(abortError(signal));
            nudge();
          };
          signal.addEventListener('abort', waiter.onAbort, { once: true });
        }
        queue.push(waiter);
        void pump();
      });
    },
    holdUntil(time: number): void {
      hold = Math.max(hold, time);
    },
  };
}

/**
 * How long `left` requests take at most once the budget is spent: each window lets `requests` through per
 * `windowMs`, and the strictest window decides (what the panel says while sign-in data is read).
 */
export function timeForRequests(left: number, windows: readonly RateWindow[]): number {
  if (left <= 0 || windows.length === 0) return 0;
  return Math.max(...windows.map((w) => Math.ceil(left / w.requests) * w.windowMs));
}
