// Shared state of one running tenant and the request/reply shapes its handlers use.
import type { IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { TenantConfig, TenantStats } from './config';
import type { Rng } from './random';
import type { TokenStore } from './tokens';
import type { Assignment, TenantData } from './types';

/** A request as handlers see it (also a $batch sub-request). */
export interface Incoming {
  method: string;
  host: string;
  /** path without query, e.g. /v1.0/users */
  path: string;
  /** raw query string without '?' */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** true when this is a sub-request of a $batch */
  inBatch: boolean;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** objects are sent as JSON */
  body?: string | Buffer | object;
}

/** Saved result lists behind a $skiptoken: paging never repeats or drops a row of an unchanged list. */
export class Snapshots {
  private readonly store = new Map<string, { items: readonly unknown[]; used: number }>();
  private next = 0;
  constructor(private readonly limit = 100) {}

  save(items: readonly unknown[]): string {
    const id = `${++this.next}.${randomUUID().slice(0, 8)}`;
    this.store.set(id, { items, used: Date.now() });
    if (this.store.size > this.limit) {
      // drop the least recently used
      let oldest: string | null = null;
      let when = Infinity;
      for (const [k, v] of this.store) if (v.used < when) [oldest, when] = [k, v.used];
      if (oldest) this.store.delete(oldest);
    }
    return id;
  }

  get(id: string): readonly unknown[] | null {
    const s = this.store.get(id);
    if (!s) return null;
    s.used = Date.now();
    return s.items;
  }

  /** Forgets one saved list: every $skiptoken into it is expired from now on. */
  drop(id: string): void {
    this.store.delete(id);
  }

  clear(): void {
    this.store.clear();
  }
}

export interface TenantContext {
  data: TenantData;
  config: TenantConfig;
  stats: TenantStats;
  tokens: TokenStore;
  snapshots: Snapshots;
  /** the tenant's clock for timestamps it writes (runs from opts.now at real speed) */
  clock: () => number;
  /** pending request-processing timers, cleared on close */
  timers: Set<NodeJS.Timeout>;
  /** assignments the tenant's own request processing removed (running listings skip them) */
  removed: WeakSet<Assignment>;
  /** per-app timestamps of requests that selected signInActivity */
  signInWindow: Map<string, number[]>;
  /** Graph requests dispatched since throttle.everyNth was set */
  nthCounter: number;
  /** for failPages.probability */
  failRng: Rng | null;
  /** called with the assignment id after the tenant accepted a reprocess (of the assignment or of its request); the resources model restores the missing access */
  reprocessListeners: Array<(assignmentId: string) => void>;
}
