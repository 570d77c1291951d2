// O_DOWN counting, the is-master-down-by-addr exchange, vote granting and leader counting
// (sentinel.md §8, §9).
import { describe, expect, it } from 'vitest';
import { arr, bulk, int } from '../../engine/net/resp.ts';
import { SRI_MASTER_DOWN, SRI_O_DOWN, SRI_S_DOWN } from '../../engine/sentinel/instance.ts';
import { askMasterStateToOtherSentinels, checkObjectivelyDown, receiveIsMasterDownReply } from '../../engine/sentinel/odown.ts';
import { getLeader, voteLeader } from '../../engine/sentinel/votes.ts';
import { unitWorld } from './unit.ts';

const id = (c: string) => c.repeat(40);

describe('O_DOWN', () => {
  it('counts itself plus the Sentinels whose last reply said down, against the quorum', () => {
    const w = unitWorld();
    const m = w.master('mymaster', '10.0.0.1', 6379, 3);
    const s = ['b', 'c', 'd'].map((c, i) => w.sentinel(m, id(c), `10.0.0.${10 + i}`, 26379));
    m.flags |= SRI_S_DOWN;
    s[0]!.flags |= SRI_MASTER_DOWN;
    checkObjectivelyDown(w.S, m);
    expect(m.flags & SRI_O_DOWN).toBe(0);
    s[2]!.flags |= SRI_MASTER_DOWN;
    checkObjectivelyDown(w.S, m);
    expect(m.flags & SRI_O_DOWN).toBeTruthy();
    expect(w.events()).toEqual(['+odown master mymaster 10.0.0.1 6379 #quorum 3/3']);
    s[0]!.flags &= ~SRI_MASTER_DOWN;
    checkObjectivelyDown(w.S, m);
    expect(w.events().at(-1)).toBe('-odown master mymaster 10.0.0.1 6379');
  });

  it('quorum 1: O_DOWN on S_DOWN alone; never without S_DOWN', () => {
    const w = unitWorld();
    const m = w.master('mymaster', '10.0.0.1', 6379, 1);
    const s = w.sentinel(m, id('b'), '10.0.0.10', 26379);
    s.flags |= SRI_MASTER_DOWN;
    checkObjectivelyDown(w.S, m);
    expect(m.flags & SRI_O_DOWN).toBe(0);
    m.flags |= SRI_S_DOWN;
    checkObjectivelyDown(w.S, m);
    expect(w.events()).toEqual(['+odown master mymaster 10.0.0.1 6379 #quorum 2/1']);
  });

  it('asks connected Sentinels once per second while S_DOWN; forgets replies older than 5 s', () => {
    const w = unitWorld();
    const m = w.master();
    const s = w.sentinel(m, id('b'), '10.0.0.10', 26379);
    s.link.disconnected = false;
    const sent: string[][] = [];
    s.link.cc = { command: (_ri: unknown, argv: string[]) => (sent.push(argv), true) } as never;
    askMasterStateToOtherSentinels(w.S, m, false);
    expect(sent).toHaveLength(0); // not S_DOWN
    m.flags |= SRI_S_DOWN;
    askMasterStateToOtherSentinels(w.S, m, false);
    expect(sent).toHaveLength(0); // last reply time = creation, < 1 s ago
    w.tick(1000);
    askMasterStateToOtherSentinels(w.S, m, false);
    expect(sent).toEqual([['SENTINEL', 'is-master-down-by-addr', '10.0.0.1', '6379', '0', '*']]);
    // no in-flight tracking: asked again on the next call
    askMasterStateToOtherSentinels(w.S, m, false);
    expect(sent).toHaveLength(2);
    receiveIsMasterDownReply(w.S, s, arr([int(1), bulk(id('e')), int(7)]));
    expect(s.flags & SRI_MASTER_DOWN).toBeTruthy();
    expect(s.leader).toBe(id('e'));
    expect(w.logs.at(-1)!.line).toBe(`${id('b')} voted for ${id('e')} 7`);
    askMasterStateToOtherSentinels(w.S, m, true); // forced: even within the second
    expect(sent).toHaveLength(3);
    w.tick(5001);
    m.flags &= ~SRI_S_DOWN;
    askMasterStateToOtherSentinels(w.S, m, false);
    expect(s.flags & SRI_MASTER_DOWN).toBe(0);
    expect(s.leader).toBeNull();
  });

  it('asks with our runid once a failover is in progress; ignores malformed replies', () => {
    const w = unitWorld();
    const m = w.master();
    const s = w.sentinel(m, id('b'), '10.0.0.10', 26379);
    s.link.disconnected = false;
    const sent: string[][] = [];
    s.link.cc = { command: (_ri: unknown, argv: string[]) => (sent.push(argv), true) } as never;
    m.flags |= SRI_S_DOWN;
    m.failoverState = 1;
    w.S.currentEpoch = 12;
    askMasterStateToOtherSentinels(w.S, m, true);
    expect(sent[0]).toEqual(['SENTINEL', 'is-master-down-by-addr', '10.0.0.1', '6379', '12', id('a')]);
    const before = s.lastMasterDownReplyTime;
    w.tick(10);
    receiveIsMasterDownReply(w.S, s, arr([bulk('1'), bulk('*'), int(0)]));
    receiveIsMasterDownReply(w.S, s, arr([int(1), bulk('*')]));
    expect(s.lastMasterDownReplyTime).toBe(before);
  });
});

