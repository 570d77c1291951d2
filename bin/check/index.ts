// `sentinel-sim check`: property runs over a seed range on worker threads (tinypool), progress on stderr,
// a summary table per property, coverage of the search, shrunk repro files for failures, and the
// known-failure demonstrations. Exit 1 when a property fails.
import { mkdirSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Coverage } from '../../engine/check/coverage.ts';
import { describeCase } from '../../engine/check/property/case.ts';
import { KNOWN_FAILURES, type KnownFailure } from '../../engine/check/property/known.ts';
import { failureScreen, PACKAGE_IMPORTS, renderRepro, reproName } from '../../engine/check/property/repro.ts';
import { runCase } from '../../engine/check/property/run.ts';
import { shrinkFailure, type ShrinkResult } from '../../engine/check/property/shrink.ts';
import type { CheckerTable } from '../../engine/check/property/verdict.ts';
import { nodeSha256 } from '../nodeHash.ts';
import type { Interrupt } from '../run/signals.ts';
import { COMPILED, PACKAGE_ROOT } from '../where.ts';
import { resolveOptions, shardSeeds, type CheckOptions, type ResolvedOptions } from './options.ts';
import { openPool, taskFor } from './pool.ts';
import { confirmOnReal, writeConfirmation, type RealConfirmation } from './confirm.ts';
import { knownFailureLines, runLines, summaryLines, type CheckSummary, type PropertyTally } from './report.ts';
import { runTask, loadCheckers, type RunReport } from './task.ts';

export { parseShard, resolveOptions, shardSeeds, type CheckOptions } from './options.ts';

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
  let lastTransient = -Infinity;
  const clear = () => {
    if (onScreen) process.stderr.write('\r\x1b[K');
    onScreen = false;
  };
  return {
    out: (line) => {
      clear();
      process.stdout.write(line + '\n');
    },
    err: (text, transient) => {
      if (transient && !tty) {
        // a log, not a terminal: at most one progress line every 2 s
        const now = performance.now();
        if (now - lastTransient < 2000) return;
        lastTransient = now;
      }
      clear();
      if (transient && tty) {
        process.stderr.write(text);
        onScreen = true;
      } else process.stderr.write(text + '\n');
    },
    now: () => performance.now(),
  };
}

/** Where a repro file goes, and the import paths it needs from there. */
function reproPaths(o: ResolvedOptions, property: string, seed: number, name = reproName(property, seed)) {
  const dir = resolve(o.out);
  const file = resolve(dir, `${name}.ts`);
  const rel = (to: string) => {
    const r = relative(dir, to).split('\\').join('/') || '.';
    return r.startsWith('.') ? r : `./${r}`;
  };
  // the installed package: the file imports 'sentinel-sim'; a clone: the sources, by relative path
  const importBase = COMPILED ? PACKAGE_IMPORTS : rel(PACKAGE_ROOT);
  return { dir, file, display: relative(process.cwd(), file) || file, importBase, checkerImport: o.checkerModule ? rel(resolve(o.checkerModule)) : undefined };
}

/** Let a trapped signal in (runs and shrinks are synchronous: a signal is an event of the loop). */
const yieldToSignals = () => new Promise<void>((res) => setImmediate(res));

/**
 * Run the seeds, calling back as each report arrives: on worker threads (tinypool), or in this thread with
 * --workers 0. No run starts once the time budget is spent or after a signal; a second signal abandons the
 * runs in progress. (bin/check/pool.ts's runSeeds, plus the interruption.)
 */
async function search(seeds: readonly number[], o: ResolvedOptions, now: () => number, intr: Interrupt | undefined, onReport: (r: RunReport) => void): Promise<{ stoppedByBudget: boolean }> {
  const t0 = now();
  let stoppedByBudget = false;
  const mayStart = () => {
    if (intr?.signal) return false;
    if (now() - t0 > o.timeBudgetMs) stoppedByBudget = true;
    return !stoppedByBudget;
  };
  if (o.workers === 0) {
    for (const seed of seeds) {
      if (!mayStart()) break;
      onReport(await runTask(taskFor(seed, o)));
      if (intr) await yieldToSignals();
    }
    return { stoppedByBudget };
  }
  const pool = openPool(o.workers);
  try {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < seeds.length && mayStart()) {
        const seed = seeds[next++]!;
        let r: RunReport;
        try {
          r = (await pool.run(taskFor(seed, o), intr ? { signal: intr.abandon } : {})) as RunReport;
        } catch (e) {
          if (intr?.abandon.aborted) return;
          throw e;
        }
        onReport(r);
      }
    };
    await Promise.all(Array.from({ length: o.workers }, lane));
  } finally {
    await pool.destroy();
  }
  return { stoppedByBudget };
}

