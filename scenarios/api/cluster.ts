// cluster(): a master, its replicas and Sentinels generated as real redis.conf / sentinel.conf texts
// (the directives an operator would write for Redis 7.0.15), checked by the same parsers the nodes use.
import type { NetworkOptions } from '../../engine/net/types.ts';
import { fromConfigTexts, type ConfigText } from './configs.ts';
import { durationMs, type ClusterSpec, type Duration } from './spec.ts';

export type Persistence = 'none' | 'rdb' | 'aof-everysec' | 'aof-always';

/** A box of a custom layout: the nodes it runs, named redis1..N (redis1 = initial master) and sentinel1..M. */
export interface LayoutHost {
  name: string;
  /** Default 10.0.0.<position in the layout>. */
  ip?: string;
  nodes?: string[];
}

export interface ClusterOptions {
  /** Name of the monitored master (default "mymaster"). */
  masterName?: string;
  /** Replicas of the initial master (default 2). */
  replicas?: number;
  /** Sentinels (default 3; 0 = servers only). */
  sentinels?: number;
  /** Default: a majority of the Sentinels. */
  quorum?: number;
  /** down-after-milliseconds (default 5000 ms, as in the Redis Sentinel tutorial). */
  downAfter?: Duration;
  /** failover-timeout (default 60000 ms, as in the tutorial). */
  failoverTimeout?: Duration;
  /** parallel-syncs (default 1). */
  parallelSyncs?: number;
  /** Default 'none' (save "" and appendonly no). */
  persistence?: Persistence;
  /** One-way latency of every link (ms or duration string; engine default 0.1 ms). */
  latency?: Duration;
  /** Mean exponential jitter added to the latency, ms. */
  jitter?: number;
  /** Segment loss probability of every link. */
  loss?: number;
  /** Port of the initial master (default 6379); replicas use the next ports unless hostsLayout is 'boxes'. */
  masterPort?: number;
  /** Ports of the replicas, in order (overrides the default). */
  replicaPorts?: number[];
  /** Ports of the Sentinels (default 26379, 26380, ... or 26379 on every box with 'boxes'). */
  sentinelPorts?: number[];
  /** requirepass + masterauth on every server, auth-pass in every Sentinel. */
  auth?: string;
  minReplicasToWrite?: number;
  /** Seconds (min-replicas-max-lag). */
  minReplicasMaxLag?: number;
  /** replica-priority of each server, redis1 first (the initial master's applies once it is a replica). */
  priorities?: number[];
  /**
   * 'one-per-node' (default): every node on its own host, all on 127.0.0.1 like the tutorials; host names
   * redis1.., sentinel1... 'boxes': box n<i> (10.0.0.<i>) runs redis<i> and sentinel<i> (Jepsen's n1..n5).
   * Or a list of hosts naming the nodes each runs (hosts with no nodes are client boxes).
   */
  hostsLayout?: 'one-per-node' | 'boxes' | LayoutHost[];
  /** Wall clock of virtual time 0 (ms since 1970). */
  epochMs?: number;
  /** `sentinel current-epoch` (and the master's config-epoch) written in every sentinel.conf. */
  currentEpoch?: number;
  /** Extra redis.conf directives for every server ("name value" lines or a map). */
  serverConfig?: string | Record<string, string | number>;
  /** Extra sentinel.conf lines for every Sentinel. */
  sentinelConfig?: string | Record<string, string | number>;
  net?: NetworkOptions;
}

const extra = (x: string | Record<string, string | number> | undefined): string[] => {
  if (x === undefined) return [];
  if (typeof x === 'string') return x.split('\n').filter((l) => l.trim() !== '');
  return Object.entries(x).map(([k, v]) => `${k} ${v === '' ? '""' : v}`);
};

