// The cells of one table row, re-rendered only when what they show changes (the row, its selection, the
// columns). Scrolling moves rows to other positions and a keystroke keeps many of the same rows on screen:
// the row's position is its container's business (Table.tsx), so those rows cost Preact no diff of their
// cells. Handlers are stable functions that read the table's current state, so a row that was not
// re-rendered never acts on an old list.
import { Component, type JSX } from 'preact';
import type { ViewRow } from '../../core/model';
import type { Column } from '../../core/sort';
import type { RowAddon } from '../toolbar';
import { TESTIDS } from '../testids';
import { openDetails } from '../details/open';
import { t } from '../i18n';
import { cellWords, staleReasonsText } from '../words';

export interface RowCellsProps {
  row: ViewRow;
  columns: readonly Column[];
  /** each cell's inline width (the checkbox's first), from the table, changing only with the columns */
  widths: readonly string[];
  selected: boolean;
  addons: readonly RowAddon[];
  /** checkbox click: a shift-click selects the range from the last clicked row (and prevents the toggle) */
  onCheckClick(e: MouseEvent, row: ViewRow, selected: boolean): void;
  onToggle(id: string): void;
}

function cellClass(k: number, key: Column['key']): string | undefined {
  const reasons = key === 'stale' ? 'reasons' : '';
  return k === 0 ? `lead ${reasons}`.trim() : reasons || undefined;
}

export class RowCells extends Component<RowCellsProps> {
  override shouldComponentUpdate(next: RowCellsProps): boolean {
    const p = this.props;
    return next.row !== p.row || next.selected !== p.selected || next.columns !== p.columns || next.widths !== p.widths || next.addons !== p.addons;
  }

  override render(): JSX.Element {
    const { row, columns, widths, selected, addons } = this.props;
    const stale = row.staleReasons.length > 0;
    const name = row.displayName || row.principalName || row.email || row.id;
    return (
      <>
        <div role="gridcell" style={widths[0]}>
          <input
            type="checkbox"
            tabIndex={-1}
            checked={selected}
            aria-label={t('table_selectRow', { name })}
            data-testid={TESTIDS.rowSelect}
            onClick={(e: MouseEvent) => this.props.onCheckClick(e, this.props.row, this.props.selected)}
            onChange={() => this.props.onToggle(this.props.row.id)}
          />
        </div>
        {columns.map((c, k) => {
          const { text, title: plain } = cellWords(c.key, row);
          // The reasons column may be scrolled out of view: the first cell names them too.
          const title = k === 0 && stale ? t('table_staleTitle', { text, reasons: staleReasonsText(row.staleReasons) }) : plain;
          return (
            <div key={c.key} role="gridcell" class={cellClass(k, c.key)} style={widths[k + 1]} title={title || undefined}>
              {k === 0 ? addons.map((Addon, n) => <Addon key={n} row={row} />) : null}
              {c.key === 'displayName' ? (
                <span class="open-details" role="link" aria-label={t('table_openDetails', { name })} data-testid="row-open-details" onClick={() => openDetails(row.id)}>
                  {text || <span class="no-name">{t('table_noName')}</span>}
                </span>
              ) : (
                text
              )}
            </div>
          );
        })}
      </>
    );
  }
}
