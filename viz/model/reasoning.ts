// Sentinel's reasoning, indexed from the trace (issue 15 item 2): elections (candidate, epoch, vote requests,
// votes heard, result), the PING / PONG history of every Sentinel–instance pair (the sdown timers), hello and
// INFO cadence, the replica-selection notes and every Sentinel event. One pass, incremental (live mode appends),
// over what a FrameStore has ingested; queries live in tally.ts and selection.ts.
import type { LogRecord, MsgRecord, NoteRecord, TraceRecord } from '../../engine/trace/types.ts';
import type { SelectionNote } from '../../engine/sentinel/select.ts';
import { parseEventLine } from './state.ts';

/** A vote message (is-master-down-by-addr): a request from the connecting Sentinel, or its reply. */
export interface VoteMsg {
  index: number;
  from: string | null;
  to: string | null;
  sent: number;
  arrive: number;
  dropped: boolean;
  request: boolean;
}

/** A vote as a log line says it: `+vote-for-leader` at the voter, or "<voter> voted for <leader> <epoch>" at the asker. */
export interface VoteLine {
  t: number;
  /** The node that logged it. */
  node: string;
  voterId: string | null;
  leaderId: string;
  epoch: number;
}

export interface OdownLine {
  t: number;
  node: string;
  master: string;
  /** `#quorum k/q`. */
  k: number;
  q: number;
  index: number;
}

/** One failover attempt of one Sentinel: from `+try-failover` to `+elected-leader` or `-failover-abort-not-elected`. */
export interface Election {
  candidate: string;
  master: string;
  epoch: number;
  start: number;
  startIndex: number;
  end: number | null;
  endIndex: number | null;
  result: 'elected' | 'not-elected' | null;
  /** The `+odown` of this Sentinel that preceded it. */
  odown: OdownLine | null;
}

export interface SentinelEventLine {
  t: number;
  index: number;
  node: string;
  event: string;
  line: string;
}

export interface SelectionRecord {
  t: number;
  index: number;
  node: string;
  note: SelectionNote;
}

/** PING requests a Sentinel sent to one instance (send times) and the replies it got (arrival times), sorted. */
export interface PingSeries {
  sentinel: string;
  instance: string;
  requests: number[];
  replies: number[];
}

const VOTED_FOR = /^([0-9a-f]{40}) voted for ([0-9a-f]{40}) (\d+)$/;

/** Insert keeping `a` sorted (values come nearly in order); `unique`: not when already there. */
function insertSorted(a: number[], v: number, unique = false): void {
  let j = a.length;
  while (j > 0 && a[j - 1] > v) j--;
  if (unique && j > 0 && a[j - 1] === v) return;
  if (j === a.length) a.push(v);
  else a.splice(j, 0, v);
}

/** What the index needs of a FrameStore: its records, how far it has indexed them, message endpoints. */
export interface IndexedRecords {
  readonly records: TraceRecord[];
  /** Records [0, ingested) are indexed (their message endpoints known). */
  ingestedCount(): number;
  messageEnds(index: number): [string | null, string | null];
}

export class ReasoningIndex {
  /** Ephemeral socket address → the node that connected from it (conn records). */
  readonly locals = new Map<string, string>();
  /** Sentinel runid → node. */
  readonly ids = new Map<string, string>();
  readonly elections: Election[] = [];
  readonly votes: VoteLine[] = [];
  readonly voteMsgs: VoteMsg[] = [];
  readonly odowns: OdownLine[] = [];
  readonly events: SentinelEventLine[] = [];
  readonly selections: SelectionRecord[] = [];
  readonly pings = new Map<string, PingSeries>();
  /** Per Sentinel, per target: send times of its hellos and of its INFO requests. */
  readonly hellos = new Map<string, Map<string, number[]>>();
  readonly infos = new Map<string, Map<string, number[]>>();
  private next = 0;
  private readonly epochOf = new Map<string, number>();

  constructor(private readonly src: IndexedRecords) {}

  /** Index the records the store has ingested since the last call. */
  sync(): void {
    const end = this.src.ingestedCount();
    const recs = this.src.records;
    for (let i = this.next; i < end; i++) this.add(recs[i], i);
    this.next = Math.max(this.next, end);
  }

  series(sentinel: string, instance: string): PingSeries | undefined {
    return this.pings.get(`${sentinel}|${instance}`);
  }

