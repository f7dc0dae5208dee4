import type { SignInAvailability, UserInfo } from '../../../src/core/model';
import { createRateLimiter, SIGN_IN_WINDOWS, type RateLimiter } from '../../../src/core/ratelimit';
import { Feed } from '../../../src/core/feed';
import { createGraph } from '../../../src/graph/client';
import { chooseSignInStrategy, enrichUsers, type EnrichUsersResult } from '../../../src/graph/users';
import { fakeFetch, GRAPH, guid, pathOf, query, VirtualClock, type FakeAnswer, type FakeRequest } from './fakes';

interface DirUser {
  id: string;
  accountEnabled: boolean;
  userType: string;
  externalUserState: string | null;
  createdDateTime: string;
  signInActivity: { lastSuccessfulSignInDateTime: string | null; lastSignInDateTime: string | null; lastNonInteractiveSignInDateTime: string | null };
}

function directory(n: number): DirUser[] {
  return Array.from({ length: n }, (_, i) => ({
    id: guid(i + 1, 'c'),
    accountEnabled: i % 7 !== 0,
    userType: i % 5 === 0 ? 'Guest' : 'Member',
    externalUserState: i % 5 === 0 ? 'Accepted' : null,
    createdDateTime: '2020-01-01T00:00:00Z',
    signInActivity: {
      lastSuccessfulSignInDateTime: `2024-0${(i % 9) + 1}-01T00:00:00Z`,
      lastSignInDateTime: null,
      lastNonInteractiveSignInDateTime: null,
    },
  }));
}

interface TenantKnobs {
  users: DirUser[];
  /** Answer for every sign-in read (lookups and listing) instead of data. */
  signInRefusal?: FakeAnswer;
  /** /users/$count fails. */
  noCount?: boolean;
  /** `id in` together with signInActivity is refused with 400. */
  refuseInWithSignIn?: boolean;
  /** Sub-responses of the first $batch for these sub-request ids answer this. */
  firstBatchSub?: Record<string, { status: number; headers?: Record<string, string>; body?: unknown }>;
}

/** Users endpoints as documented, including the sign-in budget: more than 10 a minute or 5 in 10 s → 429. */
function tenant(k: TenantKnobs, clock: VirtualClock) {
  const byId = new Map(k.users.map((u) => [u.id, u]));
  /** When sign-in requests were accepted, and when refused with 429. */
  const signInTimes: number[] = [];
  const rejected: number[] = [];
  let batches = 0;
  const pick = (u: DirUser, select: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of select.split(',')) out[f] = (u as unknown as Record<string, unknown>)[f];
    return out;
  };
  const usersIn = (filter: string): DirUser[] => {
    const m = /^id in \((.*)\)$/.exec(filter);
    if (!m) throw new Error(`unexpected filter ${filter}`);
    const ids = m[1].split(',').map((s) => s.trim().replace(/^'|'$/g, ''));
    if (ids.length > 15) throw new Error('more than 15 values in an in clause');
    return ids.map((id) => byId.get(id)).filter((u): u is DirUser => !!u);
  };
  const signInBudget = (): FakeAnswer | null => {
    const t = clock.now();
    const lastMinute = signInTimes.filter((x) => x > t - 60_000).length;
    const last10s = signInTimes.filter((x) => x > t - 10_000).length;
    if (lastMinute >= 10 || last10s >= 5) {
      rejected.push(t);
      return { status: 429, headers: { 'Retry-After': '10' }, json: { error: { code: 'TooManyRequests', message: 'slow down' } } };
    }
    signInTimes.push(t);
    return null;
  };
  const route = (req: FakeRequest): FakeAnswer => {
    const path = pathOf(req.url);
    const q = query(req.url);
    if (path === '$batch') {
      batches++;
      const body = req.body as { requests: Array<{ id: string; url: string }> };
      return {
        status: 200,
        json: {
          responses: body.requests.map((r) => {
            const forced = batches === 1 ? k.firstBatchSub?.[r.id] : undefined;
            if (forced) return { id: r.id, status: forced.status, headers: forced.headers ?? {}, body: forced.body ?? { error: { code: 'X', message: 'sub failed' } } };
            const sq = query(`https://graph.microsoft.com/v1.0${r.url}`);
            expect(sq.$select).toBe('id,accountEnabled,userType,externalUserState,createdDateTime');
            return { id: r.id, status: 200, body: { value: usersIn(sq.$filter).map((u) => pick(u, sq.$select)) } };
          }),
        },
      };
    }
    if (path === 'users/$count') {
      expect(req.headers.consistencylevel).toBe('eventual');
      return k.noCount ? { status: 400, json: { error: { code: 'Request_BadRequest', message: 'no count' } } } : { status: 200, text: String(k.users.length), headers: { 'content-type': 'text/plain' } };
    }
    if (path === 'users' && q.$select === 'id,signInActivity') {
      const throttled = signInBudget();
      if (throttled) return throttled;
      if (k.signInRefusal) return k.signInRefusal;
      if (q.$filter) {
        if (k.refuseInWithSignIn) return { status: 400, json: { error: { code: 'Request_UnsupportedQuery', message: 'Unsupported query.' } } };
        return { status: 200, json: { value: usersIn(q.$filter).map((u) => pick(u, 'id,signInActivity')) } };
      }
      expect(q.$top).toBe('500');
      const offset = Number(q.$skiptoken ?? 0);
      const page = k.users.slice(offset, offset + 500).map((u) => pick(u, 'id,signInActivity'));
      const json: Record<string, unknown> = { value: page };
      if (offset + 500 < k.users.length) json['@odata.nextLink'] = `${GRAPH}users?$select=id,signInActivity&$top=500&$skiptoken=${offset + 500}`;
      return { status: 200, json };
    }
    return { status: 404, json: { error: { code: 'NotFound', message: req.url } } };
  };
  return { route, signInTimes, rejected };
}

