import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { moduleLines, summarise, type CpuProfile } from '../../bench/profile';
import type { LoadFigures, SpeedFigures } from '../../bench/speed-bench';
import { chromiumKind, cpuBetween } from '../../bench/process-cpu';
import { cpuSplit, speedRows } from '../../bench/speed-targets';

const load = (over: Partial<LoadFigures> = {}): LoadFigures => ({
  rows: 100_000,
  loadMs: 2500,
  rowsMs: 2000,
  cpu: null,
  longestTaskMs: 0,
  longTasks: 0,
  after: { longTasks: 0, longestTaskMs: 0 },
  worker: null,
  page: null,
  ...over,
});

const figures = (over: Partial<SpeedFigures> = {}): SpeedFigures => ({
  chromium: 'Chrome/1',
  load: load(),
  profile: null,
  interaction: { rows: 100_000, keystroke: [5, 6, 7, 7, 7, 7, 7, 7, 7, 15], facet: [3, 4, 4, 5] },
  scroll: { rows: 100_000, frames: 300, longestFrameMs: 12, framesOver16: 0, longTasks: 0 },
  shell: { samplesMs: [60, 70, 80], medianMs: 70, longTasks: 0, longestTaskMs: 0, inPortal: { samplesMs: [50, 60], medianMs: 60, longTasks: 0, longestTaskMs: 0 } },
  full: null,
  ...over,
});

describe('speed rows (figure 7)', () => {
  it('meets each target only when the figure is inside it', () => {
    const met = speedRows(figures()).filter((r) => r.met !== null);
    expect(met.map((r) => r.met)).toEqual([true, true, true, true, true, true, true, true]);
    const slow = speedRows(
      figures({
        interaction: { rows: 100_000, keystroke: [12, 12, 21], facet: [6, 6, 18] },
        scroll: { rows: 100_000, frames: 300, longestFrameMs: 17, framesOver16: 1, longTasks: 0 },
        shell: { samplesMs: [100], medianMs: 100, longTasks: 1, longestTaskMs: 60, inPortal: { samplesMs: [90], medianMs: 90, longTasks: 1, longestTaskMs: 55 } },
        load: load({ rowsMs: 29_900, longTasks: 3, longestTaskMs: 120, after: { longTasks: 1, longestTaskMs: 346 } }),
      }),
    );
    expect(slow.filter((r) => r.met !== null).map((r) => r.met)).toEqual([false, false, false, false, false, false, false, false]);
    expect(slow.find((r) => r.figure.includes('after everything is in'))!.value).toBe('1 over 50 ms, longest 346 ms');
    expect(slow.find((r) => r.figure.includes('route change'))!.value).toBe('90 ms (90 ms); 1 long tasks in the page until the first rows (longest 55 ms)');
    expect(slow.find((r) => r.figure.includes('load of'))!.value).toContain('29.9 s');
  });

  it('fully loaded: measured against the larger of the listing and account-read bounds', () => {
    const full = { rows: 20_000, users: 18_000, latencyMs: 100, rowsMs: 2600, fullMs: 2900, listingBoundMs: 2500, accountBoundMs: 2100, accountBatches: 60, accountBatchesDuringList: 50, chain: { pages: 25, startMs: 100, serverMs: 100, betweenMs: 4 } };
    const row = (over: Partial<typeof full>) => speedRows(figures({ full: { ...full, ...over } })).find((r) => r.figure.includes('fully loaded'))!;
    expect(row({}).met).toBe(true); // 2.9 s ≤ 1.25 × 2.5 s
    expect(row({}).value).toContain('everything 2.90 s (1.16×) of the bound 2.50 s');
    expect(row({ fullMs: 3200 }).met).toBe(false);
    expect(row({ accountBoundMs: 3000, fullMs: 3700 }).met).toBe(true); // the account reads are the bound
    expect(speedRows(figures()).some((r) => r.figure.includes('fully loaded'))).toBe(false);
  });

  it('prints where the time goes when the load was profiled, idle left out', () => {
    const shares = [
      { where: '(idle)', ms: 5000 },
      { where: 'src/core/normalise.ts', ms: 300 },
      { where: '(garbage collector)', ms: 100 },
    ];
    const rows = speedRows(figures({ profile: load({ worker: { totalMs: 5400, shares, summary: '' }, page: { totalMs: 5400, shares, summary: '' } }) }));
    const worker = rows.find((r) => r.figure.endsWith('worker'))!;
    expect(worker.value).toContain('core/normalise.ts 75 %, (garbage collector) 25 %');
    expect(worker.value).not.toContain('idle');
  });
});

