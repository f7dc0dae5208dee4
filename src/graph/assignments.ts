// The full assignment list of one access package: parallel partitions (core/partition.ts), each following
// its next links one after another, merged by id, streamed as pages arrive. Nothing is dropped silently:
// a page that finally fails becomes a MissingPart, and the unpartitioned listing (its first page, a few
// more as a sample, all of it when in doubt) guards what partitions cannot see (see fetchAssignments and
// the comment at the top of core/partition.ts).
import { PageIterator } from '@microsoft/microsoft-graph-client';
import type { MissingPart, PackageInfo, PolicyInfo, Row } from '../core/model';
import { checkNextLink } from '../core/nextlink';
import { isSyntheticId, normaliseAssignments, normalisePackage, normalisePolicy } from '../core/normalise';
import {
  AssignmentMerger,
  MAJOR_STATES,
  type PartitionItem,
  coveredBy,
  orderBySample,
  refinePlan,
  packageFilter,
  planPartitions,
  rowMatchesPartition,
  type Partition,
} from '../core/partition';
import { abortError } from '../core/retry';
import type { RequestSlots } from '../core/slots';
import { t, tn } from '../core/i18n';
import type { LoadProgress } from '../messages';
import { GraphError, type Graph } from './client';

const EM = 'identityGovernance/entitlementManagement';
/**
 * What each assignment is read with, the fullest first. Where Graph refuses a nested option (a 400 on a
 * first page), the listing steps down one level (Graph may also ignore one silently, which costs nothing):
 * - the policy with `$select=id,displayName`: a row needs only those, and the whole policy (requestor,
 *   approval and review settings) is most of a page's bytes: half of a demo page, more with real approval
 *   stages. Stepping down from it loses nothing;
 * - the subject's `connectedOrganization`, a relationship that Graph sends only when expanded. Without it
 *   the organisation stays unknown (said in the problems).
 */
export const ASSIGNMENT_EXPANDS = [
  'target($expand=connectedOrganization),assignmentPolicy($select=id,displayName)',
  'target($expand=connectedOrganization),assignmentPolicy',
  'target,assignmentPolicy',
] as const;
/** A relationship expanded inline may be cut short; this many or more policies → read the list as well. */
const EXPAND_MAY_TRUNCATE_AT = 20;

/** The list query for one $filter (relative to /v1.0/), as documented; the filter value percent-encoded. */
export function assignmentsPath(filter: string, level = 0): string {
  return `${EM}/assignments?$filter=${encodeURIComponent(filter)}&$expand=${ASSIGNMENT_EXPANDS[level]}`;
}

/** A policy's requestor questions are a relationship too: read only with $expand=questions. */
export const POLICY_EXPAND = 'questions';

// ---------------------------------------------------------------- the package and its policies

export interface PackageDetails {
  info: PackageInfo;
  policies: PolicyInfo[];
  /** What could not be read (e.g. the policy list), in plain words. The assignments can still be listed. */
  problems: string[];
}

/**
 * The access package (with its catalog) and its assignment policies. Catalog-scoped admins are told to
 * read policies through `accessPackages?$expand=assignmentPolicies` (list-assignmentpolicies page), so
 * that comes first; the filtered policy list is the fallback.
 */
export async function fetchPackage(graph: Graph, packageId: string, signal?: AbortSignal): Promise<PackageDetails> {
  const base = `${EM}/accessPackages/${encodeURIComponent(packageId)}`;
  const problems: string[] = [];
  let raw: Record<string, unknown>;
  let expanded: unknown[] | null = null;
  try {
    raw = await graph.get<Record<string, unknown>>(`${base}?$expand=assignmentPolicies($expand=${POLICY_EXPAND}),catalog`, { signal });
    if (Array.isArray(raw?.assignmentPolicies)) expanded = raw.assignmentPolicies as unknown[];
  } catch (e) {
    if (!(e instanceof GraphError) || e.status !== 400) throw e;
    raw = await graph.get<Record<string, unknown>>(`${base}?$expand=catalog`, { signal });
  }
  const info = normalisePackage(raw);
  if (info.id === '') info.id = packageId;

  let rawPolicies: unknown[] | null = expanded;
  const mayBeCut =
    expanded === null || expanded.length >= EXPAND_MAY_TRUNCATE_AT || raw?.['assignmentPolicies@odata.nextLink'] !== undefined;
  if (mayBeCut) {
    try {
      rawPolicies = await listAll(graph, `${EM}/assignmentPolicies?$filter=${encodeURIComponent(packageFilter(packageId))}&$expand=${POLICY_EXPAND}`, signal);
    } catch (e) {
      if (signal?.aborted) throw abortError(signal);
      const why = e instanceof Error ? e.message : String(e);
      if (expanded === null) problems.push(t('graph_policies_unreadable', { message: why }));
      else problems.push(t('graph_policies_incomplete', { message: why }));
    }
  }
  const policies: PolicyInfo[] = [];
  const seen = new Set<string>();
  for (const p of rawPolicies ?? []) {
    const policy = normalisePolicy(p);
    if (policy && !seen.has(policy.id)) {
      seen.add(policy.id);
      policies.push(policy);
    }
  }
  return { info, policies, problems };
}

