// How a scenario script is driven to its end, the same for the simulator (runner.ts) and the real twin
// (bin/real): run the script, play on to --until if it finished early, lift --until for the workloads'
// final reads, run the finish hooks, then the client-ops note, a keyframe and the run-end note.
import { formatClock, type Micros } from '../../engine/sim/time.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import type { HistorySource } from './executor.ts';
import type { ClientOpsCounts, RunStatus } from './summary.ts';

/** What the driver needs of a run (ScenarioRun in the simulator, RealRun on real processes). */
export interface DrivenRun {
  readonly now: Micros;
  readonly historySources: readonly HistorySource[];
  readonly failures: readonly unknown[];
  ensureStarted(): void;
  advanceTo(target: Micros): void;
  liftUntil(): void;
  runFinishHooks(): void;
}

export interface DriveHooks {
  record(r: TraceRecord): void;
  keyframe(): void;
  /** Errors that must end the run at once instead of being reported (the twin's Ctrl-C). */
  rethrow?: (e: unknown) => boolean;
}

export interface DriveResult {
  status: RunStatus;
  reason: 'script-finished' | 'until' | 'error';
  error: { message: string; t: Micros; cause: unknown } | null;
}

export const isNamed = (e: unknown, name: string): boolean => e instanceof Error && e.name === name;

export function driveScript(run: DrivenRun, script: () => void, untilUs: Micros | undefined, hooks: DriveHooks): DriveResult {
  let error: DriveResult['error'] = null;
  let reason: DriveResult['reason'] = 'script-finished';
  const pass = (e: unknown) => {
    if (hooks.rethrow?.(e)) throw e;
  };
  const fail = (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    error = { message, t: run.now, cause: e };
    hooks.record({ t: run.now, k: 'note', what: 'error', data: { message: `at ${formatClock(run.now)}: ${message}` } });
  };
  try {
    script();
  } catch (e) {
    pass(e);
    if (isNamed(e, 'StopRun')) reason = 'until';
    else {
      run.ensureStarted();
      fail(e);
      reason = 'error';
    }
  }
  if (reason === 'script-finished' && untilUs !== undefined && run.now < untilUs) {
    try {
      run.advanceTo(untilUs);
      reason = 'until';
    } catch (e) {
      pass(e);
      if (!isNamed(e, 'StopRun')) fail(e);
    }
  }
  run.ensureStarted();
  try {
    // final reads of workloads may need a little time past --until
    run.liftUntil();
    run.runFinishHooks();
    if (run.historySources.length > 0) hooks.record({ t: run.now, k: 'note', what: 'client-ops', data: sumOps(run.historySources) });
  } catch (e) {
    pass(e);
    if (!isNamed(e, 'StopRun') && !error) fail(e);
  }
  hooks.keyframe();
  const status: RunStatus = error ? 'error' : run.failures.length > 0 ? 'failed' : 'ok';
  hooks.record({ t: run.now, k: 'note', what: 'run-end', data: { status, reason } });
  return { status, reason, error };
}

export function sumOps(srcs: readonly HistorySource[]): ClientOpsCounts {
  const t: ClientOpsCounts = { ok: 0, failed: 0, unknown: 0, lostAcknowledged: 0 };
  for (const s of srcs) {
    const c = s.clientOps();
    t.ok += c.ok;
    t.failed += c.failed;
    t.unknown += c.unknown;
    t.lostAcknowledged += c.lostAcknowledged;
  }
  return t;
}
