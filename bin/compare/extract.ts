// From one run's records to what the comparison reads: the faults that split the run into segments, and per
// segment the Sentinel events after the fault (ms after it), the milestones, the leader, the promoted replica,
// each Sentinel's event sequence and the clients' outage. Works on simulated and real runs alike.
import type { FaultRecord, KeyframeRecord, LogRecord, NoteRecord, TraceRecord } from '../../engine/trace/types.ts';
import type { HistoryEntry } from '../../engine/client/history.ts';
import { SELECT_SLAVE_NOTE, type SelectionNote } from '../../engine/sentinel/select.ts';
import type { RunInput } from './model.ts';
import { EXEC_FAULTS, EXEC_HEALS } from '../../scenarios/api/exec-faults.ts';

/**
 * Faults that start a segment: milestones are measured from each in turn. (Also `set-link` when it degrades links.)
 * `failover-command` and `client-pause` are the admin commands FAILOVER and CLIENT PAUSE (scenarios/api/exec-faults.ts).
 */
export const DISRUPTIVE_FAULTS: ReadonlySet<string> = new Set(['kill', 'pause', 'host-down', 'partition', 'isolate', 'block', 'sentinel-failover', 'clock-jump', ...EXEC_FAULTS]);
/** Faults that undo one (the anchor of -sdown / +convert-to-slave of the old master). (Also `set-link` back to clean links.) */
export const HEAL_FAULTS: ReadonlySet<string> = new Set(['restart', 'resume', 'host-up', 'heal', ...EXEC_HEALS]);

/** A `set-link` that makes links lossy or slow (> 50 ms one way) degrades the network; one back to clean links heals it. */
export function degradesLinks(f: FaultRecord): boolean {
  const a = (f.args ?? {}) as { loss?: number; latencyMs?: number; jitter?: { ms?: number }; bandwidth?: number };
  return (a.loss ?? 0) > 0 || (a.latencyMs ?? 0) + 3 * (a.jitter?.ms ?? 0) > 50 || (a.bandwidth ?? 0) > 0;
}

export function isDisruptive(r: TraceRecord): r is FaultRecord {
  return r.k === 'fault' && (DISRUPTIVE_FAULTS.has(r.fault) || (r.fault === 'set-link' && degradesLinks(r)));
}

export function isHeal(r: TraceRecord): r is FaultRecord {
  return r.k === 'fault' && (HEAL_FAULTS.has(r.fault) || (r.fault === 'set-link' && !degradesLinks(r)));
}

export interface SentinelEvent {
  /** ms after the segment's fault. */
  ms: number;
  node: string;
  event: string;
  line: string;
  w: string[];
}

export interface Mark {
  ms: number;
  node: string | null;
  /** Index of the event in the segment's events (-1: not an event). */
  i: number;
}

export interface RunSegment {
  index: number;
  fault: FaultRecord;
  /** The next disruptive fault, ms after this one (Infinity for the last segment). */
  endMs: number;
  heal: FaultRecord | null;
  oldMaster: string | null;
  leader: string | null;
  promoted: string | null;
  /**
   * The replicas that tied with the promoted one on priority and offset when the leader chose it (its trace's
   * `select-slave` note: simulated runs only), so that Redis's last rule, the smaller run id, decided; null when
   * priority or offset decided, or the run has no such note (real runs).
   */
  tiedByRunid: string[] | null;
  /** Sentinel events (+x / -x) in the segment, in order. */
  events: SentinelEvent[];
  /** Milestone key → when (ms after the fault) and on which Sentinel. */
  marks: Map<string, Mark>;
  /** Labels per Sentinel (see sequenceLabel), in order, +convert-to-slave left out. */
  sequences: Map<string, string[]>;
  /** Each Sentinel's last +try-failover / +vote-for-leader before the fault and not followed by its +switch-master (ms after it: ≤ 0). */
  priorAttempt: Map<string, number>;
  /** Sentinels not running at the fault (crashed, exited, host down), with when they came back (ms after it). */
  backAt: Map<string, number | null>;
  /** Each node's last (re)start in the segment (proc start / host-up), ms after the fault. */
  startedAt: Map<string, number>;
}