describe('CPU per process (figure 7 load)', () => {
  const sample = (ppid: number, ms: number, cmd: string) => ({ ppid, ms, args: cmd.split(' ') });

  it('tells the extension renderer, the page renderer, the network service and the browser apart', () => {
    expect(chromiumKind(['/usr/lib/chromium/chromium', '--headless'])).toBe('browser');
    expect(chromiumKind(['/usr/lib/chromium/chromium', '--type=renderer', '--extension-process'])).toBe('extension');
    expect(chromiumKind(['/usr/lib/chromium/chromium', '--type=renderer'])).toBe('page');
    expect(chromiumKind(['chromium', '--type=utility', '--utility-sub-type=network.mojom.NetworkService'])).toBe('network');
    expect(chromiumKind(['chromium', '--type=utility', '--utility-sub-type=storage.mojom.StorageService'])).toBe('other');
    expect(chromiumKind(['chromium', '--type=gpu-process'])).toBe('other');
  });

  it('counts only what the browser tree and the tenant used in between, new processes from zero', () => {
    const before = new Map([
      [100, sample(1, 1000, 'chromium')],
      [101, sample(100, 500, 'chromium --type=renderer --extension-process')],
      [300, sample(1, 2000, 'node tenant-process.ts')],
      [400, sample(1, 9000, 'node unrelated.js')],
    ]);
    const after = new Map([
      [100, sample(1, 1200, 'chromium')],
      [101, sample(100, 2500, 'chromium --type=renderer --extension-process')],
      [102, sample(100, 700, 'chromium --type=renderer')], // started during the load
      [103, sample(101, 50, 'chromium --type=utility --utility-sub-type=network.mojom.NetworkService')],
      [300, sample(1, 3500, 'node tenant-process.ts')],
      [400, sample(1, 12_000, 'node unrelated.js')],
    ]);
    expect(cpuBetween(before, after, 100, 300)).toEqual({ extension: 2000, page: 700, network: 50, browser: 200, other: 0, tenant: 1500 });
  });

  it('prints the product\'s work per page and the least wall time of the other processes', () => {
    const text = cpuSplit({ byKind: { extension: 4000, page: 2000, network: 3000, browser: 1000, other: 200, tenant: 3800 }, spanMs: 8000, cores: 2 }, 1000);
    expect(text).toContain('the product\'s own work, 6.0 ms per page)');
    expect(text).toContain('14.0 s of the 16.0 s that 2 cores give in 8.00 s');
    expect(text).toContain('the processes besides the product\'s need 8.00 s, at least 4.00 s of wall time on 2 cores');
    const row = speedRows(figures({ load: load({ cpu: { byKind: { extension: 4000, page: 2000, network: 3000, browser: 1000, other: 200, tenant: 3800 }, spanMs: 8000, cores: 2 } }) })).find((r) => r.figure.includes('load of'))!;
    expect(row.value).toContain('at least 4.00 s of wall time');
  });
});

describe('profile by source module', () => {
  it('maps a line of an unminified bundle to the module esbuild marked above it, and sums self time', () => {
    const bundle = ['(() => {', '  // src/core/a.ts', '  function a() {}', '  // node_modules/preact/dist/preact.module.js', '  function p() {}', '})();'].join('\n');
    expect(moduleLines(bundle)).toEqual([
      { line: 1, module: 'src/core/a.ts' },
      { line: 3, module: 'node_modules/preact' },
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-test-'));
    const file = path.join(dir, 'panel.js');
    fs.writeFileSync(file, bundle);
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: 'a', url: 'chrome-extension://x/panel.js', lineNumber: 2 } },
        { id: 3, callFrame: { functionName: 'p', url: 'chrome-extension://x/panel.js', lineNumber: 4 } },
        { id: 4, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
      ],
      samples: [2, 2, 3, 4],
      timeDeltas: [1000, 1000, 2000, 500],
      startTime: 0,
      endTime: 4500,
    };
    const s = summarise(profile, { '/panel.js': file });
    expect(s.totalMs).toBe(4.5);
    expect(s.shares).toEqual([
      { where: 'src/core/a.ts', ms: 2 },
      { where: 'node_modules/preact', ms: 2 },
      { where: '(garbage collector)', ms: 0.5 },
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