/** Every element of a collection, following next links (checked) to the end. Throws on any failure. */
export async function listAll(
  graph: Graph,
  path: string,
  signal?: AbortSignal,
  headers?: Record<string, string>,
  /** Each page's values as they arrive (the caller may start on them before the list is done). */
  onPage?: (values: unknown[]) => void,
): Promise<unknown[]> {
  const out: unknown[] = [];
  let url: string | null = path;
  const seen = new Set<string>();
  while (url !== null) {
    const page: { value?: unknown; '@odata.nextLink'?: unknown } = await graph.get(url, { signal, headers });
    if (!Array.isArray(page?.value)) {
      throw new GraphError({ status: 200, code: 'InvalidResponse', message: t('graph_no_value_list'), url });
    }
    out.push(...page.value);
    onPage?.(page.value);
    const next = page['@odata.nextLink'];
    if (next === undefined || next === null) break;
    const check = checkNextLink(next, graph.graphRoot);
    if (!check.ok) throw new GraphError({ status: 0, code: 'RefusedUrl', message: check.reason, url: String(next) });
    if (seen.has(check.url)) throw new GraphError({ status: 0, code: 'PagingLoop', message: t('graph_paging_loop'), url: check.url });
    seen.add(check.url);
    url = check.url;
  }
  return out;
}

/**
 * listAll at the fullest of `expands` Graph answers: `path(expand)` is asked with each in turn, the next only
 * after a 400 (options inside $expand are undocumented for most lists, and refused by some). `onStep` hears of
 * each step down before its listing; a 400 to the last one is the error.
 */
export async function listAllExpanding(
  graph: Graph,
  path: (expand: string) => string,
  expands: readonly string[],
  opts: { signal?: AbortSignal; onPage?: (values: unknown[]) => void; onStep?: (level: number) => void } = {},
): Promise<unknown[]> {
  for (let level = 0; ; level++) {
    if (level > 0) opts.onStep?.(level);
    try {
      return await listAll(graph, path(expands[level]), opts.signal, undefined, opts.onPage);
    } catch (e) {
      if (!(e instanceof GraphError) || e.status !== 400 || level === expands.length - 1) throw e;
    }
  }
}

// ---------------------------------------------------------------- the assignment list

/**
 * What one partitioned listing reads: the package's assignments (ASSIGNMENTS, the default), or another
 * collection of the package split the same way (its assignment requests: src/graph/details.ts).
 */
export interface ListingKind<T extends PartitionItem> {
  /** The first page's path (relative to /v1.0/) for one $filter, with the $expand of `level` in `expands`. */
  path(filter: string, level: number): string;
  /** The $expand values, fullest first: a 400 on a first page steps down one (see ASSIGNMENT_EXPANDS). */
  expands: readonly string[];
  /** The problem noted when Graph refuses all but the last $expand: what the last one leaves out. */
  expandRefused(message: string): string;
  normalise(raws: unknown[], policyNames: ReadonlyMap<string, string>, offset: number): { rows: T[]; problems: string[] };
  plan(packageId: string, policies: readonly PolicyInfo[]): Partition[];
  /** Headers sent with every page (e.g. the evolvable-enum preference). */
  headers?: Record<string, string>;
  /** What the unpartitioned listing (its first page, and all of it) is called where a page of it is missing (default: all assignments). */
  labels?: { probe(): string; scan(): string };
}

export const ASSIGNMENTS: ListingKind<Row> = {
  path: assignmentsPath,
  expands: ASSIGNMENT_EXPANDS,
  expandRefused: (m) => t('graph_expand_refused_assignments', { message: m }),
  normalise: (raws, names, offset) => normaliseAssignments(raws, names, offset),
  plan: planPartitions,
};

export interface FetchListingOptions<T extends PartitionItem> {
  graph: Graph;
  packageId: string;
  /**
   * The package's policies, or a promise of them (e.g. `fetchPackage(...).then((p) => p.policies)`): the
   * unpartitioned first page needs none, so it starts at once and the package read costs no extra wait.
   */
  policies: readonly PolicyInfo[] | PromiseLike<readonly PolicyInfo[]>;
  /** Where next links may point (defaults to the client's Graph root). */
  graphRoot?: string;
  /** Page requests in flight at most (default 8). */
  concurrency?: number;
  /** Slots shared with other listings: every request also takes one (the overview's many packages). */
  slots?: RequestSlots;
  /**
   * Partitions wait until the unpartitioned listing has read this many pages without reaching its end (0,
   * the default: they start with it). Most packages of a tenant fit in a few pages, which one chain reads
   * with fewer requests than a dozen partitions each answering a short page.
   */
  partitionAfter?: number;
  /** What Graph refused of `kind.expands`, shared with other listings (see ExpandMemo). */
  expandMemo?: ExpandMemo;
  signal?: AbortSignal;
  /** New rows (never a repeated id), as pages arrive. */
  onRows(rows: T[]): void;
  onProgress?(p: LoadProgress): void;
}

/**
 * The level of `kind.expands` Graph was found to answer at after refusing the ones above it, shared by listings
 * (the overview's packages in one load, the package panel's loads for the worker's life): the next listing
 * starts there instead of paying the same 400s first. A level is learnt only once a first page is answered at it.
 */