  private add(r: TraceRecord, i: number): void {
    if (r.k === 'conn') this.locals.set(r.local, r.node);
    else if (r.k === 'msg') this.addMsg(r, i);
    else if (r.k === 'log' && r.kind === 'sentinel') this.addLog(r, i);
    else if (r.k === 'note' && r.what === 'select-slave' && r.node) this.addSelection(r, i);
    else if (r.k === 'keyframe') {
      for (const [name, k] of Object.entries(r.nodes)) {
        const v = (k as { view?: { myid?: unknown } | null }).view;
        if (v && typeof v.myid === 'string') this.ids.set(v.myid, name);
      }
    }
  }

  private addSelection(r: NoteRecord, i: number): void {
    const note = r.data as SelectionNote;
    if (note && Array.isArray(note.replicas)) this.selections.push({ t: r.t, index: i, node: r.node!, note });
  }

  private addMsg(r: MsgRecord, i: number): void {
    if (r.kind !== 'ping' && r.kind !== 'vote' && r.kind !== 'hello' && r.kind !== 'info') return;
    const [from, to] = this.src.messageEnds(i);
    // the connecting side's socket is an ephemeral address: a message from it is a request, to it a reply
    const request = this.locals.has(r.from);
    const reply = !request && this.locals.has(r.to);
    if (r.kind === 'vote') {
      if (request || reply) this.voteMsgs.push({ index: i, from, to, sent: r.sent, arrive: r.t, dropped: r.fate === 'dropped', request });
      return;
    }
    if (r.kind === 'ping') {
      if (request && from && to) insertSorted(this.pingSeries(from, to).requests, r.sent);
      else if (reply && from && to && r.fate === 'delivered') insertSorted(this.pingSeries(to, from).replies, r.t);
      return;
    }
    if (!request || !from || !to) return;
    const all = r.kind === 'hello' ? this.hellos : this.infos;
    let m = all.get(from);
    if (!m) all.set(from, (m = new Map()));
    let a = m.get(to);
    if (!a) m.set(to, (a = []));
    // one hello may travel as several messages: one send instant
    insertSorted(a, r.sent, true);
  }

  private pingSeries(sentinel: string, instance: string): PingSeries {
    const key = `${sentinel}|${instance}`;
    let s = this.pings.get(key);
    if (!s) this.pings.set(key, (s = { sentinel, instance, requests: [], replies: [] }));
    return s;
  }

  private addLog(r: LogRecord, i: number): void {
    const id = r.line.match(/^Sentinel ID is ([0-9a-f]{40})/);
    if (id) {
      this.ids.set(id[1], r.node);
      return;
    }
    const heard = r.line.match(VOTED_FOR);
    if (heard) {
      this.votes.push({ t: r.t, node: r.node, voterId: heard[1], leaderId: heard[2], epoch: Number(heard[3]) });
      return;
    }
    const ev = r.event;
    if (!ev) return;
    this.events.push({ t: r.t, index: i, node: r.node, event: ev, line: r.line });
    const w = r.line.split(' ');
    if (ev === '+new-epoch') this.epochOf.set(r.node, Number(w[1]));
    if (ev === '+vote-for-leader') {
      this.votes.push({ t: r.t, node: r.node, voterId: null, leaderId: w[1], epoch: Number(w[2]) });
      return;
    }
    const p = parseEventLine(r.line);
    if (!p || p.master === null) return;
    if (ev === '+odown' && p.type === 'master') {
      const q = r.line.match(/#quorum (\d+)\/(\d+)/);
      if (q) this.odowns.push({ t: r.t, node: r.node, master: p.master, k: Number(q[1]), q: Number(q[2]), index: i });
    } else if (ev === '+try-failover') {
      const odown = [...this.odowns].reverse().find((o) => o.node === r.node && o.master === p.master) ?? null;
      this.elections.push({ candidate: r.node, master: p.master, epoch: this.epochOf.get(r.node) ?? 0, start: r.t, startIndex: i, end: null, endIndex: null, result: null, odown });
    } else if (ev === '+elected-leader' || ev === '-failover-abort-not-elected') {
      const e = this.openElection(r.node, p.master);
      if (e) {
        e.end = r.t;
        e.endIndex = i;
        e.result = ev === '+elected-leader' ? 'elected' : 'not-elected';
      }
    } else if (ev.startsWith('-failover-abort')) {
      const e = this.openElection(r.node, p.master);
      if (e) {
        e.end = r.t;
        e.endIndex = i;
      }
    }
  }

  private openElection(node: string, master: string): Election | undefined {
    for (let j = this.elections.length - 1; j >= 0; j--) {
      const e = this.elections[j];
      if (e.candidate === node && e.master === master) return e.end === null ? e : undefined;
    }
    return undefined;
  }
}
