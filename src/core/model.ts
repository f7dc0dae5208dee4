// The one row model shared by the worker, the panel, the filters and the CSV writer.
// Pure types: no browser or network API anywhere in src/core.
import type { PolicyQuestion } from './questions';

export type Cloud = 'global' | 'usgov' | 'usgovdod' | 'china';

/** The contract's `settings` object (chrome.storage.local key `settings`, managed storage overrides). */
export interface Settings {
  clientId: string;
  /** A GUID, a verified domain, or `organizations` (the default). */
  tenantId: string;
  cloud: Cloud;
  /** Days after which a user counts as inactive; default 90. */
  staleAfterDays: number;
}

/** One access package assignment, flattened from Graph's accessPackageAssignment with target and policy. */
export interface Row {
  /** assignment id */
  id: string;
  /** Graph's `state`, verbatim ("" when missing). */
  state: string;
  /** Graph's `status`, verbatim ("" when missing). */
  status: string;
  policyId: string;
  /** The policy's display name ("" when unknown). */
  policyName: string;
  /** `schedule.startDateTime` as ISO 8601 UTC with Z, or null when missing or invalid. */
  start: string | null;
  /** `schedule.expiration.endDateTime` as ISO 8601 UTC with Z, or null. */
  expiry: string | null;
  /** `target.id` (the accessPackageSubject id), or null. */
  subjectId: string | null;
  /** `target.objectId`: null until the subject is in the directory. */
  objectId: string | null;
  displayName: string;
  principalName: string;
  email: string;
  /** `target.subjectType` verbatim: user, servicePrincipal, notSpecified, or anything newer. */
  subjectType: string;
  connectedOrgId: string | null;
  connectedOrgName: string;
  /** `expiredDateTime` as ISO 8601 UTC with Z: when the assignment expired or was removed (absent: not read). */
  expired?: string | null;
  /** `customExtensionCalloutInstances`: a callout waiting, failed or timed out is one real cause of a stuck delivery. */
  callouts?: CalloutInstance[];
}

/** One custom-extension callout of an assignment, as Graph lists it. */
export interface CalloutInstance {
  id: string;
  customExtensionId: string;
  /** customExtensionCalloutInstanceStatus verbatim (calloutSent, callbackReceived, calloutFailed, ...). */
  status: string;
  detail: string;
}

/** What the worker learnt about a target user from /users (account and sign-in data). */
export interface UserInfo {
  /** user object id (= Row.objectId) */
  id: string;
  /** true when the id no longer resolves to a user. All other fields are null then. */
  deleted: boolean;
  accountEnabled: boolean | null;
  /** "Member" | "Guest" | other, verbatim, or null. */
  userType: string | null;
  /** "PendingAcceptance" | "Accepted" | null */
  externalUserState: string | null;
  createdDateTime: string | null;
  /** signInActivity fields, ISO 8601 UTC with Z, or null (also null when sign-in data is unavailable). */
  lastSuccessfulSignIn: string | null;
  lastSignIn: string | null;
  lastNonInteractiveSignIn: string | null;
}

/** Whether sign-in data could be read for this tenant, and if not, why (shown in the panel). */
export interface SignInAvailability {
  available: boolean;
  /** Plain-language reason when unavailable (missing licence, missing consent, ...). */
  reason?: string;
}

export type StaleReason = 'deleted' | 'disabled' | 'inactive' | 'never-signed-in' | 'invitation-pending';

/** A row as the panel, filters and CSV see it: the assignment, its user (if any) and stale reasons. */
export interface ViewRow extends Row {
  user: UserInfo | null;
  staleReasons: StaleReason[];
  /** activity date used by the stale rule, or null */
  activity: string | null;
  /** The access check's result for this assignment (absent until a check ran). */
  access?: ViewAccess;
}

/** An assignment's access as the panel, filters and CSV see it. */
export interface ViewAccess {
  value: 'complete' | 'missing' | 'not-checked' | 'pending';
  /** display names of the resources whose role the target lacks */
  missing: string[];
  /** not-checked: why (core/access NotCheckedReason values) */
  reasons?: readonly string[];
  /** the assignment's state when the check compared it (a row whose state changed since is not covered) */
  state?: string;
}

export interface PackageInfo {
  id: string;
  displayName: string;
  catalogId: string | null;
  catalogName: string;
}

export interface PolicyInfo {
  id: string;
  displayName: string;
  /** true when the policy lets administrators assign directly (adminAdd allowed). */
  allowsDirectAssignment: boolean;
  /** true when requestors must answer questions (direct add of one user at a time). */
  hasQuestions: boolean;
  /** The requestor questions (read with $expand=questions), in sequence order; absent when not read. */
  questions?: PolicyQuestion[];
}

/** A page (or partition) that finally failed after retries: reported, never silently skipped. */
export interface MissingPart {
  /** Human label of the partition, e.g. "policy Sales, state delivered". */
  partition: string;
  /** The URL of the page that failed. */
  page: string;
  /** Why it failed (Graph's message or the network error). */
  error: string;
}
