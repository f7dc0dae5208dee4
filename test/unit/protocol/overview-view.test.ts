import type { PackageStats } from '../../../src/core/overview/store';
import { STALE_REASONS } from '../../../src/core/stale';
import { isOverviewEvent, packView, unpackView, type ViewEvent } from '../../../src/protocol/overview';

const scope = [{ id: 'pkg-a' }, { id: 'pkg-b' }, { id: 'pkg-c' }];
const index = new Map(scope.map((p, i) => [p.id, i]));

function stats(packageId: string, n: number): PackageStats {
  return { packageId, assignments: n, delivered: n - 1, stale: 2, staleBy: STALE_REASONS.map((_, r) => r + n), deliveryFailed: 1, expiringSoon: 3, guests: n % 2 };
}

function view(packages: PackageStats[]): ViewEvent {
  return {
    kind: 'view',
    seq: 4,
    tab: 'assignments',
    shown: 12,
    offset: 0,
    rows: [],
    people: [],
    counts: { package: Object.fromEntries(packages.map((p) => [p.packageId, p.assignments])), state: { delivered: 9, expired: 3 } },
    packages,
    selected: 1,
  };
}

/** Through an extension port: JSON on the way. */
const viaPort = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('the overview view on the wire', () => {
  test('arrives as sent: every package named from the scope list, its stats in place', () => {
    const v = view([stats('pkg-c', 7), stats('pkg-a', 4), stats('pkg-b', 10)]);
    const packed = viaPort(packView(v, index, scope.length));
    expect(isOverviewEvent(packed)).toBe(true);
    expect(unpackView(packed, scope)).toEqual(v);
  });

  test('names a package by its place in the list, not by its id', () => {
    const packed = packView(view([stats('pkg-b', 5)]), index, scope.length);
    expect(packed.json).not.toContain('pkg-b');
    expect(packed.json.length).toBeLessThan(JSON.stringify(view([stats('pkg-b', 5)])).length);
  });

  test('a package the list does not hold travels by its id', () => {
    const v = view([stats('pkg-a', 4), stats('pkg-new', 6)]);
    expect(unpackView(viaPort(packView(v, index, scope.length)), scope)).toEqual(v);
    // Before any scope event: every package by id, read against an empty list.
    expect(unpackView(viaPort(packView(v, new Map(), 0)), [])).toEqual(v);
  });

  test('is not read against another list: a list of another length, or indexes past its end', () => {
    const packed = packView(view([stats('pkg-c', 7)]), index, scope.length);
    expect(unpackView(packed, scope.slice(0, 2))).toBeNull();
    expect(unpackView(packed, [])).toBeNull();
    const past = { kind: 'view-packed', json: packed.json.replace('"stats":[[2,', '"stats":[[3,') } as const;
    expect(unpackView(past, scope)).toBeNull();
  });

  test('text that is not a view is refused', () => {
    expect(unpackView({ kind: 'view-packed', json: '[1,' }, scope)).toBeNull();
    expect(unpackView({ kind: 'view-packed', json: '{"stats":[]}' }, scope)).toBeNull();
    const ok = JSON.parse(packView(view([stats('pkg-a', 4)]), index, scope.length).json) as Record<string, unknown>;
    expect(unpackView({ kind: 'view-packed', json: JSON.stringify({ ...ok, stats: [[0, 'x', 1, 2, 3, 4, 5]] }) }, scope)).toBeNull();
    expect(unpackView({ kind: 'view-packed', json: JSON.stringify({ ...ok, stats: [[0, 1]] }) }, scope)).toBeNull();
    expect(unpackView({ kind: 'view-packed', json: JSON.stringify({ ...ok, seq: 'x' }) }, scope)).toBeNull();
    expect(isOverviewEvent({ kind: 'view-packed', json: 3 })).toBe(false);
  });
});
