// Issue 15 items 2 and 9 in real Chromium: the tally of an election of the tutorial failover on the stage and
// in the panel ("3/3 votes, needs 2", then +elected-leader), the vote arrows, the sdown timer bar, the
// replica-selection panel of the priorities scenario (every replica, the deciding rule), and the guided tour
// stepped through and skipped with the keyboard only.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LogRecord, TraceRecord } from '../../engine/trace/types.ts';
import { runInChromium, useChromium } from './browser.ts';
import { frames, openPage, playhead, seek } from './pages.ts';

/** The live session's log records (the run the page made). */
const pageLogs = async (page: Page): Promise<LogRecord[]> =>
  (await page.evaluate(() => (window as unknown as { sentinelSim: { session: { records: TraceRecord[] } } }).sentinelSim.session.records.filter((r) => r.k === 'log'))) as LogRecord[];

/** axe-core's source, when installed (the a11y suite's rule: AXE_CORE_PATH or node_modules/axe-core). */
function axeSource(): string | null {
  const candidates = process.env.AXE_CORE_PATH ? [process.env.AXE_CORE_PATH] : [];
  try {
    candidates.push(createRequire(import.meta.url).resolve('axe-core/axe.min.js'));
  } catch {
    /* not installed */
  }
  const hit = candidates.find((p) => existsSync(p));
  return hit ? readFileSync(hit, 'utf8') : null;
}

async function loaded(page: Page): Promise<void> {
  await page.waitForSelector('body[data-load="done"]', { timeout: 60_000 });
}

/** Seek and wait for the frames drawn at that instant (a fixed sleep is not enough on a loaded machine). */
async function at(page: Page, t: number): Promise<void> {
  await seek(page, t);
  await page.waitForFunction((x) => (window as unknown as { sentinelSim: { player: { t: number } } }).sentinelSim.player.t === x, t);
  await frames(page, 3);
}

