// What the Redis timer windows need from a scenario: each Sentinel's down-after-milliseconds, failover-timeout
// and quorum (read from the sentinel.conf texts the scenario starts them with), the links' delay, and the
// trace header of its topology (for runs recorded elsewhere, e.g. the oracle's).
import type { ClusterSpec } from '../../scenarios/api/spec.ts';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader } from '../../engine/trace/types.ts';
import type { ScenarioParams, SentinelParams } from './model.ts';

/** Redis 7.0.15's defaults (sentinel.c: sentinel_default_down_after, sentinel_default_failover_timeout). */
export const DEFAULT_DOWN_AFTER_MS = 30_000;
export const DEFAULT_FAILOVER_TIMEOUT_MS = 180_000;
/** Process scheduling, fsync of sentinel.conf on +new-epoch / +vote-for-leader, timer jitter: real runs need it. */
export const BASE_SLACK_MS = 50;

const hostIp = (spec: ClusterSpec, host: string) => spec.hosts.find((h) => h.name === host)?.ip ?? host;

/** One Sentinel's settings from its sentinel.conf text (the first monitored master's). */
export function sentinelParams(configText: string): SentinelParams {
  const p: SentinelParams = { masterName: null, quorum: null, downAfterMs: DEFAULT_DOWN_AFTER_MS, failoverTimeoutMs: DEFAULT_FAILOVER_TIMEOUT_MS };
  const later: string[][] = [];
  for (const raw of configText.split('\n')) {
    const w = raw.trim().split(/\s+/);
    if (w[0]?.toLowerCase() !== 'sentinel' || w.length < 3) continue;
    const d = w[1]!.toLowerCase();
    if (d === 'monitor' && p.masterName === null && w.length >= 6) {
      p.masterName = w[2]!;
      p.quorum = Number(w[5]);
    } else later.push(w);
  }
  for (const w of later) {
    if (w[2] !== p.masterName || w.length < 4) continue;
    const d = w[1]!.toLowerCase();
    const v = Number(w[3]);
    if (!Number.isFinite(v)) continue;
    if (d === 'down-after-milliseconds') p.downAfterMs = v;
    else if (d === 'failover-timeout') p.failoverTimeoutMs = v;
  }
  return p;
}

export function scenarioParams(spec: ClusterSpec): ScenarioParams {
  const sentinels: Record<string, SentinelParams> = {};
  for (const n of spec.nodes) if (n.kind === 'sentinel') sentinels[`${hostIp(spec, n.host)}:${n.port}`] = sentinelParams(n.configText);
  const first = Object.values(sentinels)[0];
  const link = spec.net?.defaultLink ?? {};
  const oneWay = (spec.link?.latencyMs ?? link.latencyMs ?? 0) + 3 * (spec.link?.jitter?.ms ?? link.jitter?.ms ?? 0);
  return {
    sentinels,
    masterName: spec.masterName ?? first?.masterName ?? null,
    initialMaster: spec.initialMaster,
    slackMs: BASE_SLACK_MS + Math.ceil(2 * oneWay),
  };
}

/** A Sentinel's settings, or Redis's defaults for one the scenario does not describe. */
export function paramsOf(p: ScenarioParams, sentinel: string): SentinelParams {
  return (
    p.sentinels[sentinel] ?? { masterName: p.masterName, quorum: null, downAfterMs: DEFAULT_DOWN_AFTER_MS, failoverTimeoutMs: DEFAULT_FAILOVER_TIMEOUT_MS }
  );
}

/** The trace header a run of this cluster has (topology in start order), for runs recorded outside the simulator. */
export function headerFromSpec(spec: ClusterSpec, scenario: string, seed: string): TraceHeader {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    seed,
    scenario,
    epochMs: spec.epochMs ?? 0,
    topology: {
      hosts: spec.hosts.map((h) => ({ name: h.name, ip: h.ip })),
      nodes: spec.nodes.map((n) => ({ name: `${hostIp(spec, n.host)}:${n.port}`, kind: n.kind, host: n.host })),
    },
    detail: 'events',
  };
}
