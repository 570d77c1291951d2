// What a scenario's setup() returns: a declarative cluster (hosts, nodes with their config texts, links).
// Browser-safe: building never reads a real disk; config *files* are resolved by the runner's readFile.
import type { LinkConfig, NetworkOptions } from '../../engine/net/types.ts';
import type { HostClockOptions } from '../../engine/sim/host.ts';
import { parseDuration } from '../../engine/sim/time.ts';

/** A duration: milliseconds as a number, or a string such as "1500ms", "5s", "2m", "00:01:30". */
export type Duration = number | string;

export interface HostSpec {
  /** Host (machine) name: what faults such as hostDown / partition / isolate name. */
  name: string;
  ip: string;
  clock?: HostClockOptions;
}

export interface NodeSpec {
  kind: 'server' | 'sentinel';
  /** Name of the host the process runs on. */
  host: string;
  port: number;
  /** Path of the config file on the host's simulated disk. */
  configPath: string;
  /** The redis.conf / sentinel.conf text written there before the first start. */
  configText: string;
  /** Password the admin client sends with AUTH (the node's `requirepass`), if any. */
  password?: string;
  /** Where the text came from (a file path or "cluster()"), for error messages. */
  source?: string;
  /** A user's RDB file: the server starts from it (written at its dir/dbfilename before the first load). */
  rdb?: Uint8Array;
}

/** A fully built cluster description. Node names are "ip:port" of their host's IP. */
export interface ClusterSpec {
  kind: 'cluster';
  hosts: HostSpec[];
  /** In start order. */
  nodes: NodeSpec[];
  /** The master name the Sentinels monitor (default for masterAddr / sentinelFailover), if any. */
  masterName: string | null;
  /** "ip:port" of the server that is master at start, if known. */
  initialMaster: string | null;
  /** Default link between every pair of hosts. */
  link?: Partial<LinkConfig>;
  net?: NetworkOptions;
  /** Wall-clock instant (ms since 1970) of virtual time 0. */
  epochMs?: number;
}

/** Config files named by path, resolved (relative to the scenario file) by the runner: see fromConfigFiles. */
export interface ConfigFileRef {
  path: string;
  /** Host name (default: the file name without its extension). Files naming the same host share a box. */
  host?: string;
  /** Host IP (default: from `bind`, else from the other files' replicaof / monitor lines, else 127.0.0.1). */
  ip?: string;
  /**
   * Start this server from an RDB file: a path (relative to the scenario file), or `true` for the file
   * its redis.conf names (`dir` + `dbfilename`, a relative `dir` taken from the config file's folder).
   */
  rdb?: string | true;
}

export interface ConfigFilesSpec {
  kind: 'config-files';
  servers: (string | ConfigFileRef)[];
  sentinels: (string | ConfigFileRef)[];
  options: ConfigSetOptions;
}

/** Options shared by fromConfigFiles / fromConfigTexts. */
export interface ConfigSetOptions {
  /** One-way latency of every link (ms or a duration string). */
  latency?: Duration;
  /** Mean of the exponential latency jitter, ms. */
  jitter?: number;
  /** Probability that a segment is lost (costs a TCP retransmission). */
  loss?: number;
  epochMs?: number;
  net?: NetworkOptions;
  /** Extra hosts with no Redis process (client boxes), as name or {name, ip}. */
  extraHosts?: (string | { name: string; ip?: string })[];
}

export type SetupResult = ClusterSpec | ConfigFilesSpec;

/** Milliseconds of a Duration (may be fractional). */
export function durationMs(d: Duration): number {
  return parseDuration(d) / 1000;
}

/** The node name of a spec node. */
export function nodeName(spec: ClusterSpec, n: NodeSpec): string {
  const h = spec.hosts.find((x) => x.name === n.host);
  if (!h) throw new Error(`node on unknown host '${n.host}'`);
  return `${h.ip}:${n.port}`;
}

/** The link patch for latency / jitter / loss options. */
export function linkPatch(o: { latency?: Duration; jitter?: number; loss?: number }): Partial<LinkConfig> | undefined {
  const p: Partial<LinkConfig> = {};
  if (o.latency !== undefined) p.latencyMs = durationMs(o.latency);
  if (o.jitter !== undefined) p.jitter = { kind: 'exponential', ms: o.jitter };
  if (o.loss !== undefined) {
    if (!(o.loss >= 0 && o.loss < 1)) throw new Error(`loss must be in [0, 1), got ${o.loss}`);
    p.loss = o.loss;
  }
  return Object.keys(p).length ? p : undefined;
}
