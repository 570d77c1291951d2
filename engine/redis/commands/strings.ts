// String commands (t_string.c, Redis 7.0.15): GET/SET family, counters, ranges, LCS.
import { NOTIFY_GENERIC, NOTIFY_STRING, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import { bulk, err, int, NIL, OK, ONE, ZERO, type Resp } from '../../net/resp.ts';
import { markPlainString, markRawString } from '../keyspace/memory.ts';
import type { RedisValue } from '../keyspace/values.ts';
import { specBuilder, type CommandContext, type CommandFlag, type CommandSpec } from './context.ts';
import {
  ERR_NOT_FLOAT,
  ERR_NOT_INT,
  ERR_OVERFLOW,
  ERR_SYNTAX,
  ERR_WRONGTYPE,
  LLONG_MAX,
  LLONG_MIN,
  formatLongDouble,
  ldAdd,
  parseInt64,
  parseLongDouble,
} from './util.ts';

/** proto-max-bulk-len default: the largest string a client may build. */
export const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;
/** V8 cannot hold strings this long; larger results are refused with the same error. */
const JS_MAX_STRING = 0x1fffffe8;

const str = (v: string): RedisValue & { type: 'string' } => ({ type: 'string', v });
const intReply = (v: bigint): Resp => int(v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v);

export const expireTimeError = (cmd: string): Resp => err(`ERR invalid expire time in '${cmd}' command`);

/** checkStringLength: masters' streams and AOF bypass the limit (mustObeyClient). */
function stringTooLong(ctx: CommandContext, size: number, append: number): Resp | null {
  const total = size + append;
  if (total > JS_MAX_STRING || (!ctx.fromMaster && total > PROTO_MAX_BULK_LEN))
    return err('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  return null;
}

/** True when this server is a replica (expired keys are not deleted, expire-in-the-past not turned into DEL). */
export function isReplicaContext(ctx: CommandContext): boolean {
  const h = ctx.ks.hooks;
  return h.expiredLooksAbsentOnly() || h.applyingMasterStream();
}

// ---------------------------------------------------------------- GET / SET

/** getGenericCommand: the reply for GET, or the WRONGTYPE error (checked with `'t' in` + error). */
function getGeneric(ctx: CommandContext, key: string): Resp {
  const o = ctx.db.lookupRead(key);
  if (!o) return NIL;
  if (o.type !== 'string') return err(ERR_WRONGTYPE);
  return bulk(o.v);
}

const F_NX = 1 << 0;
const F_XX = 1 << 1;
const F_EX = 1 << 2;
const F_PX = 1 << 3;
const F_KEEPTTL = 1 << 4;
const F_GET = 1 << 5;
const F_EXAT = 1 << 6;
const F_PXAT = 1 << 7;
const F_PERSIST = 1 << 8;

interface ExtArgs {
  flags: number;
  /** The EX/PX/EXAT/PXAT argument. */
  expire: string | null;
  /** true for PX/PXAT. */
  ms: boolean;
}

/** What a command without options parses to (shared, read-only). */
const NO_OPTIONS: Readonly<ExtArgs> = Object.freeze({ flags: 0, expire: null, ms: false });

/** parseExtendedStringArgumentsOrReply: the exact acceptance rules of SET (set=true) and GETEX. */
function parseExtended(argv: readonly string[], set: boolean): ExtArgs | Resp {
  if (argv.length === (set ? 3 : 2)) return NO_OPTIONS; // plain SET key value / GETEX key
  let flags = 0;
  let expire: string | null = null;
  let ms = false;
  for (let j = set ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const hasNext = j < argv.length - 1;
    const noExp = (except: number): boolean => (flags & (F_EX | F_PX | F_EXAT | F_PXAT) & ~except) === 0;
    if (opt === 'nx' && !(flags & F_XX) && set) flags |= F_NX;
    else if (opt === 'xx' && !(flags & F_NX) && set) flags |= F_XX;
    else if (opt === 'get' && set) flags |= F_GET;
    else if (opt === 'keepttl' && !(flags & F_PERSIST) && noExp(0) && set) flags |= F_KEEPTTL;
    else if (opt === 'persist' && !set && noExp(0) && !(flags & F_KEEPTTL)) flags |= F_PERSIST;
    else if ((opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat') && hasNext) {
      const bit = opt === 'ex' ? F_EX : opt === 'px' ? F_PX : opt === 'exat' ? F_EXAT : F_PXAT;
      // The same option may repeat (last one wins); any other expire option, KEEPTTL or PERSIST conflicts.
      if (flags & (F_KEEPTTL | F_PERSIST) || !noExp(bit)) return err(ERR_SYNTAX);
      flags |= bit;
      ms = bit === F_PX || bit === F_PXAT;
      expire = argv[++j]!;
    } else return err(ERR_SYNTAX);
  }
  return { flags, expire, ms };
}

/** getExpireMillisecondsOrReply: absolute unix ms, or the error reply. */
function expireMs(ctx: CommandContext, arg: string, flags: number, ms: boolean, cmd: string): bigint | Resp {
  const v = parseInt64(arg);
  if (v === null) return err(ERR_NOT_INT);
  if (v <= 0n || (!ms && v > LLONG_MAX / 1000n)) return expireTimeError(cmd);
  let when = ms ? v : v * 1000n;
  if (flags & (F_EX | F_PX)) when += BigInt(ctx.now());
  if (when <= 0n || when > LLONG_MAX) return expireTimeError(cmd);
  return when; // an int64, exact (2^63-1 ms does not fit a double)
}

/**
 * setGenericCommand. okReply/abortReply: what SETNX & co answer; with GET the reply is the old value.
 * Propagation: with an expire, `SET key value PXAT <abs-ms>`; with GET (no expire), the argv without GET.
 */
function setGeneric(
  ctx: CommandContext,
  flags: number,
  key: string,
  val: string,
  expire: string | null,
  ms: boolean,
  okReply: Resp,
  abortReply: Resp,
): Resp {
  let when = 0n;
  if (expire !== null) {
    const w = expireMs(ctx, expire, flags, ms, ctx.argv[0]!.toLowerCase());
    if (typeof w !== 'bigint') return w;
    when = w;
  }
  let getReply: Resp | null = null;
  if (flags & F_GET) {
    getReply = getGeneric(ctx, key);
    if (getReply.t === 'error') return getReply;
  }
  const found = ctx.db.lookupWrite(key) !== undefined;
  if ((flags & F_NX && found) || (flags & F_XX && !found)) return getReply ?? abortReply;
  ctx.db.set(key, str(val), (flags & F_KEEPTTL) !== 0);
  ctx.touch(key);
  ctx.dirty();
  notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'set', key);
  if (expire !== null) {
    ctx.db.setExpire(key, when);
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'expire', key);
    ctx.propagate(['SET', key, val, 'PXAT', String(when)]);
  } else if (flags & F_GET) {
    ctx.propagate(ctx.argv.filter((a, j) => j < 3 || a.toLowerCase() !== 'get'));
  }
  return getReply ?? okReply;
}

function setCommand(ctx: CommandContext): Resp {
  const p = parseExtended(ctx.argv, true);
  if ('t' in p) return p;
  return setGeneric(ctx, p.flags, ctx.argv[1]!, ctx.argv[2]!, p.expire, p.ms, OK, NIL);
}

const setnx = (ctx: CommandContext): Resp => setGeneric(ctx, F_NX, ctx.argv[1]!, ctx.argv[2]!, null, false, ONE, ZERO);
const setex = (ctx: CommandContext): Resp => setGeneric(ctx, F_EX, ctx.argv[1]!, ctx.argv[3]!, ctx.argv[2]!, false, OK, NIL);
const psetex = (ctx: CommandContext): Resp => setGeneric(ctx, F_PX, ctx.argv[1]!, ctx.argv[3]!, ctx.argv[2]!, true, OK, NIL);

const getCommand = (ctx: CommandContext): Resp => getGeneric(ctx, ctx.argv[1]!);

/** GETEX: never propagated as is: PEXPIREAT, DEL (absolute time already past) or PERSIST. */
function getex(ctx: CommandContext): Resp {
  const p = parseExtended(ctx.argv, false);
  if ('t' in p) return p;
  const key = ctx.argv[1]!;
  const o = ctx.db.lookupRead(key);
  if (!o) return NIL;
  if (o.type !== 'string') return err(ERR_WRONGTYPE);
  let when = 0n;
  if (p.expire !== null) {
    const w = expireMs(ctx, p.expire, p.flags, p.ms, 'getex');
    if (typeof w !== 'bigint') return w;
    when = w;
  }
  const reply = bulk(o.v);
  if (p.flags & (F_EXAT | F_PXAT) && when <= BigInt(ctx.now()) && !ctx.fromMaster && !isReplicaContext(ctx)) {
    ctx.db.remove(key);
    ctx.propagate(['DEL', key]);
    ctx.touch(key);
    ctx.dirty();
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', key);
  } else if (p.expire !== null) {
    ctx.db.setExpire(key, when);
    ctx.propagate(['PEXPIREAT', key, String(when)]);
    ctx.touch(key);
    ctx.dirty();
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'expire', key);
  } else if (p.flags & F_PERSIST) {
    if (ctx.db.persist(key)) {
      notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'persist', key);
      ctx.touch(key);
      ctx.propagate(['PERSIST', key]);
      ctx.dirty();
    }
  }
  return reply;
}

