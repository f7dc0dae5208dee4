// Follows the theme the admin center is showing: reads the page's computed colours (body, then html) when the
// panel starts and whenever the page changes its classes, attributes or style (the portal switches theme
// without a reload), or the browser's colour scheme changes. Writes only the panel host's data-theme.
import { themeFromPage, type Theme } from '../../core/theme';

export function readPageTheme(doc: Document): Theme {
  const win = doc.defaultView;
  const style = (el: Element | null): CSSStyleDeclaration | null => (el && win ? win.getComputedStyle(el) : null);
  const body = style(doc.body);
  const html = style(doc.documentElement);
  const prefersDark = !!win?.matchMedia?.('(prefers-color-scheme: dark)').matches;
  return themeFromPage([body?.backgroundColor ?? null, html?.backgroundColor ?? null], body?.color ?? html?.color ?? null, prefersDark);
}

export function followPageTheme(doc: Document, host: HTMLElement, onChange?: (theme: Theme) => void): () => void {
  let current: Theme | null = null;
  let queued = false;
  const apply = (): void => {
    queued = false;
    const theme = readPageTheme(doc);
    if (theme === current) return;
    current = theme;
    host.setAttribute('data-theme', theme);
    onChange?.(theme);
  };
  // Batched to one read per frame's worth of time: a theme switch changes many attributes at once. (A timer,
  // not requestAnimationFrame, which stops in a background tab.)
  const schedule = (): void => {
    if (queued) return;
    queued = true;
    setTimeout(apply, 16);
  };
  apply();
  const observer = new MutationObserver(schedule);
  const opts: MutationObserverInit = { attributes: true, attributeFilter: ['class', 'style', 'data-theme', 'theme'] };
  observer.observe(doc.documentElement, opts);
  if (doc.body) observer.observe(doc.body, opts);
  // The page's stylesheets (a theme's <link> or <style>) are added and removed in <head>.
  if (doc.head) observer.observe(doc.head, { childList: true, subtree: true });
  const media = doc.defaultView?.matchMedia?.('(prefers-color-scheme: dark)');
  media?.addEventListener?.('change', schedule);
  // Started while the page still loads: its stylesheets may not apply yet, and their arrival mutates nothing.
  const loading = doc.readyState !== 'complete';
  if (loading) doc.defaultView?.addEventListener('load', schedule, { once: true });
  return () => {
    observer.disconnect();
    if (loading) doc.defaultView?.removeEventListener('load', schedule);
    media?.removeEventListener?.('change', schedule);
  };
}
