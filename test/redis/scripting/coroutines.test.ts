// Coroutines inside scripts (engine/redis/scripting/lua-coroutine.ts): a loop inside a coroutine the
// script created still makes the server BUSY in virtual time and SCRIPT KILL ends it, as the count
// hook of Lua 5.1 fires in every thread; the replies of coroutine use compared with real redis-server.
import { describe, expect, it } from 'vitest';
import { describeWithRealRedis, replyDiffs, useRealAndSim } from '../differential/pair.ts';
import { SimSide } from '../differential/sim-side.ts';
import { BUSY, busyThenKill } from './busy.ts';

describe('busy loops inside coroutines', () => {
  it('coroutine.wrap (nested twice): -BUSY, then SCRIPT KILL ends the script with its error', () => {
    const r = busyThenKill('co-wrap', 'coroutine.wrap(function() coroutine.wrap(function() while true do end end)() end)()');
    expect(r.ping).toBe(BUSY);
    expect(r.kill).toBe('+OK');
    expect(r.reply).toMatch(/^-ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/);
    expect(r.after).toBe('+PONG');
  }, 60_000);

  it('coroutine.resume catches the kill in the coroutine; the script returns (as 7.0.15 does)', () => {
    const r = busyThenKill('co-resume', 'local co = coroutine.create(function() while true do end end) return {coroutine.resume(co)}');
    expect(r.ping).toBe(BUSY);
    expect(r.reply).toEqual(['$nil', '-ERR Script killed by user with SCRIPT KILL...']);
  }, 60_000);

  it('a coroutine that yields its own values while the script is suspended by the hook keeps them apart', () => {
    const s = new SimSide(6379, 'co-mixed');
    s.cmd(0, ['CONFIG', 'SET', 'busy-reply-threshold', '20'], false);
    const script =
      'local co = coroutine.wrap(function() for i = 1, 3 do for j = 1, 3000000 do end coroutine.yield(i * 10) end return 99 end) ' +
      'return {co(), co(), co(), co()}';
    s.send(0, ['EVAL', script, '0'], false);
    s.sleep(30);
    expect(s.cmd(1, ['PING'], false)).toBe(BUSY);
    s.sleep(2000);
    expect(s.take(0)).toEqual([':10', ':20', ':30', ':99']);
  }, 60_000);
});

const CASES: string[][] = [
  ['EVAL', 'local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b) return c * 2 end) ' +
    'local r = {coroutine.resume(co, 1, 2)} local s = {coroutine.resume(co, 5)} local t = {coroutine.resume(co)} ' +
    'return {tostring(r[1]), r[2], tostring(s[1]), s[2], tostring(t[1]), t[2], coroutine.status(co)}', '0'],
  ['EVAL', "return coroutine.wrap(function() error('inside') end)()", '0'],
  ['EVAL', "return coroutine.wrap(function() error({err='TABLE'}) end)()", '0'],
  ['EVAL', "local ok, e = coroutine.resume(coroutine.create(function() error('x') end)) return {tostring(ok), e}", '0'],
  ['EVAL', 'return coroutine.resume(1)', '0'],
  ['EVAL', 'local co co = coroutine.create(function() return coroutine.resume(co) end) return {coroutine.resume(co)}', '0'],
  ['EVAL', 'local co2 local co1 = coroutine.create(function() return coroutine.resume(co2) end) ' +
    'co2 = coroutine.create(function() return coroutine.resume(co1) end) return {coroutine.resume(co1)}', '0'],
  ['EVAL', 'coroutine.yield(1) return 2', '0'],
  ['EVAL', 'return {pcall(coroutine.yield, 1)}', '0'],
  ['EVAL', 'return {coroutine.resume(coroutine.create(function() return pcall(coroutine.yield, 7) end))}', '0'],
  // 5.1 cannot yield across a C call (a library callback); plain Lua calls are fine
  ['EVAL', "return {coroutine.resume(coroutine.create(function() coroutine.yield(1) end))}", '0'],
  ['EVAL', "return {coroutine.resume(coroutine.create(function() local function g() coroutine.yield(3) end g() end))}", '0'],
  ['EVAL', "return {coroutine.resume(coroutine.create(function() table.sort({1,2,3}, function(a,b) coroutine.yield(1) return a<b end) end))}", '0'],
  ['EVAL', "return {coroutine.resume(coroutine.create(function() return string.gsub('ab', '.', function(c) coroutine.yield(c) end) end))}", '0'],
  ['EVAL', "local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) return {co(), co(), co()}", '0'],
  ['EVAL', "return {coroutine.resume(coroutine.create(function() return redis.call('ping') end))}", '0'],
];

describeWithRealRedis('coroutines in scripts: real redis-server 7.0.15 vs the simulator', () => {
  const pair = useRealAndSim('coroutines-diff');

  it('the same replies', async () => {
    expect(await replyDiffs(pair, CASES)).toBe('');
  });
});
