// Real Chromium for the viewer's browser tests and benchmarks: Debian's /usr/bin/chromium driven by
// playwright-core (no downloaded browser), the page built by Vite into a temporary folder.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
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
