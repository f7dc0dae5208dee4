// Graph JSON for the stored objects, honouring $select and $expand. Related objects are ABSENT unless
// expanded, as on Graph (graph-api.md §1): an assignment without $expand=target has no subject.
import type { TenantContext } from '../context';
import { ODataError, resolveSelect, type ExpandItem } from '../odata';
import { resourceRoleScopesJson } from './resources';
import type { AccessPackage, Assignment, AssignmentRequest, Catalog, ConnectedOrganization, Policy, Question, Subject } from '../types';

/**
 * Evolvable enums (Microsoft's pattern): a member added after `unknownFutureValue` is sent as
 * `unknownFutureValue` unless the request says `Prefer: include-unknown-enum-members`. Set per request
 * by the handler (serialisation is synchronous within it).
 */
let includeUnknownEnums = false;
export function withEnumPreference<T>(include: boolean, fn: () => T): T {
  const before = includeUnknownEnums;
  includeUnknownEnums = include;
  try {
    return fn();
  } finally {
    includeUnknownEnums = before;
  }
}
/** The assignment states and request types the v1.0 schema declares up to `unknownFutureValue`. */
const KNOWN_STATES = new Set(['delivering', 'partiallydelivered', 'delivered', 'expired', 'deliveryfailed', 'unknownfuturevalue']);
const KNOWN_REQUEST_TYPES = new Set(
  ['notSpecified', 'userAdd', 'userUpdate', 'userRemove', 'adminAdd', 'adminUpdate', 'adminRemove', 'systemAdd', 'systemUpdate', 'systemRemove', 'onBehalfAdd', 'unknownFutureValue'].map((x) => x.toLowerCase()),
);
/** The value Graph shows for a stored enum member, given the caller's Prefer header. */
export function shownEnum(value: string | null, known: ReadonlySet<string>): string | null {
  if (value === null || includeUnknownEnums || known.has(value.toLowerCase())) return value;
  return 'unknownFutureValue';
}
export const shownState = (v: string | null): string | null => shownEnum(v, KNOWN_STATES);
export const shownRequestType = (v: string): string => shownEnum(v, KNOWN_REQUEST_TYPES) ?? v;

export const ASSIGNMENT_PROPS = ['id', 'state', 'status', 'expiredDateTime', 'schedule', 'customExtensionCalloutInstances'] as const;
const ASSIGNMENT_NAV = ['accessPackage', 'assignmentPolicy', 'target'];
const SUBJECT_PROPS = ['id', 'objectId', 'displayName', 'email', 'principalName', 'onPremisesSecurityIdentifier', 'subjectType', 'subjectLifecycle'] as const;
const PACKAGE_PROPS = ['id', 'displayName', 'description', 'isHidden', 'createdDateTime', 'modifiedDateTime'] as const;
const PACKAGE_NAV = ['assignmentPolicies', 'catalog', 'accessPackagesIncompatibleWith', 'incompatibleAccessPackages', 'incompatibleGroups', 'resourceRoleScopes'];
const POLICY_PROPS = [
  'id', 'displayName', 'description', 'allowedTargetScope', 'specificAllowedTargets', 'automaticRequestSettings', 'expiration',
  'requestorSettings', 'requestApprovalSettings', 'reviewSettings', 'notificationSettings', 'createdDateTime', 'modifiedDateTime',
] as const;
/** `questions` is a relationship of the policy (v1.0 schema): sent only with $expand=questions. */
const POLICY_NAV = ['accessPackage', 'catalog', 'customExtensionStageSettings', 'questions'];
const CATALOG_PROPS = ['id', 'displayName', 'description', 'catalogType', 'state', 'isExternallyVisible', 'createdDateTime', 'modifiedDateTime'] as const;
const ORG_PROPS = ['id', 'displayName', 'description', 'state', 'identitySources', 'createdDateTime', 'modifiedDateTime'] as const;
const REQUEST_PROPS = ['id', 'requestType', 'state', 'status', 'createdDateTime', 'completedDateTime', 'justification', 'schedule', 'answers', 'customExtensionCalloutInstances'] as const;
const REQUEST_NAV = ['accessPackage', 'assignment', 'requestor'];

function pick(obj: object, props: readonly string[], select: string[] | null, typeName: string, nav: readonly string[] = []): Record<string, unknown> {
  const chosen = resolveSelect(select, [...props, ...nav], typeName);
  const src = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const p of chosen ?? props) if (!nav.includes(p)) out[p] = src[p] ?? null;
  return out;
}

function checkExpand(expand: ExpandItem[], allowed: readonly string[], typeName: string): Map<string, ExpandItem> {
  const byLower = new Map(allowed.map((a) => [a.toLowerCase(), a]));
  const out = new Map<string, ExpandItem>();
  for (const e of expand) {
    const name = byLower.get(e.name.toLowerCase());
    if (!name) throw new ODataError('BadRequest', `Could not find a property named '${e.name}' on type 'microsoft.graph.${typeName}'.`);
    out.set(name, e);
  }
  return out;
}

