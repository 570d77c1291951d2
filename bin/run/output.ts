// What `run` and `replay` print, from trace records only, so both print the same bytes for the same trace:
// the Redis-style log (log), one JSON object per line (jsonl, docs/cli.md), or just the summary.
import { formatClock } from '../../engine/sim/time.ts';
import { formatLogLine } from '../../engine/trace/logformat.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import type { SummaryReport } from '../../scenarios/api/summary.ts';
import type { Out } from './out.ts';

export type Format = 'log' | 'jsonl' | 'summary';
export const FORMATS: readonly Format[] = ['log', 'jsonl', 'summary'];

const PAD = 15;

/** Prints records as they come, and collects the failure texts for stderr. */
export class RecordPrinter {
  /** Expectation failure texts and the error, in order (printed on stderr at the end). */
  readonly problems: string[] = [];

  constructor(
    private readonly out: Out,
    private readonly format: Format,
    /** Print records (false: only the summary at the end). */
    private readonly stream: boolean,
  ) {}

  record(r: TraceRecord): void {
    if (r.k === 'note') {
      const d = (r.data ?? {}) as { ok?: boolean; text?: string; message?: string };
      if (r.what === 'expect' && !d.ok) this.problems.push(d.text ?? `expectation failed: ${d.message}`);
      if (r.what === 'error') this.problems.push(`scenario failed ${d.message ?? ''}`);
    }
    if (!this.stream) return;
    if (this.format === 'jsonl') {
      const o = jsonlRecord(r);
      if (o) this.out.line(JSON.stringify(o));
    } else if (this.format === 'log') {
      const s = logRecord(r);
      if (s !== null) this.out.line(s);
    }
  }

  /** The summary (text table or the jsonl summary line), then the hash line. */
  finish(report: SummaryReport, sha256: string): void {
    if (this.format === 'jsonl') {
      this.out.line(JSON.stringify({ summary: report.summary, traceSha256: sha256 }));
      return;
    }
    if (this.stream) this.out.line('');
    for (const l of summaryText(report)) this.out.line(l);
    this.out.line(`trace sha256 ${sha256}`);
  }
}

/** One line of the log format, or null for records it does not show. */
export function logRecord(r: TraceRecord): string | null {
  const blank = ''.padEnd(PAD);
  switch (r.k) {
    case 'log':
      return `${r.node.padEnd(PAD)} ${formatLogLine(r)}`;
    case 'fault':
      return `${blank} *** ${formatClock(r.t)} fault ${r.fault}${r.target ? ' ' + r.target : ''}${r.args ? ' ' + JSON.stringify(r.args) : ''}`;
    case 'proc':
      return r.ev === 'exit' ? `${r.node.padEnd(PAD)} *** ${formatClock(r.t)} process exited: ${r.reason ?? ''}` : null;
    case 'note': {
      const d = (r.data ?? {}) as { ok?: boolean; text?: string; message?: string };
      const at = `${blank} *** ${formatClock(r.t)}`;
      if (r.what === 'note') return `${at} note: ${d.text ?? ''}`;
      if (r.what === 'expect') return d.ok ? `${at} expect ok: ${d.message}` : `${at} ${(d.text ?? d.message ?? '').split('\n').join(`\n${blank}     `)}`;
      if (r.what === 'error') return `${at} scenario failed ${d.message ?? ''}`.split('\n').join(`\n${blank}     `);
      return null;
    }
    default:
      return null;
  }
}

/** The jsonl object of a record, or null (messages, keyframes, process records and bookkeeping notes are left out). */
export function jsonlRecord(r: TraceRecord): Record<string, unknown> | null {
  const t = r.t / 1000;
  switch (r.k) {
    case 'log':
      return { t, node: r.node, kind: r.kind, event: r.event, line: r.line };
    case 'fault': {
      const o: Record<string, unknown> = { t, kind: 'fault', fault: r.fault, target: r.target ?? null };
      if (r.args) o.args = r.args;
      return o;
    }
    case 'note': {
      const d = (r.data ?? {}) as { ok?: boolean; text?: string; message?: string };
      if (r.what === 'note') return { t, kind: 'note', what: 'note', text: d.text ?? '' };
      if (r.what === 'expect') return { t, kind: 'note', what: 'expect', ok: Boolean(d.ok), text: d.ok ? (d.message ?? '') : (d.text ?? d.message ?? '') };
      if (r.what === 'error') return { t, kind: 'note', what: 'error', text: d.message ?? '' };
      return null;
    }
    default:
      return null;
  }
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('').trimEnd());
}

const secs = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** The summary table of the log and summary formats. */
export function summaryText(rep: SummaryReport): string[] {
  const s = rep.summary;
  const how = rep.endReason === 'until' ? 'stopped by --until' : rep.endReason === 'error' ? 'the script threw' : 'script finished';
  const L: string[] = [`=== summary: ${rep.scenario} (seed ${rep.seed}), ended at ${formatClock(rep.endT)}, ${how} ===`];
  const sentinels = rep.sentinels;
  if (sentinels.length > 0) L.push(...table([['sentinel', 'master', 'current-epoch'], ...sentinels.map((n) => [n, s.masters[n] ?? '?', String(s.currentEpochs[n] ?? '?')])]));
  else L.push('sentinels: none');
  L.push('');
  const servers = rep.servers;
  if (servers.length > 0) L.push(...table([['server', 'role'], ...servers.map((n) => [n, s.roles[n] ?? '?'])]));
  L.push('');
  if (s.failovers.length === 0) L.push('failovers: none');
  else
    L.push(
      ...table([
        ['failover epoch', 'leader', 'promoted', 'started', 'ended', 'duration'],
        ...s.failovers.map((f) => [
          String(f.epoch),
          f.leader,
          f.promoted ?? '-',
          formatClock(f.startMs * 1000),
          f.endMs === null ? 'unfinished' : formatClock(f.endMs * 1000),
          f.endMs === null ? '-' : secs(f.endMs - f.startMs),
        ]),
      ]),
    );
  const c = s.clientOps;
  L.push(rep.hasClients ? `client ops: ok ${c.ok}, failed ${c.failed}, unknown ${c.unknown}, acknowledged-but-lost ${c.lostAcknowledged}` : 'client ops: no clients');
  L.push(`expectations: ${s.expectations.passed} passed, ${s.expectations.failed} failed`);
  return L;
}
