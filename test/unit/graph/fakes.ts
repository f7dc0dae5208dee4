// Test doubles for the Graph layer: a virtual clock (sleep without waiting) and a fake fetch with a route
// table that records every request (method, exact URL, headers, body) and counts requests in flight.

export class VirtualClock {
  t = 0;
  private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  private seq = 0;

  now = (): number => this.t;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(signal?.reason);
      };
      const timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Lets every promise chain and stream read settle. */
  static async idle(): Promise<void> {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  }

  /** Runs virtual time forward, timer by timer, until `p` settles. */
  async run<T>(p: Promise<T>, maxSteps = 100_000): Promise<T> {
    let settled = false;
    const watched = p.then(
      (v) => {
        settled = true;
        return v;
      },
      (e) => {
        settled = true;
        throw e;
      },
    );
    watched.catch(() => undefined);
    for (let i = 0; i < maxSteps; i++) {
      await VirtualClock.idle();
      if (settled) return watched;
      if (this.timers.length === 0) {
        await VirtualClock.idle();
        if (settled) return watched;
        if (this.timers.length === 0) throw new Error('deadlock: nothing settles and no timer is pending');
      }
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    throw new Error('too many steps');
  }
}

export interface FakeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** the request's cache mode (RequestInit.cache) */
  cache?: RequestCache;
}

export type FakeAnswer =
  | { status?: number; json?: unknown; text?: string; headers?: Record<string, string> }
  | 'network-error'
  /** headers arrive, then the connection breaks in the middle of the body */
  | 'broken-body';

export type Route = (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeFetch {
  fetch: typeof fetch;
  calls: FakeRequest[];
  maxInFlight: number;
  inFlight: number;
}

/** A fetch whose answers come from `route`; `latencyMs` (virtual) is spent before each answer. */
export function fakeFetch(route: Route, clock?: VirtualClock, latencyMs = 0): FakeFetch {
  const state: FakeFetch = { fetch: undefined as unknown as typeof fetch, calls: [], maxInFlight: 0, inFlight: 0 };
  state.fetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    const h = init?.headers;
    if (h instanceof Headers) h.forEach((v, k) => (headers[k.toLowerCase()] = v));
    else if (h) for (const [k, v] of Object.entries(h as Record<string, string>)) headers[k.toLowerCase()] = v;
    let body: unknown = init?.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // keep text
      }
    }
    const req: FakeRequest = { method: (init?.method ?? 'GET').toUpperCase(), url, headers, body, cache: init?.cache };
    state.calls.push(req);
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    try {
      if (clock && latencyMs > 0) await clock.sleep(latencyMs, init?.signal ?? undefined);
      if (init?.signal?.aborted) throw init.signal.reason;
      const a = await route(req);
      if (a === 'network-error') throw new TypeError('fetch failed');
      if (a === 'broken-body') {
        const stream = new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new TextEncoder().encode('{"value":[{"id":'));
            c.error(new TypeError('terminated'));
          },
        });
        return new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } });
      }
      const status = a.status ?? 200;
      const text = a.json !== undefined ? JSON.stringify(a.json) : a.text ?? '';
      const hdrs = new Headers(a.headers ?? {});
      if (a.json !== undefined && !hdrs.has('content-type')) hdrs.set('content-type', 'application/json');
      return new Response(status === 204 ? null : text, { status, headers: hdrs });
    } finally {
      state.inFlight--;
    }
  }) as typeof fetch;
  return state;
}

export const GRAPH = 'https://graph.microsoft.com/v1.0/';

/** The decoded query parameters of a URL (what the service reads). */
export function query(url: string): Record<string, string> {
  const out: Record<string, string> = {};
  new URL(url).searchParams.forEach((v, k) => (out[k] = v));
  return out;
}

export const pathOf = (url: string): string => new URL(url).pathname.replace(/^\/v1\.0\//, '');

/** A deterministic sequence of GUID-like ids. */
export function guid(n: number, prefix = '0'): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix.repeat(8).slice(0, 8)}-0000-4000-8000-${hex}`;
}
