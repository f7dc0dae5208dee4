// The active filter as removable chips (one per ticked value, and the search), one-click clear, and copy / paste of
// the filter as a short string.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { FACET_IDS, describeFilter, isEmptyFilter, parseFilter, serializeFilter, type FacetId, type FacetValues, type FilterState } from '../../core/filters';
import { t } from '../i18n';
import { TESTIDS } from '../testids';
import { facetName, facetValueText } from '../words';
import { Icon } from '../icons/Icon';

export interface FilterBarProps {
  filter: FilterState;
  facets: FacetValues;
  onApply(filter: FilterState): void;
  onClear(): void;
  /** Unticks one value (a chip's remove button). */
  onRemoveValue?(facet: FacetId, value: string): void;
  onClearSearch?(): void;
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
      setMsg({ kind: 'info', text: t('filter_copied') });
    } catch {
      // The page may block clipboard access: the string stays visible to copy by hand.
      setMsg({ kind: 'info', text: t('filter_copyBelow') });
    }
  };

  const apply = (): void => {
    const parsed = parseFilter(pasteText.trim());
    if (!parsed) {
      setMsg({ kind: 'error', text: t('filter_notAFilter') });
      return;
    }
    props.onApply(parsed);
    setPasting(false);
    setPasteText('');
    setMsg({ kind: 'info', text: t('filter_applied', { filter: describeFilter(parsed, props.facets) }) });
  };

  return (
    <div class="filter-line">
      <span class="active" data-testid={TESTIDS.activeFilter} data-empty={String(empty)} title={empty ? undefined : describeFilter(filter, props.facets)}>
        {empty ? t('filter_none') : <span class="visually-hidden">{t('filter_activeLabel')}</span>}
      </span>
      {filter.search !== '' ? (
        <span class="chip" data-testid={TESTIDS.filterChip} data-facet="search">
          {t('filter_searchChip', { text: filter.search })}
          {props.onClearSearch ? (
            <button type="button" class="chip-remove" aria-label={t('filter_removeSearch')} onClick={props.onClearSearch}>
              <Icon name="dismiss" size={12} />
            </button>
          ) : null}
        </span>
      ) : null}
      {FACET_IDS.flatMap((id) =>
        (filter.facets[id] ?? []).map((value) => {
          const label = props.facets[id]?.find((v) => v.value === value)?.label ?? value;
          const text = t('filter_chip', { facet: facetName(id), value: facetValueText(id, value, label) });
          return (
            <span key={`${id}:${value}`} class="chip" data-testid={TESTIDS.filterChip} data-facet={id} data-value={value}>
              {text}
              {props.onRemoveValue ? (
                <button type="button" class="chip-remove" aria-label={t('filter_remove', { filter: text })} onClick={() => props.onRemoveValue!(id, value)}>
                  <Icon name="dismiss" size={12} />
                </button>
              ) : null}
            </span>
          );
        }),
      )}
      <button type="button" class="subtle" data-testid={TESTIDS.clearFilters} disabled={empty} onClick={props.onClear}>
        {t('filter_clear')}
      </button>
      <button type="button" class="subtle" data-testid={TESTIDS.copyFilter} disabled={empty} onClick={() => void copy()}>
        {t('filter_copy')}
      </button>
      <button
        type="button"
        class="subtle"
        data-testid={TESTIDS.pasteFilter}
        data-closes-on-escape
        aria-expanded={pasting}
        onClick={() => {
          setPasting(!pasting);
          setMsg(null);
        }}
      >
        {t('filter_paste')}
      </button>
      {copied !== null ? (
        <input type="text" readOnly value={copied} aria-label={t('filter_string')} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
      ) : null}
      {pasting ? (
        <span>
          <input
            type="text"
            value={pasteText}
            placeholder={t('filter_pastePlaceholder')}
            aria-label={t('filter_pasteLabel')}
            data-testid={TESTIDS.filterInput}
            onInput={(e) => setPasteText((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') apply();
            }}
          />{' '}
          <button type="button" data-testid={TESTIDS.applyFilter} onClick={apply}>
            {t('filter_apply')}
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
