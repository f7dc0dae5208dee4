// The fixed part of the tenant: catalogs, packages, policies, connected organisations, role definitions.
import { DAY_MS, isoSeconds } from './dates';
import { EM_ROLES, IDS } from './ids';
import type { AccessPackage, Catalog, ConnectedOrganization, Policy, RoleDefinition } from './types';

export type TenantShape = 'mixed' | 'single-policy' | 'many-policies';


export function catalogs(b: { now: number }): Catalog[] {
  const c = (id: string, displayName: string, description: string, days: number): Catalog => ({
    id,
    displayName,
    description,
    catalogType: 'userManaged',
    state: 'published',
    isExternallyVisible: true,
    createdDateTime: isoSeconds(b.now - days * DAY_MS),
    modifiedDateTime: isoSeconds(b.now - Math.floor(days / 3) * DAY_MS),
  });
  return [
    c(IDS.mainCatalog, 'Sales & Marketing', 'Resources of the sales and marketing teams', 900),
    c(IDS.researchCatalog, 'Research', 'Lab and research resources', 700),
    c(IDS.generalCatalog, 'General', 'Built-in catalog', 1500),
  ];
}

export function packages(b: { now: number }, hostile: boolean): AccessPackage[] {
  const p = (id: string, catalogId: string, displayName: string, description: string, days: number): AccessPackage => ({
    id,
    displayName,
    description,
    isHidden: false,
    createdDateTime: isoSeconds(b.now - days * DAY_MS),
    modifiedDateTime: isoSeconds(b.now - Math.floor(days / 4) * DAY_MS),
    catalogId,
  });
  // A hostile main-package name exercises the CSV file-name sanitiser: <>:"/\|?* and a control character.
  const mainName = hostile ? 'Sales <b>"Q3"</b> / EMEA\\APAC: a|b?*\u0007' : 'Sales Team Access';
  return [
    p(IDS.mainPackage, IDS.mainCatalog, mainName, 'CRM, sales SharePoint site and the Sales Teams team', 800),
    p(IDS.financePackage, IDS.mainCatalog, 'Finance Reporting', 'Read access to the finance dashboards', 400),
    p(IDS.labPackage, IDS.researchCatalog, 'Lab Access', 'Research lab applications', 300),
    p(IDS.emptyPackage, IDS.mainCatalog, 'New Hires (no assignments yet)', 'Created last week', 7),
  ];
}

interface PolicySpec {
  id: string;
  packageId: string;
  name: string;
  scope: string;
  expiration: Policy['expiration'];
  questions?: boolean;
  automatic?: boolean;
  approval?: boolean;
}

export const NO_EXPIRY: Policy['expiration'] = Object.freeze({ endDateTime: null, duration: null, type: 'noExpiration' });

export function policy(b: { now: number }, s: PolicySpec): Policy {
  const created = isoSeconds(b.now - 600 * DAY_MS);
  return {
    id: s.id,
    displayName: s.name,
    description: s.name,
    allowedTargetScope: s.scope,
    specificAllowedTargets: [],
    automaticRequestSettings: s.automatic
      ? { requestAccessForAllowedTargets: true, removeAccessWhenTargetLeavesAllowedTargets: true, gracePeriodBeforeAccessRemoval: 'P7D' }
      : null,
    expiration: s.expiration,
    requestorSettings: {
      enableTargetsToSelfAddAccess: !s.automatic && s.scope !== 'notSpecified',
      enableTargetsToSelfUpdateAccess: false,
      enableTargetsToSelfRemoveAccess: !s.automatic && s.scope !== 'notSpecified',
      allowCustomAssignmentSchedule: s.scope === 'notSpecified',
      enableOnBehalfRequestorsToAddAccess: false,
      enableOnBehalfRequestorsToUpdateAccess: false,
      enableOnBehalfRequestorsToRemoveAccess: false,
      onBehalfRequestors: [],
    },
    requestApprovalSettings: {
      isApprovalRequiredForAdd: !!s.approval,
      isApprovalRequiredForUpdate: false,
      isRequestorJustificationRequired: !!s.approval,
      stages: [],
    },
    reviewSettings: null,
    questions: s.questions ? requestorQuestions() : [],
    createdDateTime: created,
    modifiedDateTime: created,
    accessPackageId: s.packageId,
  };
}

/** Ids of the requestor questions on the policies that ask them (a text and a multiple-choice question). */
export const QUESTION_IDS = Object.freeze({ reason: 'a1000000-0000-4000-8000-000000000001', site: 'a1000000-0000-4000-8000-000000000002' });

