// One panel's conversation with the worker, over its port: open a package (cache first, then a fresh fetch),
// stream rows and progress, enrich users, cancel when the panel closes or the route changes.
import type { Runtime } from 'webextension-polyfill';
import { Batcher } from '../core/batcher';
import { Feed } from '../core/feed';
import { CLOUDS } from '../core/clouds';
import type { Row, Settings, SignInAvailability, UserInfo } from '../core/model';
import { createRateLimiter, timeForRequests } from '../core/ratelimit';
import { fetchAssignments, fetchPackage, type ExpandMemo } from '../graph/assignments';
import type { Graph } from '../graph/client';
import { enrichUsers } from '../graph/users';
import { noteList } from '../core/notes';
import { nextTask } from '../core/tasks';
import { parsePanelRequest, type PanelRequest, type WorkerEvent } from '../messages';
import { packRows, packUsers, type PackedEvent } from '../protocol/stream';
import { isDetailsViewRequest } from '../protocol/details';
import type { ReviewRequest } from '../protocol/review';
import type { OverviewRequest } from '../protocol/overview';
import { listCache, userCache, type CachedUsers } from './cache';
import { readSettings } from './settings';
import { AuthRequiredError, graphWithTokens, type TokenManager } from './tokens';

export interface SessionContext {
  tokens: TokenManager;
  signIn(): Promise<void>;
  signOut(): Promise<void>;
  /** The action queue (./actions): removal, add, retry, log, search, delivery status. */
  actions?: { handle(req: PanelRequest, from: PanelSession): Promise<void> };
  /** The access check (./access): check a package, re-check given rows. */
  access?: { handle(req: Extract<PanelRequest, { type: 'check-access' | 'recheck-access' }>, to: PanelSession): Promise<void> };
  /** Assignment details (./details): the view's parts and the reprocess / extend plans. */
  details?: { handle(req: Extract<PanelRequest, { type: 'details-open' | 'details-close' | 'details-plan' }>, from: PanelSession): Promise<void> };
  /** Review mode (./review): decisions stored per package and shared by every panel on it. */
  review?: { handle(req: ReviewRequest, from: PanelSession): Promise<void>; preload(packageId: string): Promise<void> };
  /** The overview across packages (./overview). */
  overview?: { handle(req: OverviewRequest, from: PanelSession): Promise<void> };
  /** A fresh, complete list of a package arrived (the action queue checks removals and adds against it). */
  onList?(packageId: string, rows: readonly Row[]): void;
}

/** Rows per port message: large enough to be cheap, small enough to keep the panel responsive. */
const ROWS_PER_MESSAGE = 2000;
/** Streamed pages wait at most this long to share a port message (one message per page cost ~4 ms each). */
const ROWS_BATCH_MS = 50;
/** User data younger than this is used without asking Graph again (sign-in data is rate-limited). */
const USER_CACHE_FRESH_MS = 6 * 3600_000;

// Sign-in data: 10 requests per minute per app and tenant (graph-api.md §8). Shared by every panel so two
// tabs cannot together exceed it.
export const signInLimiter = createRateLimiter({ requests: 10, windowMs: 60_000 });

const newId = (): string => crypto.randomUUID();

export function cacheScope(s: Settings): string {
  return `${s.cloud}|${s.tenantId}|${s.clientId}`;
}

export class PanelSession {
  private controller: AbortController | null = null;
  private packageId: string | null = null;
  private waitingForSignIn = false;

  constructor(
    private readonly port: Runtime.Port,
    private readonly ctx: SessionContext,
  ) {
    port.onMessage.addListener((msg: unknown) => {
      const req = parsePanelRequest(msg);
      if (req) void this.handle(req);
    });
    this.post({ type: 'auth', auth: ctx.tokens.auth });
  }

  post(ev: WorkerEvent | PackedEvent): void {
    try {
      this.port.postMessage(ev);
    } catch {
      // The panel went away; its disconnect handler cancels the work.
    }
  }

  cancel(): void {
    this.controller?.abort();
    this.controller = null;
  }

  /** The package this panel shows (null: none). */
  get showing(): string | null {
    return this.packageId;
  }

