// What the details view reads, added to a generated tenant: requests of every type and state (with
// justifications, answers, requestors who are other users or the admin, a deleted requestor), multi-stage
// approvals (approved, denied, timed out), one approval Graph refuses to show, failed deliveries of
// different ages, a user assigned twice in the main package, managers. Seeded and deterministic; it draws
// from its own random source so the base generator's output is unchanged.
import { DAY_MS, isoSeconds } from './dates';
import { IDS } from './ids';
import { adminSubject } from './people';
import { Rng } from './random';
import type { Assignment, AssignmentRequest, DirUser, Subject, TenantData } from './types';

export interface ApprovalStage {
  id: string;
  displayName: string;
  reviewResult: string;
  status: string;
  reviewedDateTime: string | null;
  justification: string | null;
  reviewedBy: { id: string; displayName: string } | null;
  assignedToMe: boolean;
}

export interface DetailsData {
  /** request id → its approval stages (absent: no approval, Graph answers 404) */
  stages: Map<string, ApprovalStage[]>;
  /** requests whose approvals the admin may not read (403, as for a caller who is not an approver) */
  forbiddenApprovals: Set<string>;
  /** user id → manager id (absent: no manager, Graph answers 404) */
  managers: Map<string, string>;
  /** assignment ids picked to show each situation (tests and the demo open these) */
  picks: {
    approvedTwice?: string;
    deniedBefore?: string;
    byOtherUser?: string;
    longJustification?: string;
    forbiddenApproval?: string;
    deletedRequestor?: string;
    unknownType?: string;
    /** asked for under a policy that needs no approval: Graph has no approval record (404) */
    noApproval?: string;
    twiceInPackage?: [string, string];
    recentFailure?: string;
    oldFailure?: string;
  };
}

const byData = new WeakMap<TenantData, DetailsData>();

/** The details data of a tenant (empty when addDetailsData was not run on it). */
export function detailsOf(data: TenantData): DetailsData {
  let d = byData.get(data);
  if (!d) byData.set(data, (d = { stages: new Map(), forbiddenApprovals: new Set(), managers: new Map(), picks: {} }));
  return d;
}

const LONG = 'I need this access for the quarterly audit. '.repeat(466).slice(0, 20_000);

