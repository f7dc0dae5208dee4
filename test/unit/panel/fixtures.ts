// Builders for panel tests: rows and users as the worker sends them, and a manual commit scheduler.
import type { Row, UserInfo } from '../../../src/core/model';
import type { WorkerEvent } from '../../../src/messages';
import { PanelStore } from '../../../src/panel/store';
import { daysAgo, NOW, row as coreRow, user as coreUser } from '../core/fixtures';

export { daysAgo, NOW };
export const PKG = '0f0e0d0c-0b0a-4909-8807-060504030201';
export const PKG2 = '1f0e0d0c-0b0a-4909-8807-060504030201';

/** Row number i of a package: the core fixture with ids, names and policy numbered. */
export function row(i: number, over: Partial<Row> = {}): Row {
  return coreRow({
    id: `as-${i}`,
    policyId: 'p-sales',
    policyName: 'Sales',
    subjectId: `s-${i}`,
    objectId: `u-${i}`,
    displayName: `User ${i}`,
    principalName: `user${i}@contoso.com`,
    email: `user${i}@contoso.com`,
    ...over,
  });
}

export function user(i: number, over: Partial<UserInfo> = {}): UserInfo {
  return coreUser({ id: `u-${i}`, ...over });
}

export const rows = (n: number, from = 0): Row[] => Array.from({ length: n }, (_, k) => row(from + k));

/** A store whose commit ticks run only when the test says so. */
export function manualStore(): { store: PanelStore; ticks: () => number; tick: () => void } {
  let queue: (() => void)[] = [];
  const store = new PanelStore({ schedule: (cb) => void queue.push(cb), now: () => NOW });
  return {
    store,
    ticks: () => queue.length,
    tick: () => {
      const q = queue;
      queue = [];
      for (const cb of q) cb();
    },
  };
}

/** The events of one complete load of `list`. */
export function loadEvents(loadId: string, list: Row[], opts: { fromCache?: boolean; pkg?: string } = {}): WorkerEvent[] {
  const packageId = opts.pkg ?? PKG;
  return [
    { type: 'load-start', packageId, loadId, fromCache: opts.fromCache ?? false, fetchedAt: '2025-06-15T11:00:00Z' },
    {
      type: 'package',
      loadId,
      info: { id: packageId, displayName: 'Sales <b>team</b>', catalogId: null, catalogName: 'General' },
      policies: [{ id: 'p-sales', displayName: 'Sales', allowsDirectAssignment: true, hasQuestions: false }],
    },
    { type: 'rows', loadId, rows: list },
    { type: 'load-done', loadId, packageId, total: list.length, fetchedAt: '2025-06-15T11:59:00Z', missing: [], enriching: false },
  ];
}
