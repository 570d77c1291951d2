// Acknowledged writes (spec/scenarios.md, Jepsen 2013 accounting): the set-add history (trace 'op' notes)
// against the final read from the final master. Whether a loss is a violation depends on the run:
//   no-faults            nothing went wrong: no acknowledged write may be lost;
//   clean-master-crash   the only fault is one kill -9 of a master whose replicas had caught up (keyframes),
//                        which stays down until the Sentinels switched away from it, and no second failover
//                        follows (a spurious one is Sentinel's weakness, see classifyRun): its replicas had
//                        every acknowledged write (Redis writes the reply and the replication stream in the
//                        same event-loop iteration, and the kernel still delivers what was sent), so none may
//                        be lost;
//   min-replicas-window  min-replicas-to-write = every replica, a max-lag L, only network faults: a lost write
//                        must have been acknowledged within L + 2 s (lag + REPLCONF ACK period + slack) of the
//                        moment some replica stopped receiving (a network fault, or a Sentinel SLAVEOF), or
//                        of the moment the master put a replica online after a full sync (replicaPutOnline sets
//                        its repl_ack_time to now: it counts as a good replica for L more seconds, heard or not);
//   faults               anything else: the loss is reported (Jepsen style), not judged.
import { historyFromTrace, summarizeHistory, type HistoryEntry, type SetAccounting } from '../client/history.ts';
import type { TraceRecord } from '../trace/types.ts';
import { isSentinelEvent, keyframes, quietStart, readConfig, serverView } from './trace-read.ts';
import { clock, result, type CheckConfig, type CheckInput, type CheckResult, type Violation } from './types.ts';

/** The master put a replica online after a full sync ("Synchronization with replica … succeeded"). */
const putOnline = (r: TraceRecord) => r.k === 'log' && r.kind !== 'sentinel' && r.line.startsWith('Synchronization with replica ') && r.line.endsWith(' succeeded');

export type DataClass = 'no-faults' | 'clean-master-crash' | 'min-replicas-window' | 'faults';

const NETWORK_FAULTS = new Set(['partition', 'isolate', 'block', 'heal', 'set-link']);
/** Sentinel events after which a replica stops receiving from the master it had (§10.2, §6.3). */
const REPOINT = new Set(['+failover-state-send-slaveof-noone', '+slave-reconf-sent', '+slave-reconf-sent-be', '+convert-to-slave', '+fix-slave-config']);

/** The role of a server at virtual time t: its last keyframe view before t, else its last log line's role. */
function roleAt(records: readonly TraceRecord[], node: string, t: number): string | null {
  let role: string | null = null;
  for (const kf of keyframes(records)) {
    if (kf.t > t) break;
    const v = serverView(kf.nodes[node]);
    if (v) role = v.role;
  }
  if (role !== null) return role;
  for (const r of records) {
    if (r.t > t) break;
    if (r.k === 'log' && r.node === node) role = r.role === 'S' ? 'slave' : r.role === 'M' ? 'master' : role;
  }
  return role;
}

/**
 * Whether the replicas had caught up with the master before time t: at the last keyframe before t, every
 * other live server is a replica whose offset has reached the master's offset of the keyframe before.
 */
export function caughtUp(records: readonly TraceRecord[], master: string, servers: readonly string[], t: number): boolean {
  const kfs = keyframes(records).filter((k) => k.t <= t);
  const last = kfs.at(-1);
  const prev = kfs.at(-2);
  if (!last || !prev) return false;
  const m0 = serverView(prev.nodes[master]);
  if (!m0 || m0.role !== 'master' || m0.offset === undefined) return false;
  for (const s of servers) {
    if (s === master) continue;
    const v = serverView(last.nodes[s]);
    if (!v || v.role === 'master' || v.offset === undefined || v.offset <= 0 || v.offset < m0.offset) return false;
  }
  return true;
}

