// "Copy as PowerShell / Graph request": the same view or removal as documented Microsoft Graph PowerShell
// cmdlets and raw Graph requests, so an admin can review, reproduce or script what the overlay does.
// Every value from the page or from Graph goes into a single-quoted PowerShell literal (never into code,
// comments or double-quoted strings), so no value can break out of its string.
import { CLOUDS } from './clouds';
import { FACET_LABELS, type FacetId, type FilterState } from './filters';
import type { Cloud } from './model';
import { isSyntheticId } from './normalise';

// PowerShell treats the typographic single quotes as quote characters too; doubling any of them escapes it.
const PS_SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

/** A PowerShell single-quoted literal of any text (no interpolation happens inside one). */
export function psLiteral(value: string): string {
  return `'${value.replace(PS_SINGLE_QUOTES, (q) => q + q)}'`;
}

const psArray = (values: readonly string[], indent = '  '): string =>
  values.length === 0 ? '@()' : `@(\n${values.map((v) => indent + psLiteral(v)).join('\n')}\n)`;

const PS_ENVIRONMENT: Record<Cloud, string> = {
  global: 'Global',
  usgov: 'USGov',
  usgovdod: 'USGovDoD',
  china: 'China',
};

function connect(scope: string, cloud: Cloud): string {
  const env = cloud === 'global' ? '' : ` -Environment ${PS_ENVIRONMENT[cloud]}`;
  return `Connect-MgGraph -Scopes '${scope}'${env}`;
}

/** Facets this script reproduces; the others depend on user data joined by the overlay. */
const REPRODUCED: readonly FacetId[] = ['state', 'policy'];

/** Graph PowerShell listing the package's assignments with the view's state / policy / search filters. */
export function powershellForView(packageId: string, filter: FilterState, cloud: Cloud = 'global'): string {
  const states = filter.facets.state ?? [];
  const policyIds = filter.facets.policy ?? [];
  const notReproduced = (Object.keys(FACET_LABELS) as FacetId[]).filter(
    (id) => !REPRODUCED.includes(id) && (filter.facets[id]?.length ?? 0) > 0,
  );
  const lines: string[] = [
    '# Access package assignments as the overlay lists them (Microsoft Graph PowerShell,',
    '# module Microsoft.Graph.Identity.Governance). -All follows every page of results.',
  ];
  if (notReproduced.length) {
    lines.push(
      `# Not reproduced here (the overlay joins user data for these): ${notReproduced.map((id) => FACET_LABELS[id]).join(', ')}.`,
      '# This script therefore lists MORE assignments than the overlay shows.',
    );
  }
  lines.push(
    connect('EntitlementManagement.Read.All', cloud),
    `$accessPackageId = ${psLiteral(packageId)}`,
    "$assignments = Get-MgEntitlementManagementAssignment -AccessPackageId $accessPackageId -ExpandProperty 'target','assignmentPolicy' -All",
    '$view = $assignments',
  );
  if (states.length) {
    lines.push(`$states = ${psArray(states)}`, '$view = $view | Where-Object { $states -contains $_.State }');
  }
  if (policyIds.length) {
    lines.push(
      `$policyIds = ${psArray(policyIds)}`,
      '$view = $view | Where-Object { $policyIds -contains $_.AssignmentPolicy.Id }',
    );
  }
  if (filter.search !== '') {
    // IndexOf, not -like/-match: the search text is data, never a wildcard or regex pattern.
    lines.push(
      `$search = ${psLiteral(filter.search)}`,
      '$view = $view | Where-Object {',
      '  $t = $_.Target',
      '  [bool](@($t.DisplayName, $t.PrincipalName, $t.Email, $t.ObjectId) | Where-Object {',
      '    $_ -and ([string]$_).IndexOf($search, [System.StringComparison]::OrdinalIgnoreCase) -ge 0',
      '  })',
      '}',
    );
  }
  lines.push(
    '$view | Select-Object Id, State, Status,',
    "  @{ Name = 'DisplayName'; Expression = { $_.Target.DisplayName } },",
    "  @{ Name = 'PrincipalName'; Expression = { $_.Target.PrincipalName } },",
    "  @{ Name = 'Email'; Expression = { $_.Target.Email } },",
    "  @{ Name = 'ObjectId'; Expression = { $_.Target.ObjectId } },",
    "  @{ Name = 'SubjectType'; Expression = { $_.Target.SubjectType } },",
    "  @{ Name = 'Policy'; Expression = { $_.AssignmentPolicy.DisplayName } },",
    "  @{ Name = 'Start'; Expression = { $_.Schedule.StartDateTime } },",
    "  @{ Name = 'Expiry'; Expression = { $_.Schedule.Expiration.EndDateTime } } |",
    "  Export-Csv -Path 'assignments.csv' -NoTypeInformation -Encoding utf8",
    'Write-Host "Exported $(@($view).Count) of $(@($assignments).Count) assignments to assignments.csv"',
  );
  return lines.join('\n') + '\n';
}

/** Ids that can be sent (real, de-duplicated, in order), and how many were left out and why. */
function removableIds(ids: readonly string[]): { ids: string[]; synthetic: number; duplicates: number } {
  const seen = new Set<string>();
  let synthetic = 0;
  let duplicates = 0;
  for (const id of ids) {
    if (isSyntheticId(id) || id === '') synthetic++;
    else if (seen.has(id)) duplicates++;
    else seen.add(id);
  }
  return { ids: [...seen], synthetic, duplicates };
}

/** Graph PowerShell requesting adminRemove of each assignment, reporting each failure and going on. */
export function powershellForRemoval(assignmentIds: readonly string[], cloud: Cloud = 'global'): string {
  const { ids, synthetic, duplicates } = removableIds(assignmentIds);
  const lines = [
    `# Remove ${ids.length} access package assignment(s): one adminRemove request each`,
    '# (Microsoft Graph PowerShell, module Microsoft.Graph.Identity.Governance). Removal is asynchronous.',
  ];
  if (synthetic) lines.push(`# ${synthetic} selected row(s) without an assignment id from Graph are not included.`);
  if (duplicates) lines.push(`# ${duplicates} duplicate id(s) were listed once.`);
  lines.push(
    connect('EntitlementManagement.ReadWrite.All', cloud),
    `$assignmentIds = ${psArray(ids)}`,
    'foreach ($id in $assignmentIds) {',
    '  try {',
    '    $params = @{ requestType = "adminRemove"; assignment = @{ id = $id } }',
    '    $request = New-MgEntitlementManagementAssignmentRequest -BodyParameter $params -ErrorAction Stop',
    '    Write-Host "Removal requested for $id (request $($request.Id))"',
    '  } catch {',
    '    Write-Warning "Removal of $id failed: $($_.Exception.Message)"',
    '  }',
    '}',
  );
  return lines.join('\n') + '\n';
}

/** The raw HTTP requests (one adminRemove per assignment), separated by `###` lines. */
export function graphRequestsForRemoval(assignmentIds: readonly string[], cloud: Cloud = 'global'): string {
  const { ids, synthetic } = removableIds(assignmentIds);
  const url = `${CLOUDS[cloud].graphRoot}v1.0/identityGovernance/entitlementManagement/assignmentRequests`;
  const note = synthetic ? `# ${synthetic} selected row(s) without an assignment id from Graph are not included.\n\n` : '';
  return note + ids
    .map(
      (id) =>
        `POST ${url}\nContent-Type: application/json\n\n` +
        JSON.stringify({ requestType: 'adminRemove', assignment: { id } }) +
        '\n',
    )
    .join('\n###\n\n');
}
