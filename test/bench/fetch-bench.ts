// Figure 1: the full assignment list, the product's fetcher (package read + partitioned fetchAssignments)
// against the baseline users have today (the unpartitioned listing paged by the Graph client's own
// PageIterator, what `Get-MgEntitlementManagementAssignment -All` does).
//
// Both run in the same benchmark run against the same server, each with its own client (own connections,
// own counters), either bracketed or concurrently (see FetchMode): on a shared 2-core machine the load from
// other processes drifts from one minute to the next, and the comparison must not depend on it.
import { fetchAssignments, fetchAssignmentsSequential, fetchPackage, type FetchAssignmentsResult } from '../../src/graph/assignments';
import type { Row } from '../../src/core/model';
import { IDS } from '../tenant/ids';
import { nodeGraph, type NodeGraph } from './graph-node';
import { longestPartitionChain, type RemoteTenant } from './remote-tenant';
import { lowerBoundPages, mean, median } from './stats';

export interface FetchRun {
  ms: number;
  ids: Set<string>;
  /** pages the fetcher reported */
  pages: number;
  /** HTTP requests this fetcher sent */
  requests: number;
  /** the most requests this fetcher had open at once (sent, answer not yet complete) */
  maxInFlight: number;
  /** median time from sending a request to its complete answer */
  medianRequestMs: number;
  missing: number;
  problems: string[];
  /** the package and policy read before the listing (product only) */
  packageMs?: number;
}

export interface FetchFigures {
  /** 'a' (four policies, mixed states) or 'b' (one policy, nearly all delivered) */
  shape: 'a' | 'b';
  mode: FetchMode;
  rows: number;
  latencyMs: number;
  pageSize: number;
  /** the longest policy × state group in pages, and that times the page latency */
  boundPages: number;
  boundMs: number;
  /** the product (bracketed: the mean of its two runs, with the counts of both combined) */
  product: FetchRun;
  productRunsMs: number[];
  baseline: FetchRun;
  /** the most Graph requests the tenant counted open at once (concurrent: both fetchers together) */
  tenantMaxInFlight: number;
  /** concurrent only: the baseline's median request time while the product also ran, and after it finished */
  baselineRequestMsDuring: number | null;
  baselineRequestMsAfter: number | null;
  /** where a page's time goes on the product's longest chain and on the baseline (means, ms per page) */
  perPage: { productChainPages: number; productChainServerMs: number; productChainClientMs: number; baselineRequestMs: number; baselineClientMs: number };
  /** both fetchers returned exactly the tenant's ids */
  sameIds: boolean;
  idsNote: string;
}

type Runner = (g: NodeGraph, onRows: (rows: Row[]) => void) => Promise<FetchAssignmentsResult & { packageMs?: number }>;

async function timed(g: NodeGraph, t0: number, run: Runner): Promise<FetchRun & { g: NodeGraph }> {
  const ids = new Set<string>();
  const result = await run(g, (rows) => {
    for (const r of rows) ids.add(r.id);
  });
  const ms = performance.now() - t0;
  g.close();
  const times = g.http.timings();
  return {
    g,
    ms,
    ids,
    pages: result.pages,
    requests: times.length,
    maxInFlight: g.http.inFlight().max,
    medianRequestMs: median(times.map((t) => t.end - t.start)),
    missing: result.missing.length,
    problems: result.problems,
    packageMs: result.packageMs,
  };
}

/** As the worker does (background/session.ts): the package and its policies first, then the list. */
const product: Runner = async (g, onRows) => {
  const p0 = performance.now();
  const { policies } = await fetchPackage(g.graph, IDS.mainPackage);
  const packageMs = performance.now() - p0;
  const r = await fetchAssignments({ graph: g.graph, packageId: IDS.mainPackage, policies, concurrency: 8, onRows });
  return { ...r, packageMs };
};

const baseline: Runner = (g, onRows) => fetchAssignmentsSequential({ graph: g.graph, packageId: IDS.mainPackage, onRows });

function compareIds(expected: Set<string>, a: Set<string>, b: Set<string>): { same: boolean; note: string } {
  const diff = (x: Set<string>, y: Set<string>): number => [...x].filter((v) => !y.has(v)).length;
  const parts: string[] = [];
  for (const [name, got] of [['product', a], ['baseline', b]] as const) {
    const lost = diff(expected, got);
    const extra = diff(got, expected);
    if (lost || extra) parts.push(`${name}: ${lost} missing, ${extra} unexpected`);
  }
  const same = parts.length === 0 && a.size === b.size;
  return { same, note: same ? `${a.size.toLocaleString('en-US')} ids in both, exactly the tenant's` : parts.join('; ') };
}

/** The product's longest chain in the tenant's log since the last reset: the partition filter with the most pages. */
async function longestChain(tenant: RemoteTenant): Promise<{ pages: number; serverMs: number; clientMs: number }> {
  // partitions only (the unpartitioned listing is the baseline's too)
  const { pages, serverMs, betweenMs } = longestPartitionChain(await tenant.log());
  return { pages, serverMs, clientMs: betweenMs };
}

