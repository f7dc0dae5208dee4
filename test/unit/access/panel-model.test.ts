// The panel's access model: worker events in, rows marked for data-access / the Access facet / the CSV out.
import { AccessModel } from '../../../src/panel/access/model';
import { loadEvents, manualStore, PKG, PKG2, row, rows } from '../panel/fixtures';
import { fakeLink } from '../panel/render';

function setup() {
  const { store } = manualStore();
  const link = fakeLink();
  store.openPackage(PKG);
  for (const e of loadEvents('l1', rows(4))) store.handle(e);
  store.flush();
  const model = new AccessModel(store, link);
  model.start();
  return { store, link, model };
}

const resources = [
  { id: 'rs-g', kind: 'groupMember' as const, objectId: 'g1', displayName: 'Sales', roleName: 'Member', status: 'checking' as const },
  { id: 'rs-s', kind: 'sharePoint' as const, objectId: 'https://x/sites/s', displayName: 'Site', roleName: 'Visitors', status: 'not-checked' as const, reason: 'sharepoint' as const },
];

describe('AccessModel', () => {
  it('posts the check, collects resources, outside holders and rows, and marks the rows when done', () => {
    const { store, link, model } = setup();
    model.check();
    expect(link.posted).toEqual([{ type: 'check-access', packageId: PKG }]);
    expect(model.view.loading).toBe(true);
    link.emit({ type: 'access-start', packageId: PKG, checkId: 'c1', recheck: false, resources });
    link.emit({ type: 'access-resource', packageId: PKG, checkId: 'c1', resource: { ...resources[0], status: 'checked', holders: 3, missing: 1, outside: 1 } });
    link.emit({ type: 'access-outside', packageId: PKG, checkId: 'c1', resourceId: 'rs-g', principals: [{ objectId: 'x1', type: 'user', displayName: 'X', principalName: 'x@c.com' }] });
    link.emit({
      type: 'access-rows',
      packageId: PKG,
      checkId: 'c1',
      entries: [
        { id: 'as-0', value: 'complete', missing: [], reasons: [] },
        { id: 'as-1', value: 'missing', missing: ['rs-g'], reasons: [] },
        { id: 'as-2', value: 'pending', missing: [], reasons: [] },
        { id: 'as-3', value: 'not-checked', missing: [], reasons: ['not-delivered'] },
      ],
    });
    // Rows are applied once the check is done, in one step.
    expect(store.view().viewRows.every((r) => r.access === undefined)).toBe(true);
    link.emit({ type: 'access-done', packageId: PKG, checkId: 'c1' });
    expect(model.view.loading).toBe(false);
    expect(model.counts()).toEqual({ complete: 1, missing: 1, 'not-checked': 1, pending: 1 });
    expect(model.missingIds()).toEqual(['as-1']);
    expect(model.view.outside.get('rs-g')?.map((p) => p.objectId)).toEqual(['x1']);
    const byId = new Map(store.view().viewRows.map((r) => [r.id, r.access]));
    expect(byId.get('as-1')).toEqual({ value: 'missing', missing: ['Sales (Member)'], reasons: [] });
    expect(store.view().counts.access).toMatchObject({ complete: 1, missing: 1, pending: 1, 'not-checked': 1, none: 0 });
  });

  it('ignores events of another package or an older check, and forgets everything when the package changes', () => {
    const { store, link, model } = setup();
    link.emit({ type: 'access-start', packageId: PKG2, checkId: 'x', recheck: false, resources });
    expect(model.view.resources).toEqual([]);
    link.emit({ type: 'access-start', packageId: PKG, checkId: 'c2', recheck: false, resources });
    link.emit({ type: 'access-rows', packageId: PKG, checkId: 'old', entries: [{ id: 'as-0', value: 'missing', missing: [], reasons: [] }] });
    link.emit({ type: 'access-done', packageId: PKG, checkId: 'c2' });
    expect(model.view.rows.size).toBe(0);
    store.openPackage(PKG2);
    expect(model.view.packageId).toBe(PKG2);
    expect(model.view.resources).toEqual([]);
  });

  it('a re-check asks for the given rows and replaces only their results', () => {
    const { link, model } = setup();
    link.emit({ type: 'access-start', packageId: PKG, checkId: 'c1', recheck: false, resources });
    link.emit({ type: 'access-rows', packageId: PKG, checkId: 'c1', entries: [{ id: 'as-0', value: 'missing', missing: ['rs-g'], reasons: [] }, { id: 'as-1', value: 'complete', missing: [], reasons: [] }] });
    link.emit({ type: 'access-done', packageId: PKG, checkId: 'c1' });
    model.recheck(['as-0']);
    expect(link.posted.at(-1)).toEqual({ type: 'recheck-access', packageId: PKG, assignmentIds: ['as-0'] });
    link.emit({ type: 'access-start', packageId: PKG, checkId: 'c2', recheck: true, resources: [resources[0]] });
    link.emit({ type: 'access-rows', packageId: PKG, checkId: 'c2', entries: [{ id: 'as-0', value: 'complete', missing: [], reasons: [] }] });
    link.emit({ type: 'access-done', packageId: PKG, checkId: 'c2' });
    expect(model.counts()).toMatchObject({ complete: 2, missing: 0 });
    expect(model.view.resources).toHaveLength(2);
  });

  it('re-checks exactly the rows a reprocess batch reprocessed, once it has finished', () => {
    const { link } = setup();
    link.emit({ type: 'access-start', packageId: PKG, checkId: 'c1', recheck: false, resources });
    link.emit({ type: 'access-rows', packageId: PKG, checkId: 'c1', entries: ['as-0', 'as-1', 'as-2'].map((id) => ({ id, value: 'missing' as const, missing: ['rs-g'], reasons: [] })) });
    link.emit({ type: 'access-done', packageId: PKG, checkId: 'c1' });
    const entry = (key: string, result: 'pending' | 'done' | 'failed', kind = 'reprocess') =>
      ({ batchId: 'b1', kind, key, label: key, packageId: PKG, actor: 'admin', result, at: '2026-01-01T00:00:00Z' }) as never;
    // A batch already finished before the model saw it in progress (an old log) is not re-checked.
    link.emit({ type: 'actions', packageId: PKG, entries: [{ ...(entry('as-2', 'done') as object), batchId: 'old' } as never] });
    expect(link.posted).toHaveLength(0);
    link.emit({ type: 'actions', packageId: PKG, entries: [entry('as-0', 'pending'), entry('as-1', 'pending'), entry('as-2', 'pending', 'remove')] });
    expect(link.posted).toHaveLength(0);
    link.emit({ type: 'actions', packageId: PKG, entries: [entry('as-0', 'done'), entry('as-1', 'failed'), entry('as-2', 'done', 'remove')] });
    expect(link.posted).toEqual([{ type: 'recheck-access', packageId: PKG, assignmentIds: ['as-0'] }]);
    link.emit({ type: 'actions', packageId: PKG, entries: [entry('as-0', 'done'), entry('as-1', 'failed')] });
    expect(link.posted).toHaveLength(1);
  });

  it('after a check every row carries a value: rows added or changed since say not checked (not in the check)', () => {
    const { store, link, model } = setup();
    link.emit({ type: 'access-start', packageId: PKG, checkId: 'c1', recheck: false, resources });
    link.emit({
      type: 'access-rows',
      packageId: PKG,
      checkId: 'c1',
      entries: [0, 1, 2, 3].map((i) => ({ id: `as-${i}`, value: i === 1 ? ('missing' as const) : ('complete' as const), missing: i === 1 ? ['rs-g'] : [], reasons: [], state: 'delivered' })),
    });
    link.emit({ type: 'access-done', packageId: PKG, checkId: 'c1' });
    // The list is refreshed: as-2 is now delivering, as-3 is gone, as-4 and as-5 are new.
    for (const e of loadEvents('l2', [row(0), row(1), row(2, { state: 'delivering' }), row(4), row(5)])) store.handle(e);
    store.flush();
    const access = Object.fromEntries(store.view().viewRows.map((r) => [r.id, r.access?.value]));
    expect(access).toEqual({ 'as-0': 'complete', 'as-1': 'missing', 'as-2': 'not-checked', 'as-4': 'not-checked', 'as-5': 'not-checked' });
    expect(store.view().viewRows.find((r) => r.id === 'as-4')?.access?.reasons).toEqual(['not-in-check']);
    // access-status adds up to the list as it is now, and Fix selects only rows still missing.
    expect(model.countsOf(store.view().viewRows)).toEqual({ complete: 1, missing: 1, 'not-checked': 3, pending: 0 });
    expect(model.missingIdsOf(store.view().viewRows)).toEqual(['as-1']);
  });

  it('a reprocess batch answered before the log first reported it is re-checked when answered after the check started', () => {
    const { store } = manualStore();
    const link = fakeLink();
    store.openPackage(PKG);
    for (const e of loadEvents('l1', rows(3))) store.handle(e);
    store.flush();
    const model = new AccessModel(store, link, () => Date.parse('2026-06-01T10:00:00Z'));
    model.start();
    model.check();
    link.emit({ type: 'access-start', packageId: PKG, checkId: 'c1', recheck: false, resources });
    link.emit({ type: 'access-rows', packageId: PKG, checkId: 'c1', entries: ['as-0', 'as-1'].map((id) => ({ id, value: 'missing' as const, missing: ['rs-g'], reasons: [] })) });
    link.emit({ type: 'access-done', packageId: PKG, checkId: 'c1' });
    const entry = (batchId: string, key: string, at: string) => ({ batchId, kind: 'reprocess', key, label: key, packageId: PKG, actor: 'admin', result: 'done', at }) as never;
    link.emit({ type: 'actions', packageId: PKG, entries: [entry('before', 'as-1', '2026-06-01T09:59:00Z'), entry('quick', 'as-0', '2026-06-01T10:00:05Z')] });
    expect(link.posted.at(-1)).toEqual({ type: 'recheck-access', packageId: PKG, assignmentIds: ['as-0'] });
    const sent = link.posted.length;
    link.emit({ type: 'actions', packageId: PKG, entries: [entry('before', 'as-1', '2026-06-01T09:59:00Z'), entry('quick', 'as-0', '2026-06-01T10:00:05Z')] });
    expect(link.posted).toHaveLength(sent);
  });
});
