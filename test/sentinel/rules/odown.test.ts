// O_DOWN and the is-master-down-by-addr exchange at their edges (sentinelCheckObjectivelyDown,
// sentinelAskMasterStateToOtherSentinels, sentinelReceiveIsMasterDownReply; sentinel.md §8).
import { describe, expect, it } from 'vitest';
import { arr, bulk, int, NIL_ARRAY, simple } from '../../../engine/net/resp.ts';
import { SRI_MASTER_DOWN, SRI_O_DOWN, SRI_S_DOWN } from '../../../engine/sentinel/instance.ts';
import { askMasterStateToOtherSentinels, checkObjectivelyDown, receiveIsMasterDownReply } from '../../../engine/sentinel/odown.ts';
import { unitWorld } from '../unit.ts';

const id = (c: string) => c.repeat(40);

function asker(accept = true) {
  const w = unitWorld();
  const m = w.master();
  const s = w.sentinel(m, id('b'), '10.0.0.10', 26379);
  s.link.disconnected = false;
  const sent: string[][] = [];
  s.link.cc = { command: (_ri: unknown, argv: string[]) => (sent.push(argv), accept) } as never;
  m.flags |= SRI_S_DOWN;
  return { w, m, s, sent };
}

describe('O_DOWN edges', () => {
  it('+odown once with its time; -odown keeps S_DOWN', () => {
    const w = unitWorld();
    const m = w.master('mymaster', '10.0.0.1', 6379, 1);
    m.flags |= SRI_S_DOWN;
    checkObjectivelyDown(w.S, m);
    const t = w.clock.now;
    w.tick(500);
    checkObjectivelyDown(w.S, m);
    expect(m.oDownSinceTime).toBe(t);
    expect(w.events()).toEqual(['+odown master mymaster 10.0.0.1 6379 #quorum 1/1']);
    m.flags &= ~SRI_S_DOWN;
    checkObjectivelyDown(w.S, m);
    expect(m.flags & SRI_O_DOWN).toBe(0);
    checkObjectivelyDown(w.S, m);
    expect(w.events()).toEqual(['+odown master mymaster 10.0.0.1 6379 #quorum 1/1', '-odown master mymaster 10.0.0.1 6379']);
    // without O_DOWN, no -odown
    const u = unitWorld();
    const m2 = u.master();
    checkObjectivelyDown(u.S, m2);
    expect(u.events()).toEqual([]);
  });

  it('quorum 2 with only our S_DOWN is not enough', () => {
    const w = unitWorld();
    const m = w.master('mymaster', '10.0.0.1', 6379, 2);
    w.sentinel(m, id('b'), '10.0.0.10', 26379);
    m.flags |= SRI_S_DOWN;
    checkObjectivelyDown(w.S, m);
    expect(m.flags & SRI_O_DOWN).toBe(0);
  });
});

