// S_DOWN and link recycling at their exact boundaries (sentinelCheckSubjectivelyDown, sentinel.md §7, §5.3):
// every condition is strict, each half of a conjunction is needed, and -sdown clears SCRIPT_KILL_SENT.
import { describe, expect, it } from 'vitest';
import {
  SRI_MASTER,
  SRI_MASTER_REBOOT,
  SRI_S_DOWN,
  SRI_SCRIPT_KILL_SENT,
  SRI_SLAVE,
  type Instance,
} from '../../../engine/sentinel/instance.ts';
import { checkSubjectivelyDown } from '../../../engine/sentinel/sdown.ts';
import { unitWorld, type UnitWorld } from '../unit.ts';

/** A connection stand-in: closeLinkConnection marks it closed and calls conn.close(). */
const fakeConn = () => {
  const c = { closed: false, link: null as unknown, conn: { close: () => (c.shut = true) }, shut: false };
  return c;
};

/** A master with both links up at `now`, PING answered. */
function linked(w: UnitWorld): { m: Instance; cc: ReturnType<typeof fakeConn>; pc: ReturnType<typeof fakeConn> } {
  const m = w.master();
  const cc = fakeConn();
  const pc = fakeConn();
  m.link.cc = cc as never;
  m.link.pc = pc as never;
  m.link.disconnected = false;
  m.link.ccConnTime = w.clock.now;
  m.link.pcConnTime = w.clock.now;
  m.link.pcLastActivity = w.clock.now;
  m.link.actPingTime = 0;
  m.link.lastPongTime = w.clock.now;
  return { m, cc, pc };
}

describe('S_DOWN boundaries', () => {
  it('a pending PING: down strictly after down-after', () => {
    const w = unitWorld();
    const { m } = linked(w);
    m.link.actPingTime = w.clock.now;
    m.link.lastPongTime = w.clock.now + 1e9; // keep the command link
    m.link.pcLastActivity = w.clock.now + 1e9;
    w.tick(1500);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBe(0);
    w.tick(1);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBeTruthy();
    expect(m.sDownSinceTime).toBe(w.clock.now);
  });

  it('disconnected without a pending PING: counts from the last time it was available', () => {
    const w = unitWorld();
    const m = w.master();
    m.link.actPingTime = 0;
    m.link.disconnected = true;
    m.link.lastAvailTime = w.clock.now;
    w.tick(1500);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBe(0);
    w.tick(1);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBeTruthy();
    // connected, PING answered: never down however old lastAvailTime is
    const u = unitWorld();
    const { m: m2 } = linked(u);
    m2.link.lastAvailTime = u.clock.now - 1e6;
    m2.link.pcLastActivity = u.clock.now + 1e9;
    checkSubjectivelyDown(u.S, m2);
    expect(m2.flags & SRI_S_DOWN).toBe(0);
  });

  it('role:slave of a master record counts only for masters, and only after down-after + 2 info periods', () => {
    const w = unitWorld();
    const m = w.master();
    const r = w.replica(m, '10.0.0.2', 6379);
    for (const ri of [m, r]) {
      ri.link.actPingTime = 0;
      ri.link.disconnected = false;
      ri.roleReported = SRI_SLAVE;
      ri.roleReportedTime = w.clock.now;
    }
    r.downAfterPeriod = 1500;
    w.tick(21501);
    checkSubjectivelyDown(w.S, r);
    expect(r.flags & SRI_S_DOWN).toBe(0);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBeTruthy();
  });

  it('a master record that has reported role:master since long ago is not down for it', () => {
    const w = unitWorld();
    const m = w.master();
    m.link.actPingTime = 0;
    m.link.disconnected = false;
    m.roleReported = m.flags & SRI_MASTER;
    m.roleReportedTime = w.clock.now;
    w.tick(60_000);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBe(0);
    m.roleReported = SRI_SLAVE;
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBeTruthy();
  });

  it('MASTER_REBOOT: strictly after the reboot period, and only with the flag', () => {
    const w = unitWorld();
    const m = w.master();
    m.link.actPingTime = 0;
    m.link.disconnected = false;
    m.masterRebootDownAfterPeriod = 5000;
    m.masterRebootSinceTime = w.clock.now;
    w.tick(5000);
    m.flags |= SRI_MASTER_REBOOT;
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBe(0);
    w.tick(1);
    m.flags &= ~SRI_MASTER_REBOOT;
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBe(0);
    m.flags |= SRI_MASTER_REBOOT;
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBeTruthy();
  });

  it('+sdown once; -sdown clears S_DOWN and SCRIPT_KILL_SENT and keeps the other flags', () => {
    const w = unitWorld();
    const m = w.master();
    w.tick(1501);
    checkSubjectivelyDown(w.S, m);
    const since = m.sDownSinceTime;
    w.tick(100);
    checkSubjectivelyDown(w.S, m);
    expect(m.sDownSinceTime).toBe(since);
    expect(w.events()).toEqual(['+sdown master mymaster 10.0.0.1 6379']);
    m.flags |= SRI_SCRIPT_KILL_SENT | SRI_MASTER_REBOOT;
    m.link.actPingTime = 0;
    m.link.disconnected = false;
    m.masterRebootSinceTime = w.clock.now;
    m.masterRebootDownAfterPeriod = 1e9;
    checkSubjectivelyDown(w.S, m);
    expect(w.events().at(-1)).toBe('-sdown master mymaster 10.0.0.1 6379');
    expect(m.flags & (SRI_S_DOWN | SRI_SCRIPT_KILL_SENT)).toBe(0);
    expect(m.flags & SRI_MASTER_REBOOT).toBeTruthy();
    checkSubjectivelyDown(w.S, m);
    expect(w.events()).toHaveLength(2);
  });
});

