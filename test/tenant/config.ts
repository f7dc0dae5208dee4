// Run-time behaviour and fault injection of the demo tenant. Every field can be changed while the server
// runs (tenant.configure(patch)); counters such as `resetNext` count down as they fire.

export interface ThrottleFault {
  /** every Graph request answers 429 until this instant (ms since epoch, Date.now() clock) */
  untilMs?: number;
  /** Retry-After in seconds; null sends no Retry-After header; default: seconds until `untilMs` (min 1) */
  retryAfterSec?: number | null;
  /** every Nth Graph request (counted from when this was set) answers 429 */
  everyNth?: number;
  /** only Graph requests whose URL (path and query, raw or decoded) contains this are throttled */
  match?: string;
}

export interface FailPagesFault {
  status: 500 | 503 | 504;
  /** the next N matching Graph requests fail (with `probability`: at most N; default unlimited) */
  count?: number;
  /** substring of the request URL (path and query, raw or decoded) */
  match?: string;
  /** seeded random mode: each matching request fails with this probability */
  probability?: number;
  seed?: number;
  /** adds a Retry-After header (seconds) to the failure */
  retryAfterSec?: number;
}

export interface GraphErrorSpec {
  status: number;
  code: string;
  message: string;
}

export interface EmRoleGrant {
  roleDefinitionId: string;
  /** catalog id, or null for a tenant-wide (directory) scope */
  catalogId: string | null;
}

export interface TenantConfig {
  /** records of rows per page on list endpoints without $top (default 100) */
  pageSize: number;
  /** honour $top on entitlement-management lists (Graph documents no $top there; default false) */
  honourTop: boolean;
  /** the largest page $top may ask for when honoured (default 999) */
  maxTop: number;

  // --- sign-in
  /** does prompt=none succeed? cookie: only with the session cookie the interactive flow set */
  ssoSession: 'cookie' | 'always' | 'never';
  /** every authorize request answers with this OAuth error (redirected to the app) */
  authorizeError: { error: string; description?: string } | null;
  accessTokenLifetimeSec: number;
  /** every refresh_token grant fails with AADSTS700081 */
  refreshTokenExpired: boolean;
  /** Entra refuses SPA code redemption without an Origin header (AADSTS9002327); default true */
  requireOrigin: boolean;
  /** when set, only this client id is registered (others: AADSTS700016) */
  clientId: string | null;
  /** when set, only these redirect URIs are registered (others: AADSTS50011); default: any https URL */
  redirectUris: string[] | null;
  /** delegated scopes never granted (as if admin consent was missing for them), e.g. ['AuditLog.Read.All'] */
  deniedScopes: string[];
  /** what `.default` grants */
  defaultScopes: string[];

  // --- Graph behaviour
  /** sign-in data needs Entra ID P1/P2 (false: 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant) */
  signInLicensed: boolean;
  /** GET with signInActivity: `requests` per sliding `windowMs`, per app (graph-api.md §8) */
  signInRate: { requests: number; windowMs: number };
  /** the admin's EM role: manager may add/remove, reader gets 403 on writes */
  writeRole: 'manager' | 'reader';
  /** overrides the admin's explicit EM role assignments (default from writeRole, on the main catalog) */
  emRoles: EmRoleGrant[] | null;
  /** the admin holds only catalog-scoped roles: listing assignments without an accessPackage/id filter is 403 */
  catalogScopedOnly: boolean;
  /** ms before a submitted request is processed (the assignment disappears / appears) */
  requestDelayMs: number;
  /**
   * After an adminRemove is delivered, the assignment stays listed this long as `expired` (with
   * expiredDateTime) before it is gone (404), as Graph may do. 0: gone at once.
   */
  removedLingerMs: number;
  /** removals of these assignments fail at POST with `rejectError` (partial-failure tests) */
  rejectAssignmentIds: string[];
  rejectError: GraphErrorSpec;

  // --- faults
  /** delay before answering each Graph request (benchmarks use 100) */
  latencyMs: number;
  throttle: ThrottleFault | null;
  failPages: FailPagesFault | null;
  /**
   * Graph requests whose URL (path and query, raw or decoded) contains `match` answer 400 with this error, as a
   * Graph service does for a query option it does not support (e.g. `$select` inside `$expand`).
   */
  refuseQueries: Array<{ match: string; code: string; message: string }>;
  /** destroy the socket in the middle of the body for the next N Graph responses */
  resetNext: number;
  /** answer the next N Graph requests with 200 and a body that is not JSON */
  malformedNext: number;
  /** restricts resetNext / malformedNext to URLs containing this text */
  faultMatch: string | null;
  /**
   * the next N next links followed find their $skiptoken expired (400) for good: the saved result list is
   * forgotten, as when the tenant's limit of 100 saved lists (least recently used first) drops one left idle
   */
  expireSkipTokens: number;
  /** after N more Graph requests, every access token issued so far is expired (401) */
  expireTokensAfter: number | null;
  /** emit @odata.nextLink on this host instead of the request's (hostile-server test) */
  nextLinkHost: string | null;
}

export const GRAPH_DEFAULT_SCOPES = [
  'EntitlementManagement.Read.All',
  'EntitlementManagement.ReadWrite.All',
  'User.Read.All',
  'AuditLog.Read.All',
  'User.Read',
];

export function defaultConfig(): TenantConfig {
  return {
    pageSize: 100,
    honourTop: false,
    maxTop: 999,
    ssoSession: 'cookie',
    authorizeError: null,
    accessTokenLifetimeSec: 3600,
    refreshTokenExpired: false,
    requireOrigin: true,
    clientId: null,
    redirectUris: null,
    deniedScopes: [],
    defaultScopes: [...GRAPH_DEFAULT_SCOPES],
    signInLicensed: true,
    signInRate: { requests: 10, windowMs: 60_000 },
    writeRole: 'manager',
    emRoles: null,
    catalogScopedOnly: false,
    requestDelayMs: 500,
    removedLingerMs: 0,
    rejectAssignmentIds: [],
    rejectError: {
      status: 400,
      code: 'BadRequest',
      message: 'The request could not be processed: the assignment is locked by an access review in progress.',
    },
    latencyMs: 0,
    throttle: null,
    failPages: null,
    refuseQueries: [],
    resetNext: 0,
    malformedNext: 0,
    faultMatch: null,
    expireSkipTokens: 0,
    expireTokensAfter: null,
    nextLinkHost: null,
  };
}

/** Counters of what the tenant did, for assertions. */
export interface TenantStats {
  /** every 429 answered (top-level and inside $batch) */
  throttled: number;
  /** 429s from the signInActivity rate limit */
  signInThrottled: number;
  /** failures injected by failPages */
  injectedFailures: number;
  resets: number;
  malformed: number;
  /** 401s for expired or revoked tokens */
  expiredTokenRejections: number;
  /** redirect URIs seen at /authorize, with their kind */
  redirectUris: Array<{ uri: string; kind: 'chromium' | 'firefox' | 'other' }>;
  tokensIssued: number;
}

export function emptyStats(): TenantStats {
  return {
    throttled: 0,
    signInThrottled: 0,
    injectedFailures: 0,
    resets: 0,
    malformed: 0,
    expiredTokenRejections: 0,
    redirectUris: [],
    tokensIssued: 0,
  };
}
