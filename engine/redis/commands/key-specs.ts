// The key specs of Redis 7.0.15's commands as redis-server 7.0.15's COMMAND INFO lists them, one string
// per command: specs separated by "|", each "flags;begin_search;find_keys" with begin_search
// i<index> | k<keyword>,<startfrom> | u (unknown) and find_keys r<lastkey>,<keystep>,<limit> |
// n<keynumidx>,<firstkey>,<keystep> | u. COMMAND GETKEYS / GETKEYSANDFLAGS find keys with them
// (getKeysUsingKeySpecs); commands that also carry CommandSpec.meta.keySpecs use those.
import type { KeyFlag, KeySpec } from './meta.ts';

const TABLE: Readonly<Record<string, string>> = {
  'append': 'RW insert;i1;r0,1,0',
  'bitcount': 'RO access;i1;r0,1,0',
  'bitfield': 'RW access update variable_flags;i1;r0,1,0',
  'bitfield_ro': 'RO access;i1;r0,1,0',
  'bitop': 'OW update;i2;r0,1,0|RO access;i3;r-1,1,0',
  'bitpos': 'RO access;i1;r0,1,0',
  'blmove': 'RW access delete;i1;r0,1,0|RW insert;i2;r0,1,0',
  'blmpop': 'RW access delete;i2;n0,1,1',
  'blpop': 'RW access delete;i1;r-2,1,0',
  'brpop': 'RW access delete;i1;r-2,1,0',
  'brpoplpush': 'RW access delete;i1;r0,1,0|RW insert;i2;r0,1,0',
  'bzmpop': 'RW access delete;i2;n0,1,1',
  'bzpopmax': 'RW access delete;i1;r-2,1,0',
  'bzpopmin': 'RW access delete;i1;r-2,1,0',
  'copy': 'RO access;i1;r0,1,0|OW update;i2;r0,1,0',
  'decr': 'RW access update;i1;r0,1,0',
  'decrby': 'RW access update;i1;r0,1,0',
  'del': 'RM delete;i1;r-1,1,0',
  'dump': 'RO access;i1;r0,1,0',
  'eval': 'RW access update;i2;n0,1,1',
  'eval_ro': 'RO access;i2;n0,1,1',
  'evalsha': 'RW access update;i2;n0,1,1',
  'evalsha_ro': 'RO access;i2;n0,1,1',
  'exists': 'RO;i1;r-1,1,0',
  'expire': 'RW update;i1;r0,1,0',
  'expireat': 'RW update;i1;r0,1,0',
  'expiretime': 'RO access;i1;r0,1,0',
  'fcall': 'RW access update;i2;n0,1,1',
  'fcall_ro': 'RO access;i2;n0,1,1',
  'geoadd': 'RW update;i1;r0,1,0',
  'geodist': 'RO access;i1;r0,1,0',
  'geohash': 'RO access;i1;r0,1,0',
  'geopos': 'RO access;i1;r0,1,0',
  'georadius': 'RO access;i1;r0,1,0|OW update;kSTORE,6;r0,1,0|OW update;kSTOREDIST,6;r0,1,0',
  'georadius_ro': 'RO access;i1;r0,1,0',
  'georadiusbymember': 'RO access;i1;r0,1,0|OW update;kSTORE,5;r0,1,0|OW update;kSTOREDIST,5;r0,1,0',
  'georadiusbymember_ro': 'RO access;i1;r0,1,0',
  'geosearch': 'RO access;i1;r0,1,0',
  'geosearchstore': 'OW update;i1;r0,1,0|RO access;i2;r0,1,0',
  'get': 'RO access;i1;r0,1,0',
  'getbit': 'RO access;i1;r0,1,0',
  'getdel': 'RW access delete;i1;r0,1,0',
  'getex': 'RW access update;i1;r0,1,0',
  'getrange': 'RO access;i1;r0,1,0',
  'getset': 'RW access update;i1;r0,1,0',
  'hdel': 'RW delete;i1;r0,1,0',
  'hexists': 'RO;i1;r0,1,0',
  'hget': 'RO access;i1;r0,1,0',
  'hgetall': 'RO access;i1;r0,1,0',
  'hincrby': 'RW access update;i1;r0,1,0',
  'hincrbyfloat': 'RW access update;i1;r0,1,0',
  'hkeys': 'RO access;i1;r0,1,0',
  'hlen': 'RO;i1;r0,1,0',
  'hmget': 'RO access;i1;r0,1,0',
  'hmset': 'RW update;i1;r0,1,0',
  'hrandfield': 'RO access;i1;r0,1,0',
  'hscan': 'RO access;i1;r0,1,0',
  'hset': 'RW update;i1;r0,1,0',
  'hsetnx': 'RW insert;i1;r0,1,0',
  'hstrlen': 'RO;i1;r0,1,0',
  'hvals': 'RO access;i1;r0,1,0',
  'incr': 'RW access update;i1;r0,1,0',
  'incrby': 'RW access update;i1;r0,1,0',
  'incrbyfloat': 'RW access update;i1;r0,1,0',
  'lcs': 'RO access;i1;r1,1,0',
  'lindex': 'RO access;i1;r0,1,0',
  'linsert': 'RW insert;i1;r0,1,0',
  'llen': 'RO;i1;r0,1,0',
  'lmove': 'RW access delete;i1;r0,1,0|RW insert;i2;r0,1,0',
  'lmpop': 'RW access delete;i1;n0,1,1',
  'lpop': 'RW access delete;i1;r0,1,0',
  'lpos': 'RO access;i1;r0,1,0',
  'lpush': 'RW insert;i1;r0,1,0',
  'lpushx': 'RW insert;i1;r0,1,0',
  'lrange': 'RO access;i1;r0,1,0',
  'lrem': 'RW delete;i1;r0,1,0',
  'lset': 'RW update;i1;r0,1,0',
  'ltrim': 'RW delete;i1;r0,1,0',
  'memory|usage': 'RO;i2;r0,1,0',
  'mget': 'RO access;i1;r-1,1,0',
  'migrate': 'RW access delete;i3;r0,1,0|RW access delete incomplete;kKEYS,-2;r-1,1,0',
  'move': 'RW access update;i1;r0,1,0',
  'mset': 'OW update;i1;r-1,2,0',
  'msetnx': 'OW insert;i1;r-1,2,0',
  'object|encoding': 'RO;i2;r0,1,0',
  'object|freq': 'RO;i2;r0,1,0',
  'object|idletime': 'RO;i2;r0,1,0',
  'object|refcount': 'RO;i2;r0,1,0',
  'persist': 'RW update;i1;r0,1,0',
  'pexpire': 'RW update;i1;r0,1,0',
  'pexpireat': 'RW update;i1;r0,1,0',
  'pexpiretime': 'RO access;i1;r0,1,0',
  'pfadd': 'RW insert;i1;r0,1,0',
  'pfcount': 'RW access;i1;r-1,1,0',
  'pfdebug': 'RW access;i2;r0,1,0',
  'pfmerge': 'RW access insert;i1;r0,1,0|RO access;i2;r-1,1,0',
  'psetex': 'OW update;i1;r0,1,0',
  'pttl': 'RO access;i1;r0,1,0',
  'rename': 'RW access delete;i1;r0,1,0|OW update;i2;r0,1,0',
  'renamenx': 'RW access delete;i1;r0,1,0|OW insert;i2;r0,1,0',
  'restore': 'OW update;i1;r0,1,0',
  'restore-asking': 'OW update;i1;r0,1,0',
  'rpop': 'RW access delete;i1;r0,1,0',
  'rpoplpush': 'RW access delete;i1;r0,1,0|RW insert;i2;r0,1,0',
  'rpush': 'RW insert;i1;r0,1,0',
  'rpushx': 'RW insert;i1;r0,1,0',
  'sadd': 'RW insert;i1;r0,1,0',
  'scard': 'RO;i1;r0,1,0',
  'sdiff': 'RO access;i1;r-1,1,0',
  'sdiffstore': 'OW update;i1;r0,1,0|RO access;i2;r-1,1,0',
  'set': 'RW access update variable_flags;i1;r0,1,0',
  'setbit': 'RW access update;i1;r0,1,0',
  'setex': 'OW update;i1;r0,1,0',
  'setnx': 'OW insert;i1;r0,1,0',
  'setrange': 'RW update;i1;r0,1,0',
  'sinter': 'RO access;i1;r-1,1,0',
  'sintercard': 'RO access;i1;n0,1,1',
  'sinterstore': 'RW update;i1;r0,1,0|RO access;i2;r-1,1,0',
  'sismember': 'RO;i1;r0,1,0',
  'smembers': 'RO access;i1;r0,1,0',
  'smismember': 'RO access;i1;r0,1,0',
  'smove': 'RW access delete;i1;r0,1,0|RW insert;i2;r0,1,0',
  'sort': 'RO access;i1;r0,1,0|RO access;u;u|OW update;u;u',
  'sort_ro': 'RO access;i1;r0,1,0|RO access;u;u',
  'spop': 'RW access delete;i1;r0,1,0',
  'spublish': 'not_key;i1;r0,1,0',
  'srandmember': 'RO access;i1;r0,1,0',
  'srem': 'RW delete;i1;r0,1,0',
  'sscan': 'RO access;i1;r0,1,0',
  'ssubscribe': 'not_key;i1;r-1,1,0',
  'strlen': 'RO;i1;r0,1,0',
  'substr': 'RO access;i1;r0,1,0',
  'sunion': 'RO access;i1;r-1,1,0',
  'sunionstore': 'OW update;i1;r0,1,0|RO access;i2;r-1,1,0',
  'sunsubscribe': 'not_key;i1;r-1,1,0',
  'touch': 'RO;i1;r-1,1,0',
  'ttl': 'RO access;i1;r0,1,0',
  'type': 'RO;i1;r0,1,0',
  'unlink': 'RM delete;i1;r-1,1,0',
  'watch': 'RO;i1;r-1,1,0',
  'xack': 'RW update;i1;r0,1,0',
  'xadd': 'RW update;i1;r0,1,0',
  'xautoclaim': 'RW delete;i1;r0,1,0',
  'xclaim': 'RW update;i1;r0,1,0',
  'xdel': 'RW delete;i1;r0,1,0',
  'xgroup|create': 'RW insert;i2;r0,1,0',
  'xgroup|createconsumer': 'RW insert;i2;r0,1,0',
  'xgroup|delconsumer': 'RW delete;i2;r0,1,0',
  'xgroup|destroy': 'RW delete;i2;r0,1,0',
  'xgroup|setid': 'RW update;i2;r0,1,0',
  'xinfo|consumers': 'RO access;i2;r0,1,0',
  'xinfo|groups': 'RO access;i2;r0,1,0',
  'xinfo|stream': 'RO access;i2;r0,1,0',
  'xlen': 'RO;i1;r0,1,0',
  'xpending': 'RO access;i1;r0,1,0',
  'xrange': 'RO access;i1;r0,1,0',
  'xread': 'RO access;kSTREAMS,1;r-1,1,2',
  'xreadgroup': 'RO access;kSTREAMS,4;r-1,1,2',
  'xrevrange': 'RO access;i1;r0,1,0',
  'xsetid': 'RW update;i1;r0,1,0',
  'xtrim': 'RW delete;i1;r0,1,0',
  'zadd': 'RW update;i1;r0,1,0',
  'zcard': 'RO;i1;r0,1,0',
  'zcount': 'RO access;i1;r0,1,0',
  'zdiff': 'RO access;i1;n0,1,1',
  'zdiffstore': 'OW update;i1;r0,1,0|RO access;i2;n0,1,1',
  'zincrby': 'RW access update;i1;r0,1,0',
  'zinter': 'RO access;i1;n0,1,1',
  'zintercard': 'RO access;i1;n0,1,1',
  'zinterstore': 'OW update;i1;r0,1,0|RO access;i2;n0,1,1',
  'zlexcount': 'RO access;i1;r0,1,0',
  'zmpop': 'RW access delete;i1;n0,1,1',
  'zmscore': 'RO access;i1;r0,1,0',
  'zpopmax': 'RW access delete;i1;r0,1,0',
  'zpopmin': 'RW access delete;i1;r0,1,0',
  'zrandmember': 'RO access;i1;r0,1,0',
  'zrange': 'RO access;i1;r0,1,0',
  'zrangebylex': 'RO access;i1;r0,1,0',
  'zrangebyscore': 'RO access;i1;r0,1,0',
  'zrangestore': 'OW update;i1;r0,1,0|RO access;i2;r0,1,0',
  'zrank': 'RO access;i1;r0,1,0',
  'zrem': 'RW delete;i1;r0,1,0',
  'zremrangebylex': 'RW delete;i1;r0,1,0',
  'zremrangebyrank': 'RW delete;i1;r0,1,0',
  'zremrangebyscore': 'RW delete;i1;r0,1,0',
  'zrevrange': 'RO access;i1;r0,1,0',
  'zrevrangebylex': 'RO access;i1;r0,1,0',
  'zrevrangebyscore': 'RO access;i1;r0,1,0',
  'zrevrank': 'RO access;i1;r0,1,0',
  'zscan': 'RO access;i1;r0,1,0',
  'zscore': 'RO access;i1;r0,1,0',
  'zunion': 'RO access;i1;n0,1,1',
  'zunionstore': 'OW update;i1;r0,1,0|RO access;i2;n0,1,1',
};

