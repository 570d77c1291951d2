// Lua 5.1 library functions of Redis 7.0.15's Lua that fengari lacks (engine/redis/scripting/
// lua51-baselib.ts): replies compared with the real redis-server, and a busy loop inside a
// table.foreach / foreachi callback going -BUSY in virtual time with SCRIPT KILL ending it.
import { describe, expect, it } from 'vitest';
import { describeWithRealRedis, replyDiffs, useRealAndSim } from '../differential/pair.ts';
import { SimSide } from '../differential/sim-side.ts';
import { BUSY, expectKilled } from './busy.ts';

const CASES: string[][] = [
  ['EVAL', "local out = {} table.foreachi({10,20,30}, function(i, v) out[#out+1] = i .. '=' .. v end) return out", '0'],
  ['EVAL', "return table.foreachi({10,20,30}, function(i, v) if v == 20 then return 'stop' .. i end end)", '0'],
  ['EVAL', "local n = 0 table.foreach({a=1,b=2,3}, function(k, v) n = n + v end) return n", '0'],
  ['EVAL', "return table.foreach({5}, function(k, v) return k, v end)", '0'],
  ['EVAL', "table.setn({}, 1)", '0'],
  ['EVAL', "table.setn(1, 1)", '0'],
  ['EVAL', "local o = {} for w in string.gfind('a b c', '%a') do o[#o+1] = w end return o", '0'],
  ['EVAL', "return {math.mod(7, 3), math.mod(-7, 3)}", '0'],
  ['EVAL', "return type(gcinfo())", '0'],
  ['EVAL', "return table.foreachi({}, 1)", '0'],
  ['EVAL', "return table.foreach(1, function() end)", '0'],
  ['EVAL', "local t = {} table.foreachi({1,2,nil,4}, function(i, v) t[#t+1] = tostring(v) end) return t", '0'],
  ['EVAL', "return {collectgarbage(), tostring(collectgarbage('step')), collectgarbage('stop'), collectgarbage('restart'), collectgarbage('collect')}", '0'],
  ['EVAL', "return collectgarbage('bogus')", '0'],
  ['EVAL', "return type(collectgarbage('count'))", '0'],
];

describe('table.foreach / foreachi callbacks in virtual time', () => {
  it('a busy callback: -BUSY, SCRIPT KILL ends the script', () => {
    expectKilled('busy-foreach', 'table.foreach({1, 2}, function(k, v) while true do end end)');
  }, 60_000);

  it('slow callbacks: suspended inside them, the iteration goes on where it was', () => {
    const s = new SimSide(6379, 'slow-foreach');
    s.cmd(0, ['CONFIG', 'SET', 'busy-reply-threshold', '10'], false);
    const slow = 'for i = 1, 300000 do end';
    const script =
      `local n = 0 table.foreach({a = 1, b = 2, c = 3}, function(k, v) ${slow} n = n + v end) ` +
      `local r = table.foreachi({5, 6, 7, 8}, function(i, v) ${slow} if v == 7 then return i end end) return {n, r}`;
    s.send(0, ['EVAL', script, '0'], false);
    s.sleep(12);
    expect(s.cmd(1, ['PING'], false)).toBe(BUSY);
    s.sleep(2000);
    expect(s.take(0)).toEqual([':6', ':3']);
  }, 60_000);
});

describeWithRealRedis('Lua 5.1 library functions: real redis-server 7.0.15 vs the simulator', () => {
  const pair = useRealAndSim('baselib51-diff');

  it('the same replies', async () => {
    expect(await replyDiffs(pair, CASES)).toBe('');
  });
});
