// TILT at its edges (sentinelCheckTiltCondition and the TILT gate of sentinelHandleRedisInstance,
// sentinel.md §12): a zero delta is not a jump, the previous time follows every tick, the period counts
// from the last trigger, and the gate is silent outside TILT.
import { describe, expect, it } from 'vitest';
import { checkTiltCondition, tiltBlocksActing } from '../../../engine/sentinel/tilt.ts';
import { unitWorld } from '../unit.ts';

describe('TILT edges', () => {
  it('two ticks at the same instant do not tilt', () => {
    const w = unitWorld();
    w.S.previousTime = w.clock.now;
    checkTiltCondition(w.S);
    expect(w.S.tilt).toBe(false);
    expect(w.events()).toEqual([]);
  });

  it('the previous time follows every tick, tilting or not', () => {
    const w = unitWorld();
    w.S.previousTime = w.clock.now;
    w.tick(1500);
    checkTiltCondition(w.S);
    expect(w.S.previousTime).toBe(w.clock.now);
    w.tick(1500); // 1500 since the last tick, 3000 since the first: no tilt
    checkTiltCondition(w.S);
    expect(w.S.tilt).toBe(false);
    w.tick(5000);
    checkTiltCondition(w.S);
    expect(w.S.previousTime).toBe(w.clock.now);
    expect(w.S.tiltStartTime).toBe(w.clock.now);
    expect(w.logs.at(-1)).toEqual({ level: '#', line: '+tilt #tilt mode entered', event: '+tilt' });
  });

  it('a new trigger during TILT restarts the period', () => {
    const w = unitWorld();
    w.S.previousTime = w.clock.now;
    w.tick(3000);
    checkTiltCondition(w.S);
    w.tick(20000);
    checkTiltCondition(w.S); // a second jump, 20 s into TILT
    const second = w.clock.now;
    w.tick(29999);
    expect(tiltBlocksActing(w.S)).toBe(true);
    expect(w.S.tiltStartTime).toBe(second);
    w.tick(1);
    expect(tiltBlocksActing(w.S)).toBe(false);
    expect(w.logs.at(-1)).toEqual({ level: '#', line: '-tilt #tilt mode exited', event: '-tilt' });
  });

  it('outside TILT the gate lets everything through without a word', () => {
    const w = unitWorld();
    w.S.tilt = false;
    w.S.tiltStartTime = w.clock.now; // a start time alone does not block
    expect(tiltBlocksActing(w.S)).toBe(false);
    expect(w.events()).toEqual([]);
    // after -tilt the next call says nothing more
    w.S.tilt = true;
    w.tick(30000);
    tiltBlocksActing(w.S);
    tiltBlocksActing(w.S);
    expect(w.events()).toEqual(['-tilt #tilt mode exited']);
  });
});
