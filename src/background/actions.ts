// The action queue: bulk removal (adminRemove) and direct add (adminAdd) from the panel, with a log that
// outlives the tab and the worker. What an admin relies on:
//
//  - Nothing is sent twice for the same assignment (remove) or the same user + policy (add) while a request
//    for it is open. Keys being sent are held in memory (a second batch naming one follows the first
//    request instead of sending its own), and the persisted log is consulted: a `done` entry of the last
//    DONE_WINDOW_MS is not sent again, and a `pending` entry of unknown outcome (the worker stopped, or the
//    network dropped before Graph answered) is first checked against Graph. The entry says which applied.
//  - Every entry is written to storage.local as `pending` BEFORE its request is sent, and updated as answers
//    come: closing the tab or a stopped worker loses nothing. Entries found `pending` when the worker starts
//    stay pending (outcome unknown): they are never sent again automatically; a retry checks Graph first.
//  - Every entry ends `done` (Graph accepted it: its request id), `failed` (Graph's code and message; a 403
//    in plain words), or `pending` (no answer: check before resending).
//  - Accepted removals and adds are checked by re-listing the package (1 s, 2 s, 4 s, 8 s, 16 s after): what
//    is still listed (or not yet listed) after that gets a note on its entry.
//
// Graph itself refuses a second open request for the same assignment or subject, so even the one ambiguous
// case (a check that runs before Graph lists a request sent seconds ago) cannot remove or add twice.
import { isSyntheticId, normalisePackage, normalisePolicy } from '../core/normalise';
import type { Cloud, PolicyInfo, Row } from '../core/model';
import { odataString } from '../core/partition';
import { createRateLimiter, WRITE_WINDOW, type RateLimiter } from '../core/ratelimit';
import { listAll } from '../graph/assignments';
import { GraphError, type Graph } from '../graph/client';
import { answerProblems, parseAnswers, type QuestionAnswer } from '../core/questions';
import { endedSince, isRemovalRequest } from '../core/request-types';
import { fetchDeliveryStatus, searchUsers, submitAdds, submitRemovals, type WriteOutcome } from '../graph/requests';
import { fetchMyRoles } from '../graph/roles';
import type { ActionEntry, DeliveryStatus, PanelRequest, WorkerEvent } from '../messages';
import { planExtend, planReprocess, type DetailsPlans } from './details/plan';
import { submitDetailsWrites } from './details/submit';
import { AuthRequiredError, graphWithTokens, type TokenManager } from './tokens';
import { t, tn } from '../panel/i18n';

const EM = 'identityGovernance/entitlementManagement';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A `done` entry this recent stops the same key from being sent again. */
export const DONE_WINDOW_MS = 15 * 60_000;
/** Waits before each re-listing after acceptance; their count is the number of refreshes tried. */
export const VERIFY_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 16_000];
/** The panel hears about log changes at most this often (longer for very long logs, see emitInterval). */
export const EMIT_INTERVAL_MS = 100;
/** Result updates are written in bursts: a lost update leaves an entry `pending`, which is safe. */
export const SAVE_DELAY_MS = 250;
/** Finished batches beyond this many entries per package are dropped, oldest first; pending ones never. */
export const MAX_LOG_ENTRIES = 20_000;
/** Re-listing waits at most this long for a panel's fresh list. */
export const RELOAD_TIMEOUT_MS = 180_000;

export const logKey = (packageId: string): string => `actionLog:${packageId}`;

/** Codes of refusals a retry cannot change (never sent, and never will be). */
const PERMANENT = new Set(['SyntheticId', 'InvalidId', 'NotApplicable', 'PlanUnavailable', 'ExpiryPastPolicyMaximum', 'ExpiryNotValid', 'NotDelivered']);

/** The message of an entry found pending when the worker starts (its outcome is unknown). */
export const orphanMessage = (): string => t('worker_orphan');

// ---------------------------------------------------------------- dependencies

export interface ActionStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/** Who asked: a panel session (the package it shows, and its port). */
export interface ActionRequester {
  readonly showing: string | null;
  post(ev: WorkerEvent): void;
}

export interface ActionDeps {
  storage: ActionStorage;
  /** A Graph client; `write` makes its tokens carry EntitlementManagement.ReadWrite.All. */
  graph(write: boolean): Promise<Graph>;
  /** A write token can be had (silently, else interactively: the admin just clicked); throws with why not. */
  ensureWriteAccess(): Promise<void>;
  /** The signed-in admin's username ('' when signed out). */
  actor(): string;
  /** To every panel (the events carry their package id). */
  broadcast(ev: WorkerEvent): void;
  /** Re-lists the package skipping caches (panels showing it refresh); the complete list, or null. */
  reload(packageId: string): Promise<readonly Row[] | null>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  schedule?: (cb: () => void, ms: number) => void;
  /** Write pacing shared by every batch (default: Graph's documented write limit). */
  limiter?: RateLimiter;
  /** Reprocess and extend (./details): which reprocess applies per assignment, and the policies' limits. */
  details?: DetailsPlans;
  /** Graph accepted a write to this package: a copy of its assignments kept elsewhere (the overview) is old. */
  changed?(packageId: string): void;
}

// ---------------------------------------------------------------- pure helpers

