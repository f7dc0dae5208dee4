// The package panel's bulk filters: one dropdown filter per facet (components/DropdownFilter.tsx) with live
// counts (within a facet OR, across facets AND). The bar takes one line, so the table keeps its height.
import type { JSX } from 'preact';
import { FACET_IDS, type FacetCounts, type FacetId, type FacetValues, type FilterState } from '../../core/filters';
import { t } from '../i18n';
import { facetTestId } from '../testids';
import { facetName, facetValueText } from '../words';
import { DropdownFilter, useOpenFilter, type FilterOption } from './DropdownFilter';

export interface FacetsProps {
  facets: FacetValues;
  counts: FacetCounts;
  filter: FilterState;
  onToggle(facet: FacetId, value: string): void;
}

type Value = { value: string; label: string };

/** The facet's values, with a ticked value the current rows no longer have kept so it can be unticked. */
function valuesOf(facets: FacetValues, id: FacetId, selected: readonly string[]): Value[] {
  const values = [...facets[id]];
  for (const v of selected) if (!values.some((x) => x.value === v)) values.push({ value: v, label: v });
  return values;
}

export function Facets({ facets, counts, filter, onToggle }: FacetsProps): JSX.Element {
  const [open, setOpen] = useOpenFilter<FacetId>();
  return (
    <div class="filters" role="group" aria-label={t('facets_label')}>
      {FACET_IDS.map((id) => {
        const selected = filter.facets[id] ?? [];
        const values = valuesOf(facets, id, selected);
        if (values.length === 0) return null;
        const textOf = (v: string): string => facetValueText(id, v, values.find((x) => x.value === v)?.label ?? v);
        const options = (): FilterOption[] =>
          values.map(({ value, label }) => {
            const text = facetValueText(id, value, label);
            return {
              value,
              text,
              title: text === value || !value ? text : t('words_graphValue', { text, value }),
              count: counts[id]?.[value] ?? 0,
              checked: selected.includes(value),
            };
          });
        return (
          <DropdownFilter
            key={id}
            id={id}
            testid={facetTestId(id)}
            name={facetName(id)}
            selected={selected.map(textOf)}
            open={open === id}
            onOpen={setOpen(id)}
            options={options}
            onToggle={(v) => onToggle(id, v)}
          />
        );
      })}
    </div>
  );
}
