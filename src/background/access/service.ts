// The access check in the worker: read the package's resource roles, list each resource's holders through the
// shared Graph client (its retry policy handles 429 / 5xx), fold every page into the comparison at once, and
// tell the panel per resource and per assignment. One resource failing (deleted, 403, throttled past the
// retries) is reported on that resource; the others complete.
import {
  countMissing,
  principalIndex,
  resourcesToRecheck,
  ResourceTally,
  rowAccess,
  type OutsidePrincipal,
  type PrincipalIndex,
  type ResourceOutcome,
  type RowAccess,
} from '../../core/access/compare';
import type { AccessResource } from '../../core/access/resources';
import type { Row } from '../../core/model';
import { appRoleDefined, checkOfError, fetchPackageResources, holderId, holderOf, listHolders, uncheckable } from '../../graph/access';
import type { Graph } from '../../graph/client';
import type { WorkerEvent } from '../../messages';
import { t } from '../../panel/i18n';
import type { AccessRequest, AccessResourceInfo } from '../../protocol/access';

/** Entries per port message. */
const CHUNK = 5000;
/**
 * Resources listed at once: each listing is a chain of pages, so with every chain running the check takes about
 * as long as the longest one (packages rarely have more; the rest wait their turn). Memory does not grow with
 * it: pages are folded into one byte per row per resource and dropped.
 */
const DEFAULT_CONCURRENCY = 8;

export interface AccessDeps {
  /** Asks for the access check's scopes (interactively the first time); a refusal is not thrown. */
  ensureAccess(): Promise<void>;
  /** A Graph client whose tokens carry the access check's scopes. */
  graph(): Promise<Graph>;
  /** The package's complete list of assignments (null: none loaded yet). */
  rows(packageId: string): Promise<readonly Row[] | null>;
  concurrency?: number;
  newId?: () => string;
}

export interface AccessListener {
  post(ev: WorkerEvent): void;
}

interface LastCheck {
  index: PrincipalIndex;
  position: Map<string, number>;
  outcomes: ResourceOutcome[];
  access: RowAccess[];
}

