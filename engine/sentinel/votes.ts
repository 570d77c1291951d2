// Epochs and leader election (sentinel.md §9): granting a vote, counting the votes.
import { LL_WARNING, MAX_DESYNC } from './constants.ts';
import { sentinelEvent } from './events.ts';
import type { Instance } from './instance.ts';
import { flushConfig } from './persist.ts';
import type { SentinelState } from './state.ts';

export interface Vote {
  leader: string | null;
  leaderEpoch: number;
}

/**
 * sentinelVoteLeader: vote for req_runid unless we already voted in this epoch or a later one
 * (first come, first served); returns our current vote for the master.
 */
export function voteLeader(S: SentinelState, master: Instance, reqEpoch: number, reqRunid: string): Vote {
  if (reqEpoch > S.currentEpoch) {
    S.currentEpoch = reqEpoch;
    flushConfig(S);
    sentinelEvent(S, LL_WARNING, '+new-epoch', master, `${S.currentEpoch}`);
  }
  if (master.leaderEpoch < reqEpoch && S.currentEpoch <= reqEpoch) {
    master.leader = reqRunid;
    master.leaderEpoch = S.currentEpoch;
    flushConfig(S);
    sentinelEvent(S, LL_WARNING, '+vote-for-leader', master, `${master.leader} ${master.leaderEpoch}`);
    // voting for another Sentinel delays our own failover attempts
    if (master.leader.toLowerCase() !== S.myid.toLowerCase()) {
      master.failoverStartTime = S.now() + S.desync(MAX_DESYNC);
    }
  }
  return { leader: master.leader, leaderEpoch: master.leaderEpoch };
}

/**
 * sentinelGetLeader: the winner for `epoch` needs votes ≥ majority of all known Sentinels (+1 for
 * us) and ≥ quorum. Counting casts our own vote (for the most voted runid, or ourselves).
 */
export function getLeader(S: SentinelState, master: Instance, epoch: number): string | null {
  const voters = master.sentinels.size + 1;
  const counters = new Map<string, number>();
  const incr = (runid: string): number => {
    const n = (counters.get(runid) ?? 0) + 1;
    counters.set(runid, n);
    return n;
  };
  for (const ri of master.sentinels.values()) {
    if (ri.leader !== null && ri.leaderEpoch === S.currentEpoch) incr(ri.leader);
  }
  let winner: string | null = null;
  let maxVotes = 0;
  // ties: the first in insertion order (Redis: dict order)
  for (const [runid, votes] of counters) {
    if (votes > maxVotes) {
      maxVotes = votes;
      winner = runid;
    }
  }
  const my = voteLeader(S, master, epoch, winner ?? S.myid);
  if (my.leader !== null && my.leaderEpoch === epoch) {
    const votes = incr(my.leader);
    if (votes > maxVotes) {
      maxVotes = votes;
      winner = my.leader;
    }
  }
  const votersQuorum = Math.floor(voters / 2) + 1;
  if (winner !== null && (maxVotes < votersQuorum || maxVotes < master.quorum)) winner = null;
  return winner;
}
