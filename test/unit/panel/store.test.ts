import { facetsPrepared } from '../../../src/core/filters';
import type { WorkerEvent } from '../../../src/messages';
import { COMMIT_INTERVAL_MS, MAX_COMMIT_INTERVAL_MS, PanelStore, SEARCH_PREP_DELAY_MS, SEARCH_PREP_ROWS, isBusy } from '../../../src/panel/store';
import { PKG, PKG2, daysAgo, loadEvents, manualStore, row, rows, user } from './fixtures';

const ids = (list: readonly { id: string }[]) => list.map((r) => r.id);

function opened() {
  const m = manualStore();
  m.store.openPackage(PKG);
  return m;
}

describe('loads', () => {
  test('with nothing shown, rows stream in as they arrive (committed on the next tick)', () => {
    const { store, tick } = opened();
    store.handle({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false });
    expect(store.state.loading).toBe(true);
    store.handle({ type: 'rows', loadId: 'L1', rows: rows(3) });
    store.handle({ type: 'rows', loadId: 'L1', rows: rows(2, 3) });
    tick();
    expect(ids(store.view().shown)).toEqual(['as-0', 'as-1', 'as-2', 'as-3', 'as-4']);
    expect(store.state.loading).toBe(true);
    expect(store.state.complete).toBe(false);
    store.handle({ type: 'load-done', loadId: 'L1', packageId: PKG, total: 5, fetchedAt: daysAgo(0), missing: [], enriching: false });
    expect(store.state.loading).toBe(false);
    expect(store.state.complete).toBe(true);
    expect(store.state.reportedTotal).toBe(5);
  });

  test('a refresh keeps the cached list shown until its load-done, then swaps in one step', () => {
    const { store, tick } = opened();
    for (const e of loadEvents('C1', rows(3), { fromCache: true })) store.handle(e);
    expect(store.state.fromCache).toBe(true);
    store.handle({ type: 'load-start', packageId: PKG, loadId: 'L2', fromCache: false });
    expect(store.state.refreshing).toBe(true);
    store.handle({ type: 'rows', loadId: 'L2', rows: [row(7)] });
    tick();
    expect(ids(store.view().shown)).toEqual(['as-0', 'as-1', 'as-2']);
    expect(store.state.fromCache).toBe(true);
    store.handle({ type: 'rows', loadId: 'L2', rows: [row(8)] });
    store.handle({ type: 'load-done', loadId: 'L2', packageId: PKG, total: 2, fetchedAt: daysAgo(0), missing: [], enriching: false });
    expect(ids(store.view().shown)).toEqual(['as-7', 'as-8']);
    expect(store.state.fromCache).toBe(false);
    expect(store.state.refreshing).toBe(false);
  });

  test('events of a stale loadId or another package are ignored', () => {
    const { store, tick } = opened();
    store.handle({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false });
    store.handle({ type: 'rows', loadId: 'L1', rows: rows(2) });
    store.handle({ type: 'load-start', packageId: PKG2, loadId: 'X', fromCache: false });
    expect(store.state.loadId).toBe('L1');
    store.handle({ type: 'load-start', packageId: PKG, loadId: 'L2', fromCache: false });
    store.handle({ type: 'rows', loadId: 'L1', rows: [row(50)] });
    store.handle({ type: 'load-done', loadId: 'L1', packageId: PKG, total: 3, fetchedAt: daysAgo(0), missing: [], enriching: false });
    store.handle({ type: 'load-error', loadId: 'L1', packageId: PKG, message: 'old' });
    store.handle({ type: 'users', loadId: 'L1', users: [user(0, { accountEnabled: false })] });
    store.handle({ type: 'rows', loadId: 'L2', rows: [row(9)] });
    tick();
    expect(store.state.loading).toBe(true);
    expect(store.state.error).toBeNull();
    // L1 never completed, so L2 streams from scratch: nothing of L1 remains.
    expect(ids(store.view().shown)).toEqual(['as-9']);
    expect(store.view().stale.total).toBe(0);
  });

  test('a row listed twice (pages shifted during paging) is kept once', () => {
    const { store, tick } = opened();
    store.handle({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false });
    store.handle({ type: 'rows', loadId: 'L1', rows: rows(3) });
    store.handle({ type: 'rows', loadId: 'L1', rows: rows(3, 2) });
    tick();
    expect(ids(store.view().viewRows)).toEqual(['as-0', 'as-1', 'as-2', 'as-3', 'as-4']);
  });

  test('a failed refresh keeps the shown list and reports the error', () => {
    const { store } = opened();
    for (const e of loadEvents('C1', rows(2), { fromCache: true })) store.handle(e);
    store.handle({ type: 'load-start', packageId: PKG, loadId: 'L2', fromCache: false });
    store.handle({ type: 'rows', loadId: 'L2', rows: [row(5)] });
    store.handle({ type: 'load-error', loadId: 'L2', packageId: PKG, message: 'Forbidden', code: '403' });
    expect(store.state.error).toEqual({ message: 'Forbidden', code: '403' });
    expect(store.state.loading).toBe(false);
    expect(ids(store.view().shown)).toEqual(['as-0', 'as-1']);
    expect(store.state.complete).toBe(true);
  });

  test('a failed first load leaves the partial rows marked incomplete', () => {
    const { store, tick } = opened();
    store.handle({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false });
    store.handle({ type: 'rows', loadId: 'L1', rows: rows(2) });
    store.handle({ type: 'load-error', loadId: 'L1', packageId: PKG, message: 'Network down' });
    tick();
    expect(store.view().shown).toHaveLength(2);
    expect(store.state.complete).toBe(false);
    expect(store.state.error?.message).toBe('Network down');
  });

  test('missing pages are kept with the completed load', () => {
    const { store } = opened();
    const missing = [{ partition: 'policy Sales, state delivered', page: 'https://graph/x', error: '503' }];
    store.handle({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false });
    store.handle({ type: 'load-done', loadId: 'L1', packageId: PKG, total: 0, fetchedAt: daysAgo(0), missing, enriching: false });
    expect(store.state.missing).toEqual(missing);
  });

  test('opening another package drops everything of the previous one, including the filter', () => {
    const { store } = opened();
    for (const e of loadEvents('L1', rows(2))) store.handle(e);
    store.setSearch('user 1');
    store.toggleSelected('as-1');
    store.openPackage(PKG2);
    expect(store.state.rows).toHaveLength(0);
    expect(store.state.filter).toEqual({ search: '', facets: {} });
    expect(store.state.selection.size).toBe(0);
    expect(store.state.loadId).toBeNull();
  });
});

