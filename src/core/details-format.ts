// Pure facts behind the details view's words: ages in days, the stale reasons with their numbers, and the
// scripts that read one assignment, its requests and its user (PowerShell and raw Graph requests).
import { CLOUDS } from './clouds';
import type { Cloud, StaleReason, ViewRow } from './model';
import { psLiteral } from './scripts';
import { DAY_MS } from './stale';

/** Whole days from `iso` to `now` (null when there is no valid date). */
export function ageDays(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? Math.max(0, Math.floor((now - t) / DAY_MS)) : null;
}

export interface StaleFact {
  reason: StaleReason;
  /** inactive: days since the activity date; never-signed-in / invitation-pending: days since the account was created */
  days: number | null;
  threshold: number;
}

/** Each stale reason of the row with the numbers a sentence about it needs. */
export function staleFacts(row: ViewRow, staleAfterDays: number, now: number): StaleFact[] {
  return row.staleReasons.map((reason) => {
    let days: number | null = null;
    if (reason === 'inactive') days = ageDays(row.activity, now);
    else if (reason === 'never-signed-in' || reason === 'invitation-pending') days = ageDays(row.user?.createdDateTime, now);
    return { reason, days, threshold: staleAfterDays };
  });
}

const EM = 'identityGovernance/entitlementManagement';

/** Graph PowerShell that reads what the details view shows. */
export function powershellForDetails(assignmentId: string, packageId: string, objectId: string | null, cloud: Cloud = 'global'): string {
  const env = cloud === 'global' ? '' : ` -Environment ${{ usgov: 'USGov', usgovdod: 'USGovDoD', china: 'China' }[cloud]}`;
  const lines = [
    '# Read one access package assignment, its requests and its user (Microsoft Graph PowerShell).',
    `Connect-MgGraph -Scopes 'EntitlementManagement.Read.All','User.Read.All','AuditLog.Read.All'${env}`,
    `$assignmentId = ${psLiteral(assignmentId)}`,
    `Get-MgEntitlementManagementAssignment -AccessPackageAssignmentId $assignmentId -ExpandProperty target,accessPackage,assignmentPolicy | Format-List`,
    '# Requests are filtered by package (the documented filter), then matched to the assignment.',
    `Get-MgEntitlementManagementAssignmentRequest -Filter ${psLiteral(`accessPackage/id eq '${packageId}'`)} -ExpandProperty assignment,requestor -All |`,
    '  Where-Object { $_.Assignment.Id -eq $assignmentId } | Format-List',
  ];
  if (objectId) {
    lines.push(
      `$userId = ${psLiteral(objectId)}`,
      'Get-MgUser -UserId $userId -Property id,displayName,userPrincipalName,mail,userType,accountEnabled,createdDateTime,externalUserState,jobTitle,department,signInActivity | Format-List',
      'Get-MgUserManager -UserId $userId | Format-List',
      `Get-MgEntitlementManagementAssignment -Filter "target/objectId eq '$userId'" -ExpandProperty accessPackage,assignmentPolicy -All | Format-Table`,
    );
  }
  return lines.join('\n') + '\n';
}

/** The raw GET requests behind the details view, one per line. */
export function graphRequestsForDetails(assignmentId: string, packageId: string, objectId: string | null, cloud: Cloud = 'global'): string {
  const root = `${CLOUDS[cloud].graphRoot}v1.0/`;
  const q = (s: string): string => encodeURIComponent(s);
  const lines = [
    `GET ${root}${EM}/assignments/${assignmentId}?$expand=target,accessPackage,assignmentPolicy`,
    `GET ${root}${EM}/assignmentRequests?$filter=${q(`accessPackage/id eq '${packageId}'`)}&$expand=assignment,requestor,answers/answeredQuestion`,
  ];
  if (objectId) {
    lines.push(
      `GET ${root}users/${objectId}?$select=id,displayName,userPrincipalName,mail,userType,accountEnabled,createdDateTime,externalUserState,jobTitle,department,signInActivity`,
      `GET ${root}users/${objectId}/manager?$select=id,displayName`,
      `GET ${root}${EM}/assignments?$filter=${q(`target/objectId eq '${objectId}'`)}&$expand=accessPackage,assignmentPolicy`,
    );
  }
  return lines.join('\n') + '\n';
}
