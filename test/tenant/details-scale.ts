// A heavy package's request history for the benchmark: every assignment of the package that has no request
// yet gets the one that created it (an adminAdd, delivered when the assignment started), so a package of N
// assignments has about N requests, as a real package where each assignment was asked for once.
import { randomUUID } from 'node:crypto';
import type { TenantData } from './types';

/** Adds one request per assignment of `packageId` lacking one; returns the package's request count. */
export function addRequestPerAssignment(data: TenantData, packageId: string): number {
  const have = new Set(data.requests.map((r) => r.assignmentId));
  for (const a of data.assignments) {
    if (a.accessPackageId !== packageId || have.has(a.id)) continue;
    data.requests.push({
      id: randomUUID(),
      requestType: 'adminAdd',
      state: 'delivered',
      status: 'Delivered',
      createdDateTime: a.schedule?.startDateTime?.replace(/\.\d+Z$/, 'Z') ?? new Date(data.now).toISOString(),
      completedDateTime: null,
      justification: null,
      schedule: a.schedule,
      answers: [],
      customExtensionCalloutInstances: [],
      accessPackageId: a.accessPackageId,
      assignmentId: a.id,
      assignmentCopy: null,
      requestor: null,
      subject: a.target,
    });
  }
  return data.requests.filter((r) => r.accessPackageId === packageId).length;
}
