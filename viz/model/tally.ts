// Queries over the reasoning index at one instant (issue 15 item 2): an election's tally against what it
// needs (sentinelGetLeader: max(quorum, majority of the known Sentinels + 1)), how far each Sentinel is towards
// calling an instance subjectively down (sentinelCheckSubjectivelyDown's act_ping_time / last_avail_time), the
// failover countdowns, odown forming, and the hello / INFO cadence.
import type { Election, ReasoningIndex, VoteMsg } from './reasoning.ts';
import type { ClusterState, MasterView, SentinelNode } from './types.ts';

export interface Tally {
  election: Election;
  candidateId: string | null;
  /** Sentinels (nodes) whose vote for the candidate in this epoch the candidate has counted by now. */
  granted: string[];
  /** Votes the candidate heard for another Sentinel: voter node → the leader voted for. */
  other: { voter: string; leader: string }[];
  voters: number;
  quorum: number;
  majority: number;
  needed: number;
  /** The vote requests (candidate → Sentinel) and replies (Sentinel → candidate) of the election. */
  requests: VoteMsg[];
  replies: VoteMsg[];
  /** Known at `at`: the result, if it came. */
  result: Election['result'];
  at: number;
}

/** The candidate's view of the master the election is for. */
export function masterOf(st: ClusterState, node: string, master: string): MasterView | undefined {
  const n = st.nodes[node];
  return n?.kind === 'sentinel' ? n.masters.find((m) => m.name === master) : undefined;
}

/** The tally of `e` as the candidate knows it at `t` (every number from the trace). */
export function tallyAt(ix: ReasoningIndex, e: Election, st: ClusterState, t: number): Tally {
  const cand = st.nodes[e.candidate] as SentinelNode | undefined;
  const candidateId = cand?.myid ?? [...ix.ids].find(([, n]) => n === e.candidate)?.[0] ?? null;
  const until = Math.min(t, e.end ?? Infinity);
  const mv = masterOf(st, e.candidate, e.master);
  const voters = (mv?.sentinels.length ?? 0) + 1;
  const quorum = mv?.quorum ?? 0;
  const majority = Math.floor(voters / 2) + 1;
  const granted = new Set<string>();
  const other = new Map<string, string>();
  // the candidate's own vote (+vote-for-leader at the candidate)
  for (const v of ix.votes)
    if (v.node === e.candidate && v.voterId === null && v.epoch === e.epoch && v.t >= e.start - 1 && v.t <= until && v.leaderId === candidateId) granted.add(e.candidate);
  // votes the candidate heard ("<voter> voted for <leader> <epoch>", logged as the reply is read)
  let heardAny = false;
  for (const v of ix.votes) {
    if (v.node !== e.candidate || v.voterId === null || v.epoch !== e.epoch) continue;
    heardAny = true;
    if (v.t > until) continue;
    const voter = ix.ids.get(v.voterId) ?? v.voterId;
    if (v.leaderId === candidateId) granted.add(voter);
    else other.set(voter, ix.ids.get(v.leaderId) ?? v.leaderId);
  }
  const { requests, replies } = voteMessages(ix, e);
  if (!heardAny) {
    // a log level that hides the "voted for" lines: a voter's +vote-for-leader, then its next reply arriving
    for (const v of ix.votes) {
      if (v.voterId !== null || v.node === e.candidate || v.epoch !== e.epoch || v.t > until) continue;
      const reply = replies.find((m) => m.from === v.node && m.arrive >= v.t && m.arrive <= until && !m.dropped);
      if (!reply) continue;
      if (v.leaderId === candidateId) granted.add(v.node);
      else other.set(v.node, ix.ids.get(v.leaderId) ?? v.leaderId);
    }
  }
  return {
    election: e,
    candidateId,
    granted: [...granted].sort(),
    other: [...other].map(([voter, leader]) => ({ voter, leader })),
    voters,
    quorum,
    majority,
    needed: Math.max(quorum, majority),
    requests,
    replies,
    result: e.end !== null && e.end <= t ? e.result : null,
    at: t,
  };
}

const voteCache = new WeakMap<Election, { n: number; end: number | null; requests: VoteMsg[]; replies: VoteMsg[] }>();

