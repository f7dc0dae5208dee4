// The demo tenant's generator: a seeded, deterministic directory with dates relative to `now`.
//
// Fixed ids (IDS) name the tenant, the admin, the catalogs, packages and policies, so tests and the demo
// can link to them. Everything else (users, assignments, requests) comes from the seed.
import { DAY_MS, isoSeconds } from './dates';
import { catalogs, connectedOrg, NO_EXPIRY, packages, policy, policySpecs, roleDefinitions, type TenantShape } from './fixtures';
import { applyHostile } from './hostile';
import { DOMAIN, EM_ROLES, IDS } from './ids';
import { adminSubject, ascii, Builder, FIRST, LAST, APPS, type Person } from './people';
import type { Assignment, AssignmentRequest, DirUser, Policy, Schedule, ServicePrincipal, Subject, TargetKind, TenantData } from './types';

export { DAY_MS, isoSeconds } from './dates';
export { EM_ROLES, IDS } from './ids';
export { adminSubject } from './people';
export type { TenantShape } from './fixtures';
export { expectedAssignments, expectedStaleReasons, packagePolicies, policyAllowsAdminAssignment, type ExpectedStaleReason } from './truth';

export interface GenerateOptions {
  seed?: number;
  /** assignments on the main package (default 60) */
  size?: number;
  shape?: TenantShape;
  /** the instant dates are relative to (default Date.now()) */
  now?: number;
  /** markup, formula prefixes, RTL, emoji, long strings, control characters, null fields, bad dates... */
  hostile?: boolean;
}

export type State = 'delivered' | 'expired' | 'delivering' | 'partiallyDelivered' | 'deliveryFailed';

/** Per-policy state mix: deliberately uneven so partitions by policy × state differ in size. */
const STATE_MIX: Record<string, Record<State, number>> = {
  [IDS.policies.direct]: { delivered: 92, expired: 3, delivering: 2, partiallyDelivered: 1, deliveryFailed: 2 },
  [IDS.policies.employees]: { delivered: 78, expired: 13, delivering: 3, partiallyDelivered: 2, deliveryFailed: 4 },
  [IDS.policies.partners]: { delivered: 70, expired: 12, delivering: 12, partiallyDelivered: 1, deliveryFailed: 5 },
  [IDS.policies.automatic]: { delivered: 97, expired: 0, delivering: 2, partiallyDelivered: 0, deliveryFailed: 1 },
};
const SINGLE_MIX: Record<State, number> = { delivered: 97, expired: 1, delivering: 1.5, partiallyDelivered: 0, deliveryFailed: 0.5 };
export const DEFAULT_MIX: Record<State, number> = { delivered: 85, expired: 8, delivering: 3, partiallyDelivered: 2, deliveryFailed: 2 };

const STATUS: Record<State, string> = {
  delivered: 'Delivered',
  expired: 'ExpiredNotificationTriggered',
  delivering: 'Delivering',
  partiallyDelivered: 'PartiallyDelivered',
  deliveryFailed: 'DeliveryFailed',
};

export const KIND_MIX: Partial<Record<TargetKind, number>> = {
  'member-recent': 50,
  'member-inactive': 10,
  'never-signed-in': 4,
  'never-signed-in-new': 2,
  'interactive-only-recent': 2,
  'interactive-only-old': 2,
  'noninteractive-only': 2,
  'no-created-date': 1,
  'no-created-date-active': 1,
  disabled: 4,
  'guest-pending': 3,
  'guest-pending-new': 1,
  'guest-accepted': 5,
  'guest-inactive': 2,
  deleted: 3,
  'service-principal': 1.5,
};

