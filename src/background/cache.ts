// Caches in IndexedDB (100,000 rows exceed storage.local's quota): the last list per package, shown at once
// on reopen while a refresh runs, the users' account and sign-in data per tenant, with its age, the
// overview's last complete scope, and the parts of its load in progress.
import { createStore, get, getMany, set, del, delMany, clear, promisifyRequest, type UseStore } from 'idb-keyval';
import type { StoreSnapshot } from '../core/overview/store';
import type { LoadCheckpoint } from './overview/checkpoint';
import type { PackageInfo, PolicyInfo, Row, SignInAvailability, UserInfo } from '../core/model';
import type { ScopeStorage, StoredScope } from './overview/service';

export interface CachedList {
  info: PackageInfo;
  policies: PolicyInfo[];
  rows: Row[];
  fetchedAt: string;
  /** What the listing noticed (core/notes.ts), shown again with the cached list; absent in older entries. */
  notes?: string[];
}

export interface CachedUsers {
  /** user id → info and the time it was fetched (ms) */
  users: Record<string, { info: UserInfo; at: number }>;
  availability: SignInAvailability;
}

let store: UseStore | null = null;
const db = (): UseStore => (store ??= createStore('assignments-overlay', 'cache'));

export const listCache = {
  get: (scope: string, packageId: string) => get<CachedList>(`list:${scope}:${packageId}`, db()),
  put: (scope: string, packageId: string, v: CachedList) => set(`list:${scope}:${packageId}`, v, db()),
  drop: (scope: string, packageId: string) => del(`list:${scope}:${packageId}`, db()),
};

export const userCache = {
  get: (scope: string) => get<CachedUsers>(`users:${scope}`, db()),
  put: (scope: string, v: CachedUsers) => set(`users:${scope}`, v, db()),
};

const SCOPE = 'overview';
const ABOUT = 'overview-about';
const LOAD = 'overview-load';
const PART = (k: number): string => `${LOAD}:${k}`;
/** Every part's key, and not the checkpoint's (LOAD, a prefix of them all, sorts before the range). */
const PARTS = (): IDBKeyRange => IDBKeyRange.bound(`${LOAD}:`, `${LOAD}:\uffff`);

/**
 * The overview's last complete scope (one: a tenant of a million rows is large), for the next worker, and the
 * parts of the load in progress with their checkpoint, each written with it in one transaction.
 */
export const overviewCache: ScopeStorage = {
  about: () => get<Pick<StoredScope, 'account' | 'scope' | 'fetchedAt'>>(ABOUT, db()),
  get: () => get<StoredScope>(SCOPE, db()),
  put: (v) =>
    db()('readwrite', (s) => {
      s.put(v, SCOPE);
      s.put({ account: v.account, scope: v.scope, fetchedAt: v.fetchedAt }, ABOUT);
      return promisifyRequest(s.transaction);
    }),
  drop: () => delMany([SCOPE, ABOUT], db()),
  putPart: (index, part, checkpoint) =>
    db()('readwrite', (s) => {
      if (index === 0) s.delete(PARTS());
      s.put(part, PART(index));
      s.put(checkpoint, LOAD);
      return promisifyRequest(s.transaction);
    }),
  getCheckpoint: () => get<LoadCheckpoint>(LOAD, db()),
  getParts: async (count) => {
    const parts = await getMany<StoreSnapshot | undefined>(Array.from({ length: count }, (_, k) => PART(k)), db());
    return parts.every((p) => p !== undefined) ? (parts as StoreSnapshot[]) : undefined;
  },
  dropParts: () =>
    db()('readwrite', (s) => {
      s.delete(PARTS());
      s.delete(LOAD);
      return promisifyRequest(s.transaction);
    }),
};

/** Sign out forgets every cached list and user: they were read with the admin's token. */
export const clearCaches = (): Promise<void> => clear(db());
