import fc from 'fast-check';
import { createRateLimiter, SIGN_IN_WINDOWS, timeForRequests } from '../../../src/core/ratelimit';
import { VirtualClock } from '../graph/fakes';

/** The most events inside any half-open window [t, t + windowMs). */
function maxInWindow(times: number[], windowMs: number): number {
  const s = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while (s[i] - s[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('createRateLimiter', () => {
  test('10 per minute: the 11th request waits for the first to leave the window', async () => {
    const clock = new VirtualClock();
    const limiter = createRateLimiter({ requests: 10, windowMs: 60_000, now: clock.now, sleep: clock.sleep });
    const granted: number[] = [];
    const all = Promise.all(
      Array.from({ length: 25 }, async () => {
        const release = await limiter.acquire();
        granted.push(clock.now());
        release();
      }),
    );
    await clock.run(all);
    expect(granted.filter((t) => t === 0)).toHaveLength(10);
    expect(granted.filter((t) => t === 60_000)).toHaveLength(10);
    expect(granted.filter((t) => t === 120_000)).toHaveLength(5);
    expect(maxInWindow(granted, 60_000)).toBe(10);
  });

  test('a request counts from its answer: slow answers delay the 11th', async () => {
    const clock = new VirtualClock();
    const limiter = createRateLimiter({ requests: 10, windowMs: 60_000, now: clock.now, sleep: clock.sleep });
    const granted: number[] = [];
    const all = Promise.all(
      Array.from({ length: 11 }, async (_, i) => {
        const release = await limiter.acquire();
        granted.push(clock.now());
        await clock.sleep(i === 0 ? 5000 : 5000 + i);
        release();
      }),
    );
    await clock.run(all);
    // Sent at 0 but answered from 5 s on: the service may have counted them as late as that.
    expect(granted.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(granted[10]).toBe(65_000);
  });

  test('sign-in budget: 10 per minute and 5 per 10 s hold together, and the minute is fully used', async () => {
    const clock = new VirtualClock();
    const limiter = createRateLimiter({ ...SIGN_IN_WINDOWS[0], also: SIGN_IN_WINDOWS.slice(1), now: clock.now, sleep: clock.sleep });
    const granted: number[] = [];
    const all = Promise.all(
      Array.from({ length: 30 }, async () => {
        const release = await limiter.acquire();
        granted.push(clock.now());
        release();
      }),
    );
    await clock.run(all);
    expect(maxInWindow(granted, 10_000)).toBe(5);
    expect(maxInWindow(granted, 60_000)).toBe(10);
    // 30 requests in 3 windows: the last one starts at 2 min 10 s at the latest.
    expect(Math.max(...granted)).toBe(130_000);
  });

  test('whatever the answer times, the service never sees more than the budget in its window', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 12, maxLength: 40 }), async (reqs) => {
        const clock = new VirtualClock();
        const limiter = createRateLimiter({ requests: 10, windowMs: 60_000, now: clock.now, sleep: clock.sleep });
        const arrivals: number[] = [];
        const all = Promise.all(
          reqs.map(async ([latency, where]) => {
            const release = await limiter.acquire();
            const sent = clock.now();
            // The service counts the request somewhere between sending and answering.
            arrivals.push(sent + latency * where);
            await clock.sleep(latency);
            release();
          }),
        );
        await clock.run(all);
        return maxInWindow(arrivals, 60_000) <= 10;
      }),
      { numRuns: 40 },
    );
  });

  test('first come, first served', async () => {
    const clock = new VirtualClock();
    const limiter = createRateLimiter({ requests: 1, windowMs: 1000, now: clock.now, sleep: clock.sleep });
    const order: number[] = [];
    const all = Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const release = await limiter.acquire();
        order.push(i);
        release();
      }),
    );
    await clock.run(all);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(clock.now()).toBe(3000);
  });

  test('a waiter that is cancelled leaves the queue; the others go on', async () => {
    const clock = new VirtualClock();
    const limiter = createRateLimiter({ requests: 1, windowMs: 1000, now: clock.now, sleep: clock.sleep });
    (await limiter.acquire())();
    const ctl = new AbortController();
    const cancelled = limiter.acquire(ctl.signal);
    const later = limiter.acquire();
    ctl.abort();
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    await clock.run(later);
    expect(clock.now()).toBe(1000);
  });

  test('holdUntil delays every request until then (a 429 said to wait)', async () => {
    const clock = new VirtualClock();
    const limiter = createRateLimiter({ requests: 10, windowMs: 1000, now: clock.now, sleep: clock.sleep });
    limiter.holdUntil(30_000);
    await clock.run(limiter.acquire());
    expect(clock.now()).toBe(30_000);
  });

  test('a request never released still leaves the window, one window late', async () => {
    const clock = new VirtualClock();
    const limiter = createRateLimiter({ requests: 1, windowMs: 1000, now: clock.now, sleep: clock.sleep });
    await limiter.acquire(); // never released
    await clock.run(limiter.acquire());
    expect(clock.now()).toBe(2000);
  });

  test('rejects a nonsensical window', () => {
    expect(() => createRateLimiter({ requests: 0, windowMs: 1000 })).toThrow(RangeError);
    expect(() => createRateLimiter({ requests: 1, windowMs: 0 })).toThrow(RangeError);
  });
});

describe('timeForRequests', () => {
  test('the strictest window decides how long what is left takes at most', () => {
    expect(timeForRequests(0, SIGN_IN_WINDOWS)).toBe(0);
    expect(timeForRequests(1, SIGN_IN_WINDOWS)).toBe(60_000);
    expect(timeForRequests(10, SIGN_IN_WINDOWS)).toBe(60_000); // 10 a minute; 5 per 10 s is looser
    expect(timeForRequests(25, SIGN_IN_WINDOWS)).toBe(180_000);
    expect(timeForRequests(25, [{ requests: 5, windowMs: 10_000 }])).toBe(50_000);
  });
});
