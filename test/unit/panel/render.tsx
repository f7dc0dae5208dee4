// Mounting the panel in jsdom for component tests, with a fake worker link and a manual commit tick.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { App, type AppProps } from '../../../src/panel/components/App';
import { DEFAULT_PREFS, type PanelPrefs } from '../../../src/panel/storage';
import { PanelStore } from '../../../src/panel/store';
import type { LinkStatus, WorkerLink } from '../../../src/panel/worker-link';
import type { PanelRequest, WorkerEvent } from '../../../src/messages';
import { NOW, PKG } from './fixtures';

export interface FakeLink extends WorkerLink {
  posted: PanelRequest[];
  emit(e: WorkerEvent): void;
  setStatus(s: LinkStatus): void;
}

export function fakeLink(): FakeLink {
  const subs = new Set<(e: WorkerEvent) => void>();
  const statusSubs = new Set<(s: LinkStatus) => void>();
  return {
    posted: [],
    post(r) {
      this.posted.push(r);
    },
    onEvent(cb) {
      subs.add(cb);
      return () => subs.delete(cb);
    },
    onStatus(cb) {
      statusSubs.add(cb);
      return () => statusSubs.delete(cb);
    },
    emit(e) {
      for (const cb of subs) cb(e);
    },
    setStatus(s) {
      for (const cb of statusSubs) cb(s);
    },
  };
}

export interface Mounted {
  el: HTMLElement;
  store: PanelStore;
  link: FakeLink;
  prefsSaved: PanelPrefs[];
  refreshes: number;
  /** Sends worker events to the store and lets the panel render them. */
  send(...events: WorkerEvent[]): Promise<void>;
  /** Runs `fn` and lets the panel re-render. */
  act(fn: () => void | Promise<void>): Promise<void>;
  $(testid: string): HTMLElement | null;
  $$(testid: string): HTMLElement[];
  unmount(): void;
}

export async function mountPanel(over: Partial<AppProps> = {}, opts: { prefs?: Partial<PanelPrefs> } = {}): Promise<Mounted> {
  const el = document.createElement('div');
  document.body.appendChild(el);
  const store = new PanelStore({ schedule: () => undefined, now: () => NOW });
  store.openPackage(PKG);
  const link = fakeLink();
  link.onEvent((e) => {
    store.handle(e);
    store.flush();
  });
  const m: Mounted = {
    el,
    store,
    link,
    prefsSaved: [],
    refreshes: 0,
    async send(...events) {
      await act(() => {
        for (const e of events) link.emit(e);
      });
    },
    async act(fn) {
      await act(fn);
    },
    $: (id) => el.querySelector(`[data-testid="${id}"]`),
    $$: (id) => [...el.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)],
    unmount() {
      render(null, el);
      el.remove();
    },
  };
  await act(() => {
    render(
      <App
        store={store}
        link={link}
        onRefresh={() => {
          m.refreshes++;
          link.post({ type: 'open', packageId: PKG, refresh: true });
        }}
        initialPrefs={{ ...DEFAULT_PREFS, ...opts.prefs }}
        onPrefs={(p) => m.prefsSaved.push(p)}
        settingsDays={90}
        root={null}
        clock={() => NOW}
        {...over}
      />,
      el,
    );
  });
  return m;
}

/** Types into an input the way a user does (value + input event). */
export function typeInto(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

export function changeValue(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}
