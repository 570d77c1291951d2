// A CPU profile of the viewer while it plays jepsen-2013 at 10× (Chromium's profiler over CDP): the functions
// with the most self time, and the frames per second. `npx tsx bench/viewer-profile.ts [scenario]`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveView } from '../bin/view/server.ts';
import { launch } from '../test/viz/browser.ts';
import { playFps10x } from './viewer-play.ts';

/** The page built without minifying (the profile names the functions). */
export async function buildAndServe() {
  const dist = mkdtempSync(join(tmpdir(), 'viewer-profile-'));
  const { build } = await import('vite');
  await build({ root: resolve('.'), configFile: resolve('vite.config.ts'), logLevel: 'error', build: { outDir: dist, emptyOutDir: true, minify: false } });
  console.log(`dist ${dist}`);
  return serveView({ dist });
}

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }

export type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

/** The functions with the most self time, and with the most total time (self + callees). */
export function top(profile: Profile, n: number): void {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const dt = new Map<number, number>();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const name = (x: Node) => `${x.callFrame.functionName || '(anon)'} ${x.callFrame.url.split('/').pop()}:${x.callFrame.lineNumber}`;
  const sum = (x: Node): number => (dt.get(x.id) ?? 0) / 1000 + (x.children ?? []).reduce((a, c) => a + sum(byId.get(c)!), 0);
  for (const x of profile.nodes) {
    self.set(name(x), (self.get(name(x)) ?? 0) + (dt.get(x.id) ?? 0) / 1000);
    total.set(name(x), Math.max(total.get(name(x)) ?? 0, sum(x)));
  }
  console.log('-- self');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${v.toFixed(0).padStart(7)} ms  ${k}`);
  console.log('-- total (largest single call tree)');
  for (const [k, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${v.toFixed(0).padStart(7)} ms  ${k}`);
}

/**
 * The main thread's long tasks as the profile shows them: runs of samples with no idle between them longer than
 * `minMs`, each with the functions that took the most of it (self + callees, each counted once per sample).
 */
export function busy(profile: Profile, minMs: number, n: number): void {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const parent = new Map<number, number>();
  for (const x of profile.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
  const name = (x: Node) => `${x.callFrame.functionName || '(anon)'} ${x.callFrame.url.split('/').pop()}:${x.callFrame.lineNumber}`;
  let t = 0;
  let run: { start: number; ms: number; samples: [number, number][] } | null = null;
  const flush = () => {
    if (run && run.ms >= minMs) {
      const tot = new Map<string, number>();
      for (const [id, dt] of run.samples) {
        const seen = new Set<string>();
        for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
          const k = name(byId.get(x)!);
          if (!seen.has(k)) tot.set(k, (tot.get(k) ?? 0) + dt);
          seen.add(k);
        }
      }
      console.log(`busy at ${run.start.toFixed(0)} ms for ${run.ms.toFixed(0)} ms: ${[...tot].sort((a, b) => b[1] - a[1]).slice(1, n + 1).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' | ')}`);
    }
    run = null;
  };
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    t += (profile.timeDeltas[i] ?? 0) / 1000;
    if (byId.get(id)!.callFrame.functionName === '(idle)') return flush();
    run ??= { start: t, ms: 0, samples: [] };
    run.ms += dt;
    run.samples.push([id, dt]);
  });
  flush();
}

async function main(): Promise<void> {
  const scenario = process.argv[2] ?? 'jepsen-2013';
  const srv = await buildAndServe();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const loadCdp = await page.context().newCDPSession(page);
    await loadCdp.send('Profiler.enable');
    await loadCdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: { start: number; d: number }[] };
      w.longTasks = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.longTasks.push({ start: Math.round(e.startTime), d: Math.round(e.duration) });
      }).observe({ type: 'longtask', buffered: true });
    });
    await loadCdp.send('Profiler.start');
    await page.goto(`${srv.url}?scenario=${scenario}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 180_000 });
    await page.waitForTimeout(500);
    const loadProfile = ((await loadCdp.send('Profiler.stop')) as { profile: Profile }).profile;
    console.log('long tasks while running', JSON.stringify(await page.evaluate(() => (window as unknown as { longTasks: unknown[] }).longTasks)));
    busy(loadProfile, 40, 12);
    top(loadProfile, 25);
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const fps = await playFps10x(page);
    const buf = await browser.stopTracing();
    const events = (JSON.parse(buf.toString()) as { traceEvents: { name: string; ph: string; dur?: number }[] }).traceEvents;
    const byName = new Map<string, number>();
    for (const e of events) if (e.ph === 'X' && e.dur) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur / 1000);
    for (const [k, v] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`trace ${v.toFixed(0).padStart(7)} ms  ${k}`);
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
    console.log(`fps ${fps.toFixed(1)}`);
    console.log('long tasks (all)', JSON.stringify(await page.evaluate(() => (window as unknown as { longTasks: unknown[] }).longTasks)));
    busy(profile, 30, 12);
    top(profile, 40);
  } finally {
    await browser.close();
    await srv.close();
  }
}
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) void main();
