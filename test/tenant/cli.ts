// Starts the demo tenant from a shell:
//   npx tsx test/tenant/cli.ts --port 8443 --size 3000 --seed 7 [--shape mixed|single-policy|many-policies]
//                              [--hostile] [--latency 100] [--page-size 100]
// and prints what a browser needs (port, SPKI pin, host-resolver rules, a portal URL). Stops on SIGINT/SIGTERM.
import { startTenant, type TenantOptions } from './index';
import type { TenantShape } from './generate';

function parseArgs(argv: string[]): TenantOptions {
  const opts: TenantOptions = {};
  const num = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new Error(`--${name} needs a number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--port': opts.port = num('port', value()); break;
      case '--size': opts.size = num('size', value()); break;
      case '--seed': opts.seed = num('seed', value()); break;
      case '--shape': opts.shape = value() as TenantShape; break;
      case '--hostile': opts.hostile = true; break;
      case '--latency': opts.latencyMs = num('latency', value()); break;
      case '--page-size': opts.pageSize = num('page-size', value()); break;
      case '--help':
      case '-h':
        process.stdout.write('usage: tsx test/tenant/cli.ts [--port N] [--size N] [--seed N] [--shape mixed|single-policy|many-policies] [--hostile] [--latency MS] [--page-size N]\n');
        return process.exit(0);
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const tenant = await startTenant(parseArgs(process.argv.slice(2)));
  const lines = [
    `Demo tenant listening on 127.0.0.1:${tenant.port}`,
    `port: ${tenant.port}`,
    `spki: ${tenant.spki}`,
    `tenant id: ${tenant.data.tenant.id}   admin: ${tenant.data.users.get(tenant.data.adminId)?.userPrincipalName}`,
    `main package: ${tenant.data.mainPackageId} (${tenant.data.assignments.filter((a) => a.accessPackageId === tenant.data.mainPackageId).length} assignments)`,
    `portal: ${tenant.portalUrl()}`,
    '',
    'Chromium flags:',
    `  --host-resolver-rules="${tenant.hostResolverRules}"`,
    `  --ignore-certificate-errors-spki-list=${tenant.spki}`,
    'Firefox: use this port as the SSL proxy (network.proxy.ssl=127.0.0.1, network.proxy.ssl_port=' + tenant.port + ').',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping\n`);
    tenant.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
