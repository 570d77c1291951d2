// What an application's history says about a failover (issue 18, docs/guest-apps.md): how long it could not
// write, when it first wrote to the new master, which errors it saw, and its stale-master writes — writes
// acknowledged by a server after some Sentinel had already switched the master away from it (they are lost
// when that server is turned into a replica). Pure functions over the history ('op' notes) and the trace.
import { historyFromTrace, type HistoryEntry } from '../client/history.ts';
import type { TraceRecord } from '../trace/types.ts';
import { eventWords, isSentinelEvent, quietStart } from './trace-read.ts';
import { result, type CheckInput, type CheckResult } from './types.ts';

export interface MasterSwitch {
  t: number;
  from: string;
  to: string;
}

export interface AppFigures {
  /** Write attempts (every op but reads) and their outcomes. */
  writes: number;
  acknowledged: number;
  failed: number;
  unknown: number;
  /** Error replies and client-side errors seen, by message, most frequent first. */
  errors: { message: string; count: number }[];
  /** The longest stretch (µs) between two acknowledged writes, and where it started. */
  longestGapUs: number;
  longestGapFrom: number | null;
  /** Acknowledged writes served by a node some Sentinel had already switched away from (by then). */
  staleMasterWrites: HistoryEntry[];
  /** The first +switch-master of the run, and the first write acknowledged by its new master after it. */
  firstSwitch: MasterSwitch | null;
  firstOkOnNewMaster: number | null;
}

/** Every +switch-master in the trace (any Sentinel, any master name), in order. */
export function masterSwitches(records: Iterable<TraceRecord>): MasterSwitch[] {
  const out: MasterSwitch[] = [];
  for (const r of records) {
    if (!isSentinelEvent(r) || r.event !== '+switch-master') continue;
    const w = eventWords(r); // <name> <old ip> <old port> <new ip> <new port>
    if (w.length >= 5) out.push({ t: r.t, from: `${w[1]}:${w[2]}`, to: `${w[3]}:${w[4]}` });
  }
  return out;
}

const isWrite = (e: HistoryEntry) => e.op !== 'read-all' && e.op !== 'get';

/**
 * Figures of one application's history (the entries of one client, or several). With `endUs` (the end of
 * the run) a stretch from the last acknowledged write to the end counts as a gap too.
 */
export function appFigures(history: readonly HistoryEntry[], records: Iterable<TraceRecord>, endUs?: number): AppFigures {
  const writes = history.filter(isWrite);
  const switches = masterSwitches(records);
  const errors = new Map<string, number>();
  for (const e of writes) if (e.outcome !== 'ok' && e.reply) errors.set(e.reply, (errors.get(e.reply) ?? 0) + 1);
  const oks = writes.filter((e) => e.outcome === 'ok' && e.complete !== null).sort((a, b) => a.complete! - b.complete!);
  let longestGapUs = 0;
  let longestGapFrom: number | null = null;
  for (let i = 1; i < oks.length; i++) {
    const gap = oks[i]!.complete! - oks[i - 1]!.complete!;
    if (gap > longestGapUs) {
      longestGapUs = gap;
      longestGapFrom = oks[i - 1]!.complete!;
    }
  }
  const lastOk = oks.at(-1)?.complete ?? null;
  if (endUs !== undefined && lastOk !== null && endUs - lastOk > longestGapUs) {
    longestGapUs = endUs - lastOk;
    longestGapFrom = lastOk;
  }
  // a node is stale from the first switch away from it until a later switch makes it the master again
  const staleAt = (node: string, t: number): boolean => {
    let stale = false;
    for (const s of switches) {
      if (s.t > t) break;
      if (s.from === node) stale = true;
      else if (s.to === node) stale = false;
    }
    return stale;
  };
  const staleMasterWrites = oks.filter((e) => e.node !== undefined && staleAt(e.node, e.complete!));
  const firstSwitch = switches[0] ?? null;
  const firstOkOnNewMaster = firstSwitch ? (oks.find((e) => e.node === firstSwitch.to && e.complete! >= firstSwitch.t)?.complete ?? null) : null;
  return {
    writes: writes.length,
    acknowledged: oks.length,
    failed: writes.filter((e) => e.outcome === 'fail').length,
    unknown: writes.filter((e) => e.outcome === 'unknown').length,
    errors: [...errors].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count || (a.message < b.message ? -1 : 1)),
    longestGapUs,
    longestGapFrom,
    staleMasterWrites,
    firstSwitch,
    firstOkOnNewMaster,
  };
}

/** The application host a property case runs (`check --app`): its name in histories and on the trace. */
export const CHECK_APP_NAME = 'app';
/** Its host's IP (a box of its own, reaching every node). */
export const CHECK_APP_IP = '10.0.9.1';

/**
 * Property `app-recovers` (`sentinel-sim check --app`): once the faults are over (the quiet period of a
 * property case: everything healed and restarted), the application gets at least one write acknowledged
 * again. A client whose retry settings never bring it back to a master fails it.
 */
export function checkAppRecovers(input: CheckInput): CheckResult {
  const records = input.records;
  const quiet = quietStart(records);
  const history = historyFromTrace(records).filter((e) => e.client === CHECK_APP_NAME && e.op !== 'read-all' && e.op !== 'get');
  if (history.length === 0) return result('app-recovers', [], ['no application history in this trace: nothing to check']);
  if (quiet === null) return result('app-recovers', [], ['no quiet period in this trace: nothing to check']);
  const f = appFigures(history, records);
  const after = history.filter((e) => e.outcome === 'ok' && e.invoke >= quiet);
  const lines = [`${f.writes} writes, ${f.acknowledged} acknowledged, ${f.failed} failed, ${f.unknown} unknown; ${after.length} acknowledged after the faults ended (${(quiet / 1e6).toFixed(3)} s)`];
  for (const e of f.errors.slice(0, 3)) lines.push(`${e.count}× ${e.message}`);
  const violations = after.length > 0 ? [] : [{ t: quiet, message: `the application never had a write acknowledged after the faults ended at ${(quiet / 1e6).toFixed(3)} s` }];
  return result('app-recovers', violations, lines, { writes: f.writes, acknowledged: f.acknowledged, afterQuiet: after.length });
}

/** Checkers of application hosts, by property name (looked up after the trace checkers). */
export const APP_CHECKERS: Record<string, (input: CheckInput) => CheckResult> = { 'app-recovers': checkAppRecovers };
