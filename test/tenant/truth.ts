// What Graph should answer, computed from the generated data: the truth tests compare against.
import type { Assignment, Policy, TenantData } from './types';
import { DAY_MS } from './dates';

/** adminAdd is refused for automatic-assignment policies; any other policy accepts it. */
export function policyAllowsAdminAssignment(policy: Policy): boolean {
  return policy.automaticRequestSettings === null;
}

/** Every assignment Graph lists for the package (all states, duplicates included), in listing order. */
export function expectedAssignments(data: TenantData, packageId: string): Assignment[] {
  const id = packageId.toLowerCase();
  return data.assignments.filter((a) => a.accessPackageId.toLowerCase() === id);
}

export function packagePolicies(data: TenantData, packageId: string): Policy[] {
  return data.policies.filter((p) => p.accessPackageId === packageId);
}

export type ExpectedStaleReason = 'deleted' | 'disabled' | 'inactive' | 'never-signed-in' | 'invitation-pending';

function parseDate(value: string | null | undefined): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : null;
}

/**
 * The contract's stale rule, written out independently of the product so tests can compare.
 * Assumption: a servicePrincipal target whose object exists as a service principal is not `deleted`.
 */
export function expectedStaleReasons(
  data: TenantData,
  assignment: Assignment,
  staleAfterDays: number,
  opts: { now?: number; signInAvailable?: boolean } = {},
): ExpectedStaleReason[] {
  const now = opts.now ?? data.now;
  const signIn = opts.signInAvailable ?? true;
  const objectId = assignment.target?.objectId;
  if (!objectId) return [];
  const user = data.users.get(objectId);
  if (!user) return data.servicePrincipals.has(objectId) ? [] : ['deleted'];
  const limit = now - staleAfterDays * DAY_MS;
  const reasons: ExpectedStaleReason[] = [];
  if (user.accountEnabled === false) reasons.push('disabled');
  const s = user.signInActivity;
  let activity = parseDate(s?.lastSuccessfulSignInDateTime);
  if (activity === null) {
    const a = parseDate(s?.lastSignInDateTime);
    const b = parseDate(s?.lastNonInteractiveSignInDateTime);
    activity = a === null ? b : b === null ? a : Math.max(a, b);
  }
  const created = parseDate(user.createdDateTime);
  if (signIn && activity !== null && activity < limit) reasons.push('inactive');
  if (signIn && activity === null && created !== null && created < limit) reasons.push('never-signed-in');
  if (user.userType === 'Guest' && user.externalUserState === 'PendingAcceptance' && created !== null && created < limit) {
    reasons.push('invitation-pending');
  }
  return reasons;
}