export interface RunFacts {
  sentinels: string[];
  segments: RunSegment[];
  /** Final master per Sentinel (the summary's). */
  masters: Record<string, string>;
  currentEpochs: Record<string, number>;
  /** Final config epoch per Sentinel: the last keyframe's view, else derived from the failovers (see finalConfigEpochs). */
  configEpochs: Record<string, number>;
  configEpochSource: 'keyframe' | 'events';
  lostAcknowledged: number | null;
}

const ms = (t: number) => t / 1000;

/** "ip:port" an event line is about: `<event> master <name> <ip> <port>` / `<event> slave <ip:port> <ip> <port> @ …`. */
export function instanceAddr(w: readonly string[]): string | null {
  if ((w[1] === 'master' || w[1] === 'slave' || w[1] === 'sentinel') && w[3] !== undefined && w[4] !== undefined) return `${w[3]}:${w[4]}`;
  return null;
}

/** An event's label in a sequence: its name, plus the kind of instance for the up/down events ("+sdown master"). */
export function sequenceLabel(event: string, w: readonly string[]): string {
  return /^[+-][so]down$/.test(event) && w[1] ? `${event} ${w[1]}` : event;
}

const isSentinelEvent = (r: TraceRecord): r is LogRecord & { event: string } =>
  r.k === 'log' && r.kind === 'sentinel' && r.event !== null && /^[+-]/.test(r.event);

/** The master each Sentinel names before record `end`, by +monitor / +switch-master; the most common one. */
function masterAt(records: readonly TraceRecord[], end: number): string | null {
  const view = new Map<string, string>();
  for (let i = 0; i < end; i++) {
    const r = records[i]!;
    if (!isSentinelEvent(r)) continue;
    const w = r.line.split(' ');
    if (r.event === '+monitor' && w[3] && w[4]) view.set(r.node, `${w[3]}:${w[4]}`);
    else if (r.event === '+switch-master' && w[4] && w[5]) view.set(r.node, `${w[4]}:${w[5]}`);
  }
  const count = new Map<string, number>();
  for (const a of view.values()) count.set(a, (count.get(a) ?? 0) + 1);
  let best: string | null = null;
  for (const [a, n] of count) if (best === null || n > count.get(best)!) best = a;
  return best;
}

function setFirst(marks: Map<string, Mark>, key: string, m: Mark): void {
  if (!marks.has(key)) marks.set(key, m);
}

/**
 * A disruptive fault this close after the previous one belongs to its segment: a script step that cuts many
 * links at one instant (a partition as a series of `block`s) is one segment. The simulator records them at the
 * same time; a real run applies them one after another, a few ms (under load, tens of ms) apart.
 */
export const BATCH_US = 250_000;

