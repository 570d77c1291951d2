// BITFIELD / BITFIELD_RO (bitops.c bitfieldGeneric of Redis 7.0.15): signed/unsigned integers of 1..64
// (u63 max) bits at any bit offset, OVERFLOW WRAP / SAT / FAIL. uint64/int64 C arithmetic via BigInt.
import { NIL, err, type Resp } from '../../net/resp.ts';
import { NOTIFY_STRING, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import type { CommandContext } from './context.ts';
import { WRONGTYPE, bitOffset, int64Reply, storeBytes, stringForBitWrite, toBytes } from './bitops.ts';
import { ERR_NOT_INT, ERR_SYNTAX, parseInt64 } from './util.ts';

const GET = 0;
const SET = 1;
const INCRBY = 2;
const WRAP = 0;
const SAT = 1;
const FAIL = 2;

interface Op {
  offset: number;
  i64: bigint;
  opcode: number;
  owtype: number;
  bits: number;
  sign: boolean;
}

const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const i64 = (x: bigint): bigint => BigInt.asIntN(64, x);

function getUnsigned(p: Uint8Array, offset: number, bits: number): bigint {
  let v = 0n;
  for (let j = 0; j < bits; j++, offset++) {
    const b = p[Math.floor(offset / 8)] ?? 0;
    v = (v << 1n) | BigInt((b >> (7 - (offset % 8))) & 1);
  }
  return v;
}

function getSigned(p: Uint8Array, offset: number, bits: number): bigint {
  const u = getUnsigned(p, offset, bits);
  return bits < 64 && u & (1n << BigInt(bits - 1)) ? i64(u | u64(-1n << BigInt(bits))) : i64(u);
}

function setUnsigned(p: Uint8Array, offset: number, bits: number, value: bigint): void {
  const v = u64(value);
  for (let j = 0; j < bits; j++, offset++) {
    const bit = (v >> BigInt(bits - 1 - j)) & 1n;
    const byte = Math.floor(offset / 8);
    const sh = 7 - (offset % 8);
    p[byte] = (p[byte]! & ~(1 << sh)) | (Number(bit) << sh);
  }
}

/** checkUnsignedBitfieldOverflow: 0, 1 (overflow) or -1 (underflow), with the WRAP/SAT result. */
function checkUnsigned(value: bigint, incr: bigint, bits: number, owtype: number): [number, bigint | null] {
  const max = bits === 64 ? u64(-1n) : (1n << BigInt(bits)) - 1n;
  const maxincr = i64(max - value);
  const minincr = i64(-value);
  const wrap = (): bigint => u64(value + incr) & ~u64(-1n << BigInt(bits)) & u64(-1n);
  if (value > max || (incr > 0n && incr > maxincr)) {
    return [1, owtype === WRAP ? wrap() : owtype === SAT ? max : null];
  } else if (incr < 0n && incr < minincr) {
    return [-1, owtype === WRAP ? wrap() : owtype === SAT ? 0n : null];
  }
  return [0, null];
}

/** checkSignedBitfieldOverflow. */
function checkSigned(value: bigint, incr: bigint, bits: number, owtype: number): [number, bigint | null] {
  const max = bits === 64 ? (1n << 63n) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxincr = i64(max - value);
  const minincr = i64(min - value);
  const wrap = (): bigint => {
    let c = u64(value + incr);
    if (bits < 64) {
      const mask = u64(-1n << BigInt(bits));
      c = c & (1n << BigInt(bits - 1)) ? c | mask : c & ~mask & u64(-1n);
    }
    return i64(c);
  };
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    return [1, owtype === WRAP ? wrap() : owtype === SAT ? max : null];
  } else if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    return [-1, owtype === WRAP ? wrap() : owtype === SAT ? min : null];
  }
  return [0, null];
}

const ERR_TYPE = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

/** getBitfieldTypeFromArgument: [sign, bits] or the error. */
function bitfieldType(arg: string): [boolean, number] | Resp {
  const sign = arg[0] === 'i' ? true : arg[0] === 'u' ? false : null;
  if (sign === null) return err(ERR_TYPE);
  const n = parseInt64(arg.slice(1).split('\0')[0]!);
  if (n === null || n < 1n || (sign && n > 64n) || (!sign && n > 63n)) return err(ERR_TYPE);
  return [sign, Number(n)];
}

