// The details view's state: which assignment is open, what the worker sent for it so far, and the plans
// shown before reprocess or extend. Plain TypeScript over the store and the worker link (no DOM).
import type { ReprocessDecision, RequestInfo } from '../../core/assignment-requests';
import type { ViewRow } from '../../core/model';
import type { WorkerEvent } from '../../messages';
import type { ApprovalStageInfo, ExtendPolicyLimit, OtherAssignment, PartError, PersonInfo } from '../../protocol/details';
import type { PanelStore } from '../store';
import type { WorkerLink } from '../worker-link';

export interface Approvals {
  stages: ApprovalStageInfo[];
  error?: PartError;
}

export interface OpenDetails {
  seq: number;
  assignmentId: string;
  /** The access package the assignment belongs to. */
  packageId: string;
  /** The row as the table has it (null when the list no longer holds it). */
  row: ViewRow | null;
  requests: { list: RequestInfo[]; related: RequestInfo[]; fetchedAt: string | null; error?: PartError } | null;
  approvals: ReadonlyMap<string, Approvals>;
  person: { person: PersonInfo | null; error?: PartError } | null;
  manager: { name: string | null; error?: PartError } | null;
  others: { list: OtherAssignment[]; error?: PartError } | null;
  policy: ExtendPolicyLimit | null;
  /** every part has arrived */
  done: boolean;
}

export type Plan =
  | { kind: 'reprocess'; seq: number; ids: string[]; decisions: ReprocessDecision[] | null; error?: string }
  | { kind: 'extend'; seq: number; ids: string[]; states: Record<string, { state: string; policyId: string }> | null; limits: ExtendPolicyLimit[]; error?: string };

/**
 * Where the details view finds its rows: the open package's table, or the overview's rows across packages.
 * Everything the model asks of the list goes through here.
 */
export interface DetailsSource {
  /** The package an assignment belongs to (null: unknown, nothing is sent). */
  packageOf(assignmentId: string): string | null;
  /** The row of an assignment as the list has it (any filter), or null when it no longer holds it. */
  rowOf(assignmentId: string): ViewRow | null;
  /** The neighbouring assignment in the list's shown order, or null at an end. */
  neighbour(assignmentId: string, delta: 1 | -1): string | null;
  /** Calls back when the list's context changed (another package): open details and plans no longer apply. */
  onContextChange(cb: () => void): () => void;
}

/** The open package's table as a details source. */
export function storeSource(store: PanelStore): DetailsSource {
  return {
    packageOf: () => store.state.packageId,
    rowOf(assignmentId) {
      const id = assignmentId.toLowerCase();
      return store.view().viewRows.find((r) => r.id.toLowerCase() === id) ?? null;
    },
    neighbour(assignmentId, delta) {
      const shown = store.view().shown;
      const at = shown.findIndex((r) => r.id === assignmentId);
      const next = at < 0 ? null : shown[at + delta];
      return next ? next.id : null;
    },
    onContextChange(cb) {
      let packageId = store.state.packageId;
      return store.subscribe(() => {
        if (store.state.packageId === packageId) return;
        packageId = store.state.packageId;
        cb();
      });
    },
  };
}

export class DetailsModel {
  open: OpenDetails | null = null;
  plan: Plan | null = null;
  private seq = 0;
  private readonly subs = new Set<() => void>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly source: DetailsSource,
    private readonly link: WorkerLink,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  start(): void {
    this.unsubscribe.push(this.link.onEvent((e) => this.onEvent(e)));
    this.unsubscribe.push(
      this.source.onContextChange(() => {
        this.close();
        this.plan = null;
        this.changed();
      }),
    );
  }

  dispose(): void {
    for (const u of this.unsubscribe.splice(0)) u();
    if (this.open) this.link.post({ type: 'details-close' });
  }

  subscribe(cb: () => void): () => void {
    this.subs.add(cb);
    return () => this.subs.delete(cb);
  }

  private changed(): void {
    for (const cb of [...this.subs]) cb();
  }

  /** The row of an assignment in the list's data (any filter). */
  rowOf(assignmentId: string): ViewRow | null {
    return this.source.rowOf(assignmentId);
  }

