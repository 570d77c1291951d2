// string.gsub with a function as replacement, calling it with a continuation (lua_callk) so that the
// count hook can suspend the script inside the function: a busy loop there goes -BUSY and SCRIPT KILL
// reaches it, as with Lua 5.1's hook in Redis 7.0.15. The loop is 5.1's str_gsub (lstrlib.c): at each
// position an anchored match (string.find with "^" .. pattern from that position), the function called
// with the captures (or the whole match), false/nil keeping the match; an empty match copies one
// character. A table with a metatable is looked up here too (its __index function called the same way);
// other replacements (strings, plain tables) go to fengari's gsub unchanged.
import lauxlib from 'fengari/src/lauxlib.js';
import lua from 'fengari/src/lua.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type LuaState = any;

const lit = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const INDEX = lit('__index');
/** lvm.c MAXTAGLOOP: the longest __index chain. */
const MAXTAGLOOP = 100;

interface GsubState {
  steps: Generator<number, void, void>;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * The substitution loop; it yields the number of arguments each time the function and its arguments
 * are on the stack, and reads the function's result from the top when it is resumed. Stack: 1 src,
 * 2 pattern, 3 function, 4 max, 5 string.find, 6 the anchored pattern.
 */
function* substitute(L: LuaState, src: Uint8Array, maxS: number, anchor: boolean): Generator<number, void, void> {
  const byTable = lua.lua_type(L, 3) === lua.LUA_TTABLE;
  const out: Uint8Array[] = [];
  let pos = 0;
  let n = 0;
  while (n < maxS) {
    const base = lua.lua_gettop(L);
    lua.lua_pushvalue(L, 5);
    lua.lua_pushvalue(L, 1);
    lua.lua_pushvalue(L, 6);
    lua.lua_pushinteger(L, pos + 1);
    if (lua.lua_pcall(L, 3, lua.LUA_MULTRET, 0) !== lua.LUA_OK) {
      // a malformed pattern: raised as gsub's own error, with the caller's position (luaL_error)
      lauxlib.luaL_where(L, 1);
      lua.lua_insert(L, -2);
      lua.lua_concat(L, 2);
      lua.lua_error(L);
    }
    const nres = lua.lua_gettop(L) - base;
    let end = -1;
    if (nres > 0 && !lua.lua_isnil(L, base + 1)) {
      end = lua.lua_tointeger(L, base + 2);
      n++;
      lua.lua_remove(L, base + 1);
      lua.lua_remove(L, base + 1);
      let nargs = nres - 2;
      if (nargs === 0) {
        lua.lua_pushstring(L, src.subarray(pos, end));
        nargs = 1;
      }
      if (byTable) {
        // the first capture (or the whole match) as the key: t[key], as lua_gettable does
        lua.lua_settop(L, base + 1);
        yield* gettable51(L, base + 1);
      } else {
        lua.lua_pushvalue(L, 3);
        lua.lua_insert(L, base + 1);
        yield nargs;
      }
      // add_value: false or nil keeps the original text
      if (!lua.lua_toboolean(L, -1)) out.push(src.subarray(pos, end));
      else if (lua.lua_type(L, -1) === lua.LUA_TSTRING || lua.lua_type(L, -1) === lua.LUA_TNUMBER) out.push(lua.lua_tolstring(L, -1).slice());
      else lauxlib.luaL_error(L, lit(`invalid replacement value (a ${String.fromCharCode(...lauxlib.luaL_typename(L, -1))})`));
      lua.lua_settop(L, base);
    } else lua.lua_settop(L, base);
    if (end > pos) pos = end;
    else if (pos < src.length) out.push(src.subarray(pos, ++pos));
    else break;
    if (anchor) break;
  }
  out.push(src.subarray(pos));
  lua.lua_pushstring(L, concat(out));
  lua.lua_pushinteger(L, n);
}

/**
 * luaV_gettable of 5.1 (lvm.c) for repl[key], the key at `keyIdx`, repl at 3: raw gets along the
 * __index tables; an __index function is yielded as a call (function, table, key on top) so the
 * driver calls it with a continuation. Leaves the value on top.
 */
function* gettable51(L: LuaState, keyIdx: number): Generator<number, void, void> {
  lua.lua_pushvalue(L, 3);
  for (let loop = 0; loop < MAXTAGLOOP; loop++) {
    // the current table (or value) is on top
    if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) {
      lua.lua_pushvalue(L, keyIdx);
      lua.lua_gettable(L, -2);
      lua.lua_remove(L, -2);
      return;
    }
    lua.lua_pushvalue(L, keyIdx);
    lua.lua_rawget(L, -2);
    if (!lua.lua_isnil(L, -1) || lauxlib.luaL_getmetafield(L, -2, INDEX) === lua.LUA_TNIL) {
      lua.lua_remove(L, -2);
      return;
    }
    // stack: current, nil, __index
    lua.lua_remove(L, -2);
    if (lua.lua_type(L, -1) === lua.LUA_TFUNCTION) {
      lua.lua_insert(L, -2);
      lua.lua_pushvalue(L, keyIdx);
      yield 2;
      return;
    }
    lua.lua_remove(L, -2);
  }
  lauxlib.luaL_error(L, lit('loop in gettable'));
}

function drive(L: LuaState, st: GsubState): number {
  for (let r = st.steps.next(); !r.done; r = st.steps.next()) lua.lua_callk(L, r.value, 1, st, resume);
  return 2;
}

function resume(L: LuaState, _status: number, st: GsubState): number {
  return drive(L, st);
}

/** string.gsub(s, pattern, repl [, n]): functions and tables with a metatable here, the others to the original (upvalue 1). */
function gsub(L: LuaState): number {
  // a table with an __index metamethod too: the lookup may call Lua (with a continuation here)
  const viaLua = lua.lua_type(L, 3) === lua.LUA_TFUNCTION || (lua.lua_type(L, 3) === lua.LUA_TTABLE && lua.lua_getmetatable(L, 3) && (lua.lua_pop(L, 1), true));
  if (!viaLua) {
    const n = lua.lua_gettop(L);
    lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
    lua.lua_insert(L, 1);
    lua.lua_call(L, n, lua.LUA_MULTRET);
    return lua.lua_gettop(L);
  }
  const src: Uint8Array = lauxlib.luaL_checklstring(L, 1).slice();
  let p: Uint8Array = lauxlib.luaL_checklstring(L, 2);
  const maxS = Math.trunc(lauxlib.luaL_optnumber(L, 4, src.length + 1));
  const anchor = p[0] === 0x5e; // '^'
  if (anchor) p = p.subarray(1);
  lua.lua_settop(L, 4);
  lua.lua_pushvalue(L, lua.lua_upvalueindex(2));
  const anchored = new Uint8Array(p.length + 1);
  anchored[0] = 0x5e;
  anchored.set(p, 1);
  lua.lua_pushstring(L, anchored);
  return drive(L, { steps: substitute(L, src, maxS, anchor) });
}

/** Replace gsub in the string table on top of the stack (its find and gsub become the upvalues). */
export function installGsub(L: LuaState): void {
  lua.lua_getfield(L, -1, lit('gsub'));
  lua.lua_getfield(L, -2, lit('find'));
  lua.lua_pushcclosure(L, gsub, 2);
  lua.lua_setfield(L, -2, lit('gsub'));
}
