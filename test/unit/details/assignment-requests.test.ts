// The request index and the pure reprocess / extend decisions behind the details view and the toolbar.
import {
  RequestIndex,
  durationDays,
  endOfDayUtc,
  extendRefusal,
  maxExtendEnd,
  normaliseRequest,
  reprocessDecision,
  type RequestInfo,
} from '../../../src/core/assignment-requests';
import { DAY, NOW, daysAgo } from '../core/fixtures';

function req(over: Record<string, unknown> = {}): RequestInfo {
  return normaliseRequest({
    id: 'r-1',
    requestType: 'adminAdd',
    state: 'delivered',
    status: 'Delivered',
    createdDateTime: daysAgo(30),
    assignment: { id: 'a-1', state: 'delivered' },
    requestor: { objectId: 'admin', displayName: 'Avery Admin' },
    ...over,
  })!;
}

describe('normaliseRequest', () => {
  it('reads v1.0 fields, answers and schedule, and beta names where v1.0 ones are missing', () => {
    const r = normaliseRequest({
      id: 'r-9',
      requestType: 'userAdd',
      requestState: 'DeliveryFailed',
      requestStatus: 'Failed',
      createdDateTime: '2025-06-01T10:00:00.1234567Z',
      justification: 'Needed <b>now</b>',
      answers: [{ displayValue: 'Sales', answeredQuestion: { text: 'Team?' } }, { value: 'raw only' }],
      schedule: { startDateTime: '2025-06-01T10:00:00Z', expiration: { endDateTime: '2025-09-01T00:00:00Z', type: 'afterDateTime' } },
      accessPackageAssignment: { id: 'a-9' },
      requestor: null,
    })!;
    expect(r).toMatchObject({
      id: 'r-9',
      state: 'DeliveryFailed',
      status: 'Failed',
      createdDateTime: '2025-06-01T10:00:00Z',
      justification: 'Needed <b>now</b>',
      answers: [{ question: 'Team?', answer: 'Sales' }, { question: '', answer: 'raw only' }],
      scheduleEnd: '2025-09-01T00:00:00Z',
      assignmentId: 'a-9',
      requestor: null,
    });
  });

  it('drops an element without an id and never throws on junk', () => {
    expect(normaliseRequest({ requestType: 'adminAdd' })).toBeNull();
    expect(normaliseRequest('x')).toBeNull();
    expect(normaliseRequest({ id: 'r', answers: 'no', schedule: 5, assignment: [] })).toMatchObject({ id: 'r', answers: [], assignmentId: null });
  });
});

describe('RequestIndex', () => {
  it('lists an assignment’s requests oldest first, case-insensitively, without duplicates', () => {
    const index = new RequestIndex([
      req({ id: 'r-2', requestType: 'adminUpdate', createdDateTime: daysAgo(5) }),
      req({ id: 'r-1', createdDateTime: daysAgo(50), assignment: { id: 'A-1' } }),
      req({ id: 'r-2', requestType: 'adminUpdate', createdDateTime: daysAgo(5) }),
      req({ id: 'r-3', assignment: { id: 'a-2' } }),
    ]);
    expect(index.forAssignment('a-1').map((r) => r.id)).toEqual(['r-1', 'r-2']);
    expect(index.latest('a-1')?.id).toBe('r-2');
    expect(index.latest('a-unknown')).toBeNull();
    expect(index.size).toBe(3);
  });

  it('keeps self-service requests without an assignment under the person they are about', () => {
    const pending = req({ id: 'r-p', requestType: 'userAdd', state: 'pendingApproval', assignment: null, requestor: { objectId: 'U-7', displayName: 'Uma' } });
    const adminNoAssignment = req({ id: 'r-x', requestType: 'adminAdd', assignment: null, requestor: { objectId: 'u-7' } });
    const index = new RequestIndex([pending, adminNoAssignment]);
    expect(index.withoutAssignment('u-7').map((r) => r.id)).toEqual(['r-p']);
    expect(index.withoutAssignment(null)).toEqual([]);
  });
});