  /** Opens (or moves to) one assignment's details; the worker cancels what the previous one still fetched. */
  show(assignmentId: string): void {
    const packageId = this.source.packageOf(assignmentId);
    if (!packageId) return;
    const row = this.rowOf(assignmentId);
    const seq = ++this.seq;
    this.open = {
      seq,
      assignmentId,
      packageId,
      row,
      requests: null,
      approvals: new Map(),
      person: null,
      manager: null,
      others: null,
      policy: null,
      done: false,
    };
    this.link.post({ type: 'details-open', seq, packageId, assignmentId, objectId: row?.objectId ?? null, policyId: row?.policyId ?? '' });
    this.changed();
  }

  close(): void {
    if (!this.open) return;
    this.open = null;
    this.link.post({ type: 'details-close' });
    this.changed();
  }

  /** The neighbouring row in the list's shown order (filters and sort as they are), or null at an end. */
  neighbour(delta: 1 | -1): string | null {
    return this.open ? this.source.neighbour(this.open.assignmentId, delta) : null;
  }

  move(delta: 1 | -1): void {
    const id = this.neighbour(delta);
    if (id) this.show(id);
  }

  // ------------------------------------------------------------------ reprocess and extend

  /** The package of a batch: every assignment of one batch is of one package (the open one, or the open row's). */
  private packageOfBatch(ids: readonly string[]): string | null {
    return ids.length > 0 ? this.source.packageOf(ids[0]) : null;
  }

  requestPlan(kind: 'reprocess' | 'extend', ids: string[]): void {
    const packageId = this.packageOfBatch(ids);
    if (!packageId) return;
    const seq = ++this.seq;
    this.plan = kind === 'reprocess' ? { kind, seq, ids, decisions: null } : { kind, seq, ids, states: null, limits: [] };
    this.link.post({ type: 'details-plan', seq, kind, packageId, assignmentIds: ids });
    this.changed();
  }

  clearPlan(): void {
    this.plan = null;
    this.changed();
  }

  private labels(ids: readonly string[]): string[] {
    return ids.map((id) => {
      const r = this.rowOf(id);
      return r ? r.displayName || r.principalName || r.email || id : id;
    });
  }

  /** Sends the reprocess of these assignments (the worker decides per assignment); returns the batch id. */
  sendReprocess(ids: string[]): string | null {
    const packageId = this.packageOfBatch(ids);
    if (!packageId) return null;
    const batchId = this.newId();
    this.link.post({ type: 'reprocess', batchId, packageId, assignmentIds: ids, labels: this.labels(ids) });
    return batchId;
  }

  sendExtend(ids: string[], end: string): string | null {
    const packageId = this.packageOfBatch(ids);
    if (!packageId) return null;
    const batchId = this.newId();
    this.link.post({ type: 'extend', batchId, packageId, assignmentIds: ids, end, labels: this.labels(ids) });
    return batchId;
  }

  sendRemove(id: string, filterText: string): string | null {
    const packageId = this.source.packageOf(id);
    if (!packageId) return null;
    const batchId = this.newId();
    this.link.post({ type: 'remove', batchId, packageId, assignmentIds: [id], filter: filterText, labels: this.labels([id]) });
    return batchId;
  }

  // ------------------------------------------------------------------ events

  private onEvent(e: WorkerEvent): void {
    if (e.type === 'details-plan') {
      if (!this.plan || this.plan.seq !== e.seq || this.plan.kind !== e.kind) return;
      if (e.kind === 'reprocess' && this.plan.kind === 'reprocess') this.plan = { ...this.plan, decisions: e.decisions, error: e.error };
      else if (e.kind === 'extend' && this.plan.kind === 'extend') this.plan = { ...this.plan, states: e.states, limits: e.limits, error: e.error };
      this.changed();
      return;
    }
    const o = this.open;
    if (!o || !('seq' in e) || e.seq !== o.seq) return;
    switch (e.type) {
      case 'details-requests':
        this.open = { ...o, requests: { list: e.requests, related: e.related, fetchedAt: e.fetchedAt, error: e.error } };
        break;
      case 'details-approvals': {
        const approvals = new Map(o.approvals);
        approvals.set(e.requestId, { stages: e.stages, error: e.error });
        this.open = { ...o, approvals };
        break;
      }
      case 'details-person':
        this.open = { ...o, person: { person: e.person, error: e.error } };
        break;
      case 'details-manager':
        this.open = { ...o, manager: { name: e.managerName, error: e.error } };
        break;
      case 'details-others':
        this.open = { ...o, others: { list: e.assignments, error: e.error } };
        break;
      case 'details-policy':
        this.open = { ...o, policy: e.limit };
        break;
      case 'details-done':
        this.open = { ...o, done: true };
        break;
      default:
        return;
    }
    this.changed();
  }
}
