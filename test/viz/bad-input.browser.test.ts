// Issue 15, item 8 (bad input) in real Chromium: a trace whose time goes backwards, a truncated trace, a
// trace from a newer format version and a missing file each get one clear message naming the problem and its
// line; the page never stays at "reading…" / "loading…".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import tutorial from '../../scenarios/tutorial-failover.ts';
import { canonicalJson } from '../../engine/trace/canonical.ts';
import { runInChromium, useChromium } from './browser.ts';
import { runLibrary } from './support.ts';

describe.runIf(runInChromium)('bad input in Chromium', () => {
  const doc = runLibrary(tutorial, { until: '14s' }).sim.trace.document();
  const lines = [`{"header":${canonicalJson(doc.header)},`, '"records":[', ...doc.records.map((r, i) => canonicalJson(r) + (i < doc.records.length - 1 ? ',' : '')), '],', `"sha256":"${doc.sha256}"}`];
  // a record after the first second moved back in time: record j is on line j + 3
  const j = doc.records.findIndex((r, i) => r.t > 2_000_000 && doc.records[i - 1].t > 1_000_000);
  const prevT = doc.records[j - 1].t;

  const chromium = useChromium({
    served(srv) {
      const back = lines.slice();
      back[j + 2] = back[j + 2].replace(`"t":${doc.records[j].t}`, `"t":${prevT - 5000}`);
      writeFileSync(join(srv.dist, 'back.json'), back.join('\n') + '\n');
      // cut in the middle of a record line, as a killed writer leaves it
      const whole = lines.join('\n');
      const cutAt = whole.indexOf('\n', Math.floor(whole.length * 0.6)) + 30;
      writeFileSync(join(srv.dist, 'truncated.json'), whole.slice(0, cutAt));
      writeFileSync(join(srv.dist, 'newer.json'), whole.replace('"version":1', '"version":2'));
    },
  });

  /** Open the page and wait until it has finished trying (error or done), with no page error. */
  async function openTrace(name: string): Promise<{ page: Page; error: string; status: string }> {
    const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${chromium.srv.url}?trace=${encodeURIComponent(name)}`);
    await page.waitForSelector('body[data-load="error"]', { timeout: 20_000 });
    expect(errors).toEqual([]);
    const error = (await page.locator('#error').textContent()) ?? '';
    const status = (await page.locator('#status').textContent()) ?? '';
    expect(await page.locator('#error').isVisible()).toBe(true);
    expect(status).not.toMatch(/reading|loading/);
    return { page, error, status };
  }

  it('?trace=missing says "not found", not "not JSON"', async () => {
    const { page, error } = await openTrace('missing');
    expect(error).toMatch(/^trace missing not found \(HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/missing\)$/);
    expect(error).not.toMatch(/JSON/);
    await page.close();
    // a server answering a missing path with its own page (a dev server's fallback): not found either
    const html = await openTrace('index.html');
    expect(html.error).toMatch(/^trace index\.html not found: the server answered with a web page/);
    await html.page.close();
  });

  it('a record that goes back in time: its number, its line and both times; the records before it are shown', async () => {
    const { page, error, status } = await openTrace('back.json');
    expect(error).toContain(`back.json: record ${j} (line ${j + 3}) goes back in time: t=${prevT - 5000} µs`);
    expect(error).toContain(`after t=${prevT} µs`);
    expect(error).toMatch(new RegExp(`Showing the ${j} records before it`));
    expect(status).toBe(`back.json: stopped at line ${j + 3}`);
    expect(await page.evaluate(() => document.body.dataset.ready)).toBe('true');
    const endT = await page.evaluate(() => (window as unknown as { sentinelSim: { store: { endT: number } } }).sentinelSim.store.endT);
    expect(endT).toBe(prevT);
    await page.close();
  });

  it('a truncated trace: where it ends, and what it holds', async () => {
    const { page, error, status } = await openTrace('truncated.json');
    expect(error).toMatch(/^truncated\.json is not a complete sentinel-sim trace: the file ends early, at line (\d+), after record (\d+) \(00:00:\d\d\.\d{3}\)/);
    const [, line, rec] = /at line (\d+), after record (\d+)/.exec(error)!;
    expect(Number(line)).toBe(Number(rec) + 4);
    expect(status).toBe(`truncated.json: stopped at line ${line}`);
    const n = await page.evaluate(() => (window as unknown as { sentinelSim: { store: { records: unknown[] } } }).sentinelSim.store.records.length);
    expect(n).toBe(Number(rec) + 1);
    await page.screenshot({ path: join('artifacts/viz', 'bad-input-truncated.png') });
    await page.close();
  });

  it('a trace from a newer format version: which version, on line 1, and what to do', async () => {
    const { page, error } = await openTrace('newer.json');
    expect(error).toMatch(/^newer\.json was written by a newer sentinel-sim: it is a version 2 trace \(line 1\), and this viewer reads version 1\. Open it with the sentinel-sim that wrote it/);
    await page.close();
  });

  it('a bad file chosen with "open trace…" replaces "reading…" with the problem', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`${chromium.srv.url}?scenario=tutorial-failover`);
    await page.waitForSelector('body[data-ready="true"]');
    const file = join(chromium.srv.dist, 'back.json');
    await page.locator('#trace-file').setInputFiles(file);
    await page.waitForSelector('body[data-load="error"]', { timeout: 20_000 });
    expect(await page.locator('#error').textContent()).toContain(`record ${j} (line ${j + 3}) goes back in time`);
    expect(await page.locator('#status').textContent()).toBe(`back.json: stopped at line ${j + 3}`);
    await page.close();
  });
});
