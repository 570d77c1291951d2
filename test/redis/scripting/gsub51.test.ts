// string.gsub with a function replacement and tostring's __tostring (engine/redis/scripting/lua51-gsub.ts,
// vm.ts): the replies compared with the real redis-server 7.0.15, and a busy loop inside the function
// going -BUSY in virtual time with SCRIPT KILL ending it (Lua 5.1's count hook fires there too).
import { describe, expect, it } from 'vitest';
import { describeWithRealRedis, replyDiffs, useRealAndSim } from '../differential/pair.ts';
import { SimSide } from '../differential/sim-side.ts';
import { BUSY, expectKilled } from './busy.ts';

const CASES: string[][] = [
  ['EVAL', "return {string.gsub('hello world', '(%w+)', function(w) return w:upper() end)}", '0'],
  ['EVAL', "return {string.gsub('hello world', '%w+', function(w) if w == 'world' then return nil end return 'X' end)}", '0'],
  ['EVAL', "return {string.gsub('abc', '', function() return '-' end)}", '0'],
  ['EVAL', "return {string.gsub('abc', '^a', function(m) return 'Z' end)}", '0'],
  ['EVAL', "return {string.gsub('aaa', 'a', function(m) return 1.5 end, 2)}", '0'],
  ['EVAL', "return {string.gsub('abc', '()b()', function(a, b) return a .. ':' .. b end)}", '0'],
  ['EVAL', "return {string.gsub('abc', 'b', function() return {} end)}", '0'],
  ['EVAL', "return {string.gsub('abc', 'b', function() return false end)}", '0'],
  ['EVAL', "return {string.gsub('abc', '[', function() return 'x' end)}", '0'],
  ['EVAL', "return {string.gsub('hello', 'l', 'L')}", '0'],
  ['EVAL', "return {string.gsub('a b c', '%s', function() return '' end, 1.7)}", '0'],
  ['EVAL', "return {('x=1, y=2'):gsub('(%w+)=(%w+)', function(k, v) return v .. '=' .. k end)}", '0'],
  ['EVAL', "return {string.gsub('abc', '.', function(c) error('in repl') end)}", '0'],
  ['EVAL', "return {string.gsub(12345, '3', function() return 'three' end)}", '0'],
  ['EVAL', "return {string.gsub('', '', function() return 'E' end)}", '0'],
  ['EVAL', "return {string.gsub('abc', '^', function() return '>' end)}", '0'],
  ['EVAL', "return {string.gsub('abc', 'x*', function() return '-' end)}", '0'],
  ['EVAL', "return {string.gsub('a b c', '%w', setmetatable({a = 'A'}, {__index = function(t, k) return k .. k end}))}", '0'],
  ['EVAL', "return {string.gsub('a b c', '%w', setmetatable({}, {__index = setmetatable({b = 'B'}, {__index = {c = 'C'}})}))}", '0'],
  ['EVAL', "return {string.gsub('a=1 b=2', '(%w)=(%w)', setmetatable({}, {__index = function(t, k) return k == 'b' and false or 'K' end}))}", '0'],
  ['EVAL', "return {string.gsub('abc', '%w', setmetatable({}, {__index = function() return {} end}))}", '0'],
  ['EVAL', "return {string.gsub('abc', '%w', setmetatable({}, {__index = function() error('in index') end}))}", '0'],
  ['EVAL', "return {string.gsub('abc', '%w', setmetatable({}, {}))}", '0'],
  ['EVAL', "return {string.gsub('abc', '%w', {a = 1, c = 'Z'})}", '0'],
  ['EVAL', "return tostring(setmetatable({}, {__tostring = function() return 'X' end}))", '0'],
  ['EVAL', 'return type(tostring(setmetatable({}, {__tostring = function() return 5 end})))', '0'],
  ['EVAL', "return tostring(setmetatable({}, {__tostring = function() error('in ts') end}))", '0'],
];

describe('busy loops inside gsub and __tostring', () => {
  for (const [name, script] of [
    ['string.gsub', "string.gsub('abc', '.', function(c) while true do end end)"],
    ['__tostring', 'return tostring(setmetatable({}, {__tostring = function() while true do end end}))'],
    ['string.gsub table __index', "return string.gsub('abc', '%w', setmetatable({}, {__index = function() while true do end end}))"],
  ]) {
    it(`${name}: -BUSY after busy-reply-threshold, SCRIPT KILL ends the script`, () => {
      expectKilled(`busy-${name}`, script!);
    }, 60_000);
  }
});

describe('slow functions inside gsub and __tostring that end', () => {
  it('the script is suspended inside them (-BUSY) and goes on where it was: the same result', () => {
    const s = new SimSide(6379, 'slow-gsub');
    s.cmd(0, ['CONFIG', 'SET', 'busy-reply-threshold', '10'], false);
    const slow = 'for i = 1, 500000 do end';
    const script =
      `local r, n = string.gsub('a1b2c3', '(%a)(%d)', function(l, d) ${slow} return d .. l end) ` +
      `local t = tostring(setmetatable({}, {__tostring = function() ${slow} return 'T' end})) return {r, n, t}`;
    s.send(0, ['EVAL', script, '0'], false);
    s.sleep(12);
    expect(s.cmd(1, ['PING'], false)).toBe(BUSY);
    s.sleep(2000);
    expect(s.take(0)).toEqual(['$1a2b3c', ':3', '$T']);
  }, 60_000);
});

describeWithRealRedis('gsub and tostring: real redis-server 7.0.15 vs the simulator', () => {
  const pair = useRealAndSim('gsub51-diff');

  it('the same replies', async () => {
    expect(await replyDiffs(pair, CASES)).toBe('');
  });
});
