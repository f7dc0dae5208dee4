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
  /** Cover the blade's content area (the page's main landmark to the viewport's edges) instead of docking at `width`. */
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
    // A layer of its own: a re-rendered table repaints the panel, not the portal page under it (a tall page
    // repainted on every keystroke cost more than the keystroke). Opacity, not transform: a transform would
    // become the containing block of the panel's fixed-position dialogs.
    'will-change': 'opacity',
  });
  const root = host.attachShadow({ mode: 'open' });
  containKeys(host);
  doc.body.appendChild(host);
  return { host, root };
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A main landmark narrower than this is not the blade's content area (a collapsed or odd layout). */
const MIN_CONTENT_WIDTH = 320;

/**
 * Where full width goes: from the page's main landmark (the blade's content area, right of the portal's
 * menu and below its top bar) to the viewport's right and bottom edges; the whole viewport when the page
 * has no usable main landmark. Landmarks are public, accessible markup, unlike the portal's class names.
 */
export function coverBox(viewport: { width: number; height: number }, main: Box | null): Box {
  const whole = { left: 0, top: 0, width: viewport.width, height: viewport.height };
  if (!main || main.width <= 0 || main.height <= 0) return whole;
  const left = Math.max(0, Math.round(main.left));
  const top = Math.max(0, Math.round(main.top));
  const width = viewport.width - left;
  const height = viewport.height - top;
  if (width < MIN_CONTENT_WIDTH || height < MIN_CONTENT_WIDTH / 2) return whole;
  return { left, top, width, height };
}

function mainLandmark(doc: Document): HTMLElement | null {
  for (const el of doc.querySelectorAll<HTMLElement>('main, [role="main"]')) {
    if (el.closest('[data-testid="' + TESTIDS.host + '"]')) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) return el;
  }
  return null;
}

/** Observers that keep a full-width host over the content area while the page's layout changes. */
const followers = new WeakMap<HTMLElement, () => void>();

function placeOverContent(host: HTMLElement): void {
  const doc = host.ownerDocument;
  const view = doc.defaultView;
  const main = mainLandmark(doc);
  const box = coverBox(
    { width: doc.documentElement.clientWidth || view?.innerWidth || 0, height: view?.innerHeight || doc.documentElement.clientHeight || 0 },
    main ? main.getBoundingClientRect() : null,
  );
  setImportant(host, { left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px` });
}

function followContent(host: HTMLElement): void {
  if (followers.has(host)) return;
  const view = host.ownerDocument.defaultView;
  const place = (): void => placeOverContent(host);
  view?.addEventListener('resize', place);
  // The portal's menu collapsing, or a blade opening, moves the content area without a window resize.
  const main = mainLandmark(host.ownerDocument);
  const observer = main && typeof ResizeObserver !== 'undefined' ? new ResizeObserver(place) : null;
  if (main) observer?.observe(main);
  followers.set(host, () => {
    view?.removeEventListener('resize', place);
    observer?.disconnect();
  });
}

function stopFollowing(host: HTMLElement): void {
  followers.get(host)?.();
  followers.delete(host);
}

/** Positions the host: docked right at full height, over the content area in full width, a small button when collapsed, gone when hidden. */
export function layoutHost(host: HTMLElement, layout: HostLayout): void {
  if (layout.hidden || layout.collapsed || !layout.fullWidth) stopFollowing(host);
  if (layout.hidden) {
    setImportant(host, { display: 'none' });
    return;
  }
  if (layout.fullWidth && !layout.collapsed) {
    setImportant(host, { display: 'block', 'max-width': '100vw' });
    placeOverContent(host);
    followContent(host);
    return;
  }
  setImportant(host, {
    display: 'block',
    left: 'auto',
    height: layout.collapsed ? '40px' : '100vh',
    width: layout.collapsed ? '40px' : `${Math.round(layout.width)}px`,
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