/** Which rule applies to this run (see the header). */
export function classifyRun(records: readonly TraceRecord[], cfg: CheckConfig | null, servers: readonly string[]): { cls: DataClass; why: string } {
  const q = quietStart(records) ?? Infinity;
  const faults = records.filter((r) => r.k === 'fault' && r.t < q);
  if (faults.length === 0) return { cls: 'no-faults', why: 'no fault before the quiet period' };
  const f0 = faults[0]!;
  if (faults.length === 1 && f0.k === 'fault' && f0.fault === 'kill' && f0.target && servers.includes(f0.target) && roleAt(records, f0.target, f0.t) === 'master') {
    const target = f0.target;
    if (!caughtUp(records, target, servers, f0.t)) return { cls: 'faults', why: `the master ${target} was killed before its replicas had caught up with it` };
    // it must stay down until a +switch-master away from it
    let switched = false;
    for (const r of records) {
      if (r.t < f0.t) continue;
      if (isSentinelEvent(r) && r.event === '+switch-master') {
        // +switch-master <name> <old ip> <old port> <new ip> <new port>
        const w = r.line.split(' ');
        if (`${w[4]}:${w[5]}` !== target) switched = true;
      }
      if (r.k === 'proc' && r.node === target && r.ev === 'start') break;
    }
    if (!switched) return { cls: 'faults', why: `the Sentinels did not switch away from the killed master ${target} before it restarted (or the run ended)` };
    // a second failover, away from the promoted (live) master, is a spurious one: with down-after-milliseconds
    // at the 1 s ping period, a Sentinel that adopted the new master by +config-update-from reconnects to it
    // only on its next reconnection slot and may find it S_DOWN first (sentinel.md §7, known failure
    // 'spurious-failover-after-switch'); what that failover loses is Sentinel's doing, reported not judged
    const second = records.find((r) => r.t >= f0.t && isSentinelEvent(r) && r.event === '+switch-master' && `${r.line.split(' ')[2]}:${r.line.split(' ')[3]}` !== target);
    if (second && second.k === 'log') {
      const w = second.line.split(' ');
      return { cls: 'faults', why: `one kill of the master ${target}, then a second failover away from the promoted ${w[2]}:${w[3]} (${second.node} at ${clock(second.t)})` };
    }
    return { cls: 'clean-master-crash', why: `one kill of the master ${target}, down until the Sentinels switched away from it` };
  }
  const nReplicas = servers.length - 1;
  if (cfg && cfg.minReplicasToWrite >= nReplicas && nReplicas > 0 && cfg.minReplicasMaxLag > 0 && faults.every((f) => f.k === 'fault' && NETWORK_FAULTS.has(f.fault)))
    return { cls: 'min-replicas-window', why: `min-replicas-to-write ${cfg.minReplicasToWrite} (every replica), max-lag ${cfg.minReplicasMaxLag} s, network faults only` };
  return { cls: 'faults', why: `${faults.length} fault(s) of kinds ${[...new Set(faults.map((f) => (f.k === 'fault' ? f.fault : '')))].join(', ')}` };
}

/** The accounting of every set key that had a successful final read. */
function accountings(history: readonly HistoryEntry[]): { key: string; acc: SetAccounting }[] {
  const finals = new Map<string, string[]>();
  for (const e of history) if (e.op === 'read-all' && e.outcome === 'ok' && Array.isArray(e.value)) finals.set(e.key, e.value);
  return [...finals].map(([key, members]) => ({ key, acc: summarizeHistory(history, members, key) }));
}

export function checkData(input: CheckInput): CheckResult {
  const { records } = input;
  const cfg = readConfig(input);
  const history = historyFromTrace(records);
  const writes = history.filter((e) => e.op === 'sadd').length;
  if (writes === 0) return result('data', [], ['no set-add history in this trace: nothing to check'], { class: 'none' });
  const servers = input.header?.topology.nodes.filter((n) => n.kind === 'server').map((n) => n.name) ?? [];
  const { cls, why } = classifyRun(records, cfg, servers);
  const accs = accountings(history);
  const violations: Violation[] = [];
  const lines: string[] = [`class ${cls}: ${why}`];
  if (accs.length === 0) lines.push('no successful final read: loss unknown');
  let lost = 0;
  let acked = 0;
  let total = 0;
  for (const { key, acc } of accs) {
    lost += acc.lost;
    acked += acc.acknowledged;
    total += acc.total;
    lines.push(`${key}: ${acc.total} total, ${acc.acknowledged} acknowledged, ${acc.survivors} survivors, ${acc.lost} acknowledged lost, ${acc.unacknowledgedButPresent} unacknowledged but present`);
    if (acc.details.failedButPresent.length > 0)
      violations.push({ t: 0, message: `${acc.details.failedButPresent.length} write(s) reported failed are present in ${key} (e.g. ${acc.details.failedButPresent.slice(0, 5).join(', ')})` });
    if (acc.lost === 0) continue;
    const ackAt = new Map<number, number>();
    for (const e of history) if (e.op === 'sadd' && e.key === key && e.outcome === 'ok' && typeof e.value === 'number' && e.complete !== null) ackAt.set(e.value, e.complete);
    if (cls === 'no-faults' || cls === 'clean-master-crash') {
      const first = acc.details.lost[0]!;
      violations.push({ t: ackAt.get(first) ?? 0, message: `${acc.lost} acknowledged write(s) of ${key} lost (${cls}), e.g. ${acc.details.lost.slice(0, 8).join(', ')}` });
    } else if (cls === 'min-replicas-window') {
      const windowUs = ((cfg?.minReplicasMaxLag ?? 0) + 2) * 1e6;
      const anchors = records.filter((r) => (r.k === 'fault' && NETWORK_FAULTS.has(r.fault)) || (isSentinelEvent(r) && REPOINT.has(r.event!)) || putOnline(r)).map((r) => r.t);
      const outside = acc.details.lost.filter((v) => {
        const t = ackAt.get(v);
        return t === undefined || !anchors.some((a) => a <= t && t <= a + windowUs);
      });
      if (outside.length > 0)
        violations.push({
          t: ackAt.get(outside[0]!) ?? 0,
          message: `${outside.length} lost acknowledged write(s) of ${key} were acknowledged more than ${windowUs / 1e6} s after every network fault, SLAVEOF or replica put online (e.g. ${outside.slice(0, 6).join(', ')})`,
        });
    }
  }
  return result('data', violations, lines, { class: cls, total, acknowledged: acked, lost });
}
