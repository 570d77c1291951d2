// Viewer figures (issues 8 and 15): time to first frame for a ≥ 50 MB trace (read as a stream), frames per
// second while playing jepsen-2013 at 10× (run in the page's worker), and the longest main-thread task
// (PerformanceObserver 'longtask') while loading, running and playing — in headless Chromium (Debian's
// /usr/bin/chromium via playwright-core).
// The measurement is asynchronous, so it runs in a child process (this file with --viewer-child).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from './figures.ts';
import { playFps10x } from './viewer-play.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SELF = fileURLToPath(import.meta.url);

export function viewerFigures(): Figure[] {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') throw new Error(`viewer figures need Chromium at ${CHROMIUM}`);
    console.error(`viewer figures skipped: no Chromium at ${CHROMIUM}`);
    return [];
  }
  const out = execFileSync(process.execPath, ['--import', 'tsx', SELF, '--viewer-child'], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Figure);
}

async function traceFile(dir: string, name: string, def: Parameters<typeof import('../scenarios/api/index.ts').defineScenario>[0]): Promise<{ path: string; records: number; bytes: number }> {
  const { defineScenario, runScenario } = await import('../scenarios/api/index.ts');
  const { canonicalJson } = await import('../engine/trace/canonical.ts');
  const { nodeSha256 } = await import('../bin/nodeHash.ts');
  const res = runScenario(defineScenario(def), { hasher: nodeSha256 });
  const doc = res.sim.trace.document();
  const parts = [`{"header":${canonicalJson(doc.header)},\n"records":[\n`];
  doc.records.forEach((r, i) => parts.push((i ? ',\n' : '') + canonicalJson(r)));
  parts.push(`\n],\n"sha256":"${res.sha256}"}\n`);
  const text = parts.join('');
  const path = join(dir, `${name}.trace.json`);
  writeFileSync(path, text);
  return { path, records: doc.records.length, bytes: text.length };
}

async function child(): Promise<void> {
  const { cluster } = await import('../scenarios/api/index.ts');
  const { buildAndServe, launch } = await import('../test/viz/browser.ts');
  const dir = mkdtempSync(join(tmpdir(), 'viewer-bench-'));
  // a 1 + 2 cluster watched by 3 Sentinels, every message recorded, long enough for a ≥ 50 MB trace
  const hour = await traceFile(dir, 'hour', {
    name: 'bench-idle-hours',
    setup: () => cluster({ replicas: 2, sentinels: 3 }),
    script: (s) => s.sleep(process.env.VIEWER_BENCH_SLEEP ?? '100m'),
  });
  const srv = await buildAndServe();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    // every long task (> 50 ms) of the main thread, from the start of the page
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${srv.url}?scenario=jepsen-2013`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 180_000 });
    await page.waitForTimeout(500);
    // frames per second at 10× on jepsen-2013 (the engine in its worker keeps ahead of the playhead)
    const fps = await playFps10x(page);
    const longest = async () => page.evaluate(() => Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks));
    const runAndPlay = await longest();
    await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks = []));
    // time to first frame of the big trace, from choosing the file to the first frame drawn
    await page.evaluate(() => {
      document.querySelector('#trace-file')!.addEventListener('change', () => ((window as unknown as { t0: number }).t0 = performance.now()), { capture: true });
    });
    const frames0 = await page.evaluate(() => Number(document.body.dataset.frames ?? 0));
    await page.locator('#trace-file').setInputFiles(hour.path);
    await page.waitForFunction((f) => Number(document.body.dataset.frames ?? 0) > f, frames0, { timeout: 120_000 });
    const first = await page.evaluate(() => (window as unknown as { sentinelSim: { firstFrameAt: number }; t0: number }).sentinelSim.firstFrameAt - (window as unknown as { t0: number }).t0);
    await page.waitForFunction(() => /verified|failed/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 300_000 });
    const loading = await longest();
    const mb = (hour.bytes / 1e6).toFixed(0);
    // wall-time figures on a shared machine: the 1-minute load average (on this machine's cores) goes with them
    const load = `load ${loadavg()[0].toFixed(1)}`;
    console.log(JSON.stringify({ name: 'viewer-first-frame-ms', value: Math.round(first), unit: `ms (${mb} MB, ${load})`, target: '< 1000' }));
    console.log(JSON.stringify({ name: 'viewer-fps-10x', value: Math.round(fps * 10) / 10, unit: `fps (jepsen-2013, ${load})`, target: '>= 50' }));
    console.log(JSON.stringify({ name: 'viewer-longest-task-ms', value: Math.round(Math.max(runAndPlay, loading)), unit: `ms (run+play ${Math.round(runAndPlay)}, loading ${Math.round(loading)}, ${load})`, target: '<= 100' }));
  } finally {
    await browser.close();
    await srv.close();
    // the 80 MB trace file and the built page
    rmSync(dir, { recursive: true, force: true });
    rmSync(srv.dist, { recursive: true, force: true });
  }
}

if (process.argv.includes('--viewer-child') && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  child().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
