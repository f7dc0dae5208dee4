// What "Apply review" sends: the assignments decided remove that still exist, leaving out those whose
// removal was already sent (pending) or accepted (done), so applying twice sends nothing twice; a failed one
// is included again (its retry). No DOM: tested in node.
import type { ViewRow } from '../../core/model';
import type { ActionEntry } from '../../messages';
import { planRemoval, type RemovalPlan } from '../actions/status';

/** The rows to remove: of the ids decided `remove`, those listed now and not already sent or accepted. */
export function rowsToApply(
  removeIds: readonly string[],
  rowById: (id: string) => ViewRow | undefined,
  resultFor: (row: ViewRow) => ActionEntry | null | undefined,
): ViewRow[] {
  const rows: ViewRow[] = [];
  for (const id of removeIds) {
    const r = rowById(id);
    if (!r) continue;
    const result = resultFor(r)?.result;
    if (result !== 'pending' && result !== 'done') rows.push(r);
  }
  return rows;
}

export function planApply(
  removeIds: readonly string[],
  rowById: (id: string) => ViewRow | undefined,
  shownIds: ReadonlySet<string>,
  resultFor: (row: ViewRow) => ActionEntry | null | undefined,
): RemovalPlan {
  return planRemoval(rowsToApply(removeIds, rowById, resultFor), shownIds);
}