describe.runIf(runInChromium)("Sentinel's reasoning in Chromium", () => {
  const chromium = useChromium();

  it('an election of the tutorial failover: the tally against what is needed, the votes as arrows, the result', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    await loaded(page);
    const logs = await pageLogs(page);
    const tryF = logs.find((r) => r.event === '+try-failover')!;
    const elected = logs.find((r) => r.event === '+elected-leader')!;
    const heard = logs.filter((r) => r.node === tryF.node && / voted for /.test(r.line));
    // at +try-failover: its own vote only
    await at(page, tryF.t);
    const tally = page.locator(`.tally-box text.tally[data-candidate="${tryF.node}"]`);
    expect(await tally.locator('.tally-head').textContent()).toBe(`election, epoch 8395: ${tryF.node}`);
    expect(await tally.locator('.tally-count').textContent()).toBe('1/3 votes, needs 2');
    expect(await tally.locator('.tally-result').textContent()).toBe('counting…');
    // +odown #quorum k/q as it formed, in the panel
    expect(await page.locator(`.odown-forming li[data-sentinel="${tryF.node}"]`).textContent()).toBe(`${tryF.node}: TestMaster +odown #quorum 1/1`);
    // every vote heard: 3/3, two green arrows to the candidate, requests drawn from it
    await at(page, heard[heard.length - 1].t);
    expect(await tally.locator('.tally-count').textContent()).toBe('3/3 votes, needs 2');
    expect(await page.locator(`line.vote-arrow.granted[data-to="${tryF.node}"]`).count()).toBe(2);
    expect(await page.locator(`line.vote-arrow.request[data-from="${tryF.node}"]`).count()).toBe(2);
    expect(await page.locator('.reasoning-box .tally-line').textContent()).toBe('3/3 votes, needs 2 = max(quorum 1, majority 2 of 3 Sentinels) → counting…');
    expect(await page.locator('.reasoning-box ul.votes li[data-vote="granted"]').count()).toBe(3);
    // the result as the candidate logs it
    await at(page, elected.t);
    expect(await tally.getAttribute('data-result')).toBe('elected');
    expect(await tally.locator('.tally-result').textContent()).toBe('+elected-leader');
    expect(await page.locator('.reasoning-box .tally-line').textContent()).toBe('3/3 votes, needs 2 = max(quorum 1, majority 2 of 3 Sentinels) → +elected-leader');
    // the election timeout arc around the candidate became the failover-timeout arc
    expect(await page.locator(`g.countdown[data-sentinel="${tryF.node}"]`).getAttribute('data-kind')).toBe('failover');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('the sdown timer: the bar from the Sentinel to the dead master is full and vermillion at +sdown', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    await loaded(page);
    const sd = (await pageLogs(page)).find((r) => r.event === '+sdown' && / master /.test(r.line))!;
    const bar = page.locator(`g.down-timer[data-sentinel="${sd.node}"][data-instance="127.0.0.1:7003"]`);
    await at(page, sd.t - 300_000);
    expect(await bar.getAttribute('class')).not.toContain('sdown');
    const before = Number(await bar.getAttribute('data-elapsed-ms'));
    expect(before).toBeGreaterThan(1000);
    expect(before).toBeLessThan(1500);
    await at(page, sd.t);
    expect(await bar.getAttribute('class')).toContain('sdown');
    expect(Number(await bar.getAttribute('data-elapsed-ms'))).toBeGreaterThan(Number(await bar.getAttribute('data-down-after-ms')));
    // the inspector of that Sentinel says the same in words
    await page.locator(`g.node[data-node="${sd.node}"] path.shape`).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.inspector-timers').textContent()).toMatch(/127\.0\.0\.1:7003 {2}PING unanswered for 1\.5\d\d s \/ down-after 1\.500 s \(10\d%\) {2}→ sdown/);
    await page.close();
  });

  it('the replica-selection panel: every replica, the criteria in Redis order, the rule that decided', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=priorities`);
    await loaded(page);
    const sel = (await pageLogs(page)).find((r) => r.event === '+selected-slave')!;
    await at(page, sel.t - 1);
    expect(await page.locator('.selection-panel table').count()).toBe(0);
    await at(page, sel.t);
    const panel = page.locator('.selection-panel');
    expect(await panel.locator('thead th').allTextContents()).toEqual(['replica', '1 filters', '2 priority', '3 offset', '4 run id', 'verdict']);
    expect(await panel.locator('thead th.decided').textContent()).toBe('2 priority');
    const rows = await panel.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows.map((r) => [r[0], r[1], r[2], r[5]])).toEqual([
      ['127.0.0.1:6381', 'ok', '10', 'chosen'],
      ['127.0.0.1:6382', 'ok', '50', '#2'],
      ['127.0.0.1:6380', 'priority 0', '0', 'out'],
    ]);
    expect(await panel.locator('.decided-by').getAttribute('data-rule')).toBe('priority');
    expect(await panel.locator('.decided-by').textContent()).toBe('Decided by: replica-priority — 127.0.0.1:6381 wins on lower replica-priority (10 < 50 of 127.0.0.1:6382).');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('the guided tour: opened, stepped through and back, and skipped with the keyboard only', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    await loaded(page);
    const logs = await pageLogs(page);
    await page.locator('#tour-start').focus();
    await page.keyboard.press('Enter');
    const dlg = page.locator('dialog#tour');
    await dlg.waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tour-next');
    expect(await page.locator('#tour-title').textContent()).toBe('Sentinels watch the master');
    expect(await page.locator('#tour-caption').textContent()).toContain('down-after-milliseconds (1500 ms)');
    const titles = [await page.locator('#tour-title').textContent()];
    const times = [await playhead(page)];
    for (let i = 0; i < 20 && (await dlg.isVisible()); i++) {
      const n = await page.locator('#tour-next').textContent();
      if (n === 'finish') break;
      await page.keyboard.press('ArrowRight');
      titles.push(await page.locator('#tour-title').textContent());
      times.push(await playhead(page));
    }
    expect(titles).toEqual(['Sentinels watch the master', 'The master dies', 'Subjectively down', 'Objectively down', 'An election', 'Votes come back', 'Elected', 'Choosing a replica', 'Promoted', 'The switch', 'The old master returns', 'Converted']);
    // each step puts the playhead on its event
    expect(times[2]).toBe(logs.find((r) => r.event === '+sdown' && / master /.test(r.line))!.t);
    expect(times[6]).toBe(logs.find((r) => r.event === '+elected-leader')!.t);
    expect(times[11]).toBe(logs.find((r) => r.event === '+convert-to-slave')!.t);
    expect(await page.locator('#tour-count, .tour-count').first().textContent()).toMatch(/^12 \/ 12 · /);
    // back with ←; the stage shows the election's tally at that step
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
    expect(await page.locator('#tour-title').textContent()).toBe('Votes come back');
    await expect.poll(() => page.locator('.tally-box .tally-count').first().textContent()).toBe('3/3 votes, needs 2');
    // Escape skips: the dialog closes, focus returns to the tour button, the player keys work again
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tour-start');
    const t0 = await playhead(page);
    await page.locator('#tour-start').blur();
    await page.keyboard.press('ArrowRight');
    expect(await playhead(page)).toBeGreaterThan(t0);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  const axe = axeSource();
  it.runIf(axe !== null)('?tour opens the tour; axe-core finds no serious or critical violation in the tour, the reasoning panel and the timers', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover&tour`);
    await page.locator('dialog#tour').waitFor({ state: 'visible', timeout: 60_000 });
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
    expect(await page.locator('#tour-title').textContent()).toBe('Choosing a replica');
    // the panels redraw at most every 120 ms: wait for the selection table of this milestone
    await page.locator('.selection-panel tbody tr').first().waitFor({ state: 'attached', timeout: 10_000 });
    expect(await page.locator('.selection-panel tbody tr').count()).toBe(1);
    const leader = (await pageLogs(page)).find((r) => r.event === '+selected-slave')!.node;
    await page.locator(`g.node[data-node="${leader}"] path.shape`).click();
    await page.keyboard.press('Escape');
    // the inspector shows the selected node from the next frame on
    await frames(page);
    await page.addScriptTag({ content: axe! });
    const found = await page.evaluate(async () => {
      const r = await (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(
        { include: [['dialog#tour'], ['.reasoning-box'], ['.inspector']] },
        { resultTypes: ['violations'] },
      );
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(found).toEqual([]);
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