/** A schedule consistent with the policy's expiration and the assignment's state. */
export function schedule(b: Builder, p: Policy, state: State): { schedule: Schedule; expired: string | null; status: string } {
  const r = b.rng;
  const exp = p.expiration;
  let status = STATUS[state];
  const frac = (iso: string) => (r.chance(0.1) ? iso.replace('Z', `.${String(r.int(0, 9_999_999)).padStart(7, '0')}Z`) : iso);
  if (exp.type === 'noExpiration') {
    const start = b.ago(1, 1200);
    if (state === 'expired') {
      // Expired although the policy has no expiry: an admin-set end date in the past.
      const end = b.ago(1, 60);
      return { schedule: { startDateTime: frac(start), expiration: { endDateTime: end, duration: null, type: 'afterDateTime' }, recurrence: null }, expired: end, status };
    }
    // shared and frozen: nothing edits an expiration in place (hostile data and removals replace it)
    return { schedule: { startDateTime: frac(start), expiration: NO_EXPIRY, recurrence: null }, expired: null, status };
  }
  const days = Number(/P(\d+)D/.exec(exp.duration ?? '')?.[1] ?? 365);
  let startMs: number;
  if (state === 'expired') {
    startMs = b.now - r.int(days + 1, days + 400) * DAY_MS;
    status = 'ExpiredNotificationTriggered';
  } else if (r.chance(0.08)) {
    // expiring soon: within the next 1–14 days
    startMs = b.now - (days - r.int(1, 14)) * DAY_MS;
    if (state === 'delivered') status = 'NearExpiry1DayNotificationTriggered';
  } else {
    startMs = b.now - r.int(0, days - 15) * DAY_MS;
  }
  startMs -= r.int(0, 86_399) * 1000;
  const endMs = startMs + days * DAY_MS;
  const end = isoSeconds(endMs);
  return {
    schedule: {
      startDateTime: frac(isoSeconds(startMs)),
      expiration: { endDateTime: end, duration: exp.duration, type: 'afterDuration' },
      recurrence: null,
    },
    expired: state === 'expired' ? end : null,
    status,
  };
}

// ------------------------------------------------------------------------------------------ main

