// The Graph client for one cloud, built on @microsoft/microsoft-graph-client with our own middleware chain:
//
//   UrlGuard → TelemetryHandler (SDK) → RetryPolicy → BearerToken → FetchCall
//
// - UrlGuard: every request goes to the cloud's Graph root under /v1.0/ or is refused before a token is
//   asked for (core/nextlink.ts); absolute URLs (next links) are sent exactly as Graph returned them.
// - RetryPolicy replaces the SDK's RetryHandler so ONE policy applies (core/retry.ts) and every retry is
//   observable (progress, throttling counts). A 401 renews the token once and resends the same URL.
// - FetchCall uses the injected fetch (the SDK's HTTPMessageHandler always uses the global one).
//
// Runs in an MV3 service worker, a Firefox event page and Node alike: fetch only, no window, no XHR.
import {
  Client,
  ResponseType,
  TelemetryHandler,
  type Context,
  type GraphRequestOptions as SdkRequestOptions,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import { CLOUDS } from '../core/clouds';
import { t } from '../core/i18n';
import type { Cloud } from '../core/model';
import { checkNextLink } from '../core/nextlink';
import { abortError, parseRetryAfter, retryDecision, timerSleep, type Sleep } from '../core/retry';

// ---------------------------------------------------------------- errors

export interface GraphErrorInit {
  /** HTTP status; 0 when there was no HTTP answer (network, refused URL, no token). */
  status: number;
  /** Graph's error code, or ours: NetworkError, RefusedUrl, TokenUnavailable, InvalidResponse. */
  code: string;
  /** Graph's own message, verbatim. */
  message: string;
  url: string;
  requestId?: string;
  cause?: unknown;
}

export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly url: string;
  readonly requestId?: string;

  constructor(init: GraphErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GraphError';
    this.status = init.status;
    this.code = init.code;
    this.url = init.url;
    this.requestId = init.requestId;
  }
}

/** Graph's error body `{ error: { code, message, innerError: { 'request-id' } } }` → GraphError. */
export function graphErrorFrom(status: number, body: unknown, url: string, fallback = ''): GraphError {
  const err = (body as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } } | null)?.error;
  const code = typeof err?.code === 'string' && err.code !== '' ? err.code : `HTTP${status}`;
  const message =
    typeof err?.message === 'string' && err.message !== ''
      ? err.message
      : fallback || t('graph_no_error_message', { status: String(status) });
  const rid = err?.innerError?.['request-id'];
  return new GraphError({ status, code, message, url, requestId: typeof rid === 'string' ? rid : undefined });
}

// ---------------------------------------------------------------- facade types

export interface RetryEvent {
  url: string;
  method: string;
  /** The status that caused the retry; absent for a network error. */
  status?: number;
  networkError?: boolean;
  /** true when the retry follows a 401 and asks for a fresh token. */
  renewToken?: boolean;
  attempt: number;
  delayMs: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Called before each retry of this call (in addition to the client-wide observer). */
  onRetry?: (e: RetryEvent) => void;
  /** Called for every HTTP answer of this call, retries included. */
  onResponse?: (e: { url: string; status: number }) => void;
}

