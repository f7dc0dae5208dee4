// One dropdown filter of a filter bar, as the admin center's list pages have them: a button that says what
// it filters ("State: Delivered +1") and, while open, the values with their counts as checkboxes (within a
// filter OR). The options are built only while the menu is open, so a keystroke elsewhere re-renders buttons,
// not every value's count. Used by the package panel's facets and by the overview's.
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatCount, t, tn } from '../i18n';
import { TESTIDS } from '../testids';
import { Icon } from '../icons/Icon';

export interface FilterOption {
  value: string;
  text: string;
  /** tooltip (e.g. Graph's value behind the portal's word) */
  title?: string;
  count: number;
  checked: boolean;
}

export interface DropdownFilterProps {
  /** the filter's id (the button's data-facet) */
  id: string;
  /** the wrapper's data-testid (e.g. facet-state) */
  testid: string;
  /** the filter's name (State, Policy, ...) */
  name: string;
  /** the ticked values' texts, in order */
  selected: readonly string[];
  open: boolean;
  onOpen(open: boolean): void;
  /** built only while open */
  options(): readonly FilterOption[];
  onToggle(value: string): void;
}

/** What the button says: the filter, and while it filters, its first ticked value and how many more. */
export function dropdownButtonText(name: string, selected: readonly string[]): string {
  if (selected.length === 0) return name;
  return selected.length === 1
    ? t('facets_button_one', { facet: name, value: selected[0] })
    : t('facets_button_more', { facet: name, value: selected[0], more: formatCount(selected.length - 1) });
}

function Menu(props: { name: string; options: readonly FilterOption[]; onToggle(value: string): void }): JSX.Element {
  const menu = useRef<HTMLDivElement>(null);
  const [alignEnd, setAlignEnd] = useState(false);
  // A menu that would cross the panel's right edge opens leftwards from its button's right edge instead.
  useLayoutEffect(() => {
    const el = menu.current;
    const frame = el?.closest('.panel');
    if (el && frame && el.getBoundingClientRect().right > frame.getBoundingClientRect().right) setAlignEnd(true);
  }, []);
  return (
    <div class={alignEnd ? 'facet-menu align-end' : 'facet-menu'} ref={menu} role="group" aria-label={t('facets_filterBy', { facet: props.name })}>
      {props.options.map((o) => (
        <label
          key={o.value}
          class={o.count === 0 && !o.checked ? 'zero' : undefined}
          data-testid={TESTIDS.facetOption}
          data-value={o.value}
          data-count={String(o.count)}
          data-checked={String(o.checked)}
        >
          <input type="checkbox" checked={o.checked} onChange={() => props.onToggle(o.value)} />
          <span class="label" title={o.title ?? o.text}>
            {o.text}
          </span>
          <span class="count" aria-label={tn('facets_rows', o.count)}>
            {formatCount(o.count)}
          </span>
        </label>
      ))}
    </div>
  );
}

export function DropdownFilter(props: DropdownFilterProps): JSX.Element {
  const { selected, open } = props;
  const wrapper = useRef<HTMLDivElement>(null);

  // A click (or tap) anywhere else in the panel closes the menu.
  useEffect(() => {
    const el = wrapper.current;
    if (!open || !el) return;
    const root = el.getRootNode() as Document | ShadowRoot;
    const onDown = (e: Event): void => {
      if (!e.composedPath().includes(el)) props.onOpen(false);
    };
    root.addEventListener('pointerdown', onDown);
    return () => root.removeEventListener('pointerdown', onDown);
  }, [open]);

  return (
    <div class="facet" ref={wrapper} data-testid={props.testid} data-selected={String(selected.length)}>
      <button
        type="button"
        class={selected.length ? 'facet-button active' : 'facet-button'}
        data-testid={TESTIDS.facetToggle}
        data-facet={props.id}
        data-closes-on-escape
        aria-expanded={open}
        aria-haspopup="true"
        aria-label={t('facets_filterBy', { facet: props.name }) + (selected.length ? ` (${tn('facets_selected', selected.length)})` : '')}
        onClick={() => props.onOpen(!open)}
      >
        <span class="facet-button-text">{dropdownButtonText(props.name, selected)}</span>
        <span class="chevron">
          <Icon name="chevronDown" size={12} />
        </span>
      </button>
      {open ? <Menu name={props.name} options={props.options()} onToggle={props.onToggle} /> : null}
    </div>
  );
}

/** Which dropdown of a bar is open (one at a time). */
export function useOpenFilter<T extends string>(): [T | null, (id: T) => (open: boolean) => void] {
  const [open, setOpen] = useState<T | null>(null);
  return [open, (id: T) => (on: boolean) => setOpen((cur) => (on ? id : cur === id ? null : cur))];
}
