// FUNCTION DUMP / RESTORE (functions.c functionDumpCommand / functionRestoreCommand): the payload is
// RDB_OPCODE_FUNCTION2 + the library code as an RDB string, per library, then the RDB version (10,
// little-endian) and the CRC-64/Jones of everything before it (crc64.c). Strings are written
// uncompressed (real Redis LZF-compresses codes over 20 bytes; both load either form).
import { bulk, err, OK, type Resp } from '../../net/resp.ts';
import type { CommandContext } from '../commands/context.ts';
import { subcommandSyntax } from './function-commands.ts';
import { createLibrary, freeLibrary, LibraryRegistry, registryOf } from './functions.ts';
import { stateOf } from './state.ts';

const OPCODE_FUNCTION = 246;
const OPCODE_FUNCTION2 = 245;
const RDB_VERSION = 10;

let table: bigint[] | null = null;
/** crc64 (Jones polynomial, reflected, as Redis's crc64.c). */
export function crc64(data: string): bigint {
  if (!table) {
    table = [];
    const poly = 0x95ac9329ac4bc9b5n; // reflected 0xad93d23594c935a9
    for (let i = 0; i < 256; i++) {
      let c = BigInt(i);
      for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
      table.push(c);
    }
  }
  let crc = 0n;
  for (let i = 0; i < data.length; i++) crc = table[Number((crc ^ BigInt(data.charCodeAt(i))) & 0xffn)]! ^ (crc >> 8n);
  return crc;
}

function le(n: bigint, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += String.fromCharCode(Number((n >> BigInt(8 * i)) & 0xffn));
  return s;
}

function rdbLen(n: number): string {
  if (n < 64) return String.fromCharCode(n);
  if (n < 16384) return String.fromCharCode(0x40 | (n >> 8), n & 0xff);
  return String.fromCharCode(0x80, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

export function functionDump(ctx: CommandContext): Resp {
  let p = '';
  for (const li of registryOf(stateOf(ctx)).libraries.values()) p += String.fromCharCode(OPCODE_FUNCTION2) + rdbLen(li.code.length) + li.code;
  p += le(BigInt(RDB_VERSION), 2);
  return bulk(p + le(crc64(p), 8));
}

/** A reader of RDB strings (length-prefixed, integer-encoded or LZF-compressed). */
class Reader {
  pos = 0;
  constructor(readonly s: string) {}
  byte(): number {
    if (this.pos >= this.s.length) throw new Error('eof');
    return this.s.charCodeAt(this.pos++);
  }
  len(): { n: number; enc: boolean } {
    const b = this.byte();
    const t = b >> 6;
    if (t === 0) return { n: b & 0x3f, enc: false };
    if (t === 1) return { n: ((b & 0x3f) << 8) | this.byte(), enc: false };
    if (t === 3) return { n: b & 0x3f, enc: true };
    if (b === 0x80) return { n: ((this.byte() << 24) >>> 0) + (this.byte() << 16) + (this.byte() << 8) + this.byte(), enc: false };
    if (b === 0x81) {
      let n = 0;
      for (let i = 0; i < 8; i++) n = n * 256 + this.byte();
      return { n, enc: false };
    }
    throw new Error('bad length');
  }
  take(n: number): string {
    if (this.pos + n > this.s.length) throw new Error('eof');
    const out = this.s.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  string(): string {
    const { n, enc } = this.len();
    if (!enc) return this.take(n);
    if (n === 0) return String((this.byte() << 24) >> 24);
    if (n === 1) return String((this.byte() | (this.byte() << 8)) << 16 >> 16);
    if (n === 2) return String(this.byte() | (this.byte() << 8) | (this.byte() << 16) | (this.byte() << 24));
    if (n === 3) {
      const clen = this.len().n;
      const ulen = this.len().n;
      return lzfDecompress(this.take(clen), ulen);
    }
    throw new Error('bad encoding');
  }
}

/** lzf_d.c's format: literal runs (ctrl < 32) and back references. */
function lzfDecompress(src: string, outLen: number): string {
  const out: number[] = [];
  let i = 0;
  while (i < src.length) {
    const ctrl = src.charCodeAt(i++);
    if (ctrl < 32) {
      for (let k = 0; k <= ctrl; k++) out.push(src.charCodeAt(i++));
    } else {
      let len = ctrl >> 5;
      if (len === 7) len += src.charCodeAt(i++);
      let ref = out.length - ((ctrl & 0x1f) << 8) - 1 - src.charCodeAt(i++);
      if (ref < 0) throw new Error('bad lzf');
      for (let k = 0; k < len + 2; k++) out.push(out[ref++]!);
    }
  }
  if (out.length !== outLen) throw new Error('bad lzf');
  let s = '';
  for (let k = 0; k < out.length; k += 8192) s += String.fromCharCode(...out.slice(k, k + 8192));
  return s;
}

export function functionRestore(ctx: CommandContext): Resp {
  const a = ctx.argv;
  if (a.length > 4) return subcommandSyntax(ctx);
  let policy = 'append';
  if (a.length === 4) {
    policy = a[3]!.toLowerCase();
    if (!['append', 'replace', 'flush'].includes(policy)) return err('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
  }
  const data = a[2]!;
  if (data.length < 10) return err('ERR DUMP payload version or checksum are wrong');
  const ver = data.charCodeAt(data.length - 10) | (data.charCodeAt(data.length - 9) << 8);
  const crc = BigInt.asUintN(64, [...data.slice(data.length - 8)].reduceRight((acc, ch) => (acc << 8n) | BigInt(ch.charCodeAt(0)), 0n));
  if (ver > RDB_VERSION || (crc !== 0n && crc !== crc64(data.slice(0, data.length - 8)))) return err('ERR DUMP payload version or checksum are wrong');
  const st = stateOf(ctx);
  const tmp = new LibraryRegistry();
  const r = new Reader(data);
  let error: string | null = null;
  try {
    while (data.length - r.pos > 10 && !error) {
      const type = r.byte();
      if (type !== OPCODE_FUNCTION && type !== OPCODE_FUNCTION2) error = 'given type is not a function';
      else if (type === OPCODE_FUNCTION) error = 'failed loading the given functions payload';
      else {
        const made = createLibrary(st, tmp, r.string(), false, 0);
        if (typeof made !== 'string') error = made.error;
      }
    }
  } catch {
    error ??= 'failed loading the given functions payload';
  }
  const reg = registryOf(st);
  if (!error) error = join(st, reg, tmp, policy);
  if (error) {
    for (const li of tmp.libraries.values()) freeLibrary(st, li);
    return err(`ERR ${error}`);
  }
  ctx.dirty();
  return OK;
}

/** libraryJoin (or the swap of FLUSH): null on success, else the error and nothing changed. */
function join(st: ReturnType<typeof stateOf>, reg: LibraryRegistry, src: LibraryRegistry, policy: string): string | null {
  if (policy === 'flush') reg.flush((li) => freeLibrary(st, li));
  else {
    const replaced = [];
    for (const li of src.libraries.values()) {
      const old = reg.libraries.get(li.name);
      if (!old) continue;
      if (policy !== 'replace') {
        for (const o of replaced) reg.link(o);
        return `Library ${li.name} already exists`;
      }
      reg.unlink(old);
      replaced.push(old);
    }
    for (const f of src.functions.keys())
      if (reg.functions.has(f)) {
        for (const o of replaced) reg.link(o);
        return `Function ${f} already exists`;
      }
    for (const o of replaced) freeLibrary(st, o);
  }
  for (const li of [...src.libraries.values()]) {
    src.unlink(li);
    reg.link(li);
  }
  return null;
}
