import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RunawayError, Scheduler, TimeoutError } from '../../engine/sim/scheduler.ts';
import { formatClock, parseDuration } from '../../engine/sim/time.ts';

describe('Scheduler', () => {
  it('runs events in (time, insertion) order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (times) => {
        const s = new Scheduler();
        const out: [number, number][] = [];
        times.forEach((t, i) => s.at(t, () => out.push([t, i])));
        s.run();
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(expected);
      }),
    );
  });

  it('cancelled timers never fire', () => {
    const s = new Scheduler();
    const fired: number[] = [];
    const a = s.after(10, () => fired.push(1));
    s.after(20, () => fired.push(2));
    s.cancel(a);
    expect(s.pending).toBe(1);
    s.run();
    expect(fired).toEqual([2]);
  });

  it('run({until}) stops before later events and advances the clock', () => {
    const s = new Scheduler();
    const fired: number[] = [];
    s.at(100, () => fired.push(100));
    s.at(300, () => fired.push(300));
    s.run({ until: 200 });
    expect(fired).toEqual([100]);
    expect(s.now).toBe(200);
    s.run();
    expect(fired).toEqual([100, 300]);
  });

  it('step() executes one event', () => {
    const s = new Scheduler();
    let n = 0;
    s.at(5, () => n++);
    s.at(6, () => n++);
    expect(s.step()).toBe(true);
    expect(n).toBe(1);
    expect(s.now).toBe(5);
  });

  it('runUntil stops when the predicate holds and times out otherwise', () => {
    const s = new Scheduler();
    let x = 0;
    const tick = () => {
      x++;
      s.after(1000, tick);
    };
    s.after(1000, tick);
    s.runUntil(() => x === 3);
    expect(s.now).toBe(3000);
    expect(() => s.runUntil(() => x === -1, { timeout: 5000, what: 'x to go negative' })).toThrow(TimeoutError);
    expect(s.now).toBe(8000);
  });

  it('the runaway guard names the time and the event count', () => {
    const s = new Scheduler({ maxEvents: 1000 });
    const loop = () => s.after(0, loop);
    s.at(2_500_000, loop);
    let e: unknown;
    try {
      s.run();
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(RunawayError);
    expect((e as Error).message).toContain('1000 events');
    expect((e as Error).message).toContain('00:00:02.500');
  });

  it('peekTimeExcept: the next event other than a given one (a lower bound, never later)', () => {
    const s = new Scheduler();
    const a = s.at(10, () => {});
    s.at(30, () => {});
    const c = s.at(20, () => {});
    expect(s.peekTimeExcept(a)).toBe(20);
    expect(s.peekTimeExcept(c)).toBe(10);
    expect(s.peekTimeExcept(null)).toBe(10);
    s.cancel(c);
    expect(s.peekTimeExcept(a)).toBeLessThanOrEqual(30);
    s.cancel(a);
    expect(s.peekTimeExcept(null)).toBe(30);
    const only = new Scheduler();
    const x = only.at(5, () => {});
    expect(only.peekTimeExcept(x)).toBe(Infinity);
  });

  it('horizon: the bound of the run({ until }) in progress, none in runUntil or step (a predicate may stop them)', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    s.at(10, () => seen.push(s.horizon));
    s.at(20, () => seen.push(s.horizon));
    s.at(30, () => seen.push(s.horizon));
    expect(s.horizon).toBe(-Infinity);
    s.run({ until: 15 });
    s.step();
    s.runUntil(() => seen.length === 3);
    expect(seen).toEqual([15, -Infinity, -Infinity]);
    s.at(40, () => seen.push(s.horizon));
    s.run();
    expect(seen.at(-1)).toBe(Infinity);
    expect(s.horizon).toBe(-Infinity);
    // restored when an event throws
    s.at(50, () => {
      throw new Error('boom');
    });
    expect(() => s.run({ until: 60 })).toThrow('boom');
    expect(s.horizon).toBe(-Infinity);
  });
});

describe('durations', () => {
  it('parses units and clock forms', () => {
    expect(parseDuration('1500ms')).toBe(1_500_000);
    expect(parseDuration('5s')).toBe(5_000_000);
    expect(parseDuration('2m')).toBe(120_000_000);
    expect(parseDuration('00:01:30')).toBe(90_000_000);
    expect(parseDuration(250)).toBe(250_000);
    expect(() => parseDuration('soon')).toThrow(/invalid duration/);
    expect(formatClock(90_250_000)).toBe('00:01:30.250');
  });
});
