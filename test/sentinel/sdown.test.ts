// Subjective down (sentinel.md §7) and the link rules it relies on (§5.3, §5.4).
import { describe, expect, it } from 'vitest';
import { err, simple } from '../../engine/net/resp.ts';
import { SRI_MASTER_REBOOT, SRI_S_DOWN, SRI_SCRIPT_KILL_SENT, SRI_SLAVE } from '../../engine/sentinel/instance.ts';
import { reconnectInstance, sendPeriodicCommands } from '../../engine/sentinel/monitor.ts';
import { checkSubjectivelyDown } from '../../engine/sentinel/sdown.ts';
import { unitWorld } from './unit.ts';

describe('S_DOWN', () => {
  it('a never-connected instance goes down down-after ms after creation, not before', () => {
    const w = unitWorld();
    const m = w.master();
    w.tick(1500);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBe(0);
    w.tick(1);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBeTruthy();
    expect(w.events()).toEqual(['+sdown master mymaster 10.0.0.1 6379']);
    expect(m.sDownSinceTime).toBe(w.clock.now);
  });

  it('elapsed counts from the oldest unanswered PING; an acceptable reply clears it', () => {
    const w = unitWorld();
    const m = w.master();
    reconnectInstance(w.S, m);
    const cc = w.conns[0]!;
    // the reconnect queues CLIENT SETNAME and a PING at once
    expect(cc.sent.map((a) => a[0])).toEqual(['CLIENT', 'PING']);
    expect(m.link.actPingTime).toBe(w.clock.now);
    cc.reply(simple('OK'));
    cc.reply(simple('PONG'));
    expect(m.link.actPingTime).toBe(0);
    m.infoRefresh = w.clock.now + 1e9; // keep INFO out of the way
    // 1 s later a new PING goes out, unanswered for 1501 ms
    w.tick(1001);
    sendPeriodicCommands(w.S, m);
    expect(cc.sent.at(-1)).toEqual(['PING']);
    const pingAt = w.clock.now;
    w.tick(1000);
    sendPeriodicCommands(w.S, m); // a second PING does not move act_ping_time
    expect(m.link.actPingTime).toBe(pingAt);
    w.tick(501);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBeTruthy();
    cc.reply(simple('PONG'));
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBe(0);
    expect(w.events().at(-1)).toBe('-sdown master mymaster 10.0.0.1 6379');
  });

  it('-LOADING and -MASTERDOWN count as available, -BUSY does not and triggers one SCRIPT KILL', () => {
    const w = unitWorld();
    const m = w.master();
    reconnectInstance(w.S, m);
    const cc = w.conns[0]!;
    m.infoRefresh = w.clock.now + 1e9; // keep INFO and hellos out of the way
    m.lastPubTime = w.clock.now + 1e9;
    cc.reply(simple('OK'));
    cc.reply(err('LOADING Redis is loading the dataset in memory'));
    expect(m.link.actPingTime).toBe(0);
    w.tick(1001);
    sendPeriodicCommands(w.S, m);
    cc.reply(err('MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no'));
    expect(m.link.actPingTime).toBe(0);
    w.tick(1001);
    sendPeriodicCommands(w.S, m);
    const t = w.clock.now;
    cc.reply(err('BUSY Redis is busy running a script.'));
    expect(m.link.actPingTime).toBe(t);
    expect(m.link.lastPongTime).toBe(t);
    w.tick(1600);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBeTruthy();
    sendPeriodicCommands(w.S, m);
    cc.reply(err('BUSY Redis is busy running a script.'));
    expect(cc.sent.at(-1)).toEqual(['SCRIPT', 'KILL']);
    expect(m.flags & SRI_SCRIPT_KILL_SENT).toBeTruthy();
    sendPeriodicCommands(w.S, m);
    cc.reply(err('BUSY Redis is busy running a script.'));
    expect(cc.sent.filter((a) => a[0] === 'SCRIPT')).toHaveLength(1);
  });

  it('a master reporting role:slave is down after down-after + 2 info periods', () => {
    const w = unitWorld();
    const m = w.master();
    m.link.actPingTime = 0;
    m.link.disconnected = false;
    m.roleReported = SRI_SLAVE;
    m.roleReportedTime = w.clock.now;
    w.tick(1500 + 20000);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBe(0);
    w.tick(1);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBeTruthy();
  });

  it('MASTER_REBOOT: down after master-reboot-down-after-period without a +PONG', () => {
    const w = unitWorld();
    const m = w.master();
    m.link.actPingTime = 0;
    m.link.disconnected = false;
    m.masterRebootDownAfterPeriod = 5000;
    m.flags |= SRI_MASTER_REBOOT;
    m.masterRebootSinceTime = w.clock.now;
    w.tick(5001);
    checkSubjectivelyDown(w.S, m);
    expect(m.flags & SRI_S_DOWN).toBeTruthy();
  });

  it('recycles a command link older than 15 s whose PING is pending for more than down-after/2', () => {
    const w = unitWorld();
    const m = w.master();
    reconnectInstance(w.S, m);
    const [cc, pc] = w.conns;
    cc!.reply(simple('OK'));
    cc!.reply(simple('PONG'));
    pc!.reply(simple('OK'));
    w.tick(15001);
    sendPeriodicCommands(w.S, m); // INFO + PING (+ hello)
    w.tick(751);
    checkSubjectivelyDown(w.S, m);
    expect(cc!.open).toBe(false);
    expect(m.link.cc).toBeNull();
    expect(m.link.pendingCommands).toBe(0);
    expect(m.link.disconnected).toBe(true);
    // and the pub/sub link, silent for more than 6 s, too
    expect(pc!.open).toBe(false);
  });

  it('a refused reconnect keeps the PING pending; reconnects are throttled to one per second', () => {
    const w = unitWorld();
    const m = w.master();
    w.tick(1000);
    reconnectInstance(w.S, m);
    const t = w.clock.now;
    w.conns[0]!.fail('refused');
    w.conns[1]!.fail('refused');
    expect(m.link.disconnected).toBe(true);
    expect(m.link.actPingTime).toBe(t - 1000); // the creation time: never answered
    w.tick(999);
    reconnectInstance(w.S, m);
    expect(w.conns).toHaveLength(2);
    w.tick(1);
    reconnectInstance(w.S, m);
    expect(w.conns).toHaveLength(4);
  });
});
