// Election safety (sentinel.md §9): at most one leader per master and epoch, at most one vote per Sentinel
// and epoch, and every elected leader backed by the votes §9.2 demands (≥ quorum and ≥ a majority of the
// Sentinels it knew). Manual failovers (SENTINEL FAILOVER: FORCE_FAILOVER, §10.1) need no election.
import type { LogRecord } from '../trace/types.ts';
import { eventMaster, eventWords, isSentinelLog, keyframes, sentinelIds, sentinelView } from './trace-read.ts';
import { result, type CheckInput, type CheckResult, type Violation } from './types.ts';

interface Attempt {
  master: string | null;
  epoch: number;
  manual: boolean;
}

interface Elected {
  node: string;
  t: number;
  epoch: number;
  master: string;
  manual: boolean;
  /** Run ids of the Sentinels it had discovered (+sentinel) before its election. */
  knew: Set<string>;
  /** Sentinels it knew at the last keyframe before the election (config-loaded ones included). */
  knownAtKeyframe: number;
}

const USER_FAILOVER = "Executing user requested FAILOVER of '";

export function checkElectionSafety(input: CheckInput): CheckResult {
  const { records } = input;
  const violations: Violation[] = [];
  const ids = sentinelIds(records);
  const idOf = new Map<string, string>();
  for (const [id, node] of ids) idOf.set(node, id);
  const curEpoch = new Map<string, number>();
  const manualPending = new Set<string>();
  const attempts = new Map<string, Attempt>();
  const quorumOf = new Map<string, number>();
  const mastersOf = new Map<string, Set<string>>();
  const elected: Elected[] = [];
  /** node → epoch → its vote. */
  const votes = new Map<string, Map<number, { leader: string; t: number }>>();
  /** Votes as the askers saw them ("<runid> voted for <leader> <epoch>"): runid → epoch → leader. */
  const seen = new Map<string, Map<number, { leader: string; by: string; t: number }>>();
  let nVotes = 0;
  /** node → run ids of the Sentinels it discovered (+sentinel; kept across restarts: the config file keeps them). */
  const discovered = new Map<string, Set<string>>();

  for (const r of records) {
    if (r.k === 'proc' && (r.ev === 'start' || r.ev === 'host-up')) {
      attempts.delete(r.node);
      manualPending.delete(r.node);
      continue;
    }
    if (!isSentinelLog(r)) continue;
    const node = r.node;
    if (r.event === null) {
      if (r.line.startsWith(USER_FAILOVER)) manualPending.add(node);
      const m = /^([0-9a-fA-F]{40}) voted for ([0-9a-fA-F]{40}) (\d+)$/.exec(r.line);
      if (m) sawVote(m[1]!.toLowerCase(), m[2]!.toLowerCase(), Number(m[3]), node, r.t);
      continue;
    }
    const w = eventWords(r);
    switch (r.event) {
      case '+monitor': {
        // +monitor master <name> <ip> <port> quorum <q>
        const q = w.indexOf('quorum');
        if (q >= 0) quorumOf.set(`${node}/${w[1]}`, Number(w[q + 1]));
        let s = mastersOf.get(node);
        if (!s) mastersOf.set(node, (s = new Set()));
        s.add(w[1]!);
        break;
      }
      case '+new-epoch':
        curEpoch.set(node, Number(w[0]));
        break;
      case '+sentinel': {
        // +sentinel sentinel <runid> <ip> <port> @ <master> …
        let d = discovered.get(node);
        if (!d) discovered.set(node, (d = new Set()));
        if (w[1]) d.add(w[1].toLowerCase());
        break;
      }
      case '+reset-master':
        discovered.delete(node);
        break;
      case '+try-failover':
        attempts.set(node, { master: eventMaster(r), epoch: curEpoch.get(node) ?? 0, manual: manualPending.has(node) });
        manualPending.delete(node);
        break;
      case '+vote-for-leader':
        nVotes++;
        vote(r, w[0]!.toLowerCase(), Number(w[1]));
        break;
      case '+elected-leader': {
        const a = attempts.get(node);
        const master = eventMaster(r) ?? '?';
        if (!a) {
          violations.push({ t: r.t, node, message: `+elected-leader for ${master} without a +try-failover before it` });
          break;
        }
        elected.push({ node, t: r.t, epoch: a.epoch, master, manual: a.manual, knew: new Set(discovered.get(node)), knownAtKeyframe: 0 });
        break;
      }
      default:
        break;
    }
  }

  function vote(r: LogRecord, leader: string, epoch: number): void {
    let m = votes.get(r.node);
    if (!m) votes.set(r.node, (m = new Map()));
    const prev = m.get(epoch);
    // one vote per Sentinel per epoch and master: one monitoring several masters may vote once for each
    // (the event does not name the master), so only single-master Sentinels are held to it
    if (prev && (mastersOf.get(r.node)?.size ?? 1) > 1) return;
    if (prev)
      violations.push({
        t: r.t,
        node: r.node,
        message: `voted twice in epoch ${epoch}: for ${name(prev.leader)} (at ${(prev.t / 1e6).toFixed(3)} s) and now for ${name(leader)}`,
      });
    else m.set(epoch, { leader, t: r.t });
  }

  function sawVote(voter: string, leader: string, epoch: number, by: string, t: number): void {
    let m = seen.get(voter);
    if (!m) seen.set(voter, (m = new Map()));
    const prev = m.get(epoch);
    if (prev && prev.leader !== leader)
      violations.push({
        t,
        node: by,
        message: `${name(voter)} reported a vote for ${name(leader)} in epoch ${epoch}, but told ${prev.by} it voted for ${name(prev.leader)}`,
      });
    else if (!prev) m.set(epoch, { leader, by, t });
  }

  function name(runid: string): string {
    const n = ids.get(runid);
    return n ? `${n} (${runid.slice(0, 8)})` : runid.slice(0, 8);
  }

  const kfs = keyframes(records);
  for (const e of elected) e.knownAtKeyframe = knownAt(e);

  /** The Sentinels it knew at the last keyframe before the election (a lower bound: records only grow until a reset). */
  function knownAt(e: Elected): number {
    let known = 0;
    for (const kf of kfs) {
      if (kf.t > e.t) break;
      const view = sentinelView(kf.nodes[e.node]);
      const mv = view?.masters.find((m) => m.name === e.master);
      if (mv) known = mv.numOtherSentinels;
    }
    return known;
  }

  /**
   * Could `a` have counted `b` among its voters? Yes if it had discovered b, or if it knew Sentinels it was not
   * seen discovering (loaded from its config file), which may include b.
   */
  function mayKnow(a: Elected, b: Elected): boolean {
    const bid = idOf.get(b.node);
    return (bid !== undefined && a.knew.has(bid)) || a.knownAtKeyframe > a.knew.size || bid === undefined;
  }

  // two leaders for one (master, epoch). Sentinel's electorate is the Sentinels it knows (sentinelGetLeader:
  // voters = known + 1): two that have not discovered each other (no hello yet) each elect themselves, in
  // real Redis 7.0.15 too (docs/triage.md, search of seeds 20000–29999) — so two leaders count only when each
  // knew the other (one electorate: two majorities of it need a voter that voted twice)
  const byEpoch = new Map<string, Elected[]>();
  for (const e of elected) {
    if (e.manual) continue;
    const k = `${e.master}/${e.epoch}`;
    const l = byEpoch.get(k) ?? [];
    const other = l.find((x) => x.node !== e.node && mayKnow(e, x) && mayKnow(x, e));
    if (other) violations.push({ t: e.t, node: e.node, message: `second leader of ${e.master} in epoch ${e.epoch}: ${other.node} was elected too` });
    l.push(e);
    byEpoch.set(k, l);
  }

  // every elected leader had the votes it needed (§9.2): voters = Sentinels it knew + 1
  for (const e of elected) {
    if (e.manual) continue;
    const myid = idOf.get(e.node);
    if (!myid) continue;
    let got = 0;
    for (const m of votes.values()) {
      const v = m.get(e.epoch);
      if (v && v.leader === myid && v.t <= e.t) got++;
    }
    const known = e.knownAtKeyframe;
    const majority = Math.floor((known + 1) / 2) + 1;
    const quorum = quorumOf.get(`${e.node}/${e.master}`) ?? 1;
    if (got < quorum || got < majority)
      violations.push({
        t: e.t,
        node: e.node,
        message: `elected leader of ${e.master} in epoch ${e.epoch} with ${got} vote(s) logged; needs ≥ quorum ${quorum} and ≥ majority ${majority} of ${known + 1} known Sentinels`,
      });
  }

  const summary = [
    `${elected.length} election(s) won (${elected.filter((e) => e.manual).length} manual), ${nVotes} vote(s) granted, epochs up to ${Math.max(0, ...elected.map((e) => e.epoch))}`,
  ];
  return result('election-safety', violations, summary, { elections: elected.length, votes: nVotes });
}
