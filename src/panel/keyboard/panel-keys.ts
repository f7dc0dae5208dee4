// Keys that work anywhere in the panel: `/` focuses the search (unless one is typing in a field), Escape closes
// the innermost open menu or section and gives focus back to its toggle, or else an open view (the details
// view) through its Close button, wherever focus is in the panel. Dialogs handle their own Escape first.
import { TESTIDS } from '../testids';

function isEditable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el.type);
  return false;
}

export function onPanelKeyDown(e: KeyboardEvent, panel: HTMLElement | null): void {
  if (!panel || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.composedPath()[0] ?? e.target;
  if (e.key === '/' && !isEditable(target)) {
    const search = panel.querySelector<HTMLInputElement>(`[data-testid="${TESTIDS.search}"]`);
    if (search) {
      e.preventDefault();
      search.focus();
      search.select();
    }
    return;
  }
  if (e.key === 'Escape') {
    // The toggle of what is open, nearest to the focus first (a menu inside a section before the section).
    const open = [...panel.querySelectorAll<HTMLElement>('[aria-expanded="true"][data-closes-on-escape]')];
    const toggle = open.find((t) => target instanceof Node && (t.parentElement?.contains(target) ?? false)) ?? open[open.length - 1];
    if (toggle) {
      e.preventDefault();
      toggle.click();
      toggle.focus();
      return;
    }
    // Focus on the panel itself (e.g. after the element holding it was redrawn) still closes an open view.
    const close = panel.querySelector<HTMLElement>('[data-close-on-escape]');
    if (close) {
      e.preventDefault();
      close.click();
    }
  }
}
