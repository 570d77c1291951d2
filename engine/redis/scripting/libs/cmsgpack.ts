// The `cmsgpack` library Redis embeds (lua-cmsgpack 0.4.0, deps/lua/src/lua_cmsgpack.c): pack of any
// number of values, unpack / unpack_one / unpack_limit with their offsets and error texts.
import { lauxlib, lstr, lua, pushStr, setField, toStr, type LuaState } from '../vm.ts';

/** Tables nested deeper than this are packed as nil (LUACMSGPACK_MAX_NESTING). */
const MAX_NESTING = 16;

function be(n: bigint, bytes: number): string {
  let out = '';
  for (let i = bytes - 1; i >= 0; i--) out += String.fromCharCode(Number((n >> BigInt(i * 8)) & 0xffn));
  return out;
}

function header(small: number, smallMax: number, c16: number, c32: number, n: number): string {
  if (n <= smallMax) return String.fromCharCode(small | n);
  if (n <= 0xffff) return String.fromCharCode(c16) + be(BigInt(n), 2);
  return String.fromCharCode(c32) + be(BigInt(n), 4);
}

function encodeBytes(s: string): string {
  const n = s.length;
  if (n < 32) return String.fromCharCode(0xa0 | n) + s;
  if (n <= 0xff) return '\xd9' + String.fromCharCode(n) + s;
  return header(0, -1, 0xda, 0xdb, n) + s;
}

/** mp_encode_int: the smallest msgpack integer form. */
function encodeInt(n: bigint): string {
  if (n >= 0n) {
    if (n <= 127n) return String.fromCharCode(Number(n));
    if (n <= 0xffn) return '\xcc' + be(n, 1);
    if (n <= 0xffffn) return '\xcd' + be(n, 2);
    if (n <= 0xffffffffn) return '\xce' + be(n, 4);
    return '\xcf' + be(n, 8);
  }
  const u = BigInt.asUintN(64, n);
  if (n >= -32n) return be(u, 1);
  if (n >= -128n) return '\xd0' + be(u, 1);
  if (n >= -32768n) return '\xd1' + be(u, 2);
  if (n >= -2147483648n) return '\xd2' + be(u, 4);
  return '\xd3' + be(u, 8);
}

/** mp_encode_double: float 32 when the value survives the narrowing, else float 64. */
function encodeDouble(d: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  if (Math.fround(d) === d || Number.isNaN(d)) {
    dv.setFloat32(0, d);
    return '\xca' + String.fromCharCode(...new Uint8Array(dv.buffer, 0, 4));
  }
  dv.setFloat64(0, d);
  return '\xcb' + String.fromCharCode(...new Uint8Array(dv.buffer));
}

/** table_is_an_array: only positive integral keys, and as many as the largest one. */
function isArray(L: LuaState): boolean {
  let count = 0;
  let max = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    lua.lua_pop(L, 1);
    const k = lua.lua_type(L, -1) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, -1) : NaN;
    if (!(k > 0 && Number.isInteger(k) && k <= 2147483647)) {
      lua.lua_pop(L, 1);
      return false;
    }
    if (k > max) max = k;
    count++;
  }
  return max === count;
}

/** mp_encode_lua_type: encodes the value on top of the stack and pops it. */
function encodeTop(L: LuaState, level: number): string {
  let t = lua.lua_type(L, -1);
  if (t === lua.LUA_TTABLE && level === MAX_NESTING) t = lua.LUA_TNIL;
  let out: string;
  switch (t) {
    case lua.LUA_TSTRING:
      out = encodeBytes(toStr(L, -1)!);
      break;
    case lua.LUA_TBOOLEAN:
      out = lua.lua_toboolean(L, -1) ? '\xc3' : '\xc2';
      break;
    case lua.LUA_TNUMBER: {
      const n = lua.lua_tonumber(L, -1);
      out = Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63 ? encodeInt(BigInt(n)) : encodeDouble(n);
      break;
    }
    case lua.LUA_TTABLE: {
      lauxlib.luaL_checkstack(L, 3, lstr('in function mp_encode_lua_table_as_map'));
      if (isArray(L)) {
        const len = lua.lua_rawlen(L, -1);
        out = header(0x90, 15, 0xdc, 0xdd, len);
        for (let j = 1; j <= len; j++) {
          lua.lua_pushnumber(L, j);
          lua.lua_gettable(L, -2);
          out += encodeTop(L, level + 1);
        }
      } else {
        let len = 0;
        lua.lua_pushnil(L);
        while (lua.lua_next(L, -2) !== 0) {
          lua.lua_pop(L, 1);
          len++;
        }
        out = header(0x80, 15, 0xde, 0xdf, len);
        lua.lua_pushnil(L);
        while (lua.lua_next(L, -2) !== 0) {
          lua.lua_pushvalue(L, -2);
          out += encodeTop(L, level + 1);
          out += encodeTop(L, level + 1);
        }
      }
      break;
    }
    default:
      out = '\xc0';
  }
  lua.lua_pop(L, 1);
  return out;
}