describe('users and stale rows', () => {
  const signIn: WorkerEvent = { type: 'sign-in-data', loadId: 'L1', availability: { available: true } };

  test('users merge into the view, at most one index rebuild per tick', () => {
    const { store, tick, ticks } = opened();
    for (const e of loadEvents('L1', rows(3))) store.handle(e);
    store.handle(signIn);
    const before = store.view().index;
    while (ticks() > 0) tick(); // the search text and facet sets, built ahead (see below)
    store.handle({ type: 'users', loadId: 'L1', users: [user(0, { accountEnabled: false })] });
    store.handle({ type: 'users', loadId: 'L1', users: [user(1, { lastSuccessfulSignIn: daysAgo(200) })] });
    expect(ticks()).toBe(1);
    expect(store.view().index).toBe(before);
    tick();
    const v = store.view();
    expect(v.index).not.toBe(before);
    expect(v.viewRows.map((r) => r.staleReasons)).toEqual([['disabled'], ['inactive'], []]);
    expect(v.stale).toEqual({
      total: 2,
      byReason: { deleted: 0, disabled: 1, inactive: 1, 'never-signed-in': 0, 'invitation-pending': 0 },
    });
  });

  test('changing the threshold re-derives the stale reasons', () => {
    const { store, tick } = opened();
    for (const e of loadEvents('L1', rows(1))) store.handle(e);
    store.handle(signIn);
    store.handle({ type: 'users', loadId: 'L1', users: [user(0, { lastSuccessfulSignIn: daysAgo(100) })] });
    tick();
    expect(store.view().viewRows[0].staleReasons).toEqual(['inactive']);
    store.setStaleAfterDays(120);
    expect(store.view().viewRows[0].staleReasons).toEqual([]);
    store.setStaleAfterDays(0); // clamped to 1 day: a typo cannot mark nobody or everybody
    expect(store.state.staleAfterDays).toBe(1);
  });

  test('without sign-in data, inactivity is not claimed', () => {
    const { store, tick } = opened();
    for (const e of loadEvents('L1', rows(1))) store.handle(e);
    store.handle({ type: 'sign-in-data', loadId: 'L1', availability: { available: false, reason: 'No P1 licence' } });
    store.handle({ type: 'users', loadId: 'L1', users: [user(0, { lastSuccessfulSignIn: daysAgo(500) })] });
    tick();
    expect(store.view().viewRows[0].staleReasons).toEqual([]);
    expect(store.state.signIn).toEqual({ available: false, reason: 'No P1 licence' });
  });

  test('enrichment state follows load-done and enrich-done', () => {
    const { store } = opened();
    store.handle({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false });
    store.handle({ type: 'load-done', loadId: 'L1', packageId: PKG, total: 0, fetchedAt: daysAgo(0), missing: [], enriching: true });
    expect(store.state.enriching).toBe(true);
    store.handle({ type: 'enrich-done', loadId: 'L1' });
    expect(store.state.enriching).toBe(false);
  });
});

