// Reading a trace file written by `sentinel-sim run --trace` in the browser: shape checks with one clear
// message per problem (the same checks `sentinel-sim replay` makes), naming the record and the line, and the
// hash verified afterwards. A problem after the header (a record that goes back in time, a damaged line, a
// file that ends early) leaves the records before it readable: the page shows them and names the problem.
import { formatClock } from '../../engine/sim/time.ts';
import { canonicalJson } from '../../engine/trace/canonical.ts';
import { hashTrace, nobleSha256 } from '../../engine/trace/trace.ts';
import { RECORD_KINDS, TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type TraceRecord } from '../../engine/trace/types.ts';

export class TraceFileError extends Error {
  override readonly name = 'TraceFileError';
  constructor(
    message: string,
    /** 1-based line of the file the problem is on, when known. */
    readonly line: number | null = null,
    /** Index of the record the problem is in, when known. */
    readonly record: number | null = null,
  ) {
    super(message);
  }
}

export interface TraceFile {
  header: TraceHeader;
  records: TraceRecord[];
  sha256: string;
}

/** 1-based line and column of a character offset. */
export function lineCol(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, col: pos - last };
}

/** Where a JSON.parse error happened ("line 3 column 7"), from the engine's message. */
function jsonErrorWhere(text: string, e: unknown): { line: number; col: number } | null {
  const msg = (e as Error).message;
  const lc = /line (\d+) column (\d+)/.exec(msg);
  if (lc) return { line: Number(lc[1]), col: Number(lc[2]) };
  const p = /position (\d+)/.exec(msg);
  return p ? lineCol(text, Number(p[1])) : null;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  // a final newline does not start a line
  return text.endsWith('\n') ? n - 1 : n;
}

/** The header checks: format, version (newer or older than this viewer), shape. */
export function checkHeader(h: unknown, file: string, line: number | null): TraceHeader {
  const where = line !== null ? ` (line ${line})` : '';
  const d = h as Partial<TraceHeader> | null;
  if (typeof d !== 'object' || d === null || d.format !== TRACE_FORMAT)
    throw new TraceFileError(`${file} is not a sentinel-sim trace (expected {"header":{"format":"${TRACE_FORMAT}",...},"records":[...],"sha256":...}, as written by sentinel-sim run --trace)`, line);
  if (d.version !== TRACE_VERSION) {
    const v = d.version;
    if (typeof v === 'number' && v > TRACE_VERSION)
      throw new TraceFileError(`${file} was written by a newer sentinel-sim: it is a version ${v} trace${where}, and this viewer reads version ${TRACE_VERSION}. Open it with the sentinel-sim that wrote it (npx sentinel-sim view ${file}), or update this one.`, line);
    throw new TraceFileError(`${file} is a version ${String(v)} trace${where}; this viewer reads version ${TRACE_VERSION} (re-run the scenario with this sentinel-sim to get one)`, line);
  }
  if (typeof d.seed !== 'string' || typeof d.scenario !== 'string' || typeof d.topology !== 'object' || d.topology === null || !Array.isArray(d.topology.nodes) || !Array.isArray(d.topology.hosts))
    throw new TraceFileError(`${file} has a damaged trace header${where}`, line);
  return d as TraceHeader;
}

/** Checks one record (its kind, its time, its order). Returns its time. */
function checkRecord(r: unknown, i: number, lastT: number, file: string, line: number | null): number {
  const where = line !== null ? ` (line ${line})` : '';
  const x = r as { k?: unknown; t?: unknown } | null;
  if (typeof x !== 'object' || x === null || typeof x.k !== 'string' || !RECORD_KINDS.has(x.k))
    throw new TraceFileError(`${file}: record ${i}${where} is not a trace record (its "k" is ${x && typeof x === 'object' ? JSON.stringify(x.k) : 'missing'}; expected one of ${[...RECORD_KINDS].join(', ')})`, line, i);
  if (typeof x.t !== 'number' || !Number.isFinite(x.t) || x.t < 0)
    throw new TraceFileError(`${file}: record ${i}${where} has no valid time ("t": ${JSON.stringify(x.t)})`, line, i);
  if (x.t < lastT)
    throw new TraceFileError(`${file}: record ${i}${where} goes back in time: t=${x.t} µs (${formatClock(x.t)}) after t=${lastT} µs (${formatClock(lastT)}); a trace's records are in time order, so the file was edited or damaged`, line, i);
  return x.t;
}