function getdel(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  const r = getGeneric(ctx, key);
  if (r.t === 'error') return r;
  if (ctx.db.remove(key)) {
    ctx.propagate(['DEL', key]);
    ctx.touch(key);
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', key);
    ctx.dirty();
  }
  return r;
}

/** GETSET: propagated as SET (clears the TTL). */
function getset(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  const r = getGeneric(ctx, key);
  if (r.t === 'error') return r;
  ctx.db.set(key, str(ctx.argv[2]!));
  ctx.touch(key);
  notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'set', key);
  ctx.dirty();
  ctx.propagate(['SET', key, ctx.argv[2]!]);
  return r;
}

function mget(ctx: CommandContext): Resp {
  const out: Resp[] = [];
  for (let j = 1; j < ctx.argv.length; j++) {
    const o = ctx.db.lookupRead(ctx.argv[j]!);
    out.push(o && o.type === 'string' ? bulk(o.v) : NIL);
  }
  return { t: 'array', v: out };
}

function msetGeneric(ctx: CommandContext, nx: boolean): Resp {
  const argv = ctx.argv;
  if (argv.length % 2 === 0) return err(`ERR wrong number of arguments for '${argv[0]!.toLowerCase()}' command`);
  if (nx) for (let j = 1; j < argv.length; j += 2) if (ctx.db.lookupWrite(argv[j]!) !== undefined) return ZERO;
  for (let j = 1; j < argv.length; j += 2) {
    ctx.db.set(argv[j]!, str(argv[j + 1]!));
    ctx.touch(argv[j]!);
    notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'set', argv[j]!);
  }
  ctx.dirty((argv.length - 1) / 2);
  return nx ? ONE : OK;
}

