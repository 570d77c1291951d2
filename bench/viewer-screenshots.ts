// Screenshots of the viewer's Sentinel reasoning (docs/viewer.md, README), re-made from real runs:
//
//   npx tsx bench/viewer-screenshots.ts
//
// The page is built by Vite into a temporary folder, served on loopback and shown in Debian's
// /usr/bin/chromium driven by playwright-core (the browser tests' helpers, test/viz/browser.ts):
// - docs/img/viewer-election.png: tutorial-failover seed 1 when the candidate has counted its votes (the
//   vote arrows, the tally "k/n votes, needs m" in the ring, the election panel);
// - docs/img/viewer-selection.png: priorities seed 1 at the leader's +selected-slave (the replica-selection
//   panel: every replica, the criteria in Redis's order, the rule that decided).
// - docs/img/viewer-phone.png: the same election on a 390 px phone (the stage in rows; each Sentinel's latest
//   event and countdown on the lines kept under its label, inside the stage).
// The instants are found in the scenarios' traces (the same runs the page makes), never written here.
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { buildAndServe, CHROMIUM, hasChromium, launch } from '../test/viz/browser.ts';
import { runLibrary } from '../test/viz/support.ts';
import tutorial from '../scenarios/tutorial-failover.ts';
import priorities from '../scenarios/priorities.ts';
import type { LogRecord, TraceRecord } from '../engine/trace/types.ts';

const IMG = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'docs/img');

const logs = (records: TraceRecord[]) => records.filter((r): r is LogRecord => r.k === 'log');

/** Tutorial: the last vote the candidate heard before +elected-leader (its tally is complete, not yet counted). */
function electionInstant(): { t: number; candidate: string } {
  const l = logs(runLibrary(tutorial).sim.trace.records());
  const tryF = l.find((r) => r.event === '+try-failover')!;
  const elected = l.find((r) => r.event === '+elected-leader' && r.t >= tryF.t)!;
  const heard = l.filter((r) => r.node === tryF.node && / voted for /.test(r.line) && r.t >= tryF.t && r.t <= elected.t);
  return { t: (heard.length ? heard[heard.length - 1].t : tryF.t) + 1, candidate: tryF.node };
}

/** Priorities: the first +selected-slave. */
function selectionInstant(): { t: number; leader: string } {
  const sel = logs(runLibrary(priorities).sim.trace.records()).find((r) => r.event === '+selected-slave')!;
  return { t: sel.t, leader: sel.node };
}

async function shoot(browser: Browser, url: string, t: number, select: string, out: string, clip: string[], viewport = { width: 1440, height: 1000 }): Promise<void> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}&t=${t}`);
  await page.waitForSelector('body[data-load="done"]', { timeout: 60_000 });
  await page.evaluate((x) => (window as unknown as { sentinelSim: { seek(t: number): void } }).sentinelSim.seek(x), t);
  await page.locator(`g.node[data-node="${select}"] path.shape`).click();
  await page.keyboard.press('Escape');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(0, 0);
  await page.waitForTimeout(600);
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  // the stage (with the controls above it) and the reasoning panel beside it
  const boxes = await Promise.all(clip.map((sel) => page.locator(sel).boundingBox()));
  const x = Math.min(...boxes.map((b) => b!.x));
  const y = Math.min(...boxes.map((b) => b!.y));
  const w = Math.max(...boxes.map((b) => b!.x + b!.width)) - x;
  const h = Math.max(...boxes.map((b) => b!.y + b!.height)) - y;
  await page.screenshot({ path: out, clip: { x, y, width: w, height: h }, fullPage: true });
  await page.close();
}

if (!hasChromium) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium; no browser is downloaded)`);
const e = electionInstant();
const s = selectionInstant();
const srv = await buildAndServe();
const browser = await launch();
try {
  await shoot(browser, `${srv.url}?scenario=tutorial-failover&seed=1`, e.t, e.candidate, join(IMG, 'viewer-election.png'), ['.controls', '.stage-box', '.reasoning-box']);
  console.log(`docs/img/viewer-election.png: tutorial-failover seed 1 at t=${e.t} µs (candidate ${e.candidate})`);
  await shoot(browser, `${srv.url}?scenario=tutorial-failover&seed=1`, e.t, e.candidate, join(IMG, 'viewer-phone.png'), ['.stage-box'], { width: 390, height: 844 });
  console.log(`docs/img/viewer-phone.png: tutorial-failover seed 1 at t=${e.t} µs, 390 px wide`);
  await shoot(browser, `${srv.url}?scenario=priorities&seed=1`, s.t, s.leader, join(IMG, 'viewer-selection.png'), ['.controls', '.stage-box', '.reasoning-box']);
  console.log(`docs/img/viewer-selection.png: priorities seed 1 at t=${s.t} µs (leader ${s.leader})`);
} finally {
  await browser.close();
  await srv.close();
  rmSync(srv.dist, { recursive: true, force: true });
}