export function parseTraceText(text: string, file = 'the file'): TraceFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const why = (e as Error).message.replace(/\s+/g, ' ');
    if (!new RegExp(`"format"\\s*:\\s*"${TRACE_FORMAT}"`).test(text.slice(0, 1 << 16))) {
      const html = /^\s*<(!doctype|html)/i.test(text);
      throw new TraceFileError(html ? `${file} is not a sentinel-sim trace: it is a web page (HTML), not JSON` : `${file} is not a sentinel-sim trace (not JSON: ${why})`);
    }
    const at = jsonErrorWhere(text, e);
    const truncated = !text.trimEnd().endsWith('}') || /end of (JSON|data)/i.test(why);
    if (truncated) {
      const line = countLines(text);
      throw new TraceFileError(`${file} is not a complete sentinel-sim trace: the file ends early, at line ${line} (was the run interrupted?)`, line);
    }
    throw new TraceFileError(`${file} is not a complete sentinel-sim trace: invalid JSON${at ? ` at line ${at.line}, column ${at.col}` : ''} (${why})`, at?.line ?? null);
  }
  const d = doc as { header?: unknown; records?: unknown; sha256?: unknown };
  if (typeof d !== 'object' || d === null) throw new TraceFileError(`${file} is not a sentinel-sim trace (expected {"header":{"format":"${TRACE_FORMAT}",...},"records":[...],"sha256":...}, as written by sentinel-sim run --trace)`);
  const h = checkHeader(d.header, file, null);
  if (!Array.isArray(d.records)) throw new TraceFileError(`${file} has no records array`);
  if (typeof d.sha256 !== 'string') throw new TraceFileError(`${file} has no sha256`);
  const records = d.records as TraceRecord[];
  let lastT = 0;
  for (let i = 0; i < records.length; i++) lastT = checkRecord(records[i], i, lastT, file, null);
  return { header: h, records, sha256: d.sha256 };
}

/** Null when the records hash to the file's sha256, else the message to show. */
export function verifyTraceHash(f: TraceFile, file = 'the file'): string | null {
  const actual = hashTrace(f.header, f.records);
  return actual === f.sha256 ? null : `${file}: trace hash mismatch (the file says ${f.sha256}, its records hash to ${actual}): the file was modified or damaged`;
}

const HEADER_LINE = /^\{"header":(\{.*\}),\n"records":\[\n/;
const TAIL = /\n\],\n"sha256":"([0-9a-f]{64})"\}\s*$/;

/**
 * A trace file read in chunks, so the first frame is drawn before the whole file is parsed. Files in the
 * layout `run --trace` writes (the header on the first line, one canonical record per line, from line 3) are
 * read line by line and hashed from their own lines; any other JSON layout is parsed at once.
 *
 * A problem in the header throws from the constructor. A problem after it (a damaged record, one that goes
 * back in time, a file that ends early) stops the reading there: `next()` returns the records before it,
 * then nothing, and `error` names the problem with its record and line.
 */
