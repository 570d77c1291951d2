// Real Chromium for the viewer's browser tests and benchmarks: Debian's /usr/bin/chromium driven by
// playwright-core (no downloaded browser), the page built by Vite into a temporary folder.
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { buildSite, serveView, type ViewServer } from '../../bin/view/server.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** Build the page once into a temporary dist and serve it (plus `trace` at /trace.json). */
export async function buildAndServe(trace?: string): Promise<ViewServer & { dist: string }> {
  const dist = mkdtempSync(join(tmpdir(), 'sentinel-sim-viz-'));
  await buildSite({ outDir: dist });
  const srv = await serveView({ dist, trace });
  return { ...srv, dist };
}

/**
 * The page built once per test run (into the run's folder of test/support/global-setup.ts), copied into a
 * temporary dist of this file's own, which it may add files to. The first file to need it builds it; the others
 * (in other workers) wait for it.
 */
async function copyOfRunSite(): Promise<string> {
  const site = join(inject('runDir'), 'viz-site');
  let building = false;
  try {
    mkdirSync(`${site}.lock`);
    building = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  if (building) {
    await buildSite({ outDir: `${site}.tmp` });
    renameSync(`${site}.tmp`, site);
  } else {
    const t0 = Date.now();
    while (!existsSync(site)) {
      if (Date.now() - t0 > 120_000) throw new Error(`the page was not built into ${site} within 120 s by another test file`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const dist = mkdtempSync(join(tmpdir(), 'sentinel-sim-viz-'));
  cpSync(site, dist, { recursive: true });
  return dist;
}

/** Whether a browser suite runs: where Chromium is installed, and always under CI (where a missing one fails). */
export const runInChromium = hasChromium || process.env.CI === 'true';

export interface Chromium {
  browser: Browser;
  srv: ViewServer & { dist: string };
}

/**
 * Inside a describe: before its tests, build and serve the page and launch Chromium; after them, close both.
 * `before` runs first, `served` once the page is served (to add files to its dist). The returned object's
 * fields are set by the time the tests run.
 */
export function useChromium(opts: { before?: () => void; served?: (srv: Chromium['srv']) => void } = {}): Chromium {
  const c = {} as Chromium;
  beforeAll(async () => {
    opts.before?.();
    const dist = await copyOfRunSite();
    c.srv = { ...(await serveView({ dist })), dist };
    opts.served?.(c.srv);
    c.browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await c.browser?.close();
    await c.srv?.close();
    if (c.srv) rmSync(c.srv.dist, { recursive: true, force: true });
  });
  return c;
}
