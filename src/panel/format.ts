// Small text helpers for what the admin reads in the panel.
import type { MissingPart } from '../core/model';

/** Groups failed pages by partition so the admin reads "policy Sales, state delivered: 2 pages". */
export function groupMissing(missing: readonly MissingPart[]): { partition: string; parts: MissingPart[] }[] {
  const groups = new Map<string, MissingPart[]>();
  for (const m of missing) {
    const list = groups.get(m.partition);
    if (list) list.push(m);
    else groups.set(m.partition, [m]);
  }
  return [...groups].map(([partition, parts]) => ({ partition, parts }));
}
