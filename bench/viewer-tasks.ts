// The viewer's long main-thread tasks along `bench/viewer.ts`'s steps (jepsen-2013 run in the page's worker,
// played at 10×, then a big trace file opened), each with its wall and thread CPU ms (Chromium's trace) and
// what it ran (the JS functions by name: the page is built unminified): which task a `longtask` figure is, and
// whether it is long by its own work or by waiting for a core (a loaded machine: wall ≫ CPU).
// `npx tsx bench/viewer-tasks.ts [trace-file]` (without a file: the run and play steps only).
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../test/viz/browser.ts';
import { buildAndServe, type Profile } from './viewer-profile.ts';
import { playFps10x } from './viewer-play.ts';

interface Ev { name: string; ph: string; ts: number; dur?: number; tdur?: number; tid: number; pid: number; args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; type?: string } } }

export interface Task { ts: number; wall: number; cpu: number; what: string }

/** Top-level tasks of the renderer's main thread, with their wall and CPU ms and the largest parts by CPU. */
export function mainTasks(events: Ev[]): Task[] {
  const m = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!m) throw new Error('no CrRendererMain in the trace');
  const mine = events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
  const out: Task[] = [];
  for (let i = 0; i < mine.length; i++) {
    const e = mine[i];
    if (e.name !== 'RunTask') continue;
    const inside = new Map<string, number>();
    for (let j = i + 1; j < mine.length && mine[j].ts < e.ts + e.dur!; j++) {
      const c = mine[j];
      if (c.name === 'RunTask' || c.name === 'ThreadControllerImpl::RunTask') continue;
      const d = c.args?.data;
      const label = c.name === 'FunctionCall' && d?.url ? `${d.functionName || '(anon)'}@${d.url.split('/').pop()}:${d.lineNumber}` : c.name === 'EventDispatch' && d?.type ? `event ${d.type}` : c.name;
      inside.set(label, (inside.get(label) ?? 0) + (c.tdur ?? c.dur!) / 1000);
    }
    const what = [...inside].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
    out.push({ ts: e.ts / 1000, wall: e.dur! / 1000, cpu: (e.tdur ?? e.dur!) / 1000, what });
  }
  return out;
}

/** The JS functions (self + callees, one count per sample) a CPU profile sampled in [from, to) µs (the trace's clock). */
function functionsIn(profile: Profile & { startTime: number }, from: number, to: number, n: number): string {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const parent = new Map<number, number>();
  for (const x of profile.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
  const tot = new Map<string, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t >= to) return;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const f = byId.get(x)!.callFrame;
      const k = `${f.functionName || '(anon)'}:${f.lineNumber}`;
      if (k === '(root):-1' || seen.has(k)) continue;
      seen.add(k);
      tot.set(k, (tot.get(k) ?? 0) + dt);
    }
  });
  return [...tot].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' | ');
}

let profile: (Profile & { startTime: number }) | null = null;

function report(step: string, ts: Task[], longTasks: number[]): void {
  const cpu = [...ts].sort((a, b) => b.cpu - a.cpu);
  const wall = [...ts].sort((a, b) => b.wall - a.wall);
  const t0 = ts.length ? ts[0].ts : 0;
  console.log(`== ${step}: ${ts.length} tasks, ${ts.reduce((a, x) => a + x.cpu, 0).toFixed(0)} ms CPU; longtask entries ${JSON.stringify(longTasks.map(Math.round))} (load ${loadavg()[0].toFixed(1)})`);
  // the harness's own tasks (Playwright's scripts evaluated over CDP: a mojo message running EvaluateScript) apart
  const own = ts.filter((x) => !/^Receive mojo message \d+, EvaluateScript/.test(x.what)).sort((a, b) => b.cpu - a.cpu);
  console.log(`  the page's longest tasks by CPU (ms): ${own.slice(0, 6).map((x) => x.cpu.toFixed(0)).join(', ')}; by wall: ${[...own].sort((a, b) => b.wall - a.wall).slice(0, 6).map((x) => x.wall.toFixed(0)).join(', ')}`);
  // VIEWER_TASKS_OVER=ms: every task of at least that many ms of CPU, in order
  const over = Number(process.env.VIEWER_TASKS_OVER ?? Infinity);
  for (const x of ts) if (x.cpu >= over) console.log(`  @${(x.ts - t0).toFixed(0)} ${x.cpu.toFixed(0)} / ${x.wall.toFixed(0)}: ${x.what}`);
  console.log('  longest by wall (wall / CPU ms @ms):');
  for (const x of wall.slice(0, 6)) console.log(`    ${x.wall.toFixed(0)} / ${x.cpu.toFixed(0)} @${(x.ts - t0).toFixed(0)}: ${x.what}`);
  console.log('  longest by CPU (CPU / wall ms @ms):');
  for (const x of cpu.slice(0, 8)) {
    console.log(`    ${x.cpu.toFixed(0)} / ${x.wall.toFixed(0)} @${(x.ts - t0).toFixed(0)}: ${x.what}`);
    if (profile) console.log(`      JS: ${functionsIn(profile, x.ts * 1000, (x.ts + x.wall) * 1000, 12)}`);
  }
}

async function main(): Promise<void> {
  const file = process.argv[2];
  const srv = await buildAndServe();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    // an experiment's CSS from the start (VIEWER_TASKS_CSS), e.g. '#progress { display: none }'
    const css = process.env.VIEWER_TASKS_CSS;
    if (css) await page.addInitScript((c) => document.addEventListener('DOMContentLoaded', () => document.head.append(Object.assign(document.createElement('style'), { textContent: c }))), css);
    const cats = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'];
    // VIEWER_TASKS_PROFILE=1: also the JS functions in each of the longest tasks (the sampling profiler costs time)
    const cdp = process.env.VIEWER_TASKS_PROFILE ? await page.context().newCDPSession(page) : null;
    await cdp?.send('Profiler.enable');
    await cdp?.send('Profiler.setSamplingInterval', { interval: 250 });
    await cdp?.send('Profiler.start');
    const take = async () => {
      const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents as Ev[];
      if (cdp) {
        profile = ((await cdp.send('Profiler.stop')) as { profile: Profile & { startTime: number } }).profile;
        await cdp.send('Profiler.start');
      }
      const lt = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0));
      return { tasks: mainTasks(events), lt };
    };
    await browser.startTracing(page, { categories: cats });
    await page.goto(`${srv.url}?scenario=jepsen-2013`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 180_000 });
    await page.waitForTimeout(500);
    let r = await take();
    report('run jepsen-2013', r.tasks, r.lt);
    await browser.startTracing(page, { categories: cats });
    const fps = await playFps10x(page);
    r = await take();
    report(`play 10× (${fps.toFixed(1)} fps)`, r.tasks, r.lt);
    if (!file) return;
    await browser.startTracing(page, { categories: cats });
    const frames0 = await page.evaluate(() => Number(document.body.dataset.frames ?? 0));
    const t0 = Date.now();
    await page.locator('#trace-file').setInputFiles(file);
    await page.waitForFunction((f) => Number(document.body.dataset.frames ?? 0) > f, frames0, { timeout: 120_000 });
    await page.waitForFunction(() => /verified|failed/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 300_000 });
    const took = Date.now() - t0;
    r = await take();
    report(`open ${file} (${took} ms)`, r.tasks, r.lt);
  } finally {
    await browser.close();
    await srv.close();
  }
}
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) void main();