/** One key per thing that must never have two open requests: the assignment, or the user under a policy. */
export function dedupeKey(e: Pick<ActionEntry, 'packageId' | 'kind' | 'key' | 'policyId'>): string {
  return e.kind !== 'add'
    ? `${e.packageId}|${e.kind}|${e.key.toLowerCase()}`
    : `${e.packageId}|add|${e.key.toLowerCase()}|${(e.policyId ?? '').toLowerCase()}`;
}

/** Why a direct add with this policy must not be sent (null: it may). */
export function addRefusal(policy: PolicyInfo, users: number): string | null {
  if (!policy.allowsDirectAssignment) {
    return t('worker_add_not_direct', { policy: policy.displayName });
  }
  if (policy.hasQuestions && users > 1) {
    return tn('worker_add_one_at_a_time', users, { policy: policy.displayName });
  }
  return null;
}

/** Whether the fresh list shows what an accepted entry asked for (a removed assignment gone, an added one listed). */
export function reflectedIn(e: ActionEntry, rows: readonly Row[]): boolean {
  const key = e.key.toLowerCase();
  // Reprocess changes nothing a list shows; an extension shows as the new expiry.
  if (e.kind === 'reprocess') return true;
  if (e.kind === 'extend') return rows.some((r) => r.id.toLowerCase() === key && r.expiry !== null && e.end != null && Date.parse(r.expiry) >= Date.parse(e.end) - 1000);
  if (e.kind === 'remove') return !rows.some((r) => r.id.toLowerCase() === key && r.state !== 'expired');
  const policy = (e.policyId ?? '').toLowerCase();
  return rows.some((r) => (r.objectId ?? '').toLowerCase() === key && r.policyId.toLowerCase() === policy && r.state !== 'expired');
}

/** Keeps every batch with a pending entry; drops the oldest finished batches beyond `max` entries. */
export function pruneLog(entries: readonly ActionEntry[], max = MAX_LOG_ENTRIES): ActionEntry[] {
  if (entries.length <= max) return [...entries];
  const order: string[] = [];
  const byBatch = new Map<string, ActionEntry[]>();
  for (const e of entries) {
    let list = byBatch.get(e.batchId);
    if (!list) byBatch.set(e.batchId, (list = []));
    if (list.length === 0) order.push(e.batchId);
    list.push(e);
  }
  const drop = new Set<string>();
  let count = entries.length;
  for (const id of order) {
    if (count <= max) break;
    const list = byBatch.get(id)!;
    if (list.some((e) => e.result === 'pending')) continue;
    drop.add(id);
    count -= list.length;
  }
  return entries.filter((e) => !drop.has(e.batchId));
}

// Storage form: batch fields once per batch, short keys per entry (a 20,000-entry log stays a few MB under
// storage.local's quota).
interface StoredEntry {
  k: string;
  l: string;
  r: ActionEntry['result'];
  at: string;
  a?: string;
  c?: string;
  m?: string;
  q?: string;
  n?: string;
  /** reprocess: the request to reprocess (absent: the assignment itself) */
  p?: string;
}
interface StoredBatch {
  id: string;
  kind: ActionEntry['kind'];
  actor: string;
  policyId?: string;
  filter?: string;
  start?: string | null;
  end?: string | null;
  answers?: QuestionAnswer[];
  entries: StoredEntry[];
}
export interface StoredLog {
  v: 1;
  batches: StoredBatch[];
}

export function encodeLog(entries: readonly ActionEntry[]): StoredLog {
  const batches: StoredBatch[] = [];
  const byId = new Map<string, StoredBatch>();
  for (const e of entries) {
    let b = byId.get(e.batchId);
    if (!b) {
      b = { id: e.batchId, kind: e.kind, actor: e.actor, entries: [] };
      if (e.policyId !== undefined) b.policyId = e.policyId;
      if (e.filter !== undefined) b.filter = e.filter;
      if (e.start !== undefined) b.start = e.start;
      if (e.end !== undefined) b.end = e.end;
      if (e.answers !== undefined) b.answers = e.answers;
      byId.set(e.batchId, b);
      batches.push(b);
    }
    const s: StoredEntry = { k: e.key, l: e.label, r: e.result, at: e.at };
    if (e.actor !== b.actor) s.a = e.actor;
    if (e.code !== undefined) s.c = e.code;
    if (e.message !== undefined) s.m = e.message;
    if (e.requestId !== undefined) s.q = e.requestId;
    if (e.note !== undefined) s.n = e.note;
    if (e.reprocessRequestId !== undefined) s.p = e.reprocessRequestId;
    b.entries.push(s);
  }
  return { v: 1, batches };
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown): string | undefined => (isStr(v) ? v : undefined);
const RESULTS = new Set(['pending', 'done', 'failed']);
const KINDS = new Set(['remove', 'add', 'reprocess', 'extend']);

