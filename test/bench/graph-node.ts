// The product's Graph client in Node, pointed at the demo tenant through tenantFetch, with a token the
// tenant minted (the sign-in flow is not what these figures measure).
import { createGraph, type Graph } from '../../src/graph/client';
import type { RemoteTenant } from './remote-tenant';
import { tenantFetch, type TenantFetch } from './tenant-fetch';

export interface NodeGraph {
  graph: Graph;
  http: TenantFetch;
  close(): void;
}

export async function nodeGraph(tenant: RemoteTenant): Promise<NodeGraph> {
  const http = tenantFetch(tenant.port, tenant.certPem);
  const token = await tenant.mintAccessToken();
  const graph = createGraph({ cloud: 'global', getToken: async () => token, fetchImpl: http.fetch });
  return { graph, http, close: () => http.close() };
}
