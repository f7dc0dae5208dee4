// Builders for rows and users in tests: a realistic default, overridden per test.
import type { Row, UserInfo, ViewRow } from '../../../src/core/model';

export const NOW = Date.parse('2025-06-15T12:00:00Z');
export const DAY = 86_400_000;
export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const daysAgo = (d: number): string => iso(NOW - d * DAY);

export function row(over: Partial<Row> = {}): Row {
  return {
    id: 'a-1',
    state: 'delivered',
    status: 'Delivered',
    policyId: 'p-1',
    policyName: 'Sales policy',
    start: '2024-01-01T00:00:00Z',
    expiry: null,
    subjectId: 's-1',
    objectId: 'u-1',
    displayName: 'Anna Lindqvist',
    principalName: 'anna@contoso.com',
    email: 'anna@contoso.com',
    subjectType: 'user',
    connectedOrgId: null,
    connectedOrgName: '',
    ...over,
  };
}

export function user(over: Partial<UserInfo> = {}): UserInfo {
  return {
    id: 'u-1',
    deleted: false,
    accountEnabled: true,
    userType: 'Member',
    externalUserState: null,
    createdDateTime: daysAgo(400),
    lastSuccessfulSignIn: daysAgo(3),
    lastSignIn: null,
    lastNonInteractiveSignIn: null,
    ...over,
  };
}

export function viewRow(over: Partial<ViewRow> = {}): ViewRow {
  return { ...row(), user: user(), staleReasons: [], activity: daysAgo(3), ...over };
}
