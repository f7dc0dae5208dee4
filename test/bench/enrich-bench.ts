// Figure 5 (first half): sign-in enrichment of the package's users under the documented sign-in budget
// (10 requests per minute per app, 500 users per page), with the minute scaled down to `windowMs` for
// BOTH the tenant (which answers 429 beyond it) and the product's limiter (background/session.ts uses the
// same limiter with the real minute).
import { createRateLimiter } from '../../src/core/ratelimit';
import { enrichUsers, IN_CLAUSE_MAX, SIGN_IN_PAGE, type SignInStrategy } from '../../src/graph/users';
import { IDS } from '../tenant/ids';
import { nodeGraph } from './graph-node';
import { isSignInRead, type RemoteTenant } from './remote-tenant';

export interface EnrichFigures {
  users: number;
  tenantUsers: number;
  windowMs: number;
  requestsPerWindow: number;
  ms: number;
  strategy: SignInStrategy;
  /** sign-in requests the tenant received */
  signInRequests: number;
  /** the fewest sign-in requests any strategy needs: min(ceil(N/15), ceil(T/500)) */
  bound: number;
  /** first to last sign-in request at the tenant */
  signInSpanMs: number;
  /** sign-in requests / what the budget allows over that span (10 at once, then 10 per window) */
  budgetUsed: number;
  throttled429: number;
  /** users whose sign-in fields arrived (deleted targets have none) */
  withSignIn: number;
  accountOnly: number;
  available: boolean;
  problems: string[];
}

export async function enrichFigures(tenant: RemoteTenant, windowMs: number, log: (s: string) => void): Promise<EnrichFigures> {
  const requestsPerWindow = 10;
  await tenant.configure({ signInRate: { requests: requestsPerWindow, windowMs } });
  const truth = await tenant.truth(IDS.mainPackage);
  const ids = truth.userTargets;
  const bound = Math.min(Math.ceil(ids.length / IN_CLAUSE_MAX), Math.ceil(tenant.users / SIGN_IN_PAGE));
  log(`  ${ids.length} users, ${tenant.users} in the tenant, budget ${requestsPerWindow} per ${windowMs} ms; bound ${bound} sign-in requests ≈ ${((Math.ceil(bound / requestsPerWindow) - 1) * windowMs / 1000).toFixed(0)} s`);
  const g = await nodeGraph(tenant);
  await tenant.resetLog();
  const limiter = createRateLimiter({ requests: requestsPerWindow, windowMs });
  const signInSeen = new Set<string>();
  const accountSeen = new Set<string>();
  let available = true;
  const t0 = performance.now();
  try {
    const result = await enrichUsers({
      graph: g.graph,
      ids,
      signInLimiter: limiter,
      onUsers: (users) => {
        for (const u of users) {
          accountSeen.add(u.id);
          if (u.lastSuccessfulSignIn !== null || u.lastSignIn !== null || u.lastNonInteractiveSignIn !== null) signInSeen.add(u.id);
        }
      },
      onAvailability: (a) => {
        available = a.available;
      },
    });
    const ms = performance.now() - t0;
    const reads = (await tenant.log()).filter(isSignInRead);
    const span = reads.length > 1 ? reads[reads.length - 1].time - reads[0].time : 0;
    const stats = await tenant.stats();
    return {
      users: ids.length,
      tenantUsers: tenant.users,
      windowMs,
      requestsPerWindow,
      ms,
      strategy: result.strategy,
      signInRequests: reads.length,
      bound,
      signInSpanMs: span,
      budgetUsed: reads.length / (requestsPerWindow * (1 + span / windowMs)),
      throttled429: stats.signInThrottled,
      withSignIn: signInSeen.size,
      accountOnly: accountSeen.size - signInSeen.size,
      available,
      problems: result.problems,
    };
  } finally {
    g.close();
  }
}