/** The vote requests and replies of an election (kept until the index grows or the election ends: not per frame). */
function voteMessages(ix: ReasoningIndex, e: Election): { requests: VoteMsg[]; replies: VoteMsg[] } {
  const c = voteCache.get(e);
  if (c && c.n === ix.voteMsgs.length && c.end === e.end) return c;
  const requests = ix.voteMsgs.filter((m) => m.request && m.from === e.candidate && m.sent >= e.start && m.sent <= (e.end ?? Infinity));
  const replies = ix.voteMsgs.filter((m) => !m.request && m.to === e.candidate && m.arrive >= e.start && m.arrive <= (e.end ?? Infinity));
  const v = { n: ix.voteMsgs.length, end: e.end, requests, replies };
  voteCache.set(e, v);
  return v;
}

/** "2/3 votes, needs 2": the tally's words (the stage and the panel both say exactly this). */
export function tallyText(x: Tally): string {
  return `${x.granted.length}/${x.voters} votes, needs ${x.needed}`;
}

/** The election's outcome as the candidate logged it, or "counting…" while it waits. */
export function resultText(x: Tally): string {
  return x.result === 'elected' ? '+elected-leader' : x.result === 'not-elected' ? '-failover-abort-not-elected' : x.election.end !== null && x.election.end <= x.at ? 'ended (aborted)' : 'counting…';
}

/** The elections drawn at `t`: started, and not over for longer than `linger` µs. */
export function electionsAt(ix: ReasoningIndex, t: number, linger: number): Election[] {
  return ix.elections.filter((e) => e.start <= t && (e.end === null || t <= e.end + linger));
}

/** The latest election started at or before `t`. */
export function lastElection(ix: ReasoningIndex, t: number): Election | null {
  for (let i = ix.elections.length - 1; i >= 0; i--) if (ix.elections[i].start <= t) return ix.elections[i];
  return null;
}

/** Largest i with a[i] <= v, or -1. */
function floorIndex(a: number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export interface DownTimer {
  sentinel: string;
  instance: string;
  /** ms towards down-after: since the oldest unanswered PING (act_ping_time), or since the last reply when the link is down. */
  elapsedMs: number;
  downAfterMs: number | null;
  /** Virtual µs of the last valid PING reply, or null. */
  lastReply: number | null;
  /** The Sentinel holds it subjectively down. */
  sdown: boolean;
  since: 'unanswered-ping' | 'last-reply' | 'none';
}

/** The instances a Sentinel watches (from its view): each master, its replicas, the other Sentinels. */
export function watched(n: SentinelNode): { instance: string; master: MasterView }[] {
  const out: { instance: string; master: MasterView }[] = [];
  for (const m of n.masters) {
    out.push({ instance: m.addr, master: m });
    for (const r of m.replicas) out.push({ instance: r.name, master: m });
    for (const s of m.sentinels) out.push({ instance: s.addr, master: m });
  }
  return out;
}

/** How far `sentinel` is towards calling each instance it watches subjectively down, at `t`. */
export function downTimers(ix: ReasoningIndex, st: ClusterState, sentinel: string, t: number): DownTimer[] {
  const n = st.nodes[sentinel];
  if (n?.kind !== 'sentinel' || n.proc !== 'running') return [];
  const sd = new Set(n.sdown);
  return watched(n).map(({ instance, master }) => {
    const s = ix.series(sentinel, instance);
    const ri = s ? floorIndex(s.replies, t) : -1;
    const lastReply = s && ri >= 0 ? s.replies[ri] : null;
    // act_ping_time: the first PING sent after the last reply (still unanswered at t)
    let firstUnanswered: number | null = null;
    if (s) {
      const qi = floorIndex(s.requests, lastReply ?? -1) + 1;
      if (qi < s.requests.length && s.requests[qi] <= t) firstUnanswered = s.requests[qi];
    }
    const x = st.nodes[instance];
    const linkDown = !x || x.proc === 'stopped' || x.proc === 'host-down' || x.proc === 'not-started';
    let since: DownTimer['since'] = 'none';
    let elapsed = 0;
    if (firstUnanswered !== null) {
      since = 'unanswered-ping';
      elapsed = (t - firstUnanswered) / 1000;
    } else if (linkDown && lastReply !== null) {
      since = 'last-reply';
      elapsed = (t - lastReply) / 1000;
    }
    return { sentinel, instance, elapsedMs: elapsed, downAfterMs: master.downAfterMs ?? null, lastReply, sdown: sd.has(instance), since };
  });
}

export interface Countdown {
  sentinel: string;
  master: string;
  kind: 'election' | 'failover' | 'retry';
  /** Virtual µs it started and runs out. */
  from: number;
  until: number;
  label: string;
}

/**
 * The failover countdowns of a Sentinel at `t`: waiting for votes (the election timeout, min(10 s,
 * failover-timeout), from failover_start_time), a failover step (failover-timeout from the step's start), and —
 * master objectively down, no failover running — the wait before its next try (2 × failover-timeout).
 */
export function countdowns(ix: ReasoningIndex, st: ClusterState, sentinel: string, t: number): Countdown[] {
  const n = st.nodes[sentinel];
  if (n?.kind !== 'sentinel' || n.proc !== 'running') return [];
  const out: Countdown[] = [];
  for (const m of n.masters) {
    if (m.failoverTimeoutMs === undefined) continue;
    let lastTry: (typeof ix.elections)[number] | undefined;
    for (let i = ix.elections.length - 1; i >= 0 && !lastTry; i--) {
      const e = ix.elections[i];
      if (e.candidate === sentinel && e.master === m.name && e.start <= t) lastTry = e;
    }
    // failover_start_time from the view (exact once read); right after +try-failover the try's instant
    const start = Math.max(m.failoverStartT ?? 0, lastTry?.start ?? 0);
    if (m.failoverState === 'wait_start' && m.electionTimeoutMs !== undefined) {
      out.push({ sentinel, master: m.name, kind: 'election', from: start, until: start + m.electionTimeoutMs * 1000, label: 'election timeout' });
    } else if (m.failoverState !== 'none' && m.failoverState !== 'update_config' && m.failoverState !== 'wait_start') {
      let step: { t: number } | undefined;
      // back from t to the failover's start at most (never over the whole trace)
      let lo = 0;
      let hi = ix.events.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ix.events[mid].t <= t) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo - 1; i >= 0 && !step; i--) {
        const e = ix.events[i];
        if (e.t < start) break;
        if (e.node === sentinel && e.event.startsWith('+failover-state-')) step = e;
      }
      const from = step?.t ?? start;
      out.push({ sentinel, master: m.name, kind: 'failover', from, until: from + m.failoverTimeoutMs * 1000, label: 'failover-timeout' });
    } else if (m.failoverState === 'none' && m.oDown && m.failoverStartT !== null && m.failoverStartT !== undefined) {
      const until = m.failoverStartT + 2 * m.failoverTimeoutMs * 1000;
      if (until > t) out.push({ sentinel, master: m.name, kind: 'retry', from: m.failoverStartT, until, label: 'next try' });
    }
  }
  return out;
}

