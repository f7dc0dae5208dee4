// Review mode's targets in Chromium (issue "Access review") as table rows; pure, unit-tested in test/unit/bench.
// Figures come from review-browser-bench.ts.
import type { ReviewBrowserFigures } from './review-browser-bench';
import { fmtMs, median, percentile } from './stats';
import { TARGETS, type TableRow } from './targets';

const int = (n: number): string => n.toLocaleString('en-US');

export function reviewBrowserRows(f: ReviewBrowserFigures): TableRow[] {
  const saved = f.bulk.map((b) => b.savedMs);
  const longest = Math.max(0, ...f.bulk.map((b) => b.longestTaskMs));
  const selected = f.bulk[0]?.selected ?? 0;
  const after = f.resume.map((r) => r.afterListMs);
  return [
    {
      figure: `review: bulk decision on ${int(selected)} of ${int(f.assignments)} rows (${f.facet}), click → recorded and saved (Chromium; median / p95)`,
      value:
        `${fmtMs(median(saved))} / ${fmtMs(percentile(saved, 95))} (shown after ${fmtMs(median(f.bulk.map((b) => b.recordedMs)))}, n=${saved.length}); ` +
        `longest page task ${fmtMs(longest)} (${f.bulk.reduce((n, b) => n + b.longTasks, 0)} tasks > 50 ms in all)`,
      target: `< ${fmtMs(TARGETS.reviewBulkMs)}, no task > ${TARGETS.reviewLongestTaskMs} ms`,
      met: median(saved) < TARGETS.reviewBulkMs && longest <= TARGETS.reviewLongestTaskMs,
    },
    {
      figure: `review: keep on all ${int(f.all.selected)} rows, click → recorded and saved (Chromium)`,
      value: `${fmtMs(f.all.savedMs)} (shown after ${fmtMs(f.all.recordedMs)}); longest page task ${fmtMs(f.all.longestTaskMs)}`,
      target: '',
      met: null,
    },
    {
      figure: `review: resume ${int(f.assignments)} decisions after a reload, rows shown → rows with their decisions (Chromium; median / max)`,
      value:
        `${fmtMs(median(after))} / ${fmtMs(Math.max(...after))} (n=${after.length}); ` +
        `navigation → rows ${fmtMs(median(f.resume.map((r) => r.listMs)))}, → decisions ${fmtMs(median(f.resume.map((r) => r.decisionsMs)))}`,
      target: `< ${fmtMs(TARGETS.reviewResumeMs)}`,
      met: median(after) < TARGETS.reviewResumeMs,
    },
  ];
}
