// Helpers of the browser tests: a page of the built viewer with its page errors collected, and the app's
// state read through window.sentinelSim.
import type { Browser, Page } from 'playwright-core';
import type { TraceRecord } from '../../engine/trace/types.ts';

export interface OpenPage extends Page {
  errors: string[];
}

export async function openPage(browser: Browser, url: string, viewport = { width: 1280, height: 900 }): Promise<OpenPage> {
  const page = (await browser.newPage({ viewport })) as OpenPage;
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  // the page is ready before it has drawn: the stage and the badges come on the next animation frame, the text
  // panels one a frame after it
  await frames(page, 6);
  return page;
}

/**
 * Resolves after `n` animation frames of the page. What a seek, a click or a key changes is drawn on the next
 * frame (the stage, the badges, the panels), which a loaded machine can delay by far more than a fixed sleep:
 * wait for frames (or poll for the value) before reading it.
 */
export const frames = (page: Page, n = 2) =>
  page.evaluate(
    (k) =>
      new Promise<void>((resolve) => {
        let i = 0;
        const f = () => (++i >= k ? resolve() : requestAnimationFrame(f));
        requestAnimationFrame(f);
      }),
    n,
  );

type AppView = {
  player: { t: number };
  seek(t: number): Promise<void>;
  session: { now: number; plan: { cut: number | null; actions: { t: number; op: string }[] }; records: TraceRecord[] } | null;
  branches: { current: number; branches: { id: number; parent: number | null }[] };
  idle(): Promise<void>;
};

export const playhead = (page: Page) => page.evaluate(() => (window as unknown as { sentinelSim: AppView }).sentinelSim.player.t);
export const seek = (page: Page, t: number) => page.evaluate((x) => (window as unknown as { sentinelSim: AppView }).sentinelSim.seek(x), t);
export const head = (page: Page) => page.evaluate(() => (window as unknown as { sentinelSim: AppView }).sentinelSim.session!.now);
/** The current branch's plan (cut and actions). */
export const plan = (page: Page) => page.evaluate(() => (window as unknown as { sentinelSim: AppView }).sentinelSim.session!.plan);
/** "t fault target" of every fault record of the current branch's trace. */
export const faults = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { sentinelSim: AppView }).sentinelSim.session!.records.flatMap((r) => (r.k === 'fault' ? [`${r.t} ${r.fault}${r.target ? ' ' + r.target : ''}`] : [])),
  );
export const node = (page: Page, name: string) => page.locator(`g.node[data-node="${name}"]`);

/** Resolves once the page's queued actions, runs in workers and branch switches are done (they are asynchronous). */
export const idle = (page: Page) => page.evaluate(() => (window as unknown as { sentinelSim: AppView }).sentinelSim.idle());

/** Click a node on the stage and an item of its menu; waits for the action's outcome (a fork runs in a worker). */
export async function nodeAction(page: Page, name: string, action: string): Promise<void> {
  await node(page, name).locator('path.shape').click();
  await page.locator(`.action-menu button[data-action="${action}"]`).click();
  await idle(page);
}

/** Send a command from the client panel to `name`; waits for its entry. */
export async function command(page: Page, name: string, line: string): Promise<string> {
  const before = await page.locator('.client-out li.entry').count();
  await page.locator('#client-node').selectOption(name);
  await page.locator('#client-cmd').fill(line);
  await page.locator('#client-cmd').press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.client-out li.entry').length > n, before);
  return (await page.locator('.client-out li.entry').last().locator('pre.reply').textContent()) ?? '';
}
