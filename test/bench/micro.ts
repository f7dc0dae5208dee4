// Figures 3, 4 and the Node half of 6, measured on the product's pure modules with the demo tenant's
// 100,000 generated assignments and users. Runs in a child process started with --expose-gc (micro-child.ts)
// so heap figures are taken after a full collection and nothing else of the benchmark sits in the heap.
import { toCsvChunks } from '../../src/core/csv';
import { createFilterIndex, facetValues, runFilter, type FacetId, type FilterState } from '../../src/core/filters';
import type { Row, UserInfo, ViewRow } from '../../src/core/model';
import { deletedUser, normaliseAssignments, normaliseUser } from '../../src/core/normalise';
import { AssignmentMerger } from '../../src/core/partition';
import { toViewRows } from '../../src/core/stale';
import { generateTenant } from '../tenant/generate';
import type { TenantData } from '../tenant/types';
import { IDS } from '../tenant/ids';
import { median, percentile } from './stats';

export interface MicroFigures {
  rows: number;
  /** toViewRows + createFilterIndex, once per data change (not per keystroke) */
  indexMs: number;
  /** the first search after a (re)build also builds the lower-cased search text of every row */
  firstSearchMs: number;
  keystroke: Timing;
  facetToggle: Timing;
  csv: { ms: number; bytes: number; peakExtraBytes: number; chunks: number; longestChunkMs: number };
  workerRows: { heapBytes: number; perRowBytes: number };
}

/** Wall-clock time per call, and the process's CPU time for it: on a shared machine the difference is time
 * the operating system gave to other processes (CPU time also counts V8's helper threads, e.g. parallel GC). */
export interface Timing {
  samples: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  cpuMedianMs: number;
  cpuP95Ms: number;
}

interface Sample {
  wall: number;
  cpu: number;
}

