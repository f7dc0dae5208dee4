import fc from 'fast-check';
import { deletedUser } from '../../../src/core/normalise';
import { COLUMNS, sortRows, type ColumnKey } from '../../../src/core/sort';
import { user, viewRow } from './fixtures';

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe('COLUMNS', () => {
  it('lists the panel columns in order', () => {
    expect(COLUMNS.map((c) => c.key)).toEqual([
      'displayName',
      'principalName',
      'subjectType',
      'userType',
      'accountEnabled',
      'state',
      'status',
      'policy',
      'start',
      'expiry',
      'lastSignIn',
      'stale',
      'access',
    ]);
  });

  it('renders every cell as plain text', () => {
    const r = viewRow({
      displayName: '<b>x</b>',
      principalName: '',
      email: 'only@mail.com',
      policyName: '',
      policyId: 'p-7',
      staleReasons: ['disabled', 'inactive'],
      user: user({ userType: 'Guest', accountEnabled: false, lastSuccessfulSignIn: '2025-01-01T00:00:00Z' }),
    });
    const cells = Object.fromEntries(COLUMNS.map((c) => [c.key, c.value(r)]));
    expect(cells).toMatchObject({
      displayName: '<b>x</b>',
      principalName: 'only@mail.com',
      userType: 'Guest',
      accountEnabled: 'disabled',
      policy: 'p-7',
      start: '2024-01-01T00:00:00Z',
      expiry: '',
      lastSignIn: '2025-01-01T00:00:00Z',
      stale: 'disabled; inactive',
    });
    for (const v of Object.values(cells)) expect(typeof v).toBe('string');
    const acc = COLUMNS.find((c) => c.key === 'accountEnabled')!;
    expect(acc.value(viewRow({ user: deletedUser('x') }))).toBe('deleted');
    expect(acc.value(viewRow({ user: null }))).toBe('');
  });
});

describe('sortRows', () => {
  it('sorts text in locale order, ignoring case, numbers naturally', () => {
    const rows = ['bob', 'Alice', 'anna 10', 'anna 9', 'Émile', 'eve'].map((displayName, i) => viewRow({ id: String(i), displayName }));
    expect(sortRows(rows, 'displayName', 'asc').map((r) => r.displayName)).toEqual(['Alice', 'anna 9', 'anna 10', 'bob', 'Émile', 'eve']);
    expect(sortRows(rows, 'displayName', 'desc').map((r) => r.displayName)).toEqual(['eve', 'Émile', 'bob', 'anna 10', 'anna 9', 'Alice']);
  });

  it('puts empty values last in both directions', () => {
    const rows = [
      viewRow({ id: 'n1', expiry: null }),
      viewRow({ id: 'late', expiry: '2026-01-01T00:00:00Z' }),
      viewRow({ id: 'n2', expiry: null }),
      viewRow({ id: 'early', expiry: '2025-01-01T00:00:00Z' }),
    ];
    expect(ids(sortRows(rows, 'expiry', 'asc'))).toEqual(['early', 'late', 'n1', 'n2']);
    expect(ids(sortRows(rows, 'expiry', 'desc'))).toEqual(['late', 'early', 'n1', 'n2']);
  });

  it('compares dates as dates', () => {
    const rows = [
      viewRow({ id: 'y999', start: '0999-01-01T00:00:00Z' }),
      viewRow({ id: 'y2025', start: '2025-01-01T00:00:00Z' }),
      viewRow({ id: 'y2024', start: '2024-12-31T23:59:59Z' }),
    ];
    expect(ids(sortRows(rows, 'start', 'asc'))).toEqual(['y999', 'y2024', 'y2025']);
  });

  it('puts stale rows first in either direction', () => {
    const rows = [
      viewRow({ id: 'ok1' }),
      viewRow({ id: 'inactive', staleReasons: ['inactive'] }),
      viewRow({ id: 'ok2' }),
      viewRow({ id: 'deleted', staleReasons: ['deleted'] }),
    ];
    expect(ids(sortRows(rows, 'stale', 'asc'))).toEqual(['deleted', 'inactive', 'ok1', 'ok2']);
    expect(ids(sortRows(rows, 'stale', 'desc'))).toEqual(['inactive', 'deleted', 'ok1', 'ok2']);
  });

  it('is stable and a permutation, for every column and direction', () => {
    const keys = COLUMNS.map((c) => c.key);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            state: fc.constantFrom('delivered', 'expired', ''),
            displayName: fc.constantFrom('a', 'B', '', 'c'),
            expiry: fc.constantFrom(null, '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
          }),
          { maxLength: 40 },
        ),
        fc.constantFrom(...keys),
        fc.constantFrom('asc' as const, 'desc' as const),
        (specs, key: ColumnKey, dir) => {
          const rows = specs.map((s, i) => viewRow({ ...s, id: String(i).padStart(3, '0') }));
          const sorted = sortRows(rows, key, dir);
          expect([...ids(sorted)].sort()).toEqual(ids(rows));
          const col = COLUMNS.find((c) => c.key === key)!;
          // equal cells keep their input order
          for (let i = 1; i < sorted.length; i++) {
            if (col.value(sorted[i - 1]) === col.value(sorted[i])) expect(sorted[i - 1].id < sorted[i].id).toBe(true);
          }
        },
      ),
    );
  });

  it('does not modify its input', () => {
    const rows = [viewRow({ id: 'b', displayName: 'b' }), viewRow({ id: 'a', displayName: 'a' })];
    sortRows(rows, 'displayName', 'asc');
    expect(ids(rows)).toEqual(['b', 'a']);
  });
});