export interface BatchRequest {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to the version, e.g. "/users?$filter=..." */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchResponse {
  id: string;
  /** 0 when the batch answer had no entry for this request. */
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** At most 20 requests per JSON batch (graph-api.md §7). */
export const MAX_BATCH = 20;

export interface Graph {
  readonly cloud: Cloud;
  /** e.g. https://graph.microsoft.com/ */
  readonly graphRoot: string;
  /** The underlying SDK client (with our middleware), for the SDK's own helpers such as PageIterator. */
  readonly client: Client;
  /** The clock, sleep and random source this client retries with (callers retrying sub-responses use them too). */
  readonly timing: Timing;
  /** GET a path (relative to /v1.0/) or an absolute Graph URL (a next link); JSON parsed. */
  get<T = unknown>(urlOrPath: string, opts?: CallOptions): Promise<T>;
  /** GET returning the body as text (e.g. /users/$count). */
  getText(urlOrPath: string, opts?: CallOptions): Promise<string>;
  /** POST JSON. Not retried after a network error or 504 unless `idempotent` (it may have been processed). */
  post<T = unknown>(path: string, body: unknown, opts?: CallOptions & { idempotent?: boolean }): Promise<T>;
  /** One JSON $batch (≤ 20). Sub-responses are returned as they came, in request order: never retried here. */
  batch(requests: readonly BatchRequest[], opts?: CallOptions): Promise<BatchResponse[]>;
  /** Request options for the SDK's own helpers (PageIterator) so they use this call's signal and observers. */
  sdkOptions(opts?: CallOptions): SdkCall;
}

export interface Timing {
  sleep: Sleep;
  now: () => number;
  rng: () => number;
}

export interface SdkCall {
  requestOptions: SdkRequestOptions;
  /** The failure recorded by our middleware (network, refused URL, token), if the SDK swallowed it. */
  failure(): GraphError | null;
}

export interface CreateGraphOptions {
  cloud: Cloud;
  getToken(opts: { forceRefresh: boolean }): Promise<string>;
  fetchImpl?: typeof fetch;
  sleep?: Sleep;
  now?: () => number;
  rng?: () => number;
  /** Observer of every retry of every call. */
  onRetry?: (e: RetryEvent) => void;
}

// ---------------------------------------------------------------- per-call state carried through the SDK

/** Travels with one SDK request as a middleware option (the SDK keys options by constructor). */
class CallState implements MiddlewareOptions {
  failure: GraphError | null = null;
  constructor(
    readonly exactUrl: string | null,
    readonly idempotent: boolean | null,
    readonly onRetry?: (e: RetryEvent) => void,
    readonly onResponse?: (e: { url: string; status: number }) => void,
  ) {}
}

function stateOf(ctx: Context): CallState | undefined {
  return ctx.middlewareControl?.getMiddlewareOptions(CallState) as CallState | undefined;
}

function record(ctx: Context, err: GraphError): GraphError {
  const s = stateOf(ctx);
  if (s) s.failure = err;
  return err;
}

/** Whether the next attempt of this request must ask for a fresh token (after a 401). */
const forceRefreshFor = new WeakMap<Context, boolean>();

const urlOf = (req: RequestInfo): string => (typeof req === 'string' ? req : req.url);
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** No usable answer: the fetch rejected, the body broke off, or a JSON success did not parse. Only these are retried as network errors. */
class NetworkFailure extends Error {
  override name = 'NetworkFailure';
}

abstract class Link implements Middleware {
  protected next!: Middleware;
  abstract execute(ctx: Context): Promise<void>;
  setNext(next: Middleware): void {
    this.next = next;
  }
}

class UrlGuard extends Link {
  constructor(private readonly graphRoot: string) {
    super();
  }
  async execute(ctx: Context): Promise<void> {
    const url = stateOf(ctx)?.exactUrl ?? urlOf(ctx.request);
    const check = checkNextLink(url, this.graphRoot);
    if (!check.ok) throw record(ctx, new GraphError({ status: 0, code: 'RefusedUrl', message: check.reason, url }));
    ctx.request = check.url;
    return this.next.execute(ctx);
  }
}

interface RetryDeps extends Timing {
  onRetry?: (e: RetryEvent) => void;
}

class RetryPolicy extends Link {
  constructor(private readonly deps: RetryDeps) {
    super();
  }

  async execute(ctx: Context): Promise<void> {
    const state = stateOf(ctx);
    const signal = ctx.options?.signal ?? undefined;
    const method = (ctx.options?.method ?? 'GET').toUpperCase();
    const idempotent = state?.idempotent ?? (method === 'GET' || method === 'HEAD');
    const url = urlOf(ctx.request);
    let throttled = 0;
    let network = 0;
    let renewed = false;
    const notify = (e: Omit<RetryEvent, 'url' | 'method'>): void => {
      const ev: RetryEvent = { url, method, ...e };
      this.deps.onRetry?.(ev);
      state?.onRetry?.(ev);
    };

    for (;;) {
      if (signal?.aborted) throw abortError(signal);
      let res: Response;
      try {
        await this.next.execute(ctx);
        res = ctx.response as Response;
      } catch (e) {
        if (signal?.aborted) throw abortError(signal);
        if (!(e instanceof NetworkFailure)) throw e;
        network++;
        const d = idempotent ? retryDecision({ networkError: true, attempt: network, retryAfterMs: null, rng: this.deps.rng }) : { retry: false as const };
        if (!d.retry) {
          const message = idempotent
            ? t('graph_no_answer_retried', { url, count: network, message: e.message })
            : t('graph_no_answer_once', { method, url, message: e.message });
          throw record(ctx, new GraphError({ status: 0, code: 'NetworkError', message, url, cause: e }));
        }
        notify({ networkError: true, attempt: network, delayMs: d.delayMs });
        await this.deps.sleep(d.delayMs, signal);
        continue;
      } finally {
        forceRefreshFor.delete(ctx);
      }
      state?.onResponse?.({ url, status: res.status });

      if (res.status === 401 && !renewed) {
        // The token may have expired between pages: renew it once and resend the same page.
        renewed = true;
        await discard(res);
        forceRefreshFor.set(ctx, true);
        notify({ status: 401, renewToken: true, attempt: 1, delayMs: 0 });
        continue;
      }
      // A 504 on a write may hide a processed request: only idempotent calls are resent.
      if (res.status === 429 || res.status === 503 || (res.status === 504 && idempotent)) {
        throttled++;
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), this.deps.now());
        const d = retryDecision({ status: res.status, attempt: throttled, retryAfterMs, rng: this.deps.rng });
        if (d.retry) {
          await discard(res);
          notify({ status: res.status, attempt: throttled, delayMs: d.delayMs });
          await this.deps.sleep(d.delayMs, signal);
          continue;
        }
      }
      return;
    }
  }
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // nothing to free
  }
}

