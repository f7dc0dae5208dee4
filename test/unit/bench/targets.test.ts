import type { BrowserFigures } from '../../bench/browser-bench';
import type { EnrichFigures } from '../../bench/enrich-bench';
import type { FetchFigures, FetchRun } from '../../bench/fetch-bench';
import type { MicroFigures } from '../../bench/micro';
import { markdownTable, renderTable, tableRows, type TableRow } from '../../bench/targets';

const run = (ms: number, extra: Partial<FetchRun> = {}): FetchRun => ({
  ms,
  ids: new Set(['a', 'b']),
  pages: 10,
  requests: 10,
  maxInFlight: 8,
  medianRequestMs: 100,
  missing: 0,
  problems: [],
  ...extra,
});

const fetchFig = (shape: 'a' | 'b', productMs: number, baselineMs: number, extra: Partial<FetchFigures> = {}): FetchFigures => ({
  shape,
  mode: shape === 'a' ? 'bracketed' : 'concurrent',
  rows: 2,
  latencyMs: 100,
  pageSize: 100,
  boundPages: 323,
  boundMs: 32_300,
  product: run(productMs),
  productRunsMs: [productMs],
  baseline: run(baselineMs, { maxInFlight: 1 }),
  tenantMaxInFlight: 10,
  baselineRequestMsDuring: 105,
  baselineRequestMsAfter: 104,
  perPage: { productChainPages: 323, productChainServerMs: 105, productChainClientMs: 4, baselineRequestMs: 104, baselineClientMs: 3 },
  sameIds: true,
  idsNote: '2 ids in both',
  ...extra,
});

const row = (rows: TableRow[], start: string): TableRow => {
  const r = rows.find((x) => x.figure.startsWith(start));
  if (!r) throw new Error(`no row ${start}: ${rows.map((x) => x.figure).join(' / ')}`);
  return r;
};

describe('full fetch targets', () => {
  it('shape a needs 3× the baseline and 1.25× the bound at most', () => {
    const ok = tableRows({ fetch: [fetchFig('a', 37_000, 111_000)] });
    expect(row(ok, '1 full fetch, shape a (4 policies, mixed states): product vs').met).toBe(true);
    expect(row(ok, '1 full fetch, shape a (4 policies, mixed states): product').met).toBe(true); // 1.15× bound

    const slow = tableRows({ fetch: [fetchFig('a', 41_000, 120_000)] });
    expect(row(slow, '1 full fetch, shape a (4 policies, mixed states): product vs').met).toBe(false); // 2.93×
    expect(row(slow, '1 full fetch, shape a (4 policies, mixed states): product').met).toBe(false); // 1.27× bound
  });

  it('shape b only has to be no slower than the baseline', () => {
    const b = (p: number, base: number) => row(tableRows({ fetch: [fetchFig('b', p, base)] }), '1 full fetch, shape b (1 policy, ~97 % delivered): product vs');
    expect(b(100_000, 100_000).met).toBe(true);
    expect(b(100_001, 100_000).met).toBe(false);
  });

  it('more than 8 requests in flight, a missing page or different ids fail', () => {
    const many = fetchFig('a', 37_000, 111_000, { product: run(37_000, { maxInFlight: 9 }) });
    expect(row(tableRows({ fetch: [many] }), '1 full fetch, shape a (4 policies, mixed states): requests in flight').met).toBe(false);
    const lost = fetchFig('a', 37_000, 111_000, { product: run(37_000, { missing: 1 }) });
    expect(row(tableRows({ fetch: [lost] }), '1 full fetch, shape a (4 policies, mixed states): same ids').met).toBe(false);
    const differ = fetchFig('a', 37_000, 111_000, { sameIds: false });
    expect(row(tableRows({ fetch: [differ] }), '1 full fetch, shape a (4 policies, mixed states): same ids').met).toBe(false);
  });
});

const micro = (keyMedian: number, keyP95: number, csvMs: number): MicroFigures => ({
  rows: 100_000,
  indexMs: 300,
  firstSearchMs: 40,
  keystroke: { samples: 200, medianMs: keyMedian, p95Ms: keyP95, maxMs: keyP95 + 1, cpuMedianMs: keyMedian, cpuP95Ms: keyP95 },
  facetToggle: { samples: 200, medianMs: 2, p95Ms: 5, maxMs: 6, cpuMedianMs: 2, cpuP95Ms: 5 },
  csv: { ms: csvMs, bytes: 30e6, peakExtraBytes: 100e6, chunks: 21, longestChunkMs: 50 },
  workerRows: { heapBytes: 120e6, perRowBytes: 1200 },
});

describe('filter and CSV targets', () => {
  it('a keystroke needs a median under 10 ms and a p95 under 16 ms', () => {
    expect(row(tableRows({ fetch: [], micro: micro(9.9, 15.9, 500) }), '3 search keystroke').met).toBe(true);
    expect(row(tableRows({ fetch: [], micro: micro(10, 12, 500) }), '3 search keystroke').met).toBe(false);
    expect(row(tableRows({ fetch: [], micro: micro(3, 16, 500) }), '3 search keystroke').met).toBe(false);
  });

  it('CSV of 100,000 rows under 1.5 s', () => {
    expect(row(tableRows({ fetch: [], micro: micro(1, 2, 1499) }), '4 CSV of').met).toBe(true);
    expect(row(tableRows({ fetch: [], micro: micro(1, 2, 1500) }), '4 CSV of').met).toBe(false);
  });
});