function bitfieldGeneric(ctx: CommandContext, readonlyCmd: boolean): Resp {
  const { argv } = ctx;
  const key = argv[1]!;
  const ops: Op[] = [];
  let owtype = WRAP;
  let readonly = true;
  let highest = 0;
  for (let j = 2; j < argv.length; j++) {
    const rem = argv.length - j - 1;
    const sub = argv[j]!.toLowerCase();
    let opcode: number;
    if (sub === 'get' && rem >= 2) opcode = GET;
    else if (sub === 'set' && rem >= 3) opcode = SET;
    else if (sub === 'incrby' && rem >= 3) opcode = INCRBY;
    else if (sub === 'overflow' && rem >= 1) {
      const t = argv[++j]!.toLowerCase();
      if (t === 'wrap') owtype = WRAP;
      else if (t === 'sat') owtype = SAT;
      else if (t === 'fail') owtype = FAIL;
      else return err('ERR Invalid OVERFLOW type specified');
      continue;
    } else return err(ERR_SYNTAX);
    const type = bitfieldType(argv[j + 1]!);
    if (!Array.isArray(type)) return type;
    const [sign, bits] = type;
    const offset = bitOffset(ctx, argv[j + 2]!, true, bits);
    if (typeof offset !== 'number') return offset;
    let v = 0n;
    if (opcode !== GET) {
      readonly = false;
      if (highest < offset + bits - 1) highest = offset + bits - 1;
      const n = parseInt64(argv[j + 3]!);
      if (n === null) return err(ERR_NOT_INT);
      v = n;
    }
    ops.push({ offset, i64: v, opcode, owtype, bits, sign });
    j += opcode === GET ? 2 : 3;
  }
  let bytes: Uint8Array | null = null;
  let dirty = false;
  let existed = false;
  if (readonly) {
    const o = ctx.db.lookupRead(key);
    if (o && o.type !== 'string') return WRONGTYPE;
    if (o) bytes = toBytes(o.v);
  } else {
    if (readonlyCmd) return err('ERR BITFIELD_RO only supports the GET subcommand');
    existed = ctx.db.lookupWrite(key) !== undefined;
    const r = stringForBitWrite(ctx, key, highest);
    if (!('bytes' in r)) return r;
    bytes = r.bytes;
    dirty = r.dirty;
  }
  const out: Resp[] = [];
  let changes = 0;
  for (const op of ops) {
    if (op.opcode === GET) {
      const p = bytes ?? new Uint8Array(0);
      out.push(int64Reply(op.sign ? getSigned(p, op.offset, op.bits) : getUnsigned(p, op.offset, op.bits)));
      continue;
    }
    const p = bytes!;
    const oldval = op.sign ? getSigned(p, op.offset, op.bits) : getUnsigned(p, op.offset, op.bits);
    let newval: bigint;
    let retval: bigint;
    let overflow: number;
    let wrapped: bigint | null;
    const check = op.sign ? checkSigned : checkUnsigned;
    if (op.opcode === INCRBY) {
      [overflow, wrapped] = check(oldval, op.i64, op.bits, op.owtype);
      newval = overflow && wrapped !== null ? wrapped : op.sign ? i64(oldval + op.i64) : u64(oldval + op.i64);
      retval = newval;
    } else {
      newval = op.sign ? op.i64 : u64(op.i64);
      [overflow, wrapped] = check(newval, 0n, op.bits, op.owtype);
      if (overflow && wrapped !== null) newval = wrapped;
      retval = oldval;
    }
    if (overflow && op.owtype === FAIL) {
      out.push(NIL);
      continue;
    }
    out.push(int64Reply(op.sign ? retval : i64(retval)));
    setUnsigned(p, op.offset, op.bits, newval);
    if (dirty || oldval !== newval) changes++;
  }
  if (!readonly) storeBytes(ctx, key, bytes!, existed);
  if (changes) {
    ctx.touch(key);
    notifyKeyspaceEvent(ctx, NOTIFY_STRING, 'setbit', key);
    ctx.dirty(changes);
  }
  return { t: 'array', v: out };
}

export const bitfield = (ctx: CommandContext): Resp => bitfieldGeneric(ctx, false);
export const bitfieldRo = (ctx: CommandContext): Resp => bitfieldGeneric(ctx, true);