describe('filter, sort, selection', () => {
  function loaded() {
    const m = opened();
    const list = [
      row(0, { displayName: 'Carla', policyId: 'p-a', policyName: 'A' }),
      row(1, { displayName: 'anna', policyId: 'p-b', policyName: 'B' }),
      row(2, { displayName: 'Bert', policyId: 'p-a', policyName: 'A' }),
    ];
    for (const e of loadEvents('L1', list)) m.store.handle(e);
    return m;
  }

  test('a keystroke re-runs the filter, not the index', () => {
    const { store } = loaded();
    const index = store.view().index;
    store.setSearch('ANNA');
    expect(ids(store.view().shown)).toEqual(['as-1']);
    expect(store.view().index).toBe(index);
  });

  test('a facet value toggles on and off', () => {
    const { store } = loaded();
    store.toggleFacetValue('policy', 'p-a');
    expect(ids(store.view().shown)).toEqual(['as-0', 'as-2']);
    expect(store.view().counts.policy).toEqual({ 'p-a': 2, 'p-b': 1 });
    store.toggleFacetValue('policy', 'p-a');
    expect(store.view().shown).toHaveLength(3);
    expect(store.state.filter.facets).toEqual({});
  });

  test('going back to an earlier filter shows its rows without filtering again; new data is filtered anew', () => {
    const { store, tick } = loaded();
    const all = store.view().shown;
    store.setSearch('an');
    const an = store.view().shown;
    store.setSearch('ann');
    store.setSearch('an'); // a letter erased
    expect(store.view().shown).toBe(an);
    store.setSearch('');
    store.toggleFacetValue('policy', 'p-b');
    store.toggleFacetValue('policy', 'p-a');
    const both = store.view().counts;
    store.toggleFacetValue('policy', 'p-b');
    store.toggleFacetValue('policy', 'p-b'); // ticked again: the same filter in another order
    expect(store.view().counts).toBe(both);
    store.clearFilters();
    expect(store.view().shown).toBe(all);
    // A user's data changed: the same filter is worked out again, with the new stale reasons.
    store.handle({ type: 'users', loadId: 'L1', users: [user(0, { accountEnabled: false })] });
    tick();
    const after = store.view().shown;
    expect(after).not.toBe(all);
    expect(after.find((r) => r.id === 'as-0')?.staleReasons).toContain('disabled');
  });

  test('sorting cycles asc, desc, list order, and the filter keeps the sorted order', () => {
    const { store } = loaded();
    store.cycleSort('displayName');
    expect(ids(store.view().shown)).toEqual(['as-1', 'as-2', 'as-0']);
    store.toggleFacetValue('policy', 'p-a');
    expect(ids(store.view().shown)).toEqual(['as-2', 'as-0']);
    store.cycleSort('displayName');
    expect(ids(store.view().shown)).toEqual(['as-0', 'as-2']);
    expect(ids(store.view().allSorted)).toEqual(['as-0', 'as-2', 'as-1']);
    store.cycleSort('displayName');
    expect(store.state.sort).toBeNull();
    expect(ids(store.view().shown)).toEqual(['as-0', 'as-2']);
  });

  test('select all takes every row of the filtered view; a swap drops vanished rows', () => {
    const { store } = loaded();
    store.toggleFacetValue('policy', 'p-a');
    store.selectAllShown();
    expect([...store.state.selection].sort()).toEqual(['as-0', 'as-2']);
    store.toggleSelected('as-2');
    expect([...store.state.selection]).toEqual(['as-0']);
    store.handle({ type: 'load-start', packageId: PKG, loadId: 'L2', fromCache: false });
    store.handle({ type: 'rows', loadId: 'L2', rows: [row(1), row(2)] });
    store.handle({ type: 'load-done', loadId: 'L2', packageId: PKG, total: 2, fetchedAt: daysAgo(0), missing: [], enriching: false });
    expect(store.state.selection.size).toBe(0);
  });

  test('selectedRows lists the selection, including rows the filter hides', () => {
    const { store } = loaded();
    store.setSelected(['as-1', 'as-0'], true);
    store.toggleFacetValue('policy', 'p-a');
    expect(ids(store.selectedRows())).toEqual(['as-0', 'as-1']);
    store.clearSelection();
    expect(store.selectedRows()).toEqual([]);
  });

  test('subscribers hear every change', () => {
    const { store } = loaded();
    let n = 0;
    const off = store.subscribe(() => n++);
    store.setSearch('x');
    store.cycleSort('state');
    off();
    store.setSearch('y');
    expect(n).toBe(2);
  });
});