export function subjectJson(ctx: TenantContext, s: Subject, select: string[] | null, expand: ExpandItem[]): object {
  // subjectLifecycle is not nullable: a subject from a connected organisation is governed, others not defined.
  const withLifecycle = { ...s, subjectLifecycle: s.subjectLifecycle ?? (s.connectedOrganizationId ? 'governed' : 'notDefined') };
  const out = pick(withLifecycle, SUBJECT_PROPS, select, 'accessPackageSubject', ['connectedOrganization']);
  const ex = checkExpand(expand, ['connectedOrganization'], 'accessPackageSubject');
  const org = ex.get('connectedOrganization');
  if (org) {
    const o = s.connectedOrganizationId ? ctx.data.connectedOrganizations.find((c) => c.id === s.connectedOrganizationId) : undefined;
    out.connectedOrganization = o ? connectedOrgJson(o, org.select) : null;
  }
  return out;
}

export function connectedOrgJson(o: ConnectedOrganization, select: string[] | null): object {
  return pick(o, ORG_PROPS, select, 'connectedOrganization');
}

export function catalogJson(c: Catalog, select: string[] | null): object {
  return pick(c, CATALOG_PROPS, select, 'accessPackageCatalog');
}

export function packageJson(ctx: TenantContext, p: AccessPackage, select: string[] | null, expand: ExpandItem[]): object {
  const out = pick(p, PACKAGE_PROPS, select, 'accessPackage', PACKAGE_NAV);
  const ex = checkExpand(expand, PACKAGE_NAV, 'accessPackage');
  const pol = ex.get('assignmentPolicies');
  if (pol) out.assignmentPolicies = ctx.data.policies.filter((x) => x.accessPackageId === p.id).map((x) => policyJson(ctx, x, pol.select, pol.expand));
  const cat = ex.get('catalog');
  if (cat) {
    const c = ctx.data.catalogs.find((x) => x.id === p.catalogId);
    out.catalog = c ? catalogJson(c, cat.select) : null;
  }
  const rrs = ex.get('resourceRoleScopes');
  if (rrs) out.resourceRoleScopes = resourceRoleScopesJson(ctx, p.id, rrs);
  for (const empty of ['accessPackagesIncompatibleWith', 'incompatibleAccessPackages', 'incompatibleGroups']) {
    if (ex.has(empty)) out[empty] = [];
  }
  return out;
}

export function policyJson(ctx: TenantContext, p: Policy, select: string[] | null, expand: ExpandItem[]): object {
  const out = pick(p, POLICY_PROPS, select, 'accessPackageAssignmentPolicy', POLICY_NAV);
  const ex = checkExpand(expand, POLICY_NAV, 'accessPackageAssignmentPolicy');
  const ap = ex.get('accessPackage');
  const pkg = ctx.data.packages.find((x) => x.id === p.accessPackageId);
  if (ap) out.accessPackage = pkg ? packageJson(ctx, pkg, ap.select, ap.expand) : null;
  const cat = ex.get('catalog');
  if (cat) {
    const c = pkg ? ctx.data.catalogs.find((x) => x.id === pkg.catalogId) : undefined;
    out.catalog = c ? catalogJson(c, cat.select) : null;
  }
  if (ex.has('customExtensionStageSettings')) out.customExtensionStageSettings = [];
  const q = ex.get('questions');
  if (q) out.questions = p.questions.map((x) => questionJson(x, q.select));
  if ('notificationSettings' in out && out.notificationSettings === null) out.notificationSettings = { isAssignmentNotificationDisabled: false };
  return out;
}

const QUESTION_PROPS = ['id', 'sequence', 'isRequired', 'isAnswerEditable', 'text', 'localizations'] as const;

/** A question in its derived type's shape, with `@odata.type` first as Graph sends it. */
export function questionJson(q: Question, select: string[] | null): object {
  const multiple = q['@odata.type'].endsWith('accessPackageMultipleChoiceQuestion');
  const props = multiple ? [...QUESTION_PROPS, 'choices', 'isMultipleSelectionAllowed'] : [...QUESTION_PROPS, 'isSingleLineQuestion', 'regexPattern'];
  const filled = { localizations: [], ...(multiple ? { choices: [], isMultipleSelectionAllowed: false } : { isSingleLineQuestion: true, regexPattern: null }), ...q };
  return { '@odata.type': q['@odata.type'], ...pick(filled, props, select, multiple ? 'accessPackageMultipleChoiceQuestion' : 'accessPackageTextInputQuestion') };
}

