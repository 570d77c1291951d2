// Safety and liveness observations a scenario can assert on: how many servers act as master at once
// (watched after every server event), who the Sentinels name, and the engine/check trace checkers
// (one leader per epoch, epochs never decrease) applied to the run so far.
import { checkElectionSafety, checkEpochsMonotonic, checkPriorityZero, type CheckConfig } from '../../engine/check/index.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import { ScenarioError } from './nodes.ts';
import type { ScenarioExecutor } from './executor.ts';
import { summarizeTrace, type FailoverSummary } from './summary.ts';

/**
 * Every record of the run so far but messages and keyframes (the CLI keeps only a ring of the trace in
 * memory; the script's own history is complete).
 */
export function runRecords(s: ScenarioExecutor): TraceRecord[] {
  return s.records();
}

/** Servers whose own state says master right now (running and not paused), without time passing. */
export function mastersNow(s: ScenarioExecutor): string[] {
  return s.servers.filter((n) => s.isRunning(n) && (s.view(n) as { role?: string } | null)?.role === 'master');
}

export interface MasterWatch {
  /** The most servers that were masters at the same instant. */
  readonly max: number;
  /** When that maximum was first reached (virtual µs) and which servers. */
  readonly at: { t: number; masters: string[] } | null;
  /** Stop watching (later records are ignored). */
  stop(): void;
}

/**
 * Watch the number of simultaneous masters from now on. Re-checked after every event that logged a server
 * line or changed a process (at the same virtual instant, once the event is over: inside one event a
 * server may pass through a state no client can observe, e.g. REPLICAOF to a new master briefly clears
 * the old one, as replicationSetMaster does).
 */
export function watchMasters(s: ScenarioExecutor): MasterWatch {
  s.ensureStarted();
  let max = mastersNow(s).length;
  let at: MasterWatch['at'] = { t: s.now, masters: mastersNow(s) };
  let on = true;
  let pending = false;
  const check = () => {
    pending = false;
    if (!on) return;
    const m = mastersNow(s);
    if (m.length > max) {
      max = m.length;
      at = { t: s.now, masters: m };
    }
  };
  s.onRecord((r: TraceRecord) => {
    if (!on || pending || !((r.k === 'log' && r.kind === 'server') || r.k === 'proc')) return;
    pending = true;
    s.afterEvent(check);
  });
  return {
    get max() {
      return max;
    },
    get at() {
      return at;
    },
    stop: () => void (on = false),
  };
}

/** The master every running Sentinel names, if they all agree and that server says it is the only master. */
export function agreedMaster(s: ScenarioExecutor): string | null {
  let m: string | null | undefined;
  for (const sn of s.sentinels) {
    if (!s.isRunning(sn)) continue;
    const v = s.view(sn) as { masters?: { addr: string }[] } | null;
    const a = v?.masters?.[0]?.addr ?? null;
    if (m === undefined) m = a;
    else if (m !== a) return null;
  }
  if (!m) return null;
  const masters = mastersNow(s);
  return masters.length === 1 && masters[0] === m ? m : null;
}

/**
 * Let time pass until every running Sentinel knows every other server as a replica of its master and
 * every other Sentinel (sentinel.md §5, §11: replicas are learnt from the master's INFO every 10 s,
 * Sentinels from hellos every 2 s). A replica that connected after a Sentinel's first INFO is unknown to
 * it for up to 10 s: a failure before that leaves it without a candidate. Returns false on time-out.
 */
export function waitDiscovered(s: ScenarioExecutor, timeout: string | number = '30s'): boolean {
  const want = s.servers.length - 1;
  const running = () => s.sentinels.filter((n) => s.isRunning(n));
  const known = () =>
    running().every((n) => {
      const m = (s.view(n) as { masters?: { numReplicas: number; numOtherSentinels: number }[] } | null)?.masters?.[0];
      return m !== undefined && m.numReplicas >= want && m.numOtherSentinels >= s.sentinels.length - 1;
    });
  try {
    s.waitUntil(known, { timeout });
    return true;
  } catch (e) {
    if (e instanceof ScenarioError) return false;
    throw e;
  }
}

/** Let time pass until every Sentinel names one master that is the only one (checked on each event). */
export function waitConverged(s: ScenarioExecutor, timeout: string | number = '120s'): string {
  s.waitUntil(() => agreedMaster(s) !== null, { timeout });
  return agreedMaster(s)!;
}

/** The failovers so far, as the run summary will list them (epoch, leader, promoted, start / end). */
export function failoversSoFar(s: ScenarioExecutor): FailoverSummary[] {
  return summarizeTrace(s.header(), runRecords(s)).summary.failovers;
}

/** At most one replica promoted per epoch (from the failovers so far). */
export function promotionsPerEpoch(s: ScenarioExecutor): Map<number, Set<string>> {
  const m = new Map<number, Set<string>>();
  for (const f of failoversSoFar(s)) {
    if (f.promoted === null) continue;
    const set = m.get(f.epoch) ?? new Set<string>();
    set.add(f.promoted);
    m.set(f.epoch, set);
  }
  return m;
}

/**
 * Expect the trace checkers to hold over the run so far: election safety (one leader per epoch, one vote
 * per Sentinel and epoch, leaders backed by quorum and majority), epochs never decreasing and, when
 * `priorities` are given, no replica with replica-priority 0 selected or promoted.
 */
export function expectSafety(s: ScenarioExecutor, opts: { priorities?: Record<string, number> } = {}): boolean {
  const input = { header: s.header(), records: runRecords(s) };
  const results = [checkElectionSafety(input), checkEpochsMonotonic(input)];
  if (opts.priorities) {
    const config = { masterName: s.masterName ?? '', priorities: opts.priorities } as CheckConfig;
    results.push(checkPriorityZero({ ...input, config }));
  }
  let ok = true;
  for (const r of results) ok = s.expect(r.ok, r.ok ? r.report.split('\n').map((l) => l.trim()).join(' — ') : r.report) && ok;
  const perEpoch = [...promotionsPerEpoch(s)].filter(([, set]) => set.size > 1);
  ok = s.expect(perEpoch.length === 0, perEpoch.length === 0 ? 'at most one replica promoted per epoch' : `several replicas promoted in one epoch: ${perEpoch.map(([e, set]) => `${e}: ${[...set].join(', ')}`).join('; ')}`) && ok;
  return ok;
}
