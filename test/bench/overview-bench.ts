// The overview across packages at a million rows (issue "Across packages"), in Node, on the worker's own
// code: the Graph answer's JSON parsed and normalised and appended to the column store page by page (the
// client's work per page), the store's bytes per row, a keystroke and a facet change (query + the window of
// rows + the port message's structured clone), the people list, and the CSV streamed in chunks. The shape:
// 2,000 packages in 40 catalogs, 1,000,000 assignments, 300,000 users, skewed (Zipf: a few packages hold
// most rows), Graph's page of 100.
//
// The load's lower bound is computed from the shape, not measured here: the time Graph needs at 100 ms per
// page for the longest chain of next links (a package's biggest policy × state group) and for all pages over
// the requests in flight, and the sign-in data's documented limit (graph-api.md §8).
//
//   npx tsx --expose-gc test/bench/overview-bench.ts [rows] [packages] [catalogs] [users]
import v8 from 'node:v8';
import os from 'node:os';
import type { UserInfo } from '../../src/core/model';
import { normaliseAssignments } from '../../src/core/normalise';
import { overviewCsvChunks } from '../../src/core/overview/csv';
import { OverviewStore, type OverviewPackage, type OverviewQuery } from '../../src/core/overview/store';
import { fmtBytes, fmtMs, median, percentile } from './stats';
import type { TableRow } from './targets';

