// What the access check says about one assignment now, and per resource (the details view). Pure.
//
// A check compares the list as it was when it ran. A row that appeared since (added, or a refreshed list), or
// whose state changed since (e.g. delivering → delivered), is not covered by it: it says not-checked with the
// reason 'not-in-check' until the next check, rather than carrying no value or an outdated one.
import type { AccessValue, NotCheckedReason } from './compare';

/** The per-assignment result as the panel keeps it (core/model ViewAccess and protocol RowAccess both fit). */
export interface AccessEntry {
  value: AccessValue;
  missing: string[];
  reasons?: readonly string[];
  /** the assignment's state when it was compared */
  state?: string;
}

export const NOT_IN_CHECK = Object.freeze({ value: 'not-checked', missing: [] as string[], reasons: ['not-in-check'] as readonly string[] }) as AccessEntry & {
  value: 'not-checked';
};

/** The entry if the check covered this row as it is now, else NOT_IN_CHECK. */
export function accessNow<E extends AccessEntry>(entry: E | undefined, state: string): E | typeof NOT_IN_CHECK {
  if (!entry) return NOT_IN_CHECK;
  if (entry.state !== undefined && entry.state.toLowerCase() !== state.toLowerCase()) return NOT_IN_CHECK;
  return entry;
}

/** Reasons that are about the assignment itself, not about one resource. */
const ROW_REASONS: ReadonlySet<string> = new Set<NotCheckedReason>(['not-delivered', 'not-in-directory', 'not-in-check']);

export type ResourceAccessValue = AccessValue | 'checking';

export interface ResourceAccess {
  /** the resourceRoleScope id */
  resourceId: string;
  value: ResourceAccessValue;
  /** not-checked: why */
  reason?: string;
}

/** The fields of a resource's state (protocol AccessResourceInfo) this reads. */
export interface ResourceState {
  id: string;
  status: 'checking' | 'checked' | 'not-checked';
  reason?: string;
}

/**
 * One assignment's access per resource of the package:
 * - pending (still delivering) and the assignment's own not-checked reasons apply to every resource;
 * - otherwise each read resource is complete (held) or missing (not held), an unread one is not-checked with
 *   the resource's reason, and one being read again is checking.
 * `entry.missing` holds resource ids here (the worker's RowAccess), not the display names of ViewAccess.
 */
export function accessPerResource(entry: AccessEntry, resources: readonly ResourceState[]): ResourceAccess[] {
  if (entry.value === 'pending') return resources.map((r) => ({ resourceId: r.id, value: 'pending' }));
  const own = (entry.reasons ?? []).find((x) => ROW_REASONS.has(x));
  if (entry.value === 'not-checked' && own) return resources.map((r) => ({ resourceId: r.id, value: 'not-checked', reason: own }));
  const missing = new Set(entry.missing);
  return resources.map((r): ResourceAccess => {
    if (r.status === 'checking') return { resourceId: r.id, value: 'checking' };
    if (r.status === 'not-checked') return { resourceId: r.id, value: 'not-checked', reason: r.reason ?? 'failed' };
    return { resourceId: r.id, value: missing.has(r.id) ? 'missing' : 'complete' };
  });
}
