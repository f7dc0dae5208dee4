// Figure 7: the access check at scale. The main package of the generated tenant grants 5 groups and 2 app
// roles held by every delivered target (about 80,000 members each at 100,000 assignments); the product's
// AccessService runs in Node through the product's Graph client, as in the worker.
//
// Lower bound: each resource's holders are one chain of next links of at most 999; chains run side by side,
// so no check can take less than the package request plus the longest chain, times the page latency.
//
// Where the time above the bound goes, from the requests' own timings (sent / answer complete) in this run:
// per chain, the time its requests were in flight (latency plus the tenant's serialisation and TLS on this
// machine) and the time between an answer and the next request (the client: parse, fold, scheduling). And the
// same listings read bare in the same run (fetch, JSON.parse, next link; nothing else, all side by side): what
// any client gets from this tenant on this machine now, so check / bare is a ratio measured in one run.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { AccessService } from '../../src/background/access/service';
import type { Row } from '../../src/core/model';
import { fetchPackageResources, holdersUrl } from '../../src/graph/access';
import { createGraph } from '../../src/graph/client';
import type { WorkerEvent } from '../../src/messages';
import { IDS } from '../tenant';
import { isGraph, startRemoteTenant } from './remote-tenant';
import { tenantFetch } from './tenant-fetch';

export interface AccessFigures {
  assignments: number;
  resources: number;
  /** holders listed per resource */
  holders: number[];
  checkMs: number;
  /** (1 + longest chain in pages) × latency */
  boundMs: number;
  longestChainPages: number;
  latencyMs: number;
  graphRequests: number;
  perUserRequests: number;
  /** the JS heap's growth during the check over what it was with the rows loaded */
  heapGrowthPeakBytes: number;
  rowsHeld: number;
  /** the 1-minute load average when the check ended (the machine is shared) */
  loadAverage: number;
  /** the chain that finished last: when it started, time in flight and between its pages */
  slowest: ChainTiming;
  /** the same listings read bare (fetch + JSON.parse + next link only), side by side, just before and just after the check */
  bareMs: number;
  bareRunsMs: [number, number];
  /** from the last page's answer to the end of the check (comparison of every row, results sent) */
  tailMs: number;
  /** member sets (a resource's holders as a collection) held at once during the check */
  memberSetsHeld: number;
  /** bytes of the per-resource flags (one byte per row per resource) */
  flagBytes: number;
}

export interface ChainTiming {
  path: string;
  requests: number;
  /** from the check's start to this chain's first request (package request, scheduling) */
  startMs: number;
  /** Σ (answer complete − sent) */
  inFlightMs: number;
  /** Σ (next sent − previous answer complete): the client's share */
  betweenMs: number;
  endMs: number;
}

/** Per listing (path), its requests' timings relative to `t0`. */
function chainTimings(urls: readonly string[], times: ReadonlyArray<{ start: number; end: number }>, t0: number): ChainTiming[] {
  const byPath = new Map<string, Array<{ start: number; end: number }>>();
  urls.forEach((u, k) => {
    const path = new URL(u).pathname;
    if (!/\/(members|owners|appRoleAssignedTo)$/.test(path)) return;
    const list = byPath.get(path) ?? [];
    list.push(times[k]);
    byPath.set(path, list);
  });
  return [...byPath].map(([path, list]) => {
    let inFlight = 0;
    let between = 0;
    list.forEach((r, i) => {
      inFlight += r.end - r.start;
      if (i > 0) between += r.start - list[i - 1].end;
    });
    return { path, requests: list.length, startMs: list[0].start - t0, inFlightMs: inFlight, betweenMs: between, endMs: list[list.length - 1].end - t0 };
  });
}

/** The listings read with nothing but fetch, JSON.parse and the next link, all side by side. */
async function bareListings(http: { fetch: typeof fetch }, token: string, urls: readonly string[]): Promise<number> {
  const started = performance.now();
  await Promise.all(
    urls.map(async (first) => {
      let url: string | null = first;
      while (url) {
        const res = await http.fetch(url, { headers: { authorization: `Bearer ${token}` } });
        const page = JSON.parse(new TextDecoder().decode(await res.arrayBuffer())) as { '@odata.nextLink'?: string };
        url = page['@odata.nextLink'] ?? null;
      }
    }),
  );
  return performance.now() - started;
}

