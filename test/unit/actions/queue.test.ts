// The worker's action queue: what is sent, what is written first, and what is never sent twice.
import { decodeLog, DONE_WINDOW_MS, encodeLog, logKey, orphanMessage, VERIFY_DELAYS_MS } from '../../../src/background/actions';
import type { ActionEntry } from '../../../src/messages';
import {
  ADMIN,
  addReq,
  aid,
  byKey,
  harness,
  PKG,
  POLICY_AUTO,
  POLICY_DIRECT,
  POLICY_QUESTIONS,
  REQUESTS,
  removeReq,
  row,
  uid,
} from './queue-harness';

const forbidden = { status: 403, json: { error: { code: 'AccessDenied', message: 'The caller does not have a role that allows managing assignments in this catalog.' } } };

describe('removal', () => {
  test('one adminRemove per assignment; each entry done with its request id, actor and label', async () => {
    const h = harness();
    await h.send(removeReq('B1', [aid(1), aid(2), aid(3), aid(2)], ['Ann', 'Bob', 'Cid', 'Bob']));
    await h.settle();
    expect(h.posted.map((p) => [p.requestType, p.key]).sort()).toEqual([
      ['adminRemove', aid(1)],
      ['adminRemove', aid(2)],
      ['adminRemove', aid(3)],
    ]);
    const e = byKey(h.stored(), 'B1');
    expect(Object.keys(e)).toHaveLength(3);
    expect(e[aid(2)]).toMatchObject({ result: 'done', requestId: `req-${aid(2)}`, actor: ADMIN, label: 'Bob', kind: 'remove', filter: 'state: delivered' });
    // The panel heard the same.
    expect(byKey(h.lastEntries(), 'B1')[aid(3)].result).toBe('done');
  });

  test('every request leaves only after its entry is on disk as pending', async () => {
    const h = harness();
    await h.send(removeReq('B1', Array.from({ length: 12 }, (_, i) => aid(i + 1))));
    expect(h.posted).toHaveLength(12);
    for (const p of h.posted) {
      const onDisk = p.storedAtSend.find((e) => e.key === p.key && e.batchId === 'B1');
      expect(onDisk?.result).toBe('pending');
    }
  });

  test('when the log cannot be saved, nothing is sent and every entry says why', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const h = harness({ storageFails: true });
    await h.send(removeReq('B1', [aid(1), aid(2)]));
    await h.settle(1000);
    expect(h.posted).toHaveLength(0);
    for (const e of h.lastEntries()) {
      expect(e).toMatchObject({ result: 'failed', code: 'NotSent' });
      expect(e.message).toMatch(/could not be saved.*nothing was sent/);
    }
    warn.mockRestore();
  });

  test('synthetic and malformed ids are refused without a request', async () => {
    const h = harness();
    await h.send(removeReq('B1', ['unidentified:3', 'not-a-guid', aid(1)]));
    await h.settle(1000);
    expect(h.posted.map((p) => p.key)).toEqual([aid(1)]);
    const e = byKey(h.stored(), 'B1');
    expect(e['unidentified:3']).toMatchObject({ result: 'failed', code: 'SyntheticId' });
    expect(e['not-a-guid']).toMatchObject({ result: 'failed', code: 'InvalidId' });
  });

  test("Graph's refusal is kept per entry with Graph's code and message; the others go through", async () => {
    const h = harness({
      write: (_t, key) => (key === aid(2) ? { status: 400, json: { error: { code: 'BadRequest', message: 'Locked by an access review.' } } } : { status: 201, json: { id: `r-${key}`, state: 'submitted' } }),
    });
    await h.send(removeReq('B1', [aid(1), aid(2), aid(3)]));
    await h.settle(1000);
    const e = byKey(h.stored(), 'B1');
    expect(e[aid(2)]).toMatchObject({ result: 'failed', code: 'BadRequest', message: 'Locked by an access review.' });
    expect([e[aid(1)].result, e[aid(3)].result]).toEqual(['done', 'done']);
  });

  test('a write Graph accepted tells the worker the package changed (its overview copy is old); one Graph refused does not', async () => {
    const h = harness({ write: (_t, key) => (key === aid(2) ? forbidden : { status: 201, json: { id: `r-${key}`, state: 'submitted' } }) });
    await h.send(removeReq('B1', [aid(2)]));
    await h.settle(1000);
    expect(h.changed).toEqual([]);
    await h.send(removeReq('B2', [aid(1), aid(2)]));
    await h.settle(1000);
    expect(h.changed).toEqual([PKG]);
  });

  test('a 403 is explained in plain words, and the panels learn the admin cannot write here', async () => {
    const h = harness({ write: () => forbidden });
    await h.send(removeReq('B1', [aid(1)]));
    await h.settle(1000);
    const [e] = h.stored();
    expect(e).toMatchObject({ result: 'failed', code: 'AccessDenied' });
    expect(e.message).toMatch(/Removing assignments needs Access package assignment manager/);
    expect(e.message).toContain('The caller does not have a role');
    const roles = h.events.filter((x) => x.type === 'roles');
    expect(roles.at(-1)).toMatchObject({ type: 'roles', packageId: PKG, canWrite: false, explanation: e.message });
  });

  test('no write access (sign-in refused): failed, nothing sent', async () => {
    const h = harness({ ensureWriteAccess: async () => Promise.reject(new Error('The user cancelled the sign-in.')) });
    await h.send(removeReq('B1', [aid(1)]));
    await h.settle(1000);
    expect(h.posted).toHaveLength(0);
    expect(h.stored()[0]).toMatchObject({ result: 'failed', code: 'SignInRequired' });
    expect(h.stored()[0].message).toMatch(/cancelled the sign-in.*Nothing was sent/);
  });

  test('the same batch id twice (a double click) sends nothing more', async () => {
    const h = harness();
    await h.send(removeReq('B1', [aid(1), aid(2)]));
    await h.send(removeReq('B1', [aid(1), aid(2)]));
    await h.settle(1000);
    expect(h.posted).toHaveLength(2);
    expect(h.stored()).toHaveLength(2);
  });
});