/** Runs `fn` once, timing it by the clock and by CPU time. */
function sample(fn: () => void): Sample {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const PAGE = 100;

/** The assignments as Graph sends them with `$expand=target,assignmentPolicy`, as JSON text per page. */
export function graphPages(data: TenantData): string[] {
  const policies = new Map(data.policies.map((p) => [p.id, p]));
  const list = data.assignments.filter((a) => a.accessPackageId === IDS.mainPackage);
  const pages: string[] = [];
  for (let i = 0; i < list.length; i += PAGE) {
    const value = list.slice(i, i + PAGE).map((a) => {
      const p = policies.get(a.assignmentPolicyId);
      const t = a.target;
      return {
        id: a.id,
        state: a.state,
        status: a.status,
        expiredDateTime: a.expiredDateTime,
        schedule: a.schedule,
        customExtensionCalloutInstances: a.customExtensionCalloutInstances,
        target: t && {
          id: t.id,
          objectId: t.objectId,
          displayName: t.displayName,
          email: t.email,
          principalName: t.principalName,
          onPremisesSecurityIdentifier: t.onPremisesSecurityIdentifier,
          subjectType: t.subjectType,
        },
        assignmentPolicy: p && { id: p.id, displayName: p.displayName, description: p.description, allowedTargetScope: p.allowedTargetScope },
      };
    });
    pages.push(JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#assignments', value }));
  }
  return pages;
}

/** What /users answers for the targets (deleted ones come back absent, and are marked deleted). */
export function usersOf(data: TenantData, rows: readonly Row[]): Map<string, UserInfo> {
  const out = new Map<string, UserInfo>();
  for (const r of rows) {
    if (!r.objectId || r.subjectType === 'servicePrincipal' || out.has(r.objectId)) continue;
    const u = data.users.get(r.objectId);
    out.set(r.objectId, u ? (normaliseUser(JSON.parse(JSON.stringify(u))) ?? deletedUser(r.objectId)) : deletedUser(r.objectId));
  }
  return out;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with node --expose-gc');
  g();
  g();
}

const heap = (): number => process.memoryUsage().heapUsed;

function summary(xs: Sample[]): Timing {
  const wall = xs.map((x) => x.wall);
  const cpu = xs.map((x) => x.cpu);
  return { samples: xs.length, medianMs: median(wall), p95Ms: percentile(wall, 95), maxMs: Math.max(...wall), cpuMedianMs: median(cpu), cpuP95Ms: percentile(cpu, 95) };
}

/** Heap held by 100k rows as the worker holds them: normalised from page JSON, kept in order and by id. */
function measureWorkerRows(pages: string[]): { heapBytes: number; perRowBytes: number; rows: Row[] } {
  gc();
  const before = heap();
  const merger = new AssignmentMerger();
  const rows: Row[] = [];
  let start = 0;
  for (const text of pages) {
    const raws = (JSON.parse(text) as { value: unknown[] }).value;
    const fresh = merger.add(normaliseAssignments(raws, undefined, start).rows);
    start += raws.length;
    for (const r of fresh) rows.push(r);
  }
  gc();
  const heapBytes = heap() - before;
  // Keep both alive until measured.
  if (merger.size !== rows.length) throw new Error('merge lost rows');
  return { heapBytes, perRowBytes: heapBytes / rows.length, rows };
}

/** Words an admin might type: name parts, a domain, the start of an object id; each typed then erased. */
function searchWords(rows: readonly ViewRow[]): string[] {
  const pick = (i: number) => rows[Math.floor((i * rows.length) / 7) % rows.length];
  const words = new Set<string>(['anna', 'smith', 'contoso', 'fabrikam.com', 'guest', 'zz-none']);
  for (let i = 0; i < 7; i++) {
    const r = pick(i);
    const first = r.displayName.split(/\s+/)[0];
    if (first) words.add(first.toLowerCase());
    if (r.objectId) words.add(r.objectId.slice(0, 8));
  }
  return [...words];
}

function measureSearch(index: ReturnType<typeof createFilterIndex>, rows: readonly ViewRow[], minSamples: number): Sample[] {
  const samples: Sample[] = [];
  const words = searchWords(rows);
  while (samples.length < minSamples) {
    for (const w of words) {
      // Type the word, then erase it: growing queries reuse the previous matches, shrinking ones scan again.
      const steps = [...Array.from({ length: w.length }, (_, i) => w.slice(0, i + 1)), ...Array.from({ length: w.length }, (_, i) => w.slice(0, w.length - 1 - i))];
      for (const q of steps) {
        samples.push(sample(() => runFilter(index, { search: q, facets: {} })));
      }
    }
  }
  return samples;
}

function measureFacets(index: ReturnType<typeof createFilterIndex>, minSamples: number): Sample[] {
  // Toggle facet values one after another as an admin narrowing down would, keeping earlier choices.
  const values = facetValues(index);
  const toggles: Array<[FacetId, string]> = [];
  for (const f of ['state', 'policy', 'kind', 'account', 'signIn', 'expiry', 'stale'] as FacetId[]) {
    for (const v of values[f].slice(0, 4)) toggles.push([f, v.value]);
  }
  const samples: Sample[] = [];
  let state: FilterState = { search: '', facets: {} };
  while (samples.length < minSamples) {
    for (const [f, v] of toggles) {
      const cur = state.facets[f] ?? [];
      const next = cur.includes(v) ? cur.filter((x) => x !== v) : [...cur, v];
      state = { search: state.search, facets: { ...state.facets, [f]: next } };
      const current = state;
      samples.push(sample(() => runFilter(index, current)));
    }
  }
  return samples;
}

function measureCsv(rows: readonly ViewRow[]): MicroFigures['csv'] {
  gc();
  const before = heap();
  let peak = 0;
  let bytes = 0;
  let longest = 0;
  const parts: string[] = [];
  const t0 = performance.now();
  let last = t0;
  // As the panel does (panel/export-csv.ts): the pieces are kept until the Blob is made from them.
  for (const chunk of toCsvChunks(rows, 5000)) {
    parts.push(chunk);
    const t = performance.now();
    longest = Math.max(longest, t - last);
    peak = Math.max(peak, heap() - before);
    last = performance.now();
  }
  const ms = performance.now() - t0;
  for (const p of parts) bytes += Buffer.byteLength(p, 'utf8');
  peak = Math.max(peak, heap() - before);
  return { ms, bytes, peakExtraBytes: peak, chunks: parts.length, longestChunkMs: longest };
}

export function runMicro(size: number, iterations: number): MicroFigures {
  const data = generateTenant({ seed: 7, size, shape: 'mixed' });
  const pages = graphPages(data);
  const held = measureWorkerRows(pages);
  const rows = held.rows;
  const users = usersOf(data, rows);
  const now = data.now;

  const t0 = performance.now();
  const view = toViewRows(rows, users, { now, staleAfterDays: 90, signInAvailable: true });
  const index = createFilterIndex(view, { now, staleAfterDays: 90, expiringWithinDays: 30, signInAvailable: true });
  const indexMs = performance.now() - t0;

  const f0 = performance.now();
  runFilter(index, { search: 'a', facets: {} });
  const firstSearchMs = performance.now() - f0;

  // Warm the code paths as a panel in use would be warm, then measure.
  measureSearch(index, view, 20);
  const keystroke = summary(measureSearch(index, view, iterations));
  measureFacets(index, 20);
  const facetToggle = summary(measureFacets(index, iterations));
  const csv = measureCsv(view);
  return {
    rows: rows.length,
    indexMs,
    firstSearchMs,
    keystroke,
    facetToggle,
    csv,
    workerRows: { heapBytes: held.heapBytes, perRowBytes: held.perRowBytes },
  };
}