const PAGE = 999;

export async function accessFigures(opts: { size: number; latencyMs: number }, log: (s: string) => void): Promise<AccessFigures> {
  // The tenant in its own process, as for figure 1: its JSON and TLS work must not share the client's event loop.
  const t = await startRemoteTenant({ size: opts.size, seed: 7, latencyMs: opts.latencyMs });
  const http = tenantFetch(t.port, t.certPem);
  try {
    const scaled = await t.accessScale(5, 2);
    const rows = scaled.rows as Row[];
    // Each request's URL, in the order tenantFetch records its timings.
    const urls: string[] = [];
    const fetchImpl: typeof fetch = (input, init) => {
      urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return http.fetch(input, init);
    };
    const graph = createGraph({ cloud: 'global', getToken: async () => scaled.token, fetchImpl });
    const service = new AccessService({ ensureAccess: async () => undefined, graph: async () => graph, rows: async () => rows });
    const holders: number[] = [];
    let done = false;
    let last: WorkerEvent | null = null;
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    // The same listings bare, just before the check and again just after (the tenant as warm for either).
    const resources = await fetchPackageResources(graph, IDS.mainPackage);
    const listingUrls = resources.map(holdersUrl).filter((u): u is string => u !== null).map((u) => `${graph.graphRoot}v1.0/${u}`);
    const bareBefore = await bareListings(http, scaled.token, listingUrls);
    urls.length = 0;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 100);
    await t.resetLog();
    const firstTiming = http.timings().length;
    const started = performance.now();
    await service.handle({ type: 'check-access', packageId: IDS.mainPackage }, {
      post: (e) => {
        if (e.type === 'access-resource' && e.resource.status === 'checked') holders.push(e.resource.holders ?? 0);
        if (e.type === 'access-resource' && e.resource.status === 'not-checked') log(`resource not checked: ${e.resource.displayName} ${e.resource.detail ?? ''}`);
        if (e.type === 'access-done') done = true;
        last = e;
      },
    });
    const checkMs = performance.now() - started;
    clearInterval(sampler);
    if (!done) throw new Error(`the access check did not finish: ${JSON.stringify(last)}`);
    const longest = Math.max(1, ...holders.map((h) => Math.max(1, Math.ceil(h / PAGE))));
    const graphLog = (await t.log()).filter(isGraph);
    const chains = chainTimings(urls, http.timings().slice(firstTiming), started);
    const slowest = chains.reduce((a, b) => (b.endMs > a.endMs ? b : a));
    const bareAfter = await bareListings(http, scaled.token, listingUrls);
    const bareMs = (bareBefore + bareAfter) / 2;
    const figures: AccessFigures = {
      assignments: rows.length,
      resources: holders.length,
      holders,
      checkMs,
      boundMs: (1 + longest) * opts.latencyMs,
      longestChainPages: longest,
      latencyMs: opts.latencyMs,
      graphRequests: graphLog.length,
      perUserRequests: graphLog.filter((l) => /\/users(\/|$)/i.test(l.path)).length,
      heapGrowthPeakBytes: heapPeak - heapBefore,
      rowsHeld: rows.length,
      loadAverage: os.loadavg()[0],
      slowest,
      bareMs,
      bareRunsMs: [bareBefore, bareAfter],
      tailMs: checkMs - slowest.endMs,
      // The check folds each page into flags and drops it: it never holds a resource's holders as a set.
      memberSetsHeld: 0,
      flagBytes: rows.length * holders.length,
    };
    log(`access check: ${figures.resources} resources, ${holders.join(' / ')} holders, ${Math.round(checkMs)} ms (bound ${figures.boundMs} ms), ${figures.graphRequests} requests`);
    log(
      `slowest chain ${slowest.path}: first request at ${Math.round(slowest.startMs)} ms, ${slowest.requests} requests in flight ${Math.round(slowest.inFlightMs)} ms ` +
        `(${Math.round(slowest.inFlightMs - slowest.requests * opts.latencyMs)} ms above their latency: the tenant and TLS), ${Math.round(slowest.betweenMs)} ms between pages on the client; ` +
        `${Math.round(checkMs - slowest.endMs)} ms after its last page; bare listings ${Math.round(bareBefore)} ms before, ${Math.round(bareAfter)} ms after`,
    );
    return figures;
  } finally {
    http.close();
    await t.close();
  }
}