// ---------------------------------------------------------------- counters

/** incrDecrCommand: 64-bit exact, keeps the TTL (dbOverwrite). */
function incrDecr(ctx: CommandContext, incr: bigint): Resp {
  const key = ctx.argv[1]!;
  const o = ctx.db.lookupWrite(key);
  if (o && o.type !== 'string') return err(ERR_WRONGTYPE);
  const value = o ? parseInt64(o.v) : 0n;
  if (value === null) return err(ERR_NOT_INT);
  const next = value + incr;
  if (next > LLONG_MAX || next < LLONG_MIN) return err(ERR_OVERFLOW);
  ctx.db.set(key, str(next.toString()), o !== undefined);
  ctx.touch(key);
  notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'incrby', key);
  ctx.dirty();
  return intReply(next);
}

function incrbyArg(ctx: CommandContext): bigint | Resp {
  const v = parseInt64(ctx.argv[2]!);
  return v === null ? err(ERR_NOT_INT) : v;
}

const incr = (ctx: CommandContext): Resp => incrDecr(ctx, 1n);
const decr = (ctx: CommandContext): Resp => incrDecr(ctx, -1n);

function incrby(ctx: CommandContext): Resp {
  const v = incrbyArg(ctx);
  return typeof v === 'bigint' ? incrDecr(ctx, v) : v;
}

function decrby(ctx: CommandContext): Resp {
  const v = incrbyArg(ctx);
  if (typeof v !== 'bigint') return v;
  if (v === LLONG_MIN) return err('ERR decrement would overflow');
  return incrDecr(ctx, -v);
}

/** INCRBYFLOAT: long double arithmetic, "%.17Lf" trimmed; always propagated as SET key value KEEPTTL. */
function incrbyfloat(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  const o = ctx.db.lookupWrite(key);
  if (o && o.type !== 'string') return err(ERR_WRONGTYPE);
  const cur = o ? parseLongDouble(o.v) : { neg: false, m: 0n, e: 0 };
  if (cur === null) return err(ERR_NOT_FLOAT);
  const inc = parseLongDouble(ctx.argv[2]!);
  if (inc === null) return err(ERR_NOT_FLOAT);
  const sum = ldAdd(cur, inc);
  if ('inf' in sum) return err('ERR increment would produce NaN or Infinity');
  const text = formatLongDouble(sum);
  const v = str(text);
  markPlainString(v);
  ctx.db.set(key, v, o !== undefined);
  ctx.touch(key);
  notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'incrbyfloat', key);
  ctx.dirty();
  ctx.propagate(['SET', key, text, 'KEEPTTL']);
  return bulk(text);
}

