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

/** Clock difference tolerated between this machine and Graph when comparing its timestamps with ours. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Whether an assignment as Graph lists it ended at or after `sinceIso` (when our removal was queued):
 * after an adminRemove, Graph may keep listing it for a while as `expired`, with `expiredDateTime` set,
 * before it answers 404. That means our removal (or another) already took effect: nothing is left to
 * remove. An assignment that had expired before we asked is not taken as our removal's doing.
 */
export function endedSince(assignment: { state?: unknown; expiredDateTime?: unknown }, sinceIso: string): boolean {
  if (typeof assignment.state !== 'string' || assignment.state.toLowerCase() !== 'expired') return false;
  const ended = typeof assignment.expiredDateTime === 'string' ? Date.parse(assignment.expiredDateTime) : NaN;
  const since = Date.parse(sinceIso);
  return Number.isFinite(ended) && Number.isFinite(since) && ended >= since - CLOCK_SKEW_MS;
}
