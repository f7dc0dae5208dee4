import fc from 'fast-check';
import {
  deletedUser,
  isSyntheticId,
  normaliseAssignments,
  normalisePackage,
  normalisePolicy,
  normaliseUser,
  text,
  toIsoUtc,
} from '../../../src/core/normalise';

const v1Assignment = {
  id: 'a1',
  state: 'delivered',
  status: 'Delivered',
  expiredDateTime: null,
  schedule: {
    startDateTime: '2024-03-01T08:15:30.1234567Z',
    recurrence: null,
    expiration: { endDateTime: '2025-03-01T08:15:30Z', duration: null, type: 'afterDateTime' },
  },
  target: {
    id: 's1',
    objectId: 'O1',
    displayName: 'Anna',
    principalName: 'anna@contoso.com',
    email: 'anna@contoso.com',
    subjectType: 'user',
    onPremisesSecurityIdentifier: null,
    connectedOrganization: { id: 'org1', displayName: 'Fabrikam' },
  },
  assignmentPolicy: { id: 'p1', displayName: 'Sales', description: '' },
};

describe('toIsoUtc', () => {
  it.each([
    ['2024-03-01T08:15:30Z', '2024-03-01T08:15:30Z'],
    ['2024-03-01T08:15:30.1234567Z', '2024-03-01T08:15:30Z'], // fractions truncated, never rounded up
    ['2024-03-01T08:15:30.9999999Z', '2024-03-01T08:15:30Z'],
    ['2024-03-01T08:15:30+05:30', '2024-03-01T02:45:30Z'],
    ['2024-03-01T20:00:00-08:00', '2024-03-02T04:00:00Z'],
    ['2024-03-01T20:00:00-0800', '2024-03-02T04:00:00Z'],
    ['2024-03-01T08:15:30', '2024-03-01T08:15:30Z'], // no offset: UTC, as Graph's DateTimeOffset is
    ['2024-03-01T08:15Z', '2024-03-01T08:15:00Z'],
    ['2024-03-01', '2024-03-01T00:00:00Z'],
    ['2024-02-29T00:00:00z', '2024-02-29T00:00:00Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00Z'], // no 19xx mapping of two-digit years
  ])('%s → %s', (input, out) => expect(toIsoUtc(input)).toBe(out));

  it.each([
    ['0001-01-01T00:00:00Z'], // Graph's min date means "none"
    ['0001-01-01T00:00:00+00:00'],
    ['2023-02-29T00:00:00Z'],
    ['1900-02-29T00:00:00Z'],
    ['2024-13-01T00:00:00Z'],
    ['2024-04-31T00:00:00Z'],
    ['2024-01-01T24:00:00Z'],
    ['2024-01-01T10:60:00Z'],
    ['2024-01-01T10:00:60Z'],
    ['2024-01-01T10:00:00+25:00'],
    ['9999-12-31T23:59:59-05:00'], // would be year 10000
    ['not a date'],
    [''],
    ['2024-1-1'],
    ['1714550400000'],
  ])('%s → null', (input) => expect(toIsoUtc(input)).toBeNull());

  it.each([
    ['2024-03-01T08:15:30.Z'], // a point without a fraction
    ['2024-03-01T08:15:30.12a4Z'],
    ['2024-03-01T08:15:3xZ'],
    ['2024-03-01T08:15:30;5Z'],
  ])('%s (Graph\'s form, broken) → null', (input) => expect(toIsoUtc(input)).toBeNull());

  it('reads Graph\'s form as the full reading does, for any digits in its places', () => {
    // The same text with an explicit +00:00 offset goes through the full reading (regular expression and Date).
    // Each field a little past its range on both sides, so that invalid dates are drawn as often as valid ones.
    const field = (max: number, w = 2) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(w, '0'));
    fc.assert(
      fc.property(field(9999, 4), field(13), field(32), field(24), field(60), field(60), fc.option(fc.stringMatching(/^[0-9]{1,7}$/)), (y, mo, d, h, mi, s, f) => {
        const base = `${y}-${mo}-${d}T${h}:${mi}:${s}${f === null ? '' : `.${f}`}`;
        expect(toIsoUtc(`${base}Z`)).toBe(toIsoUtc(`${base}+00:00`));
      }),
      { numRuns: 2000 },
    );
  });

  it('returns null for non-strings', () => {
    for (const v of [null, undefined, 0, 1714550400000, {}, [], true, new Date()]) expect(toIsoUtc(v)).toBeNull();
  });

  it('agrees with Date for any instant in years 1000-9999 (to the second)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const expected = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
        expect(toIsoUtc(d.toISOString())).toBe(expected);
      }),
    );
  });

  it('converts offsets like Date does', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (d, offsetMin) => {
          const local = new Date(d.getTime() + offsetMin * 60_000).toISOString().slice(0, 19);
          const sign = offsetMin < 0 ? '-' : '+';
          const abs = Math.abs(offsetMin);
          const s = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(toIsoUtc(s)).toBe(new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
        },
      ),
    );
  });
});

