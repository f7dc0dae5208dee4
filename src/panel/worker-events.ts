// Shape checks for what arrives on the panel port. The worker is our own code, but a message that does not
// have the shape the store relies on must be dropped here rather than corrupt the view half-way.
import { isOverviewEvent, isReviewEvent, type WorkerEvent } from '../messages';
import { isAccessEvent } from '../protocol/access';
import { unpack } from '../protocol/stream';
import { isDetailsEvent } from '../protocol/details';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isOptStr = (v: unknown): boolean => v === undefined || typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
/** Arrays of objects that each carry a string `id` (rows, users, policies). */
const isIdList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => isObj(x) && isStr(x.id));

function isAuth(v: unknown): boolean {
  if (!isObj(v)) return false;
  switch (v.status) {
    case 'not-configured':
      return isStr(v.message);
    case 'signed-out':
      return isOptStr(v.message);
    case 'signing-in':
      return true;
    case 'signed-in':
      return isStr(v.username) && isOptStr(v.name);
    default:
      return false;
  }
}

function isProgress(v: unknown): boolean {
  return isObj(v) && isNum(v.pages) && isNum(v.rows) && isNum(v.partitionsDone) && isNum(v.partitionsTotal);
}

function isOptNotes(v: unknown): boolean {
  return v === undefined || (Array.isArray(v) && v.every(isStr));
}

function isMissing(v: unknown): boolean {
  return Array.isArray(v) && v.every((m) => isObj(m) && isStr(m.partition) && isStr(m.page) && isStr(m.error));
}

/** Returns the event when its shape is what the panel relies on, otherwise null (the caller drops it). */
export function parseWorkerEvent(msg: unknown): WorkerEvent | null {
  if (!isObj(msg) || !isStr(msg.type)) return null;
  // Rows and users arrive packed (protocol/stream.ts): unpacked here, then checked like any other event.
  const packed = unpack(msg);
  if (packed) return parseWorkerEvent(packed.type === 'rows' ? { type: 'rows', loadId: packed.loadId, rows: packed.list } : { type: 'users', loadId: packed.loadId, users: packed.list });
  const m = msg;
  const ok = ((): boolean => {
    switch (m.type) {
      case 'auth':
        return isAuth(m.auth);
      case 'load-start':
        return isStr(m.packageId) && isStr(m.loadId) && isBool(m.fromCache) && isOptStr(m.fetchedAt);
      case 'package':
        return isStr(m.loadId) && isObj(m.info) && isStr(m.info.id) && isStr(m.info.displayName) && isIdList(m.policies);
      case 'rows':
        return isStr(m.loadId) && isIdList(m.rows);
      case 'progress':
        return isStr(m.loadId) && isProgress(m.progress);
      case 'users':
        return isStr(m.loadId) && isIdList(m.users);
      case 'sign-in-data':
        return isStr(m.loadId) && isObj(m.availability) && isBool(m.availability.available) && isOptStr(m.cachedAt);
      case 'load-done':
        return (
          isStr(m.loadId) && isStr(m.packageId) && isNum(m.total) && isStr(m.fetchedAt) && isMissing(m.missing) &&
          isBool(m.enriching) && isOptNotes(m.notes)
        );
      case 'enrich-done':
        return isStr(m.loadId) && isOptNotes(m.notes);
      case 'sign-in-left':
        return isStr(m.loadId) && isNum(m.left) && isNum(m.etaMs);
      case 'load-error':
        return isStr(m.loadId) && isStr(m.packageId) && isStr(m.message) && isOptStr(m.code);
      // Events for src/panel/actions/: only their discriminating fields are checked here; the actions
      // feature owns their finer shape.
      case 'actions':
        return isStr(m.packageId) && Array.isArray(m.entries);
      case 'search-results':
        return isNum(m.seq) && Array.isArray(m.users);
      case 'delivery':
        return Array.isArray(m.statuses);
      case 'roles':
        return isStr(m.packageId) && Array.isArray(m.roles) && isStr(m.explanation);
      case 'review':
        return isReviewEvent(m.event);
      case 'overview':
        return isOverviewEvent(m.event);
      default:
        return isAccessEvent(m) || isDetailsEvent(m);
    }
  })();
  return ok ? (m as unknown as WorkerEvent) : null;
}