export interface ExpandMemo {
  level: number;
  /** Graph's message for the last refusal: a listing that starts at the last level notes it too. */
  message: string;
}

export type FetchAssignmentsOptions = FetchListingOptions<Row>;

export interface FetchAssignmentsResult {
  /** Distinct assignments listed. */
  total: number;
  /** Pages that finally failed. Empty means the list is complete. */
  missing: MissingPart[];
  /** Rows Graph listed again under an id already listed (merged by id; our own overlapping reads not counted). */
  duplicates: number;
  /** Plain-language notes: unreadable elements, guard decisions, count mismatches. */
  problems: string[];
  /** Pages read. */
  pages: number;
}

type ChainKind = 'probe' | 'partition' | 'scan';

interface Chain {
  kind: ChainKind;
  label: string;
  partition: Partition | null;
  /** Its $filter, and the level of `expands` its first page asks. */
  filter: string;
  level: number;
  /** The first page's URL as documented (no $top, no $count): what a re-read starts from. */
  firstUrl: string;
  /** The next page to read. */
  url: string;
  pages: number;
  /** Rows read in this chain, and on its last page (to check what a $top brought). */
  rows: number;
  lastLength: number;
  seen: Set<string>;
  /** The first URL asked $count=true / $top: a 400 is retried without it. */
  count: boolean;
  top: boolean;
  /** Read again without $top: its rows are already merged (not Graph's duplicates). */
  reread: boolean;
}

/**
 * The page size asked for with $top. The list endpoint documents no $top: where it is ignored nothing
 * changes; where honoured, fewer pages. Never assumed: see `ambiguousTop`.
 */
export const PAGE_TOP = 999;

const scanLabel = (): string => t('graph_listing_scan');
/**
 * Pages of the unpartitioned listing read as a sample (first page included) while partitions run. Each
 * costs a request; together they find rows no partition covers in the first few hundred of the list.
 */
export const SAMPLE_PAGES = 4;
const probeLabel = (): string => t('graph_listing_probe');

/**
 * Lists every assignment of the package. Partitions (policy × state) run with bounded concurrency; each
 * follows its next links one by one, checked against the Graph root. Alongside, the unpartitioned listing
 * (the "scan", see core/partition.ts) guards what partitions cannot see:
 * - its first page (the probe) goes first: without a next link it is the whole list, partitions stop;
 * - it then goes on for a few pages (SAMPLE_PAGES) in one of the slots, as a larger sample, and stops
 *   there (the list is not done before those pages are in), unless a row no partition covers turned up,
 *   or a row it listed did not come back from its partition, or a partition page failed: then it is read
 *   to the end, first in line;
 * - read to its end, it is complete by itself: partition failures are then healed.
 *
 * Rejects only when the signal aborts or a callback throws; Graph failures end up in `missing`.
 */
export function fetchAssignments(opts: FetchAssignmentsOptions): Promise<FetchAssignmentsResult> {
  return new AssignmentLoader(ASSIGNMENTS, opts).run();
}

/** Any ListingKind through the same partitions, guard, retries and merge as the assignments. */
export function fetchListing<T extends PartitionItem>(kind: ListingKind<T>, opts: FetchListingOptions<T>): Promise<FetchAssignmentsResult> {
  return new AssignmentLoader(kind, opts).run();
}

class AssignmentLoader<T extends PartitionItem> {
  private readonly graph: Graph;
  private readonly graphRoot: string;
  private readonly limit: number;
  private readonly signal?: AbortSignal;
  /** Known once the policies are: until then only the unpartitioned listing runs. */
  private planned = false;
  private plan: Partition[] = [];
  private policies: readonly PolicyInfo[] = [];
  private policyNames = new Map<string, string>();
  /** Rows of the unpartitioned listing read before the plan was known (checked for coverage then). */
  private unplanned: T[] = [];
  /** The first page's rows: they order and refine the plan. */
  private probeRows: T[] = [];
  private readonly merger = new AssignmentMerger<T>();
  private missing: Array<MissingPart & { kind: ChainKind }> = [];
  /** Chains read again from their first page after a refused next link (once each). */
  private readonly tokenRestarted = new WeakSet<Chain>();
  private readonly problems: string[] = [];
  /** Stops partition requests once the unpartitioned listing alone is known complete. */
  private readonly partitionStop = new AbortController();
  /** Cancels scan requests once the list is settled (replaced when a paused scan resumes). */
  private scanStop = new AbortController();

  private pending: Partition[] = [];
  /** Probe and partition continuations waiting for a slot. */
  private ready: Chain[] = [];
  private runningPartitions = 0;
  private runningProbe = 0;
  private pages = 0;
  private elements = 0;
  private partitionsDone = 0;
  private partitionsTotal = 0;