export function addDetailsData(data: TenantData, seed = 4242): DetailsData {
  const d = detailsOf(data);
  const r = new Rng(seed);
  const now = data.now;
  const ago = (days: number): string => isoSeconds(now - days * DAY_MS - r.int(0, 86_399) * 1000);
  const users = [...data.users.values()];
  const members = users.filter((u) => u.userType === 'Member' && u.id !== data.adminId);
  const admin = data.users.get(data.adminId)!;

  // Managers: most members report to another member; a few have none (Graph answers 404).
  members.forEach((u, i) => {
    if (i % 7 === 6) return;
    const m = i === 0 ? admin : members[Math.floor(i / 4)];
    if (m && m.id !== u.id) d.managers.set(u.id, m.id);
  });
  const nameOf = (u: DirUser | undefined): string => u?.displayName ?? 'Unknown reviewer';
  const managerOf = (id: string | null): DirUser => (id && d.managers.has(id) ? data.users.get(d.managers.get(id)!) : undefined) ?? admin;

  const stage = (n: number, result: string, reviewer: DirUser | null, days: number, justification: string | null, status = 'Completed'): ApprovalStage => ({
    id: r.guid(),
    displayName: `Stage ${n}`,
    reviewResult: result,
    status,
    reviewedDateTime: reviewer ? ago(days) : null,
    justification,
    reviewedBy: reviewer ? { id: reviewer.id, displayName: nameOf(reviewer) } : null,
    assignedToMe: false,
  });

  const req = (a: Assignment | null, over: Partial<AssignmentRequest>): AssignmentRequest => {
    const x: AssignmentRequest = {
      id: r.guid(),
      requestType: 'userAdd',
      state: 'delivered',
      status: 'Delivered',
      createdDateTime: ago(60),
      completedDateTime: null,
      justification: null,
      schedule: a?.schedule ?? null,
      answers: [],
      customExtensionCalloutInstances: [],
      accessPackageId: a?.accessPackageId ?? IDS.mainPackage,
      assignmentId: a?.id ?? null,
      assignmentCopy: null,
      requestor: a?.target ?? null,
      subject: a?.target ?? null,
      ...over,
    };
    if (x.completedDateTime === null && (x.state === 'delivered' || x.state === 'denied')) x.completedDateTime = x.createdDateTime;
    data.requests.push(x);
    return x;
  };

  // Every self-service request already generated went through one approval stage.
  for (const q of data.requests) {
    if (q.requestType !== 'userAdd') continue;
    const reviewer = managerOf(q.subject?.objectId ?? null);
    d.stages.set(q.id, q.state === 'pendingApproval' ? [stage(1, 'NotReviewed', null, 0, null, 'InProgress')] : [stage(1, 'Approved', reviewer, 1, 'Approved for the team')]);
  }

  // Failed deliveries of different ages: the first failed request is recent, the second one old.
  const failed = data.requests.filter((q) => q.accessPackageId === IDS.mainPackage && (q.state === 'deliveryFailed' || q.state === 'partiallyDelivered'));
  if (failed[0]) {
    failed[0].createdDateTime = ago(2);
    d.picks.recentFailure = failed[0].assignmentId ?? undefined;
  }
  if (failed[1]) {
    failed[1].createdDateTime = ago(40);
    d.picks.oldFailure = failed[1].assignmentId ?? undefined;
  }

  const hasRequest = new Set(data.requests.map((q) => q.assignmentId));
  const candidates = data.assignments.filter(
    (a) => a.accessPackageId === IDS.mainPackage && a.state === 'delivered' && !hasRequest.has(a.id) && !!a.target?.objectId && data.users.has(a.target.objectId) && data.users.get(a.target.objectId)!.userType === 'Member',
  );
  const next = (): Assignment | undefined => candidates.shift();
  const other = members[members.length - 3];
  const otherSubject: Subject | null = other
    ? { id: r.guid(), objectId: other.id, displayName: other.displayName, email: other.mail, principalName: other.userPrincipalName, onPremisesSecurityIdentifier: null, subjectType: 'user', connectedOrganizationId: null }
    : null;

  // Asked for, approved in two stages, later extended by the admin.
  let a = next();
  if (a) {
    d.picks.approvedTwice = a.id;
    const q = req(a, {
      createdDateTime: ago(200),
      justification: 'Joining the sales operations team',
      answers: [{ '@odata.type': '#microsoft.graph.accessPackageAnswerString', value: 'Sales', displayValue: 'Sales', answeredQuestion: { id: r.guid(), text: 'Which team are you in?' } }],
    });
    const reviewer = managerOf(a.target?.objectId ?? null);
    d.stages.set(q.id, [stage(1, 'Approved', reviewer, 199, 'Works in my team'), stage(2, 'Approved', admin, 198, 'Confirmed with the package owner')]);
    req(a, { requestType: 'adminUpdate', createdDateTime: ago(30), requestor: adminSubject(data), justification: 'Extended for the audit period' });

    // The same person twice in this package, under another policy: another assignment is given to them, so
    // the package keeps the size it was generated with.
    const at = candidates.findIndex((c) => c.assignmentPolicyId !== a!.assignmentPolicyId);
    const second = at >= 0 ? candidates.splice(at, 1)[0] : undefined;
    if (second) {
      second.target = a.target;
      data.targetKinds.set(second.id, data.targetKinds.get(a.id) ?? 'member-recent');
      req(second, { requestType: 'adminAdd', createdDateTime: ago(20), requestor: adminSubject(data) });
      d.picks.twiceInPackage = [a.id, second.id];
    }
  }

  // Denied once (second stage), timed out once, then approved.
  a = next();
  if (a) {
    d.picks.deniedBefore = a.id;
    const denied = req(null, { state: 'denied', status: 'Denied', createdDateTime: ago(120), justification: 'Need reports access', requestor: a.target, subject: a.target, accessPackageId: a.accessPackageId });
    d.stages.set(denied.id, [stage(1, 'Approved', managerOf(a.target?.objectId ?? null), 119, 'OK by me'), stage(2, 'Denied', admin, 118, 'Use the reporting package instead')]);
    const timedOut = req(null, { state: 'denied', status: 'Denied', createdDateTime: ago(90), justification: 'Asking again', requestor: a.target, subject: a.target, accessPackageId: a.accessPackageId });
    d.stages.set(timedOut.id, [stage(1, 'NotReviewed', null, 0, null, 'Completed')]);
    const ok = req(a, { createdDateTime: ago(60), justification: 'Approved by my new manager' });
    d.stages.set(ok.id, [stage(1, 'Approved', managerOf(a.target?.objectId ?? null), 59, null)]);
  }

  // Requested by another user on the person's behalf (an assignment manager who is not the admin).
  a = next();
  if (a && otherSubject) {
    d.picks.byOtherUser = a.id;
    req(a, { requestType: 'adminAdd', requestor: otherSubject, createdDateTime: ago(45), justification: 'Onboarding' });
  }

  a = next();
  if (a) {
    d.picks.longJustification = a.id;
    const q = req(a, { createdDateTime: ago(15), justification: LONG });
    d.stages.set(q.id, [stage(1, 'Approved', managerOf(a.target?.objectId ?? null), 14, null)]);
  }

  a = next();
  if (a) {
    d.picks.forbiddenApproval = a.id;
    const q = req(a, { createdDateTime: ago(25), justification: 'Project Falcon' });
    d.forbiddenApprovals.add(q.id);
  }

  a = next();
  if (a) {
    d.picks.deletedRequestor = a.id;
    req(a, { requestType: 'adminAdd', requestor: null, createdDateTime: ago(300) });
  }

  a = next();
  if (a) {
    d.picks.unknownType = a.id;
    req(a, { requestType: 'unknownFutureValue', state: 'unknownFutureValue', status: 'SomethingNew', createdDateTime: ago(10), requestor: adminSubject(data) });
  }

  // Self-service under a policy without approval: delivered at once, no approval record (stages: 404).
  a = next();
  if (a) {
    d.picks.noApproval = a.id;
    req(a, { createdDateTime: ago(12), justification: 'Auto-approved by the policy' });
  }

  // An earlier removal of an assignment that has expired since.
  const expired = data.assignments.find((x) => x.accessPackageId === IDS.mainPackage && x.state === 'expired' && !hasRequest.has(x.id));
  if (expired) req(expired, { requestType: 'adminRemove', requestor: adminSubject(data), createdDateTime: ago(5) });
  return d;
}
