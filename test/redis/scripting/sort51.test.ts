// table.sort as Lua 5.1 (engine/redis/scripting/lua51-sort.ts): the order of elements a comparator
// calls equal and the errors, compared with the real redis-server 7.0.15; a comparator that never
// returns makes the server BUSY in virtual time and SCRIPT KILL ends it (5.1's count hook fires inside
// the comparator too).
import { describe, expect, it } from 'vitest';
import { describeWithRealRedis, replyDiffs, useRealAndSim } from '../differential/pair.ts';
import { SimSide } from '../differential/sim-side.ts';
import { BUSY, expectKilled } from './busy.ts';

/** 300 records with 7 distinct keys, in a scrambled order; sorted by key only, the ties show the algorithm. */
const TIES =
  "local t = {} for i = 1, 300 do t[i] = {k = (i * 37) % 7, id = i} end " +
  'table.sort(t, function(a, b) return a.k < b.k end) ' +
  'local out = {} for i = 1, #t do out[i] = t[i].id end return out';

const CASES: string[][] = [
  ['EVAL', TIES, '0'],
  ['EVAL', "local t = {5, 3, 9, 1, 7, 3, 8} table.sort(t) return t", '0'],
  ['EVAL', "local t = {'b', 'a', 'c', 'aa'} table.sort(t, function(a, b) return a > b end) return t", '0'],
  ['EVAL', 'local t = {} for i = 1, 200 do t[i] = (i * 7919) % 211 end table.sort(t) return t', '0'],
  // a comparator that is not a strict order
  ['EVAL', 'local t = {} for i = 1, 50 do t[i] = i % 3 end table.sort(t, function(a, b) return true end) return t', '0'],
  ['EVAL', 'local t = {3, 1, 2} table.sort(t, function(a, b) return a <= b end) return t', '0'],
  // 5.1 reads past the end (the comparator meets nil) where 5.3 stops with "invalid order function"
  ['EVAL', 'local t = {} for i = 1, 10 do t[i] = 1 end table.sort(t, function(a, b) return a <= b end) return t', '0'],
  ['EVAL', 'table.sort({1, {}, 3})', '0'],
  ['EVAL', "table.sort({1, 'x'})", '0'],
  ['EVAL', 'table.sort(nil)', '0'],
  ['EVAL', 'table.sort({}, 1)', '0'],
  ['EVAL', "table.sort({2, 1}, function(a, b) error('from the comparator') end)", '0'],
  ['EVAL', 'local t = {2, 1} table.sort(t, function(a, b) return redis.call("ping") and a < b end) return t', '0'],
];

describe('table.sort of Lua 5.1 in virtual time', () => {
  it('a comparator that loops forever: -BUSY after busy-reply-threshold, SCRIPT KILL ends the script', () => {
    expectKilled('busy-sort', 'table.sort({3,2,1}, function(a,b) while true do end end)');
  }, 60_000);

  it('a slow comparator that ends: the sort finishes after the server was BUSY, with the sorted table', () => {
    const s = new SimSide(6379, 'slow-sort');
    s.cmd(0, ['CONFIG', 'SET', 'busy-reply-threshold', '20'], false);
    s.send(0, ['EVAL', 'local t = {5,4,3,2,1} table.sort(t, function(a,b) for i = 1, 1000000 do end return a < b end) return t', '0'], false);
    s.sleep(30);
    expect(s.cmd(1, ['PING'], false)).toBe(BUSY);
    s.sleep(2000);
    expect(s.take(0)).toEqual([':1', ':2', ':3', ':4', ':5']);
    expect(s.cmd(1, ['PING'], false)).toBe('+PONG');
  }, 60_000);
});

describeWithRealRedis('table.sort: real redis-server 7.0.15 vs the simulator', () => {
  const pair = useRealAndSim('sort51-diff');

  it('the same orders and errors', async () => {
    expect(await replyDiffs(pair, CASES)).toBe('');
  });
});
