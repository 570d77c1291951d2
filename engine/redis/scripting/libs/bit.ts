// The `bit` library Redis ships (LuaBitOp 1.0.2, deps/lua/src/lua_bit.c): 32-bit operations on
// Lua numbers; arguments are normalised the way barg() does (add 2^52+2^51, keep the low word).
import { lauxlib, lstr, lua, setField, type LuaState } from '../vm.ts';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** barg: the argument as an unsigned 32-bit word. */
function barg(L: LuaState, idx: number): number {
  f64[0] = lua.lua_tonumber(L, idx) + 6755399441055744.0;
  const b = u32[0]!;
  if (b === 0 && !lua.lua_isnumber(L, idx)) {
    const got = lua.lua_typename(L, lua.lua_type(L, idx));
    lauxlib.luaL_argerror(L, idx, lstr(`number expected, got ${String.fromCharCode(...got)}`));
  }
  return b;
}

/** BRET: the word as a signed 32-bit number. */
function bret(L: LuaState, b: number): number {
  lua.lua_pushnumber(L, b | 0);
  return 1;
}

export function openBit(L: LuaState): void {
  lua.lua_createtable(L, 0, 12);
  setField(L, -1, 'tobit', (S) => bret(S, barg(S, 1)));
  setField(L, -1, 'bnot', (S) => bret(S, ~barg(S, 1)));
  const fold = (op: (a: number, b: number) => number) => (S: LuaState) => {
    let b = barg(S, 1);
    for (let i = lua.lua_gettop(S); i > 1; i--) b = op(b, barg(S, i));
    return bret(S, b);
  };
  setField(L, -1, 'band', fold((a, b) => a & b));
  setField(L, -1, 'bor', fold((a, b) => a | b));
  setField(L, -1, 'bxor', fold((a, b) => a ^ b));
  const shift = (fn: (b: number, n: number) => number) => (S: LuaState) => {
    const b = barg(S, 1);
    const n = barg(S, 2) & 31;
    return bret(S, fn(b, n));
  };
  setField(L, -1, 'lshift', shift((b, n) => b << n));
  setField(L, -1, 'rshift', shift((b, n) => b >>> n));
  setField(L, -1, 'arshift', shift((b, n) => (b | 0) >> n));
  setField(L, -1, 'rol', shift((b, n) => (b << n) | (b >>> (32 - n))));
  setField(L, -1, 'ror', shift((b, n) => (b << (32 - n)) | (b >>> n)));
  setField(L, -1, 'bswap', (S) => {
    const b = barg(S, 1);
    return bret(S, (b >>> 24) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24));
  });
  setField(L, -1, 'tohex', (S) => {
    let b = barg(S, 1);
    let n = lua.lua_isnone(S, 2) ? 8 : barg(S, 2) | 0;
    let digits = '0123456789abcdef';
    if (n < 0) {
      n = -n;
      digits = '0123456789ABCDEF';
    }
    if (n > 8) n = 8;
    const buf: string[] = [];
    for (let i = n; --i >= 0; ) {
      buf[i] = digits[b & 15]!;
      b >>>= 4;
    }
    lua.lua_pushstring(S, lstr(buf.join('')));
    return 1;
  });
  lua.lua_setglobal(L, lstr('bit'));
}