const strip = ({ g: _g, ...run }: FetchRun & { g: NodeGraph }): FetchRun => run;

/**
 * How the two fetchers share the machine:
 * - bracketed: product, baseline, product, each alone; the product's figure is the mean of its two runs, so a
 *   load that drifts during the run weighs on both sides alike. For shape (a): run together, the product's
 *   8 streams would slow the baseline for a third of its run while the baseline's one stream slows the
 *   product for all of its run.
 * - concurrent: both at once. For shape (b), where each is one long chain (symmetric), and the difference
 *   to measure (3 %) is smaller than the load drift between two 110 s runs on a shared machine.
 */
export type FetchMode = 'bracketed' | 'concurrent';

export async function fetchFigures(tenant: RemoteTenant, shape: 'a' | 'b', mode: FetchMode, log: (s: string) => void): Promise<FetchFigures> {
  const truth = await tenant.truth(IDS.mainPackage);
  const config = await tenant.config();
  const { latencyMs } = config;
  // Where the service honours $top, the biggest page it gives is what any fetcher could get at best.
  const pageSize = config.honourTop ? config.maxTop : config.pageSize;
  const boundPages = lowerBoundPages(truth.groups, pageSize);
  log(`  shape ${shape}: ${truth.ids.length} assignments; longest policy×state group ${boundPages} pages → bound ${((boundPages * latencyMs) / 1000).toFixed(1)} s (${mode})`);
  const say = (who: string) => (r: FetchRun & { g: NodeGraph }) => {
    log(`  shape ${shape}: ${who} done in ${(r.ms / 1000).toFixed(1)} s (${r.requests} requests, at most ${r.maxInFlight} in flight)`);
    return r;
  };
  const alone = async (who: string, run: Runner) => {
    const g = await nodeGraph(tenant);
    await tenant.resetLog();
    const r = await timed(g, performance.now(), run).then(say(who));
    return { r, tenantMax: await tenant.maxInFlight('graph.microsoft.com'), chain: run === product ? await longestChain(tenant) : null };
  };

  let productRuns: Array<FetchRun & { g: NodeGraph }>;
  let b: FetchRun & { g: NodeGraph };
  let tenantMaxInFlight: number;
  let chain: { pages: number; serverMs: number; clientMs: number };
  let during: number[] | null = null;
  let after: number[] | null = null;
  if (mode === 'bracketed') {
    const p1 = await alone('product (1 of 2)', product);
    const b1 = await alone('baseline', baseline);
    const p2 = await alone('product (2 of 2)', product);
    productRuns = [p1.r, p2.r];
    b = b1.r;
    tenantMaxInFlight = Math.max(p1.tenantMax, p2.tenantMax);
    chain = p2.chain ?? { pages: 0, serverMs: Number.NaN, clientMs: Number.NaN };
  } else {
    const [pg, bg] = [await nodeGraph(tenant), await nodeGraph(tenant)];
    await tenant.resetLog();
    const t0 = performance.now();
    const [p, base] = await Promise.all([timed(pg, t0, product).then(say('product')), timed(bg, t0, baseline).then(say('baseline'))]);
    productRuns = [p];
    b = base;
    tenantMaxInFlight = await tenant.maxInFlight('graph.microsoft.com');
    chain = await longestChain(tenant);
    const productEnd = t0 + p.ms;
    const bt = b.g.http.timings();
    during = bt.filter((t) => t.end <= productEnd).map((t) => t.end - t.start);
    after = bt.filter((t) => t.start >= productEnd).map((t) => t.end - t.start);
  }
  const checks = productRuns.map((p) => compareIds(new Set(truth.ids), p.ids, b.ids));
  const bt = b.g.http.timings();
  const runs = productRuns.map(strip);
  const combined: FetchRun = {
    ...runs[runs.length - 1],
    ms: mean(runs.map((r) => r.ms)),
    requests: Math.max(...runs.map((r) => r.requests)),
    maxInFlight: Math.max(...runs.map((r) => r.maxInFlight)),
    missing: Math.max(...runs.map((r) => r.missing)),
    problems: [...new Set(runs.flatMap((r) => r.problems))],
  };
  return {
    shape,
    mode,
    rows: truth.ids.length,
    latencyMs,
    pageSize,
    boundPages,
    boundMs: boundPages * latencyMs,
    product: combined,
    productRunsMs: runs.map((r) => r.ms),
    baseline: strip(b),
    tenantMaxInFlight,
    baselineRequestMsDuring: during ? median(during) : null,
    baselineRequestMsAfter: after ? median(after) : null,
    perPage: {
      productChainPages: chain.pages,
      productChainServerMs: chain.serverMs,
      productChainClientMs: chain.clientMs,
      baselineRequestMs: mean(bt.map((t) => t.end - t.start)),
      baselineClientMs: mean(bt.slice(1).map((t, i) => t.start - bt[i].end)),
    },
    sameIds: checks.every((c) => c.same),
    idsNote: checks.find((c) => !c.same)?.note ?? checks[0].note,
  };
}