/** The parsed specs of a command (by full name); 'unknown' when one of them cannot be searched. */
export function keySpecsOf(fullname: string): KeySpec[] | 'unknown' | null {
  const row = TABLE[fullname];
  if (row === undefined) return null;
  const out: KeySpec[] = [];
  for (const part of row.split('|')) {
    const [flags, bs, fk] = part.split(';') as [string, string, string];
    if (bs === 'u' || fk === 'u') return 'unknown';
    const spec: KeySpec = {
      flags: flags.split(' ') as KeyFlag[],
      bs: bs[0] === 'i' ? { index: Number(bs.slice(1)) } : { keyword: bs.slice(1, bs.lastIndexOf(',')), startfrom: Number(bs.slice(bs.lastIndexOf(',') + 1)) },
      fk: fk[0] === 'r' ? { range: fk.slice(1).split(',').map(Number) as [number, number, number] } : { keynum: fk.slice(1).split(',').map(Number) as [number, number, number] },
    };
    out.push(spec);
  }
  return out;
}

/** Every spec of a command for COMMAND INFO, an unknown begin_search / find_keys as null (null: none listed). */
export function keySpecsForInfo(fullname: string): { flags: KeyFlag[]; bs: KeySpec['bs'] | null; fk: KeySpec['fk'] | null }[] | null {
  const row = TABLE[fullname];
  if (row === undefined) return null;
  return row.split('|').map((part) => {
    const [flags, bs, fk] = part.split(';') as [string, string, string];
    return {
      flags: flags === '' ? [] : (flags.split(' ') as KeyFlag[]),
      bs: bs === 'u' ? null : bs[0] === 'i' ? { index: Number(bs.slice(1)) } : { keyword: bs.slice(1, bs.lastIndexOf(',')), startfrom: Number(bs.slice(bs.lastIndexOf(',') + 1)) },
      fk: fk === 'u' ? null : fk[0] === 'r' ? { range: fk.slice(1).split(',').map(Number) as [number, number, number] } : { keynum: fk.slice(1).split(',').map(Number) as [number, number, number] },
    };
  });
}

