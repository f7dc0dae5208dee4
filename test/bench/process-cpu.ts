// CPU time per process while a load runs (Linux /proc), grouped by what the process does: the extension's
// renderer (its worker), the portal page's renderer (the panel), Chromium's network service, the browser
// process, the rest of Chromium, and the demo tenant. On a machine whose cores the load saturates, this says
// how much of the wall time the product's own code could remove at all.
import fs from 'node:fs';
import os from 'node:os';

export type CpuKind = 'extension' | 'page' | 'network' | 'browser' | 'other' | 'tenant';

export type CpuByKind = Record<CpuKind, number>;

/** The CPU of a span of wall time, by kind of process, and the cores it had. */
export interface CpuSpan {
  byKind: CpuByKind;
  spanMs: number;
  cores: number;
}

/** What a Chromium process is, from its command line (arguments split on NUL or space: Chromium rewrites its title). */
export function chromiumKind(args: readonly string[]): Exclude<CpuKind, 'tenant'> {
  const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length);
  if (type === undefined) return 'browser';
  if (type === 'renderer') return args.includes('--extension-process') ? 'extension' : 'page';
  if (type === 'utility' && args.some((a) => a === '--utility-sub-type=network.mojom.NetworkService')) return 'network';
  return 'other';
}

interface Sample {
  ppid: number;
  /** user + system, ms */
  ms: number;
  args: string[];
}

/** Every process's CPU time so far, or null where there is no /proc. */
export function sampleProcesses(): Map<number, Sample> | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const out = new Map<number, Sample>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const text = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      // pid (comm) state ppid … utime(14) stime(15): comm may hold spaces, so split after its ')'.
      const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const args = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split(/[\0 ]/);
      out.set(Number(d), { ppid: Number(rest[1]), ms: ((Number(rest[11]) + Number(rest[12])) * 1000) / 100, args }); // USER_HZ 100
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function below(samples: ReadonlyMap<number, Sample>, pid: number, root: number): boolean {
  for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
    if (p === root) return true;
    p = samples.get(p)?.ppid ?? 0;
  }
  return false;
}

/**
 * CPU used between two samples by the browser's processes (every process below `browserPid`, by kind) and
 * by the tenant's process. A process that started in between counts from zero; one that ended is not seen.
 */
export function cpuBetween(
  before: ReadonlyMap<number, Sample>,
  after: ReadonlyMap<number, Sample>,
  browserPid: number,
  tenantPid: number | undefined,
): CpuByKind {
  const out: CpuByKind = { extension: 0, page: 0, network: 0, browser: 0, other: 0, tenant: 0 };
  for (const [pid, s] of after) {
    const used = s.ms - (before.get(pid)?.ms ?? 0);
    if (used <= 0) continue;
    if (pid === tenantPid) out.tenant += used;
    else if (below(after, pid, browserPid)) out[chromiumKind(s.args)] += used;
  }
  return out;
}

/**
 * Starts timing a span: the function returned ends it and gives its CPU by kind of process (null without /proc
 * or without the browser's process id).
 */
export function startCpu(browserPid: number | undefined, tenantPid: number | undefined): () => CpuSpan | null {
  const before = sampleProcesses();
  const startedAt = Date.now();
  return () => {
    const after = sampleProcesses();
    const spanMs = Date.now() - startedAt;
    if (!before || !after || browserPid === undefined) return null;
    return { byKind: cpuBetween(before, after, browserPid, tenantPid), spanMs, cores: os.cpus().length };
  };
}

/** The browser's processes together. */
export const browserCpu = (c: CpuByKind): number => c.extension + c.page + c.network + c.browser + c.other;
