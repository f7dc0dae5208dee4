// One assignment's access now and per resource: what the table's data-access and the details view show.
import { accessNow, accessPerResource, NOT_IN_CHECK } from '../../../src/core/access/per-row';

const resources = [
  { id: 'rs-g', status: 'checked' as const },
  { id: 'rs-app', status: 'checked' as const },
  { id: 'rs-site', status: 'not-checked' as const, reason: 'sharepoint' },
  { id: 'rs-lab', status: 'not-checked' as const, reason: 'no-permission' },
];

describe('accessNow', () => {
  it('keeps the check’s value for a row it compared in the same state', () => {
    const e = { value: 'missing' as const, missing: ['rs-g'], state: 'Delivered' };
    expect(accessNow(e, 'delivered')).toBe(e);
  });

  it('a row the check did not see, or whose state changed since, is not checked: not in the check', () => {
    expect(accessNow(undefined, 'delivered')).toEqual({ value: 'not-checked', missing: [], reasons: ['not-in-check'] });
    expect(accessNow({ value: 'pending', missing: [], state: 'delivering' }, 'delivered')).toBe(NOT_IN_CHECK);
  });
});

describe('accessPerResource', () => {
  it('a missing assignment: held, missing, and each unread resource with its own reason', () => {
    expect(accessPerResource({ value: 'missing', missing: ['rs-app'], reasons: [] }, resources)).toEqual([
      { resourceId: 'rs-g', value: 'complete' },
      { resourceId: 'rs-app', value: 'missing' },
      { resourceId: 'rs-site', value: 'not-checked', reason: 'sharepoint' },
      { resourceId: 'rs-lab', value: 'not-checked', reason: 'no-permission' },
    ]);
  });

  it('pending applies to every resource; so does the assignment’s own reason for not being checked', () => {
    expect(accessPerResource({ value: 'pending', missing: [] }, resources).map((r) => r.value)).toEqual(['pending', 'pending', 'pending', 'pending']);
    const expired = accessPerResource({ value: 'not-checked', missing: [], reasons: ['not-delivered'] }, resources);
    expect(expired.map((r) => [r.value, r.reason])).toEqual(Array(4).fill(['not-checked', 'not-delivered']));
    expect(accessPerResource(NOT_IN_CHECK, resources).every((r) => r.reason === 'not-in-check')).toBe(true);
  });

  it('a resource being read again says so; a not-checked row for a resource reason still shows what was held', () => {
    const again = [{ id: 'rs-g', status: 'checking' as const }, resources[1], resources[3]];
    expect(accessPerResource({ value: 'not-checked', missing: [], reasons: ['no-permission'] }, again)).toEqual([
      { resourceId: 'rs-g', value: 'checking' },
      { resourceId: 'rs-app', value: 'complete' },
      { resourceId: 'rs-lab', value: 'not-checked', reason: 'no-permission' },
    ]);
  });
});
