// Issue 18 item 6 in real Chromium: an application host (s.app) in the web replay. The trace is a real run of
// the ioredis example (scenarios/apps/ioredis-tutorial-failover.ts, seed 1: ioredis in Sentinel mode writing
// every 10 ms through the tutorial failover) written by the CLI; the page shows the app as a node of its own,
// its commands as messages from it, and the master it believes in as a lane on the timeline.
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInChromium, useChromium } from './browser.ts';
import { node, openPage, seek } from './pages.ts';

const APP = '10.0.0.9:0';

type Sim = {
  store: { dotsAt(t: number, o: object): { from: string | null; to: string | null; kind: string }[] };
  drawnDots(): { kind: string }[];
  player: { t: number };
};

describe.runIf(runInChromium)('application hosts in the replay (Chromium)', () => {
  const chromium = useChromium();
  beforeAll(async () => {
    // the example's trace, as `sentinel-sim run --trace` writes it (the guest runtime runs only in Node);
    // VIZ_APP_TRACE names one already written (working on the page without re-running the example)
    const trace = join(chromium.srv.dist, 'app.json');
    if (process.env.VIZ_APP_TRACE) return copyFileSync(process.env.VIZ_APP_TRACE, trace);
    await promisify(execFile)(process.execPath, ['bin/sentinel-sim.js', 'run', 'scenarios/apps/ioredis-tutorial-failover.ts', '--quiet', '--trace', trace], { timeout: 240_000 });
  }, 250_000);

  it('the app is a node with its view; its commands fly from it; its beliefs are a lane; axe-core finds nothing serious', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?trace=app.json`);
    await page.waitForFunction(() => /verified/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 60_000 });
    await seek(page, 5_000_000);
    // the node: a rounded square labelled with the app's name and IP, in a host box of its own? (the tutorial's
    // hosts share 127.0.0.1: a ring) — its label says what it believes and what it last sent
    const app = node(page, APP);
    const label = async () => (await app.locator('text.label').getAttribute('data-text'))!.split('\n');
    // (the seek is drawn on the next frame)
    await page.waitForFunction((n) => /believes master 127\.0\.0\.1:7003/.test(document.querySelector(`g.node[data-node="${n}"] text.label`)?.getAttribute('data-text') ?? ''), APP);
    expect(await app.getAttribute('data-kind')).toBe('client');
    expect(await app.locator('text.glyph').textContent()).toBe('A');
    const at5 = await label();
    expect(at5[0]).toBe('app web-1 10.0.0.9');
    expect(at5[1]).toMatch(/^believes master 127\.0\.0\.1:7003 · [1-9]\d* conns?$/);
    expect(at5[2]).toMatch(/^→ 127\.0\.0\.1:7003 sadd writes \d+$/);
    expect(at5[3]).toMatch(/^← :1$/);
    // its commands are messages from its node to the master (the canvas draws them as client traffic)
    const dots = await page.evaluate(() => {
      const s = (window as unknown as { sentinelSim: Sim }).sentinelSim;
      return { model: s.store.dotsAt(s.player.t, { minVisibleUs: 300_000 }).filter((d) => d.kind === 'app'), drawn: s.drawnDots().filter((d) => d.kind === 'app').length };
    });
    expect(dots.model.length).toBeGreaterThan(0);
    for (const d of dots.model) expect(d.from).toBe(APP);
    expect(dots.model.some((d) => d.to === '127.0.0.1:7003')).toBe(true);
    expect(dots.drawn).toBeGreaterThan(0);
    // the lane: no master, then 7003 (discovered through the Sentinels), none after the kill, then 8003
    // (the timeline takes the whole file's data in a task of its own, at most 300 ms after the last chunk)
    const lane = () => page.evaluate((n) => [...document.querySelectorAll(`svg.timeline g.app-lanes g.lane-seg[data-node="${n}"]`)].map((g) => g.getAttribute('data-master')), APP);
    await expect.poll(lane).toEqual(['', '127.0.0.1:7003', '', '127.0.0.1:8003']);
    const laneText = await page.locator('svg.timeline g.app-lanes').getAttribute('aria-label');
    expect(laneText).toMatch(/^web-1 believes: 127\.0\.0\.1:7003 from 00:00:00\.\d+, none from 00:00:10\.\d+, 127\.0\.0\.1:8003 from 00:00:13\.\d+$/);
    // every lane segment sits under the focus axis, inside the SVG, and the segment under the playhead is 7003
    const seg = await page.evaluate((n) => {
      const svg = document.querySelector('svg.timeline')!.getBoundingClientRect();
      const segs = [...document.querySelectorAll(`g.lane-seg[data-node="${n}"] rect`)].map((r) => r.getBoundingClientRect());
      const head = document.querySelector('.playhead-bar')!.getBoundingClientRect();
      const under = [...document.querySelectorAll(`g.lane-seg[data-node="${n}"]`)].find((g) => {
        const r = g.querySelector('rect')!.getBoundingClientRect();
        return r.left <= head.left + 1 && r.right >= head.left - 1;
      });
      return { inside: segs.every((r) => r.bottom <= svg.bottom && r.top >= svg.top), under: under?.getAttribute('data-master'), headBottom: head.bottom, laneBottom: Math.max(...segs.map((r) => r.bottom)) };
    }, APP);
    expect(seg.inside).toBe(true);
    expect(seg.under).toBe('127.0.0.1:7003');
    expect(seg.headBottom).toBeGreaterThanOrEqual(seg.laneBottom - 1);
    // after the kill of 7003 the app believes in none (its log line says so), then in 8003
    await seek(page, 11_000_000);
    await page.waitForFunction((n) => /believes master none/.test(document.querySelector(`g.node[data-node="${n}"] text.label`)?.getAttribute('data-text') ?? ''), APP);
    expect(await page.locator('.log-lines li', { hasText: 'app 10.0.0.9:0 believes the master is none' }).count()).toBeGreaterThan(0);
    await seek(page, 30_000_000);
    await page.waitForFunction((n) => /believes master 127\.0\.0\.1:8003/.test(document.querySelector(`g.node[data-node="${n}"] text.label`)?.getAttribute('data-text') ?? ''), APP);
    expect((await label())[2]).toMatch(/^→ 127\.0\.0\.1:8003 sadd writes \d+$/);
    // the inspector of the app
    await app.locator('path.shape').click();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => /believes_master:127\.0\.0\.1:8003/.test(document.querySelector('.inspector')?.textContent ?? ''));
    expect(await page.locator('.inspector').textContent()).toMatch(/last_command:00:00:\d\d\.\d+ to 127\.0\.0\.1:8003: sadd writes \d+/);
    await page.screenshot({ path: 'artifacts/viz/app-host.png' });
    // axe-core over the page with the app's node and lane
    const axe = (() => {
      try {
        return readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
      } catch {
        return null;
      }
    })();
    if (axe) {
      await page.addScriptTag({ content: axe });
      const bad = await page.evaluate(async () => {
        const r = await (window as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run({ resultTypes: ['violations'] });
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      });
      expect(bad).toEqual([]);
    } else if (process.env.CI === 'true') throw new Error('axe-core is a devDependency: it must be installed in CI');
    expect(page.errors).toEqual([]);
    await page.close();
  }, 180_000);
});
