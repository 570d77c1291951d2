// The shape every checker shares (design.md, engine/check): pure functions over a trace and its histories.
import type { Micros } from '../sim/time.ts';
import type { TraceHeader, TraceRecord } from '../trace/types.ts';

/** One broken rule, at a virtual instant, with the evidence in words. */
export interface Violation {
  /** Virtual µs where the violation is visible. */
  t: Micros;
  /** The node whose log or state shows it, if any. */
  node?: string;
  message: string;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  violations: Violation[];
  /** A few human lines: what was checked, the figures, and the violations. */
  report: string;
  /** Figures for summaries (e.g. lost writes), optional. */
  figures?: Record<string, number | string>;
}

/**
 * What the generated cluster looked like, for the checks that need configuration the trace does not
 * otherwise carry (replica-priority, down-after, failover-timeout). Written into the trace as the
 * note {what: 'check-config'} by property runs, or passed in directly.
 */
export interface CheckConfig {
  masterName: string;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  parallelSyncs: number;
  /** replica-priority of each server node ("ip:port"); absent = 100. */
  priorities: Record<string, number>;
  persistence: string;
  minReplicasToWrite: number;
  minReplicasMaxLag: number;
}

export interface CheckInput {
  header: TraceHeader | null;
  records: readonly TraceRecord[];
  /** Overrides the trace's check-config note. */
  config?: CheckConfig;
}

export type Checker = (input: CheckInput) => CheckResult;

/** Note names written by property runs (engine/check/property) and read by the checkers. */
export const NOTE_CONFIG = 'check-config';
/** {what: 'quiet'}: the quiet period begins (every fault healed); data: {boundMs}. */
export const NOTE_QUIET = 'quiet';
/** {what: 'probe'}: what an operator sees (ROLE of every server, get-master-addr-by-name of every Sentinel). */
export const NOTE_PROBE = 'probe';

export interface ProbeData {
  /** Sentinel "ip:port" → the master address it names, null (unknown master) or an error text. */
  sentinels: Record<string, string | null>;
  /** Server "ip:port" → ROLE: master, or slave of "ip:port" with its link state, or down / an error. */
  servers: Record<string, { role: string; master?: string; link?: string }>;
}

/** Format a violation list as report lines (at most `max`). */
export function violationLines(vs: readonly Violation[], max = 8): string[] {
  const out = vs.slice(0, max).map((v) => `  ✗ ${clock(v.t)}${v.node ? ` ${v.node}` : ''}: ${v.message}`);
  if (vs.length > max) out.push(`  … and ${vs.length - max} more`);
  return out;
}

/** "00:01:30.250" (engine/sim/time formatClock, repeated here to keep this file dependency-free). */
export function clock(t: Micros): string {
  const totalMs = Math.floor(t / 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(Math.floor(totalMs / 3_600_000))}:${p2(Math.floor((totalMs % 3_600_000) / 60_000))}:${p2(Math.floor((totalMs % 60_000) / 1000))}.${String(totalMs % 1000).padStart(3, '0')}`;
}

/** Build a result from its violations and the summary lines. */
export function result(name: string, violations: Violation[], summary: string[], figures?: CheckResult['figures']): CheckResult {
  const ok = violations.length === 0;
  const report = [`${name}: ${ok ? 'ok' : `${violations.length} violation${violations.length === 1 ? '' : 's'}`}`, ...summary.map((l) => `  ${l}`), ...violationLines(violations)].join('\n');
  return { name, ok, violations, report, figures };
}
