/** @jest-environment jsdom */
// The panel keeps keyboard focus when a re-render removes the focused element, and leaves focus alone when
// the admin moved it out of the panel.
import { keepFocus } from '../../../src/panel/keyboard/focus-keeper';

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function build() {
  document.body.innerHTML = '';
  const outside = document.createElement('button');
  const host = document.createElement('div');
  document.body.append(outside, host);
  const root = host.attachShadow({ mode: 'open' });
  const panel = document.createElement('div');
  panel.tabIndex = -1;
  const view = document.createElement('div');
  view.tabIndex = -1;
  const button = document.createElement('button');
  const other = document.createElement('button');
  view.append(button);
  panel.append(view, other);
  root.append(panel);
  const release = keepFocus(panel);
  return { root, panel, view, button, other, outside, release };
}

describe('keepFocus', () => {
  test('the focused button is redrawn away: focus goes to its nearest focusable ancestor in the panel', async () => {
    const { root, view, button, release } = build();
    button.focus();
    expect(root.activeElement).toBe(button);
    button.remove();
    await flush();
    expect(root.activeElement).toBe(view);
    release();
  });

  test('the whole view goes: focus goes to the panel', async () => {
    const { root, panel, view, button, release } = build();
    button.focus();
    view.remove();
    await flush();
    expect(root.activeElement).toBe(panel);
    release();
  });

  test('focus moved to the page on purpose: a later re-render does not take it back', async () => {
    const { root, button, outside, release } = build();
    button.focus();
    outside.focus();
    button.remove();
    await flush();
    expect(document.activeElement).toBe(outside);
    expect(root.activeElement).toBeNull();
    release();
  });

  test('focus moved within the panel: the removal of the old element changes nothing', async () => {
    const { root, button, other, release } = build();
    button.focus();
    other.focus();
    button.remove();
    await flush();
    expect(root.activeElement).toBe(other);
    release();
  });

  test('released: nothing is restored any more', async () => {
    const { root, button, release } = build();
    button.focus();
    release();
    button.remove();
    await flush();
    expect(root.activeElement).toBeNull();
  });
});