// ---------------------------------------------------------------- ranges

function append(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  const add = ctx.argv[2]!;
  const o = ctx.db.lookupWrite(key);
  let total: number;
  if (!o) {
    ctx.db.set(key, str(add));
    total = add.length;
  } else {
    if (o.type !== 'string') return err(ERR_WRONGTYPE);
    const tooLong = stringTooLong(ctx, o.v.length, add.length);
    if (tooLong) return tooLong;
    const v = str(o.v + add);
    markRawString(v);
    ctx.db.set(key, v, true);
    total = v.v.length;
  }
  ctx.touch(key);
  notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'append', key);
  ctx.dirty();
  return int(total);
}

function strlen(ctx: CommandContext): Resp {
  const o = ctx.db.lookupRead(ctx.argv[1]!);
  if (!o) return ZERO;
  if (o.type !== 'string') return err(ERR_WRONGTYPE);
  return int(o.v.length);
}

function setrange(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  const value = ctx.argv[3]!;
  const off = parseInt64(ctx.argv[2]!);
  if (off === null) return err(ERR_NOT_INT);
  if (off < 0n) return err('ERR offset is out of range');
  const o = ctx.db.lookupWrite(key);
  let old = '';
  if (!o) {
    if (value.length === 0) return ZERO;
    const tooLong = stringTooLong(ctx, Number(off), value.length);
    if (tooLong) return tooLong;
  } else {
    if (o.type !== 'string') return err(ERR_WRONGTYPE);
    old = o.v;
    if (value.length === 0) return int(old.length);
    const tooLong = stringTooLong(ctx, Number(off), value.length);
    if (tooLong) return tooLong;
  }
  const offset = Number(off);
  const padded = old.length < offset ? old + '\0'.repeat(offset - old.length) : old;
  const v = str(padded.slice(0, offset) + value + padded.slice(offset + value.length));
  markRawString(v);
  ctx.db.set(key, v, o !== undefined);
  ctx.touch(key);
  notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'setrange', key);
  ctx.dirty();
  return int(v.v.length);
}

/** GETRANGE / SUBSTR: indexes parsed first, then the key; a missing key is "". */
function getrange(ctx: CommandContext): Resp {
  let start = parseInt64(ctx.argv[2]!);
  if (start === null) return err(ERR_NOT_INT);
  let end = parseInt64(ctx.argv[3]!);
  if (end === null) return err(ERR_NOT_INT);
  const o = ctx.db.lookupRead(ctx.argv[1]!);
  if (!o) return bulk('');
  if (o.type !== 'string') return err(ERR_WRONGTYPE);
  const s = o.v;
  const len = BigInt(s.length);
  if (start < 0n && end < 0n && start > end) return bulk('');
  if (start < 0n) start += len;
  if (end < 0n) end += len;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= len) end = len - 1n;
  if (start > end || len === 0n) return bulk('');
  return bulk(s.slice(Number(start), Number(end) + 1));
}

