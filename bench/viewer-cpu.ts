// The viewer's main-thread tasks in thread CPU time (Chromium's trace: each task's `tdur`), which a loaded
// machine does not inflate the way it inflates wall time: the longest tasks while jepsen-2013 runs in the
// page's worker, then the main thread's CPU per frame while it plays at 10× (what ≥ 50 fps needs: < 20 ms).
// `npx tsx bench/viewer-cpu.ts [scenario]`.
import { launch } from '../test/viz/browser.ts';
import { buildAndServe, top as topFunctions, type Profile } from './viewer-profile.ts';
import { mainTasks as tasks } from './viewer-tasks.ts';

type Ev = Parameters<typeof tasks>[0][number];

async function main(): Promise<void> {
  const scenario = process.argv[2] ?? 'jepsen-2013';
  const srv = await buildAndServe();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    // frames at a fixed step: with window.fixedStep set, every animation frame is told that fixedStep ms passed
    // (what each frame draws is then the same however loaded the machine is)
    await page.addInitScript(() => {
      const w = window as unknown as { fixedStep?: number; fakeNow?: number };
      const raf = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (cb) =>
        raf((now) => {
          if (w.fixedStep === undefined) return cb(now);
          w.fakeNow = (w.fakeNow ?? now) + w.fixedStep;
          cb(w.fakeNow);
        });
    });
    const cats = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'];
    await browser.startTracing(page, { categories: cats });
    await page.goto(`${srv.url}?scenario=${scenario}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 180_000 });
    await page.waitForTimeout(500);
    // an experiment's CSS (VIEWER_CPU_CSS), e.g. '.dots-layer { display: none }'
    if (process.env.VIEWER_CPU_CSS) await page.addStyleTag({ content: process.env.VIEWER_CPU_CSS });
    const load = tasks(JSON.parse((await browser.stopTracing()).toString()).traceEvents as Ev[]);
    const top = [...load].sort((a, b) => b.cpu - a.cpu).slice(0, 8);
    const t0 = load.length ? load[0].ts : 0;
    console.log(`load: ${load.length} tasks; longest by CPU (ms CPU / wall, at):`);
    for (const x of top) console.log(`  ${x.cpu.toFixed(0)} / ${x.wall.toFixed(0)} @${(x.ts - t0).toFixed(0)}: ${x.what}`);
    await browser.startTracing(page, { categories: cats });
    // VIEWER_CPU_PROFILE=n: the n functions with the most time while playing (the profiler costs time itself)
    const cdp = process.env.VIEWER_CPU_PROFILE ? await page.context().newCDPSession(page) : null;
    await cdp?.send('Profiler.enable');
    await cdp?.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp?.send('Profiler.start');
    const frames = await page.evaluate(async () => {
      const app = (window as unknown as { sentinelSim: { player: { frames: number; setSpeed(s: number): void; seek(t: number): void; play(): void; pause(): void } } }).sentinelSim;
      (window as unknown as { fixedStep: number }).fixedStep = 1000 / 60;
      app.player.seek(10_000_000);
      app.player.setSpeed(10);
      app.player.play();
      const f0 = app.player.frames;
      await new Promise((r) => setTimeout(r, 3000));
      app.player.pause();
      return app.player.frames - f0;
    });
    const play = tasks(JSON.parse((await browser.stopTracing()).toString()).traceEvents as Ev[]);
    if (cdp) topFunctions(((await cdp.send('Profiler.stop')) as { profile: Profile }).profile, Number(process.env.VIEWER_CPU_PROFILE));
    const cpu = play.reduce((a, x) => a + x.cpu, 0);
    const by = new Map<string, number>();
    for (const x of play) for (const part of x.what.split(', ')) {
      const m = /^(.*) (\d+)$/.exec(part);
      if (m) by.set(m[1], (by.get(m[1]) ?? 0) + Number(m[2]));
    }
    console.log(`per frame: ${[...by].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${(v / frames).toFixed(1)}`).join(', ')}`);
    const wall = play.reduce((a, x) => a + x.wall, 0);
    const ptop = [...play].sort((a, b) => b.cpu - a.cpu).slice(0, 6);
    console.log(`play 10× (frames of 1/60 s each): ${frames} frames in 3 s; main thread ${cpu.toFixed(0)} ms CPU (${(cpu / frames).toFixed(1)} per frame), ${wall.toFixed(0)} ms wall; longest by CPU:`);
    for (const x of ptop) console.log(`  ${x.cpu.toFixed(0)} / ${x.wall.toFixed(0)}: ${x.what}`);
  } finally {
    await browser.close();
    await srv.close();
  }
}
void main();
