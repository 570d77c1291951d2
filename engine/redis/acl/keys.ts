// The keys and channels a command names, with the access ACL checks them for: Redis 7.0.15 takes
// them from the key specs' flags (ACLSelectorCheckKey: ACCESS → read; INSERT/DELETE/UPDATE →
// write) and from commands_with_channels (db.c). The access table below is the 7.0.15 key specs'.
import type { CommandSpec } from '../commands/context.ts';

export interface KeyRef {
  pos: number;
  read: boolean;
  write: boolean;
}

export interface ChannelRef {
  pos: number;
  pattern: boolean;
  /** Publish or subscribe: checked. Unsubscribe: never checked. */
  checked: boolean;
}

type Access = '' | 'R' | 'W' | 'RW';

/** Commands whose keys need other than R (readonly) / RW (write): [first key, other keys]. */
const ACCESS: Readonly<Record<string, readonly [Access, Access]>> = {};
function uniform(a: Access, names: string): void {
  for (const n of names.split(' ')) (ACCESS as Record<string, [Access, Access]>)[n] = [a, a];
}
uniform('W', 'append del expire expireat geoadd hdel hmset hset hsetnx linsert lpush lpushx lrem lset ltrim mset msetnx persist pexpire pexpireat pfadd psetex restore restore-asking rpush rpushx sadd setex setnx setrange srem unlink xack xadd xautoclaim xclaim xdel xgroup|create xgroup|createconsumer xgroup|delconsumer xgroup|destroy xgroup|setid xsetid xtrim zadd zrem zremrangebylex zremrangebyrank zremrangebyscore');
uniform('', 'exists hexists hlen hstrlen llen memory|usage object|encoding object|freq object|idletime object|refcount scard sismember strlen touch type watch xlen zcard');
/** Key specs flagged NOT_KEY (shard channels): ACL does not check them as keys. */
const NOT_KEYS = new Set(['spublish', 'ssubscribe', 'sunsubscribe']);
uniform('R', 'eval_ro evalsha_ro fcall_ro');
uniform('RW', 'eval evalsha fcall');
const MIXED: Record<string, [Access, Access]> = {
  bitop: ['W', 'R'], blmove: ['RW', 'W'], brpoplpush: ['RW', 'W'], copy: ['R', 'W'], georadius: ['R', 'W'],
  georadiusbymember: ['R', 'W'], geosearchstore: ['W', 'R'], lmove: ['RW', 'W'], pfmerge: ['RW', 'R'],
  rename: ['RW', 'W'], renamenx: ['RW', 'W'], rpoplpush: ['RW', 'W'], sdiffstore: ['W', 'R'],
  sinterstore: ['W', 'R'], smove: ['RW', 'W'], sort: ['R', 'W'], sunionstore: ['W', 'R'], zdiffstore: ['W', 'R'],
  zinterstore: ['W', 'R'], zrangestore: ['W', 'R'], zunionstore: ['W', 'R'],
};
Object.assign(ACCESS, MIXED);

/** VARIABLE_FLAGS key specs: setGetKeys and bitfieldGetKeys (db.c) decide the access from the arguments. */
function variableAccess(fullname: string, argv: readonly string[]): Access | null {
  if (fullname === 'set') return argv.slice(3).some((a) => a.toLowerCase() === 'get') ? 'RW' : 'W';
  if (fullname !== 'bitfield') return null;
  for (let i = 2; i < argv.length; i++) {
    const rem = argv.length - i - 1;
    const a = argv[i]!.toLowerCase();
    if (a === 'get' && rem >= 2) i += 2;
    else if (a === 'overflow' && rem >= 1) i += 1;
    else return 'RW'; // SET / INCRBY, or a syntax error (assumed not read-only)
  }
  return 'R';
}

/** Key positions: the command's getkeys procedure, else its (first, last, step) range. */
export function keyPositions(spec: CommandSpec, argv: readonly string[]): number[] {
  if (spec.firstKey <= 0 && !spec.getKeys) return [];
  if (spec.getKeys) return spec.getKeys(argv);
  const last = spec.lastKey < 0 ? argv.length + spec.lastKey : spec.lastKey;
  const out: number[] = [];
  for (let i = spec.firstKey; i <= last && i < argv.length; i += Math.max(1, spec.keyStep)) out.push(i);
  return out;
}

/** getKeysFromCommandWithSpecs, with each key's access. */
export function keyRefs(spec: CommandSpec, fullname: string, argv: readonly string[]): KeyRef[] {
  if (NOT_KEYS.has(fullname)) return [];
  const pos = keyPositions(spec, argv);
  if (pos.length === 0) return [];
  const fallback: Access = spec.flags.includes('write') ? 'RW' : spec.flags.includes('readonly') ? 'R' : '';
  const variable = variableAccess(fullname, argv);
  const [first, rest] = variable ? [variable, variable] : ACCESS[fullname] ?? [fallback, fallback];
  return pos.map((p, i) => {
    const a = i === 0 ? first : rest;
    return { pos: p, read: a.includes('R'), write: a.includes('W') };
  });
}

/** getChannelsFromCommand (commands_with_channels). */
export function channelRefs(fullname: string, argv: readonly string[]): ChannelRef[] {
  let start = 1;
  let count = -1;
  let pattern = false;
  let checked = true;
  switch (fullname) {
    case 'subscribe':
    case 'ssubscribe':
      break;
    case 'unsubscribe':
    case 'sunsubscribe':
      checked = false;
      break;
    case 'psubscribe':
      pattern = true;
      break;
    case 'punsubscribe':
      pattern = true;
      checked = false;
      break;
    case 'publish':
    case 'spublish':
      count = 1;
      break;
    default:
      return [];
  }
  const stop = count === -1 ? argv.length : Math.min(argv.length, start + count);
  const out: ChannelRef[] = [];
  for (let i = start; i < stop; i++) out.push({ pos: i, pattern, checked });
  return out;
}