  /** sampled: its one page is known, but not known to be the whole list (an ambiguous $top). */
  private probeState: 'running' | 'complete' | 'more' | 'sampled' | 'failed' = 'running';
  /** $top refused or not trusted: no longer sent. */
  private topRefused = false;
  /** The level of `kind.expands` new chains ask: 0 until Graph refuses a nested option. */
  private expandLevel = 0;
  /** The level a first page was answered with: a 400 at that level is not about the $expand. */
  private expandAnswered: number | null = null;
  /** Graph's message for the last 400 taken for a refused $expand, and the note it added (if any). */
  private refusal: { message: string; note: string | null } | null = null;
  private get probeLabel(): string {
    return this.kind.labels ? this.kind.labels.probe() : probeLabel();
  }
  private get scanLabel(): string {
    return this.kind.labels ? this.kind.labels.scan() : scanLabel();
  }
  private probeCount: number | null = null;
  /** The unpartitioned listing after its first page. */
  private scan: Chain | null = null;
  private scanState: 'idle' | 'queued' | 'running' | 'done' | 'failed' = 'idle';
  /** sample: a few pages, while partitions run; full: to the end, first in line. */
  private scanMode: 'sample' | 'full' = 'sample';
  private fullReason = '';
  /** Ids the unpartitioned listing showed: each must also come back from its partition. */
  private readonly sampleIds = new Set<string>();
  private readonly partitionIds = new Set<string>();
  private readonly mismatched = new Set<string>();
  /** Ids repeated within the partitions' pages, and within the unpartitioned listing's (the two overlap by design). */
  private partitionDupes = 0;
  private scanDupes = 0;

  private settle!: { resolve: (r: FetchAssignmentsResult) => void; reject: (e: unknown) => void };
  private finished = false;
  /** Waiting for a shared slot (cancels the wait). */
  private slotWait: (() => void) | null = null;

  constructor(
    private readonly kind: ListingKind<T>,
    private readonly opts: FetchListingOptions<T>,
  ) {
    this.graph = opts.graph;
    this.graphRoot = opts.graphRoot ?? opts.graph.graphRoot;
    this.limit = Math.max(1, Math.floor(opts.concurrency ?? 8));
    this.signal = opts.signal;
    const memo = opts.expandMemo;
    if (memo && memo.level > 0) {
      this.expandLevel = Math.min(memo.level, kind.expands.length - 1);
      if (this.expandLevel === kind.expands.length - 1) this.problems.push(kind.expandRefused(memo.message));
    }
  }

  /** The policies are known: plan the partitions, using what the unpartitioned listing showed so far. */
  private planWith(policies: readonly PolicyInfo[]): void {
    this.planned = true;
    this.policies = policies;
    this.policyNames = new Map(policies.map((p) => [p.id, p.displayName]));
    this.plan = this.kind.plan(this.opts.packageId, policies);
    this.partitionsTotal += this.plan.length;
    if (this.partitionStop.signal.aborted) {
      // The unpartitioned listing already proved complete: no partition is needed.
      this.partitionsDone = this.partitionsTotal;
      return;
    }
    this.pending = [...this.plan];
    if (this.probeRows.length > 0) this.refineBy(this.probeRows);
    const uncovered = this.unplanned.filter((r) => !coveredBy(this.plan, r)).length;
    this.unplanned = [];
    if (uncovered > 0) this.wantFull(tn('graph_full_uncovered', uncovered));
  }

  /** Judging by the first page: split a minor state that is big, start the biggest partitions first. */
  private refineBy(rows: T[]): void {
    const refined = refinePlan(this.opts.packageId, this.plan, this.pending, this.policies, rows);
    this.partitionsTotal += refined.plan.length - this.plan.length;
    this.plan = refined.plan;
    const stillPending = new Set(refined.pending.map((p) => p.key));
    this.pending = orderBySample(this.plan, rows).filter((p) => stillPending.has(p.key));
  }

  run(): Promise<FetchAssignmentsResult> {
    return new Promise<FetchAssignmentsResult>((resolve, reject) => {
      this.settle = { resolve, reject };
      if (this.signal?.aborted) return this.fail(abortError(this.signal));
      this.signal?.addEventListener('abort', this.onAbort, { once: true });
      // Only what the list endpoint documents ($filter, $expand): no $top, no $count (see chain()).
      this.ready.push(this.chain('probe', this.probeLabel, null));
      const given = this.opts.policies;
      if (isPolicyList(given)) this.planWith(given);
      else {
        Promise.resolve(given).then(
          (policies) => {
            if (this.finished) return;
            this.planWith(policies);
            this.schedule();
          },
          (e: unknown) => this.fail(e),
        );
      }
      this.schedule();
    });
  }

  private absolute(path: string): string {
    return `${this.graph.graphRoot}v1.0/${path}`;
  }

  /**
   * A chain's first page asks only what the list endpoint documents. $top and $count are not among its
   * options: Graph may ignore them silently (so a $top "that works" proves nothing) or refuse them, which
   * cost a second round trip before the first rows could show. The $top/$count handling below stays for a
   * service that is ever found to honour them; nothing asks them now.
   */
  private chain(kind: ChainKind, label: string, partition: Partition | null): Chain {
    const filter = partition?.filter ?? packageFilter(this.opts.packageId);
    const level = this.expandLevel;
    const url = this.absolute(this.kind.path(filter, level));
    return { kind, label, partition, filter, level, firstUrl: url, url, pages: 0, rows: 0, lastLength: 0, seen: new Set([url]), count: false, top: false, reread: false };
  }

