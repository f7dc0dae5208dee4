// The demo tenant in its own process, driven over IPC by remote-tenant.ts. Graph is a remote service: its
// JSON serialisation and TLS should not share the benchmarked client's event loop (on a 2-core machine the
// tenant then gets the other core, as a real service would have its own machines).
import { DASHBOARD_ROUTE, expectedAssignments, IDS, startTenant, type Tenant, type TenantConfig, type TenantOptions } from '../tenant';
import { addRequestPerAssignment } from '../tenant/details-scale';
import { addOverviewScale } from '../tenant/overview-scale';
import { scaleResources } from '../tenant/graph/resources';
import type { RpcReply, RpcRequest, LogLine, TenantInfo } from './remote-tenant';

let tenant: Tenant | null = null;

function info(t: Tenant): TenantInfo {
  return {
    port: t.port,
    certPem: t.certPem,
    spki: t.spki,
    hostResolverRules: t.hostResolverRules,
    portalUrl: t.portalUrl(),
    financeUrl: t.portalUrl(IDS.financePackage),
    labUrl: t.portalUrl(IDS.labPackage),
    dashboardUrl: `https://entra.microsoft.com/${DASHBOARD_ROUTE}`,
    users: t.data.users.size,
  };
}

function logLines(t: Tenant, from: number): LogLine[] {
  return t.log.slice(from).map((e) => ({
    time: e.time,
    host: e.host,
    method: e.method,
    path: e.path,
    select: e.query.$select ?? null,
    filter: e.query.$filter ?? null,
    status: e.status,
    viaBatch: e.viaBatch === true,
    durationMs: e.durationMs ?? null,
  }));
}

async function handle(req: RpcRequest): Promise<unknown> {
  if (req.op === 'start') {
    tenant = await startTenant(req.opts as TenantOptions);
    return info(tenant);
  }
  const t = tenant;
  if (!t) throw new Error('tenant not started');
  switch (req.op) {
    case 'truth': {
      const rows = expectedAssignments(t.data, req.packageId);
      return {
        ids: rows.map((a) => a.id),
        groups: rows.map((a) => `${a.assignmentPolicyId}|${(a.state ?? "").toLowerCase()}`),
        userTargets: [...new Set(rows.filter((a) => a.target?.objectId && a.target.subjectType !== 'servicePrincipal').map((a) => a.target!.objectId!))],
      };
    }
    case 'mint':
      return t.mintAccessToken();
    case 'accessScale':
      scaleResources(t.data, { groups: req.groups, apps: req.apps });
      return {
        token: t.mintAccessToken({ scopes: ['EntitlementManagement.Read.All', 'GroupMember.Read.All', 'Application.Read.All'] }),
        rows: expectedAssignments(t.data, IDS.mainPackage).map((a) => ({ id: a.id, objectId: a.target?.objectId ?? null, state: a.state ?? '' })),
      };
    case 'detailsScale':
      return addRequestPerAssignment(t.data, IDS.mainPackage);
    case 'overviewScale':
      return addOverviewScale(t.data, req.scale);
    case 'configure':
      t.configure(req.patch as Partial<TenantConfig>);
      return t.config;
    case 'config':
      return t.config;
    case 'resetLog':
      t.resetLog();
      return null;
    case 'maxInFlight':
      return t.maxInFlight(req.host);
    case 'stats':
      return t.stats;
    case 'logLength':
      return t.log.length;
    case 'log':
      return logLines(t, req.from ?? 0);
    case 'close':
      await t.close();
      tenant = null;
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (msg: { id: number; req: RpcRequest }) => {
  handle(msg.req).then(
    (value) => process.send?.({ id: msg.id, ok: true, value } satisfies RpcReply),
    (e: unknown) => process.send?.({ id: msg.id, ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) } satisfies RpcReply),
  );
});
// The parent went away: do not linger as an orphan holding a port.
process.on('disconnect', () => process.exit(0));
