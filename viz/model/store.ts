// The indexed frame store: one pass over the trace builds checkpoints (at every keyframe, and every few
// thousand records between), timeline markers, epoch series and a message index. Seeking to any instant is
// the nearest checkpoint before it plus a re-fold of the records after it (spec viz.md §2), never from zero.
import type { MsgRecord, TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import { EndpointResolver } from './endpoints.ts';
import { applyRecord, applyView, cloneState, initialState } from './state.ts';
import type { ClusterState, FlightDot, Marker } from './types.ts';

/** Messages in flight longer than this (held by a cut, retransmitted) are kept in a separate list. */
const LONG_FLIGHT_US = 1_000_000;
/** A checkpoint at least this often, even without keyframes. */
const CHECKPOINT_RECORDS = 4000;

/** A node's own view (as a keyframe records it), read from the engine right before a record. */
export interface ViewPatch {
  node: string;
  view: Record<string, unknown> | null;
}

interface Checkpoint {
  t: number;
  state: ClusterState;
}

export interface DotOptions {
  /** Draw each message for at least this long (virtual µs), so sub-millisecond hops stay visible. */
  minVisibleUs?: number;
  /** How long a dropped message's cross stays after it died (virtual µs). */
  dropLingerUs?: number;
  /** At most this many dots (the newest). */
  max?: number;
}

export class FrameStore {
  readonly endpoints: EndpointResolver;
  readonly markers: Marker[] = [];
  /** Current epoch of each Sentinel over time: one point per change. */
  readonly epochs = new Map<string, { t: number; epoch: number }[]>();
  /**
   * What each application host (s.app) believes the master is, over time: one point per change of its
   * `app-view` notes (docs/guest-apps.md), for the timeline's lane of that app. An app has a lane from its
   * first note on (no point yet: it believes in none).
   */
  readonly appViews = new Map<string, { t: number; master: string | null }[]>();
  /** Indices of the records the event log lists (log lines, faults, process events, notes). */
  readonly logIndex: number[] = [];
  /** Resolved endpoints of each message record, by record index. */
  private readonly msgEnds = new Map<number, [string | null, string | null]>();
  private readonly bySent: number[] = [];
  private readonly longMsgs: number[] = [];
  private readonly checkpoints: Checkpoint[] = [];
  /** The state after the whole ingested trace (for markers and epochs). */
  private head: ClusterState;
  private cursor: ClusterState;
  private ingested = 0;
  private sinceCheckpoint = 0;
  private readonly topologyNames: Set<string>;

  constructor(
    readonly header: TraceHeader,
    readonly records: TraceRecord[],
    /** Exact endpoints of a message record when the engine that produced it is at hand (live mode). */
    private readonly exactEnds?: (index: number) => [string | null, string | null] | undefined,
    /** Exact views of nodes just before record `index` (live mode: read from the engine between keyframes). */
    private readonly patches?: (index: number) => ViewPatch[] | undefined,
  ) {
    this.endpoints = new EndpointResolver(header);
    this.topologyNames = new Set(header.topology.nodes.map((n) => n.name));
    this.head = initialState(header);
    this.head.exactViews = patches !== undefined;
    this.checkpoints.push({ t: -1, state: cloneState(this.head) });
    this.cursor = cloneState(this.head);
    this.ingest();
  }

  /** Virtual µs of the last record. */
  get endT(): number {
    return this.records.length ? this.records[this.records.length - 1].t : 0;
  }

  /** Records appended and not indexed yet. */
  get behind(): number {
    return this.records.length - this.ingested;
  }

  /**
   * Index the records appended since the last call (live mode appends as the engine runs). With a deadline
   * (performance.now() ms), stop there: the rest waits for the next call (`behind` says how many).
   */
  ingest(deadline = Infinity): void {
    const recs = this.records;
    const head = this.head;
    const end = recs.length;
    for (let i = this.ingested; i < end; i++) {
      if ((i & 7) === 0 && i > this.ingested && performance.now() > deadline) {
        this.ingested = i;
        return;
      }
      const r = recs[i];
      // a Sentinel's epoch changes with a log line or a keyframe, or (engine in the page) with a view read
      // from the engine just before a record: the epoch series takes both
      const patched = this.patches?.(i);
      const before = patched || r.k === 'log' || r.k === 'keyframe' ? this.epochSnapshot(r.k === 'log' && !patched ? r.node : null) : null;
      if (patched) this.applyPatches(head, i, r.t);
      if (r.k === 'conn' || r.k === 'msg') {
        if (before) this.recordEpochs(before, r.t);
      }
      if (r.k === 'conn') {
        // the trace names the node behind a connecting socket: exact endpoints for file replay too
        this.endpoints.learn(r.local, r.node);
        head.t = r.t;
        head.next = i + 1;
        continue;
      }
      if (r.k === 'msg') {
        this.indexMsg(r, i);
        head.t = r.t;
        head.next = i + 1;
        continue;
      }
      applyRecord(head, r, i);
      if (r.k === 'proc' && !this.topologyNames.has(r.node)) this.endpoints.addNode(r.node, head.nodes[r.node]?.kind);
      if (before) this.recordEpochs(before, r.t);
      // (an app's every command, reply and connection are on the stage and in its inspector, not log lines)
      if (r.k !== 'keyframe' && !(r.k === 'note' && (r.what === 'app-cmd' || r.what === 'app-reply' || r.what === 'app-conn'))) this.logIndex.push(i);
      if (r.k === 'note' && r.node && r.what.startsWith('app-')) {
        if (!this.appViews.has(r.node)) this.appViews.set(r.node, []);
        if (r.what === 'app-view') this.addAppView(r.node, r.t, (r.data as { master?: unknown } | undefined)?.master);
      }
      this.addMarker(r, i, head);
      this.sinceCheckpoint++;
      if (r.k === 'keyframe' || this.sinceCheckpoint >= CHECKPOINT_RECORDS) {
        // a checkpoint holds every record at its instant: only once the next record is later
        const nextT = i + 1 < recs.length ? recs[i + 1].t : Infinity;
        if (nextT > r.t || r.k === 'keyframe') {
          this.checkpoints.push({ t: r.t, state: cloneState(head) });
          this.sinceCheckpoint = 0;
        }
      }
    }
    this.ingested = end;
  }

  private epochSnapshot(node: string | null): Map<string, number | null> {
    const m = new Map<string, number | null>();
    for (const n of Object.values(this.head.nodes))
      if (n.kind === 'sentinel' && (node === null || n.name === node)) m.set(n.name, n.currentEpoch);
    return m;
  }

  private recordEpochs(before: Map<string, number | null>, t: number): void {
    for (const [name, old] of before) {
      const n = this.head.nodes[name];
      if (n.kind !== 'sentinel' || n.currentEpoch === null || n.currentEpoch === old) continue;
      // a Sentinel still booting (its config not read yet: epoch 0, no master) is not a point of the series
      if (n.currentEpoch === 0 && n.masters.length === 0) continue;
      let s = this.epochs.get(name);
      if (!s) this.epochs.set(name, (s = []));
      if (s.length === 0 || s[s.length - 1].epoch !== n.currentEpoch) s.push({ t, epoch: n.currentEpoch });
    }
  }

  private addAppView(node: string, t: number, master: unknown): void {
    let lane = this.appViews.get(node);
    if (!lane) this.appViews.set(node, (lane = []));
    const m = typeof master === 'string' ? master : null;
    if (lane.length === 0 ? m !== null : lane[lane.length - 1].master !== m) lane.push({ t, master: m });
  }

  private addMarker(r: TraceRecord, index: number, head: ClusterState): void {
    if (r.k === 'fault') {
      this.markers.push({ t: r.t, kind: 'fault', node: r.target ?? null, label: `${r.fault}${r.target ? ' ' + r.target : ''}`, index });
      return;
    }
    if (r.k !== 'log' || !r.event) return;
    const n = head.nodes[r.node];
    const epoch = n && n.kind === 'sentinel' && n.currentEpoch !== null ? n.currentEpoch : undefined;
    const kind: Marker['kind'] | null =
      r.event === '+sdown' ? 'sdown'
      : r.event === '+odown' ? 'odown'
      : r.event === '+try-failover' ? 'election'
      : r.event === '+switch-master' ? 'switch-master'
      : r.event === '+failover-end' || r.event === '+failover-end-for-timeout' ? 'failover-end'
      : r.event === '+tilt' ? 'tilt'
      : null;
    if (!kind) return;
    const label = kind === 'election' ? `election epoch ${epoch ?? '?'} by ${r.node}` : `${r.node} ${r.line}`;
    this.markers.push({ t: r.t, kind, node: r.node, label, epoch, index });
  }

  private indexMsg(r: MsgRecord, i: number): void {
    const exact = this.exactEnds?.(i);
    if (exact?.[0]) this.endpoints.learn(r.from, exact[0]);
    if (exact?.[1]) this.endpoints.learn(r.to, exact[1]);
    const to = exact?.[1] ?? this.endpoints.resolve(r.to, r.kind, null, false);
    const from = exact?.[0] ?? this.endpoints.resolve(r.from, r.kind, to, true);
    this.msgEnds.set(i, [from, to ?? this.endpoints.resolve(r.to, r.kind, from, false)]);
    // a long flight (held by a cut, retransmitted) is only in longMsgs: inserted among the sends it would move
    // a long tail of bySent (Jepsen's partition: thousands of them, each a scan and a splice of the whole index)
    if (r.t - r.sent > LONG_FLIGHT_US) {
      this.longMsgs.push(i);
      return;
    }
    // keep bySent ordered by send time (records come in arrival order: sends are nearly sorted, less than
    // LONG_FLIGHT_US out of order): appended, or put in place after a binary search
    const a = this.bySent;
    const sentOf = (k: number) => (this.records[a[k]] as MsgRecord).sent;
    if (a.length === 0 || sentOf(a.length - 1) <= r.sent) {
      a.push(i);
      return;
    }
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sentOf(mid) <= r.sent) lo = mid + 1;
      else hi = mid;
    }
    a.splice(lo, 0, i);
  }

  /** The cluster as it is at virtual time `t` (every record with time ≤ t applied). Do not mutate it. */
  stateAt(t: number): ClusterState {
    const recs = this.records;
    let c = this.cursor;
    const atOrBefore = c.next === 0 ? -1 : recs[c.next - 1].t;
    if (atOrBefore > t) {
      // backwards: the last checkpoint at or before t
      let lo = 0;
      let hi = this.checkpoints.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.checkpoints[mid].t <= t) lo = mid;
        else hi = mid - 1;
      }
      c = this.cursor = cloneState(this.checkpoints[lo].state);
    } else if (c.next < recs.length && recs[c.next].t <= t) {
      // far forward: jump to a later checkpoint when there is one
      const cp = this.lastCheckpointAtOrBefore(t);
      if (cp && cp.state.next > c.next) c = this.cursor = cloneState(cp.state);
    }
    for (let i = c.next; i < recs.length && recs[i].t <= t; i++) {
      if (this.patches) this.applyPatches(c, i, recs[i].t);
      applyRecord(c, recs[i], i);
    }
    c.t = t;
    return c;
  }

  private applyPatches(s: ClusterState, i: number, t: number): void {
    const ps = this.patches!(i);
    if (!ps) return;
    for (const p of ps) {
      const n = s.nodes[p.node];
      if (n && p.view) applyView(n, p.view, t, true);
    }
  }

  private lastCheckpointAtOrBefore(t: number): Checkpoint | null {
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    if (this.checkpoints[hi].t <= t) return this.checkpoints[hi];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.checkpoints[mid].t <= t) lo = mid;
      else hi = mid - 1;
    }
    return this.checkpoints[lo] ?? null;
  }

  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /** The messages to draw at `t`: sent, not yet arrived (or dropped a moment ago). */
  dotsAt(t: number, opts: DotOptions = {}): FlightDot[] {
    const minVis = opts.minVisibleUs ?? 0;
    const linger = opts.dropLingerUs ?? 0;
    const max = opts.max ?? 500;
    const out: FlightDot[] = [];
    const a = this.bySent;
    // last message sent at or before t
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.records[a[mid]] as MsgRecord).sent <= t) lo = mid + 1;
      else hi = mid;
    }
    const floor = t - LONG_FLIGHT_US - minVis - linger;
    for (let j = lo - 1; j >= 0 && out.length < max; j--) {
      const r = this.records[a[j]] as MsgRecord;
      if (r.sent < floor) break;
      if (r.t - r.sent > LONG_FLIGHT_US) continue;
      this.maybeDot(out, r, a[j], t, minVis, linger);
    }
    for (const i of this.longMsgs) {
      if (out.length >= max) break;
      const r = this.records[i] as MsgRecord;
      if (r.sent <= t) this.maybeDot(out, r, i, t, minVis, linger);
    }
    return out;
  }

  private maybeDot(out: FlightDot[], r: MsgRecord, index: number, t: number, minVis: number, linger: number): void {
    const visEnd = Math.max(r.t, r.sent + minVis);
    const dead = r.fate === 'dropped' && t >= visEnd;
    if (t >= visEnd + (r.fate === 'dropped' ? linger : 0)) return;
    const ends = this.msgEnds.get(index) ?? [null, null];
    const pos = dead ? 1 : visEnd === r.sent ? 1 : Math.min(1, Math.max(0, (t - r.sent) / (visEnd - r.sent)));
    out.push({ index, from: ends[0], to: ends[1], kind: r.kind, pos, fate: r.fate, dead, sent: r.sent, arrive: r.t, size: r.size });
  }

  /** The nodes at both ends of message record `index` (null where unknown). */
  messageEnds(index: number): [string | null, string | null] {
    return this.msgEnds.get(index) ?? [null, null];
  }

  /** The next record the event log lists after `t` (for "step"), or null. */
  nextEventTime(t: number): number | null {
    const i = this.firstLogAfter(t);
    return i < this.logIndex.length ? this.records[this.logIndex[i]].t : null;
  }

  prevEventTime(t: number): number | null {
    const i = this.firstLogAfter(t - 1) - 1;
    return i >= 0 ? this.records[this.logIndex[i]].t : null;
  }

  /** Position in logIndex of the first listed record later than t. */
  firstLogAfter(t: number): number {
    let lo = 0;
    let hi = this.logIndex.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.records[this.logIndex[mid]].t <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The final state of the ingested trace. */
  get last(): ClusterState {
    return this.head;
  }
}