export function assignmentJson(ctx: TenantContext, a: Assignment, select: string[] | null, expand: Map<string, ExpandItem>): object {
  const out = pick(a, ASSIGNMENT_PROPS, select, 'accessPackageAssignment', ASSIGNMENT_NAV);
  if ('state' in out) out.state = shownState(a.state);
  const t = expand.get('target');
  if (t) out.target = a.target ? subjectJson(ctx, a.target, t.select, t.expand) : null;
  const pol = expand.get('assignmentPolicy');
  if (pol) {
    const p = ctx.data.policies.find((x) => x.id === a.assignmentPolicyId);
    out.assignmentPolicy = p ? policyJson(ctx, p, pol.select, pol.expand) : null;
  }
  const ap = expand.get('accessPackage');
  if (ap) {
    const p = ctx.data.packages.find((x) => x.id === a.accessPackageId);
    out.accessPackage = p ? packageJson(ctx, p, ap.select, ap.expand) : null;
  }
  return out;
}

export function assignmentExpand(expand: ExpandItem[]): Map<string, ExpandItem> {
  return checkExpand(expand, ASSIGNMENT_NAV, 'accessPackageAssignment');
}

/** `answers/answeredQuestion`: the answers' contained navigation property, reached through the complex property's path. */
export const ANSWERED_QUESTION = 'answers/answeredQuestion';

export function requestExpand(expand: ExpandItem[]): Map<string, ExpandItem> {
  // OData 4.0 lets $expand follow a complex property to a navigation property of its type; the request's
  // only such path is answers → accessPackageAnswer.answeredQuestion (v1.0 schema). Any other member of an
  // answer is refused as Graph refuses an unknown property.
  const paths = expand.filter((e) => e.name.includes('/'));
  const out = checkExpand(expand.filter((e) => !e.name.includes('/')), REQUEST_NAV, 'accessPackageAssignmentRequest');
  for (const e of paths) {
    const [head, nav, ...rest] = e.name.split('/');
    if (head.toLowerCase() !== 'answers' || rest.length > 0) {
      throw new ODataError('BadRequest', `Could not find a property named '${head}' on type 'microsoft.graph.accessPackageAssignmentRequest'.`);
    }
    if ((nav ?? '').toLowerCase() !== 'answeredquestion') {
      throw new ODataError('BadRequest', `Could not find a property named '${nav}' on type 'microsoft.graph.accessPackageAnswer'.`);
    }
    out.set(ANSWERED_QUESTION, e);
  }
  return out;
}

/** The question an answer names: the policy's own question with that id, else what the request stored. */
function answeredQuestionJson(ctx: TenantContext, stored: unknown, select: string[] | null): object | null {
  const q = stored as { id?: unknown; text?: unknown; '@odata.type'?: unknown } | null | undefined;
  if (!q || typeof q !== 'object') return null;
  const id = String(q.id ?? '').toLowerCase();
  for (const p of ctx.data.policies) {
    const hit = p.questions.find((x) => x.id.toLowerCase() === id);
    if (hit) return questionJson(hit, select);
  }
  const type = typeof q['@odata.type'] === 'string' ? q['@odata.type'] : '#microsoft.graph.accessPackageTextInputQuestion';
  return questionJson({ '@odata.type': type, id: String(q.id ?? ''), sequence: 0, isRequired: false, isAnswerEditable: false, text: String(q.text ?? '') }, select);
}

export function requestJson(ctx: TenantContext, r: AssignmentRequest, select: string[] | null, expand: Map<string, ExpandItem>): object {
  const out = pick(r, REQUEST_PROPS, select, 'accessPackageAssignmentRequest', REQUEST_NAV);
  if ('requestType' in out) out.requestType = shownRequestType(r.requestType);
  // `answeredQuestion` is a navigation property of an answer (the CSDL): like any other, not sent unexpanded.
  const aq = expand.get(ANSWERED_QUESTION);
  if (Array.isArray(out.answers)) {
    out.answers = (out.answers as Record<string, unknown>[]).map((a) => {
      if (!a || typeof a !== 'object') return a;
      const { answeredQuestion: q, ...rest } = a;
      return aq ? { ...rest, answeredQuestion: answeredQuestionJson(ctx, q, aq.select) } : rest;
    });
  }
  const ap = expand.get('accessPackage');
  if (ap) {
    const p = ctx.data.packages.find((x) => x.id === r.accessPackageId);
    out.accessPackage = p ? packageJson(ctx, p, ap.select, ap.expand) : null;
  }
  const as = expand.get('assignment');
  if (as) {
    const live = r.assignmentId ? ctx.data.assignments.find((a) => a.id === r.assignmentId && !ctx.removed.has(a)) : undefined;
    const a = live ?? r.assignmentCopy;
    out.assignment = a ? assignmentJson(ctx, a, as.select, assignmentExpand(as.expand)) : null;
  }
  const rq = expand.get('requestor');
  if (rq) out.requestor = r.requestor ? subjectJson(ctx, r.requestor, rq.select, rq.expand) : null;
  return out;
}
