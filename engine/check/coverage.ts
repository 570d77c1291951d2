// Coverage of a search (issue 7): which Sentinel events and failover states the generated runs reached,
// counted once per run, so a summary shows whether the search explores failovers and not only quiet runs.
import type { TraceRecord } from '../trace/types.ts';
import { isSentinelEvent } from './trace-read.ts';

/** Events every summary lists (0 when never reached), in this order; others reached are listed after. */
export const HEADLINE_EVENTS = [
  '+sdown',
  '+odown',
  '+try-failover',
  '+elected-leader',
  '-failover-abort-not-elected',
  '-failover-abort-no-good-slave',
  '-failover-abort-slave-timeout',
  '+promoted-slave',
  '+failover-end',
  '+failover-end-for-timeout',
  '+switch-master',
  '+config-update-from',
  '+convert-to-slave',
  '+fix-slave-config',
  '+tilt',
  '-tilt',
] as const;

/** The set of Sentinel events (and fault kinds, as "fault:<kind>") one run reached. */
export function runCoverage(records: Iterable<TraceRecord>): string[] {
  const s = new Set<string>();
  for (const r of records) {
    if (isSentinelEvent(r)) s.add(r.event!);
    else if (r.k === 'fault') s.add(`fault:${r.fault}`);
  }
  return [...s].sort();
}

/** Runs reaching each event, summed over runs. */
export class Coverage {
  readonly runs = new Map<string, number>();
  total = 0;

  add(reached: readonly string[]): void {
    this.total++;
    for (const e of reached) this.runs.set(e, (this.runs.get(e) ?? 0) + 1);
  }

  merge(o: { total: number; runs: Record<string, number> }): void {
    this.total += o.total;
    for (const [e, n] of Object.entries(o.runs)) this.runs.set(e, (this.runs.get(e) ?? 0) + n);
  }

  toJSON(): { total: number; runs: Record<string, number> } {
    return { total: this.total, runs: Object.fromEntries([...this.runs].sort()) };
  }

  /** Lines "event  runs  %": the headline events first, then the other events, then fault kinds. */
  lines(): string[] {
    const pct = (n: number) => (this.total ? `${((100 * n) / this.total).toFixed(0)} %` : '-');
    const row = (e: string) => `${e.padEnd(34)} ${String(this.runs.get(e) ?? 0).padStart(7)} ${pct(this.runs.get(e) ?? 0).padStart(6)}`;
    const head = new Set<string>(HEADLINE_EVENTS);
    const others = [...this.runs.keys()].filter((e) => !head.has(e) && !e.startsWith('fault:')).sort();
    const faults = [...this.runs.keys()].filter((e) => e.startsWith('fault:')).sort();
    return [`${'event (runs reaching it)'.padEnd(34)} ${'runs'.padStart(7)} ${'of all'.padStart(6)}`, ...HEADLINE_EVENTS.map(row), ...others.map(row), ...faults.map(row)];
  }
}
