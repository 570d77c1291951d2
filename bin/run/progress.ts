// The progress line on stderr, shown only once a run has taken more than a second of wall time. Written
// synchronously to fd 2, so it works the same from a worker thread (`run --trace` runs in one).
import { isatty } from 'node:tty';
import { formatClock } from '../../engine/sim/time.ts';
import { errLine, errWrite, type Out } from './out.ts';

export class Progress {
  private readonly t0 = Date.now();
  private next = this.t0 + 1000;
  private shown = false;
  private readonly tty = isatty(2);

  /** A TTY progress line is on screen (cleared before stdout is written). */
  private onScreen = false;

  constructor(
    private readonly name: string,
    private readonly out: Out,
  ) {
    if (this.tty)
      out.beforeFlush = () => {
        if (!this.onScreen) return;
        errWrite('\r\x1b[K');
        this.onScreen = false;
      };
  }

  private text(nowUs: number): string {
    const wall = (Date.now() - this.t0) / 1000;
    const speed = wall > 0 ? nowUs / 1e6 / wall : 0;
    return `sentinel-sim: ${this.name}: virtual ${formatClock(nowUs)} after ${wall.toFixed(1)} s wall (${speed.toFixed(1)}x real time)`;
  }

  tick(nowUs: number): void {
    const now = Date.now();
    if (now < this.next) return;
    this.next = now + (this.tty ? 1000 : 10_000);
    this.shown = true;
    this.out.flush();
    if (this.tty) {
      errWrite(`\r\x1b[K${this.text(nowUs)}`);
      this.onScreen = true;
    } else errLine(null, this.text(nowUs));
  }

  /** Take the progress line off the terminal (before other text on stderr). */
  clear(): void {
    if (this.onScreen) errWrite('\r\x1b[K');
    this.onScreen = false;
  }

  done(nowUs: number): void {
    if (!this.shown) return;
    this.out.flush();
    this.clear();
    errLine(null, `${this.text(nowUs)}, done`);
  }
}
