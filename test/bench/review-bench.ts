// Review mode's figures, in Node, on the demo tenant's generated assignments (100,000 at the default size):
// a bulk decision on half of them, resuming a review with a decision on every row, and the review CSV.
//
// What each figure adds up (the browser's own costs around them are not measured here):
// - bulk decision: the panel builds the 50,000 decisions with their facts (recommendation rule), the port
//   message's structured clone, the worker records them (decide), the structured clone IndexedDB makes of the
//   whole review on put, and the panel's new decision values plus the filter run that repaints the rows. The
//   longest single panel-side step stands in for the longest main-thread task.
// - resume: the stored review's structured clone (IndexedDB read and the port message), the decision values
//   and the filter run: the first rows can be painted with their decisions after this.
// - CSV: reviewCsv over every assignment in the review (the panel then hands one Blob to the download).
//
// Run alone: npx tsx test/bench/review-bench.ts [size] [iterations]
import { createFilterIndex, runFilter } from '../../src/core/filters';
import { normaliseAssignments } from '../../src/core/normalise';
import { reviewCsv, type CurrentFacts } from '../../src/core/review/evidence';
import { decide, decisionValues, newReview, type DecisionItem, type Review, type RowFacts } from '../../src/core/review/model';
import { recommend } from '../../src/core/review/recommend';
import type { Row, ViewRow } from '../../src/core/model';
import { toViewRows } from '../../src/core/stale';
import { generateTenant } from '../tenant/generate';
import { graphPages, usersOf } from './micro';
import { median, percentile } from './stats';

export interface ReviewFigures {
  rows: number;
  bulk: { selected: number; medianMs: number; p95Ms: number; longestPanelStepMs: number };
  resume: { decisions: number; medianMs: number };
  csv: { rows: number; ms: number; bytes: number };
}

function factsOf(r: ViewRow, now: number): RowFacts {
  const rec = recommend(r, { now, signInAvailable: true });
  return {
    displayName: r.displayName,
    principalName: r.principalName,
    state: r.state,
    staleReasons: [...r.staleReasons],
    expiry: r.expiry,
    activity: r.activity,
    recommendation: rec.recommendation,
    recommendationReasons: rec.reasons,
  };
}

const time = (fn: () => void): number => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

export function runReviewBench(size: number, iterations: number): ReviewFigures {
  const data = generateTenant({ seed: 7, size, shape: 'mixed' });
  const rows: Row[] = [];
  let start = 0;
  for (const text of graphPages(data)) {
    const raws = (JSON.parse(text) as { value: unknown[] }).value;
    rows.push(...normaliseAssignments(raws, undefined, start).rows);
    start += raws.length;
  }
  const now = data.now;
  const view = toViewRows(rows, usersOf(data, rows), { now, staleAfterDays: 90, signInAvailable: true });
  const index = createFilterIndex(view, { now, staleAfterDays: 90, expiringWithinDays: 30, signInAvailable: true });
  const fresh = (): Review =>
    newReview({
      id: 'bench',
      packageId: '00000000-0000-4000-8000-000000000000',
      packageName: 'bench',
      scope: { kind: 'all', filter: '' },
      rows: view.map((r) => ({ id: r.id, displayName: r.displayName, principalName: r.principalName })),
      reviewer: 'reviewer@contoso.com',
      startedAt: new Date(now).toISOString(),
      staleAfterDays: 90,
    });
  const selected = view.slice(0, Math.floor(view.length / 2));

  const bulk: number[] = [];
  let longestPanelStepMs = 0;
  for (let i = 0; i < iterations + 1; i++) {
    const review = fresh();
    let items: DecisionItem[] = [];
    let sent: DecisionItem[] = [];
    const a = time(() => (items = selected.map((r) => ({ row: { id: r.id, displayName: r.displayName, principalName: r.principalName }, facts: factsOf(r, now) }))));
    const b = time(() => (sent = structuredClone(items)));
    const c = time(() => void decide(review, { decision: 'remove', justification: 'bench', reviewer: 'r', at: new Date(now).toISOString(), items: sent }));
    const d = time(() => void structuredClone(review));
    const e = time(() => void runFilter(index, { search: '', facets: { decision: ['none'] } }, { decision: decisionValues(review) }));
    if (i === 0) continue; // warm-up
    bulk.push(a + b + c + d + e);
    longestPanelStepMs = Math.max(longestPanelStepMs, a, b, e);
  }

  const full = fresh();
  decide(full, { decision: 'keep', justification: '', reviewer: 'r', at: new Date(now).toISOString(), items: view.map((r) => ({ row: r, facts: factsOf(r, now) })) });
  const resume: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(iterations / 2)) + 1; i++) {
    const ms = time(() => {
      const back = structuredClone(full);
      runFilter(index, { search: '', facets: {} }, { decision: decisionValues(back) });
    });
    if (i > 0) resume.push(ms);
  }

  const byId = new Map(view.map((r) => [r.id, r]));
  const current = (id: string): CurrentFacts | undefined => {
    const r = byId.get(id);
    if (!r) return undefined;
    const rec = recommend(r, { now, signInAvailable: true });
    return { displayName: r.displayName, principalName: r.principalName, state: r.state, staleReasons: r.staleReasons, recommendation: rec.recommendation, recommendationReasons: rec.reasons };
  };
  let csv = '';
  const csvMs = time(() => (csv = reviewCsv(full, current)));

  return {
    rows: view.length,
    bulk: { selected: selected.length, medianMs: median(bulk), p95Ms: percentile(bulk, 95), longestPanelStepMs },
    resume: { decisions: Object.keys(full.decisions).length, medianMs: median(resume) },
    csv: { rows: full.rows.length, ms: csvMs, bytes: Buffer.byteLength(csv, 'utf8') },
  };
}

if (require.main === module) {
  const size = Number(process.argv[2] ?? 100_000);
  const iterations = Number(process.argv[3] ?? 5);
  console.log(JSON.stringify(runReviewBench(size, iterations), null, 2));
}
