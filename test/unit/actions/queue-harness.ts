// A worker-side action queue over a fake Graph (fetch route table + virtual clock) and a fake storage.local
// that records every write, so tests can see what was on disk when each request went out.
import type { Row } from '../../../src/core/model';
import { createRateLimiter, WRITE_WINDOW } from '../../../src/core/ratelimit';
import { ActionService, decodeLog, logKey, type ActionDeps } from '../../../src/background/actions';
import { createGraph } from '../../../src/graph/client';
import type { ActionEntry, PanelRequest, WorkerEvent } from '../../../src/messages';
import { fakeFetch, pathOf, query, VirtualClock, type FakeAnswer, type FakeRequest } from '../graph/fakes';

export const PKG = 'aaaaaaaa-0000-4000-8000-000000000001';
export const CATALOG = 'cccccccc-0000-4000-8000-000000000001';
export const ADMIN_ID = 'dddddddd-0000-4000-8000-000000000001';
export const ADMIN = 'admin@contoso.com';
export const POLICY_DIRECT = 'eeeeeeee-0000-4000-8000-000000000001';
export const POLICY_QUESTIONS = 'eeeeeeee-0000-4000-8000-000000000002';
export const POLICY_AUTO = 'eeeeeeee-0000-4000-8000-000000000003';
export const REQUESTS = 'identityGovernance/entitlementManagement/assignmentRequests';

export const aid = (n: number): string => `a0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
export const uid = (n: number): string => `b0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export interface Posted {
  requestType: string;
  key: string;
  /** the stored log (decoded) at the moment this request was sent */
  storedAtSend: ActionEntry[];
}

