// `sentinel-sim check --confirm-real`: replay a repro file (a shrunk failure, or a known failure's case) on the
// real-Redis twin (bin/real) k times and judge each real run with the same property checker, over the records
// the twin produces (log lines with the scenario's addresses, faults, the harness's notes — check-config,
// quiet, probes —, the clients' op notes and final read, keyframes every second). The verdict: "confirmed on
// real Redis 7.0.15 (k/n)" when the property failed in k > 0 of n real runs, else "simulator only (0/n)".
// The evidence (the violation and a short excerpt of the real run's log) goes into the repro file's header
// and into the JSON report.
//
// Properties judged on real runs: every trace checker (election-safety, epochs-monotonic, priority-zero,
// authorised-failover, convergence, data) and user checkers; not determinism (a property of the simulator) nor
// 'run' (the script threw in the simulator).
import { readFileSync, writeFileSync } from 'node:fs';
import { historyFromTrace, summarizeHistory } from '../../engine/client/history.ts';
import type { KnownFailure } from '../../engine/check/property/known.ts';
import { checkerFor, type CheckerTable } from '../../engine/check/property/verdict.ts';
import { TRACE_CHECKERS } from '../../engine/check/index.ts';
import type { CheckResult } from '../../engine/check/types.ts';
import { formatClock } from '../../engine/sim/time.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import type { RealResult, RealRunOptions } from '../real/types.ts';

/** Properties a real run cannot be judged on. */
export const NOT_JUDGED_ON_REAL: Record<string, string> = {
  determinism: 'determinism is a property of the simulator (two runs of one seed), not of Redis',
  run: 'the failure is a script error in the simulator, not a property of the cluster',
};

export interface RealAttempt {
  /** The run finished and the property could be judged. */
  judged: boolean;
  /** The property failed (or the known failure's signature showed) in this run. */
  shown: boolean;
  /** The checker's first violation, or what the run showed (known failures), or why it was not judged. */
  detail: string;
  /** Steps the twin skipped (no root for iptables, no clock library, latency, …). */
  skipped: string[];
  /** Every built-in trace property judged on this real run too (name → held), for the record. */
  verdicts: Record<string, boolean>;
  /** A short excerpt of the real run: faults, Sentinel events, replication milestones. */
  evidence: string[];
  error: string | null;
}

export interface RealConfirmation {
  property: string;
  /** The repro file replayed. */
  path: string;
  repeats: number;
  /** Runs in which the property failed (or the known failure showed). */
  confirmed: number;
  /** Runs that could be judged (finished). */
  judged: number;
  /** "confirmed on real Redis 7.0.15 (k/n)", "simulator only (0/n)", or why it was not replayed. */
  verdict: string;
  redisVersion: string | null;
  attempts: RealAttempt[];
  /** The known failure replayed, if it was one. */
  known?: string;
}

type RunRealFn = (file: string, opts?: RealRunOptions) => Promise<RealResult>;

const EVENTS = new Set([
  '+sdown',
  '+odown',
  '+try-failover',
  '+elected-leader',
  '+selected-slave',
  '+promoted-slave',
  '+switch-master',
  '+convert-to-slave',
  '+failover-end',
  '+tilt',
  '-tilt',
  '-failover-abort-no-good-slave',
  '-failover-abort-not-elected',
  '+failover-end-for-timeout',
]);
const SERVER_LINES = /MASTER MODE enabled|Synchronization with replica .* succeeded|Streamed RDB transfer .* succeeded|Connection with replica .* lost|MASTER <-> REPLICA sync: Finished|Connecting to MASTER/;