  /** Starts the chain over from its first page, without $top (and $count). */
  private restart(c: Chain, reread: boolean): void {
    c.url = c.firstUrl;
    c.seen = new Set([c.url]);
    c.pages = 0;
    c.rows = 0;
    c.lastLength = 0;
    c.count = false;
    c.top = false;
    c.reread = c.reread || reread;
  }

  /**
   * A chain that asked $top ended with exactly $top rows on its last page or in all: the service may have
   * read $top as "at most this many in all" (OData's meaning) and cut the list. Only a re-read without
   * $top tells.
   */
  private ambiguousTop(c: Chain): boolean {
    return c.top && (c.lastLength === PAGE_TOP || c.rows === PAGE_TOP);
  }

  private readonly onAbort = (): void => this.fail(abortError(this.signal));

  private fail(e: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.stopWaiting();
    this.signal?.removeEventListener('abort', this.onAbort);
    this.partitionStop.abort(e);
    this.scanStop.abort(e);
    this.settle.reject(e);
  }

  // ---- scheduling

  /** Requests open (cancelled ones too, until they settle: they still count against the limit). */
  private get running(): number {
    return this.runningProbe + this.runningPartitions + (this.scanState === 'running' ? 1 : 0);
  }

  /** Requests whose answer still matters: the list is not done before these are in. */
  private get awaited(): number {
    const partitions = this.partitionStop.signal.aborted ? 0 : this.runningPartitions;
    const scan = this.scanState === 'running' && !this.scanStop.signal.aborted ? 1 : 0;
    return this.runningProbe + partitions + scan;
  }

  /** Partition work still to do (the probe counts as partition work: it decides what the scan is). */
  private get partitionWork(): boolean {
    if (this.runningProbe > 0 || this.ready.some((c) => c.kind === 'probe')) return true;
    if (this.partitionStop.signal.aborted) return false;
    if (!this.planned) return true; // the policies are on their way
    return this.runningPartitions > 0 || this.ready.length > 0 || this.pending.length > 0;
  }

  /**
   * Next page to read: a full scan first (everyone waits on it), then the probe and the partition
   * continuations (longest so far first), then the sampling scan, then new partitions. Every chain gets
   * its slot back as soon as its page is in, so the scan keeps one slot without delaying a partition.
   */
  private pick(): Chain | null {
    if (this.scanState === 'queued' && this.scanMode === 'full') return this.scan;
    if (this.ready.length > 0) {
      this.ready.sort((a, b) => (a.kind === 'probe' ? -1 : 0) - (b.kind === 'probe' ? -1 : 0) || b.pages - a.pages);
      return this.ready.shift() as Chain;
    }
    if (this.scanState === 'queued' && this.scan !== null && this.scan.pages < Math.max(SAMPLE_PAGES, this.partitionAfter)) return this.scan;
    if (!this.partitionStop.signal.aborted && !this.partitionsDeferred) {
      // Until the first page answers, only the partitions likeliest to be long start: if that page turns
      // out to be the whole list, few requests competed with it.
      const early = this.probeState === 'running' ? this.pending.findIndex((p) => p.state === MAJOR_STATES[0]) : 0;
      const [p] = early >= 0 ? this.pending.splice(early, 1) : [];
      if (p) return this.chain('partition', p.label, p);
    }
    return null;
  }

  private get partitionAfter(): number {
    return Math.max(0, Math.floor(this.opts.partitionAfter ?? 0));
  }

  /** Partitions wait while the unpartitioned listing may still turn out short (see partitionAfter). */
  private get partitionsDeferred(): boolean {
    if (this.partitionAfter === 0 || this.scanMode === 'full') return false;
    if (this.probeState === 'running') return true;
    return this.probeState === 'more' && this.scan !== null && this.scan.pages < this.partitionAfter && (this.scanState === 'queued' || this.scanState === 'running');
  }

  private stopWaiting(): void {
    this.slotWait?.();
    this.slotWait = null;
  }

  private schedule(): void {
    if (this.finished) return;
    const slots = this.opts.slots;
    while (this.running < this.limit) {
      if (slots && !slots.tryTake()) {
        // Woken when a shared slot is free and this listing's turn has come (most pages read first).
        this.slotWait ??= slots.wait(
          () => {
            this.slotWait = null;
            this.schedule();
          },
          () => this.pages,
        );
        break;
      }
      const c = this.pick();
      if (!c) {
        slots?.release();
        break;
      }
      if (c.kind === 'scan') this.scanState = 'running';
      else if (c.kind === 'probe') this.runningProbe++;
      else this.runningPartitions++;
      this.step(c)
        .catch((e) => this.fail(e))
        .finally(() => {
          if (c.kind === 'probe') this.runningProbe--;
          else if (c.kind === 'partition') this.runningPartitions--;
          slots?.release();
          this.schedule();
        });
    }
    if (this.finished || this.partitionWork) return;
    // Partitions done: the sample (read to its SAMPLE_PAGES) has served its purpose unless the checks below
    // want the listing whole.
    if (this.scanMode === 'sample' && (this.probeState === 'more' || this.probeState === 'sampled')) this.crossCheck();
    if (this.awaited === 0 && (this.scanMode === 'sample' || this.scanState === 'done' || this.scanState === 'failed')) this.finish();
  }