/** Ids that arrive `per` at a time every `everyMs`, as pages of an assignment list do. */
interface Stream {
  per: number;
  everyMs: number;
}

async function enrich(k: TenantKnobs, ids: string[], limiter?: (clock: VirtualClock) => RateLimiter, stream?: Stream) {
  const clock = new VirtualClock();
  const t = tenant(k, clock);
  const ff = fakeFetch(t.route, clock, 50);
  const graph = createGraph({ cloud: 'global', getToken: async () => 't', fetchImpl: ff.fetch, sleep: clock.sleep, now: clock.now, rng: () => 0.5 });
  const signInLimiter = limiter?.(clock) ?? createRateLimiter({ ...SIGN_IN_WINDOWS[0], also: SIGN_IN_WINDOWS.slice(1), now: clock.now, sleep: clock.sleep });
  const latest = new Map<string, UserInfo>();
  const availability: SignInAvailability[] = [];
  /** Every "sign-in requests to go" told, with the sign-in requests the tenant had accepted by then. */
  const left: Array<{ left: number; sent: number }> = [];
  /** How many users had sign-in data when each availability was told. */
  const withSignInAtAvailability: number[] = [];
  const feed = stream ? new Feed<string>() : null;
  let fedUntil = 0;
  const feeding = (async () => {
    if (!feed || !stream) return;
    for (let i = 0; i < ids.length; i += stream.per) {
      await clock.sleep(stream.everyMs);
      feed.push(ids.slice(i, i + stream.per));
    }
    feed.end();
    fedUntil = clock.now();
  })();
  const [result]: [EnrichUsersResult, void] = await clock.run(Promise.all([enrichUsers({
      graph,
      ids: feed ?? ids,
      signInLimiter,
      onUsers: (us) => us.forEach((u) => latest.set(u.id, u)),
      onSignInLeft: (n) => left.push({ left: n, sent: t.signInTimes.length }),
      onAvailability: (a) => {
        availability.push(a);
        withSignInAtAvailability.push([...latest.values()].filter((u) => u.lastSuccessfulSignIn !== null).length);
      },
    }), feeding]),
  );
  return { result, latest, availability, withSignInAtAvailability, ff, clock, signInTimes: t.signInTimes, rejected: t.rejected, fedUntil, left };
}

