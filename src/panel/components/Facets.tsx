// Bulk filters: one multi-select per facet with live counts (within a facet OR, across facets AND).
import type { JSX } from 'preact';
import { FACET_IDS, FACET_LABELS, type FacetCounts, type FacetId, type FacetValues, type FilterState } from '../../core/filters';
import { TESTIDS, facetTestId } from '../testids';

export interface FacetsProps {
  facets: FacetValues;
  counts: FacetCounts;
  filter: FilterState;
  onToggle(facet: FacetId, value: string): void;
}

const HEADINGS: Readonly<Record<FacetId, string>> = {
  state: 'State',
  policy: 'Policy',
  kind: 'Member / guest',
  account: 'Account',
  signIn: 'Sign-in age',
  expiry: 'Expiry',
  connectedOrg: 'Connected organisation',
  stale: 'Stale reason',
  decision: 'Review decision',
  change: 'Since the last review',
};

export function Facets({ facets, counts, filter, onToggle }: FacetsProps): JSX.Element {
  return (
    <div class="filters" role="group" aria-label="Filters">
      {FACET_IDS.map((id) => {
        const selected = filter.facets[id] ?? [];
        // A ticked value the current rows no longer have stays visible so it can be unticked.
        const values = [...facets[id]];
        for (const v of selected) if (!values.some((x) => x.value === v)) values.push({ value: v, label: v || '(none)' });
        if (values.length === 0) return null;
        return (
          <fieldset key={id} class="facet" data-testid={facetTestId(id)} aria-label={`Filter by ${FACET_LABELS[id]}`}>
            <legend>{HEADINGS[id]}</legend>
            {values.map(({ value, label }) => {
              const count = counts[id]?.[value] ?? 0;
              const checked = selected.includes(value);
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
                  <span class="label" title={label}>
                    {label}
                  </span>
                  <span class="count" aria-label={`${count} rows`}>
                    {count.toLocaleString('en-US')}
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