  /** Every row the unpartitioned listing showed must have come back from a partition; the count must match. */
  private crossCheck(): void {
    const unseen = [...this.sampleIds].filter((id) => !this.partitionIds.has(id)).length;
    if (unseen > 0) {
      this.wantFull(tn('graph_full_unseen', unseen));
    } else if (this.probeCount !== null && this.merger.size < this.probeCount && this.scanState !== 'done') {
      this.wantFull(t('graph_full_count_differs', { count: this.probeCount, listed: this.merger.size }));
    }
    if (this.scanMode === 'full') this.schedule();
  }

  // ---- the scan read to its end

  /** The scan waits for a slot (with a live signal: a stopped sample may be resumed). */
  private queueScan(): void {
    if (this.scanStop.signal.aborted && !this.finished) this.scanStop = new AbortController();
    this.scanState = 'queued';
  }

  private wantFull(reason: string): void {
    if (this.scanMode === 'full' || this.scanState === 'done') return;
    this.scanMode = 'full';
    this.fullReason = reason;
    this.partitionsTotal++;
    if (this.probeState === 'running') return; // the probe's answer starts it
    if (this.probeState === 'failed' || this.scan === null) {
      // No first page to go on from: start over from the beginning.
      this.scan = this.chain('scan', this.scanLabel, null);
      this.queueScan();
    } else if (this.scanState !== 'running') {
      // Paused (stopped sample) or failed as a sample: resume from the page it stopped at.
      this.queueScan();
    }
  }

  // ---- one page

  private signalFor(c: Chain): AbortSignal | undefined {
    if (c.kind === 'partition') return this.partitionStop.signal;
    if (c.kind === 'scan') return this.scanStop.signal;
    return this.signal;
  }

  private async step(c: Chain): Promise<void> {
    const signal = this.signalFor(c);
    let page: { value?: unknown; '@odata.nextLink'?: unknown; '@odata.count'?: unknown };
    try {
      page = await this.graph.get(c.url, { signal, headers: this.kind.headers });
    } catch (e) {
      if (this.signal?.aborted) throw abortError(this.signal);
      if (signal?.aborted) {
        // A stopped sample pauses at this page; if meanwhile it must be read to the end, it goes on.
        if (c.kind === 'scan') {
          if (this.scanMode === 'full') this.queueScan();
          else this.scanState = 'idle';
        }
        return;
      }
      return this.failed(c, e);
    }
    if (this.finished) return;
    if (!Array.isArray(page?.value)) {
      return this.failed(c, new GraphError({ status: 200, code: 'InvalidResponse', message: t('graph_no_value_list'), url: c.url }));
    }
    this.pages++;
    if (c.pages === 0 && this.expandAnswered === null) this.expandAnswered = this.answeredAt(c.level);
    c.pages++;
    const raws = page.value as unknown[];
    c.rows += raws.length;
    c.lastLength = raws.length;
    const { rows, problems } = this.kind.normalise(raws, this.policyNames, this.elements);
    this.elements += raws.length;
    this.problems.push(...problems);

    if (c.kind === 'partition' && c.partition) {
      for (const r of rows) {
        if (this.partitionIds.has(r.id) && !c.reread) this.partitionDupes++;
        this.partitionIds.add(r.id);
        if (!rowMatchesPartition(c.partition, r) && !this.mismatched.has(c.partition.key)) {
          this.mismatched.add(c.partition.key);
          this.problems.push(
            t('graph_partition_outside', { partition: c.label }),
          );
        }
      }
    } else {
      for (const r of rows) {
        if (isSyntheticId(r.id)) continue;
        if (this.sampleIds.has(r.id) && !c.reread) this.scanDupes++;
        this.sampleIds.add(r.id);
      }
    }

    const fresh = this.merger.add(rows);
    if (fresh.length > 0) this.opts.onRows(fresh);

    const next = page['@odata.nextLink'];
    const hasNext = next !== undefined && next !== null;
    if (c.kind === 'probe' && typeof page['@odata.count'] === 'number' && Number.isFinite(page['@odata.count'])) {
      this.probeCount = page['@odata.count'];
    }
    if (c.kind !== 'partition' && !this.planned) this.unplanned.push(...rows);
    if (c.kind !== 'partition' && this.planned) {
      const uncovered = rows.filter((r) => !coveredBy(this.plan, r)).length;
      if (uncovered > 0) this.wantFull(tn('graph_full_uncovered', uncovered));
    }
    if (c.kind === 'probe') this.probeRows = rows;

    if (c.kind === 'partition' && this.partitionStop.signal.aborted) {
      // no longer needed: the list is already known complete
    } else if (!hasNext && this.ambiguousTop(c)) {
      this.rereadWithoutTop(c);
    } else if (!hasNext) {
      this.chainDone(c);
    } else {
      const check = checkNextLink(next, this.graphRoot);
      if (!check.ok) {
        this.failed(c, new GraphError({ status: 0, code: 'RefusedUrl', message: check.reason, url: String(next) }));
      } else if (c.seen.has(check.url)) {
        this.failed(c, new GraphError({ status: 0, code: 'PagingLoop', message: t('graph_paging_loop_earlier'), url: check.url }));
      } else {
        c.seen.add(check.url);
        c.url = check.url;
        this.continueChain(c, rows);
      }
    }
    this.progress();
  }