describe('text', () => {
  it('keeps strings verbatim and stringifies scalars only', () => {
    expect(text('<b>x</b>\u202e\u0007😀')).toBe('<b>x</b>\u202e\u0007😀');
    expect(text(42)).toBe('42');
    expect(text(false)).toBe('false');
    for (const v of [null, undefined, {}, [], NaN, Infinity]) expect(text(v)).toBe('');
  });
});

describe('normaliseAssignments', () => {
  it('flattens a v1.0 assignment with target and policy expanded', () => {
    const { rows, problems } = normaliseAssignments([v1Assignment]);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        id: 'a1',
        state: 'delivered',
        status: 'Delivered',
        policyId: 'p1',
        policyName: 'Sales',
        start: '2024-03-01T08:15:30Z',
        expiry: '2025-03-01T08:15:30Z',
        subjectId: 's1',
        objectId: 'O1',
        displayName: 'Anna',
        principalName: 'anna@contoso.com',
        email: 'anna@contoso.com',
        subjectType: 'user',
        connectedOrgId: 'org1',
        connectedOrgName: 'Fabrikam',
        expired: null,
        callouts: [],
      },
    ]);
  });

  it('reads expiredDateTime and the custom-extension callout instances', () => {
    const { rows } = normaliseAssignments([
      {
        id: 'a3',
        state: 'expired',
        expiredDateTime: '2025-06-01T10:00:00.1234567Z',
        customExtensionCalloutInstances: [
          { id: 'c1', customExtensionId: 'x1', status: 'callbackTimedOut', detail: 'no answer', externalCorrelationId: 'e' },
          'garbage',
        ],
      },
    ]);
    expect(rows[0].expired).toBe('2025-06-01T10:00:00Z');
    expect(rows[0].callouts).toEqual([{ id: 'c1', customExtensionId: 'x1', status: 'callbackTimedOut', detail: 'no answer' }]);
  });

  it('maps a target not yet in the directory (delivering, email only) with nulls and empty text', () => {
    const { rows } = normaliseAssignments([
      { id: 'a2', state: 'delivering', status: 'Delivering', schedule: {}, target: { email: 'x@fabrikam.com', objectId: null } },
    ]);
    expect(rows[0]).toMatchObject({
      objectId: null,
      subjectId: null,
      displayName: '',
      principalName: '',
      email: 'x@fabrikam.com',
      subjectType: '',
      policyId: '',
      policyName: '',
      start: null,
      expiry: null,
      connectedOrgId: null,
      connectedOrgName: '',
    });
  });

  it('takes the policy name from policyNames when the policy is not expanded', () => {
    const names = new Map([['p9', 'Contractors']]);
    const { rows } = normaliseAssignments([{ id: 'a', assignmentPolicy: { id: 'p9' } }, { id: 'b', assignmentPolicy: { id: 'p8' } }], names);
    expect(rows.map((r) => [r.policyId, r.policyName])).toEqual([
      ['p9', 'Contractors'],
      ['p8', ''],
    ]);
  });

  it('accepts beta-style names', () => {
    const { rows } = normaliseAssignments([
      {
        id: 'b1',
        assignmentState: 'Delivered',
        assignmentStatus: 'Delivered',
        assignmentPolicyId: 'pp',
        targetId: 'tt',
        accessPackageAssignmentPolicy: { id: 'pp', displayName: 'Beta policy' },
      },
      { id: 'b2', assignmentPolicyId: 'qq', targetId: 'uu' },
    ]);
    expect(rows[0]).toMatchObject({ state: 'Delivered', status: 'Delivered', policyId: 'pp', policyName: 'Beta policy', subjectId: 'tt' });
    expect(rows[1]).toMatchObject({ policyId: 'qq', subjectId: 'uu' });
  });

  it('keeps unknown enum values and any text verbatim', () => {
    const hostile = '<img src=x onerror=alert(1)>\u202eevil\u0000 😀 ‫שלום‬';
    const { rows } = normaliseAssignments([
      { id: 'a', state: 'someNewState', target: { displayName: hostile, subjectType: 'agentIdentity', principalName: 7 } },
    ]);
    expect(rows[0].state).toBe('someNewState');
    expect(rows[0].displayName).toBe(hostile);
    expect(rows[0].subjectType).toBe('agentIdentity');
    expect(rows[0].principalName).toBe('7');
  });

  it('never throws and never loses an element; elements without an id get synthetic ids and a problem each', () => {
    const raws = [null, 5, 'x', [], {}, { id: 3 }, { id: '' }, v1Assignment, undefined];
    const { rows, problems } = normaliseAssignments(raws);
    expect(rows).toHaveLength(raws.length);
    expect(rows.map((r) => r.id)).toEqual([
      'unidentified:1',
      'unidentified:2',
      'unidentified:3',
      'unidentified:4',
      'unidentified:5',
      'unidentified:6',
      'unidentified:7',
      'a1',
      'unidentified:9',
    ]);
    expect(problems).toHaveLength(8);
    expect(problems[0]).toMatch(/^assignment #1 has no id/);
    expect(problems[6]).toMatch(/^assignment #7 has no id/);
    expect(rows.filter((r) => isSyntheticId(r.id))).toHaveLength(8);
    expect(isSyntheticId('a1')).toBe(false);
  });

  it('numbers synthetic ids from startIndex so pages do not collide', () => {
    const { rows, problems } = normaliseAssignments([{}], undefined, 100);
    expect(rows[0].id).toBe('unidentified:101');
    expect(problems[0]).toMatch(/#101/);
  });

  it('keeps one row per element for arbitrary JSON input', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 30 }), (raws) => {
        const { rows, problems } = normaliseAssignments(raws);
        expect(rows).toHaveLength(raws.length);
        expect(new Set(rows.map((r) => r.id)).size).toBeLessThanOrEqual(raws.length);
        expect(problems.length).toBe(rows.filter((r) => isSyntheticId(r.id)).length);
      }),
    );
  });
});

