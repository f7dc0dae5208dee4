// A modal dialog inside the panel: role="dialog", focus moved in and kept in (Tab wraps), Escape cancels,
// focus returns to what opened it, or, when a re-render replaced that element, to its nearest ancestor
// that takes focus (the details view, the panel). Removals after the dialog closed: keyboard/focus-keeper.ts.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { focusTrail, restoreFocus } from '../keyboard/focus-keeper';

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

let nextId = 0;

export interface DialogProps {
  title: string;
  onClose(): void;
  children: ComponentChildren;
  testid?: string;
  /** Extra attributes for checks (e.g. data-count). */
  data?: Record<string, string>;
  /** A selector inside the dialog to focus first (default: the first focusable element). */
  initialFocus?: string;
}

function activeIn(el: HTMLElement): Element | null {
  const root = el.getRootNode() as Document | ShadowRoot;
  return root.activeElement ?? null;
}

export function Dialog(props: DialogProps): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useRef(`act-dialog-${++nextId}`).current;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const trail = focusTrail(activeIn(el) as HTMLElement | null);
    const first = (props.initialFocus ? el.querySelector<HTMLElement>(props.initialFocus) : null) ?? el.querySelector<HTMLElement>(FOCUSABLE) ?? el;
    first.focus();
    return () => void restoreFocus(trail);
  }, []);

  const onKeyDown = (e: KeyboardEvent): void => {
    const el = ref.current;
    if (!el) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      props.onClose();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = [...el.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const i = items.indexOf(activeIn(el) as HTMLElement);
    if (e.shiftKey && i <= 0) {
      e.preventDefault();
      items[items.length - 1].focus();
    } else if (!e.shiftKey && (i === -1 || i === items.length - 1)) {
      e.preventDefault();
      items[0].focus();
    }
  };

  return (
    <div class="act-backdrop">
      <div
        ref={ref}
        class="act-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid={props.testid}
        {...(props.data ?? {})}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}
