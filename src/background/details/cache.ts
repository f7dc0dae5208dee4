// The package's assignment requests kept beside its assignment list (same IndexedDB store, so signing out
// clears both): opening details on a cached package needs no Graph request for this part.
import { createStore, get, set, type UseStore } from 'idb-keyval';
import type { RequestInfo } from '../../core/assignment-requests';

export interface CachedRequests {
  requests: RequestInfo[];
  fetchedAt: string;
}

let store: UseStore | null = null;
const db = (): UseStore => (store ??= createStore('assignments-overlay', 'cache'));

export const requestCache = {
  get: (scope: string, packageId: string) => get<CachedRequests>(`requests:${scope}:${packageId}`, db()),
  put: (scope: string, packageId: string, v: CachedRequests) => set(`requests:${scope}:${packageId}`, v, db()),
};
