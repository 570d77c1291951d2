// Issue 15 item 6 in real Chromium: a keyboard-only walkthrough (Tab to the controls, play and pause, scrub with
// the arrows, a node's menu opened and closed with Escape, the focus visible all along), and axe-core over the
// panels the second version added: the reasoning panel during an election and at the replica selection, a
// timeline popover of stacked marks, the guided tour, the progress bar and cancel of a run in its worker, and
// the phone layout — 0 serious or critical violations in each.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LogRecord, TraceRecord } from '../../engine/trace/types.ts';
import { runInChromium, useChromium } from './browser.ts';
import { frames, openPage, playhead, seek } from './pages.ts';

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

/** Serious and critical violations axe-core finds in the page as it is. */
async function axeFindings(page: Page, axe: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run({ resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** What has the focus: its id, node, action, and whether it shows it (a focus ring, or the node's own ring). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement as HTMLElement | SVGElement | null;
    if (!a) return null;
    const cs = getComputedStyle(a);
    const shape = a.querySelector?.('path.shape, line');
    const visible = a.matches(':focus-visible') && ((cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || (shape !== null && parseFloat(getComputedStyle(shape).strokeWidth) >= 5));
    return { id: a.id, node: a.getAttribute('data-node'), tag: a.tagName, visible };
  });

/** Press Tab until `want` holds for the focused element (at most `max` times). */
async function tabTo(page: Page, want: (f: NonNullable<Awaited<ReturnType<typeof focused>>>) => boolean, max = 80): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && want(f)) return i;
  }
  throw new Error('not reached with Tab');
}

const playing = (page: Page) => page.evaluate(() => (window as unknown as { sentinelSim: { player: { playing: boolean } } }).sentinelSim.player.playing);
const pageLogs = async (page: Page): Promise<LogRecord[]> =>
  (await page.evaluate(() => (window as unknown as { sentinelSim: { session: { records: TraceRecord[] } } }).sentinelSim.session.records.filter((r) => r.k === 'log'))) as LogRecord[];

describe.runIf(runInChromium)('keyboard only, and axe-core over the new panels, in Chromium', () => {
  const chromium = useChromium();

  it('keyboard-only walkthrough: Tab to the controls, play and pause, scrub with the arrows, a node menu opened and closed with Escape, the focus visible', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`, { width: 1280, height: 900 });
    await page.waitForSelector('body[data-load="done"]', { timeout: 60_000 });
    // from the top of the page, Tab reaches the play button; its focus shows
    await tabTo(page, (f) => f.id === 'play');
    expect((await focused(page))!.visible).toBe(true);
    // Enter on it plays, again pauses (the button acts once, the page does not toggle too)
    await page.keyboard.press('Enter');
    expect(await playing(page)).toBe(true);
    await page.waitForFunction(() => (window as unknown as { sentinelSim: { player: { t: number } } }).sentinelSim.player.t > 0);
    await page.keyboard.press('Enter');
    expect(await playing(page)).toBe(false);
    // Space on it does the same
    await page.keyboard.press(' ');
    expect(await playing(page)).toBe(true);
    await page.keyboard.press(' ');
    expect(await playing(page)).toBe(false);
    // scrub: → next event, ← back to it, shift+→ one second on, Home to the start, End to the head
    await seek(page, 2_000_000);
    const t0 = await playhead(page);
    await page.keyboard.press('ArrowRight');
    const t1 = await playhead(page);
    expect(t1).toBeGreaterThan(t0);
    await page.keyboard.press('ArrowRight');
    expect(await playhead(page)).toBeGreaterThan(t1);
    await page.keyboard.press('ArrowLeft');
    expect(await playhead(page)).toBe(t1);
    await page.keyboard.press('Shift+ArrowRight');
    expect(await playhead(page)).toBe(t1 + 1_000_000);
    await page.keyboard.press('Home');
    expect(await playhead(page)).toBe(0);
    await page.keyboard.press('End');
    expect(await playhead(page)).toBeGreaterThan(30_000_000);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('play');
    // on to a node of the stage: its ring shows the focus; Enter opens its menu, with the focus in it
    await tabTo(page, (f) => f.node !== null);
    const f = (await focused(page))!;
    expect(f.visible).toBe(true);
    await page.keyboard.press('Enter');
    const menu = page.locator('.action-menu');
    await menu.waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.closest('.action-menu') !== null)).toBe(true);
    expect((await focused(page))!.visible).toBe(true);
    // arrows move inside the menu and leave the playhead alone; Escape closes it and gives the focus back
    const tm = await playhead(page);
    await page.keyboard.press('ArrowDown');
    expect(await playhead(page)).toBe(tm);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    expect((await focused(page))!.node).toBe(f.node);
    // Tab goes on to the timeline's marks (buttons); Enter on one moves the playhead there
    await tabTo(page, (x) => x.tag === 'g' && x.node === null);
    expect((await focused(page))!.visible).toBe(true);
    const kind = await page.evaluate(() => document.activeElement?.getAttribute('data-kind'));
    expect(kind).toBeTruthy();
    expect(page.errors).toEqual([]);
    await page.close();
  });

  const axe = axeSource();
  if (!axe) console.error('keyboard: axe-core not found (node_modules/axe-core or AXE_CORE_PATH): its tests are skipped');

  it.runIf(axe !== null)('axe-core: the reasoning panel at an election and at the replica selection, a timeline popover, the tour', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    await page.waitForSelector('body[data-load="done"]', { timeout: 60_000 });
    const logs = await pageLogs(page);
    // an election counting, then won; the replica chosen
    for (const ev of ['+try-failover', '+elected-leader', '+selected-slave']) {
      await seek(page, logs.find((r) => r.event === ev)!.t);
      // the panels draw that instant on the next frames (a fixed sleep is not enough on a loaded machine)
      await frames(page, 3);
      expect(await axeFindings(page, axe!), ev).toEqual([]);
    }
    expect(await page.locator('.selection-panel tbody tr').count()).toBeGreaterThan(0);
    // stacked marks: a group with a count opens its popover (a dialog of buttons)
    const group = page.locator('g.mark[data-count]:not([data-count="1"])').first();
    await group.focus();
    await page.keyboard.press('Enter');
    const pop = page.locator('.mark-popover');
    await pop.waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.closest('.mark-popover') !== null)).toBe(true);
    expect(await axeFindings(page, axe!)).toEqual([]);
    await page.keyboard.press('Escape');
    await pop.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.classList.contains('mark'))).toBe(true);
    // the tour
    await page.locator('#tour-start').click();
    await page.locator('dialog#tour').waitFor({ state: 'visible', timeout: 60_000 });
    await page.keyboard.press('ArrowRight');
    expect(await axeFindings(page, axe!)).toEqual([]);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it.runIf(axe !== null)('axe-core: a run in its worker (progress bar, cancel) and the phone layout', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    await page.waitForSelector('body[data-load="done"]', { timeout: 60_000 });
    // a longer scenario: while it runs, the progress bar and cancel are shown
    await page.locator('#scenario').selectOption('jepsen-2013');
    await page.locator('#run').click();
    await page.locator('#progress').waitFor({ state: 'visible' });
    expect(await axeFindings(page, axe!)).toEqual([]);
    await page.locator('#cancel').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /cancelled/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 30_000 });
    await page.close();
    const phone = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover&t=12000000`, { width: 390, height: 844 });
    await phone.waitForSelector('body[data-load="done"]', { timeout: 60_000 });
    expect(await axeFindings(phone, axe!)).toEqual([]);
    expect(phone.errors).toEqual([]);
    await phone.close();
  });
});
