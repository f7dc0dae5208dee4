// Assignment request types (accessPackageRequestType, Graph v1.0). A removal is one of these members by
// name, never a substring match: `approverRemove` was added after `unknownFutureValue` and arrives by name
// only when the request says `Prefer: include-unknown-enum-members` (else as `unknownFutureValue`, which
// says nothing either way).

/** Every request type that ends an assignment. */
export const REMOVAL_REQUEST_TYPES: ReadonlySet<string> = new Set(['adminRemove', 'userRemove', 'systemRemove', 'approverRemove']);

/** True when the request type removes the assignment (Graph's own casing or any other). */
export function isRemovalRequest(requestType: string): boolean {
  for (const t of REMOVAL_REQUEST_TYPES) if (t.toLowerCase() === requestType.toLowerCase()) return true;
  return false;
}

/**
 * Whether an assignment as Graph lists it is already ended: after an adminRemove, Graph may keep listing
 * it for a while (state `expired`, with `expiredDateTime` set) before it returns 404. Either means there
 * is nothing left to remove.
 */
export function isEnded(assignment: { state?: unknown; expiredDateTime?: unknown }): boolean {
  return (typeof assignment.state === 'string' && assignment.state.toLowerCase() === 'expired') ||
    (typeof assignment.expiredDateTime === 'string' && assignment.expiredDateTime !== '' && !assignment.expiredDateTime.startsWith('0001-'));
}