const PAGE = 100;
const LATENCY_MS = 100;
/** The worker's requests in flight: packages at once × pages per package (src/background/overview/service.ts). */
const IN_FLIGHT = 4 * 4;
const STATES = ['delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'expired', 'delivering', 'deliveryFailed', 'partiallyDelivered'];
const DAY = 86_400_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const hex = (r: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const guid = (r: () => number): string => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-8${hex(r, 3)}-${hex(r, 12)}`;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Shape {
  packages: OverviewPackage[];
  /** rows per package (skewed) */
  sizes: number[];
  policies: string[][];
  users: Array<{ id: string; name: string; upn: string; guest: boolean }>;
}

function shape(rows: number, packageCount: number, catalogCount: number, userCount: number, r: () => number): Shape {
  const catalogs = Array.from({ length: catalogCount }, (_, i) => ({ id: guid(r), name: `Catalog ${i + 1}` }));
  const packages = Array.from({ length: packageCount }, (_, i) => {
    const c = catalogs[i % catalogCount];
    return { id: guid(r), displayName: `Package ${String(i + 1).padStart(4, '0')}`, catalogId: c.id, catalogName: c.name };
  });
  // Zipf (s = 1.1): package k holds a share ∝ 1/k^1.1.
  const weights = packages.map((_, k) => 1 / (k + 1) ** 1.1);
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / sum) * rows)));
  sizes[0] += rows - sizes.reduce((a, b) => a + b, 0);
  const policies = packages.map((_, k) => Array.from({ length: k < 20 ? 4 : 1 + (k % 2) }, () => guid(r)));
  const users = Array.from({ length: userCount }, (_, i) => ({ id: guid(r), name: `User ${i} ${['Lindqvist', 'Ng', 'Okafor', 'Müller', 'Smith'][i % 5]}`, upn: `user${i}@contoso.com`, guest: i % 7 === 0 }));
  return { packages, sizes, policies, users };
}

/** One page of a package's listing as Graph sends it (the expanded target and policy), as JSON text. */
function pageText(s: Shape, p: number, count: number, r: () => number, now: number): string {
  const value = [];
  for (let k = 0; k < count; k++) {
    // People are skewed too: a few hold many packages.
    const u = s.users[Math.floor(r() ** 2 * s.users.length)];
    const policyId = s.policies[p][Math.floor(r() * s.policies[p].length)];
    const state = STATES[Math.floor(r() * STATES.length)];
    const start = now - Math.floor(r() * 900) * DAY;
    const end = r() < 0.5 ? null : now + Math.floor((r() - 0.2) * 400) * DAY;
    value.push({
      id: guid(r),
      state,
      status: state === 'deliveryFailed' ? 'DeliveryFailed' : state === 'expired' ? 'Expired' : 'Delivered',
      expiredDateTime: state === 'expired' ? iso(now - 10 * DAY) : null,
      schedule: { startDateTime: iso(start), expiration: { endDateTime: end === null ? null : iso(end), duration: null, type: end === null ? 'noExpiration' : 'afterDateTime' }, recurrence: null },
      customExtensionCalloutInstances: [],
      target: { id: guid(r), objectId: u.id, displayName: u.name, email: u.upn, principalName: u.upn, subjectType: 'user', onPremisesSecurityIdentifier: null, subjectLifecycle: 'governed' },
      assignmentPolicy: { id: policyId, displayName: `Policy ${policyId.slice(0, 4)}`, description: '', allowedTargetScope: 'allMemberUsers', createdDateTime: iso(now - 900 * DAY), modifiedDateTime: iso(now - 90 * DAY), expiration: null, requestorSettings: null, requestApprovalSettings: null, reviewSettings: null },
    });
  }
  return JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/assignments', value });
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const heap = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

interface Asked {
  fresh: number[];
  returns: number[];
}

interface Spread {
  median: number;
  p95: number;
  max: number;
  n: number;
}

export interface AskedSpread extends Spread {
  returns: Spread;
}

const spreadOf = (xs: number[]): Spread => ({ median: median(xs), p95: percentile(xs, 95), max: Math.max(0, ...xs), n: xs.length });
const spread = (a: Asked): AskedSpread => ({ ...spreadOf(a.fresh), returns: spreadOf(a.returns) });

function timeIt(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export interface OverviewFigures {
  rows: number;
  packages: number;
  catalogs: number;
  users: number;
  pages: number;
  clientPerPageMs: { mean: number; p95: number };
  /** a page arrives every latency / in-flight ms at best: the client's share of that interval */
  clientShareOfPageInterval: number;
  bytesPerRow: number;
  storeBytes: number;
  usersMs: number;
  searchPrepMs: number;
  /** fresh questions (judged) and returns to an earlier one (answered from the store's recent answers) */
  keystroke: AskedSpread;
  facet: AskedSpread;
  peopleMs: number;
  csv: { ms: number; bytes: number; maxChunk: number; heapPeakOverStore: number; livePeakOverStore: number; liveTotal: number };
  /** the complete scope kept on disk: snapshot, structured clone both ways, restore to a first answer */
  disk: { snapshotMs: number; cloneMs: number; bytes: number; restoreMs: number; sameAnswer: boolean };
  bound: { longestChainPages: number; totalPages: number; inFlight: number; boundMs: number; signInRequests: number; signInBoundMs: number };
}

export function runOverviewBench(rows = 1_000_000, packageCount = 2000, catalogCount = 40, userCount = 300_000): OverviewFigures {
  const r = rng(11);
  const now = Date.now();
  const s = shape(rows, packageCount, catalogCount, userCount, r);
  const store = new OverviewStore({ now, staleAfterDays: 90, signInAvailable: true });
  store.setPackages(s.packages);
  const before = heap();

  // Pages of the largest package interleave with the others', as the worker's concurrent loads deliver them.
  const perPage: number[] = [];
  let groupMax = 0;
  let totalPages = 0;
  for (let p = 0; p < s.packages.length; p++) {
    const groups = new Map<string, number>();
    for (let left = s.sizes[p]; left > 0; left -= PAGE) {
      const text = pageText(s, p, Math.min(PAGE, left), r, now);
      totalPages++;
      perPage.push(
        timeIt(() => {
          const parsed = JSON.parse(text) as { value: unknown[] };
          const { rows: page } = normaliseAssignments(parsed.value);
          store.add(s.packages[p].id, page);
          for (const row of page) {
            const key = `${row.policyId}|${row.state}`;
            groups.set(key, (groups.get(key) ?? 0) + 1);
          }
        }),
      );
    }
    for (const n of groups.values()) groupMax = Math.max(groupMax, n);
  }
  const afterRows = heap();
  // What the worker builds for search once the listing is complete (the people's text, each person's rows).
  const searchPrepMs = timeIt(() => store.prepareSearch());

  // Users: account and sign-in data as enrichment delivers it (pages of 500).
  const users: UserInfo[] = s.users.map((u, i) => ({
    id: u.id,
    deleted: i % 97 === 0,
    accountEnabled: i % 23 !== 0,
    userType: u.guest ? 'Guest' : 'Member',
    externalUserState: u.guest ? (i % 3 === 0 ? 'PendingAcceptance' : 'Accepted') : null,
    createdDateTime: iso(now - 800 * DAY),
    lastSuccessfulSignIn: i % 11 === 0 ? null : iso(now - Math.floor(r() * 400) * DAY),
    lastSignIn: null,
    lastNonInteractiveSignIn: null,
  }));
  let usersMs = 0;
  for (let i = 0; i < users.length; i += 500) usersMs += timeIt(() => store.setUsers(users.slice(i, i + 500)));
  // The first query derives the per-person facts; that is part of the users' cost.
  usersMs += timeIt(() => store.query({ search: '', facets: {} }));
  const afterUsers = heap();

  /**
   * What the worker does per question: the query, the window of 60 rows, and the message's clone. A question
   * asked before (a letter erased, a value unticked) may be answered from the store's recent answers: those are
   * timed apart from the fresh ones, and the targets are judged on the fresh ones, the query's real work.
   */
  const asked = new Set<string>([JSON.stringify({ search: '', facets: {} })]);
  const ask = (q: OverviewQuery, into: Asked): void => {
    const key = JSON.stringify(q);
    const ms = timeIt(() => {
      const res = store.query(q);
      const window = [];
      for (let k = 0; k < Math.min(60, res.order.length); k++) window.push(store.row(res.order[k]));
      v8.serialize({ rows: window, counts: res.counts, packages: res.packages });
    });
    (asked.has(key) ? into.returns : into.fresh).push(ms);
    asked.add(key);
  };
  // Three rounds of typing a word and erasing it back, a different word each round.
  const keystrokes: Asked = { fresh: [], returns: [] };
  for (const word of ['user 123', 'okafor 45', 'müller 78']) {
    const typed = Array.from({ length: word.length }, (_, i) => word.slice(0, i + 1));
    for (const text of [...typed, ...typed.slice(0, -1).reverse(), '']) ask({ search: text, facets: {} }, keystrokes);
  }
  // Five rounds of ticking values one after another (narrowing), then unticking them, other values each round.
  const facets: Asked = { fresh: [], returns: [] };
  for (let round = 0; round < 5; round++) {
    const ticks: OverviewQuery['facets'][] = [
      { stale: [['inactive', 'disabled', 'never-signed-in', 'deleted', 'not-stale'][round]] },
      { kind: [['guest', 'member', 'guest', 'member', 'guest'][round]] },
      { state: [['delivered', 'deliveryFailed', 'expired', 'delivering', 'delivered'][round]] },
      { held: [['6+', '2-5', '1', '2-5', '1'][round]] },
      { catalog: [s.packages[3 + round].catalogId!] },
      { package: [s.packages[round].id] },
    ];
    const steps: OverviewQuery['facets'][] = [];
    for (let k = 1; k <= ticks.length; k++) steps.push(Object.assign({}, ...ticks.slice(0, k)));
    for (const f of [...steps, ...steps.slice(0, -1).reverse(), {}]) ask({ search: '', facets: f }, facets);
  }
  const peopleMs = timeIt(() => {
    const res = store.query({ search: '', facets: { stale: ['inactive', 'disabled', 'deleted'] } });
    v8.serialize(store.people(res.order).slice(0, 60));
  });

  // The CSV in chunks: each is handed on (to the port) and dropped, as the worker does.
  let bytes = 0;
  let maxChunk = 0;
  let peak = 0;
  let livePeak = 0;
  const all = store.query({ search: '', facets: {} }).order;
  // Timed chunk by chunk; every 20 chunks, outside the timing, the heap is read twice: as it is (garbage
  // included) and after a full GC (what the export holds alive: the store, its caches and the current chunk).
  let csvMs = 0;
  const chunks = overviewCsvChunks(store, all, 5000);
  for (let n = 1; ; n++) {
    const t = performance.now();
    const next = chunks.next();
    csvMs += performance.now() - t;
    if (next.done) break;
    bytes += next.value.length;
    maxChunk = Math.max(maxChunk, next.value.length);
    if (n % 20 === 0) {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      livePeak = Math.max(livePeak, heap());
    }
  }

  // The scope kept on disk for a later worker (src/background/overview/service.ts): the snapshot, its
  // structured clone (v8.serialize is the same algorithm IndexedDB uses), and a restore from it that answers.
  let snap: ReturnType<OverviewStore['snapshot']> | null = null;
  const snapshotMs = timeIt(() => void (snap = store.snapshot()));
  let bytesOnDisk = 0;
  let copy: unknown = null;
  const cloneMs = timeIt(() => {
    const buf = v8.serialize(snap);
    bytesOnDisk = buf.byteLength;
    copy = v8.deserialize(buf);
  });
  snap = null;
  let restored: OverviewStore | null = null;
  const restoreMs = timeIt(() => {
    restored = OverviewStore.restore(copy as ReturnType<OverviewStore['snapshot']>, store.options);
    restored.query({ search: '', facets: {} });
  });
  const sameAnswer = restored!.query({ search: 'user 12', facets: { stale: ['inactive'] } }).order.length === store.query({ search: 'user 12', facets: { stale: ['inactive'] } }).order.length;
  copy = null;
  restored = null;

  const bound = {
    longestChainPages: Math.ceil(groupMax / PAGE),
    totalPages,
    inFlight: IN_FLIGHT,
    boundMs: Math.max(Math.ceil(groupMax / PAGE), Math.ceil(totalPages / IN_FLIGHT)) * LATENCY_MS,
    // The tenant pass of sign-in data: 500 users per page at 10 requests per minute (graph-api.md §8).
    signInRequests: Math.ceil(userCount / 500),
    signInBoundMs: Math.ceil(userCount / 500 / 10) * 60_000,
  };
  const meanPage = perPage.reduce((a, b) => a + b, 0) / perPage.length;
  return {
    rows,
    packages: packageCount,
    catalogs: catalogCount,
    users: userCount,
    pages: totalPages,
    clientPerPageMs: { mean: meanPage, p95: percentile(perPage, 95) },
    clientShareOfPageInterval: meanPage / (LATENCY_MS / IN_FLIGHT),
    bytesPerRow: (afterUsers - before) / rows,
    storeBytes: afterRows - before,
    usersMs,
    searchPrepMs,
    keystroke: spread(keystrokes),
    facet: spread(facets),
    peopleMs,
    csv: {
      ms: csvMs,
      bytes,
      maxChunk,
      heapPeakOverStore: Math.max(0, peak - afterUsers),
      livePeakOverStore: Math.max(0, livePeak - afterUsers),
      liveTotal: Math.max(0, livePeak - before),
    },
    disk: { snapshotMs, cloneMs, bytes: bytesOnDisk, restoreMs, sameAnswer },
    bound,
  };
}

const askedText = (a: AskedSpread): string =>
  `fresh questions: median ${fmtMs(a.median)}, p95 ${fmtMs(a.p95)}, max ${fmtMs(a.max)} (n=${a.n}); back to an earlier one: median ${fmtMs(a.returns.median)}, p95 ${fmtMs(a.returns.p95)} (n=${a.returns.n})`;

export function overviewRows(f: OverviewFigures): TableRow[] {
  const n = (x: number): string => x.toLocaleString('en');
  return [
    { figure: '9 overview shape', value: `${n(f.rows)} assignments, ${n(f.packages)} packages in ${f.catalogs} catalogs, ${n(f.users)} users (Zipf 1.1), ${n(f.pages)} pages of ${PAGE}`, target: 'context', met: null },
    {
      figure: '9 client work per page (parse, normalise, store)',
      value: `mean ${fmtMs(f.clientPerPageMs.mean)}, p95 ${fmtMs(f.clientPerPageMs.p95)}: ${(f.clientShareOfPageInterval * 100).toFixed(0)} % of the ${fmtMs(LATENCY_MS / IN_FLIGHT)} between pages (${LATENCY_MS} ms × ${IN_FLIGHT} in flight)`,
      target: 'under 100 % (bound by Graph, not the client)',
      met: f.clientShareOfPageInterval < 1,
    },
    { figure: '9 worker bytes per row (rows, people, users)', value: `${f.bytesPerRow.toFixed(0)} B: ${fmtBytes(f.bytesPerRow * f.rows)} for the scope`, target: '< 250 MB', met: f.bytesPerRow * f.rows < 250 * 1024 * 1024 },
    { figure: '9 keystroke in the worker (query, window, message)', value: askedText(f.keystroke), target: '< 50 / < 100 ms (fresh questions)', met: f.keystroke.median < 50 && f.keystroke.p95 < 100 },
    { figure: '9 facet change in the worker (query, window, message)', value: askedText(f.facet), target: '< 50 / < 100 ms (fresh questions)', met: f.facet.median < 50 && f.facet.p95 < 100 },
    { figure: '9 people list (stale people)', value: fmtMs(f.peopleMs), target: 'context', met: null },
    { figure: '9 search prepared when the listing ends (people\'s text, each person\'s rows; in the bytes per row)', value: fmtMs(f.searchPrepMs), target: 'context', met: null },
    { figure: '9 users applied (records + derived facts)', value: fmtMs(f.usersMs), target: 'context', met: null },
    {
      figure: '9 CSV of every row in 5,000-row chunks',
      value: `${fmtMs(f.csv.ms)}, ${fmtBytes(f.csv.bytes)}, largest chunk ${fmtBytes(f.csv.maxChunk)}, heap above the store ${fmtBytes(f.csv.heapPeakOverStore)} (garbage included)`,
      target: '< 10 s',
      met: f.csv.ms < 10_000,
    },
    {
      // Chunk sizes are UTF-16 code units; a string of them takes up to 2 bytes each.
      figure: '9 memory held during the CSV (heap after a full GC every 20 chunks: store, caches, the current chunk)',
      value: `${fmtBytes(f.csv.liveTotal)} in all, ${fmtBytes(f.csv.livePeakOverStore)} above the store with its users`,
      target: '< 250 MB + one chunk',
      met: f.csv.liveTotal < 250 * 1024 * 1024 + 2 * f.csv.maxChunk,
    },
    {
      figure: '9 scope kept on disk for a later worker (snapshot when its panel lets go; read back and restored on open)',
      value: `snapshot ${fmtMs(f.disk.snapshotMs)}, structured clone out and in ${fmtMs(f.disk.cloneMs)} (${fmtBytes(f.disk.bytes)}), restore to a first answer ${fmtMs(f.disk.restoreMs)}${f.disk.sameAnswer ? '' : '; the restored store answers DIFFERENTLY'}`,
      target: 'reopen < reading from Graph (the bound below)',
      met: f.disk.sameAnswer && f.disk.cloneMs + f.disk.restoreMs < f.bound.boundMs,
    },
    {
      figure: '9 load lower bound (computed)',
      value: `max(longest chain ${f.bound.longestChainPages} pages, ${n(f.bound.totalPages)} pages / ${f.bound.inFlight} in flight) × ${LATENCY_MS} ms = ${fmtMs(f.bound.boundMs)}; sign-in data ${f.bound.signInRequests} pages at 10 per minute (graph-api.md §8) = ${fmtMs(f.bound.signInBoundMs)}`,
      target: 'full load not measured at this size',
      met: null,
    },
  ];
}

if (process.argv[1] && /overview-bench\.ts$/.test(process.argv[1])) {
  const [rows, packages, catalogs, users] = process.argv.slice(2).map(Number);
  try {
    const f = runOverviewBench(rows || undefined, packages || undefined, catalogs || undefined, users || undefined);
    if (process.send) process.send({ ok: true, figures: f });
    else {
      console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${fmtBytes(os.totalmem())}, load ${os.loadavg()[0].toFixed(2)}, node ${process.version}${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for exact bytes)'}`);
      for (const r of overviewRows(f)) console.log(`${r.figure} | ${r.value} | ${r.target} | ${r.met === null ? '' : r.met ? 'met' : 'NOT met'}`);
    }
  } catch (e) {
    if (!process.send) throw e;
    process.send({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}