describe('asking the others', () => {
  it('replies exactly 5 ask periods old are kept, older ones forgotten', () => {
    const { w, m, s } = asker();
    s.flags |= SRI_MASTER_DOWN;
    s.leader = id('c');
    s.lastMasterDownReplyTime = w.clock.now;
    m.flags &= ~SRI_S_DOWN;
    w.tick(5000);
    askMasterStateToOtherSentinels(w.S, m, false);
    expect(s.flags & SRI_MASTER_DOWN).toBeTruthy();
    expect(s.leader).toBe(id('c'));
    w.tick(1);
    askMasterStateToOtherSentinels(w.S, m, false);
    expect(s.flags & SRI_MASTER_DOWN).toBe(0);
  });

  it('asks only 1 s after the last reply, strictly before is too early', () => {
    const { w, m, s, sent } = asker();
    s.lastMasterDownReplyTime = w.clock.now;
    w.tick(999);
    askMasterStateToOtherSentinels(w.S, m, false);
    expect(sent).toEqual([]);
    w.tick(1);
    askMasterStateToOtherSentinels(w.S, m, false);
    expect(sent).toHaveLength(1);
    expect(s.link.pendingCommands).toBe(1);
  });

  it('skips disconnected Sentinels and those without a command link, even when forced', () => {
    const { w, m, s, sent } = asker();
    s.link.disconnected = true;
    askMasterStateToOtherSentinels(w.S, m, true);
    s.link.disconnected = false;
    const cc = s.link.cc;
    s.link.cc = null;
    askMasterStateToOtherSentinels(w.S, m, true);
    expect(sent).toEqual([]);
    s.link.cc = cc;
    askMasterStateToOtherSentinels(w.S, m, true);
    expect(sent).toHaveLength(1);
  });

  it('a master that is not S_DOWN is never asked about, even forced and long after the last reply', () => {
    const { w, m, sent } = asker();
    m.flags &= ~SRI_S_DOWN;
    w.tick(3000);
    askMasterStateToOtherSentinels(w.S, m, true);
    askMasterStateToOtherSentinels(w.S, m, false);
    expect(sent).toEqual([]);
    m.flags |= SRI_S_DOWN;
    askMasterStateToOtherSentinels(w.S, m, false);
    expect(sent).toHaveLength(1);
  });

  it('the question travels as a "vote" message (the trace\'s kind) and its reply is read', () => {
    const { w, m, s } = asker();
    const kinds: string[] = [];
    let reply: ((ri: unknown, r: ReturnType<typeof arr>) => void) | null = null;
    s.link.cc = {
      command: (_ri: unknown, _argv: string[], kind: string, fn: typeof reply) => (kinds.push(kind), (reply = fn), true),
    } as never;
    askMasterStateToOtherSentinels(w.S, m, true);
    expect(kinds).toEqual(['vote']);
    reply!(s, arr([int(1), bulk(id('e')), int(3)]));
    expect(s.flags & SRI_MASTER_DOWN).toBeTruthy();
    expect(s.leader).toBe(id('e'));
  });

  it('a command that could not be queued is not counted as pending', () => {
    const { w, m, s, sent } = asker(false);
    askMasterStateToOtherSentinels(w.S, m, true);
    expect(sent).toHaveLength(1);
    expect(s.link.pendingCommands).toBe(0);
  });
});

describe('the reply', () => {
  it('down 0 clears MASTER_DOWN; a * leader keeps the last vote; a repeated epoch is not logged again', () => {
    const { w, s } = asker();
    receiveIsMasterDownReply(w.S, s, arr([int(1), bulk(id('e')), int(7)]));
    const logged = w.logs.length;
    receiveIsMasterDownReply(w.S, s, arr([int(1), bulk(id('e')), int(7)]));
    expect(w.logs.length).toBe(logged);
    w.tick(5);
    receiveIsMasterDownReply(w.S, s, arr([int(0), bulk('*'), int(0)]));
    expect(s.flags & SRI_MASTER_DOWN).toBe(0);
    expect(s.leader).toBe(id('e'));
    expect(s.leaderEpoch).toBe(7);
    expect(s.lastMasterDownReplyTime).toBe(w.clock.now);
  });

  it('ignores anything but [integer, bulk string, integer]', () => {
    const { w, s } = asker();
    const before = s.lastMasterDownReplyTime;
    w.tick(5);
    for (const r of [
      NIL_ARRAY,
      simple('OK'),
      arr([int(1), bulk(id('e')), int(7), int(1)]),
      arr([int(1), simple(id('e')), int(7)]),
      arr([int(1), bulk(null), int(7)]),
      arr([int(1), bulk(id('e')), bulk('7')]),
    ])
      receiveIsMasterDownReply(w.S, s, r);
    expect(s.lastMasterDownReplyTime).toBe(before);
    expect(s.flags & SRI_MASTER_DOWN).toBe(0);
    expect(s.leader).toBeNull();
  });
});