/**
 * Shrink the smallest failing seed of each property, write its repro file, print its one-screen report.
 * Interrupted: the failing cases are written as they are (no shrinking); interrupted twice: none is written.
 */
async function shrinkAndWrite(o: ResolvedOptions, s: CheckSummary, checkers: CheckerTable, io: CheckIO, intr?: Interrupt, shrunkElsewhere?: (seed: number, property: string) => ShrinkResult | null): Promise<void> {
  const extraArgs = o.checkerModule ? `--checkers ${o.checkerModule}` : '';
  for (const [property, t] of Object.entries(s.properties)) {
    const seed = t.seeds[0];
    if (seed === undefined) continue;
    if (intr) await yieldToSignals();
    if (intr && intr.count > 1) {
      s.failures.push({ property, seed, path: null });
      continue;
    }
    const shrinkRuns = intr?.signal ? 0 : o.shrinkRuns;
    io.err(shrinkRuns > 0 ? `check: shrinking the failure of ${property} (seed ${seed})...` : `check: writing the failure of ${property} (seed ${seed}) as it is...`);
    let shrunk = null;
    try {
      shrunk = shrunkElsewhere ? shrunkElsewhere(seed, property) : shrinkFailure(seed, property, {
        caseOptions: { scheduleMs: o.scheduleMs, ...(o.topology ? { topology: o.topology } : {}), ...(o.app ? { app: { module: o.app } } : {}) },
        maxRuns: Math.max(1, shrinkRuns + 1),
        hasher: nodeSha256,
        checkers,
        onRun: (failed, runs) => io.err(`check: shrinking ${property} seed ${seed}: ${runs} run(s)${failed ? ', smaller failure found' : ''}`, true),
      });
    } catch (e) {
      io.out(`✗ property ${property} failed at seed ${seed}; shrinking it threw: ${(e as Error).message}`);
      s.failures.push({ property, seed, path: null });
      continue;
    }
    if (!shrunk) {
      io.out(`✗ property ${property} failed at seed ${seed}, but its replay did not fail again (a determinism problem: run --property determinism --seed ${seed} --runs 1)`);
      s.failures.push({ property, seed, path: null });
      continue;
    }
    const p = reproPaths(o, property, seed);
    let path: string | null = p.display;
    try {
      mkdirSync(p.dir, { recursive: true });
      writeFileSync(p.file, renderRepro(shrunk, { importBase: p.importBase, displayPath: p.display, checkerImport: p.checkerImport }));
    } catch (e) {
      io.err(`check: cannot write ${p.display}: ${(e as Error).message}`);
      path = null;
    }
    s.failures.push({ property, seed, path, file: path ? p.file : undefined });
    io.out('');
    io.out(failureScreen(shrunk, path, extraArgs));
    if (t.seeds.length > 1) io.out(`  also failing: seed${t.seeds.length > 2 ? 's' : ''} ${t.seeds.slice(1, 11).join(' ')}${t.seeds.length > 11 ? ' …' : ''}`);
  }
}

/**
 * `sentinel-sim check [options]`: returns the exit status (0 every property held, 1 one failed, 130 / 143
 * interrupted: `intr` got SIGINT / SIGTERM, and the report covers the runs done).
 */
