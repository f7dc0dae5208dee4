// The speed targets of issue "A panel that looks and behaves like part of the admin center" as table rows
// (pure: unit-tested in test/unit/bench). Figures come from speed-bench.ts.
import { browserCpu, type CpuSpan } from './process-cpu';
import type { ProfileShare } from './profile';
import type { SpeedFigures } from './speed-bench';
import { fmtMs, median, percentile } from './stats';
import type { TableRow } from './targets';

/** How long after everything is in the page's long tasks are still counted (the review's visit, the search text). */
export const AFTER_LOADED_MS = 3000;

export const SPEED_TARGETS = {
  interactionMedianMs: 8,
  interactionP95Ms: 16,
  frameMs: 16,
  shellMs: 100,
  loadMs: 3000,
  longTaskMs: 50,
  fullBoundFactor: 1.25,
} as const;

const int = (n: number): string => n.toLocaleString('en-US');

function shares(s: readonly ProfileShare[], n: number): string {
  const busy = s.filter((x) => x.where !== '(idle)');
  const total = busy.reduce((a, x) => a + x.ms, 0);
  return busy
    .slice(0, n)
    .map((x) => `${x.where.replace(/^src\//, '')} ${Math.round((x.ms / total) * 100)} %`)
    .join(', ');
}

/**
 * Where the load's CPU went, by process, and the least wall time the processes the product's script does not
 * run in (Chromium's network service and browser process, the demo tenant) need on these cores by themselves.
 */
export function cpuSplit(cpu: CpuSpan, pages: number, span = 'from navigation to everything in'): string {
  const { byKind: c, spanMs, cores } = cpu;
  const own = c.extension + c.page;
  const rest = c.network + c.browser + c.other + c.tenant;
  return (
    `CPU ${span}: the worker's process ${fmtMs(c.extension)} and the portal page's ${fmtMs(c.page)} ` +
    `(the product's own work, ${(own / pages).toFixed(1)} ms per page), Chromium's network service ${fmtMs(c.network)}, ` +
    `its browser process ${fmtMs(c.browser)} and others ${fmtMs(c.other)}, the demo tenant ${fmtMs(c.tenant)}: ` +
    `${fmtMs(own + rest)} of the ${fmtMs(spanMs * cores)} that ${cores} cores give in ${fmtMs(spanMs)}; ` +
    `the processes besides the product's need ${fmtMs(rest)}, at least ${fmtMs(rest / cores)} of wall time on ${cores} cores`
  );
}

