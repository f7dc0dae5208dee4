// The details view's targets (issue "Assignment details") as table rows; pure, unit-tested in test/unit/bench.
// Figures come from details-browser-bench.ts.
import type { DetailsBrowserFigures } from './details-browser-bench';
import { fmtMs, median, percentile } from './stats';
import type { TableRow } from './targets';

export const DETAILS_TARGETS = { viewMedianMs: 50, viewP95Ms: 100, requestListings: 0 } as const;

const int = (n: number): string => n.toLocaleString('en-US');

export function detailsRows(f: DetailsBrowserFigures): TableRow[] {
  const T = DETAILS_TARGETS;
  const rows: TableRow[] = [];
  const pkg = `${int(f.assignments)} assignments, ${int(f.requests)} requests`;
  for (const [name, xs] of [
    ['view painted', f.viewMs],
    ['its requests painted', f.requestsMs],
  ] as const) {
    const med = median(xs);
    const p95 = percentile(xs, 95);
    rows.push({
      figure: `details: click → ${name}, cached package of ${pkg} (Chromium; median / p95)`,
      value: `${fmtMs(med)} / ${fmtMs(p95)} (max ${fmtMs(Math.max(...xs))}, n=${xs.length})`,
      target: `< ${T.viewMedianMs} ms / < ${T.viewP95Ms} ms`,
      met: med < T.viewMedianMs && p95 < T.viewP95Ms,
    });
  }
  rows.push({
    figure: `details: Graph requests for the requests part during the ${f.viewMs.length} opens`,
    value: `${f.openRequestListings} (all Graph requests of the opens: ${f.openGraphRequests}, for the person, manager, approvals and other assignments)`,
    target: `${T.requestListings}`,
    met: f.openRequestListings === T.requestListings,
  });
  rows.push({
    figure: `details: the requests listing added to a full package load (${pkg}, ${f.latencyMs} ms per page)`,
    value:
      `${f.ratio.toFixed(2)}× the assignment listing: requests ${fmtMs(f.requestsSpanMs)} (${int(f.requestPages)} pages), ` +
      `assignments ${fmtMs(f.assignmentsSpanMs)} (${int(f.assignmentPages)} pages); rows shown ${fmtMs(f.loadMs)} after navigation (the requests are listed after)`,
    target: '',
    met: null,
  });
  return rows;
}
