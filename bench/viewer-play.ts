// The viewer benches' common step: play jepsen-2013 at 10× from 00:00:10 for three seconds in the page and
// count the frames drawn (window.sentinelSim.player.frames): frames per second of wall time.
import type { Page } from 'playwright-core';

export function playFps10x(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const app = (window as unknown as { sentinelSim: { player: { frames: number; setSpeed(s: number): void; seek(t: number): void; play(): void; pause(): void } } }).sentinelSim;
    app.player.seek(10_000_000);
    app.player.setSpeed(10);
    app.player.play();
    const f0 = app.player.frames;
    const t0 = performance.now();
    await new Promise((res) => setTimeout(res, 3000));
    const n = app.player.frames - f0;
    const dt = performance.now() - t0;
    app.player.pause();
    return (n * 1000) / dt;
  });
}