  /** Re-fetch the shown package, skipping the cache (after removals and adds were accepted). */
  reload(): void {
    if (this.packageId) void this.open(this.packageId, true);
  }

  resumeAfterSignIn(): void {
    if (this.waitingForSignIn && this.packageId) void this.open(this.packageId, false);
  }

  private async handle(req: PanelRequest): Promise<void> {
    switch (req.type) {
      case 'open':
        return this.open(req.packageId, req.refresh === true);
      case 'cancel':
        this.packageId = null;
        this.waitingForSignIn = false;
        return this.cancel();
      case 'sign-in':
        return this.ctx.signIn().catch(() => undefined); // the auth event tells the panel why
      case 'sign-out':
        return this.ctx.signOut();
      case 'ping':
        return;
      case 'check-access':
      case 'recheck-access':
        return this.ctx.access?.handle(req, this);
      case 'review':
        return this.ctx.review?.handle(req.request, this);
      case 'overview':
        return this.ctx.overview?.handle(req.request, this);
      default:
        if (isDetailsViewRequest(req)) return this.ctx.details?.handle(req, this);
        // Removal, add, retry, log, search, delivery status: the worker's one action queue (./actions).
        return this.ctx.actions?.handle(req, this);
    }
  }

  private sendRows(loadId: string, rows: Row[]): void {
    for (let i = 0; i < rows.length; i += ROWS_PER_MESSAGE) {
      this.post(packRows(loadId, rows.slice(i, i + ROWS_PER_MESSAGE)));
    }
  }

  /**
   * A cached list, one message at a time with a task between them (each is tens of ms of packing and
   * posting on a large list): requests that arrived meanwhile, such as the panel's request for the open
   * review, are answered early instead of after the whole list. False if the open was cancelled meanwhile.
   */
  private async sendCachedRows(loadId: string, rows: Row[], signal: AbortSignal): Promise<boolean> {
    for (let i = 0; i < rows.length; i += ROWS_PER_MESSAGE) {
      if (i > 0) await nextTask();
      if (signal.aborted) return false;
      this.post(packRows(loadId, rows.slice(i, i + ROWS_PER_MESSAGE)));
    }
    return true;
  }

