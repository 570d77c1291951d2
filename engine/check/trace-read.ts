// Reading what the checkers need out of trace records: Sentinel events (sentinel.md §13), Sentinel ids,
// keyframe views, and the notes property runs write (check-config, quiet, probe).
import type { KeyframeRecord, LogRecord, NoteRecord, TraceRecord } from '../trace/types.ts';
import { NOTE_CONFIG, NOTE_PROBE, NOTE_QUIET, type CheckConfig, type CheckInput, type ProbeData } from './types.ts';

export const isSentinelEvent = (r: TraceRecord): r is LogRecord => r.k === 'log' && r.kind === 'sentinel' && r.event !== null;
export const isSentinelLog = (r: TraceRecord): r is LogRecord => r.k === 'log' && r.kind === 'sentinel';

/** The words of an event line after the event type: "+selected-slave slave a:1 a 1 @ m a 0" → ["slave", "a:1", ...]. */
export function eventWords(r: LogRecord): string[] {
  const w = r.line.split(' ');
  return w[0] === r.event ? w.slice(1) : w;
}

/**
 * The master name an instance event is about (§13.1): "master <name> …" or "… @ <name> …".
 * Null for events without an instance (+new-epoch, +vote-for-leader, +tilt).
 */
export function eventMaster(r: LogRecord): string | null {
  const w = eventWords(r);
  if (w[0] === 'master') return w[1] ?? null;
  const at = w.indexOf('@');
  if ((w[0] === 'slave' || w[0] === 'sentinel') && at >= 0) return w[at + 1] ?? null;
  if (r.event === '+switch-master') return w[0] ?? null;
  return null;
}

/** The instance name of a replica / Sentinel event ("ip:port" or runid), or the master name. */
export function eventInstance(r: LogRecord): string | null {
  const w = eventWords(r);
  return w[0] === 'master' || w[0] === 'slave' || w[0] === 'sentinel' ? (w[1] ?? null) : null;
}

/** Sentinel myid (lower case) → node "ip:port", from "Sentinel ID is <id>" lines and keyframes. */
export function sentinelIds(records: readonly TraceRecord[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const r of records) {
    if (isSentinelLog(r) && r.event === null && r.line.startsWith('Sentinel ID is ')) ids.set(r.line.slice(15).trim().toLowerCase(), r.node);
    else if (r.k === 'keyframe') {
      for (const [node, v] of Object.entries(r.nodes)) {
        const view = sentinelView(v);
        if (view && view.myid) ids.set(view.myid.toLowerCase(), node);
      }
    }
  }
  return ids;
}

export interface KfSentinelMaster {
  name: string;
  addr: string;
  configEpoch: number;
  leader: string | null;
  leaderEpoch: number;
  failoverState: string;
  numOtherSentinels: number;
}

export interface KfSentinelView {
  myid: string;
  currentEpoch: number;
  tilt: boolean;
  masters: KfSentinelMaster[];
}

export interface KfServerView {
  role: string;
  runId?: string;
  offset?: number;
}

interface KfNode {
  state?: string;
  hostUp?: boolean;
  view?: unknown;
}

/** A live Sentinel's view in a keyframe entry (null for servers, stopped processes, downed hosts). */
export function sentinelView(v: unknown): KfSentinelView | null {
  const n = v as KfNode | null;
  if (!n || n.state === 'stopped' || n.hostUp === false || !n.view) return null;
  const view = n.view as Partial<KfSentinelView>;
  return typeof view.currentEpoch === 'number' && Array.isArray(view.masters) ? (view as KfSentinelView) : null;
}

/** A live server's view in a keyframe entry. */
export function serverView(v: unknown): KfServerView | null {
  const n = v as KfNode | null;
  if (!n || n.state === 'stopped' || n.hostUp === false || !n.view) return null;
  const view = n.view as Partial<KfServerView>;
  return typeof view.role === 'string' ? (view as KfServerView) : null;
}

export const keyframes = (records: readonly TraceRecord[]): KeyframeRecord[] => records.filter((r): r is KeyframeRecord => r.k === 'keyframe');

const notes = (records: readonly TraceRecord[], what: string): NoteRecord[] => records.filter((r): r is NoteRecord => r.k === 'note' && r.what === what);

/** The cluster configuration: given, else the trace's check-config note. */
export function readConfig(input: CheckInput): CheckConfig | null {
  if (input.config) return input.config;
  const n = notes(input.records, NOTE_CONFIG)[0];
  return n ? (n.data as CheckConfig) : null;
}

/** When the quiet period began (virtual µs), if the run had one. */
export function quietStart(records: readonly TraceRecord[]): number | null {
  const n = notes(records, NOTE_QUIET)[0];
  return n ? n.t : null;
}

export function probes(records: readonly TraceRecord[]): { t: number; data: ProbeData }[] {
  return notes(records, NOTE_PROBE).map((n) => ({ t: n.t, data: n.data as ProbeData }));
}

/** Nodes of a kind, from the header's topology (else from the records). */
export function nodesOf(input: CheckInput, kind: 'server' | 'sentinel'): string[] {
  const fromHeader = input.header?.topology.nodes.filter((n) => n.kind === kind).map((n) => n.name);
  if (fromHeader && fromHeader.length > 0) return fromHeader;
  const s = new Set<string>();
  for (const r of input.records) if (r.k === 'log' && r.kind === kind) s.add(r.node);
  return [...s].sort();
}
