// Account and sign-in data for the users behind assignments.
//
// Account fields (cheap directory reads): $batch of 20 sub-requests, each `id in (15 ids)`. An id missing
// from a successful answer no longer resolves: the user is marked deleted.
//
// Sign-in data (signInActivity) is the bottleneck: 10 requests per minute per app and tenant, at most 15
// ids per `in` lookup, 500 users per page of a tenant-wide listing. Whichever needs fewer sign-in requests
// is used: ceil(N/15) lookups or ceil(T/500) pages (T = the tenant's user count). Every sign-in request
// waits for the limiter, so the documented budget is used fully but never exceeded.
//
// The ids may arrive while the assignment list still loads (a Feed): account reads go out as they come; sign-in
// lookups wait for the last id (one sent early could turn out wasted), but the tenant-wide pass starts as soon
// as the ids known so far make it the cheaper way, since more ids can only keep it so.
//
// Without the licence (Entra ID P1/P2) or the consent (AuditLog.Read.All) sign-in data is refused (403):
// the account data still arrives, and onAvailability says why sign-in data is missing.
import { Feed } from '../core/feed';
import { t, tn } from '../core/i18n';
import { deletedUser, normaliseUser } from '../core/normalise';
import type { SignInAvailability, UserInfo } from '../core/model';
import { checkNextLink } from '../core/nextlink';
import { odataString } from '../core/partition';
import type { RateLimiter } from '../core/ratelimit';
import { abortError, parseRetryAfter, retryDecision } from '../core/retry';
import { batchError, GraphError, MAX_BATCH, type BatchRequest, type CallOptions, type Graph, type RetryEvent } from './client';

/** `id in (…)` takes at most 15 values (graph-api.md §6). */
export const IN_CLAUSE_MAX = 15;
/** A page of users with signInActivity holds at most 500 (graph-api.md §6). */
export const SIGN_IN_PAGE = 500;
const ACCOUNT_FIELDS = 'id,accountEnabled,userType,externalUserState,createdDateTime';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EnrichUsersOptions {
  graph: Graph;
  /**
   * Object ids of user targets (not service principals: an id that is not a user would read as deleted). A
   * Feed when they arrive while the assignment list loads: account reads start with the first 300 ids, and
   * the tenant-wide sign-in pass as soon as the ids known make it the cheaper way.
   */
  ids: readonly string[] | Feed<string>;
  signal?: AbortSignal;
  /** The tenant's user count, or null when unknown. Default: GET /users/$count (ConsistencyLevel: eventual). */
  tenantUserCount?: () => Promise<number | null>;
  /** Paces sign-in requests (shared by every caller so that together they stay inside the budget). */
  signInLimiter: RateLimiter;
  /** Users as they arrive; a user may come again with more fields (account first, sign-in later). */
  onUsers(users: UserInfo[]): void;
  /**
   * Whether sign-in data is complete: `available: true` once, after EVERY user's sign-in data was read
   * (until then a user without it may simply not have been reached); `available: false` with the reason
   * as soon as it is known to be missing (licence, consent, or reads that failed).
   */
  onAvailability(a: SignInAvailability): void;
  /**
   * Sign-in requests still to go, whenever that changes: the lookups planned and not answered, plus the pages
   * of a tenant-wide pass not read yet (it may stop early, so this is at most what is left).
   */
  onSignInLeft?(left: number): void;
  /** $batch requests in flight for account data (default 2). */
  accountConcurrency?: number;
}

export type SignInStrategy = 'lookup' | 'tenant-pass' | 'none';

export interface EnrichUsersResult {
  /** HTTP requests answered (retries included). */
  requests: number;
  /** 429 answers received (sub-responses included). */
  throttled: number;
  /** Requests that read signInActivity (what the 10-per-minute budget counts). */
  signInRequests: number;
  strategy: SignInStrategy;
  /** Ids whose account data could not be read (not marked deleted: we do not know). */
  unresolved: string[];
  problems: string[];
}

type SignInPart = Pick<UserInfo, 'lastSuccessfulSignIn' | 'lastSignIn' | 'lastNonInteractiveSignIn'>;