  private async open(packageId: string, refresh: boolean): Promise<void> {
    this.cancel();
    const controller = new AbortController();
    this.controller = controller;
    const { signal } = controller;
    this.packageId = packageId;
    this.waitingForSignIn = false;
    const settings = await readSettings();
    const scope = cacheScope(settings);
    // An open review is read before the rows are sent, so its decisions reach the panel first and the rows
    // paint with them (the panel's request for it arrives meanwhile and shares the read).
    await this.ctx.review?.preload(packageId).catch(() => undefined);
    if (signal.aborted) return;

    const cached = refresh ? undefined : await listCache.get(scope, packageId).catch(() => undefined);
    if (signal.aborted) return;
    if (cached) {
      const loadId = newId();
      this.post({ type: 'load-start', packageId, loadId, fromCache: true, fetchedAt: cached.fetchedAt });
      this.post({ type: 'package', loadId, info: cached.info, policies: cached.policies });
      if (!(await this.sendCachedRows(loadId, cached.rows, signal))) return;
      this.post({ type: 'load-done', loadId, packageId, total: cached.rows.length, fetchedAt: cached.fetchedAt, missing: [], enriching: true, notes: cached.notes });
      const users = await userCache.get(scope).catch(() => undefined);
      if (users) this.sendCachedUsers(loadId, cached.rows, users, Number.POSITIVE_INFINITY);
      this.post({ type: 'enrich-done', loadId });
    }

    try {
      await this.ctx.tokens.token();
    } catch (e) {
      if (e instanceof AuthRequiredError) {
        this.waitingForSignIn = true;
        return; // the auth event already told the panel; sign-in resumes this open
      }
      throw e;
    }
    if (signal.aborted) return;

    const loadId = newId();
    const fetchedAt = new Date().toISOString();
    this.post({ type: 'load-start', packageId, loadId, fromCache: false });
    const graphRoot = CLOUDS[settings.cloud].graphRoot;
    const graph = graphWithTokens(this.ctx.tokens, settings.cloud, false);
    // The users' reads stop with the load, and also when its list fails.
    const stopEnrich = new AbortController();
    signal.addEventListener('abort', () => stopEnrich.abort(), { once: true });
    try {
      // The first assignments page need not wait for the package and its policies: partitions start when
      // the policies arrive, the unpartitioned listing at once.
      const pkg = fetchPackage(graph, packageId, signal);
      pkg.then(
        (p) => !signal.aborted && this.post({ type: 'package', loadId, info: p.info, policies: p.policies }),
        () => undefined, // reported below, where the package is awaited
      );
      const rows: Row[] = [];
      const batch = new Batcher<Row>((b) => !signal.aborted && this.sendRows(loadId, b), { maxItems: ROWS_PER_MESSAGE, maxDelayMs: ROWS_BATCH_MS });
      signal.addEventListener('abort', () => batch.discard(), { once: true });
      // Users are read alongside the list, not after it: account data from its first pages on, sign-in data
      // (10 requests a minute) as soon as the tenant-wide pass is known to be the cheaper way (src/graph/users).
      const users = await this.startEnrich(graph, loadId, scope, stopEnrich.signal);
      let lastProgress = 0;
      const result = await fetchAssignments({
        graph,
        packageId,
        policies: pkg.then((p) => p.policies),
        graphRoot,
        concurrency: 8,
        expandMemo: expandMemoFor(graphRoot),
        signal,
        onRows: (page: Row[]) => {
          if (signal.aborted) return;
          for (const r of page) rows.push(r);
          batch.push(page);
          users.add(page);
        },
        onProgress: (progress) => {
          const now = Date.now();
          if (signal.aborted || now - lastProgress < 100) return;
          lastProgress = now;
          this.post({ type: 'progress', loadId, progress });
        },
      });
      const { info, policies, problems } = await pkg;
      if (signal.aborted) return;
      batch.flush();
      const notes = noteList([...problems, ...result.problems]);
      this.post({ type: 'load-done', loadId, packageId, total: rows.length, fetchedAt, missing: result.missing, enriching: true, notes });
      // The last account reads go out (and the sign-in availability held so far goes to the panel) first.
      const finishing = users.finish();
      await nextTask();
      const complete = result.missing.length === 0;
      if (complete) this.ctx.onList?.(packageId, rows);
      const userProblems = await finishing;
      if (!signal.aborted) this.post({ type: 'enrich-done', loadId, notes: noteList(userProblems) });
      // Only a complete list is cached: a partial one would be shown later as if it were whole. Both writes
      // copy every row or user on this thread (about 100 ms each at 20,000): written while the last users were
      // read, the list's held back their message by as much. Neither is for this panel.
      await Promise.all([complete ? listCache.put(scope, packageId, { info, policies, rows, fetchedAt, notes }).catch(() => undefined) : null, users.save()]);
    } catch (e) {
      stopEnrich.abort();
      if (signal.aborted) return;
      const err = e as { message?: string; code?: string };
      this.post({ type: 'load-error', loadId, packageId, message: err.message || String(e), code: err.code });
    }
  }

  private sendCachedUsers(loadId: string, rows: Row[], cache: CachedUsers, maxAgeMs: number): Set<string> {
    const now = Date.now();
    const found: UserInfo[] = [];
    const fresh = new Set<string>();
    let oldest = now;
    for (const id of userIdsOf(rows)) {
      const hit = cache.users[id];
      if (!hit) continue;
      found.push(hit.info);
      if (now - hit.at <= maxAgeMs) fresh.add(id);
      oldest = Math.min(oldest, hit.at);
    }
    if (found.length > 0) {
      for (let i = 0; i < found.length; i += ROWS_PER_MESSAGE) {
        this.post(packUsers(loadId, found.slice(i, i + ROWS_PER_MESSAGE)));
      }
      this.post({ type: 'sign-in-data', loadId, availability: cache.availability, cachedAt: new Date(oldest).toISOString() });
    }
    return fresh;
  }

