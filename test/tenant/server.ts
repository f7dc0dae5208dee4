// One port, three jobs: TLS for every mapped hostname (routed by Host header), and — for Firefox, which has
// no host-resolver rules — an HTTP CONNECT proxy that tunnels the mapped hosts back into the same TLS
// server (browser-testing.md §12). The first byte of a connection tells them apart (0x16 = TLS handshake).
// TLS speaks HTTP/2 as Graph does (and HTTP/1.1 to clients that ask for it): over HTTP/1.1 a browser opens
// at most 6 connections to a host, which would cap the requests in flight below what the client asks.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { constants as h2, createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Incoming, Reply, TenantContext } from './context';
import { handleGraphHttp } from './graph/http';
import { ALL_HOSTS, bareHost, hostRole } from './hosts';
import { header, readBody, text } from './http-util';
import { handleLogin } from './login';
import { handlePortal } from './portal';

export interface RequestLogEntry {
  /** ms since epoch when the request arrived */
  time: number;
  host: string;
  method: string;
  /** decoded path without query */
  path: string;
  /** decoded query parameters (the last value of a repeated name) */
  query: Record<string, string>;
  /** the raw request target (path and query) */
  url: string;
  status: number;
  hasAuth: boolean;
  origin: string | null;
  /** POST bodies: parsed JSON, form fields, or text */
  body?: unknown;
  /** scopes of the bearer token presented to Graph */
  tokenScopes?: string[];
  /** a $batch sub-request (logged after its envelope arrived) */
  viaBatch?: boolean;
  /** the Prefer header (evolvable enums: include-unknown-enum-members), if any */
  prefer?: string | null;
  fault?: 'reset' | 'malformed';
  durationMs?: number;
}

export interface RunningServer {
  port: number;
  log: RequestLogEntry[];
  maxInFlight(host?: string): number;
  resetInFlight(): void;
  close(): Promise<void>;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseLoggedBody(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0) return undefined;
  const s = body.toString('utf8');
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json')) {
    try {
      return JSON.parse(s);
    } catch {
      return s;
    }
  }
  if (type.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(s));
  return s;
}

const MALFORMED_BODY = '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#value","value":[{"id":"<html><body>upstream connect error or disconnect/reset before headers';

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

function send(res: Response, reply: Reply, method: string, fault: 'reset' | 'malformed' | undefined): void {
  let body: Buffer;
  const headers = { ...reply.headers };
  if (fault === 'malformed') {
    body = Buffer.from(MALFORMED_BODY);
    headers['content-type'] = 'application/json;odata.metadata=minimal;charset=utf-8';
    reply = { ...reply, status: 200 };
  } else if (reply.body === undefined) {
    body = Buffer.alloc(0);
  } else if (Buffer.isBuffer(reply.body)) {
    body = reply.body;
  } else if (typeof reply.body === 'string') {
    body = Buffer.from(reply.body);
  } else {
    body = Buffer.from(JSON.stringify(reply.body));
  }
  headers['content-length'] = String(body.length);
  res.writeHead(reply.status, headers);
  if (method === 'HEAD') {
    res.end();
    return;
  }
  if (fault === 'reset') {
    // Promise a full body, deliver half of it, then drop the connection (over HTTP/2: reset this stream only,
    // as a proxy that loses its upstream does; the other requests on the connection go on).
    const cut = (): void => {
      if ('stream' in res) res.stream.close(h2.NGHTTP2_INTERNAL_ERROR);
      else res.socket?.destroy();
    };
    (res as ServerResponse).write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), cut);
    return;
  }
  res.end(body);
}

