// A Node HTTPS client for the tenant at its real hostnames: connects to 127.0.0.1:<port>, sends the
// hostname as SNI and Host, and trusts only the tenant's certificate (checked against the hostname).
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface TenantResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json<T = unknown>(): T;
}

export interface TenantRequestInit {
  method?: string;
  headers?: Record<string, string>;
  /** objects are sent as JSON */
  body?: string | object;
}

/** A keep-alive agent for many requests (close it with destroy()). */
export function tenantAgent(certPem: string): Agent {
  return new Agent({ keepAlive: true, ca: certPem, maxSockets: 16 });
}

export function tenantRequest(target: { port: number; certPem: string; agent?: Agent }, url: string, init: TenantRequestInit = {}): Promise<TenantResponse> {
  const u = new URL(url);
  const headers: Record<string, string> = { host: u.host, ...init.headers };
  let payload: string | undefined;
  if (init.body !== undefined) {
    payload = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    if (typeof init.body !== 'string' && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: target.port,
        servername: u.hostname,
        path: `${u.pathname}${u.search}`,
        method: init.method ?? 'GET',
        headers,
        ca: target.certPem,
        agent: target.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('aborted', () => reject(new Error('response aborted')));
        res.on('error', reject);
        res.on('end', () => {
          if (!res.complete) return reject(new Error('response incomplete'));
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
