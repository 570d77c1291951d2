// Buffered, synchronous stdout (fast for long logs, nothing lost at exit, usable from a worker thread); a closed
// pipe (| head) ends output quietly and is reported through `broken`, so a long run can stop early.
import { writeSync } from 'node:fs';

export class Out {
  private buf = '';
  private closed = false;
  private lastFlush = Date.now();
  /** Called before stdout is written (the progress line clears itself from the terminal). */
  beforeFlush: (() => void) | null = null;

  constructor(private readonly fd = 1) {}

  /** The reader went away (EPIPE): nothing more is written. */
  get broken(): boolean {
    return this.closed;
  }

  line(s: string): void {
    if (this.closed) return;
    this.buf += s + '\n';
    if (this.buf.length > 1 << 16) this.flush();
  }

  /** Flush if `ms` of wall time passed since the last flush: output stays live, and a closed pipe is noticed. */
  tick(ms: number): void {
    if (this.buf !== '' && Date.now() - this.lastFlush >= ms) this.flush();
  }

  flush(): void {
    this.lastFlush = Date.now();
    if (this.closed || this.buf === '') return;
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
          this.closed = true;
          return;
        }
        if (code !== 'EAGAIN') throw e;
        // a non-blocking pipe is full: wait a little for the reader
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
      }
    }
  }
}

/** Text on stderr as is, synchronously (from any thread); a closed stderr is ignored. */
export function errWrite(s: string): void {
  try {
    writeSync(2, s);
  } catch {
    // stderr closed: nothing to do
  }
}

/** A line on stderr (flushing stdout first so the two interleave sensibly on a terminal). */
export function errLine(out: Out | null, s: string): void {
  out?.flush();
  errWrite(s + '\n');
}