describe('never twice', () => {
  test('two batches at once naming the same assignments: each is sent once, the second batch follows the first', async () => {
    const h = harness({ latencyMs: 500 });
    const shared = [aid(1), aid(2), aid(3)];
    const first = h.svc.handle(removeReq('B1', shared), { showing: PKG, post: () => undefined });
    const second = h.svc.handle(removeReq('B2', [...shared, aid(4)]), { showing: PKG, post: () => undefined });
    await h.clock.run(Promise.all([first, second]));
    await h.settle(1000);
    const keys = h.posted.map((p) => p.key).sort();
    expect(keys).toEqual([aid(1), aid(2), aid(3), aid(4)]);
    const b2 = byKey(h.stored(), 'B2');
    for (const id of shared) {
      expect(b2[id]).toMatchObject({ result: 'done', requestId: `req-${id}` });
      expect(b2[id].message).toMatch(/^Handled once, by batch B1: Accepted by Graph/);
    }
  });

  test('an assignment accepted in the last minutes is not sent again; after the window it is', async () => {
    const h = harness();
    await h.send(removeReq('B1', [aid(1)]));
    await h.settle(1000);
    await h.send(removeReq('B2', [aid(1)]));
    await h.settle(1000);
    expect(h.posted).toHaveLength(1);
    const b2 = byKey(h.stored(), 'B2')[aid(1)];
    expect(b2).toMatchObject({ result: 'done', requestId: `req-${aid(1)}` });
    expect(b2.message).toMatch(/Not sent again: Graph accepted the same removal/);

    await h.settle(DONE_WINDOW_MS + 1000);
    await h.send(removeReq('B3', [aid(1)]));
    expect(h.posted).toHaveLength(2);
  });

  test('the same user under the same policy is one key for adds', async () => {
    const h = harness({ latencyMs: 500 });
    const a = h.svc.handle(addReq('A1', POLICY_DIRECT, [uid(1)]), { showing: PKG, post: () => undefined });
    const b = h.svc.handle(addReq('A2', POLICY_DIRECT, [uid(1)]), { showing: PKG, post: () => undefined });
    await h.clock.run(Promise.all([a, b]));
    expect(h.posted.map((p) => [p.requestType, p.key])).toEqual([['adminAdd', uid(1)]]);
  });
});

