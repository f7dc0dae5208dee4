// The wire form of the two bulk events of a load, `rows` and `users`: the list as one JSON string instead of
// an array of objects. An extension port copies a message object property by property on both sides; for
// 100,000 rows of 15 fields that was the worker's largest cost after the network in the load profile (and an
// unattributed share of the page's). One string crosses as one value; JSON.parse on the panel side is the
// engine's fastest way to rebuild the objects. The panel's parser (panel/worker-events.ts) turns a packed
// event back into the ordinary `rows` / `users` event, with the same shape checks, so nothing else changes.
import type { Row, UserInfo } from '../core/model';

export interface PackedRows {
  type: 'rows-packed';
  loadId: string;
  /** JSON of Row[] */
  json: string;
}

export interface PackedUsers {
  type: 'users-packed';
  loadId: string;
  /** JSON of UserInfo[] */
  json: string;
}

export type PackedEvent = PackedRows | PackedUsers;

export const packRows = (loadId: string, rows: readonly Row[]): PackedRows => ({ type: 'rows-packed', loadId, json: JSON.stringify(rows) });
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
  return { type: msg.type === 'rows-packed' ? 'rows' : 'users', loadId: msg.loadId, list };
}