/** "00:00:29.092 127.0.0.1:26379 +switch-master …" lines of what matters in a run (at most `max`). */
export function evidenceLines(records: readonly TraceRecord[], max = 24): string[] {
  let out: string[] = [];
  let firstFault = Infinity;
  for (const r of records) if (r.k === 'fault') firstFault = Math.min(firstFault, r.t);
  for (const r of records) {
    if (r.k === 'fault') out.push(`${formatClock(r.t)} fault ${r.fault}${r.target ? ` ${r.target}` : ''}${r.args ? ` ${JSON.stringify(r.args)}` : ''}`);
    else if (r.k === 'log' && r.kind === 'sentinel' && r.event !== null && EVENTS.has(r.event)) out.push(`${formatClock(r.t)} ${r.node} ${r.line}`);
    else if (r.k === 'log' && r.kind === 'server' && r.t >= firstFault && SERVER_LINES.test(r.line)) out.push(`${formatClock(r.t)} ${r.node} ${r.line}`);
    else if (r.k === 'note' && r.what === 'workload-summary') {
      const d = r.data as { ok?: number; failed?: number; unknown?: number; accounting?: { acknowledged?: number; lost?: number } | null };
      const acc = d.accounting ? `, ${d.accounting.lost ?? 0} of ${d.accounting.acknowledged ?? 0} acknowledged writes lost` : '';
      out.push(`${formatClock(r.t)} clients: ${d.ok ?? 0} ok, ${d.failed ?? 0} failed, ${d.unknown ?? 0} unknown${acc}`);
    }
  }
  // Redis's long client descriptions ("MASTER MODE enabled (user request from 'id=4 addr=…')") cut short
  for (let i = 0; i < out.length; i++) if (out[i]!.length > 160) out[i] = `${out[i]!.slice(0, 157).replace(/ \(user request from.*$/, '')}…`;
  if (out.length <= max) return out;
  // too many: keep what tells the story (faults, selections, promotions, switches, aborts, TILT, the clients)
  const key = / fault |\+selected-slave|\+promoted-slave|\+switch-master|-failover-abort|[+-]tilt|clients: /;
  const kept = out.filter((l) => key.test(l));
  if (kept.length >= Math.min(8, max) || kept.length === out.length) out = kept.length < out.length ? kept : out;
  if (out.length <= max) return out;
  const head = Math.ceil(max / 2);
  return [...out.slice(0, head), `… ${out.length - max} more`, ...out.slice(out.length - (max - head))];
}

/** When the lost acknowledged writes of a set-add history were acknowledged (first, last; µs), or null. */
export function lostWindow(records: readonly TraceRecord[]): { first: number; last: number; count: number } | null {
  const history = historyFromTrace(records);
  const read = history.filter((e) => e.op === 'read-all' && e.outcome === 'ok' && Array.isArray(e.value)).at(-1);
  if (!read) return null;
  const acc = summarizeHistory(history, read.value as string[], read.key);
  const lost = new Set(acc.details.lost);
  const times = history.filter((e) => e.op === 'sadd' && e.outcome === 'ok' && e.complete !== null && lost.has(e.value as number)).map((e) => e.complete!);
  return times.length > 0 ? { first: Math.min(...times), last: Math.max(...times), count: times.length } : null;
}

/**
 * Whether a run shows the failure. A search failure: its property fails. A known failure: the checker of the
 * rule it breaks (`violates`) fails; or, when that rule is its `property` itself or it has none (reported, not
 * judged), the property's figures show the weakness — acknowledged writes lost — as its demonstration prints
 * them (a rule with a time window may let the real run's loss through by a few hundred ms of timing: 5508).
 */
export function shows(r: CheckResult, known: KnownFailure | undefined, records: readonly TraceRecord[] = []): { shown: boolean; detail: string } {
  const lost = Number(r.figures?.lost ?? 0);
  const acked = Number(r.figures?.acknowledged ?? 0);
  const w = lost > 0 ? lostWindow(records) : null;
  const when = w ? `, acknowledged from ${formatClock(w.first)} to ${formatClock(w.last)}` : '';
  if (!r.ok) return { shown: true, detail: `${r.name} violated: ${r.violations[0]?.message ?? ''}${r.name === 'data' ? when : ''}` };
  if (known && (known.violates === undefined || known.violates === known.property) && known.property === r.name) {
    if (lost > 0) return { shown: true, detail: `${r.name} held, but ${lost} of ${acked} acknowledged writes lost${when} (class ${String(r.figures?.class ?? '?')})` };
    return { shown: false, detail: `${r.name} held, no acknowledged write lost (${acked} acknowledged)` };
  }
  return { shown: false, detail: `${r.name} held` };
}

/** The Redis version in words ("7.0.15") from `redis-server --version`. */
export const redisShort = (v: string | null) => (v ? (/v=(\S+)/.exec(v)?.[1] ?? v) : '?');

export interface ConfirmOptions {
  repeats: number;
  checkers?: CheckerTable;
  known?: KnownFailure;
  /** runReal (injectable for tests); loaded from bin/real on first use. */
  runReal?: RunRealFn;
  signal?: AbortSignal;
  /** Progress (stderr). */
  progress?: (text: string) => void;
}

