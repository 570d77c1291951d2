// Scripting (issue 16 item 1): EVAL / FUNCTION replies and errors compared with the real redis-server
// 7.0.15 of this machine on a loopback port (skipped when it is missing, required under CI=true);
// determinism of math.random inside scripts; a busy script answering -BUSY in virtual time and SCRIPT KILL.
import { describe, expect, it } from 'vitest';
import type { Rep } from '../differential/reply.ts';
import { describeWithRealRedis, useRealAndSim } from '../differential/pair.ts';
import { SimSide } from '../differential/sim-side.ts';

const LIB = "#!lua name=mylib\nredis.register_function('f1', function(keys, args) return keys[1] .. args[1] end)\n" +
  "redis.register_function{function_name='f2', callback=function() return redis.call('incr', 'fcnt') end, flags={'no-writes'}, description='d'}";

/** Scripts whose replies must be byte-for-byte those of Redis 7.0.15 (sha in error texts included). */
const CASES: string[][] = [
  ['EVAL', 'return math.random(1000)', '0'],
  ['EVAL', 'return {math.random(), math.random(5, 9)}', '0'],
  ['EVAL', 'return 1', '0'],
  ['EVAL', "return {1,2,3,'ciao',{1,2}}", '0'],
  ['EVAL', "return redis.call('set',KEYS[1],ARGV[1])", '1', 'k', 'v'],
  ['EVAL', "return redis.call('get',KEYS[1])", '1', 'k'],
  ['EVAL', "return tostring(3.0) .. ' ' .. (2147483647+1) .. ' ' .. 10/2 .. ' ' .. 1e15 .. ' ' .. 0.1", '0'],
  ['EVAL', 'a = 5', '0'],
  ['EVAL', 'return b', '0'],
  ['EVAL', "return redis.call('nosuch')", '0'],
  ['EVAL', "return redis.call('get')", '0'],
  ['EVAL', "return redis.call('eval', 'return 1', '0')", '0'],
  ['EVAL', "return redis.pcall('incr','k')", '0'],
  ['EVAL', "return redis.call('incr','k')", '0'],
  ['EVAL', "return {err='My Error'}", '0'],
  ['EVAL', "return redis.error_reply('My Error')", '0'],
  ['EVAL', "return redis.error_reply('-WRONG with code')", '0'],
  ['EVAL', "return redis.status_reply('FINE')", '0'],
  ['EVAL', 'return nosuch()', '0'],
  ['EVAL', "error('boom')", '0'],
  ['EVAL', "error({err='TABLE err'})", '0'],
  ['EVAL', "return string.format('%s|%5s|%-4s|%s|%s|%s|%%|%d|%x|%5.1f|%q', 7, 2, bit.band(15, 255), 2^53, 0.5, 'str', 7.9, 255.5, 3, 'a\\nb')", '0'],
  ['EVAL', "return string.format('%s.%s.%s', bit.band(bit.rshift(redis.REDIS_VERSION_NUM, 16), 255), bit.band(bit.rshift(redis.REDIS_VERSION_NUM, 8), 255), bit.band(redis.REDIS_VERSION_NUM, 255))", '0'],
  ['EVAL', "return {select('#', pcall(error, {})), select('#', pcall(error, {err='e'})), select('#', pcall(error, 'm'))}", '0'],
  ['EVAL', "local ok, e = pcall(function() return redis.call('incr', 'pcall-str') end) redis.call('del', 'pcall-str') return {tostring(ok), e}", '0'],
  ['EVAL', "redis.call('set', 'pcall-str', 'x') local ok, e = pcall(redis.call, 'incr', 'pcall-str') redis.call('del', 'pcall-str') return {tostring(ok), e}", '0'],
  ['EVAL', 'return {bit.band(0xff, 0x0f), bit.tohex(255), bit.bor(1, 2, 4), bit.lshift(1, 31), bit.tobit(2^32 + 3)}', '0'],
  ['EVAL', 'return unpack({1,2})', '0'],
  ['EVAL', 'return 3.99', '0'],
  ['EVAL', 'return -3.99', '0'],
  ['EVAL', 'return true', '0'],
  ['EVAL', 'return false', '0'],
  ['EVAL', 'return nil', '0'],
  ['EVAL', "return {1, 2, nil, 4}", '0'],
  ['EVAL', "return {1, false, 3}", '0'],
  ['EVAL', "return pcall(function() redis.call('nosuch') end)", '0'],
  ['EVAL', "local ok, e = pcall(function() redis.call('nosuch') end) return e", '0'],
  ['EVAL', "return redis.call('set', 'n', 3.5)", '0'],
  ['EVAL', "return redis.call('get', 'n')", '0'],
  ['EVAL', "return redis.call('set', 'n', {})", '0'],
  ['EVAL', "return redis.sha1hex('')", '0'],
  ['EVAL', "#!lua flags=no-writes\nreturn redis.call('set','a','b')", '0'],
  ['EVAL', "#!lua flags=no-writes,allow-stale\nreturn redis.call('get','k')", '0'],
  ['EVAL', '#!lua flags=bogus\nreturn 1', '0'],
  ['EVAL', '#!lua\nreturn 1', '0'],
  ['EVAL', '#!lua flags=\nreturn 1', '0'],
  // SORT BY a constant of a set from a script is sorted ALPHA (sortCommandGeneric, CLIENT_SCRIPT)
  ['EVAL', "redis.call('sadd', KEYS[1], 'c', 'aa', 'b', 'a', 'azz', 'z') return redis.call('sort', KEYS[1], 'by', '_', 'get', '#', 'get', '_:*')", '1', 'sortset'],
  ['EVAL', '#!python\nreturn 1', '0'],
  ['EVAL_RO', "return redis.call('set','a','b')", '0'],
  ['EVAL_RO', "return redis.call('get','k')", '0'],
  ['EVAL', 'return 1', 'x'],
  ['EVAL', 'return 1', '3', 'a'],
  ['EVAL', 'return 1', '-1'],
  ['EVAL', 'return 1 +', '0'],
  ['EVAL', "redis.setresp(4)", '0'],
  ['EVAL', "redis.log(redis.LOG_WARNING, 'from a script') return redis.REDIS_VERSION", '0'],
  ['EVAL', "return string.format('%d %s %5.2f', 3, 'x', 1.5)", '0'],
  ['EVAL', "return {string.len('abc'), #KEYS, #ARGV}", '2', 'a', 'b', 'c'],
  ['EVAL', "local t = {} for i=1,3 do t[i]=i*2 end return t", '0'],
  ['EVAL', "return tonumber('10') + 1", '0'],
  ['EVAL', "return math.floor(7.5) .. ''", '0'],
  ['EVAL', "setmetatable(_G, nil)", '0'],
  ['EVAL', "string.foo = 1", '0'],
  ['EVAL', "return os", '0'],
  ['EVAL', "return redis.call('select', 1)", '0'],
  ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
  ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'],
  ['EVALSHA', 'short', '0'],
  ['SCRIPT', 'LOAD', 'return 1'],
  ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 'ffffffffffffffffffffffffffffffffffffffff'],
  ['SCRIPT', 'KILL'],
  ['SCRIPT', 'FLUSH', 'bogus'],
  ['SCRIPT', 'FLUSH'],
  ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db'],
  ['FUNCTION', 'FLUSH'],
  ['FUNCTION', 'LOAD', LIB],
  ['FCALL', 'f1', '1', 'a', 'b'],
  ['FCALL', 'f2', '0'],
  ['FCALL_RO', 'f1', '1', 'a', 'b'],
  ['FCALL', 'nosuch', '0'],
  ['FCALL', 'f1', 'x'],
  // function names are case-insensitive server-wide (functionDictType), library names are not
  ['FCALL', 'F1', '1', 'a', 'b'],
  ['FCALL_RO', 'f1', '1', 'a', 'b'],
  ['FUNCTION', 'LOAD', "#!lua name=caselib\nredis.register_function('F2', function() return 1 end)"],
  ['FUNCTION', 'LOAD', "#!lua name=MYLIB\nredis.register_function('g1', function() return 1 end)"],
  ['FUNCTION', 'DELETE', 'MYLIB'],
  ['FUNCTION', 'LIST'],
  ['FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'my*'],
  ['FUNCTION', 'LIST', 'LIBRARYNAME'],
  ['FUNCTION', 'STATS'],
  ['FUNCTION', 'KILL'],
  ['FUNCTION', 'LOAD', LIB],
  ['FUNCTION', 'LOAD', "#!lua name=lib2\nlocal x = string.len('a')"],
  ['FUNCTION', 'LOAD', '#!lua name=lib3\nreturn 1'],
  ['FUNCTION', 'LOAD', "#!lua name=lib4\nredis.register_function('f1', function() end)"],
  ['FUNCTION', 'LOAD', "#!lua name=lib5\nredis.register_function('bad name', function() end)"],
  ['FUNCTION', 'LOAD', 'return 1'],
  ['FUNCTION', 'LOAD', '#!lua'],
  ['FUNCTION', 'LOAD', '#!lua name=a name=b\n'],
  ['FUNCTION', 'LOAD', '#!nosuch name=x\n'],
  ['FUNCTION', 'LOAD', 'BOGUS', '#!lua name=x\n'],
  ['FUNCTION', 'DELETE', 'nosuch'],
  ['FUNCTION', 'RESTORE', 'garbage'],
  ['FUNCTION', 'RESTORE', 'garbage', 'BOGUS'],
  ['FUNCTION', 'FLUSH', 'ASYNC', 'X'],
  ['FUNCTION', 'DELETE', 'mylib'],
  ['FUNCTION', 'LIST'],
];

