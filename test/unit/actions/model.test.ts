// The panel's actions model: what it asks the worker, and which answers it keeps.
import { ActionsModel, SEARCH_DEBOUNCE_MS } from '../../../src/panel/actions/model';
import type { ActionEntry } from '../../../src/messages';
import { PanelStore } from '../../../src/panel/store';
import { fakeLink } from '../panel/render';
import { NOW, PKG, PKG2 } from '../panel/fixtures';

function setup() {
  const store = new PanelStore({ schedule: () => undefined, now: () => NOW });
  const link = fakeLink();
  let t = 0;
  const timers = new Map<number, { at: number; cb: () => void }>();
  let clock = 0;
  const model = new ActionsModel(store, link, {
    timers: {
      setTimeout: (cb, ms) => (timers.set(++t, { at: clock + ms, cb }), t),
      clearTimeout: (h) => void timers.delete(h as number),
    },
    newId: () => `batch-${link.posted.length}`,
  });
  const advance = (ms: number): void => {
    clock += ms;
    for (const [id, x] of [...timers]) {
      if (x.at <= clock) {
        timers.delete(id);
        x.cb();
      }
    }
  };
  model.start();
  return { store, link, model, advance };
}

const entry = (key: string, result: ActionEntry['result'], pkg = PKG): ActionEntry => ({
  batchId: 'B1',
  kind: 'remove',
  key,
  label: key,
  packageId: pkg,
  actor: 'admin@contoso.com',
  result,
  at: '2025-06-15T12:00:00Z',
});

test('opening a package asks for its log; signing in asks again (for the roles)', () => {
  const { store, link } = setup();
  store.openPackage(PKG);
  expect(link.posted).toEqual([{ type: 'action-log', packageId: PKG }]);
  store.handle({ type: 'auth', auth: { status: 'signed-out' } });
  store.handle({ type: 'auth', auth: { status: 'signed-in', username: 'admin@contoso.com' } });
  expect(link.posted.at(-1)).toEqual({ type: 'action-log', packageId: PKG });
  expect(link.posted).toHaveLength(2);
});

test("only the open package's log and roles are kept; a new package starts empty", () => {
  const { store, link, model } = setup();
  store.openPackage(PKG);
  link.emit({ type: 'actions', packageId: PKG2, entries: [entry('x', 'done', PKG2)] });
  expect(model.entries).toEqual([]);
  link.emit({ type: 'actions', packageId: PKG, entries: [entry('a', 'done'), entry('b', 'failed'), { bogus: true } as unknown as ActionEntry] });
  link.emit({ type: 'roles', packageId: PKG, canWrite: 'unknown', roles: ['Catalog reader'], explanation: 'why' });
  expect(model.counts()).toEqual({ batchId: 'B1', pending: 0, failed: 1, done: 1 });
  expect(model.roles).toEqual({ canWrite: 'unknown', roles: ['Catalog reader'], explanation: 'why' });
  store.openPackage(PKG2);
  expect(model.entries).toEqual([]);
  expect(model.roles).toBeNull();
  expect(model.counts().batchId).toBeNull();
});

test('search: debounced, a new seq per search sent, stale answers ignored', () => {
  const { store, link, model, advance } = setup();
  store.openPackage(PKG);
  link.posted.length = 0;
  model.setSearchQuery('an');
  advance(SEARCH_DEBOUNCE_MS - 1);
  model.setSearchQuery('ann');
  advance(SEARCH_DEBOUNCE_MS - 1);
  expect(link.posted).toEqual([]);
  advance(1);
  expect(link.posted).toEqual([{ type: 'search-users', query: 'ann', seq: 1 }]);
  model.setSearchQuery('anna');
  advance(SEARCH_DEBOUNCE_MS);
  expect(link.posted.at(-1)).toEqual({ type: 'search-users', query: 'anna', seq: 2 });
  const u = (id: string) => ({ id, displayName: id, userPrincipalName: `${id}@x`, mail: '' });
  link.emit({ type: 'search-results', seq: 1, users: [u('old')] });
  expect(model.search.users).toEqual([]);
  link.emit({ type: 'search-results', seq: 2, users: [u('anna')] });
  expect(model.search).toMatchObject({ users: [u('anna')], loading: false, error: null });
});

test('delivery status: asked in chunks the worker accepts; ids without a request say so', () => {
  const { store, link, model } = setup();
  store.openPackage(PKG);
  link.posted.length = 0;
  const ids = Array.from({ length: 501 }, (_, i) => `a${i}`);
  model.requestDelivery(ids);
  expect(link.posted.map((p) => (p.type === 'delivery-status' ? p.assignmentIds.length : 0))).toEqual([500, 1]);
  expect(model.delivery.get('a0')).toEqual({ kind: 'loading' });
  const status = { assignmentId: 'a0', requestId: 'r', requestType: 'adminAdd', state: 'deliveryFailed', status: 'Failed', createdDateTime: null, completedDateTime: null };
  link.emit({ type: 'delivery', statuses: [status], requested: ['a0', 'a1'] });
  expect(model.delivery.get('a0')).toEqual({ kind: 'found', status });
  expect(model.delivery.get('a1')).toEqual({ kind: 'none' });
  link.emit({ type: 'delivery', statuses: [], requested: ['a2'], error: 'Forbidden' });
  expect(model.delivery.get('a2')).toEqual({ kind: 'error', message: 'Forbidden' });
});

test('remove and add send one request each with a fresh batch id and the labels', () => {
  const { store, link, model } = setup();
  store.openPackage(PKG);
  link.posted.length = 0;
  expect(model.remove({ ids: [], labels: [], skipped: 2, hidden: 0 }, 'x')).toBeNull();
  const id = model.remove({ ids: ['a', 'b'], labels: ['A', 'B'], skipped: 0, hidden: 0 }, 'state: delivered');
  expect(link.posted).toEqual([{ type: 'remove', batchId: id, packageId: PKG, assignmentIds: ['a', 'b'], filter: 'state: delivered', labels: ['A', 'B'] }]);
  model.add('p1', [{ id: 'u1', displayName: '', userPrincipalName: 'u1@x', mail: '' }], '2025-07-01T00:00:00Z', null);
  expect(link.posted[1]).toMatchObject({ type: 'add', packageId: PKG, policyId: 'p1', userIds: ['u1'], labels: ['u1@x'], start: '2025-07-01T00:00:00Z', end: null });
  expect((link.posted[1] as { batchId: string }).batchId).not.toBe(id);
});