export function speedRows(f: SpeedFigures): TableRow[] {
  const rows: TableRow[] = [];
  const T = SPEED_TARGETS;
  for (const [name, xs] of [
    ['search keystroke', f.interaction.keystroke],
    ['facet toggle', f.interaction.facet],
  ] as const) {
    const med = median(xs);
    const p95 = percentile(xs, 95);
    rows.push({
      figure: `7 ${name} in the panel, ${int(f.interaction.rows)} rows (Chromium: filter + render + style + layout; median / p95)`,
      value: `${fmtMs(med)} / ${fmtMs(p95)} (max ${fmtMs(Math.max(...xs))}, n=${xs.length})`,
      target: `< ${T.interactionMedianMs} ms / < ${T.interactionP95Ms} ms`,
      met: med < T.interactionMedianMs && p95 < T.interactionP95Ms,
    });
  }
  const sc = f.scroll;
  rows.push({
    figure: `7 scroll the ${int(sc.rows)}-row table top to bottom (Chromium: script + layout per frame)`,
    value: `longest frame ${fmtMs(sc.longestFrameMs)}; ${sc.framesOver16} of ${sc.frames} frames over 16 ms; ${sc.longTasks} long tasks`,
    target: `no frame > ${T.frameMs} ms, no long task`,
    met: sc.longestFrameMs <= T.frameMs && sc.longTasks === 0,
  });
  const sh = f.shell;
  rows.push({
    figure: '7 route → panel shell painted (small package, median of 5)',
    value: `${fmtMs(sh.medianMs)} (${sh.samplesMs.map(fmtMs).join(', ')}); ${sh.longTasks} long tasks in the page until the first rows (longest ${fmtMs(sh.longestTaskMs)})`,
    target: `< ${T.shellMs} ms, no long task`,
    met: sh.medianMs < T.shellMs && sh.longTasks === 0,
  });
  if (sh.inPortal) {
    const ip = sh.inPortal;
    rows.push({
      figure: `7 route change in an open portal page → panel shell painted (dashboard → small package, median of ${ip.samplesMs.length})`,
      value: `${fmtMs(ip.medianMs)} (${ip.samplesMs.map(fmtMs).join(', ')}); ${ip.longTasks} long tasks in the page until the first rows (longest ${fmtMs(ip.longestTaskMs)})`,
      target: `< ${T.shellMs} ms, no long task`,
      met: ip.medianMs < T.shellMs && ip.longTasks === 0,
    });
  }
  const full = f.full;
  if (full) {
    const bound = Math.max(full.listingBoundMs, full.accountBoundMs);
    rows.push({
      figure: `7 fully loaded (rows and account data), ${int(full.rows)} rows of ${int(full.users)} users at ${full.latencyMs} ms pages (from the first assignments request)`,
      value:
        `rows ${fmtMs(full.rowsMs)} (${(full.rowsMs / bound).toFixed(2)}×), everything ${fmtMs(full.fullMs)} (${(full.fullMs / bound).toFixed(2)}×) ` +
        `of the bound ${fmtMs(bound)} = max(listing ${fmtMs(full.listingBoundMs)}: the longest partition or the pages at 8 in flight; ` +
        `account reads ${fmtMs(full.accountBoundMs)}: ${int(Math.ceil(full.users / 300))} $batch of 300 users at the directory's 40 a second); ` +
        `${full.accountBatches} account $batch, ${full.accountBatchesDuringList} of them while the list loaded; ` +
        `longest partition ${full.chain.pages} pages from ${fmtMs(full.chain.startMs)}, ${fmtMs(full.chain.serverMs)} at the tenant and ${fmtMs(full.chain.betweenMs)} between pages`,
      target: `≤ ${T.fullBoundFactor}× bound`,
      met: full.fullMs <= T.fullBoundFactor * bound,
    });
  }
  const l = f.load;
  rows.push({
    figure: `7 load of ${int(l.rows)} rows at 0 ms pages (Chromium: navigation → every row shown)`,
    value:
      `${fmtMs(l.rowsMs)} (user account data ${fmtMs(l.loadMs - l.rowsMs)} more)` +
      (l.cpu ? `; the browser's CPU time ${fmtMs(browserCpu(l.cpu.byKind))} (all processes); ${cpuSplit(l.cpu, Math.ceil(l.rows / 100))}` : ''),
    target: `< ${fmtMs(T.loadMs)}`,
    met: l.rowsMs < T.loadMs,
  });
  rows.push({
    figure: '7 main-thread tasks of the portal page while the rows stream in',
    value: l.longTasks === 0 ? 'none over 50 ms' : `${l.longTasks} over 50 ms, longest ${fmtMs(l.longestTaskMs)}`,
    target: `none > ${T.longTaskMs} ms`,
    met: l.longTasks === 0,
  });
  rows.push({
    figure: `7 main-thread tasks of the portal page in the ${fmtMs(AFTER_LOADED_MS)} after everything is in`,
    value: l.after.longTasks === 0 ? 'none over 50 ms' : `${l.after.longTasks} over 50 ms, longest ${fmtMs(l.after.longestTaskMs)}`,
    target: `none > ${T.longTaskMs} ms`,
    met: l.after.longTasks === 0,
  });
  if (f.profile?.worker && f.profile.page) {
    rows.push({
      figure: '7 where the load spends its time (CPU profile, unminified build): worker',
      value: `${fmtMs(f.profile.worker.totalMs)} profiled; busy: ${shares(f.profile.worker.shares, 7)}`,
      target: '',
      met: null,
    });
    rows.push({
      figure: '7 where the load spends its time (CPU profile, unminified build): portal page',
      value: `${fmtMs(f.profile.page.totalMs)} profiled; busy: ${shares(f.profile.page.shares, 7)}`,
      target: '',
      met: null,
    });
  }
  return rows;
}
