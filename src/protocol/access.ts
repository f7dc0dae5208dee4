// The access check's message family (panel <-> worker), hooked into src/messages.ts with one union member
// and one delegating line each way.
import type { NotCheckedReason, OutsidePrincipal, RowAccess } from '../core/access/compare';
import type { ResourceKind } from '../core/access/resources';

// ---------------------------------------------------------------- panel -> worker

export type AccessRequest =
  /** Compare every assignment of the package with who holds its resources' roles. */
  | { type: 'check-access'; packageId: string }
  /**
   * Compare only these assignments again (e.g. after they were reprocessed), reading only the resources they
   * were missing or that could not be read.
   */
  | { type: 'recheck-access'; packageId: string; assignmentIds: string[] };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isStr = (v: unknown): v is string => typeof v === 'string';

export function parseAccessRequest(msg: unknown): AccessRequest | null {
  if (!msg || typeof msg !== 'object') return null;
  const m = msg as Record<string, unknown>;
  if (!isStr(m.packageId) || !GUID.test(m.packageId)) return null;
  if (m.type === 'check-access') return { type: 'check-access', packageId: m.packageId };
  if (m.type === 'recheck-access') {
    const ids = m.assignmentIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100_000 || !ids.every(isStr)) return null;
    return { type: 'recheck-access', packageId: m.packageId, assignmentIds: ids };
  }
  return null;
}

// ---------------------------------------------------------------- worker -> panel

export interface AccessResourceInfo {
  /** the resourceRoleScope id */
  id: string;
  kind: ResourceKind;
  /** group / service principal id, or site URL (`data-resource-id` of the outside list) */
  objectId: string;
  displayName: string;
  roleName: string;
  status: 'checking' | 'checked' | 'not-checked';
  reason?: NotCheckedReason;
  /** Graph's message when the read failed */
  detail?: string;
  /** holders listed (checked) */
  holders?: number;
  /** delivered assignments lacking this role (checked) */
  missing?: number;
  /** holders without an active assignment (checked) */
  outside?: number;
}

export type AccessEvent =
  | { type: 'access-start'; packageId: string; checkId: string; recheck: boolean; resources: AccessResourceInfo[] }
  | { type: 'access-resource'; packageId: string; checkId: string; resource: AccessResourceInfo }
  /** Holders of one resource without an assignment of the package (in pieces for large groups). */
  | { type: 'access-outside'; packageId: string; checkId: string; resourceId: string; principals: OutsidePrincipal[] }
  /** Per assignment results (in pieces); a re-check sends only its rows. */
  | { type: 'access-rows'; packageId: string; checkId: string; entries: RowAccess[] }
  | { type: 'access-done'; packageId: string; checkId: string }
  | { type: 'access-error'; packageId: string; checkId: string; message: string; code?: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Shape check of an access event arriving at the panel (the discriminating fields and lists). */
export function isAccessEvent(m: Record<string, unknown>): boolean {
  if (!isStr(m.packageId) || !isStr(m.checkId)) return false;
  switch (m.type) {
    case 'access-start':
      return typeof m.recheck === 'boolean' && Array.isArray(m.resources) && m.resources.every((r) => isObj(r) && isStr(r.id) && isStr(r.objectId));
    case 'access-resource':
      return isObj(m.resource) && isStr(m.resource.id) && isStr(m.resource.status);
    case 'access-outside':
      return isStr(m.resourceId) && Array.isArray(m.principals) && m.principals.every((p) => isObj(p) && isStr(p.objectId));
    case 'access-rows':
      return Array.isArray(m.entries) && m.entries.every((e) => isObj(e) && isStr(e.id) && isStr(e.value) && Array.isArray(e.missing));
    case 'access-done':
      return true;
    case 'access-error':
      return isStr(m.message);
    default:
      return false;
  }
}
