// `sentinel-sim replay <trace.json>`: print a trace file written by `run --trace` exactly as `run` printed it,
// after checking it is one (format, version, shape) and that its records hash to its sha256.
import { readFileSync } from 'node:fs';
import { hashTrace } from '../../engine/trace/trace.ts';
import { RECORD_KINDS, TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type TraceRecord } from '../../engine/trace/types.ts';
import { summarizeTrace } from '../../scenarios/api/summary.ts';
import { nodeSha256 } from '../nodeHash.ts';
import { CliError } from '../errors.ts';
import { errLine, Out } from './out.ts';
import { RecordPrinter, type Format } from './output.ts';

/** Parse and check a trace document; every problem is a CliError with one clear line. */
export function readTraceFile(file: string): { header: TraceHeader; records: TraceRecord[]; sha256: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`cannot open trace '${file}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`, 2);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    if (!/^\s*\{\s*"header"\s*:\s*\{\s*"detail"/.test(text) && !text.includes(`"format":"${TRACE_FORMAT}"`))
      throw new CliError(`'${file}' is not a sentinel-sim trace (not JSON: ${(e as Error).message.replace(/\s+/g, ' ')})`, 2);
    const truncated = !text.trimEnd().endsWith('}');
    throw new CliError(`'${file}' is not a complete sentinel-sim trace: ${truncated ? 'the file ends early (was the run interrupted?)' : `invalid JSON (${(e as Error).message.replace(/\s+/g, ' ')})`}`, 2);
  }
  const d = doc as { header?: Partial<TraceHeader>; records?: unknown; sha256?: unknown };
  if (typeof d !== 'object' || d === null || typeof d.header !== 'object' || d.header === null || d.header.format !== TRACE_FORMAT)
    throw new CliError(`'${file}' is not a sentinel-sim trace (expected {"header":{"format":"${TRACE_FORMAT}",...},"records":[...],"sha256":...})`, 2);
  if (d.header.version !== TRACE_VERSION)
    throw new CliError(`'${file}' is a version ${String(d.header.version)} trace; this sentinel-sim reads version ${TRACE_VERSION}`, 2);
  const h = d.header;
  if (typeof h.seed !== 'string' || typeof h.scenario !== 'string' || typeof h.topology !== 'object' || h.topology === null || !Array.isArray(h.topology.nodes))
    throw new CliError(`'${file}' has a damaged trace header`, 2);
  if (!Array.isArray(d.records)) throw new CliError(`'${file}' has no records array`, 2);
  if (typeof d.sha256 !== 'string') throw new CliError(`'${file}' has no sha256`, 2);
  const records = d.records as TraceRecord[];
  records.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || !RECORD_KINDS.has((r as { k?: string }).k ?? '') || typeof (r as { t?: unknown }).t !== 'number')
      throw new CliError(`'${file}': record ${i} is not a trace record`, 2);
  });
  const actual = hashTrace(h as TraceHeader, records, nodeSha256);
  if (actual !== d.sha256)
    throw new CliError(`'${file}': trace hash mismatch (the file says ${d.sha256}, its records hash to ${actual}): the file was modified or damaged`, 2);
  return { header: h as TraceHeader, records, sha256: d.sha256 };
}

export function replayCommand(file: string, flags: { format: Format; quiet?: boolean }): number {
  const { header, records, sha256 } = readTraceFile(file);
  const out = new Out();
  const printer = new RecordPrinter(out, flags.format, !flags.quiet && flags.format !== 'summary');
  for (const r of records) {
    if (out.broken) return 0;
    printer.record(r);
  }
  const report = summarizeTrace(header, records);
  printer.finish(report, sha256);
  out.flush();
  // stdout's reader went away (| head): end quietly
  if (out.broken) return 0;
  for (const p of printer.problems) errLine(out, `sentinel-sim: ${p}`);
  return report.status === 'ok' ? 0 : 1;
}
