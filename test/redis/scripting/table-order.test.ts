// Lua 5.1's table layout as scripts observe it (issue 16): the order pairs/next, cjson.encode and
// cmsgpack.pack walk a table in, and the border `#t` of tables with holes, compared with the real
// redis-server 7.0.15 of this machine (skipped when it is missing, required under CI=true).
import { expect, it } from 'vitest';
import { describeWithRealRedis, useRealAndSim, replyDiffs } from '../differential/pair.ts';

const ev = (script: string): string[] => ['EVAL', script, '0'];
/** The keys of a table in traversal order, as one string. */
const order = (ctor: string): string[] => ev(`local t = ${ctor} local o = {} for k in pairs(t) do o[#o+1] = tostring(k) end return table.concat(o, ',')`);

const CASES: string[][] = [
  // constructors: node part sized from the constructor (OP_NEWTABLE's hint)
  ev('return cjson.encode({a=1,b=2,c=3,d=4})'),
  ev('return cjson.encode({a=1,b=2,c=3})'),
  ev('return cjson.encode({x=1,y=2,z=3,w=4,v=5,u=6,t=7,s=8,r=9})'),
  ev("return cjson.encode({name='redis', version='7.0.15', ok=true, n=42, list={1,2,3}, nested={k='v', q=1}})"),
  ev('return cmsgpack.pack({a=1,b=2,c=3,d=4,e=5})'),
  order('{a=1,b=2,c=3,d=4}'),
  order("{1,2,3,a='x',b='y',[10]=10,[2.5]=1,[true]=1,[false]=0,[-1]=1,[0]=0}"),
  order('{[3]=3,[1]=1,[2]=2,[100]=100,[7]=7}'),
  // tables grown one key at a time (rehash on growth, collisions through the free pointer)
  order("(function() local t = {} for i = 1, 40 do t['key' .. i] = i end return t end)()"),
  order("(function() local t = {} for i = 1, 40 do t['k' .. (i * 7919 % 97)] = i end return t end)()"),
  order("(function() local t = {} for _, w in ipairs({'delta','alpha','charlie','bravo','echo','foxtrot','golf'}) do t[w] = #w end return t end)()"),
  order('(function() local t = {} for i = 40, 1, -1 do t[i] = i end return t end)()'),
  order('(function() local t = {} for i = 1, 30 do t[i * 3] = i end return t end)()'),
  order('(function() local t = {} for i = 1, 20 do t[i / 4] = i end return t end)()'),
  order('(function() local t = {} for i = 1, 20 do t[-i * 1000003] = i end return t end)()'),
  order('(function() local t = {} for i = 1, 20 do t[2^40 + i] = i end return t end)()'),
  // deletions: a nil-valued node keeps its slot until a rehash; t[k] = nil on an absent key makes one
  order("(function() local t = {a=1,b=2,c=3,d=4,e=5,f=6} t.b = nil t.d = nil t.g = 7 t.h = 8 return t end)()"),
  order("(function() local t = {} for i = 1, 12 do t['x' .. i] = i end for i = 1, 12, 2 do t['x' .. i] = nil end for i = 13, 20 do t['x' .. i] = i end return t end)()"),
  order("(function() local t = {} for i = 1, 5 do t['n' .. i] = nil end t.a = 1 t.b = 2 return t end)()"),
  order("(function() local t = {} for i = 1, 8 do t[i] = i end for i = 1, 8 do t[i] = nil end t.z = 1 t[3] = 3 return t end)()"),
  ev("local t = {p=1,q=2,r=3,s=4} for k in pairs(t) do t[k] = nil end return cjson.encode(t)"),
  // tables built by Redis from replies and by the libraries
  ev("redis.call('del', 'h') redis.call('hset', 'h', 'f1', 'a', 'f2', 'b', 'f3', 'c', 'field4', 'd', 'zz', 'e') redis.setresp(3) local m = redis.call('hgetall', 'h').map local o = {} for k, v in pairs(m) do o[#o+1] = k .. '=' .. v end redis.call('del', 'h') return table.concat(o, ',')"),
  ev("return cjson.encode(cjson.decode('{\"one\":1,\"two\":2,\"three\":3,\"four\":4,\"five\":5,\"six\":6}'))"),
  ev("return cjson.encode(cmsgpack.unpack(cmsgpack.pack({alpha=1,beta=2,gamma=3,delta=4,epsilon=5})))"),
  // the border of tables with holes
  ev('return {#{1,2,nil}, #{nil,nil,3}, #{1,nil,3}, #{1,2,3,nil,5}, #{nil}, #{n=1}}'),
  ev('local t = {} t[1] = 1 t[2] = 2 t[4] = 4 return #t'),
  ev('local t = {1,2,3,4,5,6,7,8} t[5] = nil return #t'),
  ev('local t = {} for i = 1, 10 do t[i] = i end t[10] = nil t[9] = nil t[12] = 1 return #t'),
  ev('local t = {10,20,30} table.insert(t, 40) t[6] = 60 return {#t, table.getn(t)}'),
  // next with a key of the array part, of the node part, and one the table does not have
  ev("local t = {1,2,x=3} return {next(t, 2)}"),
  ev("local t = {a=1,b=2,c=3} local k = next(t) return {k, (next(t, k))}"),
  ev("return next({a=1}, 'nope')"),
];

describeWithRealRedis('Lua 5.1 table order and borders: real redis-server 7.0.15 vs the simulator', () => {
  const pair = useRealAndSim('lua51-table-order');

  it('scripts see tables laid out as in Lua 5.1', async () => {
    expect(await replyDiffs(pair, CASES)).toBe('');
  }, 60_000);
});
