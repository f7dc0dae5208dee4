// The demo tenant's directory, stored in Graph v1.0 shapes so the server can answer with little
// translation. Fields marked "internal" never leave the server as such (v1.0 has no flat ids).

export interface SignInActivity {
  lastSignInDateTime: string | null;
  lastSignInRequestId: string | null;
  lastNonInteractiveSignInDateTime: string | null;
  lastNonInteractiveSignInRequestId: string | null;
  lastSuccessfulSignInDateTime: string | null;
  lastSuccessfulSignInRequestId: string | null;
}

export interface DirUser {
  id: string;
  displayName: string | null;
  userPrincipalName: string;
  mail: string | null;
  givenName: string | null;
  surname: string | null;
  jobTitle: string | null;
  department: string | null;
  companyName: string | null;
  userType: string | null;
  accountEnabled: boolean | null;
  createdDateTime: string | null;
  externalUserState: string | null;
  externalUserStateChangeDateTime: string | null;
  /** null: the user has no sign-in record at all (never signed in). */
  signInActivity: SignInActivity | null;
}

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  servicePrincipalType: string;
  accountEnabled: boolean;
}

/** accessPackageSubject (an assignment's `target`). */
export interface Subject {
  id: string;
  objectId: string | null;
  displayName: string | null;
  email: string | null;
  principalName: string | null;
  onPremisesSecurityIdentifier: string | null;
  subjectType: string | null;
  /** accessPackageSubjectLifecycle (not nullable on Graph); when absent, derived from the connected organisation */
  subjectLifecycle?: 'notDefined' | 'notGoverned' | 'governed';
  /** internal: the connected organisation, served only through $expand=target($expand=connectedOrganization) */
  connectedOrganizationId: string | null;
}

export interface ExpirationPattern {
  endDateTime: string | null;
  duration: string | null;
  type: string;
}

export interface Schedule {
  startDateTime: string | null;
  expiration: ExpirationPattern | null;
  recurrence: null;
}

export interface Assignment {
  id: string;
  state: string | null;
  status: string | null;
  expiredDateTime: string | null;
  schedule: Schedule | null;
  customExtensionCalloutInstances: unknown[];
  /** internal */
  accessPackageId: string;
  /** internal */
  assignmentPolicyId: string;
  /** null: the assignment has no subject at all (hostile data) */
  target: Subject | null;
}

export interface LocalizedText {
  languageCode: string;
  text: string | null;
}

/** accessPackageTextInputQuestion or accessPackageMultipleChoiceQuestion (by `@odata.type`). */
export interface Question {
  '@odata.type': string;
  id: string;
  sequence: number;
  isRequired: boolean;
  isAnswerEditable: boolean;
  text: string;
  localizations?: LocalizedText[];
  isSingleLineQuestion?: boolean;
  regexPattern?: string | null;
  choices?: Array<{ actualValue: string; text: string; localizations: LocalizedText[] }>;
  isMultipleSelectionAllowed?: boolean;
}

export interface Policy {
  id: string;
  displayName: string;
  description: string;
  allowedTargetScope: string;
  specificAllowedTargets: unknown[];
  /** present only on automatic-assignment policies; the server refuses adminAdd with those */
  automaticRequestSettings: { requestAccessForAllowedTargets: boolean; removeAccessWhenTargetLeavesAllowedTargets: boolean; gracePeriodBeforeAccessRemoval: string } | null;
  expiration: ExpirationPattern;
  requestorSettings: Record<string, unknown>;
  requestApprovalSettings: Record<string, unknown>;
  reviewSettings: Record<string, unknown> | null;
  questions: Question[];
  /** accessPackageNotificationSettings; serialised as Graph's default when absent */
  notificationSettings?: { isAssignmentNotificationDisabled: boolean } | null;
  createdDateTime: string;
  modifiedDateTime: string;
  /** internal */
  accessPackageId: string;
}

export interface AccessPackage {
  id: string;
  displayName: string;
  description: string;
  isHidden: boolean;
  createdDateTime: string;
  modifiedDateTime: string;
  /** internal */
  catalogId: string;
}

export interface Catalog {
  id: string;
  displayName: string;
  description: string;
  catalogType: string;
  state: string;
  isExternallyVisible: boolean;
  createdDateTime: string;
  modifiedDateTime: string;
}

export interface ConnectedOrganization {
  id: string;
  displayName: string;
  description: string;
  state: string;
  identitySources: Array<Record<string, string>>;
  createdDateTime: string;
  modifiedDateTime: string;
}

export interface AssignmentRequest {
  id: string;
  requestType: string;
  state: string;
  status: string;
  createdDateTime: string;
  completedDateTime: string | null;
  justification: string | null;
  schedule: Schedule | null;
  answers: unknown[];
  customExtensionCalloutInstances: unknown[];
  /** internal */
  accessPackageId: string;
  /** internal: the assignment this request made or ended */
  assignmentId: string | null;
  /** internal: kept so `$expand=assignment` still answers after a removal took the assignment away */
  assignmentCopy: Assignment | null;
  /** internal */
  requestor: Subject | null;
  /** internal: whom the request is about (the target being added or removed) */
  subject: Subject | null;
}

export interface RoleDefinition {
  id: string;
  displayName: string;
  description: string;
  isBuiltIn: boolean;
  isEnabled: boolean;
  templateId: string;
  version: string | null;
  rolePermissions: Array<{ allowedResourceActions: string[]; condition: string | null }>;
}

export interface RoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  appScopeId: string;
  directoryScopeId: string;
}

/** Why the generator made a target the way it is: the truth tests compare against. */
export type TargetKind =
  | 'member-recent'
  | 'member-inactive'
  | 'never-signed-in'
  | 'never-signed-in-new'
  | 'interactive-only-recent'
  | 'interactive-only-old'
  | 'noninteractive-only'
  | 'no-created-date'
  | 'no-created-date-active'
  | 'disabled'
  | 'guest-pending'
  | 'guest-pending-new'
  | 'guest-accepted'
  | 'guest-inactive'
  | 'deleted'
  | 'service-principal'
  | 'not-in-directory'
  | 'hostile';

export interface TenantInfo {
  id: string;
  displayName: string;
  defaultDomain: string;
  verifiedDomains: string[];
}

export interface TenantData {
  tenant: TenantInfo;
  /** the signed-in administrator (a member of `users`) */
  adminId: string;
  mainPackageId: string;
  mainCatalogId: string;
  /** the instant the dates were generated against (ms since epoch) */
  now: number;
  users: Map<string, DirUser>;
  servicePrincipals: Map<string, ServicePrincipal>;
  catalogs: Catalog[];
  packages: AccessPackage[];
  policies: Policy[];
  connectedOrganizations: ConnectedOrganization[];
  /** in listing order; Graph lists them in this order */
  assignments: Assignment[];
  requests: AssignmentRequest[];
  roleDefinitions: RoleDefinition[];
  /** role assignments of other principals; the admin's own come from config (writeRole / emRoles) */
  roleAssignments: RoleAssignment[];
  /** assignment id → what the generator meant its target to be */
  targetKinds: Map<string, TargetKind>;
}