  /**
   * Starts reading the users of a list that is still loading: `add` each page's rows as they come, `finish`
   * once the list is complete (resolves, with what the reads noticed, when every user was read), then `save`
   * them to the cache. Users cached less than USER_CACHE_FRESH_MS ago are sent from the cache and not asked for
   * again.
   */
  private async startEnrich(
    graph: Graph,
    loadId: string,
    scope: string,
    signal: AbortSignal,
  ): Promise<{ add(rows: readonly Row[]): void; finish(): Promise<string[]>; save(): Promise<void> }> {
    const cache: CachedUsers = (await userCache.get(scope).catch(() => undefined)) ?? {
      users: {},
      availability: { available: true },
    };
    const ids = new Feed<string>();
    const known = new Set<string>();
    let oldestCached = Number.POSITIVE_INFINITY;
    let told = false;
    // Users arrive 300 per answer and go to the panel as they come, sharing port messages as rows do: the panel
    // applies them with its next commit of rows, to their rows only. Held until the list was done, they landed
    // in one burst after the last row (at 20,000 rows, half a second of both sides' work before the account
    // data showed).
    const userBatch = new Batcher<UserInfo>((b) => !signal.aborted && this.post(packUsers(loadId, b)), { maxItems: ROWS_PER_MESSAGE, maxDelayMs: ROWS_BATCH_MS });
    signal.addEventListener('abort', () => userBatch.discard(), { once: true });
    // The sign-in availability is held until the list is done: in the panel it rebuilds every row so far.
    let listing = true;
    let heldAvailability: SignInAvailability | null = null;
    const running = enrichUsers({
      graph,
      ids,
      signal,
      signInLimiter,
      onUsers: (users: UserInfo[]) => {
        if (signal.aborted) return;
        const at = Date.now();
        for (const u of users) cache.users[u.id] = { info: u, at };
        userBatch.push(users);
      },
      onSignInLeft: (left) => {
        if (!signal.aborted) this.post({ type: 'sign-in-left', loadId, left, etaMs: timeForRequests(left, signInLimiter.windows) });
      },
      onAvailability: (availability) => {
        cache.availability = availability;
        told = true;
        if (listing) heldAvailability = availability;
        else {
          userBatch.flush();
          if (!signal.aborted) this.post({ type: 'sign-in-data', loadId, availability });
        }
      },
    }).finally(() => userBatch.flush());
    running.catch(() => undefined); // awaited in finish(); a list that fails first aborts it
    return {
      add: (rows) => {
        const now = Date.now();
        const asked: string[] = [];
        for (const id of userIdsOf(rows)) {
          if (known.has(id)) continue;
          known.add(id);
          const hit = cache.users[id];
          if (hit) {
            userBatch.push([hit.info]);
            oldestCached = Math.min(oldestCached, hit.at);
          }
          if (!hit || now - hit.at > USER_CACHE_FRESH_MS) asked.push(id);
        }
        ids.push(asked);
      },
      finish: async () => {
        ids.end();
        listing = false;
        userBatch.flush();
        if (heldAvailability && !signal.aborted) this.post({ type: 'sign-in-data', loadId, availability: heldAvailability });
        // Cached users shown: say how old, unless the fresh reads already told where sign-in data stands.
        if (oldestCached !== Number.POSITIVE_INFINITY && !told && !signal.aborted) {
          this.post({ type: 'sign-in-data', loadId, availability: cache.availability, cachedAt: new Date(oldestCached).toISOString() });
        }
        return (await running).problems;
      },
      save: async () => {
        if (!signal.aborted && known.size > 0) await userCache.put(scope, cache).catch(() => undefined);
      },
    };
  }
}

/**
 * What Graph refused of the listing's $expand, per cloud, for the worker's life: a package opened after a
 * refusal starts at the level Graph was found to answer at instead of paying the same 400s again.
 */
const expandMemos = new Map<string, ExpandMemo>();
function expandMemoFor(graphRoot: string): ExpandMemo {
  let memo = expandMemos.get(graphRoot);
  if (!memo) expandMemos.set(graphRoot, (memo = { level: 0, message: '' }));
  return memo;
}

/** Users worth looking up: targets in the directory that are not service principals. */
function userIdsOf(rows: readonly Row[]): Set<string> {
  const ids = new Set<string>();
  for (const r of rows) if (r.objectId && r.subjectType !== 'servicePrincipal') ids.add(r.objectId);
  return ids;
}