export class TraceTextReader {
  readonly header: TraceHeader;
  /** The hash the file announces (null when it ends before saying). */
  readonly sha256: string | null;
  /** The problem that stopped the reading, if any. */
  error: TraceFileError | null = null;
  private pos: number;
  private readonly end: number;
  private index = 0;
  /** 1-based line of the next record (line layout). */
  private line = 3;
  private lastT = 0;
  private whole: TraceRecord[] | null = null;
  private readonly lineLayout: boolean;
  private readonly truncated: boolean;
  private readonly hasher = nobleSha256();
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly text: string,
    private readonly file = 'the file',
  ) {
    const m = HEADER_LINE.exec(text.slice(0, Math.min(text.length, 1 << 20)));
    const tail = TAIL.exec(text.slice(-200));
    if (!m) {
      // not the streaming layout: the whole-document checks give the precise message
      const f = parseTraceText(text, file);
      this.header = f.header;
      this.sha256 = f.sha256;
      this.whole = f.records;
      this.pos = this.end = 0;
      this.lineLayout = false;
      this.truncated = false;
      return;
    }
    let h: unknown;
    try {
      h = JSON.parse(m[1]);
    } catch (e) {
      throw new TraceFileError(`${file} has a damaged trace header (line 1: ${(e as Error).message.replace(/\s+/g, ' ')})`, 1);
    }
    this.header = checkHeader(h, file, 1);
    this.sha256 = tail ? tail[1] : null;
    this.pos = m[0].length;
    this.truncated = !tail;
    this.end = tail ? text.length - tail[0].length : text.length;
    this.lineLayout = true;
    this.hasher.update(this.encoder.encode(canonicalJson(this.header) + '\n'));
  }

  get done(): boolean {
    if (this.error) return true;
    return this.whole ? this.whole.length === 0 && this.index > 0 : this.pos >= this.end;
  }

  /** Records read so far. */
  get count(): number {
    return this.index;
  }

  /** The next records (up to `max`); an empty array when the file is read or a problem stopped it (see `error`). */
  next(max: number): TraceRecord[] {
    if (this.error) return [];
    if (this.whole) {
      if (this.index > 0) return [];
      const all = this.whole;
      this.index = all.length || 1;
      this.whole = [];
      return all;
    }
    const out: TraceRecord[] = [];
    const text = this.text;
    let hashText = '';
    try {
      while (this.pos < this.end && out.length < max) {
        let nl = text.indexOf('\n', this.pos);
        const complete = nl >= 0 && nl <= this.end;
        if (!complete) nl = this.end;
        let line = text.slice(this.pos, nl);
        const lineNo = this.line;
        if (this.truncated && !complete) {
          // the last, partial line of a file that ends early
          this.pos = this.end;
          if (line.trim() === '' || line.trim() === ']') break;
          throw new TraceFileError(this.endsEarly(lineNo), lineNo, this.index);
        }
        this.pos = nl + 1;
        this.line++;
        if (line.endsWith(',')) line = line.slice(0, -1);
        if (this.truncated && (line === ']' || line.startsWith('],'))) {
          this.pos = this.end;
          break;
        }
        let r: unknown;
        try {
          r = JSON.parse(line);
        } catch (e) {
          throw new TraceFileError(`${this.file}: record ${this.index} (line ${lineNo}) is not valid JSON (${(e as Error).message.replace(/\s+/g, ' ')})`, lineNo, this.index);
        }
        this.lastT = checkRecord(r, this.index, this.lastT, this.file, lineNo);
        this.index++;
        out.push(r as TraceRecord);
        hashText += line + '\n';
      }
      if (this.truncated && this.pos >= this.end && !this.error) throw new TraceFileError(this.endsEarly(this.line - 1), this.line - 1, this.index);
    } catch (e) {
      if (!(e instanceof TraceFileError)) throw e;
      this.error = e;
      this.pos = this.end;
    }
    if (hashText) this.hasher.update(this.encoder.encode(hashText));
    return out;
  }

  private endsEarly(line: number): string {
    const after = this.index > 0 ? `after record ${this.index - 1} (${formatClock(this.lastT)})` : 'before its first record';
    return `${this.file} is not a complete sentinel-sim trace: the file ends early, at line ${line}, ${after}, before the closing lines ("]" and the sha256): was the run interrupted?`;
  }

  /** After the last chunk: null when the lines hash to the file's sha256, else the message to show. */
  verify(records: readonly TraceRecord[]): string | null {
    if (this.error) return this.error.message;
    if (this.sha256 === null) return `${this.file} has no sha256`;
    if (!this.lineLayout) return verifyTraceHash({ header: this.header, records: records as TraceRecord[], sha256: this.sha256 }, this.file);
    const actual = this.hasher.digestHex();
    return actual === this.sha256 ? null : `${this.file}: trace hash mismatch (the file says ${this.sha256}, its records hash to ${actual}): the file was modified or damaged`;
  }
}

/**
 * A trace file read as it arrives (a File's or a response's stream): text in, records out, line by line, so
 * the first frame is drawn before the file is read to its end. Files in `run --trace`'s line layout only;
 * `fallback` is true when the first lines are not in it (the caller then reads the whole text).
 */
export class TraceLineStream {
  header: TraceHeader | null = null;
  sha256: string | null = null;
  error: TraceFileError | null = null;
  fallback = false;
  private buf = '';
  private line = 1;
  private index = 0;
  private lastT = 0;
  private tail: string | null = null;
  private readonly hasher = nobleSha256();
  private readonly encoder = new TextEncoder();
  /** The text read while deciding the layout (kept for the fallback). */
  head = '';

