// Review mode's figures, in Node, on the demo tenant's generated assignments (100,000 at the default size):
// a bulk decision on half of them, resuming a review with a decision on every row, and the review CSV.
//
// What each figure adds up (the browser's own costs around them are not measured here). Structured clones
// stand in for what the browser clones: the runtime port's messages and IndexedDB's put/get.
// - bulk decision: the panel's side of ReviewModel.decide (the decision facet's new values, then one packed
//   facts string per row in pieces of 2,500), the decide request's clone (port), the worker's decide, the ONE batch record's clone
//   (IndexedDB put), the 'decided' event's clone (port back) and the filter run that repaints the rows. The
//   longest single panel-side step stands in for the longest main-thread task.
// - resume: the worker reading the stored review back (clones of the review record and of its two batches,
//   rows as columns, replayed), the 'state' event (review without rows and decisions + their columns) cloned to the panel, the
//   panel's facet values from the columns and the filter run: the first rows can then paint with their
//   decisions. The panel's rebuild of the row and decision records follows (reported apart: not needed to
//   paint). workerLoadMs runs when the panel opens the package, while the list itself is still loading.
// - CSV: reviewCsv over every assignment in the review, with the panel's current-facts lookup.
//
// Run alone: npx tsx test/bench/review-bench.ts [size] [iterations]
import { loadavg } from 'node:os';
import { createFilterIndex, runFilter } from '../../src/core/filters';
import { normaliseAssignments } from '../../src/core/normalise';
import { reviewCsv, type CurrentFacts } from '../../src/core/review/evidence';
import { decide, newReview, type Decision, type Review, type ReviewRow, type RowFacts } from '../../src/core/review/model';
import { columnValues, fromColumns, packFacts, rowsFromColumns, rowsToColumns, toColumns } from '../../src/core/review/packed';
import { packOpen, replayBatches, unpackOpen, type DecisionBatch } from '../../src/background/review/storage';
import { recommend } from '../../src/core/review/recommend';
import type { Row, ViewRow } from '../../src/core/model';
import { toViewRows } from '../../src/core/stale';
import { generateTenant } from '../tenant/generate';
import { graphPages, usersOf } from './micro';
import { median, percentile } from './stats';

export interface ReviewFigures {
  rows: number;
  bulk: { selected: number; medianMs: number; p95Ms: number; longestPanelStepMs: number; stepsMedianMs: Record<string, number> };
  /** medianMs: from the reload; workerLoadMs runs as the package opens, while its list is still loading;
   * panelMs (the message's clone, the facet values and the filter run) is what follows the list. */
  resume: { decisions: number; medianMs: number; workerLoadMs: number; panelMs: number; recordsMs: number };
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

  const at = new Date(now).toISOString();
  const idsOf = new WeakMap<Review, Set<string>>();
  const batchOf = (review: Review, rows: readonly ViewRow[], decision: Decision, justification: string): DecisionBatch => {
    // The panel keeps the review's id set (ReviewModel.reviewIds) rather than building it per decision.
    let inReview = idsOf.get(review);
    if (!inReview) idsOf.set(review, (inReview = new Set(review.rows.map((r) => r.id))));
    const ids: string[] = new Array<string>(rows.length);
    const facts: string[] = new Array<string>(rows.length);
    const added: ReviewRow[] = [];
    for (let i = 0; i < rows.length; i++) {
      ids[i] = rows[i].id;
      facts[i] = packFacts(factsOf(rows[i], now));
      if (!inReview.has(rows[i].id)) added.push({ id: rows[i].id, displayName: rows[i].displayName, principalName: rows[i].principalName });
    }
    return { reviewId: review.id, decision, justification, reviewer: 'reviewer@contoso.com', at, ids, facts, added };
  };

