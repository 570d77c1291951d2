// Streaming trace file writer (Node only): {"header":…,"records":[…],"sha256":"…"} written as the run goes,
// so a long run never holds its whole trace in memory. The document is written to a temporary file beside the
// requested one (.NAME.PID.tmp) and renamed over it only when complete: an interrupted or crashed run never
// leaves a half-written trace under the requested name, nor touches a file already there.
import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { canonicalJson } from '../engine/trace/canonical.ts';
import type { Trace } from '../engine/trace/trace.ts';
import { removeAtExit } from './run/signals.ts';

/** The temporary file a trace for `path` is written to by this process (same directory, so the rename is atomic). */
export function tempTracePath(path: string, pid: number = process.pid): string {
  return join(dirname(path), `.${basename(path)}.${pid}.tmp`);
}

/** A file-system error in a few words ("no such directory", "permission denied"). */
function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOSPC') return 'no space left on device';
  if (code === 'EROFS') return 'read-only file system';
  return (e as Error).message;
}

export class TraceFileWriter {
  /** Where the document is written until it is complete. */
  readonly tempPath: string;
  private fd: number;
  private first = true;
  private buf = '';
  private unsubscribe: () => void;
  private closed = false;
  private cancelRemoval: () => void;

  /** Throws an Error with a short reason when the file cannot be written. */
  constructor(
    readonly path: string,
    private readonly trace: Trace,
  ) {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new Error('is a directory');
    this.tempPath = tempTracePath(path);
    try {
      this.fd = openSync(this.tempPath, 'w');
    } catch (e) {
      throw new Error(reason(e));
    }
    this.cancelRemoval = removeAtExit(this.tempPath);
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

  /** Finish the document with the trace hash (ends the trace) and move it to its name. */
  close(): string {
    if (this.closed) return this.trace.sha256();
    this.closed = true;
    this.unsubscribe();
    const hash = this.trace.sha256();
    try {
      this.start();
      this.flush();
      writeSync(this.fd, `\n],\n"sha256":"${hash}"}\n`);
      closeSync(this.fd);
      renameSync(this.tempPath, this.path);
    } catch (e) {
      rmSync(this.tempPath, { force: true });
      throw new Error(`cannot write trace '${this.path}': ${reason(e)}`);
    } finally {
      this.cancelRemoval();
    }
    return hash;
  }

  /** Give up: delete the temporary file; a file already under the name is left as it was. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.tempPath, { force: true });
    this.cancelRemoval();
  }
}