/** The flags of each spec (for keys found another way: a getkeys procedure, the legacy range). */
export function keySpecFlags(fullname: string): string[][] | null {
  const row = TABLE[fullname];
  return row === undefined ? null : row.split('|').map((p) => p.split(';')[0]!.split(' '));
}

/**
 * populateCommandLegacyRangeSpec's CMD_MOVABLE_KEYS: keys that the legacy (first, last, step) range
 * cannot describe - a keyword or key-count spec, a spec with a step or a gap, an incomplete one.
 */
export function hasMovableKeys(fullname: string): boolean {
  const row = TABLE[fullname];
  if (row === undefined) return false;
  const parts = row.split('|').map((p) => p.split(';') as [string, string, string]);
  const plain = (p: [string, string, string]) => p[1][0] === 'i' && p[2][0] === 'r';
  if (parts.length === 1 && plain(parts[0]!)) return parts[0]![0].split(' ').includes('incomplete');
  let movable = false;
  let found = false;
  let prevLast = 0;
  for (const p of parts) {
    if (!plain(p)) {
      movable = true;
      continue;
    }
    const pos = Number(p[1].slice(1));
    const [lastkey, keystep] = p[2].slice(1).split(',').map(Number) as [number, number];
    if (keystep !== 1 || (prevLast && prevLast !== pos - 1)) {
      movable = true;
      continue;
    }
    if (p[0].split(' ').includes('incomplete')) movable = true;
    found = true;
    const abs = lastkey >= 0 ? lastkey + pos : lastkey;
    // unsigned comparison in C: a negative (count from the end) lastkey is the largest
    prevLast = prevLast < 0 || abs < 0 ? -1 : Math.max(prevLast, abs);
  }
  return movable || !found;
}
