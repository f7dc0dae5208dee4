/** @jest-environment jsdom */
// The keyboard path: arrows move, Shift+arrows extend the selection, Space selects, Enter opens the details,
// `/` focuses the search, Escape closes what is open; and no key leaves the panel's host for the page.
import { setDetailsOpener } from '../../../src/panel/details/open';
import { containKeys } from '../../../src/panel/keyboard/contain';
import { onPanelKeyDown } from '../../../src/panel/keyboard/panel-keys';
import { tableKeyAction } from '../../../src/panel/keyboard/table-keys';
import { TESTIDS } from '../../../src/panel/testids';
import { loadEvents, rows } from '../panel/fixtures';
import { mountPanel, type Mounted } from '../panel/render';

const key = (k: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean }> = {}) => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('tableKeyAction', () => {
  const cursor = { index: 3, count: 10, page: 4, anchor: null };
  test('moves within the list and stops at its ends', () => {
    expect(tableKeyAction(key('ArrowDown'), cursor)).toEqual({ kind: 'move', to: 4 });
    expect(tableKeyAction(key('ArrowUp'), { ...cursor, index: 0 })).toEqual({ kind: 'move', to: 0 });
    expect(tableKeyAction(key('PageDown'), cursor)).toEqual({ kind: 'move', to: 7 });
    expect(tableKeyAction(key('End'), cursor)).toEqual({ kind: 'move', to: 9 });
    expect(tableKeyAction(key('Home'), cursor)).toEqual({ kind: 'move', to: 0 });
  });
  test('Shift extends from the anchor; Space toggles; Enter opens; modifiers and other keys are left alone', () => {
    expect(tableKeyAction(key('ArrowDown', { shiftKey: true }), cursor)).toEqual({ kind: 'extend', from: 3, to: 4 });
    expect(tableKeyAction(key('ArrowDown', { shiftKey: true }), { ...cursor, index: 4, anchor: 3 })).toEqual({ kind: 'extend', from: 3, to: 5 });
    expect(tableKeyAction(key(' '), cursor)).toEqual({ kind: 'toggle', index: 3 });
    expect(tableKeyAction(key('Enter'), cursor)).toEqual({ kind: 'open', index: 3 });
    expect(tableKeyAction(key('ArrowDown', { ctrlKey: true }), cursor)).toBeNull();
    expect(tableKeyAction(key('a'), cursor)).toBeNull();
    expect(tableKeyAction(key('ArrowDown'), { ...cursor, count: 0 })).toBeNull();
  });
});

describe('in the panel', () => {
  let m: Mounted;
  afterEach(() => m?.unmount());
  const press = (el: Element, k: string, mods: Partial<KeyboardEventInit> = {}) =>
    m.act(() => {
      el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true, cancelable: true, ...mods }));
    });

  test('arrows, Shift+arrows, Space and Enter on the table; / focuses the search', async () => {
    m = await mountPanel();
    await m.send(...loadEvents('L1', rows(6)));
    const table = m.$(TESTIDS.table)!;
    table.focus();
    const opened: string[] = [];
    const uninstall = setDetailsOpener((id) => opened.push(id));

    await press(table, 'ArrowDown');
    await press(table, ' ');
    expect([...m.store.state.selection]).toEqual(['as-1']);
    await press(table, 'ArrowDown', { shiftKey: true });
    await press(table, 'ArrowDown', { shiftKey: true });
    expect([...m.store.state.selection].sort()).toEqual(['as-1', 'as-2', 'as-3']);
    expect(table.getAttribute('aria-activedescendant')).toBe('row-3');
    await press(table, 'Enter');
    expect(opened).toEqual(['as-3']);

    await press(table, '/');
    expect(document.activeElement).toBe(m.$(TESTIDS.search));
    // Typed into the search, `/` is a character, not a shortcut.
    const search = m.$(TESTIDS.search)!;
    const slash = new KeyboardEvent('keydown', { key: '/', bubbles: true, cancelable: true });
    search.dispatchEvent(slash);
    expect(slash.defaultPrevented).toBe(false);
    uninstall();
  });

  test('Escape closes the open menu and gives focus back to its toggle', async () => {
    m = await mountPanel();
    await m.send(...loadEvents('L1', rows(2)));
    const toggle = m.$(TESTIDS.columnChooser)!;
    await m.act(() => toggle.click());
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const option = m.el.querySelector('[data-testid="column-option"] input')!;
    await press(option, 'Escape');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);
  });
});

describe('onPanelKeyDown: Escape', () => {
  const escape = (target: HTMLElement, panel: HTMLElement) => {
    const e = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    target.addEventListener('keydown', (ev) => onPanelKeyDown(ev, panel), { once: true });
    target.dispatchEvent(e);
    return e;
  };

  test('with focus on the panel itself, closes the open view through its Close button', () => {
    // The details view's own handler is not reached when focus sits on the panel (after a redraw took it there).
    const panel = document.createElement('div');
    panel.innerHTML = '<div class="details"><button type="button" data-close-on-escape>Close</button></div>';
    let closed = 0;
    panel.querySelector('button')!.addEventListener('click', () => closed++);
    expect(escape(panel, panel).defaultPrevented).toBe(true);
    expect(closed).toBe(1);
  });

  test('an open menu closes first; with nothing open Escape does nothing', () => {
    const panel = document.createElement('div');
    panel.innerHTML =
      '<div><button type="button" aria-expanded="true" data-closes-on-escape>Columns</button></div><button type="button" data-close-on-escape>Close</button>';
    const [toggle, close] = [...panel.querySelectorAll('button')];
    const clicks: string[] = [];
    toggle.addEventListener('click', () => (toggle.setAttribute('aria-expanded', 'false'), clicks.push('menu')));
    close.addEventListener('click', () => (close.remove(), clicks.push('view')));
    escape(panel, panel);
    escape(panel, panel);
    expect(escape(panel, panel).defaultPrevented).toBe(false);
    expect(clicks).toEqual(['menu', 'view']);
  });
});

describe('containKeys', () => {
  test('keys from inside the host reach the panel but never document or window listeners', () => {
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = host.attachShadow({ mode: 'open' });
    const input = document.createElement('input');
    root.appendChild(input);
    containKeys(host);
    const seenByPage: string[] = [];
    const seenByPanel: string[] = [];
    for (const type of ['keydown', 'keyup', 'keypress']) {
      document.addEventListener(type, () => seenByPage.push(`document ${type}`));
      window.addEventListener(type, () => seenByPage.push(`window ${type}`));
      input.addEventListener(type, () => seenByPanel.push(type));
      input.dispatchEvent(new KeyboardEvent(type, { key: 'g', bubbles: true, composed: true }));
    }
    // A key pressed on the page itself still reaches them.
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'g', bubbles: true }));
    expect(seenByPanel).toEqual(['keydown', 'keyup', 'keypress']);
    expect(seenByPage).toEqual(['document keydown', 'window keydown']);
    host.remove();
  });
});