export async function checkCommand(opts: CheckOptions = {}, ioIn?: Partial<CheckIO>, intr?: Interrupt): Promise<number> {
  const io = { ...defaultIO(), ...ioIn };
  const checkers = await loadCheckers(opts.checkers ?? null);
  const o = resolveOptions(opts, Object.keys(checkers));
  if (o.knownName) return knownCommand(o, KNOWN_FAILURES.find((k) => k.name === o.knownName)!, io, intr);
  const seeds = shardSeeds(o.seed, o.runs, o.shard);
  const props: Record<string, PropertyTally> = {};
  for (const p of o.properties) props[p] = { runs: 0, failed: 0, seeds: [] };
  const summary: CheckSummary = { runs: 0, planned: seeds.length, wallMs: 0, runsPerSecond: 0, stoppedByBudget: false, properties: props, coverage: new Coverage(), failures: [], reports: [] };
  const shardText = o.shard.count > 1 ? ` (shard ${o.shard.index}/${o.shard.count} of seeds ${o.seed}..${o.seed + o.runs - 1})` : '';
  io.err(`check: ${seeds.length} run(s) from seed ${seeds[0] ?? '-'}${shardText}, ${o.scheduleMs / 1000} s schedules, ${o.queue ? 'on the queue\'s workers' : `${o.workers || 'no'} worker thread(s)`}, properties ${o.properties.join(', ')}`);
  const t0 = io.now();
  let lastProgress = t0;
  let failedRuns = 0;
  const progress = (force = false) => {
    const now = io.now();
    if (!force && now - lastProgress < 1000) return;
    lastProgress = now;
    const rate = summary.runs / Math.max(0.001, (now - t0) / 1000);
    io.err(`check: ${summary.runs}/${seeds.length} runs, ${rate.toFixed(1)} runs/s, ${failedRuns} failing run(s) so far`, !force);
  };
  intr?.onSignal((sig, count) => {
    if (count === 1) io.err(`check: ${sig}: no new runs; finishing the run(s) in progress, then the report (again to abandon them)`);
    else if (count === 2) io.err(`check: ${sig} again: abandoning the run(s) in progress`);
  });
  // --queue: the seeds run on `sentinel-sim worker` processes (bin/check/queue), reported here in seed order
  const remote = o.queue ? await (await import('./queue/coordinator.ts')).Coordinator.open(o, seeds, io) : null;
  const onReport = (r: RunReport) => {
    summary.runs++;
    summary.reports.push(r);
    summary.coverage.add(r.coverage);
    if (r.failures.length > 0) failedRuns++;
    for (const [name, ok] of Object.entries(r.verdicts)) {
      const t = (props[name] ??= { runs: 0, failed: 0, seeds: [] });
      t.runs++;
      if (!ok) {
        t.failed++;
        t.seeds.push(r.seed);
        t.seeds.sort((a, b) => a - b);
      }
    }
    for (const f of r.failures) if (f.name === 'run') io.err(`check: seed ${r.seed}: ${f.report}`);
    if (!remote) progress();
  };
  const { stoppedByBudget } = remote ? await remote.search(intr, onReport) : await search(seeds, o, io.now, intr, onReport);
  if (!remote) progress(true);
  summary.wallMs = io.now() - t0;
  summary.runsPerSecond = summary.runs / Math.max(0.001, summary.wallMs / 1000);
  summary.stoppedByBudget = stoppedByBudget;
  if (o.verbose) {
    for (const l of runLines(summary.reports)) io.out(l);
    io.out('');
  }
  const failed = Object.values(props).some((t) => t.failed > 0);
  if (failed) {
    await shrinkAndWrite(o, summary, checkers, io, intr, await remote?.shrinks(props, intr));
    io.out('');
  }
  await remote?.close();
  if (failed && o.confirmReal && !intr?.signal) await confirmFailures(o, summary, checkers, io, intr);
  // a signal during the search or the shrinking: the report of what was done, no known-failure demonstrations
  summary.interrupted = intr?.signal ?? null;
  if (o.json) writeJson(o.json, jsonReport(o, summary), io);
  for (const l of summaryLines(summary)) io.out(l);
  const known = o.known && !summary.interrupted ? knownFailureLines(o.properties) : [];
  if (known.length > 0) {
    io.out('');
    for (const l of known) io.out(l);
  }
  io.out('');
  if (failed) {
    io.out(`FAILED: ${Object.entries(props).filter(([, t]) => t.failed > 0).map(([n]) => n).join(', ')}`);
    for (const f of summary.failures) {
      if (f.path) io.out(`  repro: sentinel-sim run ${f.path}${f.real ? `  (${f.real.verdict})` : ''}`);
      else io.out(`  ${f.property}: seed ${f.seed}, no repro file (sentinel-sim check --property ${f.property} --seed ${f.seed} --runs 1)`);
    }
  } else if (!summary.interrupted) io.out('every property held');
  if (summary.interrupted) {
    io.out(`INTERRUPTED by ${summary.interrupted} after ${summary.runs} of ${summary.planned} run(s)${failed ? '' : ': every property held in those'}`);
    return intr!.exitCode;
  }
  return failed ? 1 : 0;
}

/** A signal's AbortSignal for the real runs (the first Ctrl-C stops them, with cleanup). */
function realAbort(intr: Interrupt | undefined): AbortSignal | undefined {
  if (!intr) return undefined;
  const ac = new AbortController();
  intr.onSignal(() => ac.abort());
  return ac.signal;
}

