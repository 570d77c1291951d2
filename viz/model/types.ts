// The view-model's picture of the cluster at one instant (spec viz.md §2: the view is computed from state + time).

/** What the process slot is doing (trace `proc` records, keyframe `state`/`hostUp`). */
export type ProcState = 'running' | 'stopped' | 'paused' | 'host-down' | 'not-started';

/** One master as one Sentinel sees it (SENTINEL MASTERS fields the keyframes carry). */
export interface MasterView {
  name: string;
  addr: string;
  flags: string;
  sDown: boolean;
  oDown: boolean;
  failoverState: string;
  configEpoch: number;
  /** The runid this Sentinel voted for, and in which epoch (its vote). */
  leader: string | null;
  leaderEpoch: number;
  quorum: number;
  /** Timers (keyframes of the simulator; absent from older traces and the real twin's). */
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  electionTimeoutMs?: number;
  /** failover_start_time in virtual µs, or null. */
  failoverStartT?: number | null;
  numReplicas: number;
  numOtherSentinels: number;
  promoted: string | null;
  replicas: { name: string; flags: string }[];
  sentinels: { runid: string; addr: string; flags: string; leader: string | null; leaderEpoch: number }[];
}

interface NodeBase {
  name: string;
  host: string;
  proc: ProcState;
  pid: number | null;
  /** Virtual µs of the last record that changed this node (for "changed" highlights). */
  changedAt: number;
  /**
   * Virtual µs of the node's own view last read (offsets, keys, clients of a server; SENTINEL MASTERS of a
   * Sentinel): a keyframe's instant, or — with the engine in the page — the exact event (viewExact).
   */
  viewAt: number | null;
  viewExact: boolean;
}

export interface ServerNode extends NodeBase {
  kind: 'server';
  role: 'master' | 'slave';
  /** The master this replica follows ("ip:port"), if known. */
  masterAddr: string | null;
  /** master_link_status as INFO replication would say it (null for a master). */
  link: 'up' | 'down' | 'connecting' | 'sync' | null;
  offset: number | null;
  keys: number | null;
  clients: number | null;
  runId: string | null;
}

export interface SentinelNode extends NodeBase {
  kind: 'sentinel';
  myid: string | null;
  currentEpoch: number | null;
  tilt: boolean;
  masters: MasterView[];
  /** Instances ("ip:port") this Sentinel holds subjectively down. */
  sdown: string[];
}

export interface ClientNode extends NodeBase {
  kind: 'client';
  /** An application host (s.app, a client process of the header's topology): its name (its host's). */
  app?: string;
  /** An application host (s.app): the master it says it believes in (its ctx.view; null while it has none). */
  believes?: string | null;
  /** Its last command as the client library wrote it (`app-cmd` notes), and the last reply it got (`app-reply`). */
  lastCmd?: { t: number; argv: string[]; to: string };
  lastReply?: { t: number; reply: string; from: string };
  /** Its connections open now (`app-conn` ids opened and not closed yet). */
  openConns?: number[];
  /** Its function returned (`app-done`), or threw / broke the protocol (`app-error`: the message). */
  appDone?: boolean;
  appError?: string | null;
}

export type NodeState = ServerNode | SentinelNode | ClientNode;

export interface LinkSetting {
  /** Host pair "a>b" (one direction), or "*" for the default link. */
  key: string;
  loss?: number;
  latencyMs?: number;
  jitter?: number;
  bandwidth?: number;
}

export interface ClusterState {
  /** Virtual µs this state is valid at (after every record with t <= this). */
  t: number;
  /** Index of the next record to apply. */
  next: number;
  nodes: Record<string, NodeState>;
  /** Blocked host directions "a>b" (network.cuts()). */
  cuts: string[];
  /** Links changed by set-link faults. */
  links: LinkSetting[];
  /** Every node's own view is exact at every event (the engine in the page), not only at keyframes. */
  exactViews: boolean;
}

/** A marker on the timeline. */
export interface Marker {
  t: number;
  kind: 'sdown' | 'odown' | 'election' | 'switch-master' | 'fault' | 'failover-end' | 'tilt' | 'note';
  node: string | null;
  label: string;
  epoch?: number;
  /** Index of the record, to jump to it in the log. */
  index: number;
}

/** A message drawn on the stage at one instant. */
export interface FlightDot {
  index: number;
  from: string | null;
  to: string | null;
  kind: string;
  /** 0 at the sender, 1 at the receiver. */
  pos: number;
  fate: 'delivered' | 'dropped';
  /** A dropped message after it died (drawn as a cross where it died). */
  dead: boolean;
  sent: number;
  arrive: number;
  size: number;
}
