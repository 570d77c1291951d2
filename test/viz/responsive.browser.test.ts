// Issue 15 item 5 in real Chromium: scenarios run in a Web Worker with a progress bar and cancel, the page
// stays responsive meanwhile (loosely: frames keep coming — the hard budget is `npm run bench`'s
// viewer-longest-task-ms), and a big trace file is drawn before it is read to its end.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../engine/trace/canonical.ts';
import { cluster, defineScenario, runScenario } from '../../scenarios/api/index.ts';
import { runInChromium, useChromium } from './browser.ts';
import { openPage } from './pages.ts';

/** Frames the page draws in `ms` (requestAnimationFrame callbacks). */
const framesIn = (page: import('playwright-core').Page, ms: number) =>
  page.evaluate(
    (d) =>
      new Promise<number>((res) => {
        let n = 0;
        const t0 = performance.now();
        const f = () => {
          n++;
          if (performance.now() - t0 < d) requestAnimationFrame(f);
          else res(n);
        };
        requestAnimationFrame(f);
      }),
    ms,
  );

describe.runIf(runInChromium)('never freeze, in Chromium', () => {
  const chromium = useChromium();

  it('a scenario runs in a worker: progress, the page stays responsive, cancel stops it; a second run completes', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    await page.locator('#scenario').selectOption('jepsen-2013');
    await page.locator('#run').click();
    await page.locator('#progress').waitFor({ state: 'visible' });
    expect(await page.locator('#cancel').isVisible()).toBe(true);
    // the status counts virtual time and records as the worker streams them
    await page.waitForFunction(() => /running jepsen-2013 seed 1: \d\d:\d\d:\d\d\.\d+ of virtual time, \d+ records/.test(document.querySelector('#status')!.textContent!), undefined, { timeout: 30_000 });
    expect(await framesIn(page, 1000)).toBeGreaterThan(10);
    // the first records are drawn while it runs
    await page.waitForFunction(() => document.querySelectorAll('svg.stage g.host').length === 5, undefined, { timeout: 30_000 });
    await page.locator('#cancel').click();
    await page.waitForFunction(() => /cancelled/.test(document.querySelector('#status')!.textContent!));
    expect(await page.locator('#progress').isVisible()).toBe(false);
    expect(await page.locator('#cancel').isVisible()).toBe(false);
    // a run after it completes, and acts (a live cluster in its worker)
    await page.locator('#scenario').selectOption('tutorial-failover');
    await page.locator('#run').click();
    await page.waitForFunction(() => /^ran tutorial-failover/.test(document.querySelector('#status')!.textContent!), undefined, { timeout: 60_000 });
    await page.keyboard.press('End');
    await page.locator('g.node[data-node="127.0.0.1:8003"] path.shape').click();
    await page.locator('.action-menu button[data-action="crash (kill -9)"]').click();
    await page.waitForFunction(() => document.querySelector('g.node[data-node="127.0.0.1:8003"]')?.getAttribute('data-proc') === 'stopped');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('a big trace file: the first frame before the file is read to its end, then verified; the page stays responsive', async () => {
    const res = runScenario(defineScenario({ name: 'stream-test', setup: () => cluster({ replicas: 2, sentinels: 3 }), script: (s) => s.sleep('6m') }));
    const doc = res.sim.trace.document();
    const text = `{"header":${canonicalJson(doc.header)},\n"records":[\n${doc.records.map((r) => canonicalJson(r)).join(',\n')}\n],\n"sha256":"${res.sha256}"}\n`;
    expect(text.length).toBeGreaterThan(2 << 20);
    const file = join(mkdtempSync(join(tmpdir(), 'viz-stream-')), 'big.trace.json');
    writeFileSync(file, text);
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    const f0 = await page.evaluate(() => Number(document.body.dataset.frames ?? 0));
    await page.locator('#trace-file').setInputFiles(file);
    await page.waitForFunction((f) => Number(document.body.dataset.frames ?? 0) > f, f0);
    expect(await framesIn(page, 500)).toBeGreaterThan(5);
    await page.waitForFunction(() => /verified/.test(document.querySelector('#status')!.textContent!), undefined, { timeout: 60_000 });
    const r = await page.evaluate(() => {
      const app = (window as unknown as { sentinelSim: { firstFrameRecords: number; store: { records: unknown[] } } }).sentinelSim;
      return { first: app.firstFrameRecords, all: app.store.records.length };
    });
    expect(r.all).toBe(doc.records.length);
    expect(r.first).toBeGreaterThan(0);
    expect(r.first).toBeLessThan(r.all);
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
