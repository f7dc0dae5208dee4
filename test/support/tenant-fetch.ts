// fetch for unit tests that run the product's Graph code against the demo tenant in-process: the request goes
// through the tenant's own client (which trusts its certificate), the answer comes back as a fetch Response.
import type { Tenant } from '../tenant';

/** Statuses whose Response may carry no body (the constructor throws on one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

/** fetch over the tenant; `onUrl` sees every URL asked (no signal support needed here). */
export function tenantFetch(tenant: Tenant, onUrl?: (url: string) => void): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    onUrl?.(url);
    const headers: Record<string, string> = {};
    const h = init?.headers;
    if (h instanceof Headers) h.forEach((v, k) => (headers[k] = v));
    else if (h) Object.assign(headers, h as Record<string, string>);
    const res = await tenant.request(url, { method: init?.method ?? 'GET', headers, body: typeof init?.body === 'string' ? init.body : undefined });
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : String(v));
    return new Response(NULL_BODY.has(res.status) || !res.body.length ? null : res.body, { status: res.status, headers: out });
  }) as typeof fetch;
}