class BearerToken extends Link {
  constructor(private readonly getToken: CreateGraphOptions['getToken']) {
    super();
  }
  async execute(ctx: Context): Promise<void> {
    const forceRefresh = forceRefreshFor.get(ctx) === true;
    let token: string;
    try {
      token = await this.getToken({ forceRefresh });
    } catch (e) {
      throw record(
        ctx,
        new GraphError({ status: 0, code: 'TokenUnavailable', message: messageOf(e), url: urlOf(ctx.request), cause: e }),
      );
    }
    const options = (ctx.options ??= {});
    if (options.headers instanceof Headers) options.headers.set('Authorization', `Bearer ${token}`);
    else options.headers = { ...(options.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` };
    return this.next.execute(ctx);
  }
}

/** JSON bodies already parsed by FetchCall (so the facade does not parse them twice). */
const parsedBodies = new WeakMap<Response, unknown>();
/** Statuses whose Response may not carry a body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * The HTTP exchange, body included: a connection that breaks off mid-body, or a success whose JSON body
 * does not parse (cut short), is a network failure like a refused connection, so the retry policy covers
 * it (for idempotent requests) instead of it surfacing as a broken page.
 */
class FetchCall implements Middleware {
  constructor(private readonly fetchImpl: typeof fetch) {}
  async execute(ctx: Context): Promise<void> {
    const signal = ctx.options?.signal ?? undefined;
    let res: Response;
    let body: ArrayBuffer;
    try {
      // no-store: Graph's answers (people, their access) never enter the browser's HTTP cache, whose disk
      // entries outlive sign-out; skipping its lookup and write also takes about a third off fetch()'s own cost.
      res = await this.fetchImpl(ctx.request, { ...(ctx.options as RequestInit), cache: 'no-store' });
      body = await res.arrayBuffer();
    } catch (e) {
      if (signal?.aborted) throw abortError(signal);
      throw new NetworkFailure(messageOf(e));
    }
    const copy = new Response(NULL_BODY.has(res.status) ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
    if (res.ok && body.byteLength > 0 && /json/i.test(res.headers.get('content-type') ?? '')) {
      try {
        parsedBodies.set(copy, JSON.parse(new TextDecoder().decode(body)));
      } catch {
        throw new NetworkFailure(t('graph_json_cut_short'));
      }
    }
    ctx.response = copy;
  }
}

// ---------------------------------------------------------------- the facade

export function createGraph(opts: CreateGraphOptions): Graph {
  const graphRoot = CLOUDS[opts.cloud].graphRoot;
  const fetchImpl: typeof fetch = opts.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const deps: RetryDeps = {
    sleep: opts.sleep ?? timerSleep,
    now: opts.now ?? (() => Date.now()),
    rng: opts.rng ?? Math.random,
    onRetry: opts.onRetry,
  };
  const client = Client.initWithMiddleware({
    baseUrl: graphRoot,
    defaultVersion: 'v1.0',
    middleware: [
      new UrlGuard(graphRoot),
      new TelemetryHandler(),
      new RetryPolicy(deps),
      new BearerToken(opts.getToken),
      new FetchCall(fetchImpl),
    ],
  });

  const absolute = (urlOrPath: string): string =>
    /^[a-z][a-z0-9+.-]*:/i.test(urlOrPath) ? urlOrPath : `${graphRoot}v1.0/${urlOrPath.replace(/^\/+/, '')}`;

  async function send(
    method: 'GET' | 'POST',
    urlOrPath: string,
    body: unknown,
    o: CallOptions & { idempotent?: boolean },
  ): Promise<{ res: Response; url: string }> {
    const url = absolute(urlOrPath);
    const state = new CallState(url, o.idempotent ?? null, o.onRetry, o.onResponse);
    let req = client.api(url).responseType(ResponseType.RAW).middlewareOptions([state]);
    if (o.signal) req = req.option('signal', o.signal);
    if (o.headers) req = req.headers(o.headers);
    try {
      const res = (method === 'GET' ? await req.get() : await req.post(body)) as Response;
      return { res, url };
    } catch (e) {
      if (o.signal?.aborted) throw abortError(o.signal);
      if (state.failure) throw state.failure;
      throw new GraphError({ status: 0, code: 'ClientError', message: messageOf(e), url, cause: e });
    }
  }

  async function readJson<T>(res: Response, url: string): Promise<T> {
    if (parsedBodies.has(res)) return parsedBodies.get(res) as T;
    const text = await res.text();
    if (!res.ok) throw errorFromText(res, text, url);
    if (res.status === 204 || text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new GraphError({ status: res.status, code: 'InvalidResponse', message: t('graph_not_json'), url });
    }
  }

  return {
    cloud: opts.cloud,
    graphRoot,
    client,
    timing: { sleep: deps.sleep, now: deps.now, rng: deps.rng },
    async get<T>(urlOrPath: string, o: CallOptions = {}): Promise<T> {
      const { res, url } = await send('GET', urlOrPath, undefined, o);
      return readJson<T>(res, url);
    },
    async getText(urlOrPath: string, o: CallOptions = {}): Promise<string> {
      const { res, url } = await send('GET', urlOrPath, undefined, o);
      const text = await res.text();
      if (!res.ok) throw errorFromText(res, text, url);
      return text;
    },
    async post<T>(path: string, body: unknown, o: CallOptions & { idempotent?: boolean } = {}): Promise<T> {
      const { res, url } = await send('POST', path, body, o);
      return readJson<T>(res, url);
    },
    async batch(requests: readonly BatchRequest[], o: CallOptions = {}): Promise<BatchResponse[]> {
      if (requests.length === 0) return [];
      if (requests.length > MAX_BATCH) throw new RangeError(`a $batch takes at most ${MAX_BATCH} requests`);
      const ids = new Set(requests.map((r) => r.id));
      if (ids.size !== requests.length) throw new RangeError('$batch request ids must be unique');
      const body = {
        requests: requests.map((r) => ({
          id: r.id,
          method: r.method,
          url: r.url,
          ...(r.headers ? { headers: r.headers } : {}),
          ...(r.body !== undefined ? { body: r.body } : {}),
        })),
      };
      const idempotent = requests.every((r) => r.method === 'GET');
      const answer = await this.post<{ responses?: unknown }>('$batch', body, { ...o, idempotent });
      return matchBatch(requests, answer?.responses);
    },
    sdkOptions(o: CallOptions = {}): SdkCall {
      const state = new CallState(null, null, o.onRetry, o.onResponse);
      return {
        requestOptions: {
          middlewareOptions: [state],
          ...(o.headers ? { headers: o.headers } : {}),
          ...(o.signal ? { options: { signal: o.signal } } : {}),
        },
        failure: () => state.failure,
      };
    },
  };
}

function errorFromText(res: Response, text: string, url: string): GraphError {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: an HTML error page from a gateway, for example
  }
  const fallback = `${res.status} ${res.statusText}`.trim();
  const err = graphErrorFrom(res.status, body, url, fallback);
  return err;
}

function matchBatch(requests: readonly BatchRequest[], responses: unknown): BatchResponse[] {
  const byId = new Map<string, BatchResponse>();
  if (Array.isArray(responses)) {
    for (const r of responses as Array<Record<string, unknown>>) {
      if (!r || typeof r !== 'object' || typeof r.id !== 'string') continue;
      const headers: Record<string, string> = {};
      if (r.headers && typeof r.headers === 'object') {
        for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) {
          if (typeof v === 'string' || typeof v === 'number') headers[k.toLowerCase()] = String(v);
        }
      }
      byId.set(r.id, { id: r.id, status: typeof r.status === 'number' ? r.status : 0, headers, body: r.body });
    }
  }
  return requests.map(
    (q) =>
      byId.get(q.id) ?? {
        id: q.id,
        status: 0,
        headers: {},
        body: { error: { code: 'NoBatchResponse', message: t('graph_batch_no_response', { batch: '$batch', id: q.id }) } },
      },
  );
}

/** A failed batch sub-response as a GraphError (url: the sub-request's, under the Graph root). */
export function batchError(graph: Pick<Graph, 'graphRoot'>, req: BatchRequest, res: BatchResponse): GraphError {
  return graphErrorFrom(res.status, res.body, `${graph.graphRoot}v1.0${req.url.startsWith('/') ? '' : '/'}${req.url}`);
}
