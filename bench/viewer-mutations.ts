// What the viewer writes to the DOM per frame while playing jepsen-2013 at 10× (a MutationObserver over the
// page, grouped by the written element's nearest class), and the frames per second meanwhile.
// `npx tsx bench/viewer-mutations.ts [scenario]`.
import { buildAndServe, launch } from '../test/viz/browser.ts';

async function main(): Promise<void> {
  const scenario = process.argv[2] ?? 'jepsen-2013';
  const srv = await buildAndServe();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.addInitScript('globalThis.__name = (f) => f');
    await page.goto(`${srv.url}?scenario=${scenario}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 180_000 });
    await page.waitForTimeout(500);
    const out = await page.evaluate(async () => {
      const app = (window as unknown as { sentinelSim: { player: { frames: number; setSpeed(s: number): void; seek(t: number): void; play(): void; pause(): void } } }).sentinelSim;
      const counts = new Map<string, number>();
      const where = (n: Node): string => {
        const e = (n.nodeType === 1 ? n : n.parentNode) as Element | null;
        let x: Element | null = e;
        const path: string[] = [];
        while (x && path.length < 3) {
          const c = x.getAttribute('class') || x.id;
          if (c) path.unshift(`${x.tagName.toLowerCase()}.${c.split(' ')[0]}`);
          x = x.parentElement;
        }
        return path.join('>');
      };
      const mo = new MutationObserver((l) => {
        for (const m of l) {
          const k = `${m.type}${m.attributeName ? `:${m.attributeName}` : ''} ${where(m.target)}`;
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
      });
      app.player.seek(10_000_000);
      app.player.setSpeed(10);
      app.player.play();
      await new Promise((r) => setTimeout(r, 300));
      mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      const f0 = app.player.frames;
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 3000));
      const n = app.player.frames - f0;
      mo.disconnect();
      app.player.pause();
      return { fps: (n * 1000) / (performance.now() - t0), frames: n, counts: [...counts].sort((a, b) => b[1] - a[1]).slice(0, 40) };
    });
    console.log(`fps ${out.fps.toFixed(1)} (${out.frames} frames)`);
    for (const [k, v] of out.counts) console.log(`${(v / out.frames).toFixed(2).padStart(8)} /frame  ${k}`);
  } finally {
    await browser.close();
    await srv.close();
  }
}
void main();
