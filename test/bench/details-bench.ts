// The details view's figures (issue "Assignment details"), runnable on its own:
//
//   npx tsx test/bench/details-bench.ts [--size N] [--latency MS] [--iterations N]
//
//  - requests listing ratio: the package's requests listed once (listPackageRequests, one request per
//    assignment in this tenant) against the full assignment load (fetchPackage + fetchAssignments,
//    concurrency 8 as the worker), bracketed A, R, A in the same run: ratio = R / mean(A).
//  - details lookup: building the RequestIndex over every request of the package, then, per opening, the
//    requests of one assignment and of its person (what the worker does for the requests part when the
//    package is cached: no Graph request), median and p95 over random assignments.
// The tenant runs in this process (its JSON work shares the event loop), so the ratio errs against the
// product; the browser figure (click → view painted) is not measured here.
import { performance } from 'node:perf_hooks';
import { RequestIndex } from '../../src/core/assignment-requests';
import type { Row } from '../../src/core/model';
import { fetchAssignments, fetchPackage } from '../../src/graph/assignments';
import { createGraph } from '../../src/graph/client';
import { listPackageRequests } from '../../src/graph/details';
import { IDS, startTenant } from '../tenant';
import { addRequestPerAssignment } from '../tenant/details-scale';
import { percentile } from './stats';
import { tenantFetch } from './tenant-fetch';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

export interface DetailsFigures {
  size: number;
  requests: number;
  assignmentsMs: number[];
  requestsMs: number;
  ratio: number;
  indexBuildMs: number;
  lookupMedianMs: number;
  lookupP95Ms: number;
}

export async function detailsFigures(size: number, latencyMs: number, iterations: number): Promise<DetailsFigures> {
  const t = await startTenant({ port: 0, seed: 7, size, latencyMs, pageSize: 100 });
  try {
    // One request per assignment of the main package (each was asked for once), as a heavy package has.
    const main = t.data.assignments.filter((a) => a.accessPackageId === IDS.mainPackage);
    addRequestPerAssignment(t.data, IDS.mainPackage);
    const http = tenantFetch(t.port, t.certPem);
    const token = t.mintAccessToken();
    const graph = createGraph({ cloud: 'global', getToken: async () => token, fetchImpl: http.fetch });
    const loadAssignments = async (): Promise<number> => {
      const start = performance.now();
      const pkg = fetchPackage(graph, IDS.mainPackage);
      const rows: Row[] = [];
      await fetchAssignments({ graph, packageId: IDS.mainPackage, policies: pkg.then((p) => p.policies), concurrency: 8, onRows: (r) => rows.push(...r) });
      await pkg;
      return performance.now() - start;
    };
    const a1 = await loadAssignments();
    let start = performance.now();
    const { requests: list } = await listPackageRequests(graph, IDS.mainPackage);
    const requestsMs = performance.now() - start;
    const a2 = await loadAssignments();
    http.close();

    start = performance.now();
    const index = new RequestIndex(list);
    const indexBuildMs = performance.now() - start;
    const ids = main.map((a) => a.id);
    const lookups: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const a = main[Math.floor(Math.random() * ids.length)];
      const s = performance.now();
      index.forAssignment(a.id);
      index.withoutAssignment(a.target?.objectId ?? null);
      lookups.push(performance.now() - s);
    }
    return {
      size,
      requests: list.length,
      assignmentsMs: [a1, a2],
      requestsMs,
      ratio: requestsMs / ((a1 + a2) / 2),
      indexBuildMs,
      lookupMedianMs: percentile(lookups, 50),
      lookupP95Ms: percentile(lookups, 95),
    };
  } finally {
    await t.close();
  }
}

if (process.argv[1]?.endsWith('details-bench.ts')) {
  const size = arg('size', 10_000);
  void detailsFigures(size, arg('latency', 20), arg('iterations', 1000)).then((f) => {
    const ms = (x: number): string => `${x.toFixed(x < 10 ? 3 : 0)} ms`;
    console.log(`| figure | value |\n|---|---|`);
    console.log(`| assignment load alone (${f.size} assignments), two runs | ${f.assignmentsMs.map(ms).join(', ')} |`);
    console.log(`| requests listing (${f.requests} requests) | ${ms(f.requestsMs)} |`);
    console.log(`| requests listing / assignment load | ${f.ratio.toFixed(2)} |`);
    console.log(`| request index build (${f.requests} requests) | ${ms(f.indexBuildMs)} |`);
    console.log(`| details requests part on a cached package, median / p95 | ${ms(f.lookupMedianMs)} / ${ms(f.lookupP95Ms)} |`);
  });
}
