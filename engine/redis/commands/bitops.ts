// Bitmap commands (bitops.c of Redis 7.0.15): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP; BITFIELD is in
// bitops-field.ts. Strings are byte strings (one JS char per byte); bit 0 is the MSB of byte 0.
import { ONE, ZERO, err, int, type Resp } from '../../net/resp.ts';
import { markRawString } from '../keyspace/memory.ts';
import { NOTIFY_GENERIC, NOTIFY_STRING, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import type { RedisValue } from '../keyspace/values.ts';
import type { CommandContext } from './context.ts';
import { ERR_NOT_INT, ERR_SYNTAX, ERR_WRONGTYPE, parseInt64 } from './util.ts';

export const WRONGTYPE = err(ERR_WRONGTYPE);
const SYNTAX = err(ERR_SYNTAX);
const ERR_BIT_OFFSET = 'ERR bit offset is not an integer or out of range';

/** The server's proto-max-bulk-len (512 MB without a server). */
export function protoMaxBulkLen(ctx: CommandContext): number {
  const s = (ctx as { server?: { conf?: { get?: (k: string) => string | undefined } } }).server;
  const v = s?.conf?.get?.('proto-max-bulk-len');
  return v ? Number(v) : 512 * 1024 * 1024;
}

/** An int64 as a reply (bigint beyond 2^53). */
export const int64Reply = (v: bigint): Resp => int(v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v);

/**
 * getBitOffsetFromArgument: a bit offset in [0, proto-max-bulk-len·8); with `hash` and bits > 0 the
 * "#n" form means n·bits. Masters and AOF bypass the limit (mustObeyClient).
 */
export function bitOffset(ctx: CommandContext, arg: string, hash: boolean, bits: number): number | Resp {
  const useHash = hash && bits > 0 && arg[0] === '#';
  let v = parseInt64(useHash ? arg.slice(1) : arg);
  if (v === null) return err(ERR_BIT_OFFSET);
  if (useHash) v = BigInt.asIntN(64, v * BigInt(bits));
  if (v < 0n || (!ctx.fromMaster && v >> 3n >= BigInt(protoMaxBulkLen(ctx)))) return err(ERR_BIT_OFFSET);
  return Number(v);
}

/**
 * lookupStringForBitCommand: the string grown with zero bytes so bit `maxbit` exists (created when
 * absent). Returns the bytes and whether the length changed (dirty), or WRONGTYPE.
 */
export function stringForBitWrite(ctx: CommandContext, key: string, maxbit: number): { bytes: Uint8Array; dirty: boolean } | Resp {
  const o = ctx.db.lookupWrite(key);
  if (o && o.type !== 'string') return WRONGTYPE;
  const need = Math.floor(maxbit / 8) + 1;
  const old = o ? o.v : '';
  const bytes = toBytes(old, Math.max(need, old.length));
  return { bytes, dirty: !o || old.length < need };
}

/** Store bytes as the key's raw string (the TTL is kept when the key existed). */
export function storeBytes(ctx: CommandContext, key: string, bytes: Uint8Array, existed: boolean): void {
  const v: RedisValue = { type: 'string', v: fromBytes(bytes) };
  markRawString(v);
  ctx.db.set(key, v, existed);
}

export function toBytes(s: string, size = s.length): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

export function fromBytes(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 8192) out += String.fromCharCode(...b.subarray(i, i + 8192));
  return out;
}

// ---------------------------------------------------------------- SETBIT / GETBIT

export function setbit(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  const off = bitOffset(ctx, ctx.argv[2]!, false, 0);
  if (typeof off !== 'number') return off;
  const on = parseInt64(ctx.argv[3]!);
  if (on === null || (on & ~1n) !== 0n) return err('ERR bit is not an integer or out of range');
  const existed = ctx.db.lookupWrite(key) !== undefined;
  const r = stringForBitWrite(ctx, key, off);
  if (!('bytes' in r)) return r;
  const byte = Math.floor(off / 8);
  const mask = 1 << (7 - (off % 8));
  const old = (r.bytes[byte]! & mask) !== 0;
  if (r.dirty || old !== (on === 1n)) {
    if (on === 1n) r.bytes[byte]! |= mask;
    else r.bytes[byte]! &= ~mask;
    storeBytes(ctx, key, r.bytes, existed);
    ctx.touch(key);
    notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'setbit', key);
    ctx.dirty();
  } else storeBytes(ctx, key, r.bytes, existed); // dbUnshareStringValue: the value becomes raw
  return old ? ONE : ZERO;
}

