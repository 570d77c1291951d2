// Buffered, synchronous stdout (fast for long logs, nothing lost at exit); a closed pipe (| head) ends output quietly.
import { writeSync } from 'node:fs';

export class Out {
  private buf = '';
  private broken = false;
  /** Called before stdout is written (the progress line clears itself from the terminal). */
  beforeFlush: (() => void) | null = null;

  constructor(private readonly fd = 1) {}

  line(s: string): void {
    if (this.broken) return;
    this.buf += s + '\n';
    if (this.buf.length > 1 << 16) this.flush();
  }

  flush(): void {
    if (this.broken || this.buf === '') return;
    this.beforeFlush?.();
    const bytes = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    let off = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(this.fd, bytes, off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          this.broken = true;
          return;
        }
        if (code !== 'EAGAIN') throw e;
        // a non-blocking pipe is full: wait a little for the reader
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
      }
    }
  }
}

/** A line on stderr (flushing stdout first so the two interleave sensibly on a terminal). */
export function errLine(out: Out | null, s: string): void {
  out?.flush();
  try {
    writeSync(2, s + '\n');
  } catch {
    // stderr closed: nothing to do
  }
}
