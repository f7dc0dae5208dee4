import type { UserInfo } from '../../../src/core/model';
import { deletedUser } from '../../../src/core/normalise';
import fc from 'fast-check';
import { activityDate, compareToInstant, staleReasons, toViewRows } from '../../../src/core/stale';
import { DAY, NOW, daysAgo, iso, row, user } from './fixtures';

const opts = { now: NOW, staleAfterDays: 90, signInAvailable: true };
const reasons = (u: UserInfo | null, o = opts, r = row()) => staleReasons(r, u, o).reasons;

describe('staleReasons (contract: Stale rule)', () => {
  it('a recently active, enabled member is not stale', () => {
    expect(staleReasons(row(), user(), opts)).toEqual({ reasons: [], activity: daysAgo(3) });
  });

  it('deleted target: "deleted" alone, whatever else holds', () => {
    expect(staleReasons(row(), deletedUser('u-1'), opts)).toEqual({ reasons: ['deleted'], activity: null });
  });

  it('disabled account', () => {
    expect(reasons(user({ accountEnabled: false }))).toEqual(['disabled']);
    expect(reasons(user({ accountEnabled: null }))).toEqual([]);
  });

  it('inactive: activity strictly older than N days', () => {
    expect(reasons(user({ lastSuccessfulSignIn: iso(NOW - 90 * DAY) }))).toEqual([]);
    expect(reasons(user({ lastSuccessfulSignIn: iso(NOW - 90 * DAY - 1000) }))).toEqual(['inactive']);
    expect(reasons(user({ lastSuccessfulSignIn: daysAgo(10) }), { ...opts, staleAfterDays: 7 })).toEqual(['inactive']);
  });

  it('activity: lastSuccessfulSignIn, else the later of interactive and non-interactive', () => {
    // lastSuccessfulSignIn wins even when older than the other two
    expect(activityDate(user({ lastSuccessfulSignIn: daysAgo(200), lastSignIn: daysAgo(1), lastNonInteractiveSignIn: daysAgo(1) }))).toBe(daysAgo(200));
    expect(activityDate(user({ lastSuccessfulSignIn: null, lastSignIn: daysAgo(100), lastNonInteractiveSignIn: daysAgo(5) }))).toBe(daysAgo(5));
    expect(activityDate(user({ lastSuccessfulSignIn: null, lastSignIn: daysAgo(5), lastNonInteractiveSignIn: daysAgo(100) }))).toBe(daysAgo(5));
    expect(activityDate(user({ lastSuccessfulSignIn: null, lastSignIn: null, lastNonInteractiveSignIn: daysAgo(100) }))).toBe(daysAgo(100));
    expect(activityDate(user({ lastSuccessfulSignIn: null }))).toBeNull();
    expect(reasons(user({ lastSuccessfulSignIn: null, lastSignIn: daysAgo(100), lastNonInteractiveSignIn: daysAgo(5) }))).toEqual([]);
    expect(reasons(user({ lastSuccessfulSignIn: null, lastSignIn: daysAgo(100), lastNonInteractiveSignIn: daysAgo(95) }))).toEqual(['inactive']);
  });

  it('never-signed-in: no activity and created more than N days ago', () => {
    expect(reasons(user({ lastSuccessfulSignIn: null, createdDateTime: daysAgo(91) }))).toEqual(['never-signed-in']);
    expect(reasons(user({ lastSuccessfulSignIn: null, createdDateTime: iso(NOW - 90 * DAY) }))).toEqual([]);
    expect(reasons(user({ lastSuccessfulSignIn: null, createdDateTime: daysAgo(10) }))).toEqual([]);
  });

  it('invitation-pending: guest, PendingAcceptance, created more than N days ago', () => {
    const guest = { userType: 'Guest', externalUserState: 'PendingAcceptance', lastSuccessfulSignIn: daysAgo(1) };
    expect(reasons(user({ ...guest, createdDateTime: daysAgo(100) }))).toEqual(['invitation-pending']);
    expect(reasons(user({ ...guest, createdDateTime: daysAgo(10) }))).toEqual([]);
    expect(reasons(user({ ...guest, externalUserState: 'Accepted', createdDateTime: daysAgo(100) }))).toEqual([]);
    expect(reasons(user({ ...guest, userType: 'Member', createdDateTime: daysAgo(100) }))).toEqual([]);
  });

  it('lists every reason that holds, in the contract order', () => {
    const u = user({
      accountEnabled: false,
      userType: 'Guest',
      externalUserState: 'PendingAcceptance',
      createdDateTime: daysAgo(500),
      lastSuccessfulSignIn: null,
    });
    expect(reasons(u)).toEqual(['disabled', 'never-signed-in', 'invitation-pending']);
    expect(reasons({ ...u, lastSuccessfulSignIn: daysAgo(120) })).toEqual(['disabled', 'inactive', 'invitation-pending']);
  });

  it('no createdDateTime: never never-signed-in nor invitation-pending', () => {
    const u = user({ userType: 'Guest', externalUserState: 'PendingAcceptance', createdDateTime: null, lastSuccessfulSignIn: null });
    expect(reasons(u)).toEqual([]);
  });

  it('sign-in data unavailable: no inactive nor never-signed-in, other reasons still hold', () => {
    const off = { ...opts, signInAvailable: false };
    expect(reasons(user({ lastSuccessfulSignIn: daysAgo(300) }), off)).toEqual([]);
    expect(reasons(user({ lastSuccessfulSignIn: null, createdDateTime: daysAgo(300) }), off)).toEqual([]);
    expect(reasons(user({ accountEnabled: false, lastSuccessfulSignIn: null }), off)).toEqual(['disabled']);
    expect(reasons(user({ userType: 'Guest', externalUserState: 'PendingAcceptance', lastSuccessfulSignIn: null }), off)).toEqual([
      'invitation-pending',
    ]);
    expect(reasons(deletedUser('u-1'), off)).toEqual(['deleted']);
  });

  it('a target with no objectId is never stale, even with a user record', () => {
    expect(staleReasons(row({ objectId: null }), user({ accountEnabled: false }), opts)).toEqual({ reasons: [], activity: null });
    expect(staleReasons(row({ objectId: null }), deletedUser('u-1'), opts).reasons).toEqual([]);
  });

  it('a row not yet enriched (no user record) claims nothing', () => {
    expect(staleReasons(row(), null, opts)).toEqual({ reasons: [], activity: null });
  });

  it('a service principal gets no user reasons; a "deleted" record for it means "not a user"', () => {
    const sp = row({ subjectType: 'servicePrincipal' });
    expect(staleReasons(sp, null, opts).reasons).toEqual([]);
    expect(staleReasons(sp, deletedUser('u-1'), opts).reasons).toEqual([]);
    // ...unless a real user record exists for its objectId
    expect(staleReasons(sp, user({ accountEnabled: false }), opts).reasons).toEqual(['disabled']);
  });
});

