// The one retry policy for every Graph call (the Graph client's own RetryHandler is left out of the chain).
// Pure: the caller supplies the clock, the random source and the sleep.

/** A sleep that ends early (rejecting with the signal's reason) when the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Longest wait we accept from a Retry-After header: longer asks are clamped (a retry then may be refused again). */
export const RETRY_AFTER_CAP_MS = 120_000;
/** Exponential back-off without Retry-After: base × 2^(attempt-1), full jitter, capped. */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;
/**
 * Retries allowed after a 429/503/504 (7 attempts in all): with back-off alone that waits up to ~31 s in
 * total, so a throttling storm of several seconds is survived.
 */
export const MAX_THROTTLE_RETRIES = 6;
/** Retries allowed after a network error (no answer at all): a dead network should surface quickly. */
export const MAX_NETWORK_RETRIES = 4;

const RETRYABLE_STATUS = new Set([429, 503, 504]);

/**
 * Retry-After (RFC 9110): delay-seconds or an HTTP-date → milliseconds from `now`, or null when absent or
 * unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const v = header.trim();
  if (v === '') return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  // Only something that looks like a date: Date.parse accepts odd strings such as "1" or "-5".
  if (!/[a-z]{3}/i.test(v)) return null;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

export interface RetryInput {
  /** HTTP status of the answer; absent for a network error. */
  status?: number;
  /** No answer at all (connection refused, reset, DNS...). */
  networkError?: boolean;
  /** 1-based number of the attempt that just failed, counted per kind (throttling vs network). */
  attempt: number;
  /** Parsed Retry-After of the answer, if any. */
  retryAfterMs: number | null;
  /** Random source in [0, 1). */
  rng: () => number;
}

/**
 * Whether to try again and after how long. 429/503/504 honour Retry-After (clamped to 120 s, plus a little
 * jitter so parallel requests told the same delay do not return in lock-step); without it, exponential
 * back-off with full jitter. Network errors use the back-off with a smaller bound. Anything else (4xx, 500,
 * 501, ...) is an answer, not a transient fault: not retried. 401 is handled by the caller (renew once).
 */
export function retryDecision(input: RetryInput): RetryDecision {
  const { status, networkError, attempt, retryAfterMs, rng } = input;
  if (networkError) {
    if (attempt > MAX_NETWORK_RETRIES) return { retry: false };
    return { retry: true, delayMs: backoff(attempt, rng) };
  }
  if (status === undefined || !RETRYABLE_STATUS.has(status)) return { retry: false };
  if (attempt > MAX_THROTTLE_RETRIES) return { retry: false };
  if (retryAfterMs !== null) {
    const wait = Math.min(Math.max(0, retryAfterMs), RETRY_AFTER_CAP_MS);
    const spread = Math.min(1000, wait * 0.1);
    return { retry: true, delayMs: Math.round(wait + rng() * spread) };
  }
  return { retry: true, delayMs: backoff(attempt, rng) };
}

function backoff(attempt: number, rng: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.floor(rng() * ceiling);
}

// ---------------------------------------------------------------- cancellation helpers

/** The error a cancelled operation rejects with: the signal's reason, or a DOMException named AbortError. */
export function abortError(signal?: AbortSignal): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** setTimeout-based sleep that honours the signal. setTimeout exists in workers, pages and Node alike. */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