/** Quote a config argument the way redis.conf accepts it. */
const q = (s: string) => (/^[^\s"'\\]+$/.test(s) ? s : `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);

function intOpt(name: string, v: number | undefined, dflt: number, min: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < min) throw new Error(`cluster(): ${name} must be an integer ≥ ${min}, got ${v}`);
  return x;
}

interface Placed {
  id: string;
  kind: 'server' | 'sentinel';
  index: number;
  host: string;
  ip: string;
  port: number;
}

function place(o: ClusterOptions, nServers: number, nSentinels: number): { placed: Placed[]; hosts: { name: string; ip: string }[] } {
  const layout = o.hostsLayout ?? 'one-per-node';
  const masterPort = o.masterPort ?? 6379;
  const boxes = layout === 'boxes';
  const serverPort = (i: number) => (i === 0 ? masterPort : (o.replicaPorts?.[i - 1] ?? (boxes ? masterPort : masterPort + i)));
  const sentinelPort = (j: number) => o.sentinelPorts?.[j] ?? (boxes ? 26379 : 26379 + j);
  const ids: { id: string; kind: 'server' | 'sentinel'; index: number; port: number }[] = [];
  for (let i = 0; i < nServers; i++) ids.push({ id: `redis${i + 1}`, kind: 'server', index: i, port: serverPort(i) });
  for (let j = 0; j < nSentinels; j++) ids.push({ id: `sentinel${j + 1}`, kind: 'sentinel', index: j, port: sentinelPort(j) });
  const hosts: { name: string; ip: string }[] = [];
  const placed: Placed[] = [];
  if (layout === 'one-per-node') {
    for (const n of ids) {
      hosts.push({ name: n.id, ip: '127.0.0.1' });
      placed.push({ ...n, host: n.id, ip: '127.0.0.1' });
    }
  } else if (boxes) {
    const nBoxes = Math.max(nServers, nSentinels);
    for (let b = 0; b < nBoxes; b++) hosts.push({ name: `n${b + 1}`, ip: `10.0.0.${b + 1}` });
    for (const n of ids) placed.push({ ...n, host: `n${n.index + 1}`, ip: `10.0.0.${n.index + 1}` });
  } else {
    const where = new Map<string, { name: string; ip: string }>();
    layout.forEach((h, k) => {
      if (hosts.some((x) => x.name === h.name)) throw new Error(`cluster(): host '${h.name}' appears twice in hostsLayout`);
      const host = { name: h.name, ip: h.ip ?? `10.0.0.${k + 1}` };
      hosts.push(host);
      for (const id of h.nodes ?? []) {
        if (!ids.some((n) => n.id === id)) throw new Error(`cluster(): hostsLayout names '${id}', which is not a node (${ids.map((n) => n.id).join(', ')})`);
        if (where.has(id)) throw new Error(`cluster(): '${id}' is placed on two hosts`);
        where.set(id, host);
      }
    });
    for (const n of ids) {
      const h = where.get(n.id);
      if (!h) throw new Error(`cluster(): hostsLayout does not place '${n.id}'`);
      placed.push({ ...n, host: h.name, ip: h.ip });
    }
  }
  const used = new Map<string, string>();
  for (const p of placed) {
    const addr = `${p.ip}:${p.port}`;
    if (used.has(addr)) throw new Error(`cluster(): ${p.id} and ${used.get(addr)} would both listen on ${addr}`);
    used.set(addr, p.id);
  }
  return { placed, hosts };
}

function persistenceLines(p: Persistence): string[] {
  switch (p) {
    case 'none':
      return ['save ""', 'appendonly no'];
    case 'rdb':
      return ['save 3600 1 300 100 60 10000', 'appendonly no'];
    case 'aof-everysec':
      return ['save ""', 'appendonly yes', 'appendfsync everysec'];
    case 'aof-always':
      return ['save ""', 'appendonly yes', 'appendfsync always'];
    default:
      throw new Error(`cluster(): persistence must be none, rdb, aof-everysec or aof-always, got '${p as string}'`);
  }
}

/** Generate the cluster's config files (redis1 is the initial master) and describe its hosts. */
export function cluster(o: ClusterOptions = {}): ClusterSpec {
  const nReplicas = intOpt('replicas', o.replicas, 2, 0);
  const nSentinels = intOpt('sentinels', o.sentinels, 3, 0);
  const quorum = intOpt('quorum', o.quorum, Math.floor(nSentinels / 2) + 1, 1);
  const parallelSyncs = intOpt('parallelSyncs', o.parallelSyncs, 1, 1);
  const masterName = o.masterName ?? 'mymaster';
  const downAfter = Math.round(durationMs(o.downAfter ?? 5000));
  const failoverTimeout = Math.round(durationMs(o.failoverTimeout ?? 60000));
  const { placed, hosts } = place(o, nReplicas + 1, nSentinels);
  const master = placed[0]!;
  const servers: ConfigText[] = [];
  const sentinels: ConfigText[] = [];
  for (const p of placed) {
    const L: string[] = [];
    if (p.kind === 'server') {
      L.push(`# ${p.id}: ${p.index === 0 ? 'the initial master' : `replica ${p.index}`} (generated by sentinel-sim cluster())`);
      L.push(`port ${p.port}`);
      // protected mode (on by default, 7.0 ignores `bind`) would refuse every peer but 127.0.0.1: replicas and
      // Sentinels on other boxes, and the client boxes of addClients / s.app (10.254.0.x) even on 127.0.0.1
      if (o.auth === undefined) L.push('protected-mode no');
      L.push('dir /var/lib/redis', ...persistenceLines(o.persistence ?? 'none'));
      if (o.auth !== undefined) L.push(`requirepass ${q(o.auth)}`, `masterauth ${q(o.auth)}`);
      const prio = o.priorities?.[p.index];
      if (prio !== undefined) L.push(`replica-priority ${intOpt('priorities[]', prio, 100, 0)}`);
      if (o.minReplicasToWrite !== undefined) L.push(`min-replicas-to-write ${intOpt('minReplicasToWrite', o.minReplicasToWrite, 0, 0)}`);
      if (o.minReplicasMaxLag !== undefined) L.push(`min-replicas-max-lag ${intOpt('minReplicasMaxLag', o.minReplicasMaxLag, 10, 0)}`);
      if (p.index > 0) L.push(`replicaof ${master.ip} ${master.port}`);
      L.push(...extra(o.serverConfig));
      servers.push({ name: `${p.host}/redis-${p.port}.conf`, text: L.join('\n') + '\n', host: p.host, ip: p.ip });
    } else {
      L.push(`# ${p.id} (generated by sentinel-sim cluster())`);
      L.push(`port ${p.port}`, 'dir /tmp');
      L.push(`sentinel monitor ${masterName} ${master.ip} ${master.port} ${quorum}`);
      L.push(`sentinel down-after-milliseconds ${masterName} ${downAfter}`);
      L.push(`sentinel failover-timeout ${masterName} ${failoverTimeout}`);
      L.push(`sentinel parallel-syncs ${masterName} ${parallelSyncs}`);
      if (o.auth !== undefined) L.push(`sentinel auth-pass ${masterName} ${q(o.auth)}`);
      if (o.currentEpoch !== undefined) {
        const e = intOpt('currentEpoch', o.currentEpoch, 0, 0);
        L.push(`sentinel config-epoch ${masterName} ${e}`, `sentinel current-epoch ${e}`);
      }
      L.push(...extra(o.sentinelConfig));
      sentinels.push({ name: `${p.host}/sentinel-${p.port}.conf`, text: L.join('\n') + '\n', host: p.host, ip: p.ip });
    }
  }
  const used = new Set(placed.map((p) => p.host));
  const spec = fromConfigTexts({
    servers,
    sentinels,
    latency: o.latency,
    jitter: o.jitter,
    loss: o.loss,
    epochMs: o.epochMs,
    net: o.net,
    extraHosts: hosts.filter((h) => !used.has(h.name)),
  });
  // keep the layout's host order (fromConfigTexts lists servers' hosts first)
  spec.hosts.sort((a, b) => hosts.findIndex((h) => h.name === a.name) - hosts.findIndex((h) => h.name === b.name));
  spec.masterName = nSentinels > 0 ? masterName : null;
  spec.initialMaster = `${master.ip}:${master.port}`;
  return spec;
}
