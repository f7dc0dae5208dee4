// Which columns the table shows (remembered in panelPrefs). At least one column always stays visible.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Column, ColumnKey } from '../../core/sort';
import { t } from '../i18n';
import { TESTIDS } from '../testids';
import { columnName } from '../words';

export interface ColumnChooserProps {
  columns: readonly Column[];
  hidden: readonly string[];
  onChange(hidden: ColumnKey[]): void;
}

export function ColumnChooser({ columns, hidden, onChange }: ColumnChooserProps): JSX.Element {
  const [open, setOpen] = useState(false);
  const visibleCount = columns.filter((c) => !hidden.includes(c.key)).length;
  return (
    <>
      <button type="button" data-testid={TESTIDS.columnChooser} data-closes-on-escape aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('columns_button')}
      </button>
      {open ? (
        <div class="columns-menu" role="group" aria-label={t('columns_label')}>
          {columns.map((c) => {
            const shown = !hidden.includes(c.key);
            return (
              <label key={c.key} data-testid={TESTIDS.columnOption} data-column={c.key}>
                <input
                  type="checkbox"
                  checked={shown}
                  disabled={shown && visibleCount === 1}
                  onChange={() =>
                    onChange(
                      columns
                        .map((x) => x.key)
                        .filter((k) => (k === c.key ? shown : hidden.includes(k))),
                    )
                  }
                />
                {columnName(c.key)}
              </label>
            );
          })}
        </div>
      ) : null}
    </>
  );
}