  private continueChain(c: Chain, rows: T[]): void {
    if (c.kind === 'partition') {
      this.ready.push(c);
      return;
    }
    if (c.kind === 'probe') {
      this.probeState = 'more';
      if (this.planned) this.refineBy(rows);
      this.scan = { ...c, kind: 'scan', label: this.scanLabel, partition: null, count: false };
    }
    this.queueScan();
  }

  private rereadWithoutTop(c: Chain): void {
    this.topRefused = true; // not trusted any more: later partitions go without it
    if (c.kind === 'probe') {
      // Not known to be the whole list: the partitions go on; its rows stay a sample.
      this.probeState = 'sampled';
      if (this.scanMode === 'full') {
        this.scan = this.chain('scan', this.scanLabel, null);
        this.queueScan();
      }
      return;
    }
    this.restart(c, true);
    this.requeue(c);
  }

  /** A restarted chain back in line: the scan has its own queue, partitions wait for a slot. */
  private requeue(c: Chain): void {
    if (c.kind === 'scan') this.queueScan();
    else this.ready.push(c);
  }

  private chainDone(c: Chain): void {
    if (c.kind === 'partition') {
      this.partitionsDone++;
      return;
    }
    if (c.kind === 'probe') this.probeState = 'complete';
    this.scanState = 'done';
    // The unpartitioned listing is read to its end: it alone is complete. Partitions add nothing, and
    // their failures leave nothing missing.
    if (this.scanMode === 'full') this.partitionsDone++;
    const healed = this.missing.filter((m) => m.kind === 'partition').length;
    if (healed > 0) this.problems.push(tn('graph_partitions_healed', healed));
    this.pending = [];
    this.ready = this.ready.filter((x) => x.kind !== 'partition');
    this.partitionStop.abort();
    this.missing = this.missing.filter((m) => m.kind !== 'partition');
    this.partitionsDone = this.partitionsTotal;
  }

  /**
   * A first page was answered at `level`: that $expand works. A 400 that stepped the listing below it was about
   * something else (a refused partition filter that answered first): new chains go back to `level`, and the
   * note it added is taken back. Only now does the shared memo learn a step down.
   */
  private answeredAt(level: number): number {
    if (this.expandLevel > level) {
      this.expandLevel = level;
      const at = this.refusal?.note ? this.problems.indexOf(this.refusal.note) : -1;
      if (at >= 0) this.problems.splice(at, 1);
      this.refusal = null;
    }
    const memo = this.opts.expandMemo;
    if (memo && level > memo.level && this.refusal) Object.assign(memo, { level, message: this.refusal.message });
    return level;
  }

  private failed(c: Chain, e: unknown): void {
    const err =
      e instanceof GraphError
        ? e
        : new GraphError({ status: 0, code: 'Error', message: e instanceof Error ? e.message : String(e), url: c.url });
    if (c.pages === 0 && err.status === 400 && c.level < (this.expandAnswered ?? this.kind.expands.length - 1)) {
      // A nested $expand option refused: step down rather than not list at all (chains already started with
      // it are asked again, once each). Once a first page was answered, its level is known to work.
      const last = this.kind.expands.length - 1;
      const level = this.expandAnswered ?? Math.max(this.expandLevel, c.level + 1);
      let note: string | null = null;
      if (level === last && this.expandLevel < last) this.problems.push((note = this.kind.expandRefused(err.message)));
      if (level > this.expandLevel) this.refusal = { message: err.message, note: note ?? this.refusal?.note ?? null };
      this.expandLevel = Math.max(this.expandLevel, level);
      c.level = level;
      c.firstUrl = this.absolute(this.kind.path(c.filter, level));
      this.restart(c, false);
      this.requeue(c);
      return;
    }
    if (c.pages === 0 && err.status === 400 && (c.count || c.top)) {
      // $count or $top refused: ask again without them, and do not send $top again.
      if (c.top) this.topRefused = true;
      this.restart(c, false);
      this.requeue(c);
      return;
    }
    if (c.pages > 0 && err.status === 400 && !this.tokenRestarted.has(c)) {
      // A next link Graph itself gave was refused: its $skiptoken expired while the chain waited for a slot
      // (or Graph dropped the saved list). Read the chain again from its first page, once; the rows already
      // merged are not passed on twice.
      this.tokenRestarted.add(c);
      this.restart(c, true);
      this.requeue(c);
      return;
    }
    if (c.kind === 'probe') {
      // Without its first page nothing guards what partitions cannot see: read the listing after all.
      this.probeState = 'failed';
      if (this.scanMode === 'full') {
        this.scan = this.chain('scan', this.scanLabel, null);
        this.queueScan();
      } else {
        this.wantFull(t('graph_full_first_page', { message: err.message }));
      }
      return;
    }
    const text = err.code && !err.message.includes(err.code) ? `${err.message} (${err.code}${err.status ? `, HTTP ${err.status}` : ''})` : err.message;
    // The page that could not be read: for a refused next link, the link itself.
    const page = err.url || c.url;
    if (c.kind === 'scan') {
      this.scanState = 'failed';
      if (this.scanMode === 'full') this.missing.push({ kind: 'scan', partition: c.label, page, error: text });
      // A sampled page that could not be read guards nothing: the listing is read to the end after all
      // (from that page, tried once more).
      else this.wantFull(t('graph_full_page', { message: text }));
      return;
    }
    this.partitionsDone++;
    if (c.partition?.bestEffort && c.pages === 0 && err.status === 400) {
      // The service does not take this extra filter: the scan alone guards those assignments.
      this.problems.push(t('graph_partition_refused', { partition: c.label, message: err.message }));
      return;
    }
    this.missing.push({ kind: c.kind, partition: c.label, page, error: text });
    // Rows are known to be missing: the unpartitioned listing, read to its end, may still bring them.
    this.wantFull(
      c.pages === 0 && err.status === 400
        ? t('graph_full_filter_refused', { message: err.message })
        : t('graph_full_partition_page', { partition: c.label, message: text }),
    );
  }

