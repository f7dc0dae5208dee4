// The panel's colours, type ramp, radii and focus from Microsoft's Fluent 2 design tokens (@fluentui/tokens,
// the admin center's design system), as CSS custom properties on the host. Every stylesheet of the panel uses
// these names only, so a theme is one block. Forced colours (Windows high contrast) map them to system colours.
import { teamsHighContrastTheme, webDarkTheme, webLightTheme, type Theme as FluentTheme } from '@fluentui/tokens';

type Vars = Record<string, string>;

function fromFluent(f: FluentTheme): Vars {
  return {
    '--bg': f.colorNeutralBackground1,
    '--bg-alt': f.colorNeutralBackground3,
    '--bg-hover': f.colorNeutralBackground1Hover,
    '--fg': f.colorNeutralForeground1,
    '--fg-muted': f.colorNeutralForeground3,
    '--border': f.colorNeutralStroke1,
    '--border-strong': f.colorNeutralStrokeAccessible,
    '--accent': f.colorBrandBackground,
    '--accent-hover': f.colorBrandBackgroundHover,
    '--accent-fg': f.colorNeutralForegroundOnBrand,
    '--link': f.colorBrandForegroundLink,
    '--danger': f.colorPaletteRedForeground1,
    '--danger-bg': f.colorPaletteRedBackground1,
    '--danger-fill': f.colorPaletteRedBackground3,
    '--on-danger': '#ffffff',
    '--success': f.colorPaletteGreenForeground1,
    '--warn-bg': f.colorPaletteYellowBackground1,
    '--stale-bg': f.colorPaletteDarkOrangeBackground1,
    '--selected-bg': f.colorBrandBackground2,
    '--focus': f.colorStrokeFocus2,
    '--shadow': f.shadow16,
    '--font': f.fontFamilyBase,
    '--font-size': f.fontSizeBase300,
    '--font-size-small': f.fontSizeBase200,
    '--line-height': f.lineHeightBase300,
    '--font-size-title': f.fontSizeBase400,
    '--weight-semibold': String(f.fontWeightSemibold),
    '--radius': f.borderRadiusMedium,
    '--radius-large': f.borderRadiusLarge,
    '--radius-pill': f.borderRadiusCircular,
    '--space-xs': f.spacingVerticalXS,
    '--space-s': f.spacingHorizontalS,
    '--space-m': f.spacingHorizontalM,
    '--stroke-focus': f.strokeWidthThick,
  };
}

const LIGHT = fromFluent(webLightTheme);
const DARK = fromFluent(webDarkTheme);
// Fluent's high-contrast theme uses a cyan hover fill under white text; the panel keeps black fills and
// marks hover and selection with the theme's focus colour instead, so text stays 21:1.
const CONTRAST: Vars = {
  ...fromFluent(teamsHighContrastTheme),
  '--bg-hover': '#000000',
  '--selected-bg': '#000000',
  '--stale-bg': '#000000',
  '--danger-fill': '#000000',
  '--accent-fg': '#000000',
  '--link': teamsHighContrastTheme.colorBrandForegroundLink,
};

const block = (selector: string, vars: Vars, scheme: 'light' | 'dark'): string =>
  `${selector} {\n${Object.entries(vars)
    .map(([k, v]) => `  ${k}: ${v};`)
    .join('\n')}\n  color-scheme: ${scheme};\n}\n`;

/** Light by default; the host's data-theme (set from the page's colours, see follow.ts) picks the others. */
export const THEME_CSS =
  block(':host', LIGHT, 'light') +
  block(':host([data-theme="dark"])', DARK, 'dark') +
  block(':host([data-theme="contrast"])', CONTRAST, 'dark') +
  `:host([data-theme="contrast"]) .row.selected, :host([data-theme="contrast"]) .row:hover { outline: 2px solid var(--focus); outline-offset: -2px; }
:host([data-theme="contrast"]) button.danger { border-color: var(--danger); color: var(--fg); }
@media (forced-colors: active) {
  :host {
    --bg: Canvas; --bg-alt: Canvas; --bg-hover: Canvas; --fg: CanvasText; --fg-muted: CanvasText;
    --border: CanvasText; --border-strong: CanvasText; --accent: Highlight; --accent-hover: Highlight;
    --accent-fg: HighlightText; --link: LinkText; --danger: CanvasText; --danger-bg: Canvas; --danger-fill: ButtonFace;
    --on-danger: ButtonText; --success: CanvasText; --warn-bg: Canvas; --stale-bg: Canvas; --selected-bg: Canvas;
    --focus: Highlight;
  }
  .row.selected { background: Highlight; color: HighlightText; forced-color-adjust: none; }
  .row.selected .reasons { color: HighlightText; }
  button, .chip, .badge { border: 1px solid ButtonText; }
  :focus-visible { outline: 2px solid Highlight; }
}
`;
