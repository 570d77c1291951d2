// The guest runtime's synchronous drain (bin/guest/steps.ts) runs a step's microtasks and nextTick callbacks in
// the order awaiting a real setImmediate gives (the step's microtasks, then the nextTick queue and what it
// queues), and goes on asynchronously when the runtime's real work is pending, the step after it running only
// once that work is done.
import { describe, expect, it } from 'vitest';
import { runSteps, trackReal, type Steps } from '../../bin/guest/steps.ts';

/** A step that queues nextTicks and microtasks that queue each other. */
function step(log: string[], name: string): void {
  log.push(name);
  process.nextTick(() => {
    log.push(`${name}:tick1`);
    void Promise.resolve().then(() => log.push(`${name}:micro-from-tick`));
  });
  void Promise.resolve().then(() => {
    log.push(`${name}:micro1`);
    process.nextTick(() => log.push(`${name}:tick2`));
  });
}

/** What awaiting a real setImmediate after each step gives (the runtime's drain before steps.ts). */
async function reference(names: string[]): Promise<string[]> {
  const log: string[] = [];
  await new Promise<void>((res) => setImmediate(res));
  for (const n of names) {
    step(log, n);
    await new Promise<void>((res) => setImmediate(res));
  }
  return log;
}

/** f's result (boxed: a returned promise is not awaited) when called from a macrotask. */
const inMacrotask = <T>(f: () => T): Promise<{ r: T }> =>
  new Promise((res, rej) =>
    setImmediate(() => {
      try {
        res({ r: f() });
      } catch (e) {
        rej(e);
      }
    }),
  );

describe('guest steps', () => {
  it('the synchronous drain runs microtasks and nextTicks in the order of a real turn', async () => {
    const names = ['a', 'b', 'c'];
    const log: string[] = [];
    function* steps(): Steps<number> {
      for (const n of names) {
        step(log, n);
        yield;
      }
      return 7;
    }
    const { r } = await inMacrotask(() => runSteps(steps()));
    expect(r).toEqual({ value: 7 }); // synchronous: no promise
    expect(log).toEqual(await reference(names));
    expect(log.slice(0, 5)).toEqual(['a', 'a:micro1', 'a:tick1', 'a:tick2', 'a:micro-from-tick']);
  });

  it('real work pending: the rest runs asynchronously, after the work', async () => {
    const log: string[] = [];
    function* steps(): Steps<string> {
      log.push('one');
      void trackReal(new Promise<void>((res) => setTimeout(res, 20)).then(() => log.push('real done')));
      yield;
      log.push('two');
      yield;
      return 'end';
    }
    const { r } = await inMacrotask(() => runSteps(steps()));
    expect(r).toBeInstanceOf(Promise);
    expect(await r).toBe('end');
    expect(log).toEqual(['one', 'real done', 'two']);
  });

  it('called inside a microtask it refuses rather than run the steps out of order', () => {
    function* steps(): Steps<void> {
      yield;
    }
    return Promise.resolve().then(() => expect(() => runSteps(steps())).toThrow(/inside a microtask/));
  });
});
