// Bulk filters: one multi-select per facet with live counts (within a facet OR, across facets AND).
import type { JSX } from 'preact';
import { FACET_IDS, type FacetCounts, type FacetId, type FacetValues, type FilterState } from '../../core/filters';
import { formatCount, t, tn } from '../i18n';
import { TESTIDS, facetTestId } from '../testids';
import { facetName, facetValueText } from '../words';

export interface FacetsProps {
  facets: FacetValues;
  counts: FacetCounts;
  filter: FilterState;
  onToggle(facet: FacetId, value: string): void;
}

export function Facets({ facets, counts, filter, onToggle }: FacetsProps): JSX.Element {
  return (
    <div class="filters" role="group" aria-label={t('facets_label')}>
      {FACET_IDS.map((id) => {
        const selected = filter.facets[id] ?? [];
        // A ticked value the current rows no longer have stays visible so it can be unticked.
        const values = [...facets[id]];
        for (const v of selected) if (!values.some((x) => x.value === v)) values.push({ value: v, label: v });
        if (values.length === 0) return null;
        return (
          <fieldset key={id} class="facet" data-testid={facetTestId(id)} aria-label={t('facets_filterBy', { facet: facetName(id) })}>
            <legend>{facetName(id)}</legend>
            {values.map(({ value, label }) => {
              const count = counts[id]?.[value] ?? 0;
              const checked = selected.includes(value);
              const text = facetValueText(id, value, label);
              return (
                <label
                  key={value}
                  class={count === 0 && !checked ? 'zero' : undefined}
                  data-testid={TESTIDS.facetOption}
                  data-value={value}
                  data-count={String(count)}
                  data-checked={String(checked)}
                >
                  <input type="checkbox" checked={checked} onChange={() => onToggle(id, value)} />
                  <span class="label" title={text === value || !value ? text : t('words_graphValue', { text, value })}>
                    {text}
                  </span>
                  <span class="count" aria-label={tn('facets_rows', count)}>
                    {formatCount(count)}
                  </span>
                </label>
              );
            })}
          </fieldset>
        );
      })}
    </div>
  );
}
