// The active filter in words, one-click clear, and copy / paste of the filter as a short string.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { describeFilter, isEmptyFilter, parseFilter, serializeFilter, type FacetValues, type FilterState } from '../../core/filters';
import { TESTIDS } from '../testids';

export interface FilterBarProps {
  filter: FilterState;
  facets: FacetValues;
  onApply(filter: FilterState): void;
  onClear(): void;
  /** Writes text to the clipboard; rejects where the page does not allow it. */
  writeClipboard?(text: string): Promise<void>;
}

type Msg = { kind: 'info' | 'error'; text: string };

const defaultClipboard = (text: string): Promise<void> =>
  typeof navigator !== 'undefined' && navigator.clipboard
    ? navigator.clipboard.writeText(text)
    : Promise.reject(new Error('no clipboard'));

export function FilterBar(props: FilterBarProps): JSX.Element {
  const { filter } = props;
  const [pasting, setPasting] = useState(false);
  const [pasteText, setPasteText] = useState('');
  const [copied, setCopied] = useState<string | null>(null);
  const [msg, setMsg] = useState<Msg | null>(null);
  const empty = isEmptyFilter(filter);
  // A copied string describes the filter of that moment: hide it once the filter changes.
  useEffect(() => setCopied(null), [filter]);

  const copy = async (): Promise<void> => {
    const text = serializeFilter(filter);
    setCopied(text);
    try {
      await (props.writeClipboard ?? defaultClipboard)(text);
      setMsg({ kind: 'info', text: 'Filter copied to the clipboard.' });
    } catch {
      // The page may block clipboard access: the string stays visible to copy by hand.
      setMsg({ kind: 'info', text: 'Copy the filter string below.' });
    }
  };

  const apply = (): void => {
    const parsed = parseFilter(pasteText.trim());
    if (!parsed) {
      setMsg({ kind: 'error', text: 'That is not a filter string copied from this panel; nothing was changed.' });
      return;
    }
    props.onApply(parsed);
    setPasting(false);
    setPasteText('');
    setMsg({ kind: 'info', text: `Filter applied: ${describeFilter(parsed, props.facets)}.` });
  };

  return (
    <div class="filter-line">
      <span class="active" data-testid={TESTIDS.activeFilter} data-empty={String(empty)}>
        {empty ? 'No filter: all rows.' : `Filter: ${describeFilter(filter, props.facets)}`}
      </span>
      <button type="button" data-testid={TESTIDS.clearFilters} disabled={empty} onClick={props.onClear}>
        Clear filters
      </button>
      <button type="button" data-testid={TESTIDS.copyFilter} disabled={empty} onClick={() => void copy()}>
        Copy filter
      </button>
      <button
        type="button"
        data-testid={TESTIDS.pasteFilter}
        aria-expanded={pasting}
        onClick={() => {
          setPasting(!pasting);
          setMsg(null);
        }}
      >
        Paste filter
      </button>
      {copied !== null ? (
        <input type="text" readOnly value={copied} aria-label="Filter string" onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
      ) : null}
      {pasting ? (
        <span>
          <input
            type="text"
            value={pasteText}
            placeholder="Paste a filter string"
            aria-label="Filter string to apply"
            data-testid={TESTIDS.filterInput}
            onInput={(e) => setPasteText((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') apply();
            }}
          />{' '}
          <button type="button" data-testid={TESTIDS.applyFilter} onClick={apply}>
            Apply
          </button>
        </span>
      ) : null}
      {msg ? (
        <span role="status" class={msg.kind === 'error' ? 'message-error' : undefined} data-testid={TESTIDS.filterMessage} data-kind={msg.kind}>
          {msg.text}
        </span>
      ) : null}
    </div>
  );
}
