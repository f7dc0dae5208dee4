// The real hostnames the demo tenant answers for, grouped by role and cloud.

export type TenantCloud = 'global' | 'usgov' | 'china';

/** Sign-in hosts → their cloud. */
export const LOGIN_HOSTS: Readonly<Record<string, TenantCloud>> = {
  'login.microsoftonline.com': 'global',
  'login.microsoftonline.us': 'usgov',
  'login.partner.microsoftonline.cn': 'china',
};

/** Graph hosts → their cloud (US Gov L4 and DoD share one authority). */
export const GRAPH_HOSTS: Readonly<Record<string, TenantCloud>> = {
  'graph.microsoft.com': 'global',
  'graph.microsoft.us': 'usgov',
  'dod-graph.microsoft.us': 'usgov',
  'microsoftgraph.chinacloudapi.cn': 'china',
};

/** The stand-in Entra admin center / Azure portal hosts. */
export const PORTAL_HOSTS: readonly string[] = [
  'entra.microsoft.com',
  'portal.azure.com',
  'entra.microsoft.us',
  'portal.azure.us',
  'entra.microsoft.cn',
  'portal.azure.cn',
];

/** The Graph host a token of this cloud is for when the scope does not name one. */
export const DEFAULT_GRAPH_HOST: Readonly<Record<TenantCloud, string>> = {
  global: 'graph.microsoft.com',
  usgov: 'graph.microsoft.us',
  china: 'microsoftgraph.chinacloudapi.cn',
};

/** Every host in the certificate and in the host-resolver rules. */
export const ALL_HOSTS: readonly string[] = [
  ...Object.keys(LOGIN_HOSTS),
  ...Object.keys(GRAPH_HOSTS),
  ...PORTAL_HOSTS,
];

export type HostRole = 'login' | 'graph' | 'portal';

export function hostRole(host: string): HostRole | null {
  if (host in LOGIN_HOSTS) return 'login';
  if (host in GRAPH_HOSTS) return 'graph';
  if (PORTAL_HOSTS.includes(host)) return 'portal';
  return null;
}

/** Host header without port, lower case. */
export function bareHost(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}
