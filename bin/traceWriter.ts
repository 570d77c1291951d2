// Streaming trace file writer (Node only): {"header":…,"records":[…],"sha256":"…"} written as the run goes,
// so a long run never holds its whole trace in memory and an aborted run still leaves a readable prefix.
import { closeSync, openSync, writeSync } from 'node:fs';
import { canonicalJson } from '../engine/trace/canonical.ts';
import type { Trace } from '../engine/trace/trace.ts';

export class TraceFileWriter {
  private fd: number;
  private first = true;
  private buf = '';
  private unsubscribe: () => void;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly trace: Trace,
  ) {
    this.fd = openSync(path, 'w');
    this.unsubscribe = trace.subscribe((_rec, line) => {
      if (this.first) this.start();
      this.buf += (this.first ? '' : ',\n') + line;
      this.first = false;
      if (this.buf.length > 1 << 16) this.flush();
    });
  }

  private headerWritten = false;
  private start(): void {
    if (this.headerWritten) return;
    this.headerWritten = true;
    if (!this.trace.header) throw new Error('trace header missing');
    writeSync(this.fd, `{"header":${canonicalJson(this.trace.header)},\n"records":[\n`);
  }

  private flush(): void {
    if (this.buf) writeSync(this.fd, this.buf);
    this.buf = '';
  }

  /** Finish the document with the trace hash (ends the trace). */
  close(): string {
    if (this.closed) return this.trace.sha256();
    this.closed = true;
    this.unsubscribe();
    this.start();
    this.flush();
    const hash = this.trace.sha256();
    writeSync(this.fd, `\n],\n"sha256":"${hash}"}\n`);
    closeSync(this.fd);
    return hash;
  }
}