/**
 * FUNCTION LIST: a library's functions (and the libraries) come from dicts, whose order in Redis depends on a
 * hash seed drawn at start-up (it changes from run to run): compared as sets, i.e. sorted.
 */
function unordered(argv: string[], reply: unknown): unknown {
  if (argv[0] !== 'FUNCTION' || argv[1] !== 'LIST' || !Array.isArray(reply)) return reply;
  const sortArr = (a: unknown[]) => [...a].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  const lib = (l: unknown) => (Array.isArray(l) ? l.map((v, i) => (i > 0 && l[i - 1] === '$functions' && Array.isArray(v) ? sortArr(v) : v)) : l);
  return sortArr(reply.map(lib));
}

describeWithRealRedis('scripting: replies of real redis-server 7.0.15 vs the simulator', () => {
  const pair = useRealAndSim('scripting-diff');

  it('every script answers as Redis does', async () => {
    const diffs: string[] = [];
    for (const argv of CASES) {
      const r = unordered(argv, await pair.real.cmd(argv));
      const s = unordered(argv, pair.sim.cmd(0, argv));
      if (JSON.stringify(r) !== JSON.stringify(s)) diffs.push(`${JSON.stringify(argv)}\n  real: ${JSON.stringify(r)}\n  sim:  ${JSON.stringify(s)}`);
    }
    expect(diffs.join('\n')).toBe('');
  }, 60_000);

  it('FUNCTION DUMP of the simulator restores on real Redis', async () => {
    pair.sim.cmd(0, ['FUNCTION', 'FLUSH']);
    pair.sim.cmd(0, ['FUNCTION', 'LOAD', LIB]);
    const dump = pair.sim.cmd(0, ['FUNCTION', 'DUMP']) as string;
    await pair.real.cmd(['FUNCTION', 'FLUSH']);
    expect(await pair.real.cmd(['FUNCTION', 'RESTORE', dump.slice(1)])).toBe('+OK');
    expect(await pair.real.cmd(['FCALL', 'f1', '1', 'x', 'y'])).toBe('$xy');
    const realDump = (await pair.real.cmd(['FUNCTION', 'DUMP'])) as string;
    pair.sim.cmd(0, ['FUNCTION', 'FLUSH']);
    expect(pair.sim.cmd(0, ['FUNCTION', 'RESTORE', realDump.slice(1)])).toBe('+OK');
    expect(pair.sim.cmd(0, ['FCALL', 'f1', '1', 'x', 'y'])).toBe('$xy');
  });
});