/** A required free-text question and an optional multiple-choice one, both with a localized text. */
function requestorQuestions(): Policy['questions'] {
  return [
    {
      '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
      id: QUESTION_IDS.reason,
      sequence: 1,
      isRequired: true,
      isAnswerEditable: false,
      text: 'Why do you need access?',
      localizations: [{ languageCode: 'fr', text: 'Pourquoi avez-vous besoin de cet accès ?' }],
      isSingleLineQuestion: false,
      regexPattern: null,
    },
    {
      '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion',
      id: QUESTION_IDS.site,
      sequence: 2,
      isRequired: false,
      isAnswerEditable: true,
      text: 'Which site do you work from?',
      localizations: [{ languageCode: 'fr', text: 'Depuis quel site travaillez-vous ?' }],
      choices: [
        { actualValue: 'PAR', text: 'Paris', localizations: [] },
        { actualValue: 'SEA', text: 'Seattle', localizations: [{ languageCode: 'fr', text: 'Seattle (États-Unis)' }] },
      ],
      isMultipleSelectionAllowed: false,
    },
  ];
}

export function policySpecs(shape: TenantShape): PolicySpec[] {
  const P = IDS.policies;
  const others: PolicySpec[] = [
    { id: P.finance, packageId: IDS.financePackage, name: 'Finance staff', scope: 'allMemberUsers', expiration: NO_EXPIRY, approval: true },
    { id: P.lab, packageId: IDS.labPackage, name: 'Researchers (180 days)', scope: 'allMemberUsers', expiration: { endDateTime: null, duration: 'P180D', type: 'afterDuration' } },
    { id: P.empty, packageId: IDS.emptyPackage, name: 'Administrator direct assignments', scope: 'notSpecified', expiration: NO_EXPIRY },
  ];
  if (shape === 'single-policy') {
    return [{ id: P.direct, packageId: IDS.mainPackage, name: 'Administrator direct assignments', scope: 'notSpecified', expiration: NO_EXPIRY }, ...others];
  }
  const main: PolicySpec[] = [
    { id: P.direct, packageId: IDS.mainPackage, name: 'Administrator direct assignments', scope: 'notSpecified', expiration: NO_EXPIRY },
    { id: P.employees, packageId: IDS.mainPackage, name: 'Employees (request, 1 year)', scope: 'allMemberUsers', expiration: { endDateTime: null, duration: 'P365D', type: 'afterDuration' }, questions: true, approval: true },
    { id: P.partners, packageId: IDS.mainPackage, name: 'Partners from connected organizations', scope: 'allConfiguredConnectedOrganizationUsers', expiration: { endDateTime: null, duration: 'P180D', type: 'afterDuration' }, approval: true },
    { id: P.automatic, packageId: IDS.mainPackage, name: 'Sales department (automatic)', scope: 'specificDirectoryUsers', expiration: NO_EXPIRY, automatic: true },
  ];
  if (shape === 'many-policies') {
    for (let i = 1; i <= 8; i++) {
      main.push({
        id: `e1000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
        packageId: IDS.mainPackage,
        name: `Regional policy ${i}`,
        scope: 'allMemberUsers',
        expiration: { endDateTime: null, duration: 'P90D', type: 'afterDuration' },
      });
    }
  }
  return [...main, ...others];
}

export function connectedOrg(b: { now: number }, id: string, displayName: string, domain: string): ConnectedOrganization {
  const created = isoSeconds(b.now - 500 * DAY_MS);
  return {
    id,
    displayName,
    description: `${displayName} partner organization`,
    state: 'configured',
    identitySources: [{ '@odata.type': '#microsoft.graph.domainIdentitySource', domainName: domain, displayName: domain }],
    createdDateTime: created,
    modifiedDateTime: created,
  };
}

export function roleDefinitions(): RoleDefinition[] {
  const d = (id: string, displayName: string, description: string, actions: string[]): RoleDefinition => ({
    id,
    displayName,
    description,
    isBuiltIn: true,
    isEnabled: true,
    templateId: id,
    version: null,
    rolePermissions: [{ allowedResourceActions: actions, condition: null }],
  });
  return [
    d(EM_ROLES.catalogCreator, 'Catalog creator', 'Create and manage catalogs', ['microsoft.entitlementManagement/accessPackageCatalog/create']),
    d(EM_ROLES.catalogOwner, 'Catalog owner', 'Edit and manage access packages and other resources in a catalog', ['microsoft.entitlementManagement/allEntities/allProperties/allTasks']),
    d(EM_ROLES.catalogReader, 'Catalog reader', 'View catalogs and their access packages', ['microsoft.entitlementManagement/allEntities/allProperties/read']),
    d(EM_ROLES.accessPackageManager, 'Access package manager', 'Edit and manage access packages in a catalog', ['microsoft.entitlementManagement/accessPackage/allProperties/allTasks']),
    d(EM_ROLES.assignmentManager, 'Access package assignment manager', 'Manage access package assignments', [
      'microsoft.entitlementManagement/accessPackageAssignmentRequest/create',
      'microsoft.entitlementManagement/accessPackageAssignment/allProperties/read',
    ]),
  ];
}
