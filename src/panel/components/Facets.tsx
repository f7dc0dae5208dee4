// Bulk filters as a compact bar of dropdown filters, as the admin center's own list pages have them: one
// button per facet ("State: Delivered +1"), which opens that facet's values with live counts (within a facet
// OR, across facets AND). One menu is open at a time; it closes on Escape (panel-keys), on its button, and on
// a click elsewhere in the panel. The bar takes one line, so the table keeps its height.
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
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

type Value = { value: string; label: string };

/** The facet's values, with a ticked value the current rows no longer have kept so it can be unticked. */
function valuesOf(facets: FacetValues, id: FacetId, selected: readonly string[]): Value[] {
  const values = [...facets[id]];
  for (const v of selected) if (!values.some((x) => x.value === v)) values.push({ value: v, label: v });
  return values;
}

/** What the button says: the facet, and while it filters, its first ticked value and how many more. */
function buttonText(id: FacetId, values: readonly Value[], selected: readonly string[]): string {
  if (selected.length === 0) return facetName(id);
  const first = values.find((v) => v.value === selected[0]);
  const text = facetValueText(id, selected[0], first?.label ?? selected[0]);
  return selected.length === 1
    ? t('facets_button_one', { facet: facetName(id), value: text })
    : t('facets_button_more', { facet: facetName(id), value: text, more: formatCount(selected.length - 1) });
}

function Options(props: { id: FacetId; values: readonly Value[]; counts: FacetCounts; selected: readonly string[]; onToggle: FacetsProps['onToggle'] }): JSX.Element {
  const { id, values, counts, selected } = props;
  const menu = useRef<HTMLDivElement>(null);
  const [alignEnd, setAlignEnd] = useState(false);
  // A menu that would cross the panel's right edge opens leftwards from its button's right edge instead.
  useLayoutEffect(() => {
    const el = menu.current;
    const frame = el?.closest('.panel');
    if (el && frame && el.getBoundingClientRect().right > frame.getBoundingClientRect().right) setAlignEnd(true);
  }, []);
  return (
    <div class={alignEnd ? 'facet-menu align-end' : 'facet-menu'} ref={menu} role="group" aria-label={t('facets_filterBy', { facet: facetName(id) })}>
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
            <input type="checkbox" checked={checked} onChange={() => props.onToggle(id, value)} />
            <span class="label" title={text === value || !value ? text : t('words_graphValue', { text, value })}>
              {text}
            </span>
            <span class="count" aria-label={tn('facets_rows', count)}>
              {formatCount(count)}
            </span>
          </label>
        );
      })}
    </div>
  );
}

export function Facets({ facets, counts, filter, onToggle }: FacetsProps): JSX.Element {
  const [open, setOpen] = useState<FacetId | null>(null);
  const bar = useRef<HTMLDivElement>(null);

  // A click (or tap) anywhere else in the panel closes the open menu.
  useEffect(() => {
    const el = bar.current;
    if (!open || !el) return;
    const root = el.getRootNode() as Document | ShadowRoot;
    const onDown = (e: Event): void => {
      const menu = el.querySelector(`[data-testid="${facetTestId(open)}"]`);
      if (menu && !e.composedPath().includes(menu)) setOpen(null);
    };
    root.addEventListener('pointerdown', onDown);
    return () => root.removeEventListener('pointerdown', onDown);
  }, [open]);

  return (
    <div class="filters" role="group" aria-label={t('facets_label')} ref={bar}>
      {FACET_IDS.map((id) => {
        const selected = filter.facets[id] ?? [];
        const values = valuesOf(facets, id, selected);
        if (values.length === 0) return null;
        const isOpen = open === id;
        return (
          <div key={id} class="facet" data-testid={facetTestId(id)} data-selected={String(selected.length)}>
            <button
              type="button"
              class={selected.length ? 'facet-button active' : 'facet-button'}
              data-testid={TESTIDS.facetToggle}
              data-facet={id}
              data-closes-on-escape
              aria-expanded={isOpen}
              aria-haspopup="true"
              aria-label={t('facets_filterBy', { facet: facetName(id) }) + (selected.length ? ` (${tn('facets_selected', selected.length)})` : '')}
              onClick={() => setOpen(isOpen ? null : id)}
            >
              <span class="facet-button-text">{buttonText(id, values, selected)}</span>
              <span class="chevron" aria-hidden="true">
                ▾
              </span>
            </button>
            {isOpen ? <Options id={id} values={values} counts={counts} selected={selected} onToggle={onToggle} /> : null}
          </div>
        );
      })}
    </div>
  );
}
