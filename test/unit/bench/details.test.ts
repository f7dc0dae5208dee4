import type { DetailsBrowserFigures } from '../../bench/details-browser-bench';
import { detailsRows } from '../../bench/details-targets';

const figures = (over: Partial<DetailsBrowserFigures> = {}): DetailsBrowserFigures => ({
  chromium: 'Chrome/1',
  assignments: 100_000,
  requests: 100_006,
  latencyMs: 100,
  loadMs: 40_000,
  assignmentsSpanMs: 35_000,
  assignmentPages: 1_012,
  requestsSpanMs: 70_000,
  requestPages: 1_020,
  ratio: 2,
  viewMs: [10, 12, 14, 15, 16, 18, 20, 22, 30, 45],
  requestsMs: [12, 14, 16, 18, 20, 22, 24, 26, 30, 60],
  openGraphRequests: 40,
  openRequestListings: 0,
  ...over,
});

describe('details rows', () => {
  it('states median and p95 of click → painted against 50 / 100 ms, and the requests part’s Graph requests against 0', () => {
    const rows = detailsRows(figures());
    expect(rows[0]).toMatchObject({ met: true, target: '< 50 ms / < 100 ms' });
    expect(rows[0].value).toMatch(/^16 ms \/ 45 ms/);
    expect(rows[2]).toMatchObject({ met: true, target: '0' });
    expect(rows[2].value).toMatch(/^0 \(all Graph requests of the opens: 40/);
    expect(rows[3].value).toMatch(/^2\.00× the assignment listing/);
  });

  it('misses when a slow open drives the p95 over 100 ms, or an open asks Graph for the requests', () => {
    const rows = detailsRows(figures({ viewMs: [10, 10, 10, 10, 10, 10, 10, 10, 10, 150], openRequestListings: 2 }));
    expect(rows[0].met).toBe(false);
    expect(rows[2].met).toBe(false);
  });
});
