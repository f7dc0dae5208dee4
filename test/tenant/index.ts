// The embedded demo tenant: a local HTTPS server that plays login.microsoftonline.com, Microsoft Graph
// v1.0 and the Entra admin center (and their national-cloud twins) with a seeded directory, so the
// unchanged extension can be tested and demonstrated offline. See README.md in this folder.
import { addDetailsData } from './details-data';
import { defaultConfig, emptyStats, type TenantConfig, type TenantStats } from './config';
import { Snapshots, type TenantContext } from './context';
import { loadTls } from './cert';
import { tenantAgent, tenantRequest, type TenantRequestInit, type TenantResponse } from './client';
import { generateTenant, type GenerateOptions } from './generate';
import { ALL_HOSTS, DEFAULT_GRAPH_HOST, LOGIN_HOSTS } from './hosts';
import { assignmentsRoute } from './portal';
import { startServer, type RequestLogEntry } from './server';
import { TokenStore } from './tokens';
import type { TenantData } from './types';
import { installResources } from './graph/resources';

export type { TenantConfig, TenantStats } from './config';
export type { RequestLogEntry } from './server';
export type { TenantData } from './types';
export type { TenantResponse, TenantRequestInit } from './client';
export { IDS, EM_ROLES, expectedAssignments, expectedStaleReasons, packagePolicies, policyAllowsAdminAssignment, generateTenant } from './generate';
export { ALL_HOSTS, LOGIN_HOSTS, GRAPH_HOSTS, PORTAL_HOSTS } from './hosts';
export { ACCESS_PACKAGES_ROUTE, assignmentsRoute, catalogRoute, DASHBOARD_ROUTE } from './portal';
export { tenantAgent, tenantRequest } from './client';

export interface TenantOptions extends GenerateOptions, Partial<TenantConfig> {
  /** 0 or absent: a random free port */
  port?: number;
}

export interface MintOptions {
  scopes?: string[];
  clientId?: string;
  lifetimeSec?: number;
  cloud?: 'global' | 'usgov' | 'china';
}

export interface Tenant {
  port: number;
  /** base64 SHA-256 of the certificate's SPKI, for --ignore-certificate-errors-spki-list */
  spki: string;
  /** the certificate (PEM), for Node clients that pin it */
  certPem: string;
  hosts: string[];
  /** "MAP h 127.0.0.1:port, ..., EXCLUDE localhost" for --host-resolver-rules */
  hostResolverRules: string;
  /** the generated directory; mutable (the tenant's own writes change it too) */
  data: TenantData;
  /** every request, in arrival order ($batch sub-requests after their envelope) */
  log: RequestLogEntry[];
  stats: TenantStats;
  /** the live configuration (read it; change it with configure) */
  readonly config: Readonly<TenantConfig>;
  configure(patch: Partial<TenantConfig>): void;
  /** forgets the log, the in-flight maxima and the stats counters */
  resetLog(): void;
  /** the most requests open at once on this host (or on all hosts together) since start / resetLog */
  maxInFlight(host?: string): number;
  close(): Promise<void>;
  /** an Assignments route of the stand-in portal (default: the main package on entra.microsoft.com) */
  portalUrl(packageId?: string, host?: string): string;
  /** an access token as the token endpoint would issue it (for tests that skip the sign-in flow) */
  mintAccessToken(opts?: MintOptions): string;
  /** Firefox prefs that send the mapped hosts through this server's CONNECT proxy */
  firefoxPrefs(): Record<string, string | number | boolean>;
  /** an HTTPS request to a mapped hostname, trusting only this tenant's certificate */
  request(url: string, init?: TenantRequestInit): Promise<TenantResponse>;
}

