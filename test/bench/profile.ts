// Where a profile's time goes: a V8 CPU profile (Chrome DevTools Protocol `Profiler`) summed by self time per
// source module of the extension and per engine category (garbage collection, idle, the engine's own work).
// The profiled build is the unminified one (`build.mjs --dev`, same code): esbuild then marks where each
// source module starts in the bundle with a `// src/...` comment line, which is how lines map to modules.
import fs from 'node:fs';

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileShare {
  /** a source module (src/core/normalise.ts), an engine category ("(garbage collector)") or another script */
  where: string;
  ms: number;
}

/** Line → source module of an unminified esbuild bundle (the `// src/x.ts` comments it writes). */
export function moduleLines(bundleText: string): Array<{ line: number; module: string }> {
  const out: Array<{ line: number; module: string }> = [];
  bundleText.split('\n').forEach((l, i) => {
    const m = /^\s*\/\/ ((?:src|node_modules)\/\S+)$/.exec(l);
    if (m) out.push({ line: i, module: m[1].replace(/^node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*$/, 'node_modules/$1') });
  });
  return out;
}

function moduleAt(lines: Array<{ line: number; module: string }>, line: number): string {
  let lo = 0;
  let hi = lines.length - 1;
  let found = '(bundle prelude)';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid].line <= line) {
      found = lines[mid].module;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Self time by module for the extension's scripts (`bundles`: script URL suffix → bundle file), by category
 * for the engine's own entries, and one line for everything else (the page's own scripts).
 */
export function summarise(profile: CpuProfile, bundles: Record<string, string>): { totalMs: number; shares: ProfileShare[] } {
  const maps = new Map<string, Array<{ line: number; module: string }>>();
  for (const [suffix, file] of Object.entries(bundles)) maps.set(suffix, moduleLines(fs.readFileSync(file, 'utf8')));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const n = byId.get(id);
    if (!n) return;
    const { url, functionName, lineNumber } = n.callFrame;
    let where: string;
    const suffix = [...maps.keys()].find((s) => url.endsWith(s));
    if (suffix) where = moduleAt(maps.get(suffix)!, lineNumber);
    else if (url === '') where = functionName.startsWith('(') ? functionName : `(engine) ${functionName || 'anonymous'}`;
    else where = '(other scripts)';
    self.set(where, (self.get(where) ?? 0) + dt);
  });
  const shares = [...self].map(([where, ms]) => ({ where, ms })).sort((a, b) => b.ms - a.ms);
  return { totalMs: total, shares };
}

/** "src/core/normalise.ts 1.2 s, (garbage collector) 0.8 s, …": the biggest `n` shares, idle left out. */
export function describe(shares: readonly ProfileShare[], n = 6): string {
  const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  return shares
    .filter((s) => s.where !== '(idle)')
    .slice(0, n)
    .map((s) => `${s.where.replace(/^src\//, '')} ${fmt(s.ms)}`)
    .join(', ');
}