/** The segments of a run: one per disruptive fault (or batch of them), from its record up to the next one's. */
export function segmentsOf(run: RunInput): RunSegment[] {
  const recs = run.records;
  const starts: number[] = [];
  let prevT = -Infinity;
  recs.forEach((r, i) => {
    if (!isDisruptive(r)) return;
    const batched = r.t - prevT < BATCH_US;
    prevT = r.t;
    if (!batched) starts.push(i);
  });
  const sentinels = new Set(run.header.topology.nodes.filter((n) => n.kind === 'sentinel').map((n) => n.name));
  const servers = new Set(run.header.topology.nodes.filter((n) => n.kind === 'server').map((n) => n.name));
  return starts.map((from, si) => {
    const fault = recs[from] as FaultRecord;
    const to = starts[si + 1] ?? recs.length;
    const endT = si + 1 < starts.length ? recs[to]!.t : Infinity;
    let heal: FaultRecord | null = null;
    const events: SentinelEvent[] = [];
    for (let i = from + 1; i < to; i++) {
      const r = recs[i]!;
      if (heal === null && isHeal(r)) heal = r;
      else if (isSentinelEvent(r) && (sentinels.size === 0 || sentinels.has(r.node)))
        events.push({ ms: ms(r.t - fault.t), node: r.node, event: r.event, line: r.line, w: r.line.split(' ') });
    }
    const priorAttempt = new Map<string, number>();
    const down = new Set<string>();
    for (let i = 0; i < from; i++) {
      const r = recs[i]!;
      if (isSentinelEvent(r) && (r.event === '+try-failover' || r.event === '+vote-for-leader')) priorAttempt.set(r.node, ms(r.t - fault.t));
      // sentinelResetMaster (on +switch-master) sets failover_start_time to 0: "We can failover again ASAP"
      else if (isSentinelEvent(r) && r.event === '+switch-master') priorAttempt.delete(r.node);
      else if (r.k === 'proc' && sentinels.has(r.node)) {
        if (r.ev === 'crash' || r.ev === 'exit' || r.ev === 'host-down') down.add(r.node);
        else if (r.ev === 'start' || r.ev === 'host-up') down.delete(r.node);
      }
    }
    const backAt = new Map<string, number | null>([...down].map((n) => [n, null]));
    for (let i = from + 1; i < to && down.size > 0; i++) {
      const r = recs[i]!;
      if (r.k === 'proc' && down.has(r.node) && (r.ev === 'start' || r.ev === 'host-up')) {
        backAt.set(r.node, ms(r.t - fault.t));
        down.delete(r.node);
      }
    }
    let oldMaster = masterAt(recs, from);
    if (oldMaster === null && fault.target && servers.has(fault.target)) oldMaster = fault.target;
    if (oldMaster === null) {
      const first = events.find((e) => e.event === '+sdown' && e.w[1] === 'master');
      if (first) oldMaster = instanceAddr(first.w);
    }
    const startedAt = new Map<string, number>();
    for (let i = from + 1; i < to; i++) {
      const r = recs[i]!;
      if (r.k === 'proc' && (r.ev === 'start' || r.ev === 'host-up')) startedAt.set(r.node, ms(r.t - fault.t));
    }
    const seg: RunSegment = {
      index: si + 1,
      fault,
      endMs: ms(endT - fault.t),
      heal,
      oldMaster,
      leader: null,
      promoted: null,
      tiedByRunid: null,
      events,
      marks: new Map(),
      sequences: new Map(),
      priorAttempt,
      backAt,
      startedAt,
    };
    fillMarks(seg);
    seg.tiedByRunid = runidTie(recs, from + 1, to, seg.promoted);
    const outage = outageOf(recs.slice(from + 1, to), fault.t, endT);
    if (outage !== null) seg.marks.set('outage', { ms: outage, node: null, i: -1 });
    return seg;
  });
}

/**
 * compareSlavesForPromotion (sentinel.c): priority, then offset, then run id. The candidates of the selection
 * that promoted `promoted` which equal it on priority and offset — when there are several, the run id chose.
 */
function runidTie(recs: readonly TraceRecord[], from: number, to: number, promoted: string | null): string[] | null {
  if (promoted === null) return null;
  for (let i = from; i < to; i++) {
    const r = recs[i]!;
    if (r.k !== 'note' || r.what !== SELECT_SLAVE_NOTE) continue;
    const sel = r.data as SelectionNote;
    if (sel.chosen !== promoted) continue;
    const chosen = sel.replicas.find((x) => x.name === promoted);
    if (!chosen) return null;
    const tied = sel.replicas.filter((x) => x.rejected === null && x.priority === chosen.priority && x.offset === chosen.offset).map((x) => x.name);
    return tied.length > 1 ? tied.sort() : null;
  }
  return null;
}

const isOld = (seg: RunSegment, e: SentinelEvent) => seg.oldMaster === null || instanceAddr(e.w) === seg.oldMaster;

function fillMarks(seg: RunSegment): void {
  const m = seg.marks;
  for (const [i, e] of seg.events.entries()) {
    const at: Mark = { ms: e.ms, node: e.node, i };
    switch (e.event) {
      case '+sdown':
        if (e.w[1] === 'master' && isOld(seg, e)) setFirst(m, `sdown:${e.node}`, at);
        break;
      case '+odown':
        if (isOld(seg, e)) setFirst(m, 'odown', at);
        break;
      case '+try-failover':
        setFirst(m, 'try-failover', at);
        break;
      case '+elected-leader':
        if (!m.has('elected-leader')) {
          m.set('elected-leader', at);
          seg.leader = e.node;
        }
        break;
      case '+selected-slave':
        if (e.node === seg.leader) setFirst(m, 'selected-slave', at);
        break;
      case '+promoted-slave':
        if (e.node === seg.leader && !m.has('promoted-slave')) {
          m.set('promoted-slave', at);
          // +promoted-slave slave <ip:port> <ip> <port> @ …
          seg.promoted = e.w[2] ?? null;
        }
        break;
      case '+switch-master':
        setFirst(m, `switch-master:${e.node}`, at);
        break;
      case '-sdown':
        if (isOld(seg, e)) setFirst(m, `-sdown:${e.node}`, at);
        break;
      case '+convert-to-slave':
        if (isOld(seg, e)) setFirst(m, 'convert-to-slave', at);
        break;
    }
    if (e.event !== '+convert-to-slave') {
      let seq = seg.sequences.get(e.node);
      if (!seq) seg.sequences.set(e.node, (seq = []));
      seq.push(sequenceLabel(e.event, e.w));
    }
  }
  if (seg.heal) m.set('heal', { ms: ms(seg.heal.t - seg.fault.t), node: seg.heal.target ?? null, i: -1 });
}