export async function startServer(ctx: TenantContext, tls: { key: string; cert: string }, port: number): Promise<RunningServer> {
  const log: RequestLogEntry[] = [];
  const inFlight = new Map<string, number>();
  const maxIn = new Map<string, number>();
  const TOTAL = '\u0000all';
  const bump = (host: string, d: number) => {
    for (const k of [host, TOTAL]) {
      const v = (inFlight.get(k) ?? 0) + d;
      inFlight.set(k, v);
      if (v > (maxIn.get(k) ?? 0)) maxIn.set(k, v);
    }
  };
  const sockets = new Set<Socket | Duplex>();

  const onRequest = async (req: Request, res: Response) => {
    const started = Date.now();
    const host = bareHost(header(req.headers, ':authority') ?? req.headers.host);
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const rawPath = qi < 0 ? url : url.slice(0, qi);
    const rawQuery = qi < 0 ? '' : url.slice(qi + 1);
    const query = new URLSearchParams(rawQuery);
    const entry: RequestLogEntry = {
      time: started,
      host,
      method: req.method ?? 'GET',
      path: safeDecode(rawPath),
      query: Object.fromEntries(query),
      url,
      status: 0,
      hasAuth: !!req.headers.authorization,
      origin: header(req.headers, 'origin') ?? null,
      prefer: header(req.headers, 'prefer') ?? null,
    };
    log.push(entry);
    bump(host, 1);
    // 'finish' fires once the response is handed to the OS, before the client can read it, so a
    // client that has its answer never sees the request still counted; 'close' covers aborted ones.
    let done = false;
    const settle = () => {
      if (done) return;
      done = true;
      bump(host, -1);
      entry.durationMs = Date.now() - started;
    };
    res.on('finish', settle);
    res.on('close', settle);
    try {
      const body = await readBody(req);
      if (entry.method !== 'GET' && entry.method !== 'OPTIONS') entry.body = parseLoggedBody(body, header(req.headers, 'content-type'));
      const incoming: Incoming = { method: entry.method, host, path: rawPath, rawQuery, query, headers: req.headers, body, inBatch: false };
      const role = hostRole(host);
      let reply: Reply;
      let fault: 'reset' | 'malformed' | undefined;
      if (role === 'login') reply = await handleLogin(ctx, incoming);
      else if (role === 'portal') reply = handlePortal(ctx, incoming);
      else if (role === 'graph') {
        const out = await handleGraphHttp(ctx, incoming, (e) => {
          log.push({
            time: Date.now(),
            host: e.host,
            method: e.method,
            path: safeDecode(e.path),
            query: Object.fromEntries(new URLSearchParams(e.rawQuery)),
            url: e.rawQuery ? `${e.path}?${e.rawQuery}` : e.path,
            status: e.status,
            hasAuth: entry.hasAuth,
            origin: entry.origin,
            body: e.body,
            tokenScopes: e.tokenScopes,
            viaBatch: true,
            prefer: e.prefer ?? null,
          });
        });
        reply = out.reply;
        fault = out.fault;
        entry.tokenScopes = out.tokenScopes;
      } else reply = text(421, `Misdirected request: this server does not serve '${host}'.`);
      entry.status = fault === 'malformed' ? 200 : reply.status;
      if (fault) entry.fault = fault;
      send(res, reply, entry.method, fault);
    } catch (e) {
      entry.status = 500;
      if (!res.headersSent) send(res, text(500, `demo tenant error: ${(e as Error).message}`), entry.method, undefined);
      else res.destroy();
    }
  };

  const https = createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, (req, res) => void onRequest(req, res));

  const mapped = new Set(ALL_HOSTS);
  const plain = createHttpServer((req, res) => {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('This port speaks HTTPS, and HTTP CONNECT for the mapped Microsoft hostnames.\n');
  });
  plain.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const target = req.url ?? '';
    const colon = target.lastIndexOf(':');
    const host = (colon >= 0 ? target.slice(0, colon) : target).toLowerCase();
    const targetPort = colon >= 0 ? target.slice(colon + 1) : '443';
    const allowed = mapped.has(host) && targetPort === '443';
    log.push({
      time: Date.now(),
      host,
      method: 'CONNECT',
      path: target,
      query: {},
      url: target,
      status: allowed ? 200 : 403,
      hasAuth: false,
      origin: null,
    });
    if (!allowed) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    // Tunnel into our own port: the TLS side sees an ordinary connection.
    const upstream = connect(actualPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });

  const front = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? https : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });

  let actualPort = 0;
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, '127.0.0.1', () => resolve());
  });
  const addr = front.address();
  actualPort = typeof addr === 'object' && addr ? addr.port : port;

  return {
    port: actualPort,
    log,
    maxInFlight: (host?: string) => maxIn.get(host ?? TOTAL) ?? 0,
    resetInFlight: () => maxIn.clear(),
    close: async () => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      https.close();
      plain.close();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    },
  };
}
