// Hand-made trace records for the checker tests: Sentinel events in Redis's words (sentinel.md §13).
import { canonicalJson } from '../../engine/trace/canonical.ts';
import type { CheckConfig, CheckInput } from '../../engine/check/types.ts';
import type { HistoryEntry } from '../../engine/client/history.ts';
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';

export const S1 = '127.0.0.1:26379';
export const S2 = '127.0.0.1:26380';
export const S3 = '127.0.0.1:26381';
export const M = '127.0.0.1:6379';
export const R1 = '127.0.0.1:6380';
export const R2 = '127.0.0.1:6381';
export const ID: Record<string, string> = {
  [S1]: '1'.repeat(40),
  [S2]: '2'.repeat(40),
  [S3]: '3'.repeat(40),
};

export const header: TraceHeader = {
  format: 'sentinel-sim-trace',
  version: 1,
  seed: '1',
  scenario: 'hand-made',
  epochMs: 0,
  detail: 'events',
  topology: {
    hosts: [],
    nodes: [
      { name: M, kind: 'server', host: 'redis1' },
      { name: R1, kind: 'server', host: 'redis2' },
      { name: R2, kind: 'server', host: 'redis3' },
      { name: S1, kind: 'sentinel', host: 'sentinel1' },
      { name: S2, kind: 'sentinel', host: 'sentinel2' },
      { name: S3, kind: 'sentinel', host: 'sentinel3' },
    ],
  },
};

export const config: CheckConfig = {
  masterName: 'mymaster',
  quorum: 2,
  downAfterMs: 5000,
  failoverTimeoutMs: 10000,
  parallelSyncs: 1,
  priorities: { [M]: 100, [R1]: 0, [R2]: 100 },
  persistence: 'none',
  minReplicasToWrite: 0,
  minReplicasMaxLag: 10,
};

const sec = (s: number) => Math.round(s * 1e6);

/** A Sentinel log record; `event` null for plain lines. */
export function ev(t: number, node: string, event: string | null, rest: string): TraceRecord {
  return { t: sec(t), k: 'log', node, kind: 'sentinel', pid: 1, role: 'X', wall: 0, level: '#', event, line: event ? `${event} ${rest}` : rest };
}

export const master = (addr = M) => `master mymaster ${addr.replace(':', ' ')}`;
export const slave = (r: string, m = M) => `slave ${r} ${r.replace(':', ' ')} @ mymaster ${m.replace(':', ' ')}`;

/** Boot lines: "Sentinel ID is …" and +monitor with quorum 2, for the three Sentinels. */
export function boot(t = 0): TraceRecord[] {
  return [S1, S2, S3].flatMap((s) => [ev(t, s, null, `Sentinel ID is ${ID[s]}`), ev(t, s, '+monitor', `${master()} quorum 2`)]);
}

/** Hello discovery: each Sentinel logs +sentinel for each of the others. */
export function discover(t = 2): TraceRecord[] {
  const all = [S1, S2, S3];
  return all.flatMap((s) => all.filter((o) => o !== s).map((o) => ev(t, s, '+sentinel', `sentinel ${ID[o]} ${o.replace(':', ' ')} @ ${master().slice(7)}`)));
}

/** A full, authorised failover led by `leader` in `epoch`, with votes from `voters`, promoting R2. */
export function failover(t: number, leader: string, epoch: number, voters: string[]): TraceRecord[] {
  const out: TraceRecord[] = [
    ev(t, leader, '+new-epoch', String(epoch)),
    ev(t, leader, '+try-failover', master()),
    ev(t, leader, '+vote-for-leader', `${ID[leader]} ${epoch}`),
  ];
  voters.forEach((v, i) => {
    out.push(ev(t + 0.001 * (i + 1), v, '+new-epoch', String(epoch)));
    out.push(ev(t + 0.001 * (i + 1), v, '+vote-for-leader', `${ID[leader]} ${epoch}`));
  });
  const e = t + 0.1;
  out.push(
    ev(e, leader, '+elected-leader', master()),
    ev(e, leader, '+failover-state-select-slave', master()),
    ev(e + 0.1, leader, '+selected-slave', slave(R2)),
    ev(e + 0.1, leader, '+failover-state-send-slaveof-noone', slave(R2)),
    ev(e + 0.2, leader, '+failover-state-wait-promotion', slave(R2)),
    ev(e + 1, leader, '+promoted-slave', slave(R2)),
    ev(e + 1, leader, '+failover-state-reconf-slaves', master()),
    ev(e + 1.1, leader, '+slave-reconf-sent', slave(R1)),
    ev(e + 2, leader, '+failover-end', master()),
    ev(e + 2, leader, '+switch-master', `mymaster ${M.replace(':', ' ')} ${R2.replace(':', ' ')}`),
  );
  return out;
}

export function keyframe(t: number, sentinels: Record<string, { currentEpoch: number; configEpoch?: number; known?: number }>, servers: Record<string, { role: string; offset: number }> = {}): TraceRecord {
  const nodes: Record<string, unknown> = {};
  for (const [n, v] of Object.entries(sentinels))
    nodes[n] = {
      state: 'running',
      hostUp: true,
      view: {
        myid: ID[n],
        currentEpoch: v.currentEpoch,
        tilt: false,
        masters: [{ name: 'mymaster', addr: M, configEpoch: v.configEpoch ?? 0, leader: null, leaderEpoch: 0, failoverState: 'none', numOtherSentinels: v.known ?? 2 }],
      },
    };
  for (const [n, v] of Object.entries(servers)) nodes[n] = { state: 'running', hostUp: true, view: { role: v.role, offset: v.offset } };
  return { t: sec(t), k: 'keyframe', nodes, cuts: [] };
}

export const note = (t: number, what: string, data: unknown): TraceRecord => ({ t: sec(t), k: 'note', what, data });
export const fault = (t: number, f: string, target?: string): TraceRecord => ({ t: sec(t), k: 'fault', fault: f, target });

export function op(t: number, value: number, outcome: HistoryEntry['outcome']): TraceRecord {
  const e: HistoryEntry = { client: 'c1', op: 'sadd', key: 'jepsen', value, invoke: sec(t), complete: sec(t + 0.001), outcome };
  return { t: sec(t + 0.001), k: 'note', node: '10.254.0.1:40000', what: 'op', data: e };
}

export function finalRead(t: number, members: number[]): TraceRecord {
  const e: HistoryEntry = { client: 'c1', op: 'read-all', key: 'jepsen', value: members.map(String), invoke: sec(t), complete: sec(t), outcome: 'ok' };
  return { t: sec(t), k: 'note', node: '10.254.0.1:40000', what: 'op', data: e };
}

export function input(records: TraceRecord[], cfg: CheckConfig | null = config): CheckInput {
  const sorted = [...records].sort((a, b) => a.t - b.t);
  return { header, records: sorted, config: cfg ?? undefined };
}

/** A stable digest of records (what the repro test compares across runs). */
export function recordsDigest(records: readonly TraceRecord[]): string {
  let h = 0;
  for (const r of records) {
    const s = canonicalJson(r);
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  }
  return `${records.length}:${h >>> 0}`;
}