export function getbit(ctx: CommandContext): Resp {
  const off = bitOffset(ctx, ctx.argv[2]!, false, 0);
  if (typeof off !== 'number') return off;
  const o = ctx.db.lookupRead(ctx.argv[1]!);
  if (!o) return ZERO;
  if (o.type !== 'string') return WRONGTYPE;
  const byte = Math.floor(off / 8);
  if (byte >= o.v.length) return ZERO;
  return o.v.charCodeAt(byte) & (1 << (7 - (off % 8))) ? ONE : ZERO;
}

// ---------------------------------------------------------------- BITCOUNT / BITPOS

const POP = new Uint8Array(256).map((_, i) => {
  let n = 0;
  for (let x = i; x; x >>= 1) n += x & 1;
  return n;
});

function popcount(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i <= end; i++) n += POP[s.charCodeAt(i)]!;
  return n;
}

/** Start/end (+ BIT|BYTE) normalisation shared by BITCOUNT and BITPOS; null = syntax error. */
function bitUnit(arg: string | undefined): boolean | null {
  if (arg === undefined) return false;
  const u = arg.toLowerCase();
  return u === 'bit' ? true : u === 'byte' ? false : null;
}

/**
 * BITCOUNT / BITPOS range (bitcountCommand, bitposCommand): negative indexes count from the end, then
 * clamped to the value; in BIT units the bounds become bytes plus masks of the first and last bytes' bits
 * outside the range.
 */
function bitRange(start: bigint, end: bigint, bytes: bigint, isbit: boolean): { start: bigint; end: bigint; firstMask: number; lastMask: number } {
  const totlen = isbit ? bytes << 3n : bytes;
  if (start < 0n) start += totlen;
  if (end < 0n) end += totlen;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= totlen) end = totlen - 1n;
  if (!isbit || start > end) return { start, end, firstMask: 0, lastMask: 0 };
  return {
    start: start >> 3n,
    end: end >> 3n,
    firstMask: ~((1 << (8 - Number(start & 7n))) - 1) & 0xff,
    lastMask: (1 << (7 - Number(end & 7n))) - 1,
  };
}

export function bitcount(ctx: CommandContext): Resp {
  const { argv } = ctx;
  const o = ctx.db.lookupRead(argv[1]!);
  if (!o) return ZERO;
  if (o.type !== 'string') return WRONGTYPE;
  const s = o.v;
  let start: bigint;
  let end: bigint;
  let firstMask = 0;
  let lastMask = 0;
  if (argv.length === 4 || argv.length === 5) {
    const totlen = BigInt(s.length);
    const a = parseInt64(argv[2]!);
    if (a === null) return err(ERR_NOT_INT);
    const b = parseInt64(argv[3]!);
    if (b === null) return err(ERR_NOT_INT);
    start = a;
    end = b;
    if (start < 0n && end < 0n && start > end) return ZERO;
    const isbit = bitUnit(argv[4]);
    if (isbit === null) return SYNTAX;
    ({ start, end, firstMask, lastMask } = bitRange(start, end, totlen, isbit));
  } else if (argv.length === 2) {
    start = 0n;
    end = BigInt(s.length) - 1n;
  } else return SYNTAX;
  if (start > end) return ZERO;
  const st = Number(start);
  const en = Number(end);
  let count = popcount(s, st, en);
  if (firstMask) count -= POP[s.charCodeAt(st) & firstMask]!;
  if (lastMask) count -= POP[s.charCodeAt(en) & lastMask]!;
  return int(count);
}

/** redisBitpos over bytes[from, from+count): first bit equal to `bit`; -1 when no 1 is found; for 0 the right is zero-padded. */
function bitposBytes(get: (i: number) => number, from: number, count: number, bit: number): number {
  const skip = bit ? 0 : 0xff;
  for (let i = 0; i < count; i++) {
    const c = get(from + i);
    if (c === skip) continue;
    for (let k = 0; k < 8; k++) if (((c >> (7 - k)) & 1) === bit) return i * 8 + k;
  }
  return bit ? -1 : count * 8;
}