export interface HarnessOptions {
  /** answer for a write; default 201 accepted */
  write?: (type: string, key: string, req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;
  /** answer for any other request; default: the built-in tenant below */
  get?: (req: FakeRequest) => FakeAnswer | undefined;
  /** stored value of storage.local before start */
  stored?: Record<string, unknown>;
  /** the rows a re-listing returns (null: no panel) */
  listed?: () => readonly Row[] | null;
  latencyMs?: number;
  storageFails?: boolean;
  ensureWriteAccess?: () => Promise<void>;
  /** reprocess / extend plans (src/background/details) */
  details?: ActionDeps['details'];
}

export interface Harness {
  clock: VirtualClock;
  svc: ActionService;
  posted: Posted[];
  calls: FakeRequest[];
  events: WorkerEvent[];
  /** events posted to the requesting panel */
  replies: WorkerEvent[];
  store: Map<string, unknown>;
  reloads: number;
  /** packages the service said Graph accepted a write to (for copies kept elsewhere) */
  changed: string[];
  send(req: PanelRequest): Promise<void>;
  /** Lets background work (verification, throttled saves and posts) run for `ms` of virtual time. */
  settle(ms?: number): Promise<void>;
  stored(): ActionEntry[];
  /** The entries of the last 'actions' event. */
  lastEntries(): ActionEntry[];
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

const policyJson: Record<string, unknown> = {
  [POLICY_DIRECT]: { id: POLICY_DIRECT, displayName: 'Direct', automaticRequestSettings: null, questions: [] },
  [POLICY_QUESTIONS]: { id: POLICY_QUESTIONS, displayName: 'Employees', questions: [{ id: 'q1', text: 'Why?' }] },
  [POLICY_AUTO]: { id: POLICY_AUTO, displayName: 'Sales (automatic)', automaticRequestSettings: { requestAccessForAllowedTargets: true }, questions: [] },
};

export function harness(opts: HarnessOptions = {}): Harness {
  const clock = new VirtualClock();
  clock.t = Date.parse('2025-06-15T12:00:00Z');
  const store = new Map<string, unknown>(Object.entries(clone(opts.stored ?? {})));
  const posted: Posted[] = [];
  const route = async (req: FakeRequest): Promise<FakeAnswer> => {
    const path = pathOf(req.url);
    if (req.method === 'POST' && path === REQUESTS) {
      const body = req.body as { requestType: string; assignment: { id?: string; targetId?: string } };
      const key = body.assignment.id ?? body.assignment.targetId ?? '';
      if (opts.write) return opts.write(body.requestType, key, req);
      return { status: 201, json: { id: `req-${key}`, requestType: body.requestType, state: 'submitted', status: 'Accepted' } };
    }
    const custom = opts.get?.(req);
    if (custom) return custom;
    if (path === 'me') return { json: { id: ADMIN_ID } };
    if (path === `identityGovernance/entitlementManagement/accessPackages/${PKG}`) return { json: { id: PKG, displayName: 'Sales', catalog: { id: CATALOG, displayName: 'Main' } } };
    if (path === 'roleManagement/entitlementManagement/roleAssignments') return { json: { value: [] } };
    const policy = /assignmentPolicies\/(.+)$/.exec(path)?.[1];
    if (policy) return policyJson[policy] ? { json: policyJson[policy] } : { status: 404, json: { error: { code: 'NotFound', message: 'no policy' } } };
    if (path === REQUESTS) return { json: { value: [] } };
    if (path.startsWith('identityGovernance/entitlementManagement/assignments')) {
      if (query(req.url).$filter) return { json: { value: [] } };
      return { json: { id: path.split('/').pop(), state: 'delivered' } };
    }
    return { status: 404, json: { error: { code: 'NotFound', message: `no route for ${path}` } } };
  };
  const ff = fakeFetch(route, clock, opts.latencyMs ?? 50);
  // What was on disk is read when the request leaves (before any latency), not when it is answered.
  const sending: typeof fetch = (input, init) => {
    if ((init?.method ?? 'GET').toUpperCase() === 'POST' && typeof init?.body === 'string') {
      const body = JSON.parse(init.body) as { requestType?: string; assignment?: { id?: string; targetId?: string } };
      if (body.requestType) {
        const key = body.assignment?.id ?? body.assignment?.targetId ?? '';
        posted.push({ requestType: body.requestType, key, storedAtSend: decodeLog(store.get(logKey(PKG)), PKG) });
      }
    }
    return ff.fetch(input, init);
  };
  const graph = createGraph({ cloud: 'global', getToken: async () => 't', fetchImpl: sending, sleep: clock.sleep, now: clock.now, rng: () => 0.5 });
  const events: WorkerEvent[] = [];
  const replies: WorkerEvent[] = [];
  const h: Harness = {
    clock,
    svc: undefined as unknown as ActionService,
    posted,
    calls: ff.calls,
    events,
    replies,
    store,
    reloads: 0,
    changed: [],
    async send(req) {
      await clock.run(h.svc.handle(req, { showing: PKG, post: (e) => replies.push(clone(e)) }));
    },
    async settle(ms = 60_000) {
      await clock.run(clock.sleep(ms));
    },
    stored: () => decodeLog(store.get(logKey(PKG)), PKG),
    lastEntries() {
      const last = [...events].reverse().find((e) => e.type === 'actions');
      return last && last.type === 'actions' ? last.entries : [];
    },
  };
  const deps: ActionDeps = {
    storage: {
      get: async (k) => clone(store.get(k)),
      set: async (k, v) => {
        if (opts.storageFails) throw new Error('QUOTA_BYTES quota exceeded');
        await clock.sleep(5);
        store.set(k, clone(v));
      },
    },
    graph: async () => graph,
    ensureWriteAccess: opts.ensureWriteAccess ?? (async () => undefined),
    actor: () => ADMIN,
    broadcast: (e) => events.push(clone(e)),
    reload: async () => {
      h.reloads++;
      await clock.sleep(200);
      return opts.listed ? opts.listed() : null;
    },
    now: clock.now,
    sleep: (ms) => clock.sleep(ms),
    schedule: (cb, ms) => void clock.sleep(ms).then(cb),
    limiter: createRateLimiter({ ...WRITE_WINDOW, now: clock.now, sleep: clock.sleep }),
    details: opts.details,
    changed: (packageId) => h.changed.push(packageId),
  };
  h.svc = new ActionService(deps);
  return h;
}

export const removeReq = (batchId: string, ids: string[], labels?: string[]): PanelRequest => ({
  type: 'remove',
  batchId,
  packageId: PKG,
  assignmentIds: ids,
  filter: 'state: delivered',
  ...(labels ? { labels } : {}),
});

export const addReq = (batchId: string, policyId: string, users: string[]): PanelRequest => ({
  type: 'add',
  batchId,
  packageId: PKG,
  policyId,
  userIds: users,
  start: null,
  end: null,
});

export const byKey = (entries: ActionEntry[], batchId: string): Record<string, ActionEntry> =>
  Object.fromEntries(entries.filter((e) => e.batchId === batchId).map((e) => [e.key, e]));

export function row(id: string, over: Partial<Row> = {}): Row {
  return {
    id,
    state: 'delivered',
    status: 'Delivered',
    policyId: POLICY_DIRECT,
    policyName: 'Direct',
    start: null,
    expiry: null,
    subjectId: null,
    objectId: null,
    displayName: id,
    principalName: '',
    email: '',
    subjectType: 'user',
    connectedOrgId: null,
    connectedOrgName: '',
    ...over,
  };
}
