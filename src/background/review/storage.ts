// Where reviews live: IndexedDB of the extension (never the portal page's storage), in a database of their
// own so the list caches' database (and sign-out clearing it) never touches a review. Keys: the open review
// per package, finished reviews (archive) and the baseline list of "changes since the last review".
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { ListSnapshot } from '../../core/review/diff';
import type { Review } from '../../core/review/model';

export interface ReviewStorage {
  getOpen(packageId: string): Promise<Review | undefined>;
  putOpen(review: Review): Promise<void>;
  dropOpen(packageId: string): Promise<void>;
  archive(review: Review): Promise<void>;
  getBaseline(packageId: string): Promise<ListSnapshot | undefined>;
  putBaseline(snapshot: ListSnapshot): Promise<void>;
}

let store: UseStore | null = null;
const db = (): UseStore => (store ??= createStore('assignments-overlay-reviews', 'reviews'));

export const idbReviewStorage: ReviewStorage = {
  getOpen: (packageId) => get<Review>(`open:${packageId.toLowerCase()}`, db()),
  putOpen: (review) => set(`open:${review.packageId.toLowerCase()}`, review, db()),
  dropOpen: (packageId) => del(`open:${packageId.toLowerCase()}`, db()),
  archive: (review) => set(`archive:${review.packageId.toLowerCase()}:${review.id}`, review, db()),
  getBaseline: (packageId) => get<ListSnapshot>(`baseline:${packageId.toLowerCase()}`, db()),
  putBaseline: (snapshot) => set(`baseline:${snapshot.packageId.toLowerCase()}`, snapshot, db()),
};
