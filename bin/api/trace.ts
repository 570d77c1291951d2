// `import … from 'sentinel-sim/trace'`: the trace format (types, constants), reading and verifying a trace
// file written by `sentinel-sim run --trace`, its canonical hash, summary and Redis-format log lines.
export * from '../../engine/trace/types.ts';
export { Trace, hashTrace, nobleSha256, type Sha256Hasher, type TraceListener, type TraceOptions } from '../../engine/trace/trace.ts';
export { canonicalJson } from '../../engine/trace/canonical.ts';
export { formatLogLine, redisTimestamp } from '../../engine/trace/logformat.ts';
export { summarizeTrace, type SummaryReport, type RunSummary } from '../../scenarios/api/summary.ts';
export { readTraceFile } from '../run/replay.ts';
export { CliError as TraceFileError } from '../run/load.ts';
export { nodeSha256 } from '../nodeHash.ts';
