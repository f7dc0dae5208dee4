// A `fetch` for Node that sends every request, URL unchanged, to the demo tenant: it connects to
// 127.0.0.1:<port>, sends the real hostname as SNI and Host, and trusts only the tenant's certificate (so
// the product's Graph client talks to https://graph.microsoft.com exactly as in the browser). Built on
// https.request rather than undici so the benchmark depends on nothing the project does not declare.
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface TenantFetch {
  fetch: typeof fetch;
  /** Requests this fetch has open right now, and the most it ever had at once. */
  inFlight(): { now: number; max: number };
  /** Every request: when it was sent and when its answer was complete (performance.now() ms). */
  timings(): ReadonlyArray<{ start: number; end: number }>;
  close(): void;
}

function headerPairs(h: HeadersInit | undefined): Array<[string, string]> {
  if (!h) return [];
  if (h instanceof Headers) return [...h.entries()];
  if (Array.isArray(h)) return h.map(([k, v]) => [k, v] as [string, string]);
  return Object.entries(h as Record<string, string>);
}

function responseHeaders(h: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
  }
  return out;
}

/** maxSockets: a browser talks HTTP/2 to Graph (no per-host cap that matters at 8 requests). */
export function tenantFetch(port: number, certPem: string, maxSockets = 32): TenantFetch {
  const agent = new Agent({ keepAlive: true, ca: certPem, maxSockets });
  let open = 0;
  let max = 0;
  const times: Array<{ start: number; end: number }> = [];

  const impl = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
    const headers: Record<string, string> = { host: url.host };
    for (const [k, v] of headerPairs(init.headers)) headers[k.toLowerCase()] = v;
    let body: Buffer | undefined;
    if (init.body !== undefined && init.body !== null) {
      if (typeof init.body !== 'string') throw new TypeError('tenantFetch sends string bodies only');
      body = Buffer.from(init.body);
      headers['content-length'] = String(body.length);
    }
    open++;
    max = Math.max(max, open);
    const timing = { start: performance.now(), end: Number.NaN };
    times.push(timing);
    let settled = false;
    let onAbort: (() => void) | null = null;
    const done = () => {
      if (settled) return;
      settled = true;
      open--;
      timing.end = performance.now();
      // One signal may span hundreds of requests (a whole listing): never leave a listener behind.
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    };
    return new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          servername: url.hostname,
          path: `${url.pathname}${url.search}`,
          method: (init.method ?? 'GET').toUpperCase(),
          headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => {
            done();
            reject(new TypeError(`fetch failed: ${e.message}`));
          });
          res.on('end', () => {
            done();
            if (!res.complete) return reject(new TypeError('fetch failed: response incomplete'));
            const status = res.statusCode ?? 0;
            const nullBody = status === 204 || status === 304;
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: responseHeaders(res.headers) }));
          });
        },
      );
      req.on('error', (e) => {
        done();
        reject(signal?.aborted ? signal.reason : new TypeError(`fetch failed: ${e.message}`));
      });
      if (signal) {
        onAbort = () => req.destroy();
        signal.addEventListener('abort', onAbort, { once: true });
      }
      if (body) req.write(body);
      req.end();
    });
  };

  return {
    fetch: impl as typeof fetch,
    inFlight: () => ({ now: open, max }),
    timings: () => times,
    close: () => agent.destroy(),
  };
}
