// Convergence after the quiet period (sentinel.md §11.4): once every fault is healed and every process
// runs again, within a bound derived from the configuration, every Sentinel names the same master, that
// server is the only master, and every other server replicates from it with its link up (directly, or
// through a chain of connected replicas: see probeVerdict).
//
// The bound, in ms, with DA = down-after-milliseconds and FT = failover-timeout (constants of §2):
//
//   bound = TILT        30000        a Sentinel paused / clock-jumped before the quiet period stays in TILT (§12)
//         + 2·FT                     the failover retry gate of Sentinels that voted or tried before (§10.1, §11.4)
//         + DA + 2·INFO  DA + 20000  a master that is down or claims to be a replica is found S_DOWN/O_DOWN (§7)
//         + ELECT        min(10000, FT) + 1000   one election, with the random start offset (§10.2 step 1)
//         + FT                       promotion and replica reconfiguration, ended by the failover timeout (§10.2)
//         + HELLO + CONVERT + INFO   2000 + 8000 + 10000: the new config reaches every Sentinel, the old master is
//                                    converted to a replica on the next INFO after 8 s (§6.3, §11.4)
//         + SYNC         5000        a full resynchronisation of a replica (slack)
//
//   = 3·FT + min(10000, FT) + DA + 76000
//
// It assumes at most one more election is needed: Sentinel does not guarantee that split votes end in a
// bounded time, so a run that needs several is reported as a convergence failure (and is worth reading).
import { nodesOf, probes, quietStart, readConfig } from './trace-read.ts';
import { clock, result, type CheckInput, type CheckResult, type ProbeData, type Violation } from './types.ts';

export const TILT_PERIOD_MS = 30_000;
export const INFO_PERIOD_MS = 10_000;
export const ELECTION_TIMEOUT_MS = 10_000;
export const MAX_DESYNC_MS = 1_000;
export const HELLO_PERIOD_MS = 2_000;
export const CONVERT_WAIT_MS = 8_000;
export const SYNC_SLACK_MS = 5_000;

export interface BoundTerms {
  tilt: number;
  retryGate: number;
  detection: number;
  election: number;
  failover: number;
  propagation: number;
  sync: number;
}

/** The terms of the convergence bound (ms) for a down-after and a failover-timeout (see the formula above). */
export function convergenceTerms(downAfterMs: number, failoverTimeoutMs: number): BoundTerms {
  return {
    tilt: TILT_PERIOD_MS,
    retryGate: 2 * failoverTimeoutMs,
    detection: downAfterMs + 2 * INFO_PERIOD_MS,
    election: Math.min(ELECTION_TIMEOUT_MS, failoverTimeoutMs) + MAX_DESYNC_MS,
    failover: failoverTimeoutMs,
    propagation: HELLO_PERIOD_MS + CONVERT_WAIT_MS + INFO_PERIOD_MS,
    sync: SYNC_SLACK_MS,
  };
}

export function convergenceBoundMs(downAfterMs: number, failoverTimeoutMs: number): number {
  const t = convergenceTerms(downAfterMs, failoverTimeoutMs);
  return t.tilt + t.retryGate + t.detection + t.election + t.failover + t.propagation + t.sync;
}

/** Why a probe does not show a converged cluster (empty when it does), and the agreed master. */
export function probeVerdict(p: ProbeData, sentinels: readonly string[], servers: readonly string[]): { master: string | null; problems: string[] } {
  const problems: string[] = [];
  const named = new Set<string>();
  for (const s of sentinels) {
    const a = p.sentinels[s];
    if (a === undefined) problems.push(`Sentinel ${s} was not asked`);
    else if (a === null) problems.push(`Sentinel ${s} names no master`);
    else named.add(a);
  }
  if (named.size > 1) problems.push(`Sentinels disagree: ${sentinels.map((s) => `${s} → ${p.sentinels[s]}`).join(', ')}`);
  const masters = servers.filter((s) => p.servers[s]?.role === 'master');
  if (masters.length !== 1) problems.push(`${masters.length} servers report role master${masters.length ? ` (${masters.join(', ')})` : ''}`);
  const master = named.size === 1 ? [...named][0]! : masters.length === 1 ? masters[0]! : null;
  if (master !== null && named.size === 1 && masters.length >= 1 && !masters.includes(master)) problems.push(`the Sentinels name ${master}, which reports role ${p.servers[master]?.role ?? 'unknown'}`);
  // every other server replicates from it: directly, or through a chain of replicas whose links are all up
  // (Sentinel learns replicas only from the master's INFO, so one left pointing at a server that was
  // later demoted stays chained under it: 7.0.15 behaviour, data still flows)
  for (const s of servers) {
    if (s === master) continue;
    const v = p.servers[s];
    if (!v) {
      problems.push(`${s} was not probed`);
      continue;
    }
    if (v.role !== 'slave') {
      if (v.role !== 'master') problems.push(`${s} is ${v.role}`);
      continue;
    }
    const seen = new Set<string>([s]);
    let at = s;
    let why: string | null = null;
    for (;;) {
      const x = p.servers[at]!;
      if (x.link !== 'connected') {
        why = at === s ? `${s}'s link to ${x.master} is ${x.link}` : `${s} replicates through ${at}, whose link to ${x.master} is ${x.link}`;
        break;
      }
      if (x.master === master) break;
      const next = x.master !== undefined ? p.servers[x.master] : undefined;
      if (!next || next.role !== 'slave' || seen.has(x.master!)) {
        why = `${s} replicates from ${at === s ? '' : `${at} → `}${x.master}, not from ${master}`;
        break;
      }
      seen.add(x.master!);
      at = x.master!;
    }
    if (why) problems.push(why);
  }
  return { master, problems };
}

export function checkConvergence(input: CheckInput): CheckResult {
  const cfg = readConfig(input);
  const q = quietStart(input.records);
  if (!cfg || q === null) return result('convergence', [], ['no quiet period in this trace: nothing to check']);
  const bound = convergenceBoundMs(cfg.downAfterMs, cfg.failoverTimeoutMs);
  const deadline = q + bound * 1000;
  const sentinels = nodesOf(input, 'sentinel');
  const servers = nodesOf(input, 'server');
  const ps = probes(input.records);
  let lastProblems: string[] = ['no probe was recorded'];
  let lastT = q;
  let lateAt: number | null = null;
  let after = 0;
  for (const p of ps) {
    if (p.t < q) continue;
    after++;
    const v = probeVerdict(p.data, sentinels, servers);
    if (v.problems.length === 0 && p.t <= deadline)
      return result('convergence', [], [`converged on ${v.master} ${((p.t - q) / 1e6).toFixed(1)} s after the quiet period began at ${clock(q)} (bound ${bound / 1000} s)`], {
        convergedAfterMs: Math.round((p.t - q) / 1000),
        boundMs: bound,
      });
    if (v.problems.length === 0 && lateAt === null) lateAt = p.t;
    lastProblems = v.problems;
    lastT = p.t;
  }
  if (lateAt !== null) lastProblems = [`it converged only ${((lateAt - q) / 1e6).toFixed(1)} s after the quiet period began`];
  const violations: Violation[] = [
    {
      t: lastT,
      message: `not converged within ${bound / 1000} s of the quiet period (began ${clock(q)}, bound = 3·FT + min(10 s, FT) + DA + 76 s with DA ${cfg.downAfterMs} ms, FT ${cfg.failoverTimeoutMs} ms): ${lastProblems.join('; ')}`,
    },
  ];
  return result('convergence', violations, [`${after} probe(s) after the quiet period`], { boundMs: bound });
}