const chunk = <T>(xs: readonly T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

const inFilter = (ids: readonly string[]): string => `id in (${ids.map(odataString).join(',')})`;

/** Lookups vs a tenant-wide pass: fewer sign-in requests wins; an unknown tenant size means lookups. */
export function chooseSignInStrategy(userCount: number, tenantUsers: number | null): SignInStrategy {
  if (userCount === 0) return 'none';
  const lookups = Math.ceil(userCount / IN_CLAUSE_MAX);
  if (tenantUsers === null || !Number.isFinite(tenantUsers) || tenantUsers < 0) return 'lookup';
  const pages = Math.max(1, Math.ceil(tenantUsers / SIGN_IN_PAGE));
  return pages < lookups ? 'tenant-pass' : 'lookup';
}

/** The tenant's user count (GET /users/$count, an advanced query), or null when it cannot be had. */
export async function countTenantUsers(graph: Graph, signal?: AbortSignal, opts: CallOptions = {}): Promise<number | null> {
  try {
    const text = await graph.getText('users/$count', { ...opts, signal, headers: { ConsistencyLevel: 'eventual' } });
    const n = Number(text.trim());
    return Number.isInteger(n) && n >= 0 ? n : null;
  } catch (e) {
    if (signal?.aborted) throw abortError(signal);
    return null;
  }
}

/** Plain words for a refused sign-in read: which licence or which permission is missing. */
export function signInUnavailableReason(err: GraphError): string {
  const text = `${err.code} ${err.message}`;
  const graph = t('graph_says', { code: err.code, message: err.message });
  if (/premium|licen[cs]e|B2C|NonPremium/i.test(text)) return t('graph_signin_licence', { graph });
  if (err.status === 403 || err.status === 401) return t('graph_signin_permission', { graph });
  return t('graph_signin_unreadable', { graph });
}

export async function enrichUsers(opts: EnrichUsersOptions): Promise<EnrichUsersResult> {
  return new UserEnricher(opts).run();
}

class UserEnricher {
  private readonly graph: Graph;
  private readonly signal?: AbortSignal;
  private readonly account = new Map<string, UserInfo>();
  private readonly signIn = new Map<string, SignInPart>();
  private readonly unresolved = new Set<string>();
  private readonly problems: string[] = [];
  private requests = 0;
  private throttled = 0;
  private signInRequests = 0;
  private strategy: SignInStrategy = 'none';
  private availability: 'unknown' | 'available' | 'unavailable' = 'unknown';
  /** Stops sign-in work once sign-in data is known to be unavailable. */
  private readonly signInStop = new AbortController();
  /** The valid ids taken from the feed so far, each once. */
  private readonly ids: string[] = [];
  private readonly callerIds = new Map<string, string>();
  private readonly feed: Feed<string>;
  private fed = 0;
  private readonly seenIds = new Set<string>();
  /** While a tenant-wide pass runs and ids still arrive, they join the ids it looks for. */
  private live: Set<string> | null = null;
  /**
   * Users the pass read before their id arrived (by lower-case id), kept until every id has: at 10 pages of
   * 500 a minute, at most 5,000 users per minute of the list's load.
   */
  private early: Map<string, UserInfo> | null = null;
  /** The ids whose sign-in data the running (or last) tenant-wide pass found. */
  private passSeen: Set<string> | null = null;
  /** The tenant's user count: undefined until asked, null when unknown. */
  private tenantUsers: number | null | undefined;
  private lookupsLeft = 0;
  private pagesLeft = 0;
  private leftTold = 0;

  constructor(private readonly opts: EnrichUsersOptions) {
    this.graph = opts.graph;
    this.signal = opts.signal;
    this.feed = opts.ids instanceof Feed ? opts.ids : Feed.of(opts.ids);
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Takes the ids that arrived since the last call. */
  private take(): void {
    for (const id of this.feed.since(this.fed)) {
      if (this.seenIds.has(id)) continue;
      this.seenIds.add(id);
      if (GUID.test(id)) {
        this.ids.push(id);
        this.callerIds.set(id.toLowerCase(), id);
        this.live?.add(id);
        const read = this.early?.get(id.toLowerCase());
        if (read) {
          this.early!.delete(id.toLowerCase());
          this.passSeen?.add(id);
          this.emitSignIn([{ ...read, id }]);
        }
      } else {
        this.unresolved.add(id);
        this.problems.push(t('graph_users_not_user_id', { id }));
      }
    }
    this.fed = this.feed.length;
  }

  /** Waits for more ids (or the feed's end) and takes them; false once every id was taken. */
  private async more(): Promise<boolean> {
    this.take();
    if (this.feed.done) return false;
    await this.feed.changed(this.fed, this.signal);
    if (this.signal?.aborted) throw abortError(this.signal);
    this.take();
    return true;
  }

  private readonly onAbort = (): void => this.signInStop.abort(this.signal?.reason);

  async run(): Promise<EnrichUsersResult> {
    if (this.signal?.aborted) throw abortError(this.signal);
    this.take();
    const accountDone = this.accountPass();
    try {
      await Promise.all([
        accountDone,
        this.signInPass(accountDone).then(() => {
          // Only now: a user whose sign-in data had not come yet must not read as "never signed in".
          if (this.availability === 'unknown' && this.ids.length > 0) this.setAvailability({ available: true });
        }),
      ]);
    } finally {
      this.signal?.removeEventListener('abort', this.onAbort);
    }
    if (this.signal?.aborted) throw abortError(this.signal);
    return {
      requests: this.requests,
      throttled: this.throttled,
      signInRequests: this.signInRequests,
      strategy: this.strategy,
      unresolved: [...this.unresolved],
      problems: this.problems,
    };
  }

  // ---- counting

  private observe(signIn: boolean): CallOptions {
    return {
      onResponse: ({ status }) => {
        this.requests++;
        if (signIn) this.signInRequests++;
        if (status === 429) this.throttled++;
      },
      onRetry: (e: RetryEvent) => {
        if (e.networkError) {
          this.requests++;
          if (signIn) this.signInRequests++;
        }
        // The service asked us to wait: no other sign-in request goes out before then either.
        if (signIn && e.status === 429) this.opts.signInLimiter.holdUntil(this.graph.timing.now() + e.delayMs);
      },
    };
  }

  // ---- emitting

  private emitAccount(users: UserInfo[]): void {
    if (users.length === 0 || this.signal?.aborted) return;
    for (const u of users) this.account.set(u.id, u);
    this.opts.onUsers(users.map((u) => this.merged(u.id)));
  }

  private emitSignIn(users: UserInfo[]): void {
    const out: UserInfo[] = [];
    for (const u of users) {
      if (this.account.get(u.id)?.deleted) continue;
      this.signIn.set(u.id, {
        lastSuccessfulSignIn: u.lastSuccessfulSignIn,
        lastSignIn: u.lastSignIn,
        lastNonInteractiveSignIn: u.lastNonInteractiveSignIn,
      });
      out.push(this.merged(u.id));
    }
    if (out.length > 0 && !this.signal?.aborted) this.opts.onUsers(out);
  }

  private merged(id: string): UserInfo {
    const a = this.account.get(id);
    if (a?.deleted) return a;
    const base: UserInfo = a ?? { ...deletedUser(id), deleted: false };
    const s = this.signIn.get(id);
    return s ? { ...base, ...s } : base;
  }

  private setAvailability(a: SignInAvailability): void {
    if (this.availability === 'unavailable' || this.signal?.aborted) return;
    if (a.available && this.availability === 'available') return;
    this.availability = a.available ? 'available' : 'unavailable';
    this.opts.onAvailability(a);
    if (!a.available) this.signInStop.abort();
  }

  // ---- account data

  /**
   * $batch requests of 20 × 15 ids, as the ids arrive (a last, smaller one once they all have). While ids still
   * arrive, one at a time: the list they come from is the load's longest path, and one keeps pace with it
   * (300 users per answer); the others join once the list is done.
   */
  private async accountPass(): Promise<void> {
    const GROUP = IN_CLAUSE_MAX * MAX_BATCH;
    const limit = Math.max(1, this.opts.accountConcurrency ?? 2);
    let sent = 0;
    const worker = async (k: number): Promise<void> => {
      if (k > 0) while (await this.more());
      for (;;) {
        this.take();
        const ready = this.ids.length - sent;
        if (ready >= GROUP || (this.feed.done && ready > 0)) {
          const ids = this.ids.slice(sent, sent + GROUP);
          sent += ids.length;
          await this.accountGroup(chunk(ids, IN_CLAUSE_MAX));
        } else if (!(await this.more())) {
          if (this.ids.length === sent) return;
        }
      }
    };
    await Promise.all(Array.from({ length: limit }, (_, k) => worker(k)));
  }

  private async accountGroup(group: string[][]): Promise<void> {
    const { sleep, now, rng } = this.graph.timing;
    let todo = group.map((ids, i) => ({ id: String(i + 1), ids }));
    for (let round = 1; todo.length > 0; round++) {
      const reqs: BatchRequest[] = todo.map((t) => ({
        id: t.id,
        method: 'GET',
        url: `/users?$filter=${encodeURIComponent(inFilter(t.ids))}&$select=${ACCOUNT_FIELDS}`,
      }));
      let answers;
      try {
        answers = await this.graph.batch(reqs, { signal: this.signal, ...this.observe(false) });
      } catch (e) {
        if (this.signal?.aborted) throw abortError(this.signal);
        this.cannotRead(todo.flatMap((t) => t.ids), e);
        return;
      }
      const again: typeof todo = [];
      let wait = 0;
      for (let i = 0; i < todo.length; i++) {
        const t = todo[i];
        const res = answers[i];
        if (res.status === 429) this.throttled++;
        if (res.status >= 200 && res.status < 300) {
          try {
            await this.accountAnswer(t.ids, res.body);
          } catch (e) {
            if (this.signal?.aborted) throw abortError(this.signal);
            this.cannotRead(t.ids, e);
          }
          continue;
        }
        // Sub-responses are never retried by the SDK: honour their own Retry-After here.
        const d = retryDecision({ status: res.status, attempt: round, retryAfterMs: parseRetryAfter(res.headers['retry-after'] ?? null, now()), rng });
        if (d.retry) {
          again.push(t);
          wait = Math.max(wait, d.delayMs);
        } else {
          this.cannotRead(t.ids, batchError(this.graph, reqs[i], res));
        }
      }
      todo = again;
      if (todo.length > 0) await sleep(wait, this.signal);
    }
  }

  private async accountAnswer(ids: string[], body: unknown): Promise<void> {
    const users = await this.allPages(body, (url) => this.graph.get(url, { signal: this.signal, ...this.observe(false) }));
    const found = new Map<string, UserInfo>();
    for (const raw of users) {
      const u = normaliseUser(raw);
      if (u) found.set(u.id.toLowerCase(), u);
    }
    const out: UserInfo[] = [];
    for (const id of ids) {
      const u = found.get(id.toLowerCase());
      // Absent from a successful answer: the object id no longer resolves to a user.
      out.push(u ? { ...u, id } : deletedUser(id));
    }
    this.emitAccount(out);
  }

  /** A collection answer's elements, following next links (an `in` answer of 15 should fit one page). */
  private async allPages(body: unknown, get: (url: string) => Promise<unknown>): Promise<unknown[]> {
    const page = body as { value?: unknown; '@odata.nextLink'?: unknown } | null;
    if (!Array.isArray(page?.value)) throw new Error(t('graph_no_value_list'));
    const out = [...page.value];
    let next = page['@odata.nextLink'];
    while (next !== undefined && next !== null) {
      const check = checkNextLink(next, this.graph.graphRoot);
      if (!check.ok) throw new GraphError({ status: 0, code: 'RefusedUrl', message: check.reason, url: String(next) });
      const more = (await get(check.url)) as { value?: unknown; '@odata.nextLink'?: unknown } | null;
      if (!Array.isArray(more?.value)) throw new Error(t('graph_no_value_list'));
      out.push(...more.value);
      next = more['@odata.nextLink'];
    }
    return out;
  }

  private cannotRead(ids: string[], e: unknown): void {
    for (const id of ids) this.unresolved.add(id);
    this.problems.push(tn('graph_users_account_unreadable', ids.length, { message: describe(e) }));
  }

  // ---- sign-in data

  private async signInPass(accountDone: Promise<void>): Promise<void> {
    // The tenant's size, asked once: needed as soon as more than one lookup is possible.
    const tenantSize = async (): Promise<number | null> => {
      if (this.tenantUsers === undefined) {
        this.tenantUsers = this.opts.tenantUserCount
          ? await this.opts.tenantUserCount().catch(() => null)
          : await countTenantUsers(this.graph, this.signal, this.observe(false));
        if (this.signal?.aborted) throw abortError(this.signal);
      }
      return this.tenantUsers;
    };
    const strategyFor = async (n: number): Promise<SignInStrategy> =>
      chooseSignInStrategy(n, Math.ceil(n / IN_CLAUSE_MAX) > 1 ? await tenantSize() : null);

    // While ids still arrive, sign-in requests (10 a minute) wait, unless the ids known so far already make
    // the tenant-wide pass the cheaper way: they only grow, so it stays the winner and can start now. A lookup
    // sent early could turn out wasted once the pass wins, and the budget is the load's bottleneck.
    this.take();
    while (!this.feed.done && (await strategyFor(this.ids.length)) !== 'tenant-pass') await this.more();
    this.take();
    if (this.ids.length === 0) return;
    this.strategy = !this.feed.done ? 'tenant-pass' : (await strategyFor(this.ids.length)) === 'tenant-pass' ? 'tenant-pass' : 'lookup';

    let rest: string[] = this.ids;
    if (this.strategy === 'tenant-pass') {
      if (!this.feed.done) {
        this.live = new Set(this.ids);
        this.early = new Map();
      }
      const seen = await this.tenantPass(this.live ?? new Set(this.ids));
      this.live = null;
      if (seen === null) return;
      await accountDone; // also: every id has arrived
      this.take();
      this.early = null;
      // Not in the listing (created meanwhile, arrived after the pass, or the pass broke off): look them up,
      // unless deleted.
      rest = this.ids.filter((id) => !seen.has(id) && !this.account.get(id)?.deleted);
    }
    const refused = await this.lookups(rest);
    if (refused.length > 0 && this.availability !== 'unavailable') {
      // `id in` with signInActivity refused (not documented either way): the tenant-wide listing works.
      this.strategy = 'tenant-pass';
      const seen = await this.tenantPass(new Set(refused));
      if (seen !== null) {
        await accountDone;
        const lost = refused.filter((id) => !seen.has(id) && !this.account.get(id)?.deleted);
        if (lost.length > 0) this.signInIncomplete(lost.length, t('graph_signin_not_in_listing'));
      }
    }
  }

  /**
   * Sign-in lookups of 15 ids each, paced by the limiter. Returns the ids whose lookup was refused as a
   * bad request (the caller tries the tenant-wide listing for them).
   */
  private async lookups(ids: string[]): Promise<string[]> {
    const chunks = chunk(ids, IN_CLAUSE_MAX);
    const refused: string[] = [];
    const stop = this.signInStop.signal;
    let next = 0;
    let open = chunks.length;
    this.lookupsLeft += open;
    this.reportLeft();
    let lastError: unknown = null;
    let failed = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length && !stop.aborted && refused.length === 0) {
        const ids = chunks[next++];
        const url = `users?$filter=${encodeURIComponent(inFilter(ids))}&$select=id,signInActivity`;
        try {
          const body = await this.signInRequest(url);
          this.emitSignIn(this.signInUsers(await this.allPages(body, (u) => this.signInRequest(u))));
          open--;
          this.lookupsLeft--;
          this.reportLeft();
        } catch (e) {
          if (this.signal?.aborted) throw abortError(this.signal);
          if (stop.aborted) return;
          if (e instanceof GraphError && (e.status === 403 || e.status === 401)) {
            this.setAvailability({ available: false, reason: signInUnavailableReason(e) });
            return;
          }
          if (e instanceof GraphError && e.status === 400) {
            refused.push(...ids);
            continue;
          }
          failed += ids.length;
          lastError = e;
        }
      }
    };
    const workers = Math.min(chunks.length, Math.max(...this.opts.signInLimiter.windows.map((w) => w.requests)));
    await Promise.all(Array.from({ length: workers }, worker)).finally(() => {
      // Answered or not, none of these lookups is still to go.
      this.lookupsLeft -= open;
      this.reportLeft();
    });
    // A refusal stops the workers: what they had not started joins the refused ids.
    if (refused.length > 0) refused.push(...chunks.slice(next).flat());
    if (failed > 0) this.signInIncomplete(failed, describe(lastError));
    return refused;
  }

  /**
   * The tenant-wide listing (`$select=id,signInActivity&$top=500`), stopping early once every wanted id
   * was seen. Returns the ids seen, or null when sign-in data turned out to be unavailable.
   */
  private async tenantPass(wanted: Set<string>): Promise<Set<string> | null> {
    const seen = new Set<string>();
    this.passSeen = seen;
    let url: string | null = `users?$select=id,signInActivity&$top=${SIGN_IN_PAGE}`;
    const visited = new Set<string>();
    this.pagesLeft = this.tenantUsers == null ? 0 : Math.max(1, Math.ceil(this.tenantUsers / SIGN_IN_PAGE));
    this.reportLeft();
    try {
      // Ids still arriving (`live`) join `wanted`: the pass may stop early only once they all have.
      while (url !== null && (seen.size < wanted.size || (this.live === wanted && !this.feed.done))) {
        this.take();
        const page = (await this.signInRequest(url)) as { value?: unknown; '@odata.nextLink'?: unknown };
        if (!Array.isArray(page?.value)) throw new Error(t('graph_no_value_list'));
        this.pagesLeft = Math.max(0, this.pagesLeft - 1);
        this.reportLeft();
        const users = this.signInUsers(page.value, (u) => {
          if (this.early && !this.feed.done) this.early.set(u.id.toLowerCase(), u); // its id may still arrive
        }).filter((u) => wanted.has(u.id));
        for (const u of users) seen.add(u.id);
        this.emitSignIn(users);
        const next = page['@odata.nextLink'];
        if (next === undefined || next === null) break;
        const check = checkNextLink(next, this.graph.graphRoot);
        if (!check.ok) throw new GraphError({ status: 0, code: 'RefusedUrl', message: check.reason, url: String(next) });
        if (visited.has(check.url)) throw new GraphError({ status: 0, code: 'PagingLoop', message: t('graph_paging_loop'), url: check.url });
        visited.add(check.url);
        url = check.url;
      }
    } catch (e) {
      if (this.signal?.aborted) throw abortError(this.signal);
      if (this.signInStop.signal.aborted) return null;
      if (e instanceof GraphError && (e.status === 403 || e.status === 401)) {
        this.setAvailability({ available: false, reason: signInUnavailableReason(e) });
        return null;
      }
      // Broke off: the caller looks up whoever was not seen.
      this.problems.push(t('graph_signin_listing_broke_off', { message: describe(e) }));
    } finally {
      this.pagesLeft = 0;
      this.reportLeft();
    }
    return seen;
  }

  /** One sign-in request: waits for the budget, counts from the answer (see RateLimiter.acquire). */
  private async signInRequest(url: string): Promise<unknown> {
    const stop = this.signInStop.signal;
    const release = await this.opts.signInLimiter.acquire(stop);
    try {
      return await this.graph.get<unknown>(url, { signal: stop, ...this.observe(true) });
    } finally {
      release();
    }
  }

  /**
   * Users of a sign-in answer, under the ids as the caller spelt them (GUID case may differ); users whose id
   * was not (yet) given go to `unknown`.
   */
  private signInUsers(raws: unknown[], unknown?: (u: UserInfo) => void): UserInfo[] {
    const out: UserInfo[] = [];
    for (const raw of raws) {
      const u = normaliseUser(raw);
      if (!u) continue;
      const id = this.callerIds.get(u.id.toLowerCase());
      if (id !== undefined) out.push({ ...u, id });
      else unknown?.(u);
    }
    return out;
  }

  private reportLeft(): void {
    const left = this.lookupsLeft + this.pagesLeft;
    if (left === this.leftTold || this.signal?.aborted) return;
    this.leftTold = left;
    this.opts.onSignInLeft?.(left);
  }

  private signInIncomplete(users: number, why: string): void {
    this.setAvailability({
      available: false,
      reason: tn('graph_signin_incomplete', users, { message: why }),
    });
  }
}

function describe(e: unknown): string {
  if (e instanceof GraphError) return e.message.includes(e.code) ? e.message : `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