  private progress(): void {
    this.opts.onProgress?.({
      pages: this.pages,
      rows: this.merger.size,
      partitionsDone: Math.min(this.partitionsDone, this.partitionsTotal),
      partitionsTotal: this.partitionsTotal,
    });
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.stopWaiting();
    this.signal?.removeEventListener('abort', this.onAbort);
    this.scanStop.abort();
    if (this.scanMode === 'full' && this.scanState === 'done') {
      this.problems.push(t('graph_listing_full_because', { reason: this.fullReason }));
    }
    if (this.probeCount !== null && this.missing.length === 0 && this.merger.size !== this.probeCount) {
      this.problems.push(t('graph_count_changed', { count: this.probeCount, listed: this.merger.size }));
    }
    this.progress();
    this.settle.resolve({
      total: this.merger.size,
      missing: this.missing.map(({ kind: _kind, ...m }) => m),
      duplicates: Math.max(this.partitionDupes, this.scanDupes),
      problems: this.problems,
      pages: this.pages,
    });
  }
}

const isPolicyList = (v: FetchListingOptions<PartitionItem>['policies']): v is readonly PolicyInfo[] => Array.isArray(v);

// ---------------------------------------------------------------- the baseline

export interface SequentialOptions {
  graph: Graph;
  packageId: string;
  signal?: AbortSignal;
  onRows(rows: Row[]): void;
  onProgress?(p: LoadProgress): void;
  policies?: readonly PolicyInfo[];
}

/**
 * The unpartitioned listing read page after page with the Graph client's own PageIterator: the baseline
 * the benchmark compares fetchAssignments against. Same result shape; a failure ends the listing and is
 * reported as one MissingPart.
 */
export async function fetchAssignmentsSequential(opts: SequentialOptions): Promise<FetchAssignmentsResult> {
  const { graph, signal } = opts;
  const policyNames = new Map((opts.policies ?? []).map((p) => [p.id, p.displayName]));
  const merger = new AssignmentMerger();
  const problems: string[] = [];
  let pages = 0;
  let elements = 0;
  let buffer: unknown[] = [];
  let lastUrl = `${graph.graphRoot}v1.0/${assignmentsPath(packageFilter(opts.packageId))}`;

  const flush = (): void => {
    if (buffer.length === 0) return;
    const { rows, problems: p } = normaliseAssignments(buffer, policyNames, elements);
    elements += buffer.length;
    buffer = [];
    problems.push(...p);
    const fresh = merger.add(rows);
    if (fresh.length > 0) opts.onRows(fresh);
  };
  const progress = (): void =>
    opts.onProgress?.({ pages, rows: merger.size, partitionsDone: 0, partitionsTotal: 1 });

  const sdk = graph.sdkOptions({
    signal,
    onResponse: ({ url, status }) => {
      lastUrl = url;
      // The previous page's items have all been handed to the callback by now.
      flush();
      if (status >= 200 && status < 300) pages++;
      progress();
    },
  });
  const missing: MissingPart[] = [];
  try {
    let req = graph.client.api(lastUrl).middlewareOptions(sdk.requestOptions.middlewareOptions ?? []);
    if (signal) req = req.option('signal', signal);
    const first = await req.get();
    const iterator = new PageIterator(graph.client, first, (item: unknown) => {
      buffer.push(item);
      return !signal?.aborted;
    }, sdk.requestOptions);
    await iterator.iterate();
    if (signal?.aborted) throw abortError(signal);
  } catch (e) {
    if (signal?.aborted) throw abortError(signal);
    flush();
    const failure = sdk.failure();
    const err = failure ?? (e as { message?: string; code?: string; statusCode?: number });
    missing.push({
      partition: scanLabel(),
      page: lastUrl,
      error: `${err.message ?? String(e)}${err.code ? ` (${err.code})` : ''}`,
    });
  }
  flush();
  progress();
  return { total: merger.size, missing, duplicates: merger.duplicates, problems, pages };
}
