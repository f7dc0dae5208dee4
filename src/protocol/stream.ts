// The wire form of the two bulk events of a load, `rows` and `users`: the list as one JSON string instead of
// an array of objects. An extension port copies a message object property by property on both sides; for
// 100,000 rows of 15 fields that was the worker's largest cost after the network in the load profile (and an
// unattributed share of the page's). One string crosses as one value; JSON.parse on the panel side is the
// engine's fastest way to rebuild the objects. The panel's parser (panel/worker-events.ts) turns a packed
// event back into the ordinary `rows` / `users` event, with the same shape checks, so nothing else changes.
//
// A row or a user travels as an array of its fields (ROW_FIELDS, USER_FIELDS order), not as an object: a row's 17
// key names were a third of the text and a user's 9 half of it, which the worker writes, the port escapes and
// copies again, and the panel reads.
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

/** A user's fields in the order a packed user lists them: every key of UserInfo once (checked as for rows). */
export const USER_FIELDS = [
  'id', 'deleted', 'accountEnabled', 'userType', 'externalUserState', 'createdDateTime', 'lastSuccessfulSignIn',
  'lastSignIn', 'lastNonInteractiveSignIn',
] as const satisfies ReadonlyArray<keyof UserInfo>;
type UncoveredUser = Exclude<keyof UserInfo, (typeof USER_FIELDS)[number]>;
const everyUserField: [UncoveredUser] extends [never] ? true : UncoveredUser = true;
void everyUserField;

function fieldsOf<T>(x: T, fields: ReadonlyArray<keyof T>): unknown[] {
  const out = new Array<unknown>(fields.length);
  for (let i = 0; i < fields.length; i++) out[i] = x[fields[i]];
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

/** The user a packed array lists (a literal, as rowOf). */
function userOf(a: unknown): unknown {
  if (!Array.isArray(a)) return a;
  return {
    id: a[0], deleted: a[1], accountEnabled: a[2], userType: a[3], externalUserState: a[4], createdDateTime: a[5],
    lastSuccessfulSignIn: a[6], lastSignIn: a[7], lastNonInteractiveSignIn: a[8],
  };
}

export interface PackedUsers {
  type: 'users-packed';
  loadId: string;
  /** JSON of the users as arrays of their fields in USER_FIELDS order */
  json: string;
}

export type PackedEvent = PackedRows | PackedUsers;

export const packRows = (loadId: string, rows: readonly Row[]): PackedRows => ({ type: 'rows-packed', loadId, json: JSON.stringify(rows.map((r) => fieldsOf(r, ROW_FIELDS))) });
export const packUsers = (loadId: string, users: readonly UserInfo[]): PackedUsers => ({ type: 'users-packed', loadId, json: JSON.stringify(users.map((u) => fieldsOf(u, USER_FIELDS))) });

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
  return { type: 'users', loadId: msg.loadId, list: list.map(userOf) };
}
