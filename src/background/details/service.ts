// The worker side of the details view: the package's assignment requests (listed once per fresh list,
// cached beside it, indexed in memory), and the parts fetched when a view opens (approval stages, the
// person, their manager, their other assignments, the policy's limit): de-duplicated, cached for the
// worker's life, cancelled when the admin moves on. Also the plans the action queue follows for reprocess
// and extend.
import {
  RequestIndex,
  maxExtendEnd,
  reprocessDecision,
  type ReprocessDecision,
  type RequestInfo,
} from '../../core/assignment-requests';
import type { Row } from '../../core/model';
import type { Graph } from '../../graph/client';
import {
  fetchApprovalStages,
  fetchManagerName,
  fetchOtherAssignments,
  fetchPerson,
  fetchPolicyExpiration,
  listPackageRequests,
  partError,
} from '../../graph/details';
import type { WorkerEvent } from '../../messages';
import type { DetailsRequest, ExtendPolicyLimit } from '../../protocol/details';
import type { CachedRequests } from './cache';

export interface DetailsDeps {
  graph(): Promise<Graph>;
  /** The cache scope of the current settings (cloud, tenant, client). */
  scope(): Promise<string>;
  cache: {
    get(scope: string, packageId: string): Promise<CachedRequests | undefined>;
    put(scope: string, packageId: string, v: CachedRequests): Promise<void>;
  };
  /** The package's last complete list (the cache), when no fresh one arrived in this worker. */
  cachedRows(scope: string, packageId: string): Promise<readonly Row[] | undefined>;
  now?: () => number;
}

export interface DetailsRequester {
  post(ev: WorkerEvent): void;
}

interface Loaded {
  index: RequestIndex;
  fetchedAt: string;
}

interface Part<T> {
  promise: Promise<T>;
  done: boolean;
  controller: AbortController;
  users: number;
}

/** Requests whose approval stages are worth asking for (admin and system requests skip approval). */
const mayHaveApproval = (r: RequestInfo): boolean => !/^(admin|system)/i.test(r.requestType);
/** The newest requests of one view whose approvals are fetched. */
const MAX_APPROVAL_READS = 10;

export class DetailsService {
  private readonly now: () => number;
  private readonly loaded = new Map<string, Loaded>();
  private readonly loading = new Map<string, Promise<Loaded>>();
  private readonly rows = new Map<string, Map<string, Row>>();
  private readonly parts = new Map<string, Part<unknown>>();
  private readonly opened = new WeakMap<DetailsRequester, { controller: AbortController; keys: Set<string> }>();

