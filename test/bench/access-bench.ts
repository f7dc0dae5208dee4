// Figure 7: the access check at scale. The main package of the generated tenant grants 5 groups and 2 app
// roles held by every delivered target (about 80,000 members each at 100,000 assignments); the product's
// AccessService runs in Node through the product's Graph client, as in the worker.
//
// Lower bound: each resource's holders are one chain of next links of at most 999; chains run side by side,
// so no check can take less than the package request plus the longest chain, times the page latency.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { AccessService } from '../../src/background/access/service';
import type { Row } from '../../src/core/model';
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
}

const PAGE = 999;

export async function accessFigures(opts: { size: number; latencyMs: number }, log: (s: string) => void): Promise<AccessFigures> {
  // The tenant in its own process, as for figure 1: its JSON and TLS work must not share the client's event loop.
  const t = await startRemoteTenant({ size: opts.size, seed: 7, latencyMs: opts.latencyMs });
  const http = tenantFetch(t.port, t.certPem);
  try {
    const scaled = await t.accessScale(5, 2);
    const rows = scaled.rows as Row[];
    const graph = createGraph({ cloud: 'global', getToken: async () => scaled.token, fetchImpl: http.fetch });
    const service = new AccessService({ ensureAccess: async () => undefined, graph: async () => graph, rows: async () => rows });
    const holders: number[] = [];
    let done = false;
    let last: WorkerEvent | null = null;
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 25);
    await t.resetLog();
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
    };
    log(`access check: ${figures.resources} resources, ${holders.join(' / ')} holders, ${Math.round(checkMs)} ms (bound ${figures.boundMs} ms), ${figures.graphRequests} requests`);
    return figures;
  } finally {
    http.close();
    await t.close();
  }
}