describe('reprocessDecision', () => {
  const delivered = { id: 'a-1', state: 'delivered' };

  it('reprocesses a delivered assignment itself when its latest request succeeded', () => {
    expect(reprocessDecision(delivered, 'a-1', req(), NOW)).toEqual({ action: 'assignment', assignmentId: 'a-1' });
    expect(reprocessDecision(delivered, 'a-1', null, NOW).action).toBe('assignment');
  });

  it('reprocesses the latest request when it failed or was partially delivered, within the age limit', () => {
    const failed = req({ id: 'r-f', state: 'deliveryFailed', createdDateTime: daysAgo(3) });
    expect(reprocessDecision({ id: 'a-1', state: 'deliveryFailed' }, 'a-1', failed, NOW)).toEqual({
      action: 'request',
      assignmentId: 'a-1',
      requestId: 'r-f',
      requestState: 'deliveryFailed',
    });
    const partial = req({ id: 'r-p', state: 'partiallyDelivered', createdDateTime: daysAgo(14) });
    expect(reprocessDecision({ id: 'a-1', state: 'partiallyDelivered' }, 'a-1', partial, NOW).action).toBe('request');
  });

  it('skips with the reason: too old, expired, in progress, failed without a request, gone, unknown state', () => {
    const old = req({ id: 'r-o', state: 'deliveryFailed', createdDateTime: daysAgo(40) });
    expect(reprocessDecision({ id: 'a-1', state: 'deliveryFailed' }, 'a-1', old, NOW)).toMatchObject({ action: 'skip', reason: 'request-too-old', ageDays: 40, requestId: 'r-o' });
    expect(reprocessDecision({ id: 'a-1', state: 'expired' }, 'a-1', null, NOW)).toMatchObject({ reason: 'expired' });
    expect(reprocessDecision({ id: 'a-1', state: 'delivering' }, 'a-1', null, NOW)).toMatchObject({ reason: 'in-progress' });
    expect(reprocessDecision({ id: 'a-1', state: 'deliveryFailed' }, 'a-1', null, NOW)).toMatchObject({ reason: 'failed-no-request' });
    expect(reprocessDecision(null, 'a-1', null, NOW)).toMatchObject({ reason: 'not-found' });
    expect(reprocessDecision({ id: 'a-1', state: 'somethingNew' }, 'a-1', null, NOW)).toMatchObject({ reason: 'unknown-state', state: 'somethingNew' });
  });
});

describe('extend', () => {
  it('reads durations in days', () => {
    expect(durationDays('P365D')).toBe(365);
    expect(durationDays('P2W')).toBe(14);
    expect(durationDays('PT48H')).toBe(2);
    expect(durationDays('P')).toBeNull();
    expect(durationDays('junk')).toBeNull();
  });

  it('computes the policy’s maximum: none, a fixed date, or a duration from now; unknown otherwise', () => {
    expect(maxExtendEnd({ type: 'noExpiration', endDateTime: null, duration: null }, NOW)).toBeNull();
    expect(maxExtendEnd({ type: 'afterDateTime', endDateTime: '2026-01-01T00:00:00Z', duration: null }, NOW)).toBe('2026-01-01T00:00:00Z');
    expect(maxExtendEnd({ type: 'afterDuration', endDateTime: null, duration: 'P90D' }, NOW)).toBe(new Date(NOW + 90 * DAY).toISOString().replace('.000', ''));
    expect(maxExtendEnd({ type: 'afterDuration', endDateTime: null, duration: 'weird' }, NOW)).toBeUndefined();
    expect(maxExtendEnd(null, NOW)).toBeUndefined();
  });

  it('turns a date input into the end of that day in UTC', () => {
    expect(endOfDayUtc('2025-07-01')).toBe('2025-07-01T23:59:59Z');
    expect(endOfDayUtc('2025-02-30')).toBeNull();
    expect(endOfDayUtc('')).toBeNull();
  });

  it('refuses a date in the past, past the policy’s maximum, or on an assignment that is not delivered', () => {
    const max = new Date(NOW + 90 * DAY).toISOString();
    expect(extendRefusal(new Date(NOW + 30 * DAY).toISOString(), max, 'delivered', NOW)).toBeNull();
    expect(extendRefusal(new Date(NOW + 91 * DAY).toISOString(), max, 'delivered', NOW)).toBe('past-policy-max');
    expect(extendRefusal(new Date(NOW + 400 * DAY).toISOString(), null, 'delivered', NOW)).toBeNull();
    expect(extendRefusal(new Date(NOW - DAY).toISOString(), max, 'delivered', NOW)).toBe('in-past');
    expect(extendRefusal(null, max, 'delivered', NOW)).toBe('invalid-date');
    expect(extendRefusal(new Date(NOW + DAY).toISOString(), max, 'expired', NOW)).toBe('not-active');
  });
});
