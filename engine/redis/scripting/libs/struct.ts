// The `struct` library Redis embeds (Roberto Ierusalimschy's struct 0.2, deps/lua/src/lua_struct.c):
// struct.pack / struct.unpack / struct.size with the x86-64 layout Redis runs on (little-endian native,
// long and size_t 8 bytes, maximum alignment 8, integers up to 32 bytes computed in 64 bits).
import { lauxlib, lstr, lua, pushStr, setField, toStr, type LuaState } from '../vm.ts';

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const SIZES: Record<string, number> = { b: 1, B: 1, h: 2, H: 2, l: 8, L: 8, T: 8, f: 4, d: 8, x: 1 };
const INTEGER_OPTS = 'bBhHlLTiI';
const MASK64 = (1n << 64n) - 1n;

/** The format being walked (struct.c's fmt pointer and Header). */
class Format {
  at = 0;
  little = true;
  align = 1;
  constructor(readonly L: LuaState, readonly fmt: string) {}

  more(): boolean {
    return this.at < this.fmt.length && this.fmt[this.at] !== '\0';
  }

  /** getnum: an optional decimal count after an option. */
  private num(df: number): number {
    if (!/[0-9]/.test(this.fmt[this.at] ?? '')) return df;
    let a = 0;
    while (/[0-9]/.test(this.fmt[this.at] ?? '')) {
      const d = this.fmt.charCodeAt(this.at++) - 48;
      if (a > Math.floor(2147483647 / 10) || a * 10 > 2147483647 - d) lauxlib.luaL_error(this.L, lstr('integral size overflow'));
      a = a * 10 + d;
    }
    return a;
  }

  /** optsize: the size an option occupies (0 for the ones that need no alignment). */
  size(opt: string): number {
    if (opt in SIZES) return SIZES[opt]!;
    if (opt === 'c') return this.num(1);
    if (opt === 'i' || opt === 'I') {
      const sz = this.num(4);
      if (sz > MAXINTSIZE) lauxlib.luaL_error(this.L, lstr(`integral size ${sz} is larger than limit of ${MAXINTSIZE}`));
      return sz;
    }
    return 0;
  }

  /** gettoalign: the padding before an item of `size` bytes at offset `len`. */
  padding(len: number, opt: string, size: number): number {
    if (size === 0 || opt === 'c') return 0;
    const s = Math.min(size, this.align);
    return (s - (len & (s - 1))) & (s - 1);
  }

  /** controloptions: endianness, alignment, spaces; anything else is an invalid option. */
  control(opt: string): void {
    if (opt === ' ') return;
    if (opt === '>' || opt === '<') {
      this.little = opt === '<';
      return;
    }
    if (opt === '!') {
      const a = this.num(MAXALIGN);
      if (!(a > 0 && (a & (a - 1)) === 0)) lauxlib.luaL_error(this.L, lstr(`alignment ${a} is not a power of 2`));
      this.align = a;
      return;
    }
    lauxlib.luaL_argerror(this.L, 1, lstr(`invalid format option '${opt}'`));
  }
}

