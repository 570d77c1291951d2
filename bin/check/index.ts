// `sentinel-sim check`: property runs over a seed range on worker threads (tinypool), progress on stderr,
// a summary table per property, coverage of the search, shrunk repro files for failures, and the
// known-failure demonstrations. Exit 1 when a property fails.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import { Coverage } from '../../engine/check/coverage.ts';
import { describeCase } from '../../engine/check/property/case.ts';
import { KNOWN_FAILURES } from '../../engine/check/property/known.ts';
import { failureScreen, renderRepro, reproName } from '../../engine/check/property/repro.ts';
import { runCase } from '../../engine/check/property/run.ts';
import { shrinkFailure } from '../../engine/check/property/shrink.ts';
import { nodeSha256 } from '../nodeHash.ts';
import { resolveOptions, shardSeeds, type CheckOptions, type ResolvedOptions } from './options.ts';
import { runTask, type RunReport, type RunTask } from './task.ts';

export { parseShard, resolveOptions, shardSeeds, type CheckOptions } from './options.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface CheckIO {
  /** A line of the report (stdout). */
  out: (line: string) => void;
  /** Progress text (stderr); `transient` lines are overwritten on a TTY. */
  err: (text: string, transient?: boolean) => void;
  /** Wall clock in ms (injectable for tests). */
  now: () => number;
}

function defaultIO(): CheckIO {
  const tty = Boolean(process.stderr.isTTY);
  let onScreen = false;
  return {
    out: (line) => {
      if (onScreen) process.stderr.write('\r\x1b[K');
      onScreen = false;
      process.stdout.write(line + '\n');
    },
    err: (text, transient) => {
      if (transient && tty) {
        process.stderr.write(`\r\x1b[K${text}`);
        onScreen = true;
      } else {
        if (onScreen) process.stderr.write('\r\x1b[K');
        onScreen = false;
        process.stderr.write(text + '\n');
      }
    },
    now: () => performance.now(),
  };
}

export interface PropertyTally {
  runs: number;
  failed: number;
  firstSeed: number | null;
}

export interface CheckSummary {
  runs: number;
  wallMs: number;
  runsPerSecond: number;
  stoppedByBudget: boolean;
  properties: Record<string, PropertyTally>;
  coverage: Coverage;
  failures: { property: string; seed: number; path: string | null }[];
  reports: RunReport[];
}

/** The task of one seed: determinism only on every k-th run (it doubles the cost). */
function taskFor(seed: number, o: ResolvedOptions, index: number): RunTask {
  const onlyDeterminism = o.properties.length === 1 && o.properties[0] === 'determinism';
  const props = o.properties.filter((p) => p !== 'determinism' || onlyDeterminism || index % o.determinismEvery === 0);
  return { seed, properties: props, caseOptions: { scheduleMs: o.scheduleMs } };
}

/** Run the seeds (on a pool when workers > 0), calling back as each report arrives. */
export async function runSeeds(seeds: number[], o: ResolvedOptions, io: CheckIO, onReport: (r: RunReport) => void): Promise<{ stoppedByBudget: boolean }> {
  const t0 = io.now();
  const overBudget = () => io.now() - t0 > o.timeBudgetMs;
  let stopped = false;
  if (o.workers === 0) {
    for (let i = 0; i < seeds.length; i++) {
      if (overBudget()) {
        stopped = true;
        break;
      }
      onReport(runTask(taskFor(seeds[i]!, o, i)));
    }
    return { stoppedByBudget: stopped };
  }
  const pool = new Tinypool({ filename: new URL('./worker.js', import.meta.url).href, minThreads: o.workers, maxThreads: o.workers, idleTimeout: 1000 });
  try {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < seeds.length) {
        if (overBudget()) {
          stopped = true;
          return;
        }
        const i = next++;
        onReport((await pool.run(taskFor(seeds[i]!, o, i))) as RunReport);
      }
    };
    await Promise.all(Array.from({ length: o.workers }, lane));
  } finally {
    await pool.destroy();
  }
  return { stoppedByBudget: stopped };
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

