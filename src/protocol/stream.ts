// The wire form of the two bulk events of a load, `rows` and `users`: the list as one JSON string instead of
// an array of objects. An extension port copies a message object property by property on both sides; for
// 100,000 rows of 15 fields that was the worker's largest cost after the network in the load profile (and an
// unattributed share of the page's). One string crosses as one value; JSON.parse on the panel side is the
// engine's fastest way to rebuild the objects. The panel's parser (panel/worker-events.ts) turns a packed
// event back into the ordinary `rows` / `users` event, with the same shape checks, so nothing else changes.
//
// A row travels as an array of its fields in ROW_FIELDS order, not as an object: its 17 key names were a third
// of the text, which the worker writes, the port escapes and copies again, and the panel reads.
import type { Row, UserInfo } from '../core/model';

export interface PackedRows {
  type: 'rows-packed';
  loadId: string;
  /** JSON of the rows as arrays of their fields in ROW_FIELDS order */
  json: string;
}

/** A row's fields in the order a packed row lists them: every key of Row once (checked by the type below). */
export const ROW_FIELDS = [
  'id', 'state', 'status', 'policyId', 'policyName', 'start', 'expiry', 'subjectId', 'objectId', 'displayName',
  'principalName', 'email', 'subjectType', 'connectedOrgId', 'connectedOrgName', 'expired', 'callouts',
] as const satisfies ReadonlyArray<keyof Row>;
type Uncovered = Exclude<keyof Row, (typeof ROW_FIELDS)[number]>;
// Fails to compile when Row gains a field that ROW_FIELDS (and rowOf below) do not carry.
const everyRowField: [Uncovered] extends [never] ? true : Uncovered = true;
void everyRowField;

function fieldsOf(r: Row): unknown[] {
  const out = new Array<unknown>(ROW_FIELDS.length);
  for (let i = 0; i < ROW_FIELDS.length; i++) out[i] = r[ROW_FIELDS[i]];
  return out;
}

/**
 * The row a packed array lists (a literal, so every row gets the same shape). An absent `expired` arrives as
 * null, which every reader takes alike (`?? null`); an absent `callouts` stays absent. Anything but an array
 * is left to the shape check.
 */
function rowOf(a: unknown): unknown {
  if (!Array.isArray(a)) return a;
  return {
    id: a[0], state: a[1], status: a[2], policyId: a[3], policyName: a[4], start: a[5], expiry: a[6], subjectId: a[7],
    objectId: a[8], displayName: a[9], principalName: a[10], email: a[11], subjectType: a[12], connectedOrgId: a[13],
    connectedOrgName: a[14], expired: a[15], callouts: a[16] ?? undefined,
  };
}

export interface PackedUsers {
  type: 'users-packed';
  loadId: string;
  /** JSON of UserInfo[] */
  json: string;
}

export type PackedEvent = PackedRows | PackedUsers;

export const packRows = (loadId: string, rows: readonly Row[]): PackedRows => ({ type: 'rows-packed', loadId, json: JSON.stringify(rows.map(fieldsOf)) });
export const packUsers = (loadId: string, users: readonly UserInfo[]): PackedUsers => ({ type: 'users-packed', loadId, json: JSON.stringify(users) });

/** The list a packed event carries, or null when it is not a packed event or its text is not a JSON array. */
export function unpack(msg: Record<string, unknown>): { type: 'rows' | 'users'; loadId: string; list: unknown[] } | null {
  if ((msg.type !== 'rows-packed' && msg.type !== 'users-packed') || typeof msg.loadId !== 'string' || typeof msg.json !== 'string') return null;
  let list: unknown;
  try {
    list = JSON.parse(msg.json);
  } catch {
    return null;
  }
  if (!Array.isArray(list)) return null;
  if (msg.type === 'rows-packed') return { type: 'rows', loadId: msg.loadId, list: list.map(rowOf) };
  return { type: 'users', loadId: msg.loadId, list };
}
