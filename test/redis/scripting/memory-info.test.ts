// The scripting lines of INFO memory (engine/redis/scripting/memory-info.ts): the script cache and the
// function libraries counted as Redis 7.0.15 counts them (Tcl unit scripting "SCRIPTING FLUSH ASYNC"
// reads number_of_cached_scripts), checked on the simulator and against the real redis-server.
import { describe, expect, it } from 'vitest';
import { describeWithRealRedis, useRealAndSim } from '../differential/pair.ts';
import { SimSide } from '../differential/sim-side.ts';

const FIELDS = /^(used_memory_scripts_eval|number_of_cached_scripts|number_of_functions|number_of_libraries|used_memory_functions|used_memory_scripts|used_memory_scripts_human):/;

function scriptLines(info: unknown): string[] {
  return String(info)
    .split('\r\n')
    .filter((l) => FIELDS.test(l));
}

const LIB = "#!lua name=lib1\nredis.register_function('f1', function() return 1 end)\nredis.register_function('f2', function() return 1 end)";
const LONG = `return '${'a'.repeat(78)}'`;

/** Each step, then INFO memory: kept below 5 entries per dict, where Redis is not in the middle of a rehash. */
const STEPS: string[][] = [
  ['SCRIPT', 'LOAD', 'return 1'],
  ['SCRIPT', 'LOAD', LONG],
  ['EVAL', 'return 2', '0'],
  ['FUNCTION', 'LOAD', LIB],
  ['FUNCTION', 'LOAD', "#!lua name=lib2\nredis.register_function{function_name='g', callback=function() return 1 end, description='a description'}"],
  ['FUNCTION', 'DELETE', 'lib2'],
  ['SCRIPT', 'FLUSH', 'ASYNC'],
  ['FUNCTION', 'FLUSH', 'ASYNC'],
];

describe('INFO memory: scripts and functions', () => {
  it('counts cached scripts and libraries; SCRIPT FLUSH ASYNC and FUNCTION FLUSH empty them', () => {
    const s = new SimSide(6379, 'info-scripts');
    const info = () => scriptLines(s.cmd(0, ['INFO', 'memory'], false));
    expect(info()).toEqual([
      'used_memory_scripts_eval:0',
      'number_of_cached_scripts:0',
      'number_of_functions:0',
      'number_of_libraries:0',
      'used_memory_functions:200',
      'used_memory_scripts:200',
      'used_memory_scripts_human:200B',
    ]);
    for (let j = 0; j < 100; j++) s.cmd(0, ['SCRIPT', 'LOAD', `return ${j}`], false);
    expect(info()).toContain('number_of_cached_scripts:100');
    // the bytes Redis 7.0.15 reports after SCRIPT LOAD "return 1" (sha and body objects, dict entries and table)
    s.cmd(0, ['SCRIPT', 'FLUSH', 'ASYNC'], false);
    expect(info()).toContain('number_of_cached_scripts:0');
    s.cmd(0, ['SCRIPT', 'LOAD', 'return 1'], false);
    expect(info()).toContain('used_memory_scripts_eval:136');
    s.cmd(0, ['SCRIPT', 'LOAD', LONG], false);
    expect(info()).toContain('used_memory_scripts_eval:320');
    s.cmd(0, ['FUNCTION', 'LOAD', LIB], false);
    expect(info()).toEqual(expect.arrayContaining(['number_of_functions:2', 'number_of_libraries:1', 'used_memory_functions:608', 'used_memory_scripts:928']));
    s.cmd(0, ['FUNCTION', 'FLUSH'], false);
    expect(info()).toEqual(expect.arrayContaining(['number_of_functions:0', 'number_of_libraries:0', 'used_memory_functions:200']));
  });
});

describeWithRealRedis('INFO memory scripting lines: real redis-server 7.0.15 vs the simulator', () => {
  const pair = useRealAndSim('info-scripts-diff');

  it('the same lines after each step', async () => {
    const diffs: string[] = [];
    await pair.real.cmd(['SCRIPT', 'FLUSH']);
    await pair.real.cmd(['FUNCTION', 'FLUSH']);
    for (const argv of STEPS) {
      await pair.real.cmd(argv);
      pair.sim.cmd(0, argv);
      const r = scriptLines(await pair.real.cmd(['INFO', 'memory']));
      const s = scriptLines(pair.sim.cmd(0, ['INFO', 'memory']));
      if (JSON.stringify(r) !== JSON.stringify(s)) diffs.push(`after ${JSON.stringify(argv).slice(0, 60)}\n  real: ${r.join(' ')}\n  sim:  ${s.join(' ')}`);
    }
    expect(diffs.join('\n')).toBe('');
  });
});
