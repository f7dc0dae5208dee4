// What "Apply review" sends: the assignments decided remove that still exist, leaving out those whose
// removal was already sent (pending) or accepted (done), so applying twice sends nothing twice; a failed one
// is included again (its retry). No DOM: tested in node.
import type { ViewRow } from '../../core/model';
import { removalsToApply, type Review } from '../../core/review/model';
import type { ActionEntry } from '../../messages';
import { planRemoval, type RemovalPlan } from '../actions/status';

export function planApply(
  review: Review,
  viewRows: readonly ViewRow[],
  shownIds: ReadonlySet<string>,
  resultFor: (row: ViewRow) => ActionEntry | null | undefined,
): RemovalPlan {
  const byId = new Map(viewRows.map((r) => [r.id, r]));
  const rows = removalsToApply(review, new Set(byId.keys()))
    .map((id) => byId.get(id)!)
    .filter((r) => {
      const result = resultFor(r)?.result;
      return result !== 'pending' && result !== 'done';
    });
  return planRemoval(rows, shownIds);
}