  constructor(private readonly deps: DetailsDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A fresh, complete list of the package arrived: keep its rows and list its requests again. */
  onList(packageId: string, rows: readonly Row[]): void {
    this.rows.set(packageId.toLowerCase(), new Map(rows.map((r) => [r.id.toLowerCase(), r])));
    void this.scopeKey(packageId).then((key) => {
      if (!this.loading.has(key)) void this.fetchRequests(packageId).catch(() => undefined);
    });
  }

  async handle(req: DetailsRequest, from: DetailsRequester): Promise<void> {
    switch (req.type) {
      case 'details-open':
        return this.open(req, from);
      case 'details-close':
        return this.close(from);
      case 'details-plan':
        return this.plan(req, from);
      default:
        return;
    }
  }

  /** The package's requests: memory, else the cache, else Graph (one listing shared by every caller). */
  async requests(packageId: string): Promise<Loaded> {
    const key = await this.scopeKey(packageId);
    const have = this.loaded.get(key);
    if (have) return have;
    const running = this.loading.get(key);
    if (running) return running;
    const scope = await this.deps.scope();
    const cached = await this.deps.cache.get(scope, packageId).catch(() => undefined);
    if (cached && !this.loaded.has(key)) {
      const l = { index: new RequestIndex(cached.requests), fetchedAt: cached.fetchedAt };
      this.loaded.set(key, l);
      return l;
    }
    return this.loaded.get(key) ?? this.loading.get(key) ?? this.fetchRequests(packageId);
  }

  private async fetchRequests(packageId: string): Promise<Loaded> {
    const key = await this.scopeKey(packageId);
    const running = this.loading.get(key);
    if (running) return running;
    const p = (async () => {
      const graph = await this.deps.graph();
      const fetchedAt = new Date(this.now()).toISOString();
      const { requests: list } = await listPackageRequests(graph, packageId);
      const l = { index: new RequestIndex(list), fetchedAt };
      this.loaded.set(key, l);
      const scope = await this.deps.scope();
      await this.deps.cache.put(scope, packageId, { requests: list, fetchedAt }).catch(() => undefined);
      return l;
    })();
    this.loading.set(key, p);
    p.then(
      () => this.loading.delete(key),
      () => this.loading.delete(key),
    );
    return p;
  }

  private async scopeKey(packageId: string): Promise<string> {
    return `${await this.deps.scope()}|${packageId.toLowerCase()}`;
  }

  private async rowsOf(packageId: string): Promise<Map<string, Row>> {
    const have = this.rows.get(packageId.toLowerCase());
    if (have) return have;
    const rows = await this.deps.cachedRows(await this.deps.scope(), packageId).catch(() => undefined);
    const map = new Map((rows ?? []).map((r) => [r.id.toLowerCase(), r]));
    if (rows) this.rows.set(packageId.toLowerCase(), map);
    return map;
  }

  // ------------------------------------------------------------------ one view

  private close(from: DetailsRequester): void {
    const o = this.opened.get(from);
    if (!o) return;
    this.opened.delete(from);
    o.controller.abort();
    for (const k of o.keys) this.release(k);
  }

  /** A part shared by every view that asks for it while it runs, and kept once it succeeded. */
  private part<T>(key: string, owner: { controller: AbortController; keys: Set<string> }, fetch: (signal: AbortSignal) => Promise<T>): Promise<T> {
    let p = this.parts.get(key) as Part<T> | undefined;
    if (!p) {
      const controller = new AbortController();
      const entry: Part<T> = { promise: fetch(controller.signal), done: false, controller, users: 0 };
      p = entry;
      this.parts.set(key, entry as Part<unknown>);
      entry.promise.then(
        () => void (entry.done = true),
        // A failure is not kept: the next opening asks again (once, on the admin's action; never in a loop).
        () => this.parts.get(key) === (entry as Part<unknown>) && this.parts.delete(key),
      );
    }
    if (!p.done && !owner.keys.has(key)) {
      p.users++;
      owner.keys.add(key);
    }
    return p.promise;
  }

  private release(key: string): void {
    const p = this.parts.get(key);
    if (!p || p.done) return;
    p.users--;
    if (p.users <= 0) {
      p.controller.abort();
      this.parts.delete(key);
    }
  }

  private async open(req: Extract<DetailsRequest, { type: 'details-open' }>, from: DetailsRequester): Promise<void> {
    this.close(from);
    const owner = { controller: new AbortController(), keys: new Set<string>() };
    this.opened.set(from, owner);
    const { seq } = req;
    const live = (): boolean => !owner.controller.signal.aborted;
    const post = (ev: WorkerEvent): void => {
      if (live()) from.post(ev);
    };
    let graph: Graph | null = null;
    const graphOnce = async (): Promise<Graph> => (graph ??= await this.deps.graph());

    const requestsPart = this.requests(req.packageId).then(
      (l) => {
        const requests = [...l.index.forAssignment(req.assignmentId)];
        const related = [...l.index.withoutAssignment(req.objectId)];
        post({ type: 'details-requests', seq, assignmentId: req.assignmentId, requests, related, fetchedAt: l.fetchedAt });
        return [...requests, ...related];
      },
      (e: unknown) => {
        post({ type: 'details-requests', seq, assignmentId: req.assignmentId, requests: [], related: [], fetchedAt: null, error: partError(e) });
        return [] as RequestInfo[];
      },
    );
    const approvals = requestsPart.then((list) =>
      Promise.all(
        list
          .filter(mayHaveApproval)
          .slice(-MAX_APPROVAL_READS)
          .map((r) =>
            this.part(`approvals:${r.id}`, owner, async (signal) => fetchApprovalStages(await graphOnce(), r.id, signal)).then(
              (stages) => post({ type: 'details-approvals', seq, requestId: r.id, stages }),
              (e: unknown) => post({ type: 'details-approvals', seq, requestId: r.id, stages: [], error: partError(e) }),
            ),
          ),
      ),
    );
    const work: Promise<unknown>[] = [requestsPart, approvals];
    const objectId = req.objectId;
    if (objectId) {
      work.push(
        this.part(`person:${objectId}`, owner, async (signal) => fetchPerson(await graphOnce(), objectId, signal)).then(
          (person) => post({ type: 'details-person', seq, objectId, person }),
          (e: unknown) => post({ type: 'details-person', seq, objectId, person: null, error: partError(e) }),
        ),
        this.part(`manager:${objectId}`, owner, async (signal) => fetchManagerName(await graphOnce(), objectId, signal)).then(
          (managerName) => post({ type: 'details-manager', seq, objectId, managerName }),
          (e: unknown) => post({ type: 'details-manager', seq, objectId, managerName: null, error: partError(e) }),
        ),
        this.part(`others:${objectId}`, owner, async (signal) => fetchOtherAssignments(await graphOnce(), objectId, signal)).then(
          (all) => post({ type: 'details-others', seq, objectId, assignments: all.filter((a) => a.id.toLowerCase() !== req.assignmentId.toLowerCase()) }),
          (e: unknown) => post({ type: 'details-others', seq, objectId, assignments: [], error: partError(e) }),
        ),
      );
    }
    if (req.policyId) {
      work.push(this.policyLimit(req.policyId, owner, graphOnce).then((limit) => post({ type: 'details-policy', seq, limit })));
    }
    await Promise.all(work);
    post({ type: 'details-done', seq });
    if (this.opened.get(from) === owner) {
      // Everything arrived: nothing left to cancel for this view.
      for (const k of owner.keys) this.release(k);
      owner.keys.clear();
    }
  }

  private policyLimit(
    policyId: string,
    owner: { controller: AbortController; keys: Set<string> },
    graph: () => Promise<Graph>,
  ): Promise<ExtendPolicyLimit> {
    return this.part(`policy:${policyId}`, owner, async (signal) => fetchPolicyExpiration(await graph(), policyId, signal)).then(
      (p) => {
        const maxEnd = maxExtendEnd(p.expiration, this.now());
        return { policyId, policyName: p.name, expiration: p.expiration, ...(maxEnd !== undefined ? { maxEnd } : {}) };
      },
      (e: unknown) => ({ policyId, policyName: '', expiration: null, error: partError(e).message }),
    );
  }

  // ------------------------------------------------------------------ plans (confirmation and the queue)

  /** Per assignment: which reprocess applies, or why none. Throws when the requests cannot be read. */
  async reprocessPlan(packageId: string, assignmentIds: readonly string[]): Promise<ReprocessDecision[]> {
    const [rows, loaded] = await Promise.all([this.rowsOf(packageId), this.requests(packageId)]);
    const now = this.now();
    return assignmentIds.map((id) => {
      const row = rows.get(id.toLowerCase());
      return reprocessDecision(row ? { id: row.id, state: row.state } : null, id, loaded.index.latest(id), now);
    });
  }

  /** Per assignment its state and policy, and each policy's limit for an extension made now. */
  async extendPlan(packageId: string, assignmentIds: readonly string[]): Promise<{ states: Record<string, { state: string; policyId: string }>; limits: ExtendPolicyLimit[] }> {
    const rows = await this.rowsOf(packageId);
    const states: Record<string, { state: string; policyId: string }> = {};
    const policies = new Set<string>();
    for (const id of assignmentIds) {
      const row = rows.get(id.toLowerCase());
      if (!row) continue;
      states[id] = { state: row.state, policyId: row.policyId };
      if (row.policyId) policies.add(row.policyId);
    }
    // Policy reads made for a plan are kept like a view's parts, but nothing cancels them.
    const owner = { controller: new AbortController(), keys: new Set<string>() };
    let graph: Graph | null = null;
    const graphOnce = async (): Promise<Graph> => (graph ??= await this.deps.graph());
    const limits = await Promise.all([...policies].map((p) => this.policyLimit(p, owner, graphOnce)));
    return { states, limits };
  }

  private async plan(req: Extract<DetailsRequest, { type: 'details-plan' }>, from: DetailsRequester): Promise<void> {
    if (req.kind === 'reprocess') {
      try {
        from.post({ type: 'details-plan', seq: req.seq, kind: 'reprocess', decisions: await this.reprocessPlan(req.packageId, req.assignmentIds) });
      } catch (e) {
        from.post({ type: 'details-plan', seq: req.seq, kind: 'reprocess', decisions: [], error: partError(e).message });
      }
      return;
    }
    try {
      const { states, limits } = await this.extendPlan(req.packageId, req.assignmentIds);
      from.post({ type: 'details-plan', seq: req.seq, kind: 'extend', states, limits });
    } catch (e) {
      from.post({ type: 'details-plan', seq: req.seq, kind: 'extend', states: {}, limits: [], error: partError(e).message });
    }
  }
}