describe('restart with a pending log', () => {
  /** A log as a stopped worker left it: B0 sent four removals and heard nothing back. */
  const leftBehind = (): Record<string, unknown> => {
    const at = '2025-06-15T11:00:00.000Z';
    const entries: ActionEntry[] = [1, 2, 3, 4].map((n) => ({
      batchId: 'B0',
      kind: 'remove',
      key: aid(n),
      label: `User ${n}`,
      packageId: PKG,
      actor: ADMIN,
      result: 'pending',
      at,
    }));
    return { [logKey(PKG)]: encodeLog(entries) };
  };

  test('the entries stay pending (outcome unknown), are shown, and nothing is sent on start', async () => {
    const h = harness({ stored: leftBehind() });
    await h.send({ type: 'action-log', packageId: PKG });
    const actions = h.replies.find((e) => e.type === 'actions');
    expect(actions?.type === 'actions' && actions.entries.map((e) => [e.result, e.message])).toEqual(
      Array(4).fill(['pending', orphanMessage()]),
    );
    await h.settle();
    expect(h.posted).toHaveLength(0);
    expect(h.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  test('every documented "gone": a removal of any type (approverRemove by name), or listed as expired since; never a substring', async () => {
    const h = harness({
      stored: leftBehind(),
      get: (req) => {
        const url = decodeURIComponent(req.url);
        if (url.includes(`${REQUESTS}?`)) {
          // approverRemove comes after unknownFutureValue: by name only with the Prefer header.
          expect(req.headers.prefer).toBe('include-unknown-enum-members');
          return {
            json: {
              value: [
                { id: 'rq-1', requestType: 'approverRemove', state: 'delivered', createdDateTime: '2025-06-15T11:00:01Z', assignment: { id: aid(1) } },
                // a made-up type containing "Remove" is no removal
                { id: 'rq-2', requestType: 'notARemoveAtAll', state: 'delivered', createdDateTime: '2025-06-15T11:00:01Z', assignment: { id: aid(2) } },
              ],
            },
          };
        }
        if (url.includes(`assignments/${aid(3)}?$select=`)) return { json: { id: aid(3), state: 'expired', expiredDateTime: '2025-06-15T11:05:00Z' } };
        // expired long before this removal was asked for: not its doing, so the removal is still sent
        if (url.includes(`assignments/${aid(4)}?$select=`)) return { json: { id: aid(4), state: 'expired', expiredDateTime: '2024-01-01T00:00:00Z' } };
        return undefined;
      },
    });
    await h.send({ type: 'retry-actions', batchId: 'B0' });
    await h.settle(1000);
    expect(h.posted.map((p) => p.key).sort()).toEqual([aid(2), aid(4)]);
    const e = byKey(h.stored(), 'B0');
    expect(e[aid(1)].message).toMatch(/already has removal request rq-1/);
    expect(e[aid(3)]).toMatchObject({ result: 'done' });
    expect(e[aid(3)].message).toMatch(/ended \(expired\)/);
  });

  test('a retry asks Graph first: a removal Graph has, or an assignment it no longer lists, is not sent again', async () => {
    const h = harness({
      stored: leftBehind(),
      get: (req) => {
        const url = decodeURIComponent(req.url);
        if (url.includes(`${REQUESTS}?`)) {
          return {
            json: {
              value: [
                { id: 'rq-1', requestType: 'adminRemove', state: 'delivered', createdDateTime: '2025-06-15T11:00:01Z', assignment: { id: aid(1) } },
                { id: 'rq-2', requestType: 'adminAdd', state: 'delivered', createdDateTime: '2025-01-01T00:00:00Z', assignment: { id: aid(2) } },
              ],
            },
          };
        }
        if (url.includes(`assignments/${aid(3)}?$select=`)) return { status: 404, json: { error: { code: 'NotFound', message: 'gone' } } };
        return undefined;
      },
    });
    await h.send({ type: 'retry-actions', batchId: 'B0' });
    await h.settle(1000);
    // 1: Graph has its removal; 3: gone; 2 (only an old add request) and 4: still there, never removed: sent.
    expect(h.posted.map((p) => p.key).sort()).toEqual([aid(2), aid(4)]);
    const e = byKey(h.stored(), 'B0');
    expect(e[aid(1)]).toMatchObject({ result: 'done', requestId: 'rq-1' });
    expect(e[aid(1)].message).toMatch(/already has removal request rq-1/);
    expect(e[aid(3)]).toMatchObject({ result: 'done' });
    expect(e[aid(3)].message).toMatch(/no longer lists/);
    expect([e[aid(2)].result, e[aid(4)].result]).toEqual(['done', 'done']);
  });

  test('a new batch naming an assignment of unknown outcome checks Graph before sending', async () => {
    const h = harness({
      stored: leftBehind(),
      get: (req) =>
        decodeURIComponent(req.url).includes(`${REQUESTS}?`)
          ? { json: { value: [{ id: 'rq-1', requestType: 'adminRemove', state: 'submitted', createdDateTime: '2025-06-15T11:00:01Z', assignment: { id: aid(1) } }] } }
          : undefined,
    });
    await h.send(removeReq('B1', [aid(1), aid(9)]));
    await h.settle(1000);
    expect(h.posted.map((p) => p.key)).toEqual([aid(9)]);
    expect(byKey(h.stored(), 'B1')[aid(1)]).toMatchObject({ result: 'done', requestId: 'rq-1' });
  });

  test('when Graph cannot be asked, the entry stays pending and nothing is sent', async () => {
    const h = harness({
      stored: leftBehind(),
      get: (req) => (decodeURIComponent(req.url).includes(`${REQUESTS}?`) ? { status: 403, json: { error: { code: 'Forbidden', message: 'no' } } } : undefined),
    });
    await h.send({ type: 'retry-actions', batchId: 'B0' });
    await h.settle(1000);
    expect(h.posted).toHaveLength(0);
    for (const e of h.stored()) {
      expect(e.result).toBe('pending');
      expect(e.message).toMatch(/Could not check with Graph/);
    }
  });
});

describe('retry', () => {
  test('re-sends only the failed entries of that batch', async () => {
    let reject = new Set([aid(2), aid(4)]);
    const h = harness({
      write: (_t, key) => (reject.has(key) ? { status: 400, json: { error: { code: 'BadRequest', message: 'Locked.' } } } : { status: 201, json: { id: `r-${key}` } }),
    });
    await h.send(removeReq('B1', [aid(1), aid(2), aid(3), aid(4)]));
    await h.send(removeReq('B2', [aid(7)]));
    await h.settle(1000);
    expect(h.posted).toHaveLength(5);
    reject = new Set();
    await h.send({ type: 'retry-actions', batchId: 'B1' });
    await h.settle(1000);
    expect(h.posted.slice(5).map((p) => p.key).sort()).toEqual([aid(2), aid(4)]);
    expect(Object.values(byKey(h.stored(), 'B1')).map((e) => e.result)).toEqual(['done', 'done', 'done', 'done']);
  });

  test('refusals a retry cannot change (no assignment id) are left alone', async () => {
    const h = harness();
    await h.send(removeReq('B1', ['unidentified:1']));
    await h.send({ type: 'retry-actions', batchId: 'B1' });
    await h.settle(1000);
    expect(h.posted).toHaveLength(0);
    expect(h.stored()[0]).toMatchObject({ result: 'failed', code: 'SyntheticId' });
  });
});

describe('direct add', () => {
  test('a policy with questions takes exactly one user: two are refused with a clear message, one is sent', async () => {
    const h = harness();
    await h.send(addReq('A1', POLICY_QUESTIONS, [uid(1), uid(2)]));
    await h.settle(1000);
    expect(h.posted).toHaveLength(0);
    for (const e of h.stored()) {
      expect(e).toMatchObject({ result: 'failed', code: 'NotAllowed' });
      expect(e.message).toMatch(/"Employees" has requestor questions: users are added one at a time.*\(2 were chosen\)/);
    }
    await h.send(addReq('A2', POLICY_QUESTIONS, [uid(1)]));
    expect(h.posted.map((p) => [p.requestType, p.key])).toEqual([['adminAdd', uid(1)]]);
  });

  test('an automatic-assignment policy is refused; a direct one sends adminAdd with the schedule', async () => {
    const h = harness();
    await h.send(addReq('A1', POLICY_AUTO, [uid(1)]));
    await h.settle(1000);
    expect(h.posted).toHaveLength(0);
    expect(h.stored()[0].message).toMatch(/assigns users automatically/);
    await h.send({ ...addReq('A2', POLICY_DIRECT, [uid(1), uid(2)]), start: '2025-07-01T00:00:00Z', end: '2025-12-31T00:00:00Z' } as never);
    const adds = h.calls.filter((c) => c.method === 'POST');
    expect(adds).toHaveLength(2);
    expect(adds[0].body).toEqual({
      requestType: 'adminAdd',
      assignment: { targetId: uid(1), assignmentPolicyId: POLICY_DIRECT, accessPackageId: PKG },
      schedule: { startDateTime: '2025-07-01T00:00:00Z', expiration: { type: 'afterDateTime', endDateTime: '2025-12-31T00:00:00Z' } },
    });
    await h.settle(1000);
    expect(byKey(h.stored(), 'A2')[uid(2)]).toMatchObject({ result: 'done', policyId: POLICY_DIRECT, start: '2025-07-01T00:00:00Z' });
  });
});

describe('after acceptance: re-listing', () => {
  test('refreshes until the removed assignment is gone; no note then', async () => {
    let listed = [row(aid(1)), row(aid(2))];
    const h = harness({ listed: () => listed });
    await h.send(removeReq('B1', [aid(1)]));
    await h.settle(VERIFY_DELAYS_MS[0] + 500);
    expect(h.reloads).toBe(1);
    listed = [row(aid(2))];
    await h.settle();
    expect(h.reloads).toBe(2);
    expect(byKey(h.stored(), 'B1')[aid(1)].note).toBeUndefined();
  });

  test('still listed after every refresh: the entry says so', async () => {
    const h = harness({ listed: () => [row(aid(1))] });
    await h.send(removeReq('B1', [aid(1)]));
    await h.settle(120_000);
    expect(h.reloads).toBe(VERIFY_DELAYS_MS.length);
    expect(byKey(h.stored(), 'B1')[aid(1)]).toMatchObject({ result: 'done', note: `Accepted by Graph; still listed after ${VERIFY_DELAYS_MS.length} refreshes.` });
  });

  test('an added user not listed yet after every refresh is noted too', async () => {
    const h = harness({ listed: () => [row(aid(5), { objectId: uid(1), policyId: POLICY_AUTO })] });
    await h.send(addReq('A1', POLICY_DIRECT, [uid(1)]));
    await h.settle(120_000);
    expect(h.stored()[0].note).toBe(`Accepted by Graph; not listed yet after ${VERIFY_DELAYS_MS.length} refreshes.`);
  });
});

describe('log and panel', () => {
  test('the log round-trips through its stored form', () => {
    const entries: ActionEntry[] = [
      { batchId: 'B1', kind: 'remove', key: aid(1), label: 'Ann', packageId: PKG, actor: ADMIN, result: 'done', at: '2025-06-15T12:00:00.000Z', requestId: 'r1', filter: 'search "ann"', note: 'n' },
      { batchId: 'B1', kind: 'remove', key: aid(2), label: 'Bob', packageId: PKG, actor: 'other@contoso.com', result: 'failed', at: '2025-06-15T12:00:01.000Z', code: 'X', message: 'm', filter: 'search "ann"' },
      { batchId: 'A1', kind: 'add', key: uid(1), label: 'Cid', packageId: PKG, actor: ADMIN, result: 'pending', at: '2025-06-15T12:00:02.000Z', policyId: POLICY_DIRECT, start: null, end: '2025-12-31T00:00:00Z' },
    ];
    expect(decodeLog(JSON.parse(JSON.stringify(encodeLog(entries))), PKG)).toEqual(entries);
    expect(decodeLog({ batches: [{ id: 'x', kind: 'remove', entries: [{ r: 'done' }] }] }, PKG)).toEqual([]);
    expect(decodeLog('garbage', PKG)).toEqual([]);
  });

  test('posts to the panel are throttled: many results, few posts, the last one complete', async () => {
    const h = harness({ latencyMs: 1 });
    await h.send(removeReq('B1', Array.from({ length: 200 }, (_, i) => aid(i + 1))));
    await h.settle(1000);
    const posts = h.events.filter((e) => e.type === 'actions');
    expect(posts.length).toBeLessThan(40);
    expect(h.lastEntries().filter((e) => e.result === 'done')).toHaveLength(200);
  });

  test('action-log answers with the log and the roles of the signed-in admin', async () => {
    const h = harness();
    await h.send(removeReq('B1', [aid(1)]));
    await h.settle(1000);
    h.replies.length = 0;
    await h.send({ type: 'action-log', packageId: PKG });
    expect(h.replies.map((e) => e.type)).toEqual(['actions', 'roles']);
    expect(h.replies[1]).toMatchObject({ type: 'roles', packageId: PKG, canWrite: 'unknown' });
    const roleCalls = h.calls.filter((c) => c.url.includes('roleAssignments'));
    expect(decodeURIComponent(roleCalls[0].url)).toContain("principalId eq 'dddddddd-0000-4000-8000-000000000001'");
  });

  test('search and delivery status answer the asking panel', async () => {
    const h = harness({
      get: (req) => {
        const url = decodeURIComponent(req.url);
        if (url.includes('/users?')) return { json: { value: [{ id: uid(1), displayName: 'Ann', userPrincipalName: 'ann@contoso.com', mail: null }] } };
        if (url.includes(`${REQUESTS}?`)) return { json: { value: [{ id: 'rq', requestType: 'adminAdd', state: 'deliveryFailed', status: 'Failed', createdDateTime: '2025-06-01T00:00:00Z', assignment: { id: aid(1) } }] } };
        return undefined;
      },
    });
    await h.send({ type: 'search-users', query: 'ann', seq: 7 });
    expect(h.replies.at(-1)).toEqual({ type: 'search-results', seq: 7, users: [{ id: uid(1), displayName: 'Ann', userPrincipalName: 'ann@contoso.com', mail: '' }] });
    await h.send({ type: 'delivery-status', assignmentIds: [aid(1), aid(2)] });
    expect(h.replies.at(-1)).toMatchObject({
      type: 'delivery',
      requested: [aid(1), aid(2)],
      statuses: [{ assignmentId: aid(1), requestId: 'rq', state: 'deliveryFailed', status: 'Failed' }],
    });
  });
});
