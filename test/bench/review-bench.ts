// Review mode's figures, in Node, on the demo tenant's generated assignments (100,000 at the default size):
// a bulk decision on half of them, resuming a review with a decision on every row, and the review CSV.
//
// What each figure adds up (the browser's own costs around them are not measured here). Structured clones
// stand in for what the browser clones: the runtime port's messages and IndexedDB's put/get.
// - bulk decision: the panel's side of ReviewModel.decide: the click's task (ids, the decision facet's new
//   values, changed in place, with the filter's codes patched for the decided rows, the counts, the filter
//   run that repaints the rows), the toolbar's apply count just after it (a task of its own), then one packed facts string per row in pieces of 2,500, each a
//   task of its own, then the request's post (its clone) in a task of its own; then the worker's decide, the ONE batch
//   record's clone (IndexedDB put) and the 'decided' event's clone (port back). The longest of the panel's
//   tasks is reported against the 100 ms limit.
// - resume: the worker reading the stored review back as ONE record (the batches are folded into it a few
//   seconds after the last decision) and sending it on as it is stored (columns), the 'state' event cloned to
//   the panel, the panel's facet values from the columns and the filter run: the first rows can then paint
//   with their decisions. The facts follow in a message (and task) of their own, reported apart, as is the
//   read of a review whose batches were not folded yet (replayed once, then written as one record).
//   workerLoadMs runs when the panel opens the package, while the list itself is still loading.
// - CSV: reviewCsv over every assignment in the review, with the panel's current-facts lookup.
//
// Run alone: npx tsx test/bench/review-bench.ts [size] [iterations]
import { loadavg } from 'node:os';
import { createFilterIndex, patchKeyedCodes, runFilter } from '../../src/core/filters';
import { normaliseAssignments } from '../../src/core/normalise';
import { reviewCsv, type CurrentFacts } from '../../src/core/review/evidence';
import { decide, newReview, type Decision, type Review, type ReviewRow, type RowFacts } from '../../src/core/review/model';
import { columnValues, packFacts, rowsFromColumns, rowsToColumns, toColumns } from '../../src/core/review/packed';
import { packOpen, readOpen, type DecisionBatch, type StoredOpen } from '../../src/background/review/storage';
import { rowsToApply } from '../../src/panel/review/apply';
import { DecisionValues } from '../../src/panel/review/model';
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
   * panelMs (the message's clone, the facet values and the filter run) is what follows the list; factsMs the
   * facts' message after it; replayMs the worker's read of a review whose batches were not folded yet. */
  resume: { decisions: number; medianMs: number; workerLoadMs: number; panelMs: number; factsMs: number; replayMs: number };
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
  const steps: Record<string, number[]> = { click: [], applyCount: [], pieces: [], port: [], worker: [], idbPut: [], portBack: [] };
  let longestPanelStepMs = 0;
  const byId = new Map(view.map((r) => [r.id, r]));
  for (let i = 0; i < iterations + 1; i++) {
    const review = fresh();
    let values = new DecisionValues();
    const counts = { keep: 0, remove: 0 };
    // The page before the click: the rows painted with the (empty) decision values, the facet's codes kept.
    runFilter(index, { search: '', facets: { decision: ['none'] } }, { decision: values });
    let ids: string[] = [];
    // The click's task (ReviewModel.decide, applyLocally; the repaint's filter run).
    const click = time(() => {
      ids = new Array<string>(selected.length);
      for (let k = 0; k < selected.length; k++) ids[k] = selected[k].id;
      const prev = values;
      values = prev.view();
      for (const id of ids) {
        const old = values.get(id);
        if (old) counts[old]--;
        values.set(id, 'remove');
        counts.remove++;
      }
      patchKeyedCodes(index, 'decision', prev, values, ids, 'remove');
      runFilter(index, { search: '', facets: { decision: ['none'] } }, { decision: values });
    });
    // Just after the paint, a task of its own: the toolbar's count of what Apply would send.
    const applyCount = time(() => {
      const removeIds: string[] = [];
      for (const [id, d] of values) if (d === 'remove') removeIds.push(id);
      void rowsToApply(removeIds, (id) => byId.get(id), () => null).length;
    });
    // Then the facts, in pieces of 2,500 rows with a turn of the page between them; the last piece posts.
    const pieces: number[] = [];
    const parts: DecisionBatch[] = [];
    for (let from = 0; from < selected.length; from += 2500) pieces.push(time(() => void parts.push(batchOf(review, selected.slice(from, from + 2500), 'remove', 'bench'))));
    const batch: DecisionBatch = { ...parts[0], ids: parts.flatMap((p) => p.ids), facts: parts.flatMap((p) => p.facts), added: parts.flatMap((p) => p.added) };
    let sent: DecisionBatch | null = null;
    const b = time(() => (sent = structuredClone(batch)));
    const c = time(() => void decide(review, sent!));
    const d = time(() => void structuredClone(sent!));
    const e = time(() => void structuredClone({ kind: 'decided', ids: sent!.ids, facts: sent!.facts, added: sent!.added }));
    if (i === 0) continue; // warm-up
    const piecesMs = pieces.reduce((x, y) => x + y, 0);
    bulk.push(click + applyCount + piecesMs + b + c + d + e);
    [click, applyCount, piecesMs, b, c, d, e].forEach((ms, k) => steps[Object.keys(steps)[k]].push(ms));
    longestPanelStepMs = Math.max(longestPanelStepMs, click, applyCount, ...pieces, b);
  }

  // Stored as it would be after two bulk decisions: the review record and its two batches, and the same
  // review folded into one record (what a resume reads once the batches were folded).
  const header = fresh();
  const half = Math.floor(view.length / 2);
  const withBatches = { open: structuredClone(packOpen(header)), batches: [batchOf(header, view.slice(0, half), 'keep', ''), batchOf(header, view.slice(half), 'remove', 'bench')] };
  const full = readOpen(structuredClone(withBatches));
  const folded: StoredOpen = structuredClone(packOpen(full));
  const resume: number[] = [];
  const loads: number[] = [];
  const panels: number[] = [];
  const factsMs: number[] = [];
  const replays: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(iterations / 2)) + 1; i++) {
    let back: StoredOpen | null = null;
    let message: unknown = null;
    let factsMessage: unknown = null;
    // The worker: IndexedDB's get (a clone of the one record), the state message as stored (ReviewService.state).
    const load = time(() => {
      back = structuredClone(folded);
      message = { kind: 'state', review: back.review, rows: back.rows, decisions: { ...back.decisions, facts: [] } };
      factsMessage = { kind: 'facts', ids: back.decisions.ids, facts: back.decisions.facts };
    });
    // The panel: the message's clone, the facet values, the review's rows, and the filter run that paints.
    const panel = time(() => {
      const event = structuredClone(message) as { rows: ReturnType<typeof rowsToColumns>; decisions: ReturnType<typeof toColumns> };
      void rowsFromColumns(event.rows);
      runFilter(index, { search: '', facets: {} }, { decision: columnValues(event.decisions) });
    });
    // After the rows painted: the facts' message (kept until a record is read).
    const facts = time(() => void structuredClone(factsMessage));
    // A review read with its batches not folded yet: replayed, and sent as columns.
    const replay = time(() => {
      const r = readOpen(structuredClone(withBatches));
      void toColumns(r.decisions);
      void rowsToColumns(r.rows);
    });
    if (i === 0) continue;
    resume.push(load + panel);
    loads.push(load);
    panels.push(panel);
    factsMs.push(facts);
    replays.push(replay);
  }

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
    resume: { decisions: Object.keys(full.decisions).length, medianMs: median(resume), workerLoadMs: median(loads), panelMs: median(panels), factsMs: median(factsMs), replayMs: median(replays) },
    csv: { rows: full.rows.length, ms: csvMs, bytes: Buffer.byteLength(csv, 'utf8') },
  };
}

if (require.main === module) {
  const size = Number(process.argv[2] ?? 100_000);
  const iterations = Number(process.argv[3] ?? 5);
  console.log(JSON.stringify({ ...runReviewBench(size, iterations), loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) }, null, 2));
}