export class AccessService {
  /** The last full check per package: a re-check reads only what its rows need and updates only them. */
  private readonly last = new Map<string, LastCheck>();
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly deps: AccessDeps) {}

  async handle(req: AccessRequest, to: AccessListener): Promise<void> {
    const checkId = (this.deps.newId ?? (() => crypto.randomUUID()))();
    const { packageId } = req;
    this.running.get(packageId)?.abort();
    const controller = new AbortController();
    this.running.set(packageId, controller);
    const post = (ev: WorkerEvent): void => {
      if (!controller.signal.aborted) to.post(ev);
    };
    try {
      const last = this.last.get(packageId);
      const covered = req.type === 'recheck-access' && last ? await this.covered(packageId, req.assignmentIds, last) : null;
      if (covered && last) await this.recheck(req.packageId, covered, last, checkId, post, controller.signal);
      else await this.check(packageId, checkId, post, controller.signal);
    } catch (e) {
      const err = e as { message?: string; code?: string };
      post({ type: 'access-error', packageId, checkId, message: err?.message || String(e), code: err?.code });
    } finally {
      if (this.running.get(packageId) === controller) this.running.delete(packageId);
    }
  }

  private async check(packageId: string, checkId: string, post: (ev: WorkerEvent) => void, signal: AbortSignal): Promise<void> {
    const rows = await this.deps.rows(packageId);
    if (!rows) {
      post({ type: 'access-error', packageId, checkId, message: t('worker_access_no_list'), code: 'NoList' });
      return;
    }
    await this.deps.ensureAccess();
    const graph = await this.deps.graph();
    // The rows' index is built while the package's resources are on their way (not after: it delays every chain).
    const asked = fetchPackageResources(graph, packageId, signal);
    let index: PrincipalIndex;
    try {
      index = principalIndex(rows);
    } catch (e) {
      asked.catch(() => undefined);
      throw e;
    }
    const resources = await asked;
    post({ type: 'access-start', packageId, checkId, recheck: false, resources: resources.map((r) => info(r, uncheckable(r) ?? { status: 'checking' })) });
    const outcomes = await this.readAll(graph, resources, index, packageId, checkId, post, signal);
    const access = rowAccess(index, outcomes);
    const position = new Map(rows.map((r, i) => [r.id, i]));
    this.last.set(packageId, { index, position, outcomes, access });
    sendRows(access, packageId, checkId, post);
    post({ type: 'access-done', packageId, checkId });
  }

  /**
   * The ids a re-check can compare against the last check (its row positions and tallies), or null when one of
   * them is not covered by it (added since, or its target or state changed): then only a full check is honest.
   * Ids no longer in the list are dropped.
   */
  private async covered(packageId: string, ids: readonly string[], last: LastCheck): Promise<string[] | null> {
    const rows = await this.deps.rows(packageId);
    if (!rows) return null;
    const wanted = new Set(ids);
    const out: string[] = [];
    for (const r of rows) {
      if (!wanted.has(r.id)) continue;
      const i = last.position.get(r.id);
      if (i === undefined) return null;
      const then = last.index.rows[i];
      if ((then.objectId ?? '').toLowerCase() !== (r.objectId ?? '').toLowerCase() || then.state.toLowerCase() !== r.state.toLowerCase()) return null;
      out.push(r.id);
    }
    return out;
  }

  private async recheck(
    packageId: string,
    ids: string[],
    last: LastCheck,
    checkId: string,
    post: (ev: WorkerEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const indices = ids.map((id) => last.position.get(id)).filter((i): i is number => i !== undefined);
    const previous = indices.map((i) => last.access[i]);
    const wanted = new Set(resourcesToRecheck(previous, last.outcomes));
    const toRead = last.outcomes.filter((o) => wanted.has(o.resource.id)).map((o) => o.resource);
    await this.deps.ensureAccess();
    const graph = await this.deps.graph();
    post({ type: 'access-start', packageId, checkId, recheck: true, resources: toRead.map((r) => info(r, { status: 'checking' })) });
    const fresh = await this.readAll(graph, toRead, last.index, packageId, checkId, post, signal);
    for (const o of fresh) {
      const k = last.outcomes.findIndex((x) => x.resource.id === o.resource.id);
      if (k >= 0) last.outcomes[k] = o;
    }
    const updated = rowAccess(last.index, last.outcomes, indices);
    updated.forEach((a, k) => (last.access[indices[k]] = a));
    sendRows(updated, packageId, checkId, post);
    post({ type: 'access-done', packageId, checkId });
  }

  /** Reads the resources, `concurrency` at a time; every resource ends checked or not-checked with why. */
  private async readAll(
    graph: Graph,
    resources: readonly AccessResource[],
    index: PrincipalIndex,
    packageId: string,
    checkId: string,
    post: (ev: WorkerEvent) => void,
    signal: AbortSignal,
  ): Promise<ResourceOutcome[]> {
    const outcomes: ResourceOutcome[] = new Array<ResourceOutcome>(resources.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < resources.length) {
        const k = next++;
        const r = resources[k];
        const skip = uncheckable(r);
        if (skip) {
          outcomes[k] = { resource: r, check: skip };
          continue;
        }
        const tally = new ResourceTally(index);
        try {
          const fold = (items: readonly unknown[]): void => {
            for (const item of items) {
              const id = holderId(r, item);
              if (id) tally.hold(id, () => holderOf(r, item)!);
            }
          };
          // An app role: whether the application still defines it is asked alongside the listing (not before it).
          const defined = r.kind === 'appRole' ? appRoleDefined(graph, r, signal).catch(() => true) : Promise.resolve(true);
          await listHolders(graph, r, fold, { signal }).catch(async (e: unknown) => {
            await defined;
            throw e;
          });
          if (!(await defined)) {
            const check = { status: 'not-checked' as const, reason: 'role-removed' as const };
            outcomes[k] = { resource: r, check };
            post({ type: 'access-resource', packageId, checkId, resource: info(r, check) });
            continue;
          }
          outcomes[k] = { resource: r, check: { status: 'checked' }, has: tally.has };
          const missing = countMissing(index, tally.has);
          post({ type: 'access-resource', packageId, checkId, resource: info(r, { status: 'checked' }, { holders: tally.holders, missing, outside: tally.outside.length }) });
          sendOutside(tally.outside, r.id, packageId, checkId, post);
        } catch (e) {
          if (signal.aborted) throw e;
          const check = checkOfError(e);
          outcomes[k] = { resource: r, check };
          post({ type: 'access-resource', packageId, checkId, resource: info(r, check) });
        }
      }
    };
    const n = Math.max(1, Math.min(this.deps.concurrency ?? DEFAULT_CONCURRENCY, resources.length));
    await Promise.all(Array.from({ length: n }, worker));
    return outcomes;
  }
}

function info(
  r: AccessResource,
  check: { status: 'checking' | 'checked' | 'not-checked'; reason?: AccessResourceInfo['reason']; detail?: string },
  counts: Pick<AccessResourceInfo, 'holders' | 'missing' | 'outside'> = {},
): AccessResourceInfo {
  return {
    id: r.id,
    kind: r.kind,
    objectId: r.objectId,
    displayName: r.displayName,
    roleName: r.roleName,
    status: check.status,
    ...(check.reason ? { reason: check.reason } : {}),
    ...(check.detail ? { detail: check.detail } : {}),
    ...counts,
  };
}

function sendRows(entries: RowAccess[], packageId: string, checkId: string, post: (ev: WorkerEvent) => void): void {
  for (let i = 0; i < entries.length; i += CHUNK) post({ type: 'access-rows', packageId, checkId, entries: entries.slice(i, i + CHUNK) });
}

function sendOutside(principals: OutsidePrincipal[], resourceId: string, packageId: string, checkId: string, post: (ev: WorkerEvent) => void): void {
  for (let i = 0; i < principals.length; i += CHUNK) {
    post({ type: 'access-outside', packageId, checkId, resourceId, principals: principals.slice(i, i + CHUNK) });
  }
}