/** --confirm-real: each written repro file replayed on real Redis; the verdict in the report, the evidence in the file. */
async function confirmFailures(o: ResolvedOptions, s: CheckSummary, checkers: CheckerTable, io: CheckIO, intr?: Interrupt): Promise<void> {
  const signal = realAbort(intr);
  for (const f of s.failures) {
    if (!f.file || signal?.aborted) continue;
    const c = await confirmOnReal(f.file, f.property, { repeats: o.confirmRepeats, checkers, signal, progress: (t) => io.err(t) });
    f.real = c;
    if (c.attempts.length > 0) writeConfirmation(f.file, c);
    io.out(`✓ real Redis: ${f.property} seed ${f.seed}: ${c.verdict}`);
  }
}

export interface KnownReport {
  name: string;
  property: string;
  seed: number;
  path: string | null;
  /** What the simulator shows: the property's violation, or the lost writes. */
  simulator: string;
  real?: RealConfirmation;
}

/**
 * `check --known <name>`: that known failure only (no search): its case run in the simulator, written as a
 * repro file (<out>/known-<name>.ts), and with --confirm-real replayed on real Redis. Exit 0 (a known failure
 * is never a failure of the check), 130 / 143 when interrupted.
 */
async function knownCommand(o: ResolvedOptions, k: KnownFailure, io: CheckIO, intr?: Interrupt): Promise<number> {
  const property = k.violates ?? k.property;
  io.err(`check: known failure ${k.name} (property ${property}, seed ${k.seed}) in the simulator...`);
  const outcome = runCase(k.case, { seed: String(k.seed), name: `check-${reproName(property, k.seed)}`, properties: [property], hasher: nodeSha256 });
  const r = outcome.results.find((x) => x.name === property);
  const lost = Number(r?.figures?.lost ?? 0);
  const simulator = !r ? 'not judged' : !r.ok ? `violated: ${r.violations[0]?.message ?? ''}` : lost > 0 ? `${lost} of ${Number(r.figures?.acknowledged ?? 0)} acknowledged writes lost` : 'not shown this time (the property held, no loss)';
  const f: ShrinkResult = { property, seed: k.seed, case: k.case, outcome, shrinks: 0, runs: 1 };
  const p = reproPaths(o, property, k.seed, `known-${k.name}`);
  let path: string | null = p.display;
  try {
    mkdirSync(p.dir, { recursive: true });
    writeFileSync(p.file, renderRepro(f, { importBase: p.importBase, displayPath: p.display, known: k }));
  } catch (e) {
    io.err(`check: cannot write ${p.display}: ${(e as Error).message}`);
    path = null;
  }
  const report: KnownReport = { name: k.name, property, seed: k.seed, path, simulator };
  io.out(`known failure ${k.name} (property ${property}, seed ${k.seed})`);
  io.out(`  ${k.description}`);
  io.out(`  source: ${k.source}`);
  for (const line of describeCase(k.case)) io.out(`  · ${line}`);
  io.out(`  simulator: ${simulator}`);
  if (path) io.out(`  repro: sentinel-sim run ${path}   real: sentinel-sim real ${path}`);
  if (o.confirmReal && path) {
    const signal = realAbort(intr);
    const c = await confirmOnReal(p.file, property, { repeats: o.confirmRepeats, known: k, signal, progress: (t) => io.err(t) });
    report.real = c;
    if (c.attempts.length > 0) writeConfirmation(p.file, c);
    io.out(`  real Redis: ${c.verdict}`);
    for (const [i, a] of c.attempts.entries()) io.out(`    real run ${i + 1}: ${a.judged ? (a.shown ? 'shown' : 'not shown') : 'not judged'} — ${a.detail}`);
  }
  if (o.json) writeJson(o.json, { version: 1, known: report, interrupted: intr?.signal ?? null }, io);
  if (intr?.signal) return intr.exitCode;
  return 0;
}

/** The JSON report of a search (`--json`). */
function jsonReport(o: ResolvedOptions, s: CheckSummary): unknown {
  return {
    version: 1,
    seed: o.seed,
    runs: s.runs,
    planned: s.planned,
    wallMs: Math.round(s.wallMs),
    interrupted: s.interrupted ?? null,
    properties: s.properties,
    coverage: s.coverage.toJSON(),
    failures: s.failures.map((f) => ({ property: f.property, seed: f.seed, path: f.path, ...(f.real ? { real: f.real } : {}) })),
  };
}

function writeJson(dest: string, value: unknown, io: CheckIO): void {
  const text = JSON.stringify(value, null, 2) + '\n';
  try {
    writeFileSync(dest, text);
    io.err(`check: JSON report written to ${dest}`);
  } catch (e) {
    io.err(`check: cannot write ${dest}: ${(e as Error).message}`);
  }
}