describe('scripting in virtual time', () => {
  function trace(seed: string): Rep[] {
    const s = new SimSide(6379, seed);
    const out: Rep[] = [];
    for (let i = 0; i < 5; i++) out.push(s.cmd(0, ['EVAL', "math.randomseed(tonumber(ARGV[1])) return {math.random(1000000), redis.call('time')[1] ~= nil}", '0', String(i)], false));
    out.push(s.cmd(0, ['EVAL', 'local t = {} for i=1,4 do t[i] = math.random(100) end return t', '0'], false));
    out.push(String(s.sim.now));
    return out;
  }

  it('same seed, same replies and the same virtual time (math.random inside scripts)', () => {
    expect(trace('det-a')).toEqual(trace('det-a'));
  });

  it('a busy script answers -BUSY to another client after busy-reply-threshold, SCRIPT KILL ends it', () => {
    const s = new SimSide(6379, 'busy');
    expect(s.cmd(0, ['CONFIG', 'SET', 'busy-reply-threshold', '100'], false)).toBe('+OK');
    s.send(0, ['EVAL', 'local i = 0 while true do i = i + 1 end', '0'], false);
    const t0 = s.sim.now;
    s.sleep(50);
    // within the threshold the server does not read: the PING waits
    s.send(1, ['PING'], false);
    s.sleep(100);
    expect(s.take(1)).toBe('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
    expect(s.sim.now - t0).toBeGreaterThanOrEqual(100_000);
    expect(s.cmd(1, ['FUNCTION', 'KILL'], false)).toBe('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
    expect(s.cmd(1, ['SCRIPT', 'KILL'], false)).toBe('+OK');
    s.sleep(5);
    expect(s.take(0)).toMatch(/^-ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/);
    expect(s.cmd(1, ['PING'], false)).toBe('+PONG');
    expect(s.cmd(1, ['SCRIPT', 'KILL'], false)).toBe('-NOTBUSY No scripts in execution right now.');
  }, 60_000);

  it('a busy script looping inside pcall yields to other clients (-BUSY) and SCRIPT KILL ends it (pcall cannot swallow the kill)', () => {
    const s = new SimSide(6379, 'busy-pcall');
    s.cmd(0, ['CONFIG', 'SET', 'lua-time-limit', '10'], false);
    s.send(0, ['EVAL', "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end", '0'], false);
    s.sleep(30);
    expect(s.cmd(1, ['PING'], false)).toBe('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
    expect(s.cmd(1, ['SCRIPT', 'KILL'], false)).toBe('+OK');
    s.sleep(5);
    expect(s.take(0)).toMatch(/^-ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/);
    expect(s.cmd(1, ['PING'], false)).toBe('+PONG');
  }, 60_000);

  it('a script that wrote cannot be killed; SHUTDOWN without NOSAVE is refused while it runs', () => {
    const s = new SimSide(6379, 'busy2');
    s.cmd(0, ['CONFIG', 'SET', 'busy-reply-threshold', '50'], false);
    s.send(0, ['EVAL', "redis.call('set', 'x', 1) while true do end", '0'], false);
    s.sleep(80);
    expect(s.cmd(1, ['SCRIPT', 'KILL'], false)).toMatch(/^-UNKILLABLE Sorry the script already executed write commands/);
    expect(s.cmd(1, ['FUNCTION', 'STATS'], false)).toBe('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
  }, 60_000);
});