export function generateTenant(opts: GenerateOptions = {}): TenantData {
  const seed = opts.seed ?? 1;
  const size = Math.max(0, Math.floor(opts.size ?? 60));
  const shape = opts.shape ?? 'mixed';
  const now = opts.now ?? Date.now();
  const hostile = !!opts.hostile;
  const b = new Builder(seed, now);
  const r = b.rng;

  const admin: DirUser = {
    id: IDS.admin,
    displayName: 'Avery Admin',
    userPrincipalName: `admin@${DOMAIN}`,
    mail: `admin@${DOMAIN}`,
    givenName: 'Avery',
    surname: 'Admin',
    jobTitle: 'Identity Governance Administrator',
    department: 'IT',
    companyName: 'Contoso',
    userType: 'Member',
    accountEnabled: true,
    createdDateTime: isoSeconds(now - 2000 * DAY_MS),
    externalUserState: null,
    externalUserStateChangeDateTime: null,
    signInActivity: b.signIn(isoSeconds(now - 3600_000), isoSeconds(now - 3600_000), isoSeconds(now - 600_000)),
  };

  const data: TenantData = {
    tenant: {
      id: IDS.tenant,
      displayName: 'Contoso (demo)',
      defaultDomain: DOMAIN,
      verifiedDomains: [DOMAIN, 'contoso.com'],
    },
    adminId: IDS.admin,
    mainPackageId: IDS.mainPackage,
    mainCatalogId: IDS.mainCatalog,
    now,
    users: new Map([[admin.id, admin]]),
    servicePrincipals: new Map(),
    catalogs: catalogs(b),
    packages: packages(b, hostile),
    policies: policySpecs(shape).map((s) => policy(b, s)),
    connectedOrganizations: [
      connectedOrg(b, IDS.connectedOrgs.fabrikam, 'Fabrikam', 'fabrikam.com'),
      connectedOrg(b, IDS.connectedOrgs.northwind, 'Northwind Traders', 'northwindtraders.com'),
    ],
    assignments: [],
    requests: [],
    roleDefinitions: roleDefinitions(),
    roleAssignments: [],
    targetKinds: new Map(),
  };

  const mainPolicies = data.policies.filter((p) => p.accessPackageId === IDS.mainPackage);
  const policyWeights: Record<string, number> = {};
  for (const p of mainPolicies) {
    policyWeights[p.id] =
      shape === 'single-policy' ? 1 : ({ [IDS.policies.direct]: 35, [IDS.policies.employees]: 40, [IDS.policies.partners]: 18, [IDS.policies.automatic]: 7 } as Record<string, number>)[p.id] ?? 4;
  }
  const policyById = new Map(data.policies.map((p) => [p.id, p]));
  const orgs = [
    { id: IDS.connectedOrgs.fabrikam, domain: 'fabrikam.com' },
    { id: IDS.connectedOrgs.northwind, domain: 'northwindtraders.com' },
  ];

  const addAssignment = (packageId: string, p: Policy, state: State, target: Subject | null, kind: TargetKind): Assignment => {
    const s = schedule(b, p, state);
    const a: Assignment = {
      id: r.guid(),
      state,
      status: s.status,
      expiredDateTime: s.expired,
      schedule: s.schedule,
      customExtensionCalloutInstances: [],
      accessPackageId: packageId,
      assignmentPolicyId: p.id,
      target,
    };
    data.assignments.push(a);
    data.targetKinds.set(a.id, kind);
    return a;
  };

  const people: Person[] = [];
  const main: Assignment[] = [];
  for (let i = 0; i < size; i++) {
    const policyId = r.weighted(policyWeights);
    const p = policyById.get(policyId)!;
    const mix = shape === 'single-policy' ? SINGLE_MIX : STATE_MIX[policyId] ?? DEFAULT_MIX;
    const state = r.weighted(mix);
    let kind: TargetKind;
    let target: Subject;
    if (policyId === IDS.policies.partners) {
      const org = r.pick(orgs);
      if (state === 'delivering' && r.chance(0.6)) {
        // Invited but not yet in the directory: the subject has only an email.
        kind = 'not-in-directory';
        target = {
          id: r.guid(),
          objectId: null,
          displayName: null,
          email: `${ascii(r.pick(FIRST))}.${ascii(r.pick(LAST))}.${i}@${org.domain}`,
          principalName: null,
          onPremisesSecurityIdentifier: null,
          subjectType: 'user',
          connectedOrganizationId: org.id,
        };
      } else {
        const person = b.person(r.pick(['guest-accepted', 'guest-accepted', 'guest-inactive', 'guest-pending', 'guest-pending-new', 'deleted'] as TargetKind[]), org.domain, org.id);
        kind = person.kind;
        target = person.subject;
        if (kind !== 'deleted') people.push(person);
      }
    } else {
      kind = r.weighted(KIND_MIX as Record<TargetKind, number>);
      if (kind === 'service-principal') {
        const sp: ServicePrincipal = { id: r.guid(), appId: r.guid(), displayName: `${r.pick(APPS)} ${i}`, servicePrincipalType: 'Application', accountEnabled: true };
        data.servicePrincipals.set(sp.id, sp);
        target = { id: r.guid(), objectId: sp.id, displayName: sp.displayName, email: null, principalName: null, onPremisesSecurityIdentifier: null, subjectType: 'servicePrincipal', connectedOrganizationId: null };
      } else {
        const person = b.person(kind === 'deleted' ? 'member-recent' : kind);
        target = person.subject;
        if (kind !== 'deleted') people.push(person);
      }
    }
    main.push(addAssignment(IDS.mainPackage, p, state, target, kind));
  }
  for (const person of people) data.users.set(person.user.id, person.user);

  // Unassigned directory users: candidates for direct add and search.
  const extra = 20 + Math.floor(size / 20);
  for (let i = 0; i < extra; i++) {
    const person = b.person(r.chance(0.85) ? 'member-recent' : 'guest-accepted');
    data.users.set(person.user.id, person.user);
  }

  // The two small packages reuse some users of the main package (and one user of their own).
  const pool = people.filter((p) => p.kind === 'member-recent' || p.kind === 'member-inactive');
  const smallPackage = (packageId: string, policyId: string, states: State[]) => {
    const p = policyById.get(policyId)!;
    states.forEach((state, k) => {
      const person = pool.length > k * 3 ? pool[k * 3] : b.person('member-recent');
      if (!data.users.has(person.user.id)) data.users.set(person.user.id, person.user);
      addAssignment(packageId, p, state, b.subjectFor(person.user, null), person.kind);
    });
  };
  smallPackage(IDS.financePackage, IDS.policies.finance, ['delivered', 'delivered', 'delivered', 'expired', 'delivering']);
  smallPackage(IDS.labPackage, IDS.policies.lab, ['delivered', 'delivered', 'deliveryFailed']);

  if (hostile) applyHostile(b, data, main);

  data.requests = requests(b, data);
  data.roleAssignments = [
    { id: r.guid(), principalId: pool[0]?.user.id ?? r.guid(), roleDefinitionId: EM_ROLES.catalogOwner, appScopeId: `/AccessPackageCatalog/${IDS.mainCatalog}`, directoryScopeId: '/' },
    { id: r.guid(), principalId: pool[1]?.user.id ?? r.guid(), roleDefinitionId: EM_ROLES.catalogReader, appScopeId: `/AccessPackageCatalog/${IDS.researchCatalog}`, directoryScopeId: '/' },
  ];
  return data;
}