  constructor(private readonly file = 'the file') {}

  /** Feed text; returns the records completed by it. */
  push(text: string): TraceRecord[] {
    if (this.error || this.fallback) return [];
    this.buf += text;
    const out: TraceRecord[] = [];
    if (!this.header) {
      if (this.head.length < 1 << 20) this.head += text;
      const m = HEADER_LINE.exec(this.buf.slice(0, Math.min(this.buf.length, 1 << 20)));
      if (!m) {
        if (this.buf.split('\n', 3).length >= 3 || this.buf.length > 1 << 20) this.fallback = true;
        return out;
      }
      try {
        this.header = checkHeader(JSON.parse(m[1]), this.file, 1);
      } catch (e) {
        this.error = e instanceof TraceFileError ? e : new TraceFileError(`${this.file} has a damaged trace header (line 1: ${(e as Error).message})`, 1);
        return out;
      }
      this.hasher.update(this.encoder.encode(canonicalJson(this.header) + '\n'));
      this.buf = this.buf.slice(m[0].length);
      this.line = 3;
    }
    let hashText = '';
    let start = 0;
    try {
      for (let nl = this.buf.indexOf('\n', start); nl >= 0; nl = this.buf.indexOf('\n', start)) {
        let l = this.buf.slice(start, nl);
        start = nl + 1;
        if (this.tail !== null) {
          this.tail += l + '\n';
          continue;
        }
        if (l === ']' || l.startsWith('],')) {
          this.tail = l + '\n';
          continue;
        }
        if (l.endsWith(',')) l = l.slice(0, -1);
        let r: unknown;
        try {
          r = JSON.parse(l);
        } catch (e) {
          throw new TraceFileError(`${this.file}: record ${this.index} (line ${this.line}) is not valid JSON (${(e as Error).message.replace(/\s+/g, ' ')})`, this.line, this.index);
        }
        this.lastT = checkRecord(r, this.index, this.lastT, this.file, this.line);
        this.index++;
        this.line++;
        out.push(r as TraceRecord);
        hashText += l + '\n';
      }
    } catch (e) {
      if (!(e instanceof TraceFileError)) throw e;
      this.error = e;
    }
    this.buf = this.buf.slice(start);
    if (hashText) this.hashUtf8(hashText);
    return out;
  }

  /**
   * Hash text as UTF-8 through one buffer kept from call to call: a new array per piece read (83 MB of them for
   * an 83 MB file) is memory outside the JS heap that the page's GC then spends 50–120 ms at a time releasing.
   */
  private hashUtf8(text: string): void {
    if (this.scratch.length < text.length * 3) this.scratch = new Uint8Array(text.length * 3);
    const { written } = this.encoder.encodeInto(text, this.scratch);
    this.hasher.update(this.scratch.subarray(0, written));
  }

  private scratch = new Uint8Array(0);

  /** The file is read: the closing lines and the hash, or the problem (a file that ends early). */
  end(): TraceRecord[] {
    if (this.error || this.fallback || !this.header) return [];
    const out: TraceRecord[] = [];
    if (this.tail === null && this.buf.startsWith(']')) this.tail = '';
    const tail = this.tail === null ? '' : this.tail + this.buf;
    const m = /^\],\n"sha256":"([0-9a-f]{64})"\}\s*$/.exec(tail);
    if (!m && !this.error) {
      const after = this.index > 0 ? `after record ${this.index - 1} (${formatClock(this.lastT)})` : 'before its first record';
      this.error = new TraceFileError(`${this.file} is not a complete sentinel-sim trace: the file ends early, at line ${this.line - 1}, ${after}, before the closing lines ("]" and the sha256): was the run interrupted?`, this.line - 1, this.index);
    } else if (m) this.sha256 = m[1];
    return out;
  }

  /** After end(): null when the lines hash to the file's sha256, else the message to show. */
  verify(): string | null {
    if (this.error) return this.error.message;
    const actual = this.hasher.digestHex();
    return actual === this.sha256 ? null : `${this.file}: trace hash mismatch (the file says ${this.sha256}, its records hash to ${actual}): the file was modified or damaged`;
  }
}
