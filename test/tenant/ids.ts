// Fixed, documented ids of the demo tenant: tests and the demo link to them.

/** Fixed, documented ids. */
export const IDS = {
  tenant: '8f3c1d2e-5b6a-4c7d-9e8f-0a1b2c3d4e5f',
  admin: '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d',
  mainCatalog: 'c4741e6b-9a3f-4f0e-8d21-3b5a6c7d8e90',
  researchCatalog: 'c91b2d3e-4f50-4a61-b728-39404a5b6c7d',
  generalCatalog: 'ce0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b',
  /** the main package: `size` assignments */
  mainPackage: 'a1b2c3d4-e5f6-4789-8abc-def012345678',
  /** a second package in the main catalog with a few rows */
  financePackage: 'b2c3d4e5-f6a7-4890-9bcd-ef0123456789',
  /** a package in another catalog with a few rows */
  labPackage: 'c3d4e5f6-a7b8-4901-acde-f01234567890',
  /** a package with no assignments */
  emptyPackage: 'd4e5f6a7-b8c9-4a12-bdef-012345678901',
  policies: {
    direct: 'e1000000-0000-4000-8000-000000000001',
    employees: 'e1000000-0000-4000-8000-000000000002',
    partners: 'e1000000-0000-4000-8000-000000000003',
    automatic: 'e1000000-0000-4000-8000-000000000004',
    finance: 'e1000000-0000-4000-8000-000000000005',
    lab: 'e1000000-0000-4000-8000-000000000006',
    empty: 'e1000000-0000-4000-8000-000000000007',
  },
  connectedOrgs: {
    fabrikam: 'f2000000-0000-4000-8000-00000000000a',
    northwind: 'f2000000-0000-4000-8000-00000000000b',
  },
} as const;

/** Entitlement-management role definition ids (graph-api.md §9). */
export const EM_ROLES = {
  catalogCreator: 'ba92d953-d8e0-4e39-a797-0cbedb0a89e8',
  catalogOwner: 'ae79f266-94d4-4dab-b730-feca7e132178',
  catalogReader: '44272f93-9762-48e8-af59-1b5351b1d6b3',
  accessPackageManager: '7f480852-ebdc-47d4-87de-0d8498384a83',
  assignmentManager: 'e2182095-804a-4656-ae11-64734e9b7ae5',
} as const;

export const DOMAIN = 'contoso.onmicrosoft.com';
