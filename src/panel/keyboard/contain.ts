// A good guest on the page: keys pressed inside the panel never reach the admin center's own keyboard
// listeners (it has global shortcuts; typing a search must not trigger them). Keyboard events are composed,
// so they leave the shadow root and bubble through the host to document and window; the host stops them
// there, after every listener inside the panel has run. Default actions (typing, Tab) are untouched.
export const CONTAINED_KEY_EVENTS = ['keydown', 'keyup', 'keypress'] as const;

export function containKeys(host: HTMLElement): () => void {
  const stop = (e: Event): void => e.stopPropagation();
  for (const type of CONTAINED_KEY_EVENTS) host.addEventListener(type, stop);
  return () => {
    for (const type of CONTAINED_KEY_EVENTS) host.removeEventListener(type, stop);
  };
}
