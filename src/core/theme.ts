// Which theme the panel wears, from the colours the admin center page is showing (its computed background and
// text colours, never its private class names), falling back to the browser's prefers-color-scheme. Pure.
export type Theme = 'light' | 'dark' | 'contrast';

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Parses a computed colour: `rgb(r, g, b)`, `rgba(r, g, b, a)` or the space syntax `rgb(r g b / a)`. */
export function parseColour(css: string | null | undefined): Rgba | null {
  if (!css) return null;
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/i.exec(css.trim());
  if (!m) return null;
  let a = 1;
  if (m[4] !== undefined) a = m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
  return { r: +m[1], g: +m[2], b: +m[3], a };
}

/** WCAG 2.2 relative luminance (0 black … 1 white). */
export function luminance({ r, g, b }: Rgba): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio between two opaque colours (1 … 21). */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The portal's own themes keep text below this contrast; its high-contrast themes are near black and white. */
const HIGH_CONTRAST_RATIO = 18;

/**
 * backgrounds: the page's computed background colours from the innermost element outwards (e.g. body, html);
 * the first one that is not transparent is the page's. text: the page's computed text colour.
 */
export function themeFromPage(backgrounds: readonly (string | null)[], text: string | null, prefersDark: boolean): Theme {
  const bg = backgrounds.map(parseColour).find((c): c is Rgba => c !== null && c.a > 0.5);
  if (!bg) return prefersDark ? 'dark' : 'light';
  const fg = parseColour(text);
  if (fg && fg.a > 0.5 && contrastRatio(bg, fg) >= HIGH_CONTRAST_RATIO) return 'contrast';
  return luminance(bg) < 0.2 ? 'dark' : 'light';
}