// ---------------------------------------------------------------- LCS

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: the dynamic programming table of lcsCommand. */
function lcsCommand(ctx: CommandContext): Resp {
  const oa = ctx.db.lookupRead(ctx.argv[1]!);
  const ob = ctx.db.lookupRead(ctx.argv[2]!);
  if ((oa && oa.type !== 'string') || (ob && ob.type !== 'string'))
    return err('ERR The specified keys must contain string values');
  const a = oa ? (oa.v as string) : '';
  const b = ob ? (ob.v as string) : '';
  let getlen = false;
  let getidx = false;
  let withmatchlen = false;
  let minmatchlen = 0n;
  for (let j = 3; j < ctx.argv.length; j++) {
    const opt = ctx.argv[j]!.toLowerCase();
    const more = ctx.argv.length - 1 - j;
    if (opt === 'idx') getidx = true;
    else if (opt === 'len') getlen = true;
    else if (opt === 'withmatchlen') withmatchlen = true;
    else if (opt === 'minmatchlen' && more > 0) {
      const v = parseInt64(ctx.argv[j + 1]!);
      if (v === null) return err(ERR_NOT_INT);
      minmatchlen = v < 0n ? 0n : v;
      j++;
    } else return err(ERR_SYNTAX);
  }
  if (getlen && getidx) return err('ERR If you want both the length and indexes, please just use IDX.');
  const alen = a.length;
  const blen = b.length;
  if ((alen + 1) * (blen + 1) * 4 > PROTO_MAX_BULK_LEN)
    return err('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  const w = blen + 1;
  const t = new Uint32Array((alen + 1) * w);
  for (let i = 1; i <= alen; i++)
    for (let j = 1; j <= blen; j++)
      t[i * w + j] = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? t[(i - 1) * w + j - 1]! + 1 : Math.max(t[(i - 1) * w + j]!, t[i * w + j - 1]!);
  const total = t[alen * w + blen]!;
  if (getlen && !getidx) return int(total);
  // Walk back from the end, collecting the LCS and the matching ranges (latest first).
  const out: string[] = new Array<string>(total);
  let idx = total;
  const matches: Resp[] = [];
  let aStart = alen;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      out[idx - 1] = a[i - 1]!;
      if (aStart === alen) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else emit = true;
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (t[(i - 1) * w + j]! > t[i * w + j - 1]!) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    const matchLen = aEnd - aStart + 1;
    if (emit) {
      if (getidx && (minmatchlen === 0n || BigInt(matchLen) >= minmatchlen)) {
        const m: Resp[] = [
          { t: 'array', v: [int(aStart), int(aEnd)] },
          { t: 'array', v: [int(bStart), int(bEnd)] },
        ];
        if (withmatchlen) m.push(int(matchLen));
        matches.push({ t: 'array', v: m });
      }
      aStart = alen;
    }
  }
  if (getidx) return { t: 'array', v: [bulk('matches'), { t: 'array', v: matches }, bulk('len'), int(total)] };
  return bulk(out.join(''));
}

// ---------------------------------------------------------------- table

const W: CommandFlag[] = ['write', 'denyoom'];
const WF: CommandFlag[] = ['write', 'denyoom', 'fast'];

const spec = specBuilder('string');

const K1: [number, number, number] = [1, 1, 1];

export const stringsCommands: CommandSpec[] = [
  spec('get', 2, ['readonly', 'fast'], K1, '1.0.0', 'Get the value of a key', getCommand),
  spec('set', -3, W, K1, '1.0.0', 'Set the string value of a key', setCommand),
  spec('getex', -2, ['write', 'fast'], K1, '6.2.0', 'Get the value of a key and optionally set its expiration', getex),
  spec('getdel', 2, ['write', 'fast'], K1, '6.2.0', 'Get the value of a key and delete the key', getdel),
  spec('getset', 3, WF, K1, '1.0.0', 'Set the string value of a key and return its old value', getset),
  spec('setnx', 3, WF, K1, '1.0.0', 'Set the value of a key, only if the key does not exist', setnx),
  spec('setex', 4, W, K1, '2.0.0', 'Set the value and expiration of a key', setex),
  spec('psetex', 4, W, K1, '2.6.0', 'Set the value and expiration in milliseconds of a key', psetex),
  spec('mset', -3, W, [1, -1, 2], '1.0.1', 'Set multiple keys to multiple values', (ctx) => msetGeneric(ctx, false)),
  spec('msetnx', -3, W, [1, -1, 2], '1.0.1', 'Set multiple keys to multiple values, only if none of the keys exist', (ctx) =>
    msetGeneric(ctx, true),
  ),
  spec('mget', -2, ['readonly', 'fast'], [1, -1, 1], '1.0.0', 'Get the values of all the given keys', mget),
  spec('incr', 2, WF, K1, '1.0.0', 'Increment the integer value of a key by one', incr),
  spec('decr', 2, WF, K1, '1.0.0', 'Decrement the integer value of a key by one', decr),
  spec('incrby', 3, WF, K1, '1.0.0', 'Increment the integer value of a key by the given amount', incrby),
  spec('decrby', 3, WF, K1, '1.0.0', 'Decrement the integer value of a key by the given number', decrby),
  spec('incrbyfloat', 3, WF, K1, '2.6.0', 'Increment the float value of a key by the given amount', incrbyfloat),
  spec('append', 3, WF, K1, '2.0.0', 'Append a value to a key', append),
  spec('getrange', 4, ['readonly'], K1, '2.4.0', 'Get a substring of the string stored at a key', getrange),
  spec('substr', 4, ['readonly'], K1, '1.0.0', 'Get a substring of the string stored at a key', getrange),
  spec('setrange', 4, W, K1, '2.2.0', 'Overwrite part of a string at key starting at the specified offset', setrange),
  spec('strlen', 2, ['readonly', 'fast'], K1, '2.2.0', 'Get the length of the value stored in a key', strlen),
  spec('lcs', -3, ['readonly'], [1, 2, 1], '7.0.0', 'Find longest common substring', lcsCommand),
];
