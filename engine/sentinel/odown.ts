// Objective down and the is-master-down-by-addr exchange, asking side (sentinel.md §8.1, §8.2, §8.4).
import type { Resp } from '../net/resp.ts';
import { LL_WARNING } from './constants.ts';
import { sentinelEvent, serverLog } from './events.ts';
import { FailoverState, mapCommand, SRI_MASTER_DOWN, SRI_O_DOWN, SRI_S_DOWN, type Instance } from './instance.ts';
import type { SentinelState } from './state.ts';

/** sentinelCheckObjectivelyDown: S_DOWN here plus MASTER_DOWN flags of the others ≥ quorum. */
export function checkObjectivelyDown(S: SentinelState, master: Instance): void {
  let quorum = 0;
  let odown = false;
  if (master.flags & SRI_S_DOWN) {
    quorum = 1;
    for (const ri of master.sentinels.values()) if (ri.flags & SRI_MASTER_DOWN) quorum++;
    if (quorum >= master.quorum) odown = true;
  }
  if (odown) {
    if ((master.flags & SRI_O_DOWN) === 0) {
      sentinelEvent(S, LL_WARNING, '+odown', master, `%@ #quorum ${quorum}/${master.quorum}`);
      master.flags |= SRI_O_DOWN;
      master.oDownSinceTime = S.now();
    }
  } else if (master.flags & SRI_O_DOWN) {
    sentinelEvent(S, LL_WARNING, '-odown', master, '%@');
    master.flags &= ~SRI_O_DOWN;
  }
}

/** sentinelAskMasterStateToOtherSentinels; `forced` right after a failover start. */
export function askMasterStateToOtherSentinels(S: SentinelState, master: Instance, forced: boolean): void {
  const now = S.now();
  // no snapshot needed: the body only flags records and queues commands (nothing is added or removed)
  for (const ri of master.sentinels.values()) {
    const elapsed = now - ri.lastMasterDownReplyTime;
    // replies older than 5 ask periods are forgotten, and the vote with them
    if (elapsed > S.timings.askPeriod * 5) {
      ri.flags &= ~SRI_MASTER_DOWN;
      ri.leader = null;
    }
    if ((master.flags & SRI_S_DOWN) === 0) continue;
    if (ri.link.disconnected || !ri.link.cc) continue;
    if (!forced && now - ri.lastMasterDownReplyTime < S.timings.askPeriod) continue;
    const argv = [
      mapCommand(ri, 'SENTINEL'),
      'is-master-down-by-addr',
      master.addr.ip,
      String(master.addr.port),
      String(S.currentEpoch),
      master.failoverState > FailoverState.NONE ? S.myid : '*',
    ];
    if (ri.link.cc.command(ri, argv, 'vote', (r, reply) => receiveIsMasterDownReply(S, r, reply))) {
      ri.link.pendingCommands++;
    }
  }
}

/** sentinelReceiveIsMasterDownReply: only [integer, string, integer] counts. */
export function receiveIsMasterDownReply(S: SentinelState, ri: Instance, r: Resp): void {
  if (r.t !== 'array' || r.v === null || r.v.length !== 3) return;
  const [down, leader, epoch] = r.v as [Resp, Resp, Resp];
  if (down.t !== 'int' || leader.t !== 'bulk' || leader.v === null || epoch.t !== 'int') return;
  ri.lastMasterDownReplyTime = S.now();
  if (Number(down.v) === 1) ri.flags |= SRI_MASTER_DOWN;
  else ri.flags &= ~SRI_MASTER_DOWN;
  if (leader.v !== '*') {
    const e = Number(epoch.v);
    if (ri.leaderEpoch !== e) serverLog(S, LL_WARNING, `${ri.name} voted for ${leader.v} ${e}`);
    ri.leader = leader.v;
    ri.leaderEpoch = e;
  }
}