describe('normaliseUser / deletedUser', () => {
  it('reads a /users object with signInActivity', () => {
    expect(
      normaliseUser({
        id: 'u1',
        accountEnabled: false,
        userType: 'Guest',
        externalUserState: 'PendingAcceptance',
        createdDateTime: '2020-01-02T03:04:05Z',
        signInActivity: {
          lastSignInDateTime: '2025-01-01T00:00:00Z',
          lastSignInRequestId: 'r',
          lastNonInteractiveSignInDateTime: '2025-02-01T00:00:00.5Z',
          lastSuccessfulSignInDateTime: null,
        },
      }),
    ).toEqual({
      id: 'u1',
      deleted: false,
      accountEnabled: false,
      userType: 'Guest',
      externalUserState: 'PendingAcceptance',
      createdDateTime: '2020-01-02T03:04:05Z',
      lastSuccessfulSignIn: null,
      lastSignIn: '2025-01-01T00:00:00Z',
      lastNonInteractiveSignIn: '2025-02-01T00:00:00Z',
    });
  });

  it('uses null for missing fields (sign-in data unavailable) and returns null without an id', () => {
    expect(normaliseUser({ id: 'u2' })).toEqual({ ...deletedUser('u2'), deleted: false });
    expect(normaliseUser({ id: 'u3', accountEnabled: 'yes', userType: '', createdDateTime: '0001-01-01T00:00:00Z' })).toMatchObject({
      accountEnabled: null,
      userType: null,
      createdDateTime: null,
    });
    for (const v of [null, {}, { id: '' }, { id: 5 }, 'u1']) expect(normaliseUser(v)).toBeNull();
  });

  it('deletedUser carries only the id', () => {
    expect(deletedUser('gone')).toEqual({
      id: 'gone',
      deleted: true,
      accountEnabled: null,
      userType: null,
      externalUserState: null,
      createdDateTime: null,
      lastSuccessfulSignIn: null,
      lastSignIn: null,
      lastNonInteractiveSignIn: null,
    });
  });
});

describe('normalisePolicy', () => {
  it('a "None (administrator direct assignments only)" policy allows direct assignment', () => {
    expect(
      normalisePolicy({
        id: 'p1',
        displayName: 'Admin only',
        allowedTargetScope: 'notSpecified',
        specificAllowedTargets: [],
        requestorSettings: { enableTargetsToSelfAddAccess: false },
      }),
    ).toEqual({ id: 'p1', displayName: 'Admin only', allowsDirectAssignment: true, hasQuestions: false });
  });

  it('a request policy allows direct assignment; an automatic assignment policy does not', () => {
    expect(normalisePolicy({ id: 'p2', allowedTargetScope: 'allMemberUsers', automaticRequestSettings: null })?.allowsDirectAssignment).toBe(true);
    expect(
      normalisePolicy({
        id: 'p3',
        allowedTargetScope: 'specificDirectoryUsers',
        automaticRequestSettings: { requestAccessForAllowedTargets: true },
      })?.allowsDirectAssignment,
    ).toBe(false);
  });

  it('hasQuestions when the questions list is non-empty', () => {
    expect(normalisePolicy({ id: 'p', questions: [{ id: 'q' }] })?.hasQuestions).toBe(true);
    expect(normalisePolicy({ id: 'p', questions: [] })?.hasQuestions).toBe(false);
    expect(normalisePolicy({ id: 'p' })?.hasQuestions).toBe(false);
  });

  it('returns null without an id', () => {
    expect(normalisePolicy({ displayName: 'x' })).toBeNull();
    expect(normalisePolicy(null)).toBeNull();
  });
});

describe('normalisePackage', () => {
  it('reads id, name and expanded catalog', () => {
    expect(normalisePackage({ id: 'ap', displayName: 'Sales', catalog: { id: 'c', displayName: 'General' } })).toEqual({
      id: 'ap',
      displayName: 'Sales',
      catalogId: 'c',
      catalogName: 'General',
    });
    expect(normalisePackage({ id: 'ap', catalogId: 'c2' })).toEqual({ id: 'ap', displayName: '', catalogId: 'c2', catalogName: '' });
    expect(normalisePackage(undefined)).toEqual({ id: '', displayName: '', catalogId: null, catalogName: '' });
  });
});
