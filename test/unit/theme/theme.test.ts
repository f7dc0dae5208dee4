// The panel wears the theme the admin center shows, read from the page's computed colours; every theme's
// text meets WCAG 2.2 AA contrast on its backgrounds.
import { teamsHighContrastTheme, webDarkTheme, webLightTheme } from '@fluentui/tokens';
import { contrastRatio, parseColour, themeFromPage } from '../../../src/core/theme';
import { THEME_CSS } from '../../../src/panel/theme/tokens';

const hex = (h: string) => {
  const n = parseInt(h.slice(1), 16);
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255, a: 1 };
};

describe('themeFromPage', () => {
  test('parses computed colours in both syntaxes', () => {
    expect(parseColour('rgb(250, 249, 248)')).toEqual({ r: 250, g: 249, b: 248, a: 1 });
    expect(parseColour('rgba(0, 0, 0, 0)')).toEqual({ r: 0, g: 0, b: 0, a: 0 });
    expect(parseColour('rgb(27 26 25 / 50%)')).toEqual({ r: 27, g: 26, b: 25, a: 0.5 });
    expect(parseColour('transparent')).toBeNull();
  });

  test('light and dark portal pages, skipping transparent layers', () => {
    expect(themeFromPage(['rgb(250, 249, 248)'], 'rgb(50, 49, 48)', true)).toBe('light');
    expect(themeFromPage(['rgba(0, 0, 0, 0)', 'rgb(27, 26, 25)'], 'rgb(243, 242, 241)', false)).toBe('dark');
  });

  test('a near black-and-white page is high contrast', () => {
    expect(themeFromPage(['rgb(0, 0, 0)'], 'rgb(255, 255, 255)', false)).toBe('contrast');
    expect(themeFromPage(['rgb(255, 255, 255)'], 'rgb(0, 0, 0)', false)).toBe('contrast');
  });

  test('no opaque page colour: the browser preference decides', () => {
    expect(themeFromPage(['rgba(0, 0, 0, 0)', null], null, true)).toBe('dark');
    expect(themeFromPage([], null, false)).toBe('light');
  });
});

describe('theme tokens', () => {
  test('the stylesheet defines light, dark, high-contrast and forced-colour blocks from the Fluent tokens', () => {
    expect(THEME_CSS).toContain(`--bg: ${webLightTheme.colorNeutralBackground1}`);
    expect(THEME_CSS).toContain(':host([data-theme="dark"])');
    expect(THEME_CSS).toContain(`--bg: ${webDarkTheme.colorNeutralBackground1}`);
    expect(THEME_CSS).toContain(':host([data-theme="contrast"])');
    expect(THEME_CSS).toContain('@media (forced-colors: active)');
  });

  test.each([
    ['light', webLightTheme],
    ['dark', webDarkTheme],
    ['contrast', teamsHighContrastTheme],
  ])('%s: text, muted text, links and danger text reach 4.5:1 on the panel backgrounds', (_name, f) => {
    const backgrounds = [f.colorNeutralBackground1, f.colorNeutralBackground3];
    for (const bg of backgrounds) {
      for (const fg of [f.colorNeutralForeground1, f.colorNeutralForeground3, f.colorBrandForegroundLink, f.colorPaletteRedForeground1]) {
        expect(contrastRatio(hex(fg), hex(bg))).toBeGreaterThanOrEqual(4.5);
      }
    }
    // Danger text on a stale row, white text on the destructive button.
    expect(contrastRatio(hex(f.colorPaletteRedForeground1), hex(f.colorPaletteDarkOrangeBackground1))).toBeGreaterThanOrEqual(4.5);
    if (f !== teamsHighContrastTheme) expect(contrastRatio(hex('#ffffff'), hex(f.colorPaletteRedBackground3))).toBeGreaterThanOrEqual(4.5);
  });
});