describe('toViewRows', () => {
  it('joins users by objectId (case-insensitively), keeps order, computes reasons', () => {
    const rows = [
      row({ id: 'a', objectId: 'U-ACTIVE' }),
      row({ id: 'b', objectId: 'u-gone' }),
      row({ id: 'c', objectId: null }),
      row({ id: 'd', objectId: 'u-unknown' }),
      row({ id: 'e', objectId: 'sp-1', subjectType: 'servicePrincipal' }),
    ];
    const users = new Map<string, UserInfo>([
      ['u-active', user({ id: 'u-active', lastSuccessfulSignIn: daysAgo(200) })],
      ['u-gone', deletedUser('u-gone')],
      ['sp-1', deletedUser('sp-1')],
    ]);
    const view = toViewRows(rows, users, opts);
    expect(view.map((v) => [v.id, v.staleReasons, v.activity, v.user?.id ?? null])).toEqual([
      ['a', ['inactive'], daysAgo(200), 'u-active'],
      ['b', ['deleted'], null, 'u-gone'],
      ['c', [], null, null],
      ['d', [], null, null],
      ['e', [], null, null],
    ]);
    expect(view[0]).toMatchObject(rows[0]);
  });

  it('gives each row its own reasons array', () => {
    const view = toViewRows([row({ id: 'a' }), row({ id: 'b' })], new Map(), opts);
    expect(view[0].staleReasons).not.toBe(view[1].staleReasons);
  });
});

describe('compareToInstant', () => {
  const sign = (x: number) => (Number.isNaN(x) ? NaN : Math.sign(x));
  const arbMs = fc.integer({ min: Date.parse('1000-01-01T00:00:00Z'), max: Date.parse('9999-12-31T23:59:59Z') });

  it('orders fixed-width and other ISO forms exactly like Date.parse', () => {
    fc.assert(
      fc.property(arbMs, fc.integer({ min: -3000, max: 3000 }), fc.boolean(), (limit, delta, withMs) => {
        const t = Math.floor((limit + delta) / 1000) * 1000 + (withMs ? ((limit + delta) % 1000 + 1000) % 1000 : 0);
        const full = new Date(t).toISOString(); // with milliseconds: the Date.parse path
        const fixed = full.replace(/\.\d{3}Z$/, 'Z'); // normalised form: the text path
        expect(sign(compareToInstant(limit)(full))).toBe(sign(t - limit));
        expect(sign(compareToInstant(limit)(fixed))).toBe(sign(Date.parse(fixed) - limit));
      }),
      { numRuns: 2000 },
    );
  });

  it('is exact at the boundary second', () => {
    const at = Date.parse('2025-01-01T00:00:00Z');
    expect(compareToInstant(at)('2025-01-01T00:00:00Z')).toBe(0);
    expect(compareToInstant(at + 1)('2025-01-01T00:00:00Z')).toBeLessThan(0);
    expect(compareToInstant(at - 1)('2025-01-01T00:00:00Z')).toBeGreaterThan(0);
    expect(compareToInstant(at)('garbage')).toBeNaN();
  });

  it('activityDate compares non-normalised dates by time, not text', () => {
    expect(
      activityDate(user({ lastSuccessfulSignIn: null, lastSignIn: '2025-01-01T10:00:00+02:00', lastNonInteractiveSignIn: '2025-01-01T09:00:00Z' })),
    ).toBe('2025-01-01T09:00:00Z');
  });
});
