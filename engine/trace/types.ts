// Trace records: the artifact of a run (design.md, engine/trace).
import type { Micros } from '../sim/time.ts';

export const TRACE_FORMAT = 'sentinel-sim-trace';
export const TRACE_VERSION = 1;

export type DetailLevel = 'events' | 'messages';

export interface TopologyNode {
  name: string; // "ip:port"
  kind: 'server' | 'sentinel' | 'client';
  host: string;
}

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: number;
  seed: string;
  scenario: string;
  /** World epoch: virtual time 0 is this many ms after 1970 on an unskewed clock. */
  epochMs: number;
  topology: { hosts: { name: string; ip: string }[]; nodes: TopologyNode[] };
  detail: DetailLevel;
}

export interface FaultRecord {
  t: Micros;
  k: 'fault';
  fault: string;
  target?: string;
  args?: Record<string, unknown>;
}

export interface ProcRecord {
  t: Micros;
  k: 'proc';
  node: string;
  ev: 'start' | 'crash' | 'exit' | 'pause' | 'resume' | 'host-down' | 'host-up';
  reason?: string;
}

/** A log line of a process, in Redis's own words. `event` is the Sentinel event name or null. */
export interface LogRecord {
  t: Micros;
  k: 'log';
  node: string;
  kind: 'server' | 'sentinel' | 'client';
  pid: number;
  role: string;
  /** Host wall clock (ms since 1970) when logged: what Redis prints. */
  wall: number;
  level: string;
  event: string | null;
  line: string;
}

export interface MsgRecord {
  /** Arrival (or drop) time. */
  t: Micros;
  k: 'msg';
  conn: number;
  from: string;
  to: string;
  kind: string;
  size: number;
  sent: Micros;
  fate: 'delivered' | 'dropped';
}

/** A connection opened (detail `messages`): names the node behind the connecting side's ephemeral address. */
export interface ConnRecord {
  t: Micros;
  k: 'conn';
  conn: number;
  /** The connecting process (`ip:port` of the node). */
  node: string;
  /** Its socket address (`ip:ephemeral port`), as msg records name it. */
  local: string;
  remote: string;
}

export interface KeyframeRecord {
  t: Micros;
  k: 'keyframe';
  nodes: Record<string, unknown>;
  cuts: string[];
}

/** Free-form structured record for other layers (client history, checker notes). */
export interface NoteRecord {
  t: Micros;
  k: 'note';
  node?: string;
  what: string;
  data?: unknown;
}

/** Every record kind a trace may hold (readers refuse others). */
export const RECORD_KINDS: ReadonlySet<string> = new Set(['fault', 'proc', 'log', 'msg', 'conn', 'keyframe', 'note']);

export type TraceRecord = FaultRecord | ProcRecord | LogRecord | MsgRecord | ConnRecord | KeyframeRecord | NoteRecord;

export interface TraceDocument {
  header: TraceHeader;
  records: TraceRecord[];
  sha256: string;
}
