// Issue 15 items 4 and 6 in real Chromium: hosts (jepsen-2013: five boxes, ip:port labels, one partition cut
// with its name), no overlapping timeline labels (stacked markers grouped with a count and a popover), a
// phone layout with text of 11 px or more, and reduced motion.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { runInChromium, useChromium } from './browser.ts';
import { openPage } from './pages.ts';

/** Pairs of timeline labels whose boxes overlap. */
const overlappingLabels = (page: Page) =>
  page.evaluate(() => {
    const boxes = [...document.querySelectorAll('svg.timeline g.mark text')].filter((t) => t.textContent).map((t) => t.getBoundingClientRect());
    let pairs = 0;
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) pairs++;
      }
    return { labels: boxes.length, pairs };
  });

describe.runIf(runInChromium)('hosts, labels and phone in Chromium', () => {
  const chromium = useChromium();

  it('jepsen-2013: five host boxes with ip:port labels, the partition drawn once with its name, no overlapping timeline labels', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=jepsen-2013&t=25000000`);
    const hosts = await page.evaluate(() => [...document.querySelectorAll('svg.stage g.host')].map((g) => ({ host: g.getAttribute('data-host'), ip: g.getAttribute('data-ip'), title: g.querySelector('text')!.textContent })));
    expect(hosts.map((h) => h.host)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(hosts[0]).toEqual({ host: 'n1', ip: '10.0.0.1', title: 'n1 · 10.0.0.1' });
    // every server and Sentinel inside its host's box, its label naming it by ip:port
    const placed = await page.evaluate(() =>
      [...document.querySelectorAll('svg.stage g.node')].map((g) => {
        const name = g.getAttribute('data-node')!;
        const box = document.querySelector(`svg.stage g.host[data-ip="${name.split(':')[0]}"] rect`)!.getBoundingClientRect();
        const c = g.querySelector('path.shape')!.getBoundingClientRect();
        const inside = c.left >= box.left && c.right <= box.right && c.top >= box.top && c.bottom <= box.bottom;
        return { name, inside, title: g.querySelector('text.label tspan')?.textContent };
      }),
    );
    expect(placed).toHaveLength(10);
    for (const p of placed) {
      expect(p.inside, p.name).toBe(true);
      expect(p.title).toMatch(new RegExp(`^(master|replica|Sentinel) ${p.name.replace(/\./g, '\\.')}$`));
    }
    // at 25 s the network is cut {n1, n2} | {n3, n4, n5}: one cut, named; no per-link bars
    expect(await page.locator('g.partition path.partition-cut').count()).toBe(1);
    expect(await page.locator('g.partition text.partition-name').textContent()).toBe('✂ partition n1 n2 | n3 n4 n5');
    expect(await page.locator('g.cuts path.cut').count()).toBe(0);
    expect(await page.locator('g.link.blocked').count()).toBe(24);
    // after the heal: no cut
    await page.evaluate(() => (window as unknown as { sentinelSim: { seek(t: number): void } }).sentinelSim.seek(60_000_000));
    await page.waitForFunction(() => document.querySelectorAll('g.partition path').length === 0);
    // timeline labels: none overlap; stacked markers are one mark with a count, its popover lists them
    const o = await overlappingLabels(page);
    expect(o.labels).toBeGreaterThan(3);
    expect(o.pairs).toBe(0);
    const group = page.locator('svg.timeline g.mark[data-kind="sdown"]').first();
    const n = Number(await group.getAttribute('data-count'));
    expect(n).toBeGreaterThan(1);
    expect(await group.locator('text').textContent()).toMatch(/\+\d+$/);
    await group.focus();
    await page.keyboard.press('Enter');
    const pop = page.locator('.mark-popover');
    await pop.waitFor({ state: 'visible' });
    expect(await pop.locator('button').count()).toBe(n);
    expect(await page.evaluate(() => document.activeElement?.closest('.mark-popover') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await pop.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.classList.contains('mark'))).toBe(true);
    await group.click();
    const second = pop.locator('button').nth(1);
    const t = Number(await second.getAttribute('data-t'));
    await second.click();
    expect(await page.evaluate(() => (window as unknown as { sentinelSim: { player: { t: number } } }).sentinelSim.player.t)).toBe(t);
    // a compressed idle gap, drawn with its break mark: the live cluster run on past the scenario's end (its last
    // marker is at ~45 s since replicas are reconfigured in dict order, 2521f7e), 70 quiet seconds after it; the
    // timeline takes the new records in a task of its own, at most 300 ms after them
    await page.evaluate(() => (window as unknown as { sentinelSim: { seek(t: number): Promise<void> } }).sentinelSim.seek(120_000_000));
    await expect.poll(() => page.locator('svg.timeline g.focus g.gap').count()).toBeGreaterThan(0);
    await page.screenshot({ path: 'artifacts/viz/jepsen-hosts.png' });
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('doc-partition-old-master: the partition of three boxes is named with the client hosts on each side', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=doc-partition-old-master&t=20000000`);
    expect(await page.locator('svg.stage g.host').count()).toBe(3);
    expect(await page.locator('g.partition path.partition-cut').count()).toBe(1);
    expect(await page.locator('g.partition text.partition-name').textContent()).toMatch(/^✂ partition (box3 \(clientB\) \| box1 box2 \(clientA\)|box1 box2 \(clientA\) \| box3 \(clientB\))$/);
    await page.close();
  });

  it('a 390 px phone: no text under 11 px, nothing wider than the screen, the stage in rows', async () => {
    for (const q of ['tutorial-failover&t=12000000', 'jepsen-2013&t=25000000']) {
      // jepsen-2013 runs for seconds in its worker (more on a busy machine): a longer wait than openPage's
      const page = await chromium.browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(`${chromium.srv.url}?scenario=${q}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
      const r = await page.evaluate(() => {
        const small: string[] = [];
        for (const e of document.querySelectorAll('body *')) {
          if (!(e instanceof HTMLElement || e instanceof SVGElement) || e.getClientRects().length === 0) continue;
          if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim())) continue;
          const ctm = e instanceof SVGGraphicsElement ? e.getScreenCTM() : null;
          const px = parseFloat(getComputedStyle(e).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
          if (px < 10.95) small.push(`${e.tagName}.${e.getAttribute('class') ?? ''} ${px.toFixed(1)}px "${e.textContent!.trim().slice(0, 20)}"`);
        }
        return { small, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth, mode: document.querySelector('svg.stage')!.getAttribute('data-mode') };
      });
      expect(r.small, q).toEqual([]);
      expect(r.overflow, q).toBeLessThanOrEqual(0);
      expect(r.mode).toBe('rows');
      await page.screenshot({ path: `artifacts/viz/phone-${q.split('&')[0]}.png`, fullPage: true });
      await page.close();
    }
  });

  it('prefers-reduced-motion: no transitions', async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    await page.goto(`${chromium.srv.url}?scenario=tutorial-failover&t=5000000`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    // a node changes colour at once (no eased fill), and CSS transitions are off
    await page.evaluate(() => (window as unknown as { sentinelSim: { seek(t: number): void } }).sentinelSim.seek(30_000_000));
    // the fill is the new colour on the next frames (no 300 ms ease), CSS transitions are off
    const hex = (c: string | null) => (c ?? '').replace(/^rgb\((\d+), (\d+), (\d+)\)$/, (_m, r, g, b) => '#' + [r, g, b].map((x) => Number(x).toString(16).padStart(2, '0')).join('')).toLowerCase();
    await page.waitForFunction(() => document.querySelector('g.node[data-node="127.0.0.1:8003"] path.shape')?.getAttribute('data-fill') === '#0072B2');
    await page.waitForTimeout(120);
    const r = await page.evaluate(() => {
      const shape = document.querySelector('g.node[data-node="127.0.0.1:8003"] path.shape')!;
      return { fill: shape.getAttribute('fill'), want: shape.getAttribute('data-fill'), transition: getComputedStyle(document.querySelector('button')!).transitionDuration };
    });
    expect(hex(r.fill)).toBe(hex(r.want));
    expect(r.transition).toBe('0s');
    await page.close();
  });
});