/** The summary table, the data accounting and the coverage (lines). */
export function summaryLines(s: CheckSummary): string[] {
  const L: string[] = [];
  L.push(`${s.runs} run(s) in ${(s.wallMs / 1000).toFixed(1)} s (${s.runsPerSecond.toFixed(1)} runs/s)${s.stoppedByBudget ? ', stopped by the time budget' : ''}`);
  L.push('');
  L.push(`${'property'.padEnd(22)} ${pad('runs', 6)} ${pad('failed', 7)}  first failing seed`);
  for (const [name, t] of Object.entries(s.properties)) L.push(`${name.padEnd(22)} ${pad(t.runs, 6)} ${pad(t.failed, 7)}  ${t.firstSeed ?? '-'}`);
  const withData = s.reports.filter((r) => r.data !== null);
  if (withData.length > 0) {
    const strict = withData.filter((r) => r.data!.class !== 'faults');
    const other = withData.filter((r) => r.data!.class === 'faults');
    const sum = (rs: RunReport[], k: 'lost' | 'acknowledged') => rs.reduce((a, r) => a + r.data![k], 0);
    L.push('');
    L.push(`data (Jepsen accounting): ${withData.length} run(s) with a final read`);
    L.push(`  judged (no faults, clean master crash, min-replicas window): ${strict.length} run(s), ${sum(strict, 'lost')} acknowledged write(s) lost of ${sum(strict, 'acknowledged')}`);
    L.push(
      `  reported (other faults): ${other.length} run(s), ${other.filter((r) => r.data!.lost > 0).length} with loss, ${sum(other, 'lost')} acknowledged write(s) lost of ${sum(other, 'acknowledged')}`,
    );
  }
  L.push('');
  L.push('coverage (runs that reached each Sentinel event / fault kind):');
  for (const l of s.coverage.lines()) L.push(`  ${l}`);
  return L;
}

/** Run the known-failure demonstrations and describe what they show (never a failure). */
export function knownFailureLines(): string[] {
  const L: string[] = ['known failures (documented demonstrations of Sentinel weaknesses, not test failures):'];
  for (const k of KNOWN_FAILURES) {
    const o = runCase(k.case, { seed: String(k.seed), name: `known-${k.name}`, properties: [k.property], hasher: nodeSha256 });
    const r = o.results.find((x) => x.name === k.property);
    const f = r?.figures ?? {};
    const shown = Number(f.lost ?? 0) > 0;
    L.push(`  ${k.name}: ${shown ? `${f.lost} of ${f.acknowledged} acknowledged writes lost` : 'did not show a loss this time'} (${k.source})`);
    L.push(`    ${k.description}`);
    for (const line of describeCase(k.case)) L.push(`    · ${line}`);
  }
  return L;
}

/** Shrink the first failure of each property and write its repro file. */
function shrinkAndWrite(o: ResolvedOptions, s: CheckSummary, io: CheckIO): void {
  for (const [property, t] of Object.entries(s.properties)) {
    if (t.firstSeed === null) continue;
    const seed = t.firstSeed;
    io.err(`check: shrinking the failure of ${property} (seed ${seed})...`);
    let shrunk = null;
    try {
      shrunk = shrinkFailure(seed, property, {
        caseOptions: { scheduleMs: o.scheduleMs },
        maxRuns: Math.max(1, o.shrinkRuns),
        hasher: nodeSha256,
        onRun: (failed, runs) => io.err(`check: shrinking ${property} seed ${seed}: ${runs} run(s)${failed ? ', smaller failure found' : ''}`, true),
      });
    } catch (e) {
      io.out(`✗ property ${property} failed at seed ${seed}; shrinking it threw: ${(e as Error).message}`);
      continue;
    }
    if (!shrunk) {
      io.out(`✗ property ${property} failed at seed ${seed}, but the replay did not fail again (see its report above)`);
      s.failures.push({ property, seed, path: null });
      continue;
    }
    const dir = resolve(o.out);
    const file = resolve(dir, `${reproName(property, seed)}.ts`);
    const display = relative(process.cwd(), file) || file;
    let path: string | null = display;
    try {
      mkdirSync(dir, { recursive: true });
      let base = relative(dir, ROOT).split('\\').join('/') || '.';
      if (!base.startsWith('.')) base = `./${base}`;
      writeFileSync(file, renderRepro(shrunk, { importBase: base, displayPath: display }));
    } catch (e) {
      io.err(`check: cannot write ${display}: ${(e as Error).message}`);
      path = null;
    }
    s.failures.push({ property, seed, path });
    io.out('');
    io.out(failureScreen(shrunk, path));
  }
}

