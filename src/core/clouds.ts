// Per-cloud endpoints (graph-api.md §11, auth.md §8). Tokens and scopes never cross clouds.
import type { Cloud } from './model';

export interface CloudEndpoints {
  /** Sign-in host, e.g. login.microsoftonline.com */
  authorityHost: string;
  /** Graph root with a trailing slash, e.g. https://graph.microsoft.com/ */
  graphRoot: string;
  /** Portal hosts whose pages the content script serves. */
  portalHosts: string[];
}

export const CLOUDS: Record<Cloud, CloudEndpoints> = {
  global: {
    authorityHost: 'login.microsoftonline.com',
    graphRoot: 'https://graph.microsoft.com/',
    portalHosts: ['entra.microsoft.com', 'portal.azure.com'],
  },
  usgov: {
    authorityHost: 'login.microsoftonline.us',
    graphRoot: 'https://graph.microsoft.us/',
    portalHosts: ['entra.microsoft.us', 'portal.azure.us'],
  },
  usgovdod: {
    authorityHost: 'login.microsoftonline.us',
    graphRoot: 'https://dod-graph.microsoft.us/',
    portalHosts: ['entra.microsoft.us', 'portal.azure.us'],
  },
  china: {
    authorityHost: 'login.partner.microsoftonline.cn',
    graphRoot: 'https://microsoftgraph.chinacloudapi.cn/',
    portalHosts: ['entra.microsoft.cn', 'portal.azure.cn'],
  },
};

export const CLOUD_IDS = Object.keys(CLOUDS) as Cloud[];

/** Every portal host of every cloud: where the content script may run. */
export const ALL_PORTAL_HOSTS = [...new Set(CLOUD_IDS.flatMap((c) => CLOUDS[c].portalHosts))];

/** Read scopes asked for to view; the write scope only when the admin first takes an action that writes. */
export const READ_SCOPES = ['EntitlementManagement.Read.All', 'User.Read.All', 'AuditLog.Read.All'];
export const WRITE_SCOPES = ['EntitlementManagement.ReadWrite.All'];
/**
 * The access check reads who holds the package's resources: group members and owners (least privileged:
 * GroupMember.Read.All) and applications' app role assignments (Application.Read.All). Asked for only when
 * the admin first runs a check (incremental consent), never at sign-in.
 */
export const ACCESS_CHECK_SCOPES = ['GroupMember.Read.All', 'Application.Read.All'];

/** Scopes qualified with the cloud's Graph host, as national clouds require (auth.md §8). */
export function scopesFor(cloud: Cloud, names: string[]): string[] {
  const root = CLOUDS[cloud].graphRoot;
  return names.map((n) => `${root}${n}`);
}

export function authorityFor(cloud: Cloud, tenantId: string): string {
  return `https://${CLOUDS[cloud].authorityHost}/${encodeURIComponent(tenantId || 'organizations')}`;
}
