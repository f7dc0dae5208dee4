// Focus is never lost when the panel re-renders. When the element holding focus is removed (a row scrolled
// out and redrawn, a button shown only while it applies, a decision control redrawn), browsers drop focus
// to the page's body, and the keyboard (Escape, arrows, `/`) stops reaching the panel. The keeper remembers
// where focus was, with that element's focusable ancestors, and after such a removal gives focus to the
// nearest one still present (the details view, the table, the panel itself). Focus the admin moved out of
// the panel on purpose is left alone: that element was still in the document when it lost focus.

/** The element, then each ancestor up to `stop` that can take focus (a tabindex is set), nearest first. */
export function focusTrail(el: HTMLElement | null, stop?: HTMLElement): HTMLElement[] {
  const trail: HTMLElement[] = [];
  for (let cur = el; cur; cur = cur.parentElement) {
    if (cur === el || cur.hasAttribute('tabindex')) trail.push(cur);
    if (cur === stop) break;
  }
  return trail;
}

/** Gives focus to the first element of the trail that is still in the document and enabled. */
export function restoreFocus(trail: readonly HTMLElement[]): boolean {
  const back = trail.find((el) => el.isConnected && !(el as HTMLButtonElement).disabled);
  back?.focus();
  return !!back;
}

/** True when nothing has focus: the document's body (or no element) is active, in the page and the root. */
function focusLost(root: Document | ShadowRoot): boolean {
  const doc = root instanceof Document ? root : root.ownerDocument;
  if (!(root instanceof Document) && root.activeElement) return false;
  const active = doc.activeElement;
  return !active || active === doc.body || (!(root instanceof Document) && active === root.host);
}

export function keepFocus(panel: HTMLElement): () => void {
  const root = panel.getRootNode() as Document | ShadowRoot;
  let trail: HTMLElement[] = [];
  const onFocusIn = (e: FocusEvent): void => {
    const target = e.composedPath()[0];
    trail = target instanceof HTMLElement ? focusTrail(target, panel) : [];
  };
  const onFocusOut = (e: FocusEvent): void => {
    // Moved elsewhere while still present: the admin's choice (or a focusin follows and replaces the trail).
    const target = e.composedPath()[0];
    if (target instanceof HTMLElement && target.isConnected) trail = [];
  };
  const observer = new MutationObserver(() => {
    if (trail.length === 0 || trail[0].isConnected || !focusLost(root)) return;
    const t = trail;
    trail = [];
    restoreFocus(t);
  });
  panel.addEventListener('focusin', onFocusIn);
  panel.addEventListener('focusout', onFocusOut);
  observer.observe(panel, { childList: true, subtree: true });
  return () => {
    panel.removeEventListener('focusin', onFocusIn);
    panel.removeEventListener('focusout', onFocusOut);
    observer.disconnect();
  };
}