describe('votes', () => {
  it('first come, first served within an epoch; a later epoch gets a new vote', () => {
    const w = unitWorld();
    const m = w.master();
    w.S.currentEpoch = 4;
    expect(voteLeader(w.S, m, 5, id('b'))).toEqual({ leader: id('b'), leaderEpoch: 5 });
    expect(w.events()).toEqual(['+new-epoch 5', `+vote-for-leader ${id('b')} 5`]);
    expect(voteLeader(w.S, m, 5, id('c'))).toEqual({ leader: id('b'), leaderEpoch: 5 });
    // an older epoch gets the current vote back
    expect(voteLeader(w.S, m, 4, id('c'))).toEqual({ leader: id('b'), leaderEpoch: 5 });
    expect(voteLeader(w.S, m, 6, id('c'))).toEqual({ leader: id('c'), leaderEpoch: 6 });
    expect(w.S.currentEpoch).toBe(6);
    // every epoch raise and every vote is flushed to disk
    expect(w.logs.filter((l) => l.line === 'Sentinel new configuration saved on disk')).toHaveLength(4);
    expect(w.disk.read<string>('/etc/sentinel.conf')).toContain('sentinel leader-epoch mymaster 6');
  });

  it('voting for another Sentinel delays our own failover by 2 × failover-timeout (+ 0..999 ms)', () => {
    const w = unitWorld();
    const m = w.master();
    voteLeader(w.S, m, 1, id('b'));
    expect(m.failoverStartTime).toBeGreaterThanOrEqual(w.clock.now);
    expect(m.failoverStartTime).toBeLessThan(w.clock.now + 1000);
    const m2 = w.master('other', '10.0.0.2', 6379);
    voteLeader(w.S, m2, 2, id('a'));
    expect(m2.failoverStartTime).toBe(0);
  });

  it('a vote is granted only when current_epoch ≤ req_epoch', () => {
    const w = unitWorld();
    const m = w.master();
    w.S.currentEpoch = 9;
    expect(voteLeader(w.S, m, 8, id('b'))).toEqual({ leader: null, leaderEpoch: 0 });
  });
});

describe('leader counting', () => {
  function world(nOthers: number, quorum: number) {
    const w = unitWorld();
    const m = w.master('mymaster', '10.0.0.1', 6379, quorum);
    const others = Array.from({ length: nOthers }, (_, i) => w.sentinel(m, String.fromCharCode(98 + i).repeat(40), `10.0.0.${10 + i}`, 26379));
    w.S.currentEpoch = 3;
    return { w, m, others };
  }

  it('needs a majority of all known Sentinels (+1), reachable or not', () => {
    const { w, m, others } = world(4, 1); // 5 voters: 3 needed
    others[0]!.leader = id('a');
    others[0]!.leaderEpoch = 3;
    expect(getLeader(w.S, m, 3)).toBeNull(); // 2 of 5
    others[1]!.leader = id('a');
    others[1]!.leaderEpoch = 3;
    expect(getLeader(w.S, m, 3)).toBe(id('a')); // 3 of 5
  });

  it('also needs quorum votes when the quorum is above the majority', () => {
    const { w, m, others } = world(2, 3); // 3 voters: majority 2, quorum 3
    others[0]!.leader = id('a');
    others[0]!.leaderEpoch = 3;
    expect(getLeader(w.S, m, 3)).toBeNull();
    others[1]!.leader = id('a');
    others[1]!.leaderEpoch = 3;
    expect(getLeader(w.S, m, 3)).toBe(id('a'));
  });

  it('votes of another epoch do not count; our own vote goes to the most voted runid', () => {
    const { w, m, others } = world(2, 2);
    others[0]!.leader = id('b');
    others[0]!.leaderEpoch = 2;
    others[1]!.leader = id('b');
    others[1]!.leaderEpoch = 3;
    // one vote for b in epoch 3: we vote b too → 2 of 3
    expect(getLeader(w.S, m, 3)).toBe(id('b'));
    expect(m.leader).toBe(id('b'));
    expect(w.events()).toContain(`+vote-for-leader ${id('b')} 3`);
  });

  it('with no votes yet we vote for ourselves; alone among 3 we are not elected', () => {
    const { w, m } = world(2, 1);
    expect(getLeader(w.S, m, 3)).toBeNull();
    expect(m.leader).toBe(id('a'));
    expect(m.leaderEpoch).toBe(3);
  });

  it('our vote goes to the runid with most votes, not to the last one counted', () => {
    const { w, m, others } = world(4, 2); // 5 voters: 3 needed
    for (const [i, who] of ['b', 'b', 'c'].entries()) {
      others[i]!.leader = id(who);
      others[i]!.leaderEpoch = 3;
    }
    // b 2, c 1 → we vote b → 3 of 5
    expect(getLeader(w.S, m, 3)).toBe(id('b'));
    expect(m.leader).toBe(id('b'));
  });

  it('a tie goes to the runid counted first (Redis: dict order; here: the order Sentinels were learned)', () => {
    const { w, m, others } = world(3, 2); // 4 voters: 3 needed
    others[0]!.leader = id('c');
    others[0]!.leaderEpoch = 3;
    others[1]!.leader = id('b');
    others[1]!.leaderEpoch = 3;
    // c 1, b 1: we vote c (first counted) → c 2 of 4: nobody yet
    expect(getLeader(w.S, m, 3)).toBeNull();
    expect(m.leader).toBe(id('c'));
    expect(w.events()).toContain(`+vote-for-leader ${id('c')} 3`);
  });

  it('a single Sentinel with no other known is its own majority', () => {
    const { w, m } = world(0, 1);
    expect(getLeader(w.S, m, 3)).toBe(id('a'));
  });
});
