// The parent's handle on a demo tenant running in a child process (tenant-process.ts): the same facts
// the in-process Tenant offers, over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TenantConfig, TenantOptions, TenantStats } from '../tenant';
import type { OverviewScale, OverviewScaleInfo } from '../tenant/overview-scale';
import { mean } from './stats';

export type RpcRequest =
  | { op: 'start'; opts: TenantOptions }
  | { op: 'truth'; packageId: string }
  | { op: 'mint' }
  | { op: 'configure'; patch: Partial<TenantConfig> }
  | { op: 'config' }
  | { op: 'resetLog' }
  | { op: 'maxInFlight'; host?: string }
  | { op: 'stats' }
  | { op: 'logLength' }
  | { op: 'log'; from?: number }
  | { op: 'close' }
  /** Figure 7: the main package grants `groups` groups and `apps` app roles; a token that may read them, and the rows. */
  | { op: 'accessScale'; groups: number; apps: number }
  /** Details figures: one assignment request per assignment of the main package; answers the package's request count. */
  | { op: 'detailsScale' }
  /** The overview's figures: the tenant scope grows by the shape (test/tenant/overview-scale.ts). */
  | { op: 'overviewScale'; scale: OverviewScale };

export type RpcReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface TenantInfo {
  port: number;
  certPem: string;
  spki: string;
  hostResolverRules: string;
  /** the main package's Assignments route */
  portalUrl: string;
  /** the Finance package (5 assignments) */
  financeUrl: string;
  /** the Lab package (3 assignments, another catalog) */
  labUrl: string;
  /** a portal page that is not an access package */
  dashboardUrl: string;
  /** users in the directory */
  users: number;
}

/** One request of the tenant's log, trimmed to what the benchmark counts. */
export interface LogLine {
  time: number;
  host: string;
  method: string;
  path: string;
  select: string | null;
  filter: string | null;
  status: number;
  viaBatch: boolean;
  durationMs: number | null;
}

export interface Truth {
  /** assignment ids of the package, listing order */
  ids: string[];
  /** policy|state of each, same order */
  groups: string[];
  /** distinct object ids of user targets (what the worker enriches) */
  userTargets: string[];
}

export interface RemoteTenant extends TenantInfo {
  /** the tenant's process, whose CPU the benchmark counts apart from the browser's */
  pid: number | undefined;
  truth(packageId: string): Promise<Truth>;
  mintAccessToken(): Promise<string>;
  accessScale(groups: number, apps: number): Promise<{ token: string; rows: Array<{ id: string; objectId: string | null; state: string }> }>;
  detailsScale(): Promise<number>;
  overviewScale(scale: OverviewScale): Promise<OverviewScaleInfo>;
  configure(patch: Partial<TenantConfig>): Promise<TenantConfig>;
  config(): Promise<TenantConfig>;
  resetLog(): Promise<void>;
  maxInFlight(host?: string): Promise<number>;
  stats(): Promise<TenantStats>;
  logLength(): Promise<number>;
  log(from?: number): Promise<LogLine[]>;
  close(): Promise<void>;
}

export const isGraph = (l: LogLine): boolean => l.host === 'graph.microsoft.com';
export const isSignInRead = (l: LogLine): boolean => isGraph(l) && !!l.select && /signInActivity/i.test(l.select);
export const isAssignmentList = (l: LogLine): boolean => isGraph(l) && l.method === 'GET' && l.path.endsWith('/entitlementManagement/assignments');

/**
 * The longest policy × state partition's requests in a log (the unpartitioned listing left out): how many
 * pages, when the first arrived, the tenant's time per page, and the time from one answer leaving the tenant
 * to the next request arriving (transfer and the client's work).
 */
export function longestPartitionChain(log: readonly LogLine[]): { pages: number; firstAt: number; serverMs: number; betweenMs: number } {
  const byFilter = new Map<string, LogLine[]>();
  for (const l of log) {
    if (!isAssignmentList(l) || !l.filter || !/ and /.test(l.filter)) continue;
    byFilter.set(l.filter, [...(byFilter.get(l.filter) ?? []), l]);
  }
  const chain = [...byFilter.values()].sort((x, y) => y.length - x.length)[0] ?? [];
  return {
    pages: chain.length,
    firstAt: chain.length ? chain[0].time : Number.NaN,
    serverMs: mean(chain.map((l) => l.durationMs ?? 0)),
    betweenMs: mean(chain.slice(1).map((l, i) => l.time - chain[i].time - (chain[i].durationMs ?? 0))),
  };
}

export async function startRemoteTenant(opts: TenantOptions): Promise<RemoteTenant> {
  const child: ChildProcess = fork(path.join(__dirname, 'tenant-process.ts'), [], {
    execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href, '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  let exited = false;
  child.on('message', (m: RpcReply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.value);
    else w.reject(new Error(`tenant: ${m.error}`));
  });
  child.on('exit', (code) => {
    exited = true;
    for (const w of waiting.values()) w.reject(new Error(`tenant process exited (${code})`));
    waiting.clear();
  });
  const call = <T>(req: RpcRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error('tenant process has exited'));
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, req });
    });

  const started = await call<TenantInfo>({ op: 'start', opts });
  return {
    ...started,
    pid: child.pid,
    truth: (packageId) => call<Truth>({ op: 'truth', packageId }),
    mintAccessToken: () => call<string>({ op: 'mint' }),
    accessScale: (groups, apps) => call({ op: 'accessScale', groups, apps }),
    detailsScale: () => call<number>({ op: 'detailsScale' }),
    overviewScale: (scale) => call<OverviewScaleInfo>({ op: 'overviewScale', scale }),
    configure: (patch) => call<TenantConfig>({ op: 'configure', patch }),
    config: () => call<TenantConfig>({ op: 'config' }),
    resetLog: () => call<void>({ op: 'resetLog' }),
    maxInFlight: (host) => call<number>({ op: 'maxInFlight', host }),
    stats: () => call<TenantStats>({ op: 'stats' }),
    logLength: () => call<number>({ op: 'logLength' }),
    log: (from) => call<LogLine[]>({ op: 'log', from }),
    async close() {
      if (exited) return;
      await call<void>({ op: 'close' }).catch(() => undefined);
      if (!exited) child.kill();
    },
  };
}