function pack(L: LuaState): number {
  const nargs = lua.lua_gettop(L);
  if (nargs === 0) return lauxlib.luaL_argerror(L, 0, lstr('MessagePack pack needs input.'));
  let out = '';
  for (let i = 1; i <= nargs; i++) {
    lauxlib.luaL_checkstack(L, 1, lstr('in function mp_check'));
    lua.lua_pushvalue(L, i);
    out += encodeTop(L, 0);
  }
  pushStr(L, out);
  return 1;
}

// ---- decoding --------------------------------------------------------------------------------------

/** Not enough bytes / an unknown first byte (MP_CUR_ERROR_EOF / _BADFMT). */
class Eof {}
class BadFmt {}

class Cursor {
  constructor(readonly s: string, public p: number) {}

  get left(): number {
    return this.s.length - this.p;
  }

  need(n: number): void {
    if (this.left < n) throw new Eof();
  }

  uint(at: number, bytes: number): bigint {
    let v = 0n;
    for (let i = 0; i < bytes; i++) v = (v << 8n) | BigInt(this.s.charCodeAt(this.p + at + i));
    return v;
  }

  float(bytes: 4 | 8): number {
    const dv = new DataView(new ArrayBuffer(bytes));
    for (let i = 0; i < bytes; i++) dv.setUint8(i, this.s.charCodeAt(this.p + 1 + i));
    return bytes === 4 ? dv.getFloat32(0) : dv.getFloat64(0);
  }
}

/** mp_decode_to_lua_type: pushes one value read at the cursor. */
function decode(L: LuaState, c: Cursor): void {
  c.need(1);
  lauxlib.luaL_checkstack(L, 1, lstr('too many return values at once; use unpack_one or unpack_limit instead.'));
  const b = c.s.charCodeAt(c.p);
  const fixed = (bytes: number, push: () => void) => {
    c.need(1 + bytes);
    push();
    c.p += 1 + bytes;
  };
  const raw = (lenBytes: number, l?: number) => {
    let len = l ?? 0;
    if (l === undefined) {
      c.need(1 + lenBytes);
      len = Number(c.uint(1, lenBytes));
    }
    c.need(1 + lenBytes + len);
    pushStr(L, c.s.slice(c.p + 1 + lenBytes, c.p + 1 + lenBytes + len));
    c.p += 1 + lenBytes + len;
  };
  const container = (lenBytes: number, map: boolean, l?: number) => {
    let len = l ?? 0;
    if (l === undefined) {
      c.need(1 + lenBytes);
      len = Number(c.uint(1, lenBytes));
    }
    c.p += 1 + lenBytes;
    lua.lua_newtable(L);
    lauxlib.luaL_checkstack(L, 1, lstr('in function mp_decode_to_lua_array'));
    for (let i = 1; i <= len; i++) {
      if (map) decode(L, c);
      else lua.lua_pushnumber(L, i);
      decode(L, c);
      lua.lua_settable(L, -3);
    }
  };
  const int = (bytes: number, signed: boolean) =>
    fixed(bytes, () => {
      const u = c.uint(1, bytes);
      const v = signed ? BigInt.asIntN(bytes * 8, u) : u;
      // uint 64 goes through lua_pushinteger (a ptrdiff_t): above 2^63 it wraps to negative
      lua.lua_pushnumber(L, Number(bytes === 8 ? BigInt.asIntN(64, v) : v));
    });
  switch (b) {
    case 0xcc: return int(1, false);
    case 0xd0: return int(1, true);
    case 0xcd: return int(2, false);
    case 0xd1: return int(2, true);
    case 0xce: return int(4, false);
    case 0xd2: return int(4, true);
    case 0xcf: return int(8, false);
    case 0xd3: return int(8, true);
    case 0xc0: return fixed(0, () => lua.lua_pushnil(L));
    case 0xc3: return fixed(0, () => lua.lua_pushboolean(L, true));
    case 0xc2: return fixed(0, () => lua.lua_pushboolean(L, false));
    case 0xca: return fixed(4, () => lua.lua_pushnumber(L, c.float(4)));
    case 0xcb: return fixed(8, () => lua.lua_pushnumber(L, c.float(8)));
    case 0xd9: return raw(1);
    case 0xda: return raw(2);
    case 0xdb: return raw(4);
    case 0xdc: return container(2, false);
    case 0xdd: return container(4, false);
    case 0xde: return container(2, true);
    case 0xdf: return container(4, true);
  }
  if ((b & 0x80) === 0) return fixed(0, () => lua.lua_pushnumber(L, b));
  if ((b & 0xe0) === 0xe0) return fixed(0, () => lua.lua_pushnumber(L, b - 256));
  if ((b & 0xe0) === 0xa0) return raw(0, b & 0x1f);
  if ((b & 0xf0) === 0x90) return container(0, false, b & 0xf);
  if ((b & 0xf0) === 0x80) return container(0, true, b & 0xf);
  throw new BadFmt();
}

