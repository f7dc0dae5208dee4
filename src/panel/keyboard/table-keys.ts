// The table's keyboard path, as pure decisions: arrow keys move between rows, Shift+arrows extend the
// selection, Space selects, Enter opens the row's details, PageUp/PageDown/Home/End jump.
export type TableKeyAction =
  | { kind: 'move'; to: number }
  /** Move to `to` and select every row from `from` (the extension's anchor) to `to`. */
  | { kind: 'extend'; from: number; to: number }
  | { kind: 'toggle'; index: number }
  | { kind: 'open'; index: number };

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export interface TableCursor {
  /** The focused row. */
  index: number;
  count: number;
  /** Rows in one page of the viewport. */
  page: number;
  /** Where a Shift+arrow extension started (null: it starts at `index`). */
  anchor: number | null;
}

const clamp = (i: number, count: number): number => Math.max(0, Math.min(count - 1, i));

export function tableKeyAction(e: KeyInput, c: TableCursor): TableKeyAction | null {
  if (c.count === 0 || e.ctrlKey || e.metaKey || e.altKey) return null;
  const steps: Record<string, number> = {
    ArrowDown: 1,
    ArrowUp: -1,
    PageDown: c.page,
    PageUp: -c.page,
    Home: -c.count,
    End: c.count,
  };
  const step = steps[e.key];
  if (step !== undefined) {
    const to = clamp(c.index + step, c.count);
    return e.shiftKey ? { kind: 'extend', from: c.anchor ?? c.index, to } : { kind: 'move', to };
  }
  if (e.key === ' ' && !e.shiftKey) return { kind: 'toggle', index: c.index };
  if (e.key === 'Enter' && !e.shiftKey) return { kind: 'open', index: c.index };
  return null;
}
