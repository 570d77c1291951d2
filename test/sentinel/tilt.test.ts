// TILT (sentinel.md §12): entered on a tick-to-tick delta < 0 or > 2000 ms (pause, clock jump),
// 30 s without acting, votes still granted.
import { describe, expect, it } from 'vitest';
import { checkTiltCondition, tiltBlocksActing } from '../../engine/sentinel/tilt.ts';
import { asMap, buildCluster } from './harness.ts';
import { unitWorld } from './unit.ts';

describe('TILT thresholds', () => {
  it('enters on a delta above 2000 ms or below 0, not at exactly 2000', () => {
    const w = unitWorld();
    w.S.previousTime = w.clock.now;
    w.tick(2000);
    checkTiltCondition(w.S);
    expect(w.S.tilt).toBe(false);
    w.tick(2001);
    checkTiltCondition(w.S);
    expect(w.S.tilt).toBe(true);
    expect(w.events()).toEqual(['+tilt #tilt mode entered']);
    w.tick(100);
    checkTiltCondition(w.S);
    w.tick(-1);
    checkTiltCondition(w.S);
    expect(w.events()).toEqual(['+tilt #tilt mode entered', '+tilt #tilt mode entered']);
    expect(w.S.tiltStartTime).toBe(w.clock.now);
  });

  it('lasts 30 s from the last trigger, then -tilt on the next instance handled', () => {
    const w = unitWorld();
    w.S.tilt = true;
    w.S.tiltStartTime = w.clock.now;
    w.tick(29999);
    expect(tiltBlocksActing(w.S)).toBe(true);
    w.tick(1);
    expect(tiltBlocksActing(w.S)).toBe(false);
    expect(w.S.tilt).toBe(false);
    expect(w.events()).toEqual(['-tilt #tilt mode exited']);
  });
});

describe('TILT in a cluster', () => {
  it('a paused Sentinel tilts on resume and does not act for 30 s; the others fail over', () => {
    const c = buildCluster({ seed: 'tilt-pause', quorum: 2 });
    c.sim.sleep('5s');
    const s3 = c.sentinels[2]!;
    c.sim.pause(s3);
    c.sim.sleep('3s');
    c.sim.resume(s3);
    const tr = c.sim.now;
    c.sim.sleep('100ms');
    expect(c.eventsOf(s3, tr).map((e) => e.line)).toEqual(['+tilt #tilt mode entered']);
    expect(c.view(2).tilt).toBe(true);
    const info = c.cli(s3).q('INFO', 'sentinel') as string;
    expect(info).toContain('sentinel_tilt:1');
    expect(info).toMatch(/sentinel_tilt_since_seconds:0\r\n/);
    c.sim.kill(c.master);
    c.waitEvent('+switch-master', '20s', c.sentinels[0]!, tr);
    // the tilted Sentinel saw nothing (no S_DOWN evaluation) but still voted and switched on hellos
    const evs = c.eventsOf(s3, tr).map((e) => e.event);
    expect(evs).not.toContain('+sdown');
    expect(evs).not.toContain('+try-failover');
    c.sim.sleep('30s');
    expect(c.eventsOf(s3, tr).map((e) => e.event)).toContain('-tilt');
    const exit = c.eventsOf(s3, tr).find((e) => e.event === '-tilt')!;
    expect(exit.t).toBeGreaterThanOrEqual(30000);
    expect(exit.t).toBeLessThan(30200);
  });

  it('a wall-clock jump forward or backward tilts; a small one does not', () => {
    const c = buildCluster({ seed: 'tilt-jump' });
    c.sim.sleep('3s');
    const host = (i: number) => c.sim.proc(c.sentinels[i]!).host.name;
    let t = c.sim.now;
    c.sim.clockJump(host(0), 1500);
    c.sim.sleep('200ms');
    expect(c.eventsOf(c.sentinels[0]!, t).map((e) => e.event)).toEqual([]);
    t = c.sim.now;
    c.sim.clockJump(host(0), 5000);
    c.sim.clockJump(host(1), -1000);
    c.sim.sleep('200ms');
    expect(c.eventsOf(c.sentinels[0]!, t).map((e) => e.line)).toEqual(['+tilt #tilt mode entered']);
    expect(c.eventsOf(c.sentinels[1]!, t).map((e) => e.line)).toEqual(['+tilt #tilt mode entered']);
  });

  it('in TILT is-master-down-by-addr answers 0 for down (even when S_DOWN) but still votes', () => {
    const c = buildCluster({ seed: 'tilt-vote', replicas: [] });
    c.sim.sleep('3s');
    const s = c.sentinels[0]!;
    c.sim.kill(c.master);
    c.waitEvent('+sdown', '5s', s);
    const cli = c.cli(s);
    const ip = c.master.split(':')[0]!;
    expect(cli.q('SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', ip, '6379', '0', '*')).toEqual([1, '*', 0]);
    c.sim.clockJump(c.sim.proc(s).host.name, 5000);
    c.sim.sleep('200ms');
    expect(c.view(0).tilt).toBe(true);
    expect(asMap(cli.q('SENTINEL', 'MASTER', 'mymaster')).flags).toContain('s_down');
    const reply = cli.q('SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', ip, '6379', '40', 'f'.repeat(40));
    expect(reply).toEqual([0, 'f'.repeat(40), 40]);
  });
});