const maxInWindow = (times: number[], w: number): number => {
  const s = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while (s[i] - s[j] >= w) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
};

describe('chooseSignInStrategy', () => {
  test('fewer sign-in requests wins; unknown tenant size → lookups', () => {
    expect(chooseSignInStrategy(0, 100)).toBe('none');
    expect(chooseSignInStrategy(20, 100_000)).toBe('lookup'); // 2 lookups vs 200 pages
    expect(chooseSignInStrategy(600, 1000)).toBe('tenant-pass'); // 40 lookups vs 2 pages
    expect(chooseSignInStrategy(30, 1000)).toBe('lookup'); // 2 vs 2: lookups (no extra listing)
    expect(chooseSignInStrategy(600, null)).toBe('lookup');
  });
});

describe('enrichUsers', () => {
  test('a few users: account data by $batch, sign-in by lookups, unknown ids marked deleted', async () => {
    const users = directory(2000);
    const gone = [guid(9001, 'd'), guid(9002, 'd')];
    const ids = [...users.slice(0, 18).map((u) => u.id), ...gone];
    const { result, latest, availability, ff } = await enrich({ users }, ids);
    expect(result.strategy).toBe('lookup');
    expect(result.signInRequests).toBe(2);
    expect(result.throttled).toBe(0);
    expect(availability).toEqual([{ available: true }]);
    for (const id of gone) expect(latest.get(id)).toMatchObject({ id, deleted: true, accountEnabled: null });
    for (const u of users.slice(0, 18)) {
      expect(latest.get(u.id)).toEqual({
        id: u.id,
        deleted: false,
        accountEnabled: u.accountEnabled,
        userType: u.userType,
        externalUserState: u.externalUserState,
        createdDateTime: '2020-01-01T00:00:00Z',
        lastSuccessfulSignIn: u.signInActivity.lastSuccessfulSignInDateTime,
        lastSignIn: null,
        lastNonInteractiveSignIn: null,
      });
    }
    expect(latest.size).toBe(ids.length);
    // One $batch with two sub-requests of at most 15 ids.
    const batches = ff.calls.filter((c) => pathOf(c.url) === '$batch');
    expect(batches).toHaveLength(1);
    expect((batches[0].body as { requests: unknown[] }).requests).toHaveLength(2);
  });

  test('ids arriving while the list loads: account data alongside, sign-in lookups once every id is known (none wasted)', async () => {
    const users = directory(20_000);
    const ids = users.slice(0, 900).map((u) => u.id);
    // 900 ids, 100 a page every 400 ms: the list takes 3.6 s. Past 600 ids the pass (40 pages) wins over
    // lookups and starts. With 90 ids lookups win, and they wait for the last id: a lookup sent earlier would
    // be wasted had the pass won.
    const streamed = await enrich({ users }, ids, undefined, { per: 100, everyMs: 400 });
    const whole = await enrich({ users }, ids);
    expect(whole.result.strategy).toBe('tenant-pass');
    expect(streamed.result.strategy).toBe('tenant-pass');
    // While ids still arrive the pass cannot stop early, but it never costs more than the 40 pages it was
    // chosen for (the users it reads before their id arrives are kept and matched when it does).
    expect(whole.result.signInRequests).toBe(2);
    expect(streamed.result.signInRequests).toBeLessThanOrEqual(40);
    expect(streamed.signInTimes[0]).toBeLessThan(streamed.fedUntil);
    const small = await enrich({ users }, ids.slice(0, 90), undefined, { per: 9, everyMs: 400 });
    expect(small.result.strategy).toBe('lookup');
    expect(small.result.signInRequests).toBe(6);
    expect(small.signInTimes[0]).toBeGreaterThanOrEqual(small.fedUntil);
    expect(small.availability).toEqual([{ available: true }]);
    // Account data: $batch requests while the ids arrive, up to 300 ids each, no id read twice.
    const batches = streamed.ff.calls.filter((c) => pathOf(c.url) === '$batch');
    const accountIds = batches
      .flatMap((c) => (c.body as { requests: Array<{ url: string }> }).requests)
      .flatMap((r) => /in \((.*)\)/.exec(decodeURIComponent(r.url))![1].split(','));
    expect(accountIds).toHaveLength(900);
    expect(new Set(accountIds).size).toBe(900);
    expect(batches.length).toBe(3);
    expect(new Map(streamed.latest)).toEqual(new Map(whole.latest));
  });

  test('ids arriving while the list loads: once they make the tenant-wide pass cheaper, it takes over and finds every later id', async () => {
    const users = directory(5000);
    const ids = users.slice(0, 3000).map((u) => u.id).reverse(); // the pass meets the last ids first
    // Once 151 ids are in, 11 lookups would cost more than the pass's 10 pages: the pass starts then, while the
    // list still loads, and takes in the ids that arrive after it started.
    const { result, latest, availability, signInTimes, fedUntil, rejected } = await enrich({ users }, ids, undefined, { per: 100, everyMs: 200 });
    expect(result.strategy).toBe('tenant-pass');
    expect(signInTimes[0]).toBeLessThan(fedUntil);
    // The 6 pages that hold these 3,000 users, no lookups: users read before their id arrived are matched when
    // it does.
    expect(result.signInRequests).toBe(6);
    expect(rejected).toEqual([]);
    expect(availability).toEqual([{ available: true }]);
    for (const id of ids) expect(latest.get(id)?.lastSuccessfulSignIn).not.toBeNull();
  });

  test('many users in a small tenant: the tenant-wide listing, 500 a page, needs fewer sign-in requests', async () => {
    const users = directory(1200);
    const ids = users.slice(0, 900).map((u) => u.id);
    const { result, latest, left } = await enrich({ users }, ids);
    expect(result.strategy).toBe('tenant-pass');
    expect(result.signInRequests).toBe(2); // the third page is not needed: every wanted id was seen
    // At most the tenant's 3 pages to go, then 2, then none (the pass stopped early).
    expect(left.map((x) => x.left)).toEqual([3, 2, 1, 0]);
    for (const id of ids) expect(latest.get(id)?.lastSuccessfulSignIn).not.toBeNull();
  });

  test('tenant size unknown: lookups paced inside 10 a minute and 5 in 10 s, no 429, budget well used', async () => {
    const users = directory(600);
    const ids = users.map((u) => u.id);
    const { result, latest, signInTimes, rejected, clock, availability, withSignInAtAvailability, left } = await enrich({ users, noCount: true }, ids);
    // "Available" is said only once every user's sign-in data is in: before, a user not yet reached
    // would read as never signed in.
    expect(availability).toEqual([{ available: true }]);
    expect(withSignInAtAvailability).toEqual([600]);
    expect(result.strategy).toBe('lookup');
    expect(result.signInRequests).toBe(40);
    expect(result.throttled).toBe(0);
    expect(rejected).toEqual([]);
    expect(maxInWindow(signInTimes, 60_000)).toBeLessThanOrEqual(10);
    expect(maxInWindow(signInTimes, 10_000)).toBeLessThanOrEqual(5);
    // 40 requests at 10 a minute cannot finish before 3 minutes; use ≥ 90% of the budget.
    expect(180_000 / clock.now()).toBeGreaterThanOrEqual(0.9);
    // What is left is told from the start (all 40), counts down with each answer and ends at none.
    expect(left[0]).toEqual({ left: 40, sent: 0 });
    expect(left.at(-1)!.left).toBe(0);
    for (const x of left) expect(x.left).toBe(40 - x.sent);
    expect([...latest.values()].every((u) => u.lastSuccessfulSignIn !== null)).toBe(true);
  });

  test('no licence for sign-in data: account data still arrives, the reason names P1/P2, sign-in reads stop', async () => {
    const users = directory(100);
    const ids = users.map((u) => u.id);
    const refusal: FakeAnswer = {
      status: 403,
      json: { error: { code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', message: "Neither tenant is B2C or tenant doesn't have premium license" } },
    };
    const { result, latest, availability } = await enrich({ users, noCount: true, signInRefusal: refusal }, ids);
    expect(availability).toHaveLength(1);
    expect(availability[0].available).toBe(false);
    expect(availability[0].reason).toMatch(/Entra ID P1 or P2/);
    expect(result.signInRequests).toBeLessThanOrEqual(5); // the first wave only
    for (const u of users) {
      expect(latest.get(u.id)).toMatchObject({ deleted: false, accountEnabled: u.accountEnabled, lastSuccessfulSignIn: null });
    }
  });

  test('no consent for sign-in data: the reason names AuditLog.Read.All', async () => {
    const users = directory(10);
    const refusal: FakeAnswer = { status: 403, json: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } };
    const { availability, latest } = await enrich({ users, signInRefusal: refusal }, users.map((u) => u.id));
    expect(availability).toEqual([{ available: false, reason: expect.stringContaining('AuditLog.Read.All') }]);
    expect(latest.get(users[3].id)?.accountEnabled).toBe(users[3].accountEnabled);
  });

  test('a throttled $batch sub-response is retried after its own Retry-After', async () => {
    const users = directory(40);
    const ids = users.map((u) => u.id);
    const { result, latest, ff } = await enrich({ users, firstBatchSub: { '2': { status: 429, headers: { 'Retry-After': '3' } } } }, ids);
    expect(result.throttled).toBe(1);
    expect(result.unresolved).toEqual([]);
    expect(ff.calls.filter((c) => pathOf(c.url) === '$batch')).toHaveLength(2);
    const retried = ff.calls.filter((c) => pathOf(c.url) === '$batch')[1].body as { requests: Array<{ id: string }> };
    expect(retried.requests.map((r) => r.id)).toEqual(['2']);
    for (const u of users) expect(latest.get(u.id)?.deleted).toBe(false);
  });

  test('a sub-response that fails for good leaves its ids unresolved, never marked deleted', async () => {
    const users = directory(20);
    const { result, latest } = await enrich({ users, firstBatchSub: { '1': { status: 500 } } }, users.map((u) => u.id));
    expect(result.unresolved.sort()).toEqual(users.slice(0, 15).map((u) => u.id).sort());
    expect(result.problems.join(' ')).toMatch(/Account data could not be read for 15 user/);
    for (const u of users.slice(0, 15)) expect(latest.get(u.id)?.deleted ?? false).toBe(false);
    for (const u of users.slice(15)) expect(latest.get(u.id)?.accountEnabled).toBe(u.accountEnabled);
  });

  test('ids that are not object ids are not put into a filter', async () => {
    const users = directory(3);
    const { result, ff } = await enrich({ users }, [users[0].id, "x') or true or ('"]);
    expect(result.unresolved).toEqual(["x') or true or ('"]);
    expect(ff.calls.some((c) => decodeURIComponent(c.url).includes('or true'))).toBe(false);
  });

  test('when `id in` with signInActivity is refused, the tenant-wide listing is used', async () => {
    const users = directory(40);
    const { result, latest, availability } = await enrich({ users, refuseInWithSignIn: true, noCount: true }, users.map((u) => u.id));
    expect(result.strategy).toBe('tenant-pass');
    expect(availability).toEqual([{ available: true }]);
    for (const u of users) expect(latest.get(u.id)?.lastSuccessfulSignIn).toBe(u.signInActivity.lastSuccessfulSignInDateTime);
  });

  test('a 429 on a sign-in read (another app shares the budget) is honoured and pauses the others', async () => {
    const users = directory(150);
    const ids = users.map((u) => u.id);
    // A limiter that believes in 20 a minute: the service pushes back and we must still finish cleanly.
    const { result, latest, availability, rejected } = await enrich({ users, noCount: true }, ids, (clock) =>
      createRateLimiter({ requests: 20, windowMs: 60_000, now: clock.now, sleep: clock.sleep }),
    );
    expect(result.throttled).toBeGreaterThan(0);
    expect(result.throttled).toBe(rejected.length);
    expect(availability).toEqual([{ available: true }]);
    expect([...latest.values()].every((u) => u.lastSuccessfulSignIn !== null)).toBe(true);
  });
});