export async function startTenant(opts: TenantOptions = {}): Promise<Tenant> {
  const started = Date.now();
  const now = opts.now ?? started;
  const data = generateTenant({ seed: opts.seed, size: opts.size, shape: opts.shape, now, hostile: opts.hostile });
  addDetailsData(data);
  const config = defaultConfig();
  const { port: _port, seed: _seed, size: _size, shape: _shape, now: _now, hostile: _hostile, ...patch } = opts;
  Object.assign(config, copyPatch(patch));
  const ctx: TenantContext = {
    data,
    config,
    stats: emptyStats(),
    tokens: new TokenStore(),
    snapshots: new Snapshots(),
    clock: () => now + (Date.now() - started),
    timers: new Set(),
    removed: new WeakSet(),
    signInWindow: new Map(),
    nthCounter: 0,
    failRng: null,
    reprocessListeners: [],
  };
  installResources(ctx);
  const tls = loadTls(ALL_HOSTS);
  const server = await startServer(ctx, tls, opts.port ?? 0);
  const port = server.port;
  const hosts = [...ALL_HOSTS];
  const agent = tenantAgent(tls.cert);

  return {
    port,
    spki: tls.spki,
    certPem: tls.cert,
    hosts,
    hostResolverRules: [...hosts.map((h) => `MAP ${h} 127.0.0.1:${port}`), 'EXCLUDE localhost'].join(', '),
    data,
    log: server.log,
    get stats() {
      return ctx.stats;
    },
    config,
    configure(p: Partial<TenantConfig>) {
      if (p.throttle !== undefined) ctx.nthCounter = 0;
      if (p.failPages !== undefined) ctx.failRng = null;
      Object.assign(config, copyPatch(p));
    },
    resetLog() {
      server.log.length = 0;
      server.resetInFlight();
      ctx.stats = emptyStats();
    },
    maxInFlight: (host?: string) => server.maxInFlight(host),
    async close() {
      for (const t of ctx.timers) clearTimeout(t);
      ctx.timers.clear();
      ctx.snapshots.clear();
      agent.destroy();
      await server.close();
    },
    portalUrl(packageId = data.mainPackageId, host = 'entra.microsoft.com') {
      const pkg = data.packages.find((p) => p.id === packageId);
      return `https://${host}/${assignmentsRoute(packageId, pkg?.catalogId ?? data.mainCatalogId)}`;
    },
    mintAccessToken(o: MintOptions = {}) {
      const cloud = o.cloud ?? 'global';
      ctx.stats.tokensIssued++;
      return ctx.tokens.issueAccess(
        {
          clientId: o.clientId ?? '11111111-2222-4333-8444-555555555555',
          userId: data.adminId,
          tenantId: data.tenant.id,
          cloud,
          audience: DEFAULT_GRAPH_HOST[cloud],
          scopes: o.scopes ?? [...config.defaultScopes],
        },
        o.lifetimeSec ?? config.accessTokenLifetimeSec,
      ).token;
    },
    firefoxPrefs() {
      return {
        'network.proxy.type': 1,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': port,
        'network.proxy.http': '',
        'network.proxy.no_proxies_on': 'localhost, 127.0.0.1',
        'network.proxy.allow_hijacking_localhost': false,
        'network.trr.mode': 5,
      };
    },
    request: (url: string, init?: TenantRequestInit) => tenantRequest({ port, certPem: tls.cert, agent }, url, init),
  };
}

/** Copies nested fault objects so their countdowns never change the caller's objects. */
function copyPatch(p: Partial<TenantConfig>): Partial<TenantConfig> {
  const out: Partial<TenantConfig> = { ...p };
  if (p.failPages) out.failPages = { ...p.failPages };
  if (p.refuseQueries) out.refuseQueries = p.refuseQueries.map((r) => ({ ...r }));
  if (p.throttle) out.throttle = { ...p.throttle };
  if (p.signInRate) out.signInRate = { ...p.signInRate };
  return out;
}

/** Sign-in authority host per cloud, e.g. for settings. */
export const AUTHORITY_HOSTS = Object.keys(LOGIN_HOSTS);
