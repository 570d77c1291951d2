// min-replicas-to-write / min-replicas-max-lag (replication.md §8): refreshGoodSlavesCount counts the online
// replicas whose last ACK is at most max-lag seconds old, only when both settings are non-zero; and
// replicationCountAcksByOffset counts online replicas that acknowledged an offset. Each failing case next to
// its passing twin, driven on a stand-in of the master's state (mutation testing, issue 20).
import { describe, expect, it } from 'vitest';
import { countAcks, refreshGoodReplicas } from '../../../../engine/redis/replication/master.ts';
import type { Replication } from '../../../../engine/redis/replication/index.ts';

interface FakeLink {
  state: string;
  ackTime: number;
  ackOff: number;
}

function master(toWrite: number, maxLag: number, now: number, links: FakeLink[]) {
  const st = { goodReplicas: -1 };
  const conf: Record<string, number> = { 'min-replicas-to-write': toWrite, 'min-replicas-max-lag': maxLag };
  const r = { s: { conf: { int: (k: string) => conf[k]! } }, unixtime: () => now, links, st };
  return { r: r as unknown as Replication, st };
}

const link = (state: string, ackTime: number, ackOff = 0): FakeLink => ({ state, ackTime, ackOff });

describe('refreshGoodReplicas', () => {
  it('an ACK exactly max-lag seconds old is good, one second older is not', () => {
    const { r, st } = master(1, 10, 1000, [link('online', 990), link('online', 989)]);
    refreshGoodReplicas(r);
    expect(st.goodReplicas).toBe(1);
  });

  it('only online replicas count, however fresh the ACK of one still syncing', () => {
    const { r, st } = master(2, 10, 1000, [link('online', 1000), link('wait_bgsave_end', 1000), link('send_bulk', 1000), link('online', 995)]);
    refreshGoodReplicas(r);
    expect(st.goodReplicas).toBe(2);
  });

  it('nothing is counted (the figure stays) when either setting is 0', () => {
    for (const [toWrite, maxLag] of [
      [0, 10],
      [3, 0],
      [0, 0],
    ] as const) {
      const { r, st } = master(toWrite, maxLag, 1000, [link('online', 1000)]);
      refreshGoodReplicas(r);
      expect(st.goodReplicas, `${toWrite} ${maxLag}`).toBe(-1);
    }
    const { r, st } = master(3, 1, 1000, []);
    refreshGoodReplicas(r);
    expect(st.goodReplicas).toBe(0);
  });
});

describe('countAcks', () => {
  it('online replicas whose ACK reached the offset, exactly equal included', () => {
    const { r } = master(0, 0, 0, [link('online', 0, 100), link('online', 0, 99), link('online', 0, 150), link('wait_bgsave_end', 0, 500)]);
    expect(countAcks(r, 100)).toBe(2);
    expect(countAcks(r, 101)).toBe(1);
    expect(countAcks(r, 0)).toBe(3);
  });
});
