// Viewer figures (issue 8): time to first frame for a one-hour trace, and frames per second while playing a
// busy 7-node cluster at 10× — both in headless Chromium (Debian's /usr/bin/chromium via playwright-core).
// The measurement is asynchronous, so it runs in a child process (this file with --viewer-child).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from './figures.ts';

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
  // one hour of a 1 + 2 cluster watched by 3 Sentinels, every message recorded
  const hour = await traceFile(dir, 'hour', {
    name: 'bench-idle-hour',
    setup: () => cluster({ replicas: 2, sentinels: 3 }),
    script: (s) => s.sleep('1h'),
  });
  // a busy 7-node cluster (1 + 3 replicas, 3 Sentinels) with a failover
  const busy = await traceFile(dir, 'busy', {
    name: 'bench-busy-7',
    setup: () => cluster({ replicas: 3, sentinels: 3, downAfter: '2s' }),
    script: (s) => {
      s.sleep('15s');
      for (let i = 0; i < 50; i++) s.exec(s.initialMaster!, 'SET', `k${i}`, 'v');
      s.kill(s.initialMaster!);
      s.waitFor('+switch-master', { timeout: '30s' });
      s.sleep('30s');
    },
  });
  const srv = await buildAndServe(busy.path);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(srv.url);
    await page.waitForFunction(() => /verified/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 60_000 });
    // frames per second at 10× from the start of the busy trace
    const fps = await page.evaluate(async () => {
      const app = (window as unknown as { sentinelSim: { player: { frames: number; setSpeed(s: number): void; seek(t: number): void; play(): void; pause(): void } } }).sentinelSim;
      app.player.seek(10_000_000);
      app.player.setSpeed(10);
      app.player.play();
      const f0 = app.player.frames;
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 3000));
      const n = app.player.frames - f0;
      const dt = performance.now() - t0;
      app.player.pause();
      return (n * 1000) / dt;
    });
    // time to first frame of the one-hour trace, from choosing the file to the first frame drawn
    await page.evaluate(() => {
      document.querySelector('#trace-file')!.addEventListener('change', () => ((window as unknown as { t0: number }).t0 = performance.now()), { capture: true });
    });
    const frames0 = await page.evaluate(() => Number(document.body.dataset.frames ?? 0));
    await page.locator('#trace-file').setInputFiles(hour.path);
    await page.waitForFunction((f) => Number(document.body.dataset.frames ?? 0) > f, frames0, { timeout: 120_000 });
    const first = await page.evaluate(() => (window as unknown as { sentinelSim: { firstFrameAt: number }; t0: number }).sentinelSim.firstFrameAt - (window as unknown as { t0: number }).t0);
    const mb = (hour.bytes / 1e6).toFixed(0);
    console.log(JSON.stringify({ name: 'viewer-first-frame-ms', value: Math.round(first), unit: `ms (${mb} MB)`, target: '< 1000' }));
    console.log(JSON.stringify({ name: 'viewer-fps-10x', value: Math.round(fps * 10) / 10, unit: 'fps (7 nodes)', target: '>= 50' }));
  } finally {
    await browser.close();
    await srv.close();
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