export function bitpos(ctx: CommandContext): Resp {
  const { argv } = ctx;
  const bitArg = parseInt64(argv[2]!);
  if (bitArg === null) return err(ERR_NOT_INT);
  if (bitArg !== 0n && bitArg !== 1n) return err('ERR The bit argument must be 1 or 0.');
  const bit = Number(bitArg);
  const o = ctx.db.lookupRead(argv[1]!);
  if (!o) return int(bit ? -1 : 0);
  if (o.type !== 'string') return WRONGTYPE;
  const s = o.v;
  let start: bigint;
  let end: bigint;
  let endGiven = false;
  let firstMask = 0;
  let lastMask = 0;
  if (argv.length >= 4 && argv.length <= 6) {
    const totlen = BigInt(s.length);
    const a = parseInt64(argv[3]!);
    if (a === null) return err(ERR_NOT_INT);
    start = a;
    const isbit = argv.length === 6 ? bitUnit(argv[5]) : false;
    if (isbit === null) return SYNTAX;
    if (argv.length >= 5) {
      const b = parseInt64(argv[4]!);
      if (b === null) return err(ERR_NOT_INT);
      end = b;
      endGiven = true;
    } else end = isbit ? (totlen << 3n) + 7n : totlen - 1n;
    ({ start, end, firstMask, lastMask } = bitRange(start, end, totlen, isbit));
  } else if (argv.length === 3) {
    start = 0n;
    end = BigInt(s.length) - 1n;
  } else return SYNTAX;
  if (start > end) return int(-1);
  let st = Number(start);
  const en = Number(end);
  let bytes = en - st + 1;
  const at = (i: number): number => s.charCodeAt(i);
  let pos: number;
  // bitposCommand: a masked first byte, the whole bytes between, a masked last byte
  done: {
    if (firstMask) {
      let tmp = bit ? at(st) & ~firstMask & 0xff : (at(st) | firstMask) & 0xff;
      if (lastMask && bytes === 1) tmp = bit ? tmp & ~lastMask & 0xff : (tmp | lastMask) & 0xff;
      pos = bitposBytes(() => tmp, 0, 1, bit);
      if (bytes === 1 || (pos !== -1 && pos !== 8)) break done;
      st++;
      bytes--;
    }
    const cur = bytes - (lastMask ? 1 : 0);
    if (cur > 0) {
      pos = bitposBytes(at, st, cur, bit);
      if (bytes === cur || (pos !== -1 && pos !== cur * 8)) break done;
      st += cur;
      bytes -= cur;
    }
    const tmp = bit ? at(en) & ~lastMask & 0xff : (at(en) | lastMask) & 0xff;
    pos = bitposBytes(() => tmp, 0, 1, bit);
  }
  if (endGiven && bit === 0 && pos === bytes * 8) return int(-1);
  if (pos !== -1) pos += st * 8;
  return int(pos);
}

// ---------------------------------------------------------------- BITOP

export function bitop(ctx: CommandContext): Resp {
  const { argv } = ctx;
  const op = argv[1]!.toLowerCase();
  if (op !== 'and' && op !== 'or' && op !== 'xor' && op !== 'not') return SYNTAX;
  if (op === 'not' && argv.length !== 4) return err('ERR BITOP NOT must be called with a single source key.');
  const target = argv[2]!;
  const srcs: string[] = [];
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const o = ctx.db.lookupRead(argv[j]!);
    if (!o) {
      srcs.push('');
      continue;
    }
    if (o.type !== 'string') return WRONGTYPE;
    srcs.push(o.v);
    if (o.v.length > maxlen) maxlen = o.v.length;
  }
  if (maxlen) {
    const res = new Uint8Array(maxlen);
    const first = srcs[0]!;
    for (let i = 0; i < maxlen; i++) {
      let out = i < first.length ? first.charCodeAt(i) : 0;
      if (op === 'not') out = ~out & 0xff;
      for (let k = 1; k < srcs.length; k++) {
        const s = srcs[k]!;
        const b = i < s.length ? s.charCodeAt(i) : 0;
        out = op === 'and' ? out & b : op === 'or' ? out | b : out ^ b;
      }
      res[i] = out;
    }
    ctx.db.lookupWrite(target); // setKey: an expired target is deleted first
    storeBytes(ctx, target, res, false);
    ctx.touch(target);
    notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'set', target);
    ctx.dirty();
  } else if (ctx.db.remove(target)) {
    ctx.touch(target);
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', target);
    ctx.dirty();
  }
  return int(maxlen);
}