/** Requests for the assignments still in flight or failed, a few delivered ones, and two awaiting approval. */
function requests(b: Builder, data: TenantData): AssignmentRequest[] {
  const r = b.rng;
  const out: AssignmentRequest[] = [];
  const typeFor = (policyId: string) =>
    policyId === IDS.policies.direct ? 'adminAdd' : policyId === IDS.policies.automatic ? 'systemAdd' : 'userAdd';
  let delivered = 0;
  for (const a of data.assignments) {
    const state = a.state;
    const open = state === 'delivering' || state === 'deliveryFailed' || state === 'partiallyDelivered';
    if (!open && !(state === 'delivered' && delivered < 5 && r.chance(0.2))) continue;
    if (state === 'delivered') delivered++;
    const created = a.schedule?.startDateTime && Number.isFinite(Date.parse(a.schedule.startDateTime)) ? isoSeconds(Date.parse(a.schedule.startDateTime)) : b.ago(1, 30);
    const requestType = typeFor(a.assignmentPolicyId);
    out.push({
      id: r.guid(),
      requestType,
      state: state!,
      status: state === 'deliveryFailed' ? 'DeliveryFailed' : state === 'partiallyDelivered' ? 'PartiallyDelivered' : state === 'delivering' ? 'Delivering' : 'Delivered',
      createdDateTime: created,
      completedDateTime: state === 'delivered' ? created : null,
      justification: requestType === 'userAdd' ? 'Needed for my role' : null,
      schedule: a.schedule,
      answers: [],
      customExtensionCalloutInstances: [],
      accessPackageId: a.accessPackageId,
      assignmentId: a.id,
      assignmentCopy: null,
      requestor: requestType === 'adminAdd' ? adminSubject(data) : a.target,
      subject: a.target,
    });
  }
  // Two users waiting for approval on the employees policy (no assignment yet).
  const waiting = [...data.users.values()].filter((u) => u.userType === 'Member' && u.id !== data.adminId).slice(-2);
  for (const u of waiting) {
    const subject = b.subjectFor(u, null);
    out.push({
      id: r.guid(),
      requestType: 'userAdd',
      state: 'pendingApproval',
      status: 'PendingApproval',
      createdDateTime: b.ago(0, 3),
      completedDateTime: null,
      justification: 'New in the team',
      schedule: null,
      answers: [],
      customExtensionCalloutInstances: [],
      accessPackageId: IDS.mainPackage,
      assignmentId: null,
      assignmentCopy: null,
      requestor: subject,
      subject,
    });
  }
  return out;
}
