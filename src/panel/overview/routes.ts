// Where the overview's links go in the admin center (the panel follows the route there).

/** A package's page (public admin-center links: EntitlementMenuBlade/~/<menu>/entitlementId/<id>). */
export function packageRoute(id: string): string {
  return `#view/Microsoft_Azure_ELMAdmin/EntitlementMenuBlade/~/overview/entitlementId/${id}`;
}
