import type { Row, UserInfo } from '../../../src/core/model';
import { packRows, packUsers, ROW_FIELDS, unpack, USER_FIELDS } from '../../../src/protocol/stream';

/** A row with a distinct, non-null value in every field: a field lost or moved in transit shows. */
function fullRow(n: number): Row {
  const row: Record<string, unknown> = {};
  for (const k of ROW_FIELDS) row[k] = `${k}-${n}`;
  row.callouts = [{ id: `c-${n}`, customExtensionId: 'x', status: 'calloutFailed', detail: 'd "quoted" \\ text' }];
  return row as unknown as Row;
}

const viaPort = <T>(msg: T): Record<string, unknown> => JSON.parse(JSON.stringify(msg)) as Record<string, unknown>;

describe('packed rows', () => {
  test('every field of every row arrives as it was sent, through the port\'s JSON', () => {
    const rows = [fullRow(1), fullRow(2), fullRow(3)];
    const got = unpack(viaPort(packRows('load-1', rows)));
    expect(got).toEqual({ type: 'rows', loadId: 'load-1', list: rows });
  });

  test('a row without its optional fields: an absent expiry date arrives as null, absent callouts stay absent', () => {
    const { expired, callouts, ...rest } = fullRow(4);
    void expired;
    void callouts;
    const got = unpack(viaPort(packRows('l', [rest as Row])));
    expect(got?.list).toEqual([{ ...rest, expired: null }]);
    expect(got?.list[0]).toHaveProperty('expired', null);
    expect((got?.list[0] as Row).callouts).toBeUndefined();
  });

  test('the row carries no key names on the wire, only its values in order', () => {
    const json = packRows('l', [fullRow(5)]).json;
    expect(JSON.parse(json)).toEqual([ROW_FIELDS.map((k) => (k === 'callouts' ? fullRow(5).callouts : `${k}-5`))]);
    expect(json).not.toContain('"displayName"');
  });

  test('anything else is not a packed event', () => {
    expect(unpack({ type: 'rows-packed', loadId: 'l', json: '{"not":"a list"}' })).toBeNull();
    expect(unpack({ type: 'rows-packed', loadId: 'l', json: '[1,' })).toBeNull();
    expect(unpack({ type: 'users-packed', loadId: 'l', json: '{}' })).toBeNull();
    expect(unpack({ type: 'rows', loadId: 'l', rows: [] })).toBeNull();
  });
});

describe('packed users', () => {
  /** A user with a distinct value in every field. */
  function fullUser(n: number): UserInfo {
    const user: Record<string, unknown> = {};
    for (const k of USER_FIELDS) user[k] = `${k}-${n}`;
    return { ...(user as unknown as UserInfo), deleted: n % 2 === 0, accountEnabled: n % 3 === 0 ? null : n % 2 === 1 };
  }

  test('every field of every user arrives as it was sent, through the port\'s JSON, without key names on the wire', () => {
    const users = [fullUser(1), fullUser(2), fullUser(3)];
    const packed = packUsers('load-1', users);
    expect(unpack(viaPort(packed))).toEqual({ type: 'users', loadId: 'load-1', list: users });
    expect(packed.json).not.toContain('"lastSignIn"');
    expect(JSON.parse(packed.json)[0]).toEqual(USER_FIELDS.map((k) => users[0][k]));
  });
});