function intBytes(n: number, size: number, little: boolean): string {
  let v = BigInt.asUintN(64, BigInt(Math.trunc(Number.isFinite(n) ? n : 0))) & MASK64;
  const out: number[] = new Array(size).fill(0);
  for (let i = 0; i < size; i++) {
    out[little ? i : size - 1 - i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return String.fromCharCode(...out);
}

function readInt(data: string, pos: number, size: number, little: boolean, signed: boolean): number {
  let v = 0n;
  for (let i = 0; i < size; i++) v = ((v << 8n) | BigInt(data.charCodeAt(little ? pos + size - 1 - i : pos + i))) & MASK64;
  if (!signed) return Number(v);
  const bits = Math.min(size * 8, 64);
  return Number(size * 8 >= 64 ? BigInt.asIntN(64, v) : BigInt.asIntN(bits, v));
}

function floatBytes(n: number, size: 4 | 8, little: boolean): string {
  const dv = new DataView(new ArrayBuffer(size));
  if (size === 4) dv.setFloat32(0, n, little);
  else dv.setFloat64(0, n, little);
  return String.fromCharCode(...new Uint8Array(dv.buffer));
}

function readFloat(data: string, pos: number, size: 4 | 8, little: boolean): number {
  const dv = new DataView(new ArrayBuffer(size));
  for (let i = 0; i < size; i++) dv.setUint8(i, data.charCodeAt(pos + i));
  return size === 4 ? dv.getFloat32(0, little) : dv.getFloat64(0, little);
}

function pack(L: LuaState): number {
  lauxlib.luaL_checklstring(L, 1);
  const f = new Format(L, toStr(L, 1)!);
  lua.lua_pushnil(L); // b_pack's mark after the arguments: a missing one reads as nil, not "no value"
  let out = '';
  let arg = 2;
  while (f.more()) {
    const opt = f.fmt[f.at++]!;
    let size = f.size(opt);
    out += '\0'.repeat(f.padding(out.length, opt, size));
    if (INTEGER_OPTS.includes(opt)) out += intBytes(lauxlib.luaL_checknumber(L, arg++), size, f.little);
    else if (opt === 'x') out += '\0';
    else if (opt === 'f' || opt === 'd') out += floatBytes(lauxlib.luaL_checknumber(L, arg++), size as 4 | 8, f.little);
    else if (opt === 'c' || opt === 's') {
      lauxlib.luaL_checklstring(L, arg++);
      const s = toStr(L, arg - 1)!;
      if (size === 0) size = s.length;
      // the argument number reported is one past the string's, as struct.c does
      lauxlib.luaL_argcheck(L, s.length >= size, arg, lstr('string too short'));
      out += s.slice(0, size) + (opt === 's' ? '\0' : '');
    } else f.control(opt);
  }
  pushStr(L, out);
  return 1;
}

function unpack(L: LuaState): number {
  lauxlib.luaL_checklstring(L, 1);
  const f = new Format(L, toStr(L, 1)!);
  lauxlib.luaL_checklstring(L, 2);
  const data = toStr(L, 2)!;
  const ld = data.length;
  let pos = lua.lua_isnoneornil(L, 3) ? 1 : lauxlib.luaL_checkinteger(L, 3);
  lauxlib.luaL_argcheck(L, pos > 0, 3, lstr('offset must be 1 or greater'));
  pos--;
  let n = 0;
  const fits = (size: number) => size <= ld && pos <= ld - size;
  while (f.more()) {
    const opt = f.fmt[f.at++]!;
    let size = f.size(opt);
    pos += f.padding(pos, opt, size);
    lauxlib.luaL_argcheck(L, fits(size), 2, lstr('data string too short'));
    lauxlib.luaL_checkstack(L, 2, lstr('too many results'));
    if (INTEGER_OPTS.includes(opt)) {
      lua.lua_pushnumber(L, readInt(data, pos, size, f.little, opt === opt.toLowerCase()));
      n++;
    } else if (opt === 'x') {
      // padding only
    } else if (opt === 'f' || opt === 'd') {
      lua.lua_pushnumber(L, readFloat(data, pos, size as 4 | 8, f.little));
      n++;
    } else if (opt === 'c') {
      if (size === 0) {
        if (n === 0 || !lua.lua_isnumber(L, -1)) lauxlib.luaL_error(L, lstr("format 'c0' needs a previous size"));
        size = Math.trunc(lua.lua_tonumber(L, -1));
        lua.lua_pop(L, 1);
        n--;
        lauxlib.luaL_argcheck(L, fits(size), 2, lstr('data string too short'));
      }
      pushStr(L, data.slice(pos, pos + size));
      n++;
    } else if (opt === 's') {
      const e = data.indexOf('\0', pos);
      if (e < 0) lauxlib.luaL_error(L, lstr('unfinished string in data'));
      size = e - pos + 1;
      pushStr(L, data.slice(pos, e));
      n++;
    } else f.control(opt);
    pos += size;
  }
  lua.lua_pushinteger(L, pos + 1);
  return n + 1;
}

function size(L: LuaState): number {
  lauxlib.luaL_checklstring(L, 1);
  const f = new Format(L, toStr(L, 1)!);
  let pos = 0;
  while (f.more()) {
    const opt = f.fmt[f.at++]!;
    const sz = f.size(opt);
    pos += f.padding(pos, opt, sz);
    if (opt === 's') lauxlib.luaL_argerror(L, 1, lstr("option 's' has no fixed size"));
    else if (opt === 'c' && sz === 0) lauxlib.luaL_argerror(L, 1, lstr("option 'c0' has no fixed size"));
    if (!/[0-9A-Za-z]/.test(opt)) f.control(opt);
    pos += sz;
  }
  lua.lua_pushinteger(L, pos);
  return 1;
}

export function openStruct(L: LuaState): void {
  lua.lua_createtable(L, 0, 3);
  setField(L, -1, 'pack', pack);
  setField(L, -1, 'unpack', unpack);
  setField(L, -1, 'size', size);
  lua.lua_setglobal(L, lstr('struct'));
}