/** The stored log of a package; anything malformed is skipped (an entry without its key cannot be acted on). */
export function decodeLog(raw: unknown, packageId: string): ActionEntry[] {
  const out: ActionEntry[] = [];
  const batches = (raw as { batches?: unknown } | null)?.batches;
  if (!Array.isArray(batches)) return out;
  for (const b of batches as Array<Record<string, unknown>>) {
    if (!b || !isStr(b.id) || !KINDS.has(b.kind as string) || !Array.isArray(b.entries)) continue;
    for (const s of b.entries as Array<Record<string, unknown>>) {
      if (!s || !isStr(s.k) || !isStr(s.at) || !RESULTS.has(s.r as string)) continue;
      const e: ActionEntry = {
        batchId: b.id,
        kind: b.kind as ActionEntry['kind'],
        key: s.k,
        label: isStr(s.l) ? s.l : s.k,
        packageId,
        actor: optStr(s.a) ?? optStr(b.actor) ?? '',
        result: s.r as ActionEntry['result'],
        at: s.at,
      };
      if (isStr(b.policyId)) e.policyId = b.policyId;
      if (isStr(b.filter)) e.filter = b.filter;
      if (b.start === null || isStr(b.start)) e.start = b.start;
      if (b.end === null || isStr(b.end)) e.end = b.end;
      const answers = b.answers === undefined ? null : parseAnswers(b.answers);
      if (answers) e.answers = answers;
      if (isStr(s.c)) e.code = s.c;
      if (isStr(s.m)) e.message = s.m;
      if (isStr(s.q)) e.requestId = s.q;
      if (isStr(s.n)) e.note = s.n;
      if (isStr(s.p)) e.reprocessRequestId = s.p;
      out.push(e);
    }
  }
  return out;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

// ---------------------------------------------------------------- the queue

type RolesEvent = Extract<WorkerEvent, { type: 'roles' }>;

interface Verification {
  /** re-listings tried for this entry */
  tries: number;
  /** of which produced a complete list */
  seen: number;
}

/** Object ids are GUIDs: the same id in another case is the same user or assignment. */
const lowerCase = (id: string): string => id.toLowerCase();

export class ActionService {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly schedule: (cb: () => void, ms: number) => void;
  private readonly limiter: RateLimiter;
  private readonly logs = new Map<string, ActionEntry[]>();
  private readonly loading = new Map<string, Promise<ActionEntry[]>>();
  /** Packages whose stored log could not be read: nothing is sent for them (the log is the dedupe's memory). */
  private readonly unreadable = new Map<string, string>();
  /** Dedupe keys being sent right now → entries of other batches waiting on that request. */
  private readonly inFlight = new Map<string, ActionEntry[]>();
  private readonly emitPending = new Set<string>();
  private readonly savePending = new Set<string>();
  private readonly saveChain = new Map<string, Promise<void>>();
  private readonly saveQueued = new Map<string, Promise<void>>();
  private readonly verifying = new Map<string, Map<ActionEntry, Verification>>();
  private readonly roles = new Map<string, Promise<RolesEvent>>();
  private me: { actor: string; id: Promise<string> } | null = null;
  private readonly searches = new WeakMap<ActionRequester, AbortController>();

  constructor(private readonly deps: ActionDeps) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.schedule = deps.schedule ?? ((cb, ms) => void setTimeout(cb, ms));
    this.limiter = deps.limiter ?? createRateLimiter({ ...WRITE_WINDOW });
  }

  async handle(req: PanelRequest, from: ActionRequester): Promise<void> {
    switch (req.type) {
      case 'remove':
        return this.remove(req, from);
      case 'add':
        return this.add(req, from);
      case 'retry-actions':
        return this.retry(req.batchId, from);
      case 'action-log':
        return this.sendLog(req.packageId, from);
      case 'search-users':
        return this.search(req, from);
      case 'delivery-status':
        return this.delivery(req.assignmentIds, from);
      case 'reprocess':
      case 'extend':
        return this.fix(req, from);
      default:
        return;
    }
  }

  /** The package's log as it is now (copies). */
  async entries(packageId: string): Promise<ActionEntry[]> {
    return (await this.log(packageId)).map((e) => ({ ...e }));
  }

  // ------------------------------------------------------------------ requests

  /**
   * A new batch's entries, logged: none when the batch id is logged already (the batch id makes a request
   * idempotent: a repeated message, a double click or a reconnect adds nothing); one entry per distinct key
   * (`fold` says which keys are the same), each made and checked by `make`. The admin's roles go to the panel.
   */
  private async newBatch(
    pkg: string,
    batchId: string,
    keys: readonly string[],
    fold: (key: string) => string,
    from: ActionRequester,
    make: (key: string, i: number, at: string, actor: string) => ActionEntry,
  ): Promise<ActionEntry[] | null> {
    const log = await this.log(pkg);
    if (log.some((e) => e.batchId === batchId)) {
      this.emitNow(pkg);
      return null;
    }
    const at = this.iso();
    const actor = this.deps.actor();
    const seen = new Set<string>();
    const entries: ActionEntry[] = [];
    keys.forEach((key, i) => {
      const k = fold(key);
      if (seen.has(k)) return;
      seen.add(k);
      entries.push(make(key, i, at, actor));
    });
    this.append(pkg, entries);
    void this.sendRoles(pkg, from);
    return entries;
  }

  private async remove(req: Extract<PanelRequest, { type: 'remove' }>, from: ActionRequester): Promise<void> {
    const pkg = req.packageId;
    const entries = await this.newBatch(pkg, req.batchId, req.assignmentIds, (id) => id, from, (id, i, at, actor) => {
      const e: ActionEntry = { batchId: req.batchId, kind: 'remove', key: id, label: req.labels?.[i] || id, packageId: pkg, actor, result: 'pending', at, filter: req.filter };
      if (isSyntheticId(id)) fail(e, 'SyntheticId', t('worker_no_id_remove'), at);
      else if (!GUID.test(id)) fail(e, 'InvalidId', t('worker_not_assignment_id', { id }), at);
      return e;
    });
    if (entries) await this.run(pkg, entries.filter((e) => e.result === 'pending'), new Set());
  }

  private async add(req: Extract<PanelRequest, { type: 'add' }>, from: ActionRequester): Promise<void> {
    const pkg = req.packageId;
    const entries = await this.newBatch(pkg, req.batchId, req.userIds, lowerCase, from, (id, i, at, actor) => {
      const e: ActionEntry = {
        batchId: req.batchId,
        kind: 'add',
        key: id,
        label: req.labels?.[i] || id,
        packageId: pkg,
        policyId: req.policyId,
        actor,
        result: 'pending',
        at,
        start: req.start ?? null,
        end: req.end ?? null,
        ...(req.answers && req.answers.length > 0 ? { answers: req.answers } : {}),
      };
      if (!GUID.test(id)) fail(e, 'InvalidId', t('worker_not_user_id', { id }), at);
      return e;
    });
    if (entries) await this.run(pkg, entries.filter((e) => e.result === 'pending'), new Set());
  }

  /**
   * Reprocess or extend: one entry per assignment; what does not apply (the plan of ./details/plan) fails at
   * once with the reason and is never sent; the rest goes through the same pipeline as removals.
   */
  private async fix(req: Extract<PanelRequest, { type: 'reprocess' | 'extend' }>, from: ActionRequester): Promise<void> {
    const pkg = req.packageId;
    const entries = await this.newBatch(pkg, req.batchId, req.assignmentIds, lowerCase, from, (id, i, at, actor) => {
      const e: ActionEntry = { batchId: req.batchId, kind: req.type, key: id, label: req.labels?.[i] || id, packageId: pkg, actor, result: 'pending', at };
      if (req.type === 'extend') e.end = req.end;
      if (isSyntheticId(id)) fail(e, 'SyntheticId', t('worker_no_id_fix'), at);
      else if (!GUID.test(id)) fail(e, 'InvalidId', t('worker_not_assignment_id', { id }), at);
      return e;
    });
    if (!entries) return;
    const pending = entries.filter((e) => e.result === 'pending');
    if (pending.length === 0) return;
    if (!this.deps.details) {
      this.failAll(pkg, pending, 'NotAvailable', t('worker_fix_unavailable'));
      return;
    }
    const plan = req.type === 'reprocess' ? planReprocess(this.deps.details, pkg, pending, this.now()) : planExtend(this.deps.details, pkg, pending, this.now());
    const refused = await plan;
    for (const r of refused) fail(r.entry, r.code, r.message, this.iso());
    this.saveSoon(pkg);
    this.emitSoon(pkg);
    await this.run(pkg, pending.filter((e) => e.result === 'pending'), new Set());
  }

  /** Failed entries of the batch are sent again; pending ones of unknown outcome are checked with Graph first. */
  private async retry(batchId: string, from: ActionRequester): Promise<void> {
    let pkg: string | null = null;
    for (const [p, log] of this.logs) if (log.some((e) => e.batchId === batchId)) pkg = p;
    if (!pkg && from.showing && (await this.log(from.showing)).some((e) => e.batchId === batchId)) pkg = from.showing;
    if (!pkg) return;
    const batch = (await this.log(pkg)).filter((e) => e.batchId === batchId);
    const at = this.iso();
    const failed = batch.filter((e) => e.result === 'failed' && !PERMANENT.has(e.code ?? ''));
    const unknown = batch.filter((e) => e.result === 'pending' && !this.inFlight.has(dedupeKey(e)));
    for (const e of failed) {
      e.result = 'pending';
      e.code = undefined;
      e.message = undefined;
      e.note = undefined;
      e.at = at;
    }
    this.emitSoon(pkg);
    await this.run(pkg, [...failed, ...unknown], new Set(unknown));
  }

  // ------------------------------------------------------------------ the pipeline

  /**
   * Sends the pending `entries` (one kind, one batch): write access, the add rules, dedupe against requests
   * in flight and the log, the pending state persisted, entries of unknown outcome checked with Graph, then
   * the requests, then verification by re-listing.
   */
  private async run(pkg: string, entries: ActionEntry[], unknown: ReadonlySet<ActionEntry>): Promise<void> {
    if (entries.length === 0) return;
    const kind = entries[0].kind;
    const unreadable = this.unreadable.get(pkg);
    if (unreadable !== undefined) {
      this.failAll(pkg, entries, 'LogUnavailable', t('worker_log_unreadable', { message: unreadable }));
      return;
    }
    try {
      await this.deps.ensureWriteAccess();
    } catch (e) {
      this.failAll(pkg, entries, 'SignInRequired', t('worker_sign_in_needed', { message: messageOf(e) }));
      return;
    }
    const actor = this.deps.actor();
    if (actor) for (const e of entries) e.actor = actor;

    if (kind === 'add') {
      const refusal = await this.checkPolicy(pkg, entries[0].policyId ?? '', entries.length, entries[0].answers ?? []);
      if (refusal) {
        this.failAll(pkg, entries, refusal.code, refusal.message);
        return;
      }
    }

    // Classify and claim keys in one synchronous step, so two batches arriving together cannot both send.
    const send: ActionEntry[] = [];
    const check: ActionEntry[] = [];
    const now = this.now();
    for (const e of entries) {
      const k = dedupeKey(e);
      const followers = this.inFlight.get(k);
      if (followers) {
        followers.push(e);
        e.message = t('worker_follows_other_batch');
        continue;
      }
      const earlier = this.earlier(pkg, e, now);
      if (earlier?.result === 'done') {
        e.result = 'done';
        e.requestId = earlier.requestId;
        const what = t(`worker_kind_${e.kind}`);
        e.message = earlier.requestId
          ? t('worker_done_earlier_request', { what, at: earlier.at, request: earlier.requestId })
          : t('worker_done_earlier', { what, at: earlier.at });
        e.at = this.iso();
        continue;
      }
      this.inFlight.set(k, []);
      if (unknown.has(e) || earlier?.result === 'pending') check.push(e);
      else send.push(e);
    }
    const claimed = [...send, ...check];

    // Pending is on disk before anything is sent.
    try {
      this.emitSoon(pkg);
      await this.saveNow(pkg);
    } catch (e) {
      for (const x of claimed) {
        fail(x, 'NotSent', t('worker_log_not_saved', { message: messageOf(e) }), this.iso());
        this.release(pkg, x);
      }
      this.emitSoon(pkg);
      return;
    }

    if (check.length > 0) send.push(...(await this.checkWithGraph(pkg, kind, check)));
    if (send.length > 0) await this.submit(pkg, kind, send);
    this.saveSoon(pkg);
    this.emitSoon(pkg);
    if (entries.some((e) => e.result === 'done')) this.deps.changed?.(pkg);
    this.verify(pkg, entries.filter((e) => e.result === 'done' && e.kind !== 'reprocess'));
  }

  private async submit(pkg: string, kind: ActionEntry['kind'], send: ActionEntry[]): Promise<void> {
    const byKey = new Map(send.map((e) => [e.key, e]));
    const sending = new Set<string>();
    const settled = new Set<string>();
    const common = {
      limiter: this.limiter,
      onSending: (key: string) => void sending.add(key),
      onResult: (r: WriteOutcome) => {
        const e = byKey.get(r.key);
        if (!e) return;
        settled.add(r.key);
        this.settle(pkg, e, r);
      },
    };
    try {
      const graph = await this.deps.graph(true);
      if (kind === 'reprocess' || kind === 'extend') {
        await submitDetailsWrites({ ...common, graph, entries: send, now: this.now });
      } else if (kind === 'remove') {
        await submitRemovals({ ...common, graph, assignmentIds: send.map((e) => e.key) });
      } else {
        const first = send[0];
        await submitAdds({ ...common, graph, packageId: pkg, policyId: first.policyId ?? '', userIds: send.map((e) => e.key), start: first.start ?? null, end: first.end ?? null, answers: first.answers ?? [] });
      }
    } catch (err) {
      // Unexpected: whatever was handed to Graph may have been accepted; what was not, was not sent.
      for (const e of send) {
        if (settled.has(e.key)) continue;
        this.settle(
          pkg,
          e,
          sending.has(e.key)
            ? { key: e.key, result: 'pending', message: t('worker_no_answer', { message: messageOf(err) }) }
            : { key: e.key, result: 'failed', status: 0, code: 'NotSent', message: t('worker_not_sent', { message: messageOf(err) }) },
        );
      }
    }
  }

  /** An answer for one entry: recorded, its key released, and entries of other batches following it updated. */
  private settle(pkg: string, e: ActionEntry, r: WriteOutcome): void {
    e.at = this.iso();
    if (r.result === 'done') {
      e.result = 'done';
      e.requestId = r.requestId || undefined;
      e.code = undefined;
      const state = [r.state, r.status].filter(Boolean).join(', ');
      e.message = state ? t('worker_accepted_state', { state }) : t('worker_accepted');
    } else if (r.result === 'failed') {
      e.result = 'failed';
      e.code = r.code;
      e.message = r.explanation ?? r.message;
      if (r.status === 403) this.forbidden(pkg, r.explanation ?? r.message);
    } else {
      e.result = 'pending';
      e.message = r.message;
    }
    this.release(pkg, e);
    this.saveSoon(pkg);
    this.emitSoon(pkg);
  }

  private release(pkg: string, e: ActionEntry): void {
    const k = dedupeKey(e);
    const followers = this.inFlight.get(k);
    this.inFlight.delete(k);
    for (const f of followers ?? []) {
      f.result = e.result;
      f.code = e.code;
      f.requestId = e.requestId;
      f.message = t('worker_handled_once', { batch: e.batchId, message: e.message ?? '' }).trim();
      f.at = e.at;
      if (f.result === 'done') this.verify(pkg, [f]);
    }
  }

  /** The latest entry of another batch for the same key that stops a send: done recently, or pending. */
  private earlier(pkg: string, e: ActionEntry, now: number): ActionEntry | undefined {
    const k = dedupeKey(e);
    const log = this.logs.get(pkg) ?? [];
    for (let i = log.length - 1; i >= 0; i--) {
      const x = log[i];
      if (x === e || x.batchId === e.batchId || dedupeKey(x) !== k) continue;
      if (x.result === 'pending') return x;
      if (x.result === 'done' && now - Date.parse(x.at) <= DONE_WINDOW_MS) return x;
    }
    return undefined;
  }

  /**
   * Entries whose earlier request may or may not have reached Graph. Removals: Graph's newest request for the
   * assignment (a removal means done), else whether the assignment still exists. Adds: whether the user is
   * assigned under the policy. Returns the entries to send; the others are settled here.
   */
  private async checkWithGraph(pkg: string, kind: ActionEntry['kind'], entries: ActionEntry[]): Promise<ActionEntry[]> {
    const send: ActionEntry[] = [];
    const cannotCheck = (e: ActionEntry, err: unknown): void => {
      e.result = 'pending';
      e.message = t('worker_check_failed', { message: messageOf(err) });
      e.at = this.iso();
      this.release(pkg, e);
    };
    if (kind === 'reprocess' || kind === 'extend') {
      // Graph keeps no trace of a reprocess to look for, and an extension's request cannot be told from
      // another: an entry of unknown outcome stays pending rather than risk sending it twice.
      for (const e of entries) {
        e.message = t('worker_outcome_unknown');
        e.at = this.iso();
        this.release(pkg, e);
      }
      return send;
    }
    let graph: Graph;
    try {
      graph = await this.deps.graph(false);
    } catch (err) {
      entries.forEach((e) => cannotCheck(e, err));
      return send;
    }
    if (kind === 'remove') {
      let statuses: DeliveryStatus[];
      try {
        statuses = await fetchDeliveryStatus(graph, pkg, entries.map((e) => e.key));
      } catch (err) {
        entries.forEach((e) => cannotCheck(e, err));
        return send;
      }
      for (const e of entries) {
        const st = statuses.find((s) => s.assignmentId.toLowerCase() === e.key.toLowerCase());
        if (st && isRemovalRequest(st.requestType)) {
          const state = st.state || t('worker_state_unknown');
          const message = st.createdDateTime == null
            ? t('worker_removal_requested_no_time', { request: st.requestId, state })
            : t('worker_removal_requested', { request: st.requestId, state, at: st.createdDateTime });
          this.settleChecked(pkg, e, st.requestId, message);
          continue;
        }
        try {
          const listed = await graph.get<{ state?: unknown; expiredDateTime?: unknown }>(`${EM}/assignments/${encodeURIComponent(e.key)}?$select=id,state,expiredDateTime`);
          // Still listed as expired (Graph keeps a removed assignment for a while): nothing left to remove.
          if (listed && endedSince(listed, e.at)) {
            this.settleChecked(pkg, e, undefined, t('worker_assignment_ended', { state: String(listed.state) }));
          } else send.push(e);
        } catch (err) {
          if (err instanceof GraphError && err.status === 404) {
            this.settleChecked(pkg, e, undefined, t('worker_assignment_gone'));
          } else cannotCheck(e, err);
        }
      }
      return send;
    }
    for (const e of entries) {
      const filter = `accessPackage/id eq ${odataString(pkg)} and assignmentPolicy/id eq ${odataString(e.policyId ?? '')} and target/objectId eq ${odataString(e.key)}`;
      try {
        const found = (await listAll(graph, `${EM}/assignments?$filter=${encodeURIComponent(filter)}&$select=id,state`)) as Array<{ id?: unknown; state?: unknown }>;
        const live = found.find((a) => a.state !== 'expired');
        if (live) this.settleChecked(pkg, e, undefined, t('worker_user_assigned', { assignment: String(live.id), state: String(live.state) }));
        else send.push(e);
      } catch (err) {
        cannotCheck(e, err);
      }
    }
    return send;
  }

  private settleChecked(pkg: string, e: ActionEntry, requestId: string | undefined, message: string): void {
    e.result = 'done';
    e.code = undefined;
    e.requestId = requestId;
    e.message = message;
    e.at = this.iso();
    this.release(pkg, e);
  }

  /** The policy must allow direct assignment; with requestor questions, one user at a time. */
  private async checkPolicy(pkg: string, policyId: string, users: number, answers: readonly QuestionAnswer[]): Promise<{ code: string; message: string } | null> {
    let policy: PolicyInfo | null;
    try {
      const graph = await this.deps.graph(false);
      // questions is a relationship of the policy: without the expand every policy looks question-free.
      policy = normalisePolicy(await graph.get(`${EM}/assignmentPolicies/${encodeURIComponent(policyId)}?$expand=questions`));
    } catch (e) {
      return { code: e instanceof GraphError ? e.code : 'PolicyUnreadable', message: t('worker_policy_unreadable', { message: messageOf(e) }) };
    }
    if (!policy) return { code: 'PolicyUnreadable', message: t('worker_policy_missing') };
    const refusal = addRefusal(policy, users);
    if (refusal) return { code: 'NotAllowed', message: refusal };
    const problems = answerProblems(policy.questions ?? [], answers);
    if (problems.size > 0) {
      return {
        code: 'AnswersMissing',
        message: tn('worker_answers_missing', problems.size, { policy: policy.displayName }),
      };
    }
    return null;
  }

  private failAll(pkg: string, entries: ActionEntry[], code: string, message: string): void {
    const at = this.iso();
    for (const e of entries) fail(e, code, message, at);
    this.saveSoon(pkg);
    this.emitSoon(pkg);
  }

  // ------------------------------------------------------------------ verification by re-listing

  private verify(pkg: string, entries: ActionEntry[]): void {
    if (entries.length === 0) return;
    let set = this.verifying.get(pkg);
    const start = !set;
    if (!set) this.verifying.set(pkg, (set = new Map()));
    for (const e of entries) if (!set.has(e)) set.set(e, { tries: 0, seen: 0 });
    if (start) void this.verifyLoop(pkg, set);
  }

  private async verifyLoop(pkg: string, set: Map<ActionEntry, Verification>): Promise<void> {
    try {
      while (set.size > 0) {
        const least = Math.min(...[...set.values()].map((v) => v.tries));
        await this.sleep(VERIFY_DELAYS_MS[Math.min(least, VERIFY_DELAYS_MS.length - 1)]);
        let rows: readonly Row[] | null;
        try {
          rows = await this.deps.reload(pkg);
        } catch {
          rows = null;
        }
        for (const [e, v] of set) {
          v.tries++;
          if (rows) v.seen++;
          if (e.result !== 'done') {
            set.delete(e);
          } else if (rows && reflectedIn(e, rows)) {
            e.note = undefined;
            set.delete(e);
          } else if (v.tries >= VERIFY_DELAYS_MS.length) {
            e.note = stillThereNote(e, v.seen);
            set.delete(e);
          }
        }
        this.saveSoon(pkg);
        this.emitSoon(pkg);
      }
    } finally {
      this.verifying.delete(pkg);
    }
  }

  // ------------------------------------------------------------------ roles, search, delivery

  private async sendLog(pkg: string, from: ActionRequester): Promise<void> {
    const entries = await this.entries(pkg);
    from.post({ type: 'actions', packageId: pkg, entries });
    await this.sendRoles(pkg, from);
  }

  /** The admin's roles on the package's catalog, once per admin and package (refreshed after a 403). */
  private async sendRoles(pkg: string, to: ActionRequester): Promise<void> {
    const actor = this.deps.actor();
    if (!actor) return; // not signed in: the panel shows its sign-in button, roles come after
    const key = `${actor}|${pkg}`;
    let p = this.roles.get(key);
    if (!p) {
      const read = this.readRoles(pkg, actor);
      const ev = read.then(([e]) => e);
      p = ev;
      this.roles.set(key, ev);
      // A failed read is not remembered: the next request tries again.
      void read.then(([, ok]) => {
        if (!ok && this.roles.get(key) === ev) this.roles.delete(key);
      });
    }
    to.post(await p);
  }

  private async readRoles(pkg: string, actor: string): Promise<[RolesEvent, boolean]> {
    try {
      const graph = await this.deps.graph(false);
      if (!this.me || this.me.actor !== actor) {
        const id = graph.get<{ id?: unknown }>('me?$select=id').then((m) => (typeof m?.id === 'string' ? m.id : ''));
        this.me = { actor, id };
        id.catch(() => {
          if (this.me?.id === id) this.me = null;
        });
      }
      const [id, pkgRaw] = await Promise.all([this.me.id, graph.get(`${EM}/accessPackages/${encodeURIComponent(pkg)}?$expand=catalog`)]);
      const r = await fetchMyRoles(graph, id, normalisePackage(pkgRaw).catalogId);
      return [{ type: 'roles', packageId: pkg, canWrite: r.canWrite, roles: r.roles, explanation: r.explanation }, true];
    } catch (e) {
      const explanation = t('worker_roles_unreadable', { message: messageOf(e) });
      return [{ type: 'roles', packageId: pkg, canWrite: 'unknown', roles: [], explanation }, false];
    }
  }

  /** Graph refused a write with 403: that is the real answer about the admin's role here. */
  private forbidden(pkg: string, explanation: string): void {
    const actor = this.deps.actor();
    const ev: RolesEvent = { type: 'roles', packageId: pkg, canWrite: false, roles: [], explanation };
    const key = `${actor}|${pkg}`;
    const prev = this.roles.get(key);
    const next = (prev ?? Promise.resolve(ev)).then((old) => ({ ...ev, roles: old.roles }));
    this.roles.set(key, next);
    void next.then((e) => this.deps.broadcast(e));
  }

  private async search(req: Extract<PanelRequest, { type: 'search-users' }>, from: ActionRequester): Promise<void> {
    this.searches.get(from)?.abort();
    const controller = new AbortController();
    this.searches.set(from, controller);
    try {
      const graph = await this.deps.graph(false);
      const users = await searchUsers(graph, req.query, controller.signal);
      if (!controller.signal.aborted) from.post({ type: 'search-results', seq: req.seq, users });
    } catch (e) {
      if (!controller.signal.aborted) from.post({ type: 'search-results', seq: req.seq, users: [], error: messageOf(e) });
    }
  }

  private async delivery(assignmentIds: string[], from: ActionRequester): Promise<void> {
    const pkg = from.showing;
    if (!pkg) {
      from.post({ type: 'delivery', statuses: [], requested: assignmentIds, error: t('worker_no_package_open') });
      return;
    }
    try {
      const graph = await this.deps.graph(false);
      const statuses = await fetchDeliveryStatus(graph, pkg, assignmentIds);
      from.post({ type: 'delivery', statuses, requested: assignmentIds });
    } catch (e) {
      from.post({ type: 'delivery', statuses: [], requested: assignmentIds, error: messageOf(e) });
    }
  }

  // ------------------------------------------------------------------ log: memory, storage, panel

  private log(pkg: string): Promise<ActionEntry[]> {
    const have = this.logs.get(pkg);
    if (have) return Promise.resolve(have);
    let p = this.loading.get(pkg);
    if (!p) {
      p = this.deps.storage.get(logKey(pkg)).then(
        (raw) => {
          const entries = decodeLog(raw, pkg);
          // Pending at start: this worker never sent them, so their outcome is unknown.
          for (const e of entries) if (e.result === 'pending' && !e.message) e.message = orphanMessage();
          return entries;
        },
        (e: unknown) => {
          this.unreadable.set(pkg, messageOf(e));
          return [] as ActionEntry[];
        },
      ).then((entries) => {
        this.logs.set(pkg, entries);
        this.loading.delete(pkg);
        return entries;
      });
      this.loading.set(pkg, p);
    }
    return p;
  }

  private append(pkg: string, entries: ActionEntry[]): void {
    const log = this.logs.get(pkg)!;
    const next = pruneLog([...log, ...entries]);
    log.length = 0;
    log.push(...next);
    this.saveSoon(pkg);
    this.emitSoon(pkg);
  }

  /** Resolves once a write holding the log as it is now has completed (rejects if that write failed). */
  private saveNow(pkg: string): Promise<void> {
    // A log that could not be read is never overwritten by the little this worker knows.
    const unreadable = this.unreadable.get(pkg);
    if (unreadable !== undefined) return Promise.reject(new Error(t('worker_log_unreadable_error', { message: unreadable })));
    const queued = this.saveQueued.get(pkg);
    if (queued) return queued;
    const prev = this.saveChain.get(pkg) ?? Promise.resolve();
    const p = prev
      .catch(() => undefined)
      .then(() => {
        // The snapshot is taken when the write starts, so it holds every change queued behind it.
        this.saveQueued.delete(pkg);
        return this.deps.storage.set(logKey(pkg), encodeLog(this.logs.get(pkg) ?? []));
      });
    this.saveQueued.set(pkg, p);
    this.saveChain.set(pkg, p);
    return p;
  }

  private saveSoon(pkg: string): void {
    if (this.savePending.has(pkg)) return;
    this.savePending.add(pkg);
    this.schedule(() => {
      this.savePending.delete(pkg);
      // A failed result update leaves the stored entry pending (unknown outcome): safe, so only reported.
      this.saveNow(pkg).catch((e: unknown) => console.warn('action log not saved', e));
    }, SAVE_DELAY_MS);
  }

  private emitSoon(pkg: string): void {
    if (this.emitPending.has(pkg)) return;
    this.emitPending.add(pkg);
    this.schedule(() => {
      this.emitPending.delete(pkg);
      this.emitNow(pkg);
    }, emitInterval(this.logs.get(pkg)?.length ?? 0));
  }

  private emitNow(pkg: string): void {
    const log = this.logs.get(pkg);
    if (log) this.deps.broadcast({ type: 'actions', packageId: pkg, entries: log.map((e) => ({ ...e })) });
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

function fail(e: ActionEntry, code: string, message: string, at: string): void {
  e.result = 'failed';
  e.code = code;
  e.message = message;
  e.at = at;
}

function stillThereNote(e: ActionEntry, seen: number): string {
  if (seen === 0) return t('worker_verify_unchecked');
  if (e.kind === 'extend') return tn('worker_verify_extend', seen);
  return e.kind === 'remove' ? tn('worker_verify_remove', seen) : tn('worker_verify_add', seen);
}

/** Long logs are posted less often: each post copies the whole log. */
export function emitInterval(entries: number): number {
  return Math.min(2000, Math.max(EMIT_INTERVAL_MS, Math.round(entries / 50)));
}

// ---------------------------------------------------------------- wiring helpers for the worker

/** A write token silently if possible, else through an interactive sign-in (actions come from a click). */
export async function ensureWriteToken(tokens: Pick<TokenManager, 'token'>): Promise<void> {
  try {
    await tokens.token({ write: true });
  } catch (e) {
    if (!(e instanceof AuthRequiredError)) throw e;
    await tokens.token({ write: true, interactive: true });
  }
}

/** Graph clients for the configured cloud, with read or write tokens. */
export function graphFactory(tokens: Pick<TokenManager, 'token'>, cloud: () => Promise<Cloud>): (write: boolean) => Promise<Graph> {
  return async (write) => graphWithTokens(tokens, await cloud(), write);
}

/** A panel that can re-list its package. */
export interface ListingPanel {
  readonly showing: string | null;
  reload(): void;
}

/** Re-listing for verification: the panels showing a package refresh it, and the next complete list answers. */
export class ListWaiters {
  private readonly waiting = new Map<string, Set<(rows: readonly Row[]) => void>>();

  constructor(
    private readonly timeoutMs = RELOAD_TIMEOUT_MS,
    private readonly timers: { set(cb: () => void, ms: number): unknown; clear(h: unknown): void } = {
      set: (cb, ms) => setTimeout(cb, ms),
      clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    },
  ) {}

  reload(packageId: string, panels: Iterable<ListingPanel>): Promise<readonly Row[] | null> {
    const showing = [...panels].filter((p) => p.showing === packageId);
    if (showing.length === 0) return Promise.resolve(null);
    return new Promise((resolve) => {
      let set = this.waiting.get(packageId);
      if (!set) this.waiting.set(packageId, (set = new Set()));
      const done = (rows: readonly Row[] | null): void => {
        this.timers.clear(timer);
        set!.delete(answer);
        resolve(rows);
      };
      const answer = (rows: readonly Row[]): void => done(rows);
      const timer = this.timers.set(() => done(null), this.timeoutMs);
      set.add(answer);
      for (const p of showing) p.reload();
    });
  }

  /** A fresh, complete list of the package arrived. */
  notify(packageId: string, rows: readonly Row[]): void {
    const set = this.waiting.get(packageId);
    if (!set) return;
    this.waiting.delete(packageId);
    for (const cb of set) cb(rows);
  }
}
