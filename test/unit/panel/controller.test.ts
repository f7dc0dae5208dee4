import { TextDecoder, TextEncoder } from 'node:util';
import { serializeFilter } from '../../../src/core/filters';
import { createController, FILTER_SAVE_DELAY_MS, PING_INTERVAL_MS } from '../../../src/panel/controller';
import { filterKey, memoryStore } from '../../../src/panel/storage';
import { PanelStore } from '../../../src/panel/store';
import { NOW, PKG, PKG2, loadEvents, rows } from './fixtures';
import { fakeLink } from './render';

Object.assign(globalThis, { TextEncoder, TextDecoder });

const route = (id: string) => `#view/Microsoft_Azure_ELMAdmin/EntitlementMenuBlade/~/overview/entitlementId/${id}`;

function setup(initial: Record<string, unknown> = {}) {
  const kv = memoryStore(initial);
  const store = new PanelStore({ schedule: () => undefined, now: () => NOW });
  const link = fakeLink();
  const intervals: { cb: () => void; ms: number; cleared: boolean }[] = [];
  const timeouts: { cb: () => void; ms: number; cleared: boolean }[] = [];
  const timers = {
    setInterval: (cb: () => void, ms: number) => {
      const t = { cb, ms, cleared: false };
      intervals.push(t);
      return t;
    },
    clearInterval: (h: unknown) => void ((h as { cleared: boolean }).cleared = true),
    setTimeout: (cb: () => void, ms: number) => {
      const t = { cb, ms, cleared: false };
      timeouts.push(t);
      return t;
    },
    clearTimeout: (h: unknown) => void ((h as { cleared: boolean }).cleared = true),
  };
  const routes: (string | null)[] = [];
  const ctl = createController({ store, link, kv, timers, onRoute: (id) => void routes.push(id) });
  const runTimeouts = () => {
    for (const t of timeouts.splice(0)) if (!t.cleared) t.cb();
  };
  return { kv, store, link, ctl, intervals, runTimeouts, routes };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

test('a package opened for the first time has no filter', async () => {
  const { store, ctl } = setup();
  ctl.follower.update(route(PKG));
  await settle();
  expect(store.state.packageId).toBe(PKG);
  expect(store.state.filter).toEqual({ search: '', facets: {} });
});

test('the saved filter of a package is restored when it is opened again', async () => {
  const saved = { search: 'anna', facets: { state: ['expired'] } };
  const { store, ctl, link, routes } = setup({ [filterKey(PKG)]: serializeFilter(saved) });
  ctl.follower.update(route(PKG));
  expect(link.posted).toEqual([{ type: 'open', packageId: PKG }]);
  expect(routes).toEqual([PKG]);
  await settle();
  expect(store.state.filter).toEqual(saved);
});

test('filter changes are saved per package after a pause, and switching packages does not wipe them', async () => {
  const { store, ctl, kv, runTimeouts } = setup();
  ctl.follower.update(route(PKG));
  await settle();
  store.setSearch('a');
  store.setSearch('an');
  runTimeouts();
  expect(kv.data.get(filterKey(PKG))).toBe(serializeFilter({ search: 'an', facets: {} }));
  store.setSearch('ann');
  ctl.follower.update(route(PKG2)); // leaves before the pause: the pending write still happens
  await settle();
  runTimeouts();
  expect(kv.data.get(filterKey(PKG))).toBe(serializeFilter({ search: 'ann', facets: {} }));
  expect(kv.data.has(filterKey(PKG2))).toBe(false);
  expect(store.state.filter.search).toBe('');
  expect(FILTER_SAVE_DELAY_MS).toBeGreaterThan(0);
});

test('a garbage saved filter is ignored', async () => {
  const { store, ctl } = setup({ [filterKey(PKG)]: '%%%garbage' });
  ctl.follower.update(route(PKG));
  await settle();
  expect(store.state.filter).toEqual({ search: '', facets: {} });
});

test('pings keep the worker alive while a package is shown, and stop on other routes', () => {
  const { ctl, link, intervals } = setup();
  ctl.follower.update(route(PKG));
  expect(intervals).toHaveLength(1);
  expect(intervals[0].ms).toBe(PING_INTERVAL_MS);
  intervals[0].cb();
  expect(link.posted.at(-1)).toEqual({ type: 'ping' });
  ctl.follower.update('#home');
  expect(intervals[0].cleared).toBe(true);
  expect(link.posted.at(-1)).toEqual({ type: 'cancel' });
});

test('worker events reach the store', () => {
  const { store, ctl, link } = setup();
  ctl.follower.update(route(PKG));
  for (const e of loadEvents('L1', rows(3))) link.emit(e);
  expect(store.state.rows).toHaveLength(3);
});

test('after an interactive sign-in, a package whose load failed is opened again', () => {
  const { store, ctl, link } = setup();
  ctl.follower.update(route(PKG));
  link.emit({ type: 'auth', auth: { status: 'signed-out' } });
  link.emit({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false });
  link.emit({ type: 'load-error', loadId: 'L1', packageId: PKG, message: 'Sign in first', code: 'not-signed-in' });
  link.posted.length = 0;
  link.emit({ type: 'auth', auth: { status: 'signing-in' } });
  link.emit({ type: 'auth', auth: { status: 'signed-in', username: 'admin@contoso.com' } });
  expect(link.posted).toEqual([{ type: 'open', packageId: PKG, refresh: true }]);
  expect(store.state.auth?.status).toBe('signed-in');
});

test('a sign-in that the worker resumes itself (no load failed) does not open again', () => {
  const { ctl, link } = setup();
  ctl.follower.update(route(PKG));
  link.emit({ type: 'auth', auth: { status: 'signed-out' } });
  link.posted.length = 0;
  link.emit({ type: 'auth', auth: { status: 'signed-in', username: 'a' } });
  link.emit({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false });
  link.emit({ type: 'auth', auth: { status: 'signed-out' } });
  link.emit({ type: 'auth', auth: { status: 'signed-in', username: 'a' } });
  expect(link.posted).toEqual([]);
});

test('refresh re-fetches the current package skipping the cache', () => {
  const { ctl, link } = setup();
  ctl.refresh();
  expect(link.posted).toEqual([]);
  ctl.follower.update(route(PKG));
  ctl.refresh();
  expect(link.posted.at(-1)).toEqual({ type: 'open', packageId: PKG, refresh: true });
});
