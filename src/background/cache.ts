// Caches in IndexedDB (100,000 rows exceed storage.local's quota): the last list per package, shown at once
// on reopen while a refresh runs, the users' account and sign-in data per tenant, with its age, and the
// overview's last complete scope.
import { createStore, get, set, del, clear, type UseStore } from 'idb-keyval';
import type { PackageInfo, PolicyInfo, Row, SignInAvailability, UserInfo } from '../core/model';
import type { ScopeStorage, StoredScope } from './overview/service';

export interface CachedList {
  info: PackageInfo;
  policies: PolicyInfo[];
  rows: Row[];
  fetchedAt: string;
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

/** The overview's last complete scope (one: a tenant of a million rows is large), for the next worker. */
export const overviewCache: ScopeStorage = {
  get: () => get<StoredScope>('overview', db()),
  put: (v) => set('overview', v, db()),
  drop: () => del('overview', db()),
};

/** Sign out forgets every cached list and user: they were read with the admin's token. */
export const clearCaches = (): Promise<void> => clear(db());
