// The Lua libraries Redis 7.0.15 embeds for scripts (cjson, bit; issue 16 item 1): EVAL replies and error
// texts compared with the real redis-server 7.0.15 of this machine on a loopback port (skipped when it is
// missing, required under CI=true).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RespClient } from '../differential/reply.ts';
import { SimSide } from '../differential/sim-side.ts';
import { freePort, RealServer, realRedisVersion } from '../replication/real.ts';

const ev = (script: string): string[] => ['EVAL', script, '0'];

/** Scripts whose replies must be byte-for-byte those of Redis 7.0.15 (script sha in error texts included). */
const CASES: string[][] = [
  // cjson.encode
  ev('return cjson.encode({1,2,{a=1}})'),
  ev('return cjson.encode({})'),
  ev('return cjson.encode({1.5, 0.1, 1/3, 1e20, 123456789012345678, -0.0, 1e15, 1e14, -2.5e-7})'),
  ev("return cjson.encode('a\"b\\\\c/\\n\\r\\t\\b\\f\\1\\31\\127\\128\\255')"),
  ev('return cjson.encode({[1]=1,[3]=3})'),
  ev('return cjson.encode({[1]=1,[12]=3})'),
  ev('return cjson.encode({[1]=1,[10]=3})'),
  ev('return cjson.encode({a={b={}}, [true]=1})'),
  ev('return cjson.encode({[1.5]=1})'),
  ev('return cjson.encode({[0]=1})'),
  ev('return cjson.encode({x={y={z={true,false}}}})'),
  ev('return cjson.encode(1/0)'),
  ev('return cjson.encode(-1/0)'),
  ev('return cjson.encode(0/0)'),
  ev('return cjson.encode(function() end)'),
  ev('return cjson.encode(cjson.null)'),
  ev('return cjson.encode(nil)'),
  ev('return cjson.encode()'),
  ev('return cjson.encode(1, 2)'),
  ev("return cjson.encode('')"),
  ev('return cjson.encode(true)'),
  ev('return cjson.encode(42)'),
  ev('local t = {} local c = t for i=1,1005 do c[1] = {} c = c[1] end return cjson.encode(t)'),
  ev('return cjson.encode({1, nil, 3})'),
  // cjson.decode
  ev("return type(cjson.decode('null'))"),
  ev("return cjson.decode('null') == cjson.null"),
  ev("local t = cjson.decode('[1,2,{\"a\":[true,false,null]}]') return {t[1], t[2], tostring(t[3].a[1]), tostring(t[3].a[2]), t[3].a[3] == cjson.null}"),
  ev("return cjson.decode('{')"),
  ev("return cjson.decode('[1,]')"),
  ev("return cjson.decode('\"\\\\u00e9\\\\ud83d\\\\ude00\\\\n\\\\/\"')"),
  ev("return cjson.decode('\"\\\\ud83d\"')"),
  ev("return cjson.decode('\"\\\\u12g4\"')"),
  ev("return cjson.decode('\"abc')"),
  ev("return cjson.decode('1e2')"),
  ev("return cjson.decode('  ')"),
  ev("return cjson.decode('')"),
  ev("return cjson.decode('[1] x')"),
  ev("return cjson.encode(cjson.decode('{\"a\":1.25,\"b\":\"x\"}'))"),
  ev("return cjson.decode('0x10')"),
  ev("return cjson.decode('+5')"),
  ev("return cjson.decode('007')"),
  ev("return tostring(cjson.decode('-Infinity'))"),
  ev("return cjson.decode('[1,2')"),
  ev("return cjson.decode('{\"a\" 1}')"),
  ev("return cjson.decode('{1:2}')"),
  ev("return cjson.decode('{\"a\":1 \"b\"}')"),
  ev("return cjson.decode('tru')"),
  ev("return cjson.decode('truex')"),
  ev("return cjson.decode('\"\\\\q\"')"),
  ev("return cjson.decode('-')"),
  ev("return cjson.decode('[-0.5, 3.75, 1e400]')"),
  ev("return cjson.decode(' \\t\\r\\n[]')[1]"),
  ev("return cjson.decode('a')"),
  ev("return cjson.decode('\\0a')"),
  ev("return cjson.decode(string.rep('[', 1001) .. string.rep(']', 1001))"),
  ev('return cjson.decode()'),
  ev('return cjson.decode({})'),
  ev('return cjson.decode(123)'),
  ev("return cjson.encode({['a\\\"b']=1})"),
  ev('return cjson.encode({1e-5, 123456.789, 2^53, -2^63, 5e-324, 1.7976931348623157e308})'),
  ev("return cjson.decode('[]')"),
  ev("return cjson.decode('{}')"),
  ev("return cjson.decode('\"\\\\u0000x\"')"),
  ev("return cjson.decode('[1.5e3, -0, 0.000001, 1E-2]')"),
  ev("return cjson.decode('\"\\\\uDFFF\"')"),
  ev("return cjson.decode('[' .. string.rep('1,', 999) .. '1]')[1000]"),
  ev("return cjson.encode(cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000))):len()"),
  ev("return cjson.decode('nulls')"),
  ev("return cjson.decode('NaN')"),
  ev("return tostring(cjson.decode('nan'))"),
  ev('return cjson.null'),
  ev('return {1, cjson.null, 3}'),
  ev('return tostring(cjson.null)'),
  ev('return {tostring(cjson.decode("null")), type(cjson.null)}'),
  // cjson configuration, as scripts observe it
  ev('return {cjson.encode_keep_buffer(), cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision()}'),
  ev("return {cjson.encode_sparse_array()}"),
  ev("return cjson.encode_invalid_numbers()"),
  ev("return cjson.decode_invalid_numbers()"),
  ev("return cjson._NAME .. ' ' .. cjson._VERSION"),
  ev("local c = cjson.new() c.encode_number_precision(3) return {c.encode(1/3), cjson.encode(1/3)}"),
  ev("local c = cjson.new() c.encode_invalid_numbers('null') return c.encode({1/0})"),
  ev("local c = cjson.new() return c.encode_invalid_numbers('bogus')"),
  ev("local c = cjson.new() return c.encode_number_precision(15)"),
  ev("local c = cjson.new() c.encode_sparse_array(true) return c.encode({[1]=1,[20]=2})"),
  ev("local c = cjson.new() c.encode_max_depth(2) return c.encode({{{1}}})"),
  ev("local c = cjson.new() c.decode_max_depth(2) return c.decode('[[[1]]]')"),
  ev("local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('0x10')"),
  ev("cjson.encode = nil"),
  // struct
  ev("return struct.pack('>I2 <i4 b B h', 258, -2, -1, 255, 513)"),
  ev("return struct.pack('!4 b i d', 1, 2, 1.5)"),
  ev("return struct.pack('>l L T', -1, 2^40, 3)"),
  ev("return struct.pack('i16 I3', -5, 70000)"),
  ev("return struct.pack('f d', 0.1, 0.1)"),
  ev("return struct.pack('s c3 c0 x', 'ab', 'xyz1', 'qq')"),
  ev("return struct.pack('c5', 'ab')"),
  ev("return struct.pack('z', 1)"),
  ev("return struct.pack('b4', 1)"),
  ev("return struct.pack('i33', 1)"),
  ev("return struct.pack('!3 i', 1)"),
  ev("return struct.pack('i', 'x')"),
  ev("return struct.pack('i')"),
  ev("return {struct.unpack('>I2 <i4 b B h', struct.pack('>I2 <i4 b B h', 258, -2, -1, 255, 513))}"),
  ev("return {struct.unpack('!4 b i d', struct.pack('!4 b i d', 1, 2, 1.5))}"),
  ev("local a, b, c = struct.unpack('f d i', struct.pack('f d i', 0.1, 0.1, 7)) return {tostring(a), tostring(b), c}"),
  ev("return {struct.unpack('s b c0 c2', 'hello\\0' .. string.char(3) .. 'abcde')}"),
  ev("return {struct.unpack('i', 'abc')}"),
  ev("return {struct.unpack('s', 'abc')}"),
  ev("return {struct.unpack('c0', 'abc')}"),
  ev("return {struct.unpack('b', 'abc', 0)}"),
  ev("return {struct.unpack('b', 'abc', 3)}"),
  ev("return {struct.unpack('>i16', string.rep('\\255', 16))}"),
  ev("return {struct.unpack('<I8', string.rep('\\255', 8))}"),
  ev("return {struct.size('!8 b d'), struct.size('i3 h c7 x'), struct.size('>l z')}"),
  ev("return struct.size('s')"),
  ev("return struct.size('c0')"),
  ev("return struct.size('b ?')"),
  // cmsgpack
  ev("return cmsgpack.pack(1, -1, 127, 128, 255, 256, 65535, 65536, 2^32, -32, -33, -128, -129, -32768, -32769, -2^31, -2^31-1, 2^53, -2^53)"),
  ev("return cmsgpack.pack(0.5, 0.1, 1/0, -1/0, 2^63, 1e300)"),
  ev("return cmsgpack.pack('', 'abc', string.rep('x', 31), string.rep('y', 32), string.rep('z', 256))"),
  ev("return cmsgpack.pack({}, {1,2,3}, {a=1}, {[1]=1,[3]=3}, {true, false}, cjson.null)"),
  ev("return cmsgpack.pack(string.rep('a', 70000)):sub(1, 8)"),
  ev("local t = {} for i=1,20 do t[i] = i end return cmsgpack.pack(t)"),
  ev("local t = {} for i=1,20 do t['k' .. i] = i end return #cmsgpack.pack(t)"),
  ev("local t = {} local c = t for i=1,20 do c[1] = {} c = c[1] end return cmsgpack.pack(t)"),
  ev("return cmsgpack.pack()"),
  ev("return cmsgpack.pack(nil, function() end)"),
  ev("return {cmsgpack.unpack(cmsgpack.pack(1, 'two', {3, 4, {5}}, -6, 7.5, true))}"),
  ev("local t = cmsgpack.unpack(cmsgpack.pack({a = 1})) return t.a"),
  ev("return {cmsgpack.unpack(cmsgpack.pack(2^40, -2^40, 0.25))}"),
  ev("return {tostring(cmsgpack.unpack(cmsgpack.pack(0.1)))}"),
  ev("return {cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255')}"),
  ev("return {cmsgpack.unpack('\\205\\1')}"),
  ev("return {cmsgpack.unpack('\\193')}"),
  ev("return {cmsgpack.unpack('\\147\\1')}"),
  ev("return {cmsgpack.unpack('')}"),
  ev("return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3))}"),
  ev("return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), 1)}"),
  ev("return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), 2)}"),
  ev("return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), 5)}"),
  ev("return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), -1)}"),
  ev("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2)}"),
  ev("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2, 1)}"),
  ev("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), -1)}"),
  ev("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3))}"),
  ev("return {cmsgpack.unpack(string.rep(cmsgpack.pack(1), 100))}"),
  ev("return cmsgpack._NAME .. ' ' .. cmsgpack._VERSION .. ' ' .. cmsgpack._COPYRIGHT .. ' ' .. cmsgpack._DESCRIPTION"),
  ev("return type(cmsgpack_safe)"),
  // bit
  ev('return {bit.tobit(0xffffffff), bit.tobit(2^40+5), bit.tohex(-1), bit.tohex(255, -4), bit.tohex(255, 2), bit.tohex(0x12345678, 12)}'),
  ev('return {bit.band(0xf0f0, 0xff00, 0xfff0), bit.bor(1, 2, 4, 8), bit.bxor(0xff, 0x0f), bit.bnot(0)}'),
  ev('return {bit.lshift(1, 33), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(0x80000001, 1), bit.ror(1, 1), bit.bswap(0x12345678)}'),
  ev("return bit.band('x', 1)"),
  ev('return bit.tobit()'),
  ev("return bit.band('12', 4)"),
];

const version = realRedisVersion();
const required = process.env.CI === 'true';
const runIt = version !== null || required ? describe : describe.skip;

runIt('script libraries: replies of real redis-server 7.0.15 vs the simulator', () => {
  let server: RealServer | null = null;
  let real: RespClient;
  let sim: SimSide;
  beforeAll(async () => {
    if (version === null) throw new Error('/usr/bin/redis-server (7.0.15) is required when CI=true');
    const port = await freePort();
    server = new RealServer(port, []);
    (await server.start()).close();
    real = await RespClient.connect(port);
    sim = new SimSide(port, 'script-libs-diff');
  });
  afterAll(() => {
    real?.close();
    server?.stop();
  });

  it('cjson and bit answer as in Redis', async () => {
    const diffs: string[] = [];
    for (const argv of CASES) {
      const r = await real.cmd(argv);
      const s = sim.cmd(0, argv);
      if (JSON.stringify(r) !== JSON.stringify(s)) diffs.push(`${JSON.stringify(argv)}\n  real: ${JSON.stringify(r)}\n  sim:  ${JSON.stringify(s)}`);
    }
    expect(diffs.join('\n')).toBe('');
  }, 60_000);
});
