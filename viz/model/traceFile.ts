// Reading a trace file written by `sentinel-sim run --trace` in the browser: shape checks with one clear
// message per problem (the same checks `sentinel-sim replay` makes), and the hash verified afterwards.
import { hashTrace } from '../../engine/trace/trace.ts';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type TraceRecord } from '../../engine/trace/types.ts';

export class TraceFileError extends Error {
  override readonly name = 'TraceFileError';
}

export interface TraceFile {
  header: TraceHeader;
  records: TraceRecord[];
  sha256: string;
}

const KINDS = new Set(['fault', 'proc', 'log', 'msg', 'keyframe', 'note']);

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
    if (typeof r !== 'object' || r === null || !KINDS.has(r.k ?? '') || typeof r.t !== 'number')
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
