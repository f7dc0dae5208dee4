// The worker-side helpers around the queue: re-listing through the panels, the write token, log pruning.
import { ensureWriteToken, ListWaiters, MAX_LOG_ENTRIES, pruneLog, reflectedIn } from '../../../src/background/actions';
import { AuthRequiredError } from '../../../src/background/tokens';
import type { ActionEntry } from '../../../src/messages';
import { row } from './queue-harness';

function manualTimers() {
  const due: Array<() => void> = [];
  return {
    timers: { set: (cb: () => void) => due.push(cb), clear: () => undefined },
    fire: () => due.splice(0).forEach((cb) => cb()),
  };
}

describe('re-listing through the panels', () => {
  test('no panel shows the package: nothing to wait for', async () => {
    const w = new ListWaiters();
    expect(await w.reload('p1', [{ showing: 'p2', reload: () => undefined }])).toBeNull();
  });

  test('the panels showing it refresh; the next complete list answers', async () => {
    const { timers } = manualTimers();
    const w = new ListWaiters(1000, timers);
    const reloaded: string[] = [];
    const panels = [
      { showing: 'p1', reload: () => reloaded.push('a') },
      { showing: 'p2', reload: () => reloaded.push('b') },
      { showing: 'p1', reload: () => reloaded.push('c') },
    ];
    const answer = w.reload('p1', panels);
    expect(reloaded).toEqual(['a', 'c']);
    w.notify('p2', [row('x')]);
    w.notify('p1', [row('y')]);
    expect((await answer)!.map((r) => r.id)).toEqual(['y']);
  });

  test('no list in time: null', async () => {
    const { timers, fire } = manualTimers();
    const w = new ListWaiters(1000, timers);
    const answer = w.reload('p1', [{ showing: 'p1', reload: () => undefined }]);
    fire();
    expect(await answer).toBeNull();
  });
});

describe('write token', () => {
  test('silently when possible', async () => {
    const calls: unknown[] = [];
    await ensureWriteToken({ token: async (o) => (calls.push(o), 't') });
    expect(calls).toEqual([{ write: true }]);
  });

  test('interactively when sign-in is required (the admin just clicked)', async () => {
    const calls: unknown[] = [];
    await ensureWriteToken({
      token: async (o = {}) => {
        calls.push(o);
        if (!o.interactive) throw new AuthRequiredError('Sign-in is required.', 'login_required');
        return 't';
      },
    });
    expect(calls).toEqual([{ write: true }, { write: true, interactive: true }]);
  });

  test('other failures are not turned into a sign-in window', async () => {
    await expect(ensureWriteToken({ token: async () => Promise.reject(new Error('broker gone')) })).rejects.toThrow('broker gone');
  });
});

describe('log size', () => {
  const e = (batchId: string, result: ActionEntry['result'], i: number): ActionEntry => ({
    batchId,
    kind: 'remove',
    key: `k${i}`,
    label: '',
    packageId: 'p',
    actor: '',
    result,
    at: '2025-01-01T00:00:00Z',
  });

  test('the oldest finished batches go first; a batch with a pending entry is never dropped', () => {
    const log = [
      ...Array.from({ length: 3 }, (_, i) => e('old-pending', i === 0 ? 'pending' : 'done', i)),
      ...Array.from({ length: 3 }, (_, i) => e('old-done', 'done', i)),
      ...Array.from({ length: 3 }, (_, i) => e('new', 'failed', i)),
    ];
    expect([...new Set(pruneLog(log, 6).map((x) => x.batchId))]).toEqual(['old-pending', 'new']);
    expect(pruneLog(log, 9)).toHaveLength(9);
    expect(MAX_LOG_ENTRIES).toBeGreaterThanOrEqual(10_000);
  });
});

test('what counts as reflected in a fresh list', () => {
  const rm = { kind: 'remove', key: 'A1', policyId: undefined } as ActionEntry;
  expect(reflectedIn(rm, [row('a1')])).toBe(false);
  expect(reflectedIn(rm, [row('a1', { state: 'expired' })])).toBe(true);
  expect(reflectedIn(rm, [row('b')])).toBe(true);
  const add = { kind: 'add', key: 'u1', policyId: 'P1' } as ActionEntry;
  expect(reflectedIn(add, [row('x', { objectId: 'U1', policyId: 'p1' })])).toBe(true);
  expect(reflectedIn(add, [row('x', { objectId: 'u1', policyId: 'p2' })])).toBe(false);
});