describe('isBusy (data-loading)', () => {
  test('true from opening until rows and user details are in', () => {
    const { store } = opened();
    expect(isBusy(store.state)).toBe(true);
    store.handle({ type: 'auth', auth: { status: 'signed-in', username: 'a' } });
    store.handle({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false });
    expect(isBusy(store.state)).toBe(true);
    store.handle({ type: 'load-done', loadId: 'L1', packageId: PKG, total: 0, fetchedAt: daysAgo(0), missing: [], enriching: true });
    expect(isBusy(store.state)).toBe(true);
    store.handle({ type: 'enrich-done', loadId: 'L1' });
    expect(isBusy(store.state)).toBe(false);
  });

  test('true while the worker waits for a sign-in; false once the load failed', () => {
    const { store } = opened();
    store.handle({ type: 'auth', auth: { status: 'signed-out' } });
    expect(isBusy(store.state)).toBe(true);
    store.handle({ type: 'auth', auth: { status: 'signed-in', username: 'a' } });
    store.handle({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false });
    store.handle({ type: 'load-error', loadId: 'L1', packageId: PKG, message: 'x' });
    expect(isBusy(store.state)).toBe(false);
  });

  test('false with no package open', () => {
    const { store } = manualStore();
    expect(isBusy(store.state)).toBe(false);
  });
});

test('the search text and the rows of each facet value of a complete list are built ahead of their first use, a slice per task', () => {
  const queue: Array<{ cb: () => void; ms: number }> = [];
  const store = new PanelStore({ schedule: (cb, ms) => void queue.push({ cb, ms }), now: () => 0 });
  const next = (): number => {
    const { cb, ms } = queue.shift()!;
    cb();
    return ms;
  };
  store.openPackage(PKG);
  const n = 2 * SEARCH_PREP_ROWS + 5;
  const [start, pkg, list, done] = loadEvents('L1', rows(n));
  for (const e of [start, pkg, list]) store.handle(e);
  while (queue.length) next(); // commits while the list streams in
  store.view();
  // Nothing before the list is complete: a load's commits rebuild the index anyway.
  expect(queue).toHaveLength(0);
  store.handle(done);
  const index = store.view().index;
  expect(index.haystacks).toBeNull();
  expect(queue.map((q) => q.ms)).toEqual([SEARCH_PREP_DELAY_MS]);
  const built: number[] = [];
  const facets: boolean[] = [];
  while (queue.length) {
    next();
    built.push(index.haystacks?.length ?? 0);
    facets.push(facetsPrepared(index));
  }
  // The text first; then, with the last slice of text, a facet column per task (8 of them), the stale reasons last.
  expect(built).toEqual([SEARCH_PREP_ROWS, 2 * SEARCH_PREP_ROWS, ...Array<number>(9).fill(n)]);
  expect(facets).toEqual([...Array<boolean>(10).fill(false), true]);
  // The grams (core/search-grams) come with the text, slice by slice.
  expect(index.grams?.rows).toBe(n);
  // Nothing more is scheduled for this list, and the first search uses what was built.
  store.view();
  expect(queue).toHaveLength(0);
  const hay = index.haystacks;
  store.setSearch(`user ${n - 1}`);
  const v = store.view();
  expect(v.index).toBe(index);
  expect(index.haystacks).toBe(hay);
  expect(v.shown.map((r) => r.id)).toEqual([`as-${n - 1}`]);
  // A ticked value answers from the sets built (the same rows a fresh index gives).
  store.setSearch('');
  const state = index.rows[7].state;
  store.setFacet('state', [state]);
  const ticked = store.view();
  expect(ticked.index).toBe(index);
  expect(ticked.shown.map((r) => r.id)).toEqual(index.rows.filter((r) => r.state === state).map((r) => r.id));
});

test('commits slow down when rebuilding the view is costly (streaming 100,000 rows stays responsive)', () => {
  let t = 0;
  const delays: number[] = [];
  // A clock that advances 100 ms at every reading: each rebuild "costs" a few hundred ms.
  const store = new PanelStore({ schedule: (_cb, ms) => void delays.push(ms), now: () => (t += 100) });
  store.openPackage(PKG);
  store.handle({ type: 'load-start', packageId: PKG, loadId: 'L1', fromCache: false });
  store.handle({ type: 'rows', loadId: 'L1', rows: rows(2) });
  // The first rows are committed at once: nothing is on screen yet, so nothing waits for a timer.
  expect(delays).toEqual([]);
  expect(store.state.rows).toHaveLength(2);
  store.view();
  store.handle({ type: 'rows', loadId: 'L1', rows: rows(2, 2) });
  expect(delays[0]).toBeGreaterThan(COMMIT_INTERVAL_MS);
  expect(delays[0]).toBeLessThanOrEqual(MAX_COMMIT_INTERVAL_MS);
  expect(store.state.rows).toHaveLength(2);
});
