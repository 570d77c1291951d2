// The progress line on stderr, shown only once a run has taken more than a second of wall time.
import { formatClock } from '../../engine/sim/time.ts';
import { errLine, type Out } from './out.ts';

export class Progress {
  private readonly t0 = Date.now();
  private next = this.t0 + 1000;
  private shown = false;
  private readonly tty = Boolean(process.stderr.isTTY);

  /** A TTY progress line is on screen (cleared before stdout is written). */
  private onScreen = false;

  constructor(
    private readonly name: string,
    private readonly out: Out,
  ) {
    if (this.tty)
      out.beforeFlush = () => {
        if (!this.onScreen) return;
        process.stderr.write('\r\x1b[K');
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
      process.stderr.write(`\r\x1b[K${this.text(nowUs)}`);
      this.onScreen = true;
    } else errLine(null, this.text(nowUs));
  }

  done(nowUs: number): void {
    if (!this.shown) return;
    this.out.flush();
    if (this.onScreen) process.stderr.write('\r\x1b[K');
    this.onScreen = false;
    errLine(null, `${this.text(nowUs)}, done`);
  }
}