  const bulk: number[] = [];
  const steps: Record<string, number[]> = { panel: [], port: [], worker: [], idbPut: [], portBack: [], filter: [] };
  let longestPanelStepMs = 0;
  for (let i = 0; i < iterations + 1; i++) {
    const review = fresh();
    let values = new Map<string, Decision>();
    let batch: DecisionBatch | null = null;
    let sent: DecisionBatch | null = null;
    // The panel: the decision shown (facet values), then the facts packed in pieces of 2,500 rows with a
    // turn of the page between pieces (ReviewModel.decide); each piece is a main-thread task of its own.
    const mirror: Record<string, object> = {};
    const shown = time(() => {
      values = new Map(values);
      for (const r of selected) {
        values.set(r.id, 'remove');
        mirror[r.id] = { decision: 'remove', justification: 'bench', reviewer: 'reviewer@contoso.com', at, facts: '' };
      }
    });
    const pieces: number[] = [];
    const parts: DecisionBatch[] = [];
    for (let from = 0; from < selected.length; from += 2500) pieces.push(time(() => void parts.push(batchOf(review, selected.slice(from, from + 2500), 'remove', 'bench'))));
    batch = { ...parts[0], ids: parts.flatMap((p) => p.ids), facts: parts.flatMap((p) => p.facts), added: parts.flatMap((p) => p.added) };
    const a = shown + pieces.reduce((x, y) => x + y, 0);
    const longestPiece = Math.max(...pieces);
    const b = time(() => (sent = structuredClone(batch!)));
    const c = time(() => void decide(review, sent!));
    const d = time(() => void structuredClone(sent!));
    const e = time(() => void structuredClone({ kind: 'decided', ids: sent!.ids, facts: sent!.facts, added: sent!.added }));
    const f = time(() => void runFilter(index, { search: '', facets: { decision: ['none'] } }, { decision: values }));
    if (i === 0) continue; // warm-up
    bulk.push(a + b + c + d + e + f);
    [a, b, c, d, e, f].forEach((ms, k) => steps[Object.keys(steps)[k]].push(ms));
    // The click's own task: the decision shown (values and records) and the repaint's filter run.
    longestPanelStepMs = Math.max(longestPanelStepMs, longestPiece, shown + f, b);
  }

  // Stored as it would be after two bulk decisions: the review record (rows, no decisions) and two batches.
  const header = fresh();
  const half = Math.floor(view.length / 2);
  const stored = { header: structuredClone(packOpen(header)), batches: [batchOf(header, view.slice(0, half), 'keep', ''), batchOf(header, view.slice(half), 'remove', 'bench')] };
  const full = replayBatches(unpackOpen(structuredClone(stored.header)), stored.batches);
  const resume: number[] = [];
  const loads: number[] = [];
  const panels: number[] = [];
  const records: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(iterations / 2)) + 1; i++) {
    let back: Review | null = null;
    let facts: { ids: string[]; facts: string[] } | null = null;
    const load = time(() => (back = replayBatches(unpackOpen(structuredClone(stored.header)), structuredClone(stored.batches))));
    let event: { review: Review; rows: ReturnType<typeof rowsToColumns>; decisions: ReturnType<typeof toColumns> } | null = null;
    let message: unknown = null;
    const prepare = time(() => {
      const cols = toColumns(back!.decisions);
      message = { review: { ...back!, rows: [], decisions: {} }, rows: rowsToColumns(back!.rows), decisions: { ...cols, facts: [] } };
      facts = { ids: cols.ids, facts: cols.facts };
    });
    const panel = time(() => {
      event = structuredClone(message) as typeof event;
      runFilter(index, { search: '', facets: {} }, { decision: columnValues(event!.decisions) });
    });
    // After the rows painted: the row and decision records, and the facts message (clone and fill).
    const rec = time(() => {
      const rows = rowsFromColumns(event!.rows);
      const decisions = fromColumns(event!.decisions);
      const f = structuredClone(facts!);
      for (let k = 0; k < f.ids.length; k++) decisions[f.ids[k]].facts = f.facts[k];
      void rows;
    });
    if (i === 0) continue;
    resume.push(load + prepare + panel);
    loads.push(load + prepare);
    panels.push(panel);
    records.push(rec);
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
    bulk: { selected: selected.length, medianMs: median(bulk), p95Ms: percentile(bulk, 95), longestPanelStepMs, stepsMedianMs: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, Math.round(median(v))])) },
    resume: { decisions: Object.keys(full.decisions).length, medianMs: median(resume), workerLoadMs: median(loads), panelMs: median(panels), recordsMs: median(records) },
    csv: { rows: full.rows.length, ms: csvMs, bytes: Buffer.byteLength(csv, 'utf8') },
  };
}

if (require.main === module) {
  const size = Number(process.argv[2] ?? 100_000);
  const iterations = Number(process.argv[3] ?? 5);
  console.log(JSON.stringify({ ...runReviewBench(size, iterations), loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) }, null, 2));
}
