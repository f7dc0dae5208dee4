import { ALL_PORTAL_HOSTS } from '../../../src/core/clouds';
import { isPortalHost, overviewScopeFromHash, packageIdFromHash, routeFromHash } from '../../../src/core/route';

const G = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

describe('packageIdFromHash', () => {
  it.each([
    [`#view/Microsoft_Azure_ELMAdmin/EntitlementMenuBlade/~/assignments/entitlementId/${G}/catalogId/c1/catalogName/Sales`],
    [`#view/Microsoft_AAD_ERM/AccessPackageManagementMenuBlade/~/AccessPackageBladeOverview/accessPackageId/${G}`],
    [`#view/Microsoft_Azure_ELMAdmin/EntitlementMenuBlade/~/overview/entitlementId/${G}`],
    [`view/Microsoft_Azure_ELMAdmin/EntitlementMenuBlade/~/policies/entitlementId/${G}`], // without the '#'
  ])('finds the package in a real route: %s', (hash) => {
    expect(packageIdFromHash(hash)).toBe(G);
  });

  it('matches the key case-insensitively and returns the id lower-cased', () => {
    expect(packageIdFromHash(`#view/X/~/a/ENTITLEMENTID/${G.toUpperCase()}`)).toBe(G);
    expect(packageIdFromHash(`#view/X/~/a/AccessPackageID/${G.toUpperCase()}/x`)).toBe(G);
  });

  it('reads percent-encoded and double-encoded hashes', () => {
    expect(packageIdFromHash(`#view%2FMicrosoft_Azure_ELMAdmin%2FEntitlementMenuBlade%2F~%2Fassignments%2FentitlementId%2F${G}`)).toBe(G);
    expect(packageIdFromHash(`#view%252Fx%252FentitlementId%252F${G}`)).toBe(G);
  });

  it('ignores a query tail after the id', () => {
    expect(packageIdFromHash(`#view/x/entitlementId/${G}?tab=1`)).toBe(G);
  });

  it.each([
    ['#view/x/entitlementId/not-a-guid'],
    [`#view/x/entitlementId/${G}0`],
    [`#view/x/entitlementId/x${G}`],
    [`#view/x/myentitlementId/${G}`],
    [`#view/x/entitlementIdX/${G}`],
    [`#view/x/catalogId/${G}`],
    [`#view/x/entitlementId`],
    [`#view/x/${G}/entitlementId`],
    [''],
    ['#'],
    ['#view/x/%E0%A4%A/entitlementId/nope'],
  ])('names no package: %s', (hash) => {
    expect(packageIdFromHash(hash)).toBeNull();
  });

  it('does not throw on a malformed escape and still finds a plain id', () => {
    expect(packageIdFromHash(`#view/%E0%A4%A/entitlementId/${G}`)).toBe(G);
  });

  it('skips a key without a GUID and takes a later valid one', () => {
    expect(packageIdFromHash(`#entitlementId/abc/accessPackageId/${G}`)).toBe(G);
  });
});

describe('isPortalHost', () => {
  it('accepts every cloud portal host', () => {
    for (const h of ALL_PORTAL_HOSTS) expect(isPortalHost(h)).toBe(true);
    expect(isPortalHost('entra.microsoft.us')).toBe(true);
    expect(isPortalHost('portal.azure.cn')).toBe(true);
  });

  it('ignores case, a port and a trailing dot', () => {
    expect(isPortalHost('Entra.Microsoft.COM')).toBe(true);
    expect(isPortalHost('portal.azure.com:443')).toBe(true);
    expect(isPortalHost('portal.azure.com.')).toBe(true);
  });

  it.each(['evil-entra.microsoft.com', 'entra.microsoft.com.evil.com', 'microsoft.com', 'x.entra.microsoft.com', ''])(
    'rejects %s',
    (h) => expect(isPortalHost(h)).toBe(false),
  );
});

describe('overviewScopeFromHash / routeFromHash (contract: Across packages)', () => {
  const C = '6031fe11-e90d-4da3-8804-1b5a154c3f4f';
  it.each([
    // The access packages list, as public admin-center links write it.
    ['#view/Microsoft_AAD_ERM/DashboardBlade/~/elmEntitlementManagement/menuId/AccessPackages', 'tenant'],
    ['#view/Microsoft_AAD_ERM/DashboardBlade/~/elmEntitlement/menuId/AccessPackages', 'tenant'],
    // A catalog's pages (overview, resources, managers, access packages).
    [`#view/Microsoft_Azure_ELMAdmin/CatalogMenuBlade/~/overview/catalogId/${C}`, `catalog:${C}`],
    [`#view/Microsoft_Azure_ELMAdmin/CatalogMenuBlade/~/resources/catalogId/${C}/catalogName/Sandboxes`, `catalog:${C}`],
    [`#view/Microsoft_Azure_ELMAdmin/CatalogMenuBlade/~/managers/catalogId/${C.toUpperCase()}`, `catalog:${C}`],
    [`#view/Microsoft_Azure_ELMAdmin/CatalogMenuBlade/~/overview/catalogId%2F${C}`, `catalog:${C}`],
  ])('%s → %s', (hash, scope) => {
    expect(overviewScopeFromHash(hash)).toBe(scope);
    expect(routeFromHash(hash)).toEqual({ kind: 'overview', scope });
  });

  it.each([
    // The entitlement management landing is a dashboard, not a list: nothing is shown or fetched there.
    '#view/Microsoft_AAD_ERM/DashboardBlade/~/elmEntitlement',
    '#view/Microsoft_AAD_ERM/DashboardBlade/~/elmSetting',
    '#view/Microsoft_AAD_ERM/DashboardBlade/~/elmEntitlementManagement/menuId/Catalogs',
    '#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/Overview',
    `#view/Microsoft_Azure_ELMAdmin/CatalogMenuBlade/~/overview/catalogId/not-a-guid`,
    '',
  ])('%s → nothing', (hash) => {
    expect(overviewScopeFromHash(hash)).toBeNull();
    expect(routeFromHash(hash)).toBeNull();
  });

  it('a package route is a package, even when it names its catalog', () => {
    const hash = `#view/Microsoft_Azure_ELMAdmin/EntitlementMenuBlade/~/overview/entitlementId/${G}/catalogId/${C}`;
    expect(overviewScopeFromHash(hash)).toBeNull();
    expect(routeFromHash(hash)).toEqual({ kind: 'package', packageId: G });
  });
});