/** Replay `path` on the twin `repeats` times and judge `property` on each real run. */
export async function confirmOnReal(path: string, property: string, o: ConfirmOptions): Promise<RealConfirmation> {
  const base: RealConfirmation = { property, path, repeats: o.repeats, confirmed: 0, judged: 0, verdict: '', redisVersion: null, attempts: [], ...(o.known ? { known: o.known.name } : {}) };
  const why = NOT_JUDGED_ON_REAL[property];
  const checker = checkerFor(property, o.checkers);
  if (why || !checker) return { ...base, verdict: `not replayed on real Redis: ${why ?? `no checker for property ${property}`}` };
  const runReal: RunRealFn = o.runReal ?? (await import('../real/run.ts')).runReal;
  for (let i = 1; i <= o.repeats; i++) {
    if (o.signal?.aborted) break;
    o.progress?.(`check: real run ${i}/${o.repeats} of ${path} (property ${property})...`);
    let res: RealResult;
    try {
      // another real run (a fidelity measurement) may hold the machine's aliases: wait for it
      res = await runReal(path, { signal: o.signal, lockWaitMs: 60 * 60_000 });
    } catch (e) {
      const msg = (e as Error)?.message ?? String(e);
      base.attempts.push({ judged: false, shown: false, detail: `the real run failed: ${msg}`, skipped: [], verdicts: {}, evidence: [], error: msg });
      if ((e as Error)?.name === 'RealInterrupted' || (e as { exitCode?: number })?.exitCode === 2) break;
      continue;
    }
    base.redisVersion = res.redisVersion;
    const r = checker({ header: res.header, records: res.records });
    const s = shows(r, o.known, res.records);
    // a script that failed half-way (a step could not keep its time on a loaded machine: "at(…): the scenario is
    // already at …") did not replay the case: what it shows counts, what it does not show does not
    const judged = s.shown || res.error === null;
    if (!judged) s.detail = `not judged: the real run's script failed (${res.error}); ${s.detail}`;
    if (judged) base.judged++;
    if (s.shown) base.confirmed++;
    const verdicts: Record<string, boolean> = {};
    for (const [name, ck] of Object.entries(TRACE_CHECKERS)) verdicts[name] = ck({ header: res.header, records: res.records }).ok;
    base.attempts.push({ judged, shown: s.shown, detail: s.detail, skipped: res.skipped, verdicts, evidence: evidenceLines(res.records), error: res.error });
    o.progress?.(`check: real run ${i}/${o.repeats}: ${s.shown ? 'failed as in the simulator' : judged ? 'held' : 'not judged'} (${s.detail})`);
  }
  const v = redisShort(base.redisVersion);
  const n = base.judged;
  base.verdict = n === 0 ? `not confirmed: no real run could be judged (${base.attempts[0]?.detail ?? 'none ran'})` : base.confirmed > 0 ? `confirmed on real Redis ${v} (${base.confirmed}/${n})` : `simulator only (0/${n})`;
  return base;
}

const BEGIN = '// ---- replayed on real Redis (sentinel-sim check --confirm-real) ----';
const END = '// ---- end of the real-Redis replay ----';

/** The header block a confirmation adds to its repro file. */
export function confirmationBlock(c: RealConfirmation, date = new Date()): string[] {
  const L = [BEGIN, `// ${c.verdict}: property ${c.property}, ${c.attempts.length} replay(s) with \`sentinel-sim real\` on ${date.toISOString().slice(0, 10)}`];
  c.attempts.forEach((a, i) => {
    L.push(`//   real run ${i + 1}: ${a.judged ? (a.shown ? 'FAILED' : 'held') : 'not judged'} — ${a.detail}`);
    const bad = Object.entries(a.verdicts).filter(([, ok]) => !ok).map(([n]) => n);
    if (a.judged) L.push(`//     every trace property on this run: ${bad.length === 0 ? 'held' : `${bad.join(', ')} failed, the others held`}`);
  });
  const skipped = [...new Set(c.attempts.flatMap((a) => a.skipped.map((s) => s.replace(/^\d\d:\d\d:\d\d\.\d{3} /, ''))))];
  for (const s of skipped) L.push(`//   skipped on the twin: ${s}`);
  const shown = c.attempts.findIndex((a) => a.shown);
  const ex = shown >= 0 ? shown : c.attempts.findIndex((a) => a.judged);
  if (ex >= 0 && c.attempts[ex]!.evidence.length > 0) {
    L.push(`// real run ${ex + 1}, excerpt (times since the cluster started; the scenario's addresses):`);
    for (const e of c.attempts[ex]!.evidence) L.push(`//   ${e}`);
  }
  L.push(END);
  return L;
}

/** Put (or replace) the confirmation block in the repro file's header, before its first import. */
export function writeConfirmation(path: string, c: RealConfirmation): void {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const b = lines.indexOf(BEGIN);
  const e = lines.indexOf(END);
  if (b >= 0 && e > b) lines.splice(b, e - b + 1);
  let at = lines.findIndex((l) => l.startsWith('import '));
  if (at < 0) at = 0;
  lines.splice(at, 0, ...confirmationBlock(c));
  writeFileSync(path, lines.join('\n'));
}
