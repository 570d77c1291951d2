// Issue 15, item 1 (forks as a tree) in real Chromium: every action at the playhead's instant; acting while
// scrubbed back forks a branch that keeps the earlier actions; branches listed and switchable; a branch
// exported as a scenario file that `sentinel-sim run` replays to the page's hash, and as a link.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInChromium, useChromium } from './browser.ts';
import { faults, head, idle, nodeAction, openPage, plan, seek } from './pages.ts';

const ROOT = resolve('.');

describe.runIf(runInChromium)('branches in Chromium', () => {
  const chromium = useChromium();

  it('kill at t1, partition at t2 after scrubbing back, restart at t3: the branch holds all three; its file replays to the same hash; its link reopens it', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover&seed=1`);
    const t1 = 3_000_000;
    const t2 = 5_000_000;
    const t3 = 7_000_000;
    const S1 = '127.0.0.1:26371';
    // t1: scrubbed back into the script (which ran to 36 s): a branch that cuts the script at t1
    await seek(page, t1);
    await nodeAction(page, S1, 'crash (kill -9)');
    expect(await page.locator('#status').textContent()).toBe(`forked b1 at 00:00:03.000: kill ${S1} at 00:00:03.000`);
    // play on to 8 s (the engine runs live), then scrub back to t2 and partition 7003's host from the others
    await seek(page, 8_000_000);
    expect(await head(page)).toBe(8_000_000);
    await seek(page, t2);
    await nodeAction(page, '127.0.0.1:7003', 'partition: this host | the others');
    expect(await page.locator('#status').textContent()).toMatch(/^forked b2 at 00:00:05\.000: partition 127\.0\.0\.1:7003 \| /);
    // t3: past the head of b2, the same branch
    await seek(page, t3);
    await nodeAction(page, S1, 'restart');
    expect(await page.locator('#status').textContent()).toBe(`restart ${S1} at 00:00:07.000`);
    const p = await plan(page);
    expect(p.cut).toBe(t1);
    expect(p.actions.map((a) => `${a.t} ${a.op}`)).toEqual([`${t1} kill`, `${t2} partition`, `${t3} restart`]);
    await seek(page, 20_000_000);
    const fs = await faults(page);
    expect(fs).toEqual([`${t1} kill ${S1}`, `${t2} partition`, `${t3} restart ${S1}`]);
    // the tree: main, b1 under it, b2 under b1 (current)
    const items = page.locator('.branch-list li');
    expect(await items.allTextContents()).toEqual(['main · 0 actions', 'b1 · forked at 00:00:03.000 · 1 action', 'b2 · forked at 00:00:05.000 · 3 actions']);
    expect(await page.locator('.branch-list button[aria-current="true"]').textContent()).toMatch(/^b2/);
    const pads = await items.evaluateAll((els) => els.map((e) => (e as HTMLElement).style.paddingLeft));
    expect(pads).toEqual(['0px', '14px', '28px']);
    expect(await page.locator('.branch-actions button').allTextContents()).toEqual([
      `00:00:03.000 kill ${S1}`,
      expect.stringMatching(/^00:00:05\.000 partition 127\.0\.0\.1:7003 \| /),
      `00:00:07.000 restart ${S1}`,
    ]);
    await page.screenshot({ path: 'artifacts/viz/branches.png' });

    // export: the scenario file, importing from this clone; sentinel-sim run replays it to the page's hash
    await page.locator('#export-branch').click();
    await page.locator('#export-from').fill(ROOT);
    await page.locator('#export-from').dispatchEvent('change');
    await page.waitForFunction((root) => (document.querySelector('#export-text') as HTMLTextAreaElement).value.includes(root), ROOT);
    const text = await page.locator('#export-text').inputValue();
    const pageHash = (await page.locator('#export-hash').getAttribute('data-sha256'))!;
    expect(pageHash).toMatch(/^[0-9a-f]{64}$/);
    expect(text).toContain(`const CUT: number | null = ${t1};`);
    expect(text).toContain('const END = 20000000;');
    const dir = mkdtempSync(join(tmpdir(), 'viz-branch-'));
    const file = join(dir, 'branch.ts');
    writeFileSync(file, text);
    const out = execFileSync(process.execPath, ['bin/sentinel-sim.js', 'run', file, '--format', 'summary'], { encoding: 'utf8' });
    expect(out).toContain('=== summary: tutorial-failover-branch (seed 1), ended at 00:00:20.000');
    expect(/trace sha256 ([0-9a-f]{64})/.exec(out)?.[1]).toBe(pageHash);
    await page.locator('#export-close').click();

    // the link: the same branch in a fresh page
    const url = await page.evaluate(() => (window as unknown as { sentinelSim: { branchUrl(): string } }).sentinelSim.branchUrl());
    expect(text).toContain(`// In the web replay: ${url}`);
    const other = await openPage(chromium.browser, url);
    expect(await plan(other)).toEqual(p);
    expect(await head(other)).toBe(20_000_000);
    expect(await faults(other)).toEqual(fs);
    const count = (pg: typeof page) => pg.evaluate(() => (window as unknown as { sentinelSim: { session: { records: unknown[] } } }).sentinelSim.session.records.length);
    expect(await count(other)).toBe(await count(page));
    expect(other.errors).toEqual([]);
    await other.close();

    // switching: main has the script's own faults and none of the branch's; back to b2, rebuilt the same
    await page.locator('.branch-list button', { hasText: /^main/ }).click();
    await idle(page);
    expect((await faults(page)).some((f) => f.includes(S1))).toBe(false);
    expect(await faults(page)).toContainEqual(expect.stringMatching(/ kill 127\.0\.0\.1:7003$/));
    await page.locator('.branch-list button', { hasText: /^b1/ }).click();
    await idle(page);
    expect(await plan(page)).toEqual({ scenario: 'tutorial-failover', seed: '1', cut: t1, actions: [p.actions[0]] });
    await page.locator('.branch-list button', { hasText: /^b2/ }).click();
    await idle(page);
    expect(await faults(page)).toEqual(fs);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('played past the head, paused, acted: the same branch (the engine ran ahead of the playhead), the action at the paused instant', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    await page.waitForSelector('body[data-load="done"]', { timeout: 60_000 });
    await page.keyboard.press('End');
    const end = await head(page);
    // play at 10× for a moment: the worker runs ahead of the playhead
    await page.evaluate(() => {
      const p = (window as unknown as { sentinelSim: { player: { setSpeed(s: number): void; play(): void } } }).sentinelSim.player;
      p.setSpeed(10);
      p.play();
    });
    await page.waitForFunction((e) => (window as unknown as { sentinelSim: { player: { t: number } } }).sentinelSim.player.t > e + 2_000_000, end, { timeout: 30_000 });
    await page.keyboard.press('Space');
    await idle(page);
    const t = await page.evaluate(() => (window as unknown as { sentinelSim: { player: { t: number } } }).sentinelSim.player.t);
    expect(await head(page)).toBeGreaterThan(t);
    await nodeAction(page, '127.0.0.1:8003', 'crash (kill -9)');
    expect(await page.locator('.branch-list li').count()).toBe(1);
    const p = await plan(page);
    expect(p.actions.map((a) => `${a.t} ${a.op}`)).toEqual([`${Math.round(t)} kill`]);
    expect(await page.locator('#status').textContent()).toMatch(/^kill 127\.0\.0\.1:8003 at \d\d:\d\d:\d\d\.\d{3}$/);
    expect(await faults(page)).toContain(`${Math.round(t)} kill 127.0.0.1:8003`);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('a command at the head does not fork: the next action is applied right after its reply, in the same branch', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    await page.keyboard.press('End');
    const end = await head(page);
    await page.locator('#client-node').selectOption('127.0.0.1:8003');
    await page.locator('#client-cmd').fill('SET k v');
    await page.locator('#client-cmd').press('Enter');
    await page.waitForSelector('.client-out li.entry');
    // the playhead follows the reply; the kill right after is in the same branch
    expect(await head(page)).toBeGreaterThan(end);
    await nodeAction(page, '127.0.0.1:8003', 'crash (kill -9)');
    expect(await page.locator('.branch-list li').count()).toBe(1);
    const p = await plan(page);
    expect(p.actions.map((a) => a.op)).toEqual(['exec', 'kill']);
    expect(p.actions[0].t).toBe(end);
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
