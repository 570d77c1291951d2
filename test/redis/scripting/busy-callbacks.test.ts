// Busy loops inside metamethods that library code calls (lua51-sort.ts: table.sort's default order
// through __lt; lua51-load.ts: load's reader; lua51-raw.ts: ipairs/pairs/unpack and table.getn/insert/remove/concat that 5.1 runs raw; vm.ts: string.format's
// %s that 5.1 refuses for tables). Each hung `serve` (a metamethod called from a C function could not
// be suspended by the count hook); the replies are compared with the real redis-server 7.0.15.
import { describe, expect, it } from 'vitest';
import { describeWithRealRedis, replyDiffs, useRealAndSim } from '../differential/pair.ts';
import { SimSide } from '../differential/sim-side.ts';
import { BUSY, expectKilled } from './busy.ts';

const LOOP = 'while true do end';

/** Scripts real Redis answers at once although a metamethod loops: 5.1 never calls it there. */
const NEVER_CALLED: [string, string, unknown][] = [
  ['format %s', `return string.format('%s', setmetatable({}, {__tostring=function() ${LOOP} end}))`,
    /^-ERR user_script:1: bad argument #2 to 'format' \(string expected, got table\) script: [0-9a-f]{40}, on @user_script:1\.$/],
  ['table.getn', `return table.getn(setmetatable({}, {__len=function() ${LOOP} end}))`, ':0'],
  ['unpack', `local t=setmetatable({1,nil,3},{__index=function() ${LOOP} end}) return unpack(t,1,3)`, ':1'],
  ['ipairs', `local t=setmetatable({},{__index=function() ${LOOP} end}) for i,v in ipairs(t) do end return 1`, ':1'],
  ['table.insert', `local t=setmetatable({},{__newindex=function() ${LOOP} end}) table.insert(t,1) return t[1]`, ':1'],
  ['table.remove', `local t=setmetatable({1,2},{__index=function() ${LOOP} end, __newindex=function() ${LOOP} end}) t[2]=nil return table.remove(t)`, ':1'],
  ['table.concat', `local t=setmetatable({},{__index=function() ${LOOP} end}) return table.concat(t,',',1,2)`,
    /^-ERR user_script:1: invalid value \(nil\) at index 1 in table for 'concat' script: [0-9a-f]{40}, on @user_script:1\.$/],
  ['pairs', `local t=setmetatable({},{__pairs=function() ${LOOP} end}) for k,v in pairs(t) do end return 1`, ':1'],
];

const CASES: string[][] = [
  ...NEVER_CALLED.map(([, script]) => ['EVAL', script, '0']),
  ['EVAL', "return string.format('%s|%s|%5s', 'a', 1.5, 'b')", '0'],
  ['EVAL', "return string.format('%s', true)", '0'],
  ['EVAL', "return string.format('%s')", '0'],
  ['EVAL', "return string.format('%d %d', 1)", '0'],
  ['EVAL', 'return {unpack({1, 2, 3})}', '0'],
  ['EVAL', 'return {unpack({1, 2, 3}, 2)}', '0'],
  ['EVAL', 'return {unpack({1, 2, 3}, 1.9, 2.9)}', '0'],
  ['EVAL', 'return {unpack({1, 2, 3}, 3, 1)}', '0'],
  ['EVAL', 'return unpack(nil)', '0'],
  ['EVAL', "return unpack({}, 'x')", '0'],
  ['EVAL', 'local r = {} for i, v in ipairs({1, 2, nil, 4}) do r[i] = v end return r', '0'],
  ['EVAL', 'return ipairs(1)', '0'],
  ['EVAL', 'return pairs(nil)', '0'],
  ['EVAL', 'local r = {} for k, v in pairs({10, 20, x = 30}) do r[#r + 1] = v end return r', '0'],
  ['EVAL', "local i = 0 local f = load(function() i = i + 1 if i == 1 then return 'return ' elseif i == 2 then return '1+2' end end) return f()", '0'],
  ['EVAL', "local i = 0 local f = load(function() i = i + 1 if i == 1 then return 'return ' elseif i == 2 then return 42 end end) return f()", '0'],
  ['EVAL', 'local a, b = load(function() return {} end) return {tostring(a), b}', '0'],
  ['EVAL', "local a, b = load(function() error('boom') end) return {tostring(a), b}", '0'],
  ['EVAL', 'local a, b = load(function() return nil end) return {type(a), tostring(b)}', '0'],
  ['EVAL', "local n = 0 local a, b = load(function() n = n + 1 if n == 1 then return 'return +' end end, 'mychunk') return {tostring(a), b}", '0'],
  ['EVAL', "local n = 0 local a, b = load(function() n = n + 1 if n == 1 then return 'return +' end end) return {tostring(a), b}", '0'],
  ['EVAL', "return load('return 1')", '0'],
  ['EVAL', 'return table.getn({1, 2, 3})', '0'],
  ['EVAL', 'local t = {1, 2, 3} table.insert(t, 4) table.insert(t, 1, 0) table.insert(t, 7, 9) return t', '0'],
  ['EVAL', 'local t = {1, 2, 3} table.insert(t, 2.7, 0) return t', '0'],
  ['EVAL', 'table.insert({}, 1, 2, 3)', '0'],
  ['EVAL', 'table.insert({})', '0'],
  ['EVAL', 'table.insert(nil, 1)', '0'],
  ['EVAL', 'local t = {1, 2, 3} local a = table.remove(t, 1) local b = table.remove(t) return {a, b, t[1], #t}', '0'],
  ['EVAL', 'local t = {1, 2, 3} return {table.remove(t, 5), table.remove(t, 0), table.remove({}), #t}', '0'],
  ['EVAL', "return table.concat({1, 2.5, 'x', 3.0, 1e20}, ', ')", '0'],
  ['EVAL', "return table.concat({1, 2, 3}, 0.5, 2, 3)", '0'],
  ['EVAL', "return table.concat({1, 2, 3}, '-', 3, 1)", '0'],
  ['EVAL', "return table.concat({1, {}, 3})", '0'],
  ['EVAL', "return table.concat({1, 2}, {})", '0'],
  ['EVAL', "return table.concat('x')", '0'],
  ['EVAL', 'return table.getn(1)', '0'],
  ['EVAL', "local m={__lt=function(a,b) return a.v<b.v end} local t={} for i,v in ipairs({5,2,8,1,9,3}) do t[i]=setmetatable({v=v},m) end table.sort(t) local r={} for i,x in ipairs(t) do r[i]=x.v end return r", '0'],
  ['EVAL', 'table.sort({setmetatable({},{__lt=function() return true end}), setmetatable({},{__lt=function() return true end})})', '0'],
  ['EVAL', 'table.sort({setmetatable({},{__lt=function() return true end}), {}})', '0'],
  ['EVAL', 'table.sort({{}, 1})', '0'],
  ['EVAL', "table.sort({'a', 1})", '0'],
];

describe('busy loops inside metamethods that library code calls', () => {
  for (const [name, script] of [
    ['sort __lt', `local m={__lt=function() ${LOOP} end} local t={setmetatable({},m),setmetatable({},m),setmetatable({},m)} table.sort(t) return 1`],
    ['load reader', `return load(function() ${LOOP} end)`],
    ['__tostring inside sort __lt', `local m={__lt=function(a,b) return tostring(a)<tostring(b) end, __tostring=function() ${LOOP} end} table.sort({setmetatable({},m),setmetatable({},m)}) return 1`],
  ]) {
    // load catches the kill raised in its reader (5.1's protected parser): the script returns nil
    const killed = name === 'load reader' ? /^\$nil$/ : undefined;
    it(`${name}: -BUSY after busy-reply-threshold, SCRIPT KILL ends the script`, () => expectKilled(`busy-${name}`, script!, killed), 60_000);
  }

  for (const [name, script, expected] of NEVER_CALLED) {
    it(`${name}: 5.1 does not call the looping metamethod, the script ends at once`, () => {
      const s = new SimSide(6379, `never-${name}`);
      s.cmd(0, ['CONFIG', 'SET', 'busy-reply-threshold', '100'], false);
      const r = s.cmd(0, ['EVAL', script, '0'], false);
      if (expected instanceof RegExp) expect(r).toMatch(expected);
      else expect(r).toBe(expected);
    }, 60_000);
  }

  it('a slow __lt that ends: table.sort goes on after the server was BUSY, in order', () => {
    const s = new SimSide(6379, 'slow-sort-lt');
    s.cmd(0, ['CONFIG', 'SET', 'busy-reply-threshold', '10'], false);
    const script =
      'local m={__lt=function(a,b) for i = 1, 1000000 do end return a.v<b.v end} local t={} ' +
      'for i,v in ipairs({4,1,3,2}) do t[i]=setmetatable({v=v},m) end table.sort(t) local r={} for i,x in ipairs(t) do r[i]=x.v end return r';
    s.send(0, ['EVAL', script, '0'], false);
    s.sleep(12);
    expect(s.cmd(1, ['PING'], false)).toBe(BUSY);
    s.sleep(2000);
    expect(s.take(0)).toEqual([':1', ':2', ':3', ':4']);
  }, 60_000);
});

describeWithRealRedis('metamethods from library code: real redis-server 7.0.15 vs the simulator', () => {
  const pair = useRealAndSim('busy-callbacks-diff');

  it('the same replies', async () => {
    expect(await replyDiffs(pair, CASES)).toBe('');
  });
});