/** `+odown` forming at a Sentinel: itself (sdown) plus the Sentinels that replied "down", against the quorum. */
export function odownForming(ix: ReasoningIndex, st: ClusterState, sentinel: string, t: number): { master: string; k: number; q: number; odown: boolean; fromLine: boolean }[] {
  const n = st.nodes[sentinel];
  if (n?.kind !== 'sentinel') return [];
  return n.masters
    .filter((m) => m.sDown || m.oDown)
    .map((m) => {
      let line: (typeof ix.odowns)[number] | undefined;
      for (let i = ix.odowns.length - 1; i >= 0 && !line; i--) if (ix.odowns[i].node === sentinel && ix.odowns[i].master === m.name && ix.odowns[i].t <= t) line = ix.odowns[i];
      const k = (m.sDown ? 1 : 0) + m.sentinels.filter((s) => /\bmaster_down\b/.test(s.flags)).length;
      // the +odown line says the count exactly at the instant it formed
      if (m.oDown && line && line.t === t) return { master: m.name, k: line.k, q: line.q, odown: true, fromLine: true };
      return { master: m.name, k: Math.max(k, m.oDown && line ? line.k : 0), q: m.quorum, odown: m.oDown, fromLine: false };
    });
}

export interface Beat {
  /** Virtual µs of the last one sent at or before t, its target, and the interval since the one before to the same target. */
  last: number;
  to: string;
  every: number | null;
}

export interface Cadence {
  hello: Beat | null;
  info: Beat | null;
}

/** When a Sentinel last sent a hello and an INFO request (each instance has its own period). */
export function cadence(ix: ReasoningIndex, sentinel: string, t: number): Cadence {
  const beat = (m: Map<string, number[]> | undefined): Beat | null => {
    let best: Beat | null = null;
    for (const [to, a] of m ?? []) {
      const i = floorIndex(a, t);
      if (i >= 0 && (!best || a[i] > best.last)) best = { last: a[i], to, every: i >= 1 ? a[i] - a[i - 1] : null };
    }
    return best;
  };
  return { hello: beat(ix.hellos.get(sentinel)), info: beat(ix.infos.get(sentinel)) };
}
