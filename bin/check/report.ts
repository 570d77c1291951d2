// What `sentinel-sim check` prints after the search: one line per run (--verbose), the summary table per
// property, the Jepsen-style data accounting, the coverage of the search, and the known failures.
import type { Coverage } from '../../engine/check/coverage.ts';
import { describeCase } from '../../engine/check/property/case.ts';
import { KNOWN_FAILURES, type KnownFailure } from '../../engine/check/property/known.ts';
import { runCase } from '../../engine/check/property/run.ts';
import { nodeSha256 } from '../nodeHash.ts';
import type { RealConfirmation } from './confirm.ts';
import type { RunReport } from './task.ts';

export interface PropertyTally {
  runs: number;
  failed: number;
  /** Failing seeds, ascending. */
  seeds: number[];
}

export interface CheckSummary {
  runs: number;
  planned: number;
  wallMs: number;
  runsPerSecond: number;
  stoppedByBudget: boolean;
  /** The search was interrupted (Ctrl-C / SIGTERM): the report covers the runs done. */
  interrupted?: 'SIGINT' | 'SIGTERM' | null;
  properties: Record<string, PropertyTally>;
  coverage: Coverage;
  failures: { property: string; seed: number; path: string | null; file?: string; real?: RealConfirmation }[];
  reports: RunReport[];
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

/** "seed 17  sha256 0a1b2c3d4e5f  steps 4  virtual 123.0 s  ok" per run, by seed (comparable across shards). */
export function runLines(reports: readonly RunReport[]): string[] {
  return [...reports]
    .sort((a, b) => a.seed - b.seed)
    .map((r) => {
      const bad = Object.entries(r.verdicts).filter(([, ok]) => !ok).map(([n]) => n);
      const lost = r.data ? `  lost ${r.data.lost}/${r.data.acknowledged}` : '';
      return `seed ${r.seed}  sha256 ${r.sha256.slice(0, 16)}  steps ${r.steps}  virtual ${(r.virtualMs / 1000).toFixed(1)} s${lost}  ${bad.length ? `FAILED ${bad.join(',')}` : 'ok'}`;
    });
}

/** The summary table, the data accounting and the coverage (lines). */
export function summaryLines(s: CheckSummary): string[] {
  const L: string[] = [];
  const budget = s.interrupted
    ? `, interrupted by ${s.interrupted} after ${s.runs} of ${s.planned}`
    : s.stoppedByBudget
      ? `, stopped by the time budget after ${s.runs} of ${s.planned}`
      : '';
  L.push(`${s.runs} run(s) in ${(s.wallMs / 1000).toFixed(1)} s (${s.runsPerSecond.toFixed(1)} runs/s)${budget}`);
  L.push('');
  L.push(`${'property'.padEnd(22)} ${pad('runs', 6)} ${pad('failed', 7)}  failing seeds`);
  for (const [name, t] of Object.entries(s.properties)) {
    const seeds = t.seeds.length ? t.seeds.slice(0, 8).join(' ') + (t.seeds.length > 8 ? ' …' : '') : '-';
    L.push(`${name.padEnd(22)} ${pad(t.runs, 6)} ${pad(t.failed, 7)}  ${seeds}`);
  }
  const withData = s.reports.filter((r) => r.data !== null);
  if (withData.length > 0) {
    const judged = withData.filter((r) => r.data!.class !== 'faults');
    const other = withData.filter((r) => r.data!.class === 'faults');
    const sum = (rs: RunReport[], k: 'lost' | 'acknowledged') => rs.reduce((a, r) => a + r.data![k], 0);
    L.push('');
    L.push(`data (Jepsen accounting of acknowledged SADDs): ${withData.length} run(s) with a final read`);
    L.push(`  judged (no faults, clean master crash, min-replicas window): ${judged.length} run(s), ${sum(judged, 'lost')} of ${sum(judged, 'acknowledged')} acknowledged write(s) lost`);
    L.push(`  reported (other faults): ${other.length} run(s), ${other.filter((r) => r.data!.lost > 0).length} with loss, ${sum(other, 'lost')} of ${sum(other, 'acknowledged')} acknowledged write(s) lost`);
  }
  L.push('');
  L.push('coverage (runs that reached each Sentinel event / fault kind):');
  for (const l of s.coverage.lines()) L.push(`  ${l}`);
  return L;
}

export interface KnownOutcome {
  known: KnownFailure;
  lost: number;
  acknowledged: number;
}

/** Run one known-failure demonstration (in this thread). */
export function runKnown(k: KnownFailure): KnownOutcome {
  const o = runCase(k.case, { seed: String(k.seed), name: `known-${k.name}`, properties: [k.property], hasher: nodeSha256 });
  const f = o.results.find((x) => x.name === k.property)?.figures ?? {};
  return { known: k, lost: Number(f.lost ?? 0), acknowledged: Number(f.acknowledged ?? 0) };
}

/** The known failures whose property is among those checked, run and described (never a failure). */
export function knownFailureLines(properties: readonly string[]): string[] {
  const ks = KNOWN_FAILURES.filter((k) => properties.includes(k.property));
  if (ks.length === 0) return [];
  const L: string[] = ['known failures (documented demonstrations of Sentinel weaknesses, not failures of the check):'];
  for (const k of ks) {
    const o = runKnown(k);
    const shown = o.lost > 0 ? `${o.lost} of ${o.acknowledged} acknowledged writes lost` : `no loss this time (${o.acknowledged} acknowledged)`;
    L.push(`  ${k.name} (property ${k.property}, seed ${k.seed}): ${shown}`);
    L.push(`    ${k.description}`);
    L.push(`    source: ${k.source}`);
    for (const line of describeCase(k.case)) L.push(`    · ${line}`);
  }
  return L;
}
