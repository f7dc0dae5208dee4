import fc from 'fast-check';
import {
  BACKOFF_CAP_MS,
  MAX_NETWORK_RETRIES,
  MAX_THROTTLE_RETRIES,
  parseRetryAfter,
  RETRY_AFTER_CAP_MS,
  retryDecision,
  timerSleep,
} from '../../../src/core/retry';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('parseRetryAfter', () => {
  test('delay-seconds → milliseconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
  });

  test('an HTTP date → the time left until then', () => {
    expect(parseRetryAfter('Wed, 15 Jan 2025 12:00:30 GMT', NOW)).toBe(30_000);
  });

  test('a date in the past means now', () => {
    expect(parseRetryAfter('Wed, 15 Jan 2025 11:59:00 GMT', NOW)).toBe(0);
  });

  test('absent or unreadable → null', () => {
    for (const h of [null, '', '   ', '-5', 'soon', '1e3', 'abc def']) expect(parseRetryAfter(h, NOW)).toBeNull();
  });
});

describe('retryDecision', () => {
  const half = () => 0.5;

  test.each([429, 503, 504])('%i honours Retry-After (plus at most 10%% / 1 s of jitter)', (status) => {
    for (const r of [0, 0.5, 0.999]) {
      const d = retryDecision({ status, attempt: 1, retryAfterMs: 5000, rng: () => r });
      expect(d.retry).toBe(true);
      if (d.retry) {
        expect(d.delayMs).toBeGreaterThanOrEqual(5000);
        expect(d.delayMs).toBeLessThanOrEqual(5500);
      }
    }
  });

  test('a huge Retry-After is clamped to the cap', () => {
    const d = retryDecision({ status: 429, attempt: 1, retryAfterMs: 3_600_000, rng: () => 0 });
    expect(d).toEqual({ retry: true, delayMs: RETRY_AFTER_CAP_MS });
  });

  test('without Retry-After: full jitter under base × 2^(attempt-1), capped at 30 s', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_THROTTLE_RETRIES }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (attempt, r) => {
        const d = retryDecision({ status: 503, attempt, retryAfterMs: null, rng: () => r });
        if (!d.retry) return false;
        const ceiling = Math.min(BACKOFF_CAP_MS, 500 * 2 ** (attempt - 1));
        return d.delayMs >= 0 && d.delayMs < ceiling;
      }),
    );
  });

  test('the back-off ceiling grows with the attempt', () => {
    const at = (attempt: number) => retryDecision({ status: 429, attempt, retryAfterMs: null, rng: () => 0.999 });
    expect(at(1)).toEqual({ retry: true, delayMs: 499 });
    expect(at(2)).toEqual({ retry: true, delayMs: 999 });
    expect(at(4)).toEqual({ retry: true, delayMs: 3996 });
  });

  test('throttling retries are bounded', () => {
    expect(retryDecision({ status: 429, attempt: MAX_THROTTLE_RETRIES, retryAfterMs: 1000, rng: half }).retry).toBe(true);
    expect(retryDecision({ status: 429, attempt: MAX_THROTTLE_RETRIES + 1, retryAfterMs: 1000, rng: half })).toEqual({ retry: false });
  });

  test('network errors: back-off, fewer attempts', () => {
    expect(retryDecision({ networkError: true, attempt: 1, retryAfterMs: null, rng: () => 0.999 })).toEqual({ retry: true, delayMs: 499 });
    expect(retryDecision({ networkError: true, attempt: MAX_NETWORK_RETRIES, retryAfterMs: null, rng: half }).retry).toBe(true);
    expect(retryDecision({ networkError: true, attempt: MAX_NETWORK_RETRIES + 1, retryAfterMs: null, rng: half })).toEqual({ retry: false });
  });

  test.each([200, 400, 401, 403, 404, 409, 500, 501, 502])('%i is not retried', (status) => {
    expect(retryDecision({ status, attempt: 1, retryAfterMs: 1000, rng: half })).toEqual({ retry: false });
  });
});

describe('timerSleep', () => {
  test('rejects at once when aborted', async () => {
    const ctl = new AbortController();
    const p = timerSleep(60_000, ctl.signal);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