/** mp_unpack_full: limit 0 and offset 0 decode everything and return no offset. */
function unpackFull(L: LuaState, limit: number, offset: number): number {
  lauxlib.luaL_checklstring(L, 1);
  const s = toStr(L, 1)!;
  const all = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0)
    return lauxlib.luaL_error(L, lstr(`Invalid request to unpack with offset of ${offset} and limit of ${s.length}.`));
  if (offset > s.length) return lauxlib.luaL_error(L, lstr(`Start offset ${offset} greater than input length ${s.length}.`));
  const max = all ? 2147483647 : limit;
  const c = new Cursor(s, offset);
  let cnt = 0;
  for (; c.left > 0 && cnt < max; cnt++) {
    try {
      decode(L, c);
    } catch (e) {
      if (e instanceof Eof) return lauxlib.luaL_error(L, lstr('Missing bytes in input.'));
      if (e instanceof BadFmt) return lauxlib.luaL_error(L, lstr('Bad data format in input.'));
      throw e;
    }
  }
  if (!all) {
    lauxlib.luaL_checkstack(L, 1, lstr('in function mp_unpack_full'));
    lua.lua_pushinteger(L, c.left === 0 ? -1 : c.p);
    lua.lua_insert(L, 2);
    cnt++;
  }
  return cnt;
}

export function openCmsgpack(L: LuaState): void {
  lua.lua_createtable(L, 0, 8);
  setField(L, -1, 'pack', pack);
  setField(L, -1, 'unpack', (S) => unpackFull(S, 0, 0));
  setField(L, -1, 'unpack_one', (S) => {
    const offset = lua.lua_isnoneornil(S, 2) ? 0 : lauxlib.luaL_checkinteger(S, 2);
    lua.lua_pop(S, lua.lua_gettop(S) - 1);
    return unpackFull(S, 1, offset);
  });
  setField(L, -1, 'unpack_limit', (S) => {
    const limit = lauxlib.luaL_checkinteger(S, 2);
    const offset = lua.lua_isnoneornil(S, 3) ? 0 : lauxlib.luaL_checkinteger(S, 3);
    lua.lua_pop(S, lua.lua_gettop(S) - 1);
    return unpackFull(S, limit, offset);
  });
  const meta: [string, string][] = [
    ['_NAME', 'cmsgpack'],
    ['_VERSION', 'lua-cmsgpack 0.4.0'],
    ['_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo'],
    ['_DESCRIPTION', 'MessagePack C implementation for Lua'],
  ];
  for (const [k, v] of meta) {
    pushStr(L, v);
    lua.lua_setfield(L, -2, lstr(k));
  }
  lua.lua_setglobal(L, lstr('cmsgpack'));
}