/**
 * The clients' outage after the fault, ms: per client the longest stretch without an acknowledged op (from
 * the fault to its first acknowledgement after it, or between two), the worst client. A client whose ops
 * after its last acknowledgement all failed counts the stretch up to its last completed op. Null: no client ops.
 */
export function outageOf(records: readonly TraceRecord[], faultT: number, endT: number): number | null {
  const byClient = new Map<string, HistoryEntry[]>();
  for (const r of records) {
    if (r.k !== 'note' || (r as NoteRecord).what !== 'op') continue;
    const e = (r as NoteRecord).data as HistoryEntry;
    if (!e || e.op === 'read-all' || e.complete === null || e.complete < faultT || e.complete >= endT) continue;
    let l = byClient.get(e.client);
    if (!l) byClient.set(e.client, (l = []));
    l.push(e);
  }
  if (byClient.size === 0) return null;
  let worst = 0;
  for (const ops of byClient.values()) {
    ops.sort((a, b) => a.complete! - b.complete!);
    let last = faultT;
    let gap = 0;
    for (const e of ops) {
      if (e.outcome === 'ok') {
        gap = Math.max(gap, e.complete! - last);
        last = e.complete!;
      }
    }
    const tail = ops[ops.length - 1]!;
    if (tail.outcome !== 'ok') gap = Math.max(gap, tail.complete! - last);
    worst = Math.max(worst, gap);
  }
  return ms(worst);
}

function lastKeyframe(records: readonly TraceRecord[]): KeyframeRecord | null {
  for (let i = records.length - 1; i >= 0; i--) if (records[i]!.k === 'keyframe') return records[i] as KeyframeRecord;
  return null;
}

/**
 * Final config epoch per Sentinel: the last keyframe's view of the monitored master when the run has one (the
 * simulator's), else derived from events: the epoch of the last failover whose promoted replica the Sentinel
 * names as master (a Sentinel adopts the leader's failover epoch as the config epoch with the new address).
 */
export function finalConfigEpochs(run: RunInput, masterName: string | null): { epochs: Record<string, number>; source: 'keyframe' | 'events' } {
  const kf = lastKeyframe(run.records);
  const out: Record<string, number> = {};
  if (kf) {
    for (const [node, v] of Object.entries(kf.nodes)) {
      const view = (v as { view?: { masters?: { name: string; configEpoch?: number }[] } | null }).view;
      const ms = view?.masters;
      if (!Array.isArray(ms)) continue;
      const m = ms.find((x) => masterName === null || x.name === masterName) ?? ms[0];
      if (m && typeof m.configEpoch === 'number') out[node] = m.configEpoch;
    }
    if (Object.keys(out).length > 0) return { epochs: out, source: 'keyframe' };
  }
  const fos = run.report.summary.failovers;
  for (const [s, addr] of Object.entries(run.report.summary.masters)) {
    const fo = [...fos].reverse().find((f) => f.promoted === addr);
    if (fo) out[s] = fo.epoch;
  }
  return { epochs: out, source: 'events' };
}

export function factsOf(run: RunInput, masterName: string | null): RunFacts {
  const sentinels = run.header.topology.nodes.filter((n) => n.kind === 'sentinel').map((n) => n.name);
  const { epochs, source } = finalConfigEpochs(run, masterName);
  return {
    sentinels,
    segments: segmentsOf(run),
    masters: run.report.summary.masters,
    currentEpochs: run.report.summary.currentEpochs,
    configEpochs: epochs,
    configEpochSource: source,
    lostAcknowledged: run.report.hasClients ? run.report.summary.clientOps.lostAcknowledged : null,
  };
}
