// The web replay in real Chromium (issue: browser tests): the tutorial failover played to its end, scrubbing,
// a crash by clicking, opening trace files. Screenshots go to artifacts/viz/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import tutorial from '../../scenarios/tutorial-failover.ts';
import { canonicalJson } from '../../engine/trace/canonical.ts';
import { hasChromium, runInChromium, useChromium } from './browser.ts';
import { frames } from './pages.ts';
import { runLibrary } from './support.ts';

const ARTIFACTS = resolve('artifacts/viz');

describe.runIf(runInChromium)('web replay in Chromium', () => {
  const run = runLibrary(tutorial);
  const doc = run.sim.trace.document();
  const traceText = `{"header":${canonicalJson(doc.header)},\n"records":[\n${doc.records.map((r) => canonicalJson(r)).join(',\n')}\n],\n"sha256":"${doc.sha256}"}\n`;
  const switchT = doc.records.find((r) => r.k === 'log' && r.event === '+switch-master')!.t;

  const chromium = useChromium({
    before() {
      if (!hasChromium) throw new Error('chromium is not installed (/usr/bin/chromium): .ci/run installs it with apt-get');
      mkdirSync(ARTIFACTS, { recursive: true });
    },
  });

  async function open(query: string, viewport = { width: 1280, height: 720 }): Promise<Page> {
    const page = await chromium.browser.newPage({ viewport });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${chromium.srv.url}${query}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    // ready before drawn: the stage and the panels come on the next animation frames
    await frames(page, 6);
    expect(errors).toEqual([]);
    return page;
  }
  const t = (page: Page) => page.evaluate(() => (window as unknown as { sentinelSim: { player: { t: number } } }).sentinelSim.player.t);
  const node = (page: Page, port: string) => page.locator(`g.node[data-node="127.0.0.1:${port}"]`);

  it('plays the tutorial to the failover: 8003 is drawn as master, the epoch is the trace\'s', async () => {
    const page = await open('?scenario=tutorial-failover&seed=1');
    await expect(node(page, '7003').getAttribute('data-role')).resolves.toBe('master');
    // play at 10× until past the switch
    await page.locator('#speed').fill('1');
    await page.keyboard.press('Space');
    await page.waitForFunction((sw) => (window as unknown as { sentinelSim: { player: { t: number } } }).sentinelSim.player.t > sw + 500_000, switchT, { timeout: 20_000 });
    await page.keyboard.press('Space');
    // paused: the next frame draws the stage and the panels at the playhead
    await frames(page);
    expect(await node(page, '8003').getAttribute('data-role')).toBe('master');
    expect(await node(page, '8003').locator('path.shape').getAttribute('data-fill')).toBe('#0072B2');
    const restartT = doc.records.find((r) => r.k === 'fault' && r.fault === 'restart')!.t;
    expect(await node(page, '7003').getAttribute('data-proc')).toBe((await t(page)) < restartT ? 'stopped' : 'running');
    const epoch = run.report.summary.currentEpochs['127.0.0.1:26371'];
    expect(epoch).toBe(8395);
    expect(await page.locator('#epoch-badge').getAttribute('data-epoch')).toBe(String(epoch));
    for (const p of ['26371', '26372', '26373']) await expect(node(page, p).locator('text.label').textContent()).resolves.toContain(`epoch ${epoch}`);
    await page.screenshot({ path: join(ARTIFACTS, 'tutorial-after-failover.png') });
    await page.close();
  });

  it('scrubs back before the kill and forward again on the timeline', async () => {
    const page = await open('?scenario=tutorial-failover');
    const bg = page.locator('rect.focus-bg');
    const box = (await bg.boundingBox())!;
    const end = doc.records[doc.records.length - 1].t;
    const clickAt = async (us: number) => {
      await bg.click({ position: { x: (us / end) * box.width, y: 10 } });
    };
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.querySelector('#master-badge')?.getAttribute('data-masters') === '127.0.0.1:8003');
    await clickAt(5_000_000);
    await page.waitForFunction(() => document.querySelector('#master-badge')?.getAttribute('data-masters') === '127.0.0.1:7003');
    expect(Math.abs((await t(page)) - 5_000_000)).toBeLessThan(end / 200);
    expect(await node(page, '8003').getAttribute('data-role')).toBe('slave');
    expect(await page.locator('#epoch-badge').getAttribute('data-epoch')).toBe('8394');
    await page.screenshot({ path: join(ARTIFACTS, 'tutorial-scrubbed-back.png') });
    await clickAt(switchT + 2_000_000);
    await page.waitForFunction(() => document.querySelector('#master-badge')?.getAttribute('data-masters') === '127.0.0.1:8003');
    expect(await page.locator('#epoch-badge').getAttribute('data-epoch')).toBe('8395');
    // the log follows the playhead; clicking a line jumps there
    const line = page.locator('.log-lines li', { hasText: '+elected-leader' }).first();
    const tl = Number(await line.getAttribute('data-t'));
    await line.click();
    expect(await t(page)).toBe(tl);
    await page.close();
  });

  it('crashes a node by clicking it and shows +sdown in the log', async () => {
    const page = await open('?scenario=tutorial-failover');
    await page.keyboard.press('End');
    await node(page, '8003').locator('path.shape').click();
    await page.locator('.action-menu button[data-action="crash (kill -9)"]').click();
    await page.waitForFunction(() => document.querySelector('g.node[data-node="127.0.0.1:8003"]')?.getAttribute('data-proc') === 'stopped');
    await page.locator('.log-filters input').fill('+sdown');
    await page.locator('#speed').fill('1');
    await page.keyboard.press('Space');
    await page.locator('.log-lines li', { hasText: '+sdown master TestMaster 127.0.0.1 8003' }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Space');
    expect(await page.locator('.log-lines li', { hasText: '*** ' }).count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'live-crash-8003.png') });
    // crashing while scrubbed back forks the timeline there: the kill is recorded as a fault at that instant
    await page.locator('.log-filters input').fill('');
    await page.evaluate(() => (window as unknown as { sentinelSim: { seek(t: number): void } }).sentinelSim.seek(3_000_000));
    await node(page, '26371').locator('path.shape').click();
    await page.locator('.action-menu button[data-action="crash (kill -9)"]').click();
    // the fork runs in its worker: its status comes when it is done
    await page.waitForFunction(() => (document.querySelector('#status')?.textContent ?? '').includes('forked b1 at 00:00:03.000: kill 127.0.0.1:26371'), undefined, { timeout: 30_000 });
    await page.locator('.log-lines li', { hasText: 'fault kill 127.0.0.1:26371' }).first().waitFor();
    await expect.poll(() => node(page, '26371').getAttribute('data-proc')).toBe('stopped');
    await expect.poll(() => node(page, '7003').getAttribute('data-proc')).toBe('running');
    await page.close();
  });

  it('opens a trace file written by run --trace, and names a bad file', async () => {
    const dir = join(tmpdir(), `viz-trace-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const good = join(dir, 'tutorial.trace.json');
    const bad = join(dir, 'bad.json');
    writeFileSync(good, traceText);
    writeFileSync(bad, traceText.slice(0, 5000));
    const page = await open('?scenario=tutorial-failover');
    await page.locator('#trace-file').setInputFiles(good);
    await page.waitForFunction(() => /verified/.test(document.querySelector('#status')?.textContent ?? ''));
    expect(await page.evaluate(() => document.body.dataset.source)).toBe('file');
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.querySelector('#master-badge')?.getAttribute('data-masters') === '127.0.0.1:8003');
    // the timeline takes a grown store's marks in a task of its own (at most every 300 ms)
    await expect.poll(() => page.locator('g.mark[data-kind="election"] text').first().textContent()).toBe('e8395');
    await page.locator('#trace-file').setInputFiles(bad);
    await page.waitForFunction(() => !(document.querySelector('#error') as HTMLElement).hidden);
    expect(await page.locator('#error').textContent()).toMatch(/bad\.json is not a complete sentinel-sim trace: the file ends early/);
    await page.screenshot({ path: join(ARTIFACTS, 'trace-file.png') });
    await page.close();
  });

  it('fits a phone-sized viewport without horizontal scrolling', async () => {
    const page = await open('?scenario=tutorial-failover&t=12000000', { width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'phone.png'), fullPage: true });
    await page.close();
  });
});
