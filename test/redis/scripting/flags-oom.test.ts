// Script flags under maxmemory (Tcl unit scripting "allow-oom shebang flag"): a script without a
// shebang may read in OOM, `#!lua flags=` (an empty list: no flags, evalExtractShebangFlags) is refused
// before it runs, allow-oom and no-writes may run. On the simulator and against the real redis-server.
import { describe, expect, it } from 'vitest';
import { describeWithRealRedis, replyDiffs, useRealAndSim } from '../differential/pair.ts';
import { SimSide } from '../differential/sim-side.ts';

const OOM = "-OOM command not allowed when used memory > 'maxmemory'.";

/** The Tcl test's steps, then maxmemory back to 0. */
const STEPS: string[][] = [
  ['SET', 'x', '123'],
  ['CONFIG', 'SET', 'maxmemory', '1'],
  ['EVAL', "redis.call('set','x',1) return 1", '1', 'x'],
  ['EVAL', "return redis.call('get','x')", '1', 'x'],
  ['EVAL', '#!lua flags=\nreturn 1', '0'],
  ['EVAL', "#!lua flags=allow-oom\nredis.call('set','x',1) return 1", '1', 'x'],
  ['EVAL', "#!lua flags=no-writes\nredis.call('get','x') return 1", '0'],
  ['EVAL_RO', "#!lua flags=no-writes\nredis.call('get','x') return 1", '1', 'x'],
  ['EVAL', "redis.call('get','x') return 1", '1', 'x'],
  ['EVAL_RO', "redis.call('get','x') return 1", '1', 'x'],
  ['CONFIG', 'SET', 'maxmemory', '0'],
  ['EVAL', '#!lua flags=\nreturn 1', '0'],
  ['EVAL', '#!lua flags=,\nreturn 1', '0'],
];

describe('script flags in OOM', () => {
  it('"#!lua flags=" declares no flags: refused in OOM, runs otherwise', () => {
    const s = new SimSide(6379, 'flags-oom');
    const r = (argv: string[]) => s.cmd(0, argv, false);
    r(['CONFIG', 'SET', 'maxmemory', '1']);
    expect(r(['EVAL', '#!lua flags=\nreturn 1', '0'])).toBe(OOM);
    expect(r(['EVAL', "#!lua flags=allow-oom\nredis.call('set','x',1) return 1", '1', 'x'])).toBe(':1');
    expect(r(['EVAL', "redis.call('set','x',1) return 1", '1', 'x'])).toMatch(/^-OOM command not allowed when used memory > 'maxmemory'\. script: /);
    r(['CONFIG', 'SET', 'maxmemory', '0']);
    expect(r(['EVAL', '#!lua flags=\nreturn 1', '0'])).toBe(':1');
    expect(r(['EVAL', '#!lua flags=,\nreturn 1', '0'])).toBe('-ERR Unexpected flag in script shebang: ');
  });
});

/** calls, rejected_calls and failed_calls of the INFO commandstats line of `cmd`. */
function callCounts(info: unknown, cmd: string): string {
  const line = String(info).split('\r\n').find((l) => l.startsWith(`cmdstat_${cmd}:`)) ?? '';
  return line.replace(/usec=[^,]*,usec_per_call=[^,]*,/, '');
}

/** Tcl "Consistent eval error reporting": a command a script's OOM check refuses counts as rejected. */
const STATS: string[][] = [
  ['CONFIG', 'RESETSTAT'],
  ['CONFIG', 'SET', 'maxmemory', '1'],
  ['EVAL', "return redis.call('set','x','y')", '1', 'x'],
  ['EVAL', "local t = redis.pcall('set','x','y') return t['err']", '1', 'x'],
  ['EVAL', "return redis.call('get')", '0'],
  ['CONFIG', 'SET', 'maxmemory', '0'],
];

describeWithRealRedis('script flags in OOM: real redis-server 7.0.15 vs the simulator', () => {
  const pair = useRealAndSim('flags-oom-diff');

  it('the same replies', async () => {
    expect(await replyDiffs(pair, STEPS)).toBe('');
  });

  it('the same command statistics for commands a script had refused', async () => {
    expect(await replyDiffs(pair, STATS)).toBe('');
    const real = await pair.real.cmd(['INFO', 'commandstats']);
    const sim = pair.sim.cmd(0, ['INFO', 'commandstats']);
    for (const cmd of ['set', 'get', 'eval']) expect(callCounts(sim, cmd), cmd).toBe(callCounts(real, cmd));
    expect(callCounts(sim, 'set')).toBe('cmdstat_set:calls=0,rejected_calls=2,failed_calls=0');
  });
});