describe('link recycling', () => {
  /** A command link 15001 ms old with a PING pending since `pingAge` ms and the last pong `pongAge` ms ago. */
  function pending(pingAge: number, pongAge: number, connAge = 15001) {
    const w = unitWorld();
    const l = linked(w);
    w.tick(connAge);
    l.m.link.pcLastActivity = w.clock.now;
    l.m.link.actPingTime = w.clock.now - pingAge;
    l.m.link.lastPongTime = w.clock.now - pongAge;
    checkSubjectivelyDown(w.S, l.m);
    return { w, ...l };
  }

  it('closes the command link when PING is pending and the last pong is older than down-after/2 (750 ms)', () => {
    const yes = pending(751, 751);
    expect(yes.cc.shut).toBe(true);
    expect(yes.m.link.cc).toBeNull();
    expect(yes.m.link.disconnected).toBe(true);
    expect(yes.pc.shut).toBe(false);
    expect(pending(750, 751).cc.shut).toBe(false);
    expect(pending(751, 750).cc.shut).toBe(false);
    expect(pending(751, 751, 15000).cc.shut).toBe(false);
  });

  it('never closes it without a pending PING', () => {
    const w = unitWorld();
    const { m, cc } = linked(w);
    w.tick(20000);
    m.link.pcLastActivity = w.clock.now;
    m.link.lastPongTime = w.clock.now - 5000;
    checkSubjectivelyDown(w.S, m);
    expect(cc.shut).toBe(false);
  });

  it('down-after/2 is rounded down (odd periods)', () => {
    const w = unitWorld();
    const { m, cc } = linked(w);
    m.downAfterPeriod = 1501; // half = 750
    w.tick(15001);
    m.link.pcLastActivity = w.clock.now;
    m.link.actPingTime = w.clock.now - 751;
    m.link.lastPongTime = w.clock.now - 751;
    checkSubjectivelyDown(w.S, m);
    expect(cc.shut).toBe(true);
  });

  it('closes the pub/sub link older than 15 s and silent strictly longer than 3 publish periods (6 s)', () => {
    const at = (age: number, silent: number) => {
      const w = unitWorld();
      const l = linked(w);
      w.tick(age);
      l.m.link.pcLastActivity = w.clock.now - silent;
      l.m.link.lastPongTime = w.clock.now;
      checkSubjectivelyDown(w.S, l.m);
      return l;
    };
    const yes = at(15001, 6001);
    expect(yes.pc.shut).toBe(true);
    expect(yes.m.link.pc).toBeNull();
    expect(yes.cc.shut).toBe(false);
    expect(at(15001, 6000).pc.shut).toBe(false);
    expect(at(15000, 6001).pc.shut).toBe(false);
  });
});
