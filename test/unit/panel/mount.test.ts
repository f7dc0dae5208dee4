/** @jest-environment jsdom */
import { adoptStyles, createPanelHost, layoutHost } from '../../../src/panel/mount';
import { PANEL_CSS } from '../../../src/panel/styles';

test('the host is a light-DOM div with an open shadow root, positioned through the CSSOM', () => {
  const { host, root } = createPanelHost(document);
  expect(document.querySelector('[data-testid="assignment-panel-host"]')).toBe(host);
  expect(host.shadowRoot).toBe(root);
  expect(host.style.getPropertyValue('position')).toBe('fixed');
  expect(host.style.getPropertyPriority('position')).toBe('important');
  layoutHost(host, { hidden: false, collapsed: false, width: 640 });
  expect(host.style.getPropertyValue('width')).toBe('640px');
  expect(host.style.getPropertyValue('height')).toBe('100vh');
  layoutHost(host, { hidden: false, collapsed: true, width: 640 });
  expect(host.style.getPropertyValue('width')).toBe('40px');
  layoutHost(host, { hidden: true, collapsed: false, width: 640 });
  expect(host.style.getPropertyValue('display')).toBe('none');
  host.remove();
});

test('styles go only through a constructable stylesheet: never a <style> element', () => {
  const { host, root } = createPanelHost(document);
  const adopted = adoptStyles(root, PANEL_CSS);
  // jsdom has no constructable stylesheets; the browsers do. Either way no <style> is created.
  expect(typeof adopted).toBe('boolean');
  expect(document.querySelector('style')).toBeNull();
  expect(root.querySelector('style')).toBeNull();
  host.remove();
});

test('with constructable stylesheets, the sheet is adopted by the shadow root', () => {
  const { host, root } = createPanelHost(document);
  const replaced: string[] = [];
  class FakeSheet {
    replaceSync(css: string) {
      replaced.push(css);
    }
  }
  const g = globalThis as unknown as { CSSStyleSheet: unknown };
  const real = g.CSSStyleSheet;
  g.CSSStyleSheet = FakeSheet;
  Object.defineProperty(root, 'adoptedStyleSheets', { value: [], writable: true, configurable: true });
  try {
    expect(adoptStyles(root, PANEL_CSS)).toBe(true);
    expect(replaced).toEqual([PANEL_CSS]);
    expect((root as unknown as { adoptedStyleSheets: unknown[] }).adoptedStyleSheets).toHaveLength(1);
  } finally {
    g.CSSStyleSheet = real;
    host.remove();
  }
});
