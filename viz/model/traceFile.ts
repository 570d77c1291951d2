// Reading a trace file written by `sentinel-sim run --trace` in the browser: shape checks with one clear
// message per problem (the same checks `sentinel-sim replay` makes), and the hash verified afterwards.
import { canonicalJson } from '../../engine/trace/canonical.ts';
import { hashTrace, nobleSha256 } from '../../engine/trace/trace.ts';
import { RECORD_KINDS, TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type TraceRecord } from '../../engine/trace/types.ts';

export class TraceFileError extends Error {
  override readonly name = 'TraceFileError';
}

export interface TraceFile {
  header: TraceHeader;
  records: TraceRecord[];
  sha256: string;
}


export function parseTraceText(text: string, file = 'the file'): TraceFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const why = (e as Error).message.replace(/\s+/g, ' ');
    if (!text.includes(`"format":"${TRACE_FORMAT}"`)) throw new TraceFileError(`${file} is not a sentinel-sim trace (not JSON: ${why})`);
    const truncated = !text.trimEnd().endsWith('}');
    throw new TraceFileError(`${file} is not a complete sentinel-sim trace: ${truncated ? 'the file ends early (was the run interrupted?)' : `invalid JSON (${why})`}`);
  }
  const d = doc as { header?: Partial<TraceHeader>; records?: unknown; sha256?: unknown };
  if (typeof d !== 'object' || d === null || typeof d.header !== 'object' || d.header === null || d.header.format !== TRACE_FORMAT)
    throw new TraceFileError(`${file} is not a sentinel-sim trace (expected {"header":{"format":"${TRACE_FORMAT}",...},"records":[...],"sha256":...}, as written by sentinel-sim run --trace)`);
  if (d.header.version !== TRACE_VERSION)
    throw new TraceFileError(`${file} is a version ${String(d.header.version)} trace; this viewer reads version ${TRACE_VERSION}`);
  const h = d.header;
  if (typeof h.seed !== 'string' || typeof h.scenario !== 'string' || typeof h.topology !== 'object' || h.topology === null || !Array.isArray(h.topology.nodes) || !Array.isArray(h.topology.hosts))
    throw new TraceFileError(`${file} has a damaged trace header`);
  if (!Array.isArray(d.records)) throw new TraceFileError(`${file} has no records array`);
  if (typeof d.sha256 !== 'string') throw new TraceFileError(`${file} has no sha256`);
  const records = d.records as TraceRecord[];
  let lastT = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as { k?: string; t?: unknown };
    if (typeof r !== 'object' || r === null || !RECORD_KINDS.has(r.k ?? '') || typeof r.t !== 'number')
      throw new TraceFileError(`${file}: record ${i} is not a trace record`);
    if (r.t < lastT) throw new TraceFileError(`${file}: record ${i} goes back in time (${r.t} µs after ${lastT} µs)`);
    lastT = r.t;
  }
  return { header: h as TraceHeader, records, sha256: d.sha256 };
}

/** Null when the records hash to the file's sha256, else the message to show. */
export function verifyTraceHash(f: TraceFile, file = 'the file'): string | null {
  const actual = hashTrace(f.header, f.records);
  return actual === f.sha256 ? null : `${file}: trace hash mismatch (the file says ${f.sha256}, its records hash to ${actual}): the file was modified or damaged`;
}

/**
 * A trace file read in chunks, so the first frame is drawn before the whole file is parsed. Files in the
 * layout `run --trace` writes (the header on the first line, one canonical record per line) are read line
 * by line and hashed from their own lines; any other JSON layout is parsed at once.
 */
export class TraceTextReader {
  readonly header: TraceHeader;
  readonly sha256: string;
  private pos: number;
  private readonly end: number;
  private index = 0;
  private lastT = 0;
  private whole: TraceRecord[] | null = null;
  private readonly lineLayout: boolean;
  private readonly hasher = nobleSha256();
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly text: string,
    private readonly file = 'the file',
  ) {
    const m = /^\{"header":(\{.*\}),\n"records":\[\n/.exec(text.slice(0, Math.min(text.length, 1 << 20)));
    const tail = /\n\],\n"sha256":"([0-9a-f]{64})"\}\s*$/.exec(text.slice(-200));
    if (!m || !tail) {
      // not the streaming layout (or damaged): the whole-document checks give the precise message
      const f = parseTraceText(text, file);
      this.header = f.header;
      this.sha256 = f.sha256;
      this.whole = f.records;
      this.pos = this.end = 0;
      this.lineLayout = false;
      return;
    }
    const f = parseTraceText(`{"header":${m[1]},"records":[],"sha256":"${tail[1]}"}`, file);
    this.header = f.header;
    this.sha256 = f.sha256;
    this.pos = m[0].length;
    this.end = text.length - tail[0].length;
    this.lineLayout = true;
    this.hasher.update(this.encoder.encode(canonicalJson(this.header) + '\n'));
  }

  get done(): boolean {
    return this.whole ? this.whole.length === 0 && this.index > 0 : this.pos >= this.end;
  }

  /** The next records (up to `max`); an empty array when the file is read. Throws TraceFileError. */
  next(max: number): TraceRecord[] {
    if (this.whole) {
      if (this.index > 0) return [];
      this.index = 1;
      const all = this.whole;
      this.whole = [];
      return all;
    }
    const out: TraceRecord[] = [];
    const text = this.text;
    let hashText = '';
    while (this.pos < this.end && out.length < max) {
      let nl = text.indexOf('\n', this.pos);
      if (nl < 0 || nl > this.end) nl = this.end;
      let line = text.slice(this.pos, nl);
      this.pos = nl + 1;
      if (line.endsWith(',')) line = line.slice(0, -1);
      let r: { k?: string; t?: unknown };
      try {
        r = JSON.parse(line) as { k?: string; t?: unknown };
      } catch {
        throw new TraceFileError(`${this.file}: record ${this.index} is not valid JSON`);
      }
      if (typeof r !== 'object' || r === null || !RECORD_KINDS.has(r.k ?? '') || typeof r.t !== 'number') throw new TraceFileError(`${this.file}: record ${this.index} is not a trace record`);
      if (r.t < this.lastT) throw new TraceFileError(`${this.file}: record ${this.index} goes back in time (${r.t} µs after ${this.lastT} µs)`);
      this.lastT = r.t;
      this.index++;
      out.push(r as TraceRecord);
      hashText += line + '\n';
    }
    if (hashText) this.hasher.update(this.encoder.encode(hashText));
    return out;
  }

  /** After the last chunk: null when the lines hash to the file's sha256, else the message to show. */
  verify(records: readonly TraceRecord[]): string | null {
    if (!this.lineLayout) return verifyTraceHash({ header: this.header, records: records as TraceRecord[], sha256: this.sha256 }, this.file);
    const actual = this.hasher.digestHex();
    return actual === this.sha256 ? null : `${this.file}: trace hash mismatch (the file says ${this.sha256}, its records hash to ${actual}): the file was modified or damaged`;
  }
}
