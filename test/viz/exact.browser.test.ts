// Issue 15, item 3 in real Chromium: the inspector shows the exact event under the playhead — a write's key
// count and offset at its reply, not at the next keyframe; stepping back one event undoes it; a trace file
// (which has offsets only at keyframes) says which keyframe its numbers come from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import tutorial from '../../scenarios/tutorial-failover.ts';
import { canonicalJson } from '../../engine/trace/canonical.ts';
import { runInChromium, useChromium } from './browser.ts';
import { command, node, openPage, playhead, seek } from './pages.ts';
import { runLibrary } from './support.ts';

const field = async (page: Page, name: string) => {
  const text = (await page.locator('.inspector pre').textContent()) ?? '';
  return text.split('\n').find((l) => l.startsWith(`${name}:`)) ?? '';
};

describe.runIf(runInChromium)('exact state in Chromium', () => {
  const chromium = useChromium();

  async function inspect(page: Page, name: string): Promise<void> {
    await node(page, name).locator('path.shape').click();
    await page.keyboard.press('Escape');
  }

  it('live: a write shows in keys and offset at its reply; one event back it is not there yet', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    await page.keyboard.press('End');
    await inspect(page, '127.0.0.1:8003');
    await expect.poll(() => field(page, 'keys')).toBe('keys:1   (all dbs)');
    const off0 = Number((await field(page, 'master_repl_offset')).split(':')[1]);
    await command(page, '127.0.0.1:8003', 'SET fresh 1');
    const t = await playhead(page);
    expect(t % 1_000_000).not.toBe(0);
    await expect.poll(() => field(page, 'keys')).toBe('keys:2   (all dbs)');
    const off1 = Number((await field(page, 'master_repl_offset')).split(':')[1]);
    expect(off1).toBeGreaterThan(off0);
    expect(await page.locator('.inspector pre').textContent()).not.toContain('keyframe');
    // the event before the reply (the command's note): the key is not there yet
    await page.locator('#step-back').click();
    expect(await playhead(page)).toBeLessThan(t);
    // the panels are redrawn on the next animation frame, which a loaded machine can delay (CI: read before it)
    await expect.poll(() => field(page, 'keys')).toBe('keys:1   (all dbs)');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('live: the promoted replica is a master from the event it says so, between keyframes', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    const recs = await page.evaluate(() =>
      (window as unknown as { sentinelSim: { session: { records: { t: number; k: string; node?: string; line?: string }[] } } }).sentinelSim.session.records
        .filter((r) => r.k === 'log' && r.node === '127.0.0.1:8003' && /MASTER MODE enabled/.test(r.line ?? ''))
        .map((r) => r.t),
    );
    const tm = recs[0];
    expect(tm % 1_000_000).not.toBe(0);
    await seek(page, tm - 1);
    await inspect(page, '127.0.0.1:8003');
    await expect.poll(() => field(page, 'role')).toBe('role:slave');
    await seek(page, tm);
    await page.waitForFunction(() => /role:master/.test(document.querySelector('.inspector pre')?.textContent ?? ''));
    expect(await node(page, '127.0.0.1:8003').getAttribute('data-role')).toBe('master');
    await page.close();
  });

  it('a trace file: offsets and keys name the keyframe they come from', async () => {
    const doc = runLibrary(tutorial).sim.trace.document();
    const dir = join(tmpdir(), `viz-exact-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'tutorial.trace.json');
    writeFileSync(file, `{"header":${canonicalJson(doc.header)},\n"records":[\n${doc.records.map((r) => canonicalJson(r)).join(',\n')}\n],\n"sha256":"${doc.sha256}"}\n`);
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    await page.locator('#trace-file').setInputFiles(file);
    await page.waitForFunction(() => /verified/.test(document.querySelector('#status')?.textContent ?? ''));
    await seek(page, 12_570_500);
    await inspect(page, '127.0.0.1:8003');
    await expect.poll(() => field(page, 'master_repl_offset')).toMatch(/^master_repl_offset:\d+   \(as of the keyframe at 00:00:12\.000\)$/);
    await page.close();
  });
});