const enrich = (budgetUsed: number, throttled429: number): EnrichFigures => ({
  users: 100_000,
  tenantUsers: 100_000,
  windowMs: 3000,
  requestsPerWindow: 10,
  ms: 60_000,
  strategy: 'tenant-pass',
  signInRequests: 200,
  bound: 200,
  signInSpanMs: 59_000,
  budgetUsed,
  throttled429,
  withSignIn: 90_000,
  accountOnly: 5_000,
  available: true,
  problems: [],
});

describe('sign-in enrichment targets', () => {
  it('needs 90 % of the budget and no 429', () => {
    const rows = tableRows({ fetch: [], enrich: enrich(0.9, 0) });
    expect(row(rows, '5 sign-in enrichment, 100,000 users: budget used').met).toBe(true);
    expect(row(rows, '5 sign-in enrichment: 429s').met).toBe(true);
    const bad = tableRows({ fetch: [], enrich: enrich(0.89, 1) });
    expect(row(bad, '5 sign-in enrichment, 100,000 users: budget used').met).toBe(false);
    expect(row(bad, '5 sign-in enrichment: 429s').met).toBe(false);
  });
});

const browser = (over: { otherFiles?: string[]; otherBytes?: number; second?: number; first?: number; peak?: number; keyP95?: number } = {}): BrowserFigures => ({
  chromium: 'Chrome/156',
  footprint: {
    other: { files: (over.otherFiles ?? ['content.js']).map((file) => ({ file, bytes: 1400 })), bytes: over.otherBytes ?? 1400, graphRequests: 0 },
    packagePage: { files: [{ file: 'content.js', bytes: 1400 }, { file: 'panel.js', bytes: 100_000 }], bytes: 101_400, graphRequests: 5 },
    contentJsBytes: 1400,
    panelJsBytes: 100_000,
  },
  firstRows: { rows: 100_000, latencyMs: 100, fromNavigationMs: 600, fromFirstListRequestMs: 180, navigationToFirstGraphMs: 300 },
  secondOpen: { rows: 5, firstOpenSignInRequests: over.first ?? 1, secondOpenSignInRequests: over.second ?? 0, secondOpenListings: 1, shownFromCache: true },
  load100k: { rows: 100_000, shown: 100_000, loadMs: 30_000, workerHeapBeforeBytes: 2e6, workerHeapPeakBytes: over.peak ?? 150e6, workerHeapAfterBytes: 3e6, panelHeapBytes: 300e6 },
  csv: { rows: 100_000, ms: 900, bytes: 30e6, longestTaskMs: 60, longTasks: 3, rowsInFile: 100_000 },
  interaction: {
    rows: 100_000,
    keystroke: { samples: 50, medianMs: 8, p95Ms: over.keyP95 ?? 14, maxMs: 20 },
    facetToggle: { samples: 42, medianMs: 6, p95Ms: 12, maxMs: 15 },
  },
});

describe('browser targets', () => {
  it('a non-package page may receive at most 5 KB and never the panel', () => {
    expect(row(tableRows({ fetch: [], browser: browser() }), '6 script injected into a portal page').met).toBe(true);
    expect(row(tableRows({ fetch: [], browser: browser({ otherBytes: 5121 }) }), '6 script injected into a portal page').met).toBe(false);
    expect(row(tableRows({ fetch: [], browser: browser({ otherFiles: ['content.js', 'panel.js'] }) }), '6 script injected into a portal page').met).toBe(false);
  });

  it('the second open must make no sign-in request, and the first must have made one (else nothing was tested)', () => {
    expect(row(tableRows({ fetch: [], browser: browser() }), '5 second open').met).toBe(true);
    expect(row(tableRows({ fetch: [], browser: browser({ second: 1 }) }), '5 second open').met).toBe(false);
    expect(row(tableRows({ fetch: [], browser: browser({ first: 0 }) }), '5 second open').met).toBe(false);
  });

  it('a keystroke in the panel is judged like the pure filter: one frame at p95', () => {
    expect(row(tableRows({ fetch: [], browser: browser() }), '3 search keystroke in the panel').met).toBe(true);
    expect(row(tableRows({ fetch: [], browser: browser({ keyP95: 16 }) }), '3 search keystroke in the panel').met).toBe(false);
  });

  it('first rows within the page latency plus 100 ms; worker heap under 200 MB', () => {
    const rows = tableRows({ fetch: [], browser: browser({ peak: 210 * 1024 * 1024 }) });
    expect(row(rows, '2 first rows: first assignments request').met).toBe(true);
    expect(row(rows, '6 worker heap').met).toBe(false);
  });
});

describe('rendering', () => {
  it('prints every row with its verdict, and Markdown escapes pipes', () => {
    const rows: TableRow[] = [
      { figure: 'x', value: 'a | b', target: '< 1', met: false },
      { figure: 'y', value: '2', target: '', met: null },
    ];
    const text = renderTable(rows);
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toContain('NO');
    const md = markdownTable(rows);
    expect(md).toContain('a \\| b');
    expect(md).toContain('**no**');
  });
});
