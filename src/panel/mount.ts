// The light-DOM host and its open shadow root. Everything here goes through the CSSOM: the portal's CSP
// refuses <style> elements and style="" strings (browser-testing.md §13).
import { containKeys } from './keyboard/contain';
import { TESTIDS } from './testids';

export interface HostLayout {
  /** Not a package route: the host is not displayed at all. */
  hidden: boolean;
  collapsed: boolean;
  /** Panel width in CSS pixels (ignored while collapsed or full width). */
  width: number;
  /** Cover the page's width (the blade's content area and more) instead of docking at `width`. */
  fullWidth?: boolean;
}

/** Inline !important declarations win over any portal rule that happens to match a div. */
function setImportant(el: HTMLElement, props: Record<string, string>): void {
  for (const [k, v] of Object.entries(props)) el.style.setProperty(k, v, 'important');
}

export function createPanelHost(doc: Document): { host: HTMLDivElement; root: ShadowRoot } {
  const host = doc.createElement('div');
  host.setAttribute('data-testid', TESTIDS.host);
  setImportant(host, {
    position: 'fixed',
    top: '0',
    right: '0',
    'z-index': '2147483000',
    margin: '0',
    padding: '0',
    border: '0',
  });
  const root = host.attachShadow({ mode: 'open' });
  containKeys(host);
  doc.body.appendChild(host);
  return { host, root };
}

/** Positions the host: docked right at full height, a small button when collapsed, gone when hidden. */
export function layoutHost(host: HTMLElement, layout: HostLayout): void {
  if (layout.hidden) {
    setImportant(host, { display: 'none' });
    return;
  }
  setImportant(host, {
    display: 'block',
    height: layout.collapsed ? '40px' : '100vh',
    width: layout.collapsed ? '40px' : layout.fullWidth ? '100vw' : `${Math.round(layout.width)}px`,
    'max-width': '100vw',
    top: layout.collapsed ? '50vh' : '0',
  });
}

/**
 * Adopts the panel's stylesheet as a constructable stylesheet. Returns false where the environment has no
 * constructable stylesheets (jsdom in unit tests); both target browsers have them.
 */
export function adoptStyles(root: ShadowRoot, css: string): boolean {
  // The global constructor, as verified in both browsers' content scripts (browser-testing.md §13).
  if (
    typeof CSSStyleSheet === 'undefined' ||
    typeof CSSStyleSheet.prototype.replaceSync !== 'function' ||
    !('adoptedStyleSheets' in root)
  ) {
    return false;
  }
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [sheet];
  return true;
}

const featureSheets = new WeakMap<ShadowRoot, Set<string>>();

/** Adds a feature's stylesheet next to the panel's, once per root (CSSOM only, as adoptStyles). */
export function adoptFeatureStyles(root: ShadowRoot | null, css: string): void {
  if (!root) return;
  const done = featureSheets.get(root) ?? new Set<string>();
  if (done.has(css)) return;
  if (typeof CSSStyleSheet === 'undefined' || typeof CSSStyleSheet.prototype.replaceSync !== 'function' || !('adoptedStyleSheets' in root)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  done.add(css);
  featureSheets.set(root, done);
}