/** `sentinel-sim check [options]`: returns the exit status (0 every property held, 1 one failed). */
export async function checkCommand(opts: CheckOptions = {}, ioIn?: Partial<CheckIO>): Promise<number> {
  const io = { ...defaultIO(), ...ioIn };
  const o = resolveOptions(opts);
  const seeds = shardSeeds(o.seed, o.runs, o.shard);
  const props: Record<string, PropertyTally> = {};
  for (const p of o.properties) props[p] = { runs: 0, failed: 0, firstSeed: null };
  const summary: CheckSummary = { runs: 0, wallMs: 0, runsPerSecond: 0, stoppedByBudget: false, properties: props, coverage: new Coverage(), failures: [], reports: [] };
  const shardText = o.shard.count > 1 ? ` (shard ${o.shard.index}/${o.shard.count} of seeds ${o.seed}..${o.seed + o.runs - 1})` : '';
  io.err(`check: ${seeds.length} run(s) from seed ${seeds[0] ?? '-'}${shardText}, ${o.scheduleMs / 1000} s schedules, ${o.workers || 'no'} worker(s), properties ${o.properties.join(', ')}`);
  const t0 = io.now();
  let lastProgress = t0;
  let failedRuns = 0;
  const progress = (force = false) => {
    const now = io.now();
    if (!force && now - lastProgress < 1000) return;
    lastProgress = now;
    const rate = summary.runs / Math.max(0.001, (now - t0) / 1000);
    io.err(`check: ${summary.runs}/${seeds.length} runs, ${rate.toFixed(1)} runs/s, ${failedRuns} failing run(s)`, true);
  };
  const { stoppedByBudget } = await runSeeds(seeds, o, io, (r) => {
    summary.runs++;
    summary.reports.push(r);
    summary.coverage.add(r.coverage);
    if (r.failures.length > 0) failedRuns++;
    for (const [name, ok] of Object.entries(r.verdicts)) {
      const t = (props[name] ??= { runs: 0, failed: 0, firstSeed: null });
      t.runs++;
      if (!ok) {
        t.failed++;
        if (t.firstSeed === null || r.seed < t.firstSeed) t.firstSeed = r.seed;
      }
    }
    for (const f of r.failures) if (f.name === 'run') io.err(`check: seed ${r.seed}: ${f.report}`);
    progress();
  });
  progress(true);
  summary.wallMs = io.now() - t0;
  summary.runsPerSecond = summary.runs / Math.max(0.001, summary.wallMs / 1000);
  summary.stoppedByBudget = stoppedByBudget;
  io.err('');
  const failed = Object.values(props).some((t) => t.failed > 0);
  if (failed) {
    for (const r of summary.reports.filter((x) => x.failures.length > 0).slice(0, 5)) {
      io.out(`seed ${r.seed}:`);
      for (const f of r.failures) for (const l of f.report.split('\n')) io.out(`  ${l}`);
    }
    shrinkAndWrite(o, summary, io);
    io.out('');
  }
  for (const l of summaryLines(summary)) io.out(l);
  if (o.known) {
    io.out('');
    for (const l of knownFailureLines()) io.out(l);
  }
  io.out('');
  io.out(failed ? `FAILED: ${Object.entries(props).filter(([, t]) => t.failed > 0).map(([n]) => n).join(', ')}` : 'every property held');
  return failed ? 1 : 0;
}
