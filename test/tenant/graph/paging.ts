// Collection answers: @odata.context, value, and @odata.nextLink as an absolute URL with an opaque
// $skiptoken that points into a saved snapshot of the result list (rows are read live from it).
import type { Incoming, TenantContext } from '../context';
import { badRequest } from './errors';

export interface PageOptions<T> {
  /** the whole filtered list, in listing order (only used on the first page) */
  items: () => readonly T[];
  pageSize: number;
  serialize: (item: T) => object;
  contextUrl: string;
  /** rows the tenant itself removed since the snapshot was taken are skipped */
  isGone?: (item: T) => boolean;
  count?: boolean;
  expiredTokenError?: { code: string; message: string };
}

interface SkipToken {
  s: string;
  o: number;
}

function encodeToken(t: SkipToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(value: string): SkipToken | null {
  try {
    const t = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<SkipToken>;
    return typeof t.s === 'string' && typeof t.o === 'number' && t.o >= 0 ? { s: t.s, o: t.o } : null;
  } catch {
    return null;
  }
}

/** The request's query without $skiptoken, as the client wrote it. */
function queryWithoutSkipToken(raw: string): string {
  return raw
    .split('&')
    .filter((p) => p && !/^(\$|%24)skiptoken=/i.test(p))
    .join('&');
}

export function graphBase(ctx: TenantContext, req: Incoming): string {
  return `https://${ctx.config.nextLinkHost ?? req.host}`;
}

export function contextUrl(req: Incoming, fragment: string): string {
  return `https://${req.host}/v1.0/$metadata#${fragment}`;
}

export function pageOf<T>(ctx: TenantContext, req: Incoming, opts: PageOptions<T>): object {
  const tokenValue = req.query.get('$skiptoken');
  let items: readonly T[];
  let offset = 0;
  let snapshotId: string | null = null;
  if (tokenValue !== null) {
    const t = decodeToken(tokenValue);
    const saved = t ? ctx.snapshots.get(t.s) : null;
    // An injected expiry forgets the saved list, as the least-recently-used limit does: the token stays expired.
    const expired = saved !== null && ctx.config.expireSkipTokens > 0;
    if (expired) {
      ctx.config.expireSkipTokens--;
      ctx.snapshots.drop(t!.s);
    }
    if (!t || !saved || expired) {
      const e = opts.expiredTokenError ?? { code: 'BadRequest', message: 'The $skiptoken is invalid or has expired.' };
      throw badRequest(e.message, e.code);
    }
    items = saved as readonly T[];
    offset = t.o;
    snapshotId = t.s;
  } else {
    items = opts.items();
  }
  const end = Math.min(items.length, offset + opts.pageSize);
  const value: object[] = [];
  for (let i = offset; i < end; i++) {
    const item = items[i];
    if (opts.isGone?.(item)) continue;
    value.push(opts.serialize(item));
  }
  const body: Record<string, unknown> = { '@odata.context': opts.contextUrl };
  if (opts.count && tokenValue === null) body['@odata.count'] = items.length;
  body.value = value;
  if (end < items.length) {
    snapshotId ??= ctx.snapshots.save(items);
    const rest = queryWithoutSkipToken(req.rawQuery);
    const path = req.path;
    body['@odata.nextLink'] = `${graphBase(ctx, req)}${path}?${rest ? rest + '&' : ''}$skiptoken=${encodeToken({ s: snapshotId, o: end })}`;
  }
  return body;
}

/** $top as a page size: an integer in [1, max], else Graph's error. */
export function parseTop(req: Incoming, max: number, code = 'BadRequest'): number | null {
  const raw = req.query.get('$top');
  if (raw === null) return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw badRequest(`Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`, code);
  }
  return n;
}
