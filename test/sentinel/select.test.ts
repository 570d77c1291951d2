// Replica selection (sentinel.md §10.3): exclusions and the order priority → offset → runid.
import { describe, expect, it } from 'vitest';
import { refreshInstanceInfo } from '../../engine/sentinel/info.ts';
import { SRI_S_DOWN } from '../../engine/sentinel/instance.ts';
import { resetMasterAndChangeAddress } from '../../engine/sentinel/reset.ts';
import { comparePromotion, compareSlavesForPromotion, selectSlave, slaveRejection } from '../../engine/sentinel/select.ts';
import { healthy, unitWorld } from './unit.ts';

describe('replica selection', () => {
  it('lower priority first, then larger offset, then smaller runid (case-insensitive), no runid last', () => {
    const w = unitWorld();
    const m = w.master();
    const a = healthy(w, w.replica(m, '10.0.0.2', 6379), 100, 500, 'B'.repeat(40));
    const b = healthy(w, w.replica(m, '10.0.0.3', 6379), 100, 500, 'a'.repeat(40));
    const c = healthy(w, w.replica(m, '10.0.0.4', 6379), 100, 900, null);
    const d = healthy(w, w.replica(m, '10.0.0.5', 6379), 50, 1, null);
    expect(selectSlave(w.S, m)).toBe(d);
    d.slavePriority = 100;
    expect(selectSlave(w.S, m)).toBe(c);
    c.slaveReplOffset = 500;
    expect(selectSlave(w.S, m)).toBe(b);
    b.runid = 'c'.repeat(40);
    expect(selectSlave(w.S, m)).toBe(a);
    void d;
  });

  it('never priority 0, never S_DOWN or disconnected', () => {
    const w = unitWorld();
    const m = w.master();
    const a = healthy(w, w.replica(m, '10.0.0.2', 6379), 0);
    expect(slaveRejection(w.S, m, a)).toBe('priority 0');
    expect(selectSlave(w.S, m)).toBeNull();
    a.slavePriority = 1;
    a.flags |= SRI_S_DOWN;
    expect(slaveRejection(w.S, m, a)).toBe('down');
    a.flags &= ~SRI_S_DOWN;
    a.link.disconnected = true;
    expect(slaveRejection(w.S, m, a)).toBe('disconnected');
  });

  it('needs an acceptable PING reply within 5 s', () => {
    const w = unitWorld();
    const m = w.master();
    const a = healthy(w, w.replica(m, '10.0.0.2', 6379));
    w.tick(5000);
    a.infoRefresh = w.clock.now;
    expect(slaveRejection(w.S, m, a)).toBeNull();
    w.tick(1);
    a.infoRefresh = w.clock.now;
    expect(slaveRejection(w.S, m, a)).toBe('no recent ping reply');
  });

  it('INFO must be younger than 5 s when the master is S_DOWN, 30 s otherwise', () => {
    const w = unitWorld();
    const m = w.master();
    const a = healthy(w, w.replica(m, '10.0.0.2', 6379));
    w.tick(5001);
    a.link.lastAvailTime = w.clock.now;
    expect(slaveRejection(w.S, m, a)).toBeNull();
    m.flags |= SRI_S_DOWN;
    m.sDownSinceTime = w.clock.now;
    expect(slaveRejection(w.S, m, a)).toBe('old INFO');
    m.flags &= ~SRI_S_DOWN;
    w.tick(25000);
    a.link.lastAvailTime = w.clock.now;
    expect(slaveRejection(w.S, m, a)).toBe('old INFO');
  });

  it('master link down no longer than (time the master is S_DOWN) + 10 × down-after', () => {
    const w = unitWorld();
    const m = w.master();
    const a = healthy(w, w.replica(m, '10.0.0.2', 6379));
    a.masterLinkDownTime = 15000;
    expect(slaveRejection(w.S, m, a)).toBeNull();
    a.masterLinkDownTime = 15001;
    expect(slaveRejection(w.S, m, a)).toBe('link down too long');
    m.flags |= SRI_S_DOWN;
    m.sDownSinceTime = w.clock.now - 2000;
    a.masterLinkDownTime = 17000;
    expect(slaveRejection(w.S, m, a)).toBeNull();
  });

  // docs/triage.md, known failure 'priority-zero-old-master-promoted' (search seed 5892, reproduced on real
  // Redis 7.0.15): the switch re-creates the old master as a replica record with the default priority, and
  // only a role:slave INFO carries slave_priority (genRedisInfoString) or is read for it (sentinelRefreshInstanceInfo)
  it('an old master re-added by a switch keeps the default priority 100 while it still reports role:master', () => {
    const w = unitWorld();
    const m = w.master('mymaster', '10.0.0.1', 6379);
    const b = w.replica(m, '10.0.0.3', 6379);
    resetMasterAndChangeAddress(w.S, m, '10.0.0.2', 6379);
    const old = [...m.slaves.values()].find((r) => r.addr.ip === '10.0.0.1')!;
    expect(old.slavePriority).toBe(100);
    const masterInfo = (prio: string[]) =>
      ['# Server', `run_id:${'1'.repeat(40)}`, '# Replication', 'role:master', ...prio, 'connected_slaves:0'].join('\r\n') + '\r\n';
    refreshInstanceInfo(w.S, old, masterInfo([]));
    // even a slave_priority line is ignored unless the INFO says role:slave
    refreshInstanceInfo(w.S, old, masterInfo(['slave_priority:0']));
    expect(old.slavePriority).toBe(100);
    healthy(w, old, old.slavePriority);
    m.flags |= SRI_S_DOWN;
    m.sDownSinceTime = w.clock.now;
    expect(slaveRejection(w.S, m, old)).toBeNull();
    expect(selectSlave(w.S, m)).toBe(old);
    void b;
  });
});

describe('compareSlavesForPromotion', () => {
  const r = (slavePriority: number, slaveReplOffset: number, runid: string | null) => ({ slavePriority, slaveReplOffset, runid });
  it('names the rule that decided, in both argument orders', () => {
    const cases: [ReturnType<typeof r>, ReturnType<typeof r>, number, string | null][] = [
      [r(10, 0, null), r(100, 9, 'a'.repeat(40)), -90, 'priority'],
      [r(100, 9, null), r(100, 5, null), -1, 'offset'],
      [r(100, 5, null), r(100, 9, null), 1, 'offset'],
      [r(100, 5, null), r(100, 5, null), 0, null],
      [r(100, 5, null), r(100, 5, 'f'.repeat(40)), 1, 'runid'],
      [r(100, 5, 'f'.repeat(40)), r(100, 5, null), -1, 'runid'],
      [r(100, 5, 'A'.repeat(40)), r(100, 5, 'b'.repeat(40)), -1, 'runid'],
      [r(100, 5, 'B'.repeat(40)), r(100, 5, 'a'.repeat(40)), 1, 'runid'],
      [r(100, 5, 'ab'.repeat(20)), r(100, 5, 'AB'.repeat(20)), 0, null],
    ];
    for (const [a, b, cmp, rule] of cases) {
      expect(comparePromotion(a, b), JSON.stringify([a, b])).toEqual({ cmp, rule });
      expect(Math.sign(compareSlavesForPromotion(a, b))).toBe(Math.sign(cmp));
    }
  });
});
