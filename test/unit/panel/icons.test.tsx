/** @jest-environment jsdom */
// Icons come from the Fluent System icon files as published (not copied by hand), and render as paths in
// currentColor, hidden from assistive technology.
import fs from 'node:fs';
import { render } from 'preact';
import { Icon, ICON_NAMES, iconOf, iconShape } from '../../../src/panel/icons/Icon';

describe('Fluent System icons', () => {
  test('each icon is the package file’s own path data', () => {
    const file = fs.readFileSync(require.resolve('@fluentui/svg-icons/icons/dismiss_16_regular.svg'), 'utf8');
    expect(iconOf('dismiss')).toEqual(iconShape(file));
    for (const name of ICON_NAMES) {
      const s = iconOf(name);
      expect([name, s.viewBox]).toEqual([name, '0 0 16 16']);
      expect(s.paths.length).toBeGreaterThan(0);
      for (const d of s.paths) expect(d).toMatch(/^[MmLlHhVvCcSsQqTtAaZz0-9.,\s-]+$/);
    }
  });

  test('renders decorative SVG paths in currentColor', () => {
    const host = document.createElement('div');
    render(<Icon name="chevronDown" />, host);
    const svg = host.querySelector('svg')!;
    expect(svg.getAttribute('aria-hidden')).toBe('true');
    expect(svg.getAttribute('focusable')).toBe('false');
    expect([...svg.querySelectorAll('path')].map((p) => p.getAttribute('fill'))).toEqual(['currentColor']);
    expect(svg.querySelector('path')!.getAttribute('d')).toBe(iconOf('chevronDown').paths[0]);
  });
});
