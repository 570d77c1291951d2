// Lua 5.1 library functions fengari (5.3) lacks or answers differently, as Redis 7.0.15's deps/lua
// compiles them (LUA_COMPAT_GFIND, LUA_COMPAT_MOD, no LUA_COMPAT_GETN): table.foreach / foreachi
// (ltablib.c, their callbacks called with a continuation so the count hook can suspend the script
// there), table.setn ("'setn' is obsolete"), string.gfind (= gmatch), math.mod (= fmod), gcinfo and
// collectgarbage (lbaselib.c). The Lua heap is not modelled: "count" answers the size INFO memory
// reports for a fresh VM (used_memory_lua, 32 KB), and no option collects anything.
import lauxlib from 'fengari/src/lauxlib.js';
import lua from 'fengari/src/lua.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type LuaState = any;

const lit = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** used_memory_lua of INFO memory, in KB (lua_gc LUA_GCCOUNT / GCCOUNTB). */
export const LUA_HEAP_KB = 32;

// ---- table.foreach / foreachi ----------------------------------------------------------------------

/** foreach's loop: the key of lua_next stays on the stack above t (1) and f (2). */
function foreachLoop(L: LuaState): number {
  while (lua.lua_next(L, 1)) {
    lua.lua_pushvalue(L, 2);
    lua.lua_pushvalue(L, -3);
    lua.lua_pushvalue(L, -3);
    lua.lua_callk(L, 2, 1, 0, foreachResumed);
    if (!lua.lua_isnil(L, -1)) return 1;
    lua.lua_pop(L, 2);
  }
  return 0;
}

function foreachResumed(L: LuaState): number {
  if (!lua.lua_isnil(L, -1)) return 1;
  lua.lua_pop(L, 2);
  return foreachLoop(L);
}

function foreach(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  lauxlib.luaL_checktype(L, 2, lua.LUA_TFUNCTION);
  lua.lua_settop(L, 2);
  lua.lua_pushnil(L);
  return foreachLoop(L);
}

/** foreachi's loop from index i to n (the continuation's context carries both). */
function foreachiLoop(L: LuaState, i: number, n: number): number {
  for (; i <= n; i++) {
    lua.lua_pushvalue(L, 2);
    lua.lua_pushnumber(L, i);
    lua.lua_rawgeti(L, 1, i);
    lua.lua_callk(L, 2, 1, { i, n }, foreachiResumed);
    if (!lua.lua_isnil(L, -1)) return 1;
    lua.lua_pop(L, 1);
  }
  return 0;
}

function foreachiResumed(L: LuaState, _status: number, at: { i: number; n: number }): number {
  if (!lua.lua_isnil(L, -1)) return 1;
  lua.lua_pop(L, 1);
  return foreachiLoop(L, at.i + 1, at.n);
}

function foreachi(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  const n = lua.lua_rawlen(L, 1);
  lauxlib.luaL_checktype(L, 2, lua.LUA_TFUNCTION);
  lua.lua_settop(L, 2);
  return foreachiLoop(L, 1, n);
}

function setn(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  return lauxlib.luaL_error(L, lit("'setn' is obsolete"));
}

// ---- collectgarbage / gcinfo -------------------------------------------------------------------------

const GC_OPTIONS = ['stop', 'restart', 'collect', 'count', 'step', 'setpause', 'setstepmul'].map(lit);

/** The collector's tunables of one state (lgc.c defaults LUAI_GCPAUSE / LUAI_GCMUL). */
interface GcTunables {
  pause: number;
  stepmul: number;
}
const tunables = new WeakMap<object, GcTunables>();

function collectgarbage(L: LuaState): number {
  const o = lauxlib.luaL_checkoption(L, 1, lit('collect'), GC_OPTIONS);
  const ex = Math.trunc(lauxlib.luaL_optnumber(L, 2, 0));
  const g = lua.lua_topointer(L, lua.LUA_REGISTRYINDEX) ?? L;
  let t = tunables.get(g);
  if (!t) tunables.set(g, (t = { pause: 200, stepmul: 200 }));
  switch (o) {
    case 3:
      lua.lua_pushnumber(L, LUA_HEAP_KB);
      return 1;
    case 4:
      lua.lua_pushboolean(L, 0);
      return 1;
    case 5:
    case 6: {
      const key = o === 5 ? 'pause' : 'stepmul';
      lua.lua_pushnumber(L, t[key]);
      t[key] = ex;
      return 1;
    }
    default:
      lua.lua_pushnumber(L, 0);
      return 1;
  }
}

function gcinfo(L: LuaState): number {
  lua.lua_pushnumber(L, LUA_HEAP_KB);
  return 1;
}

// ---- installation ------------------------------------------------------------------------------------

function setFn(L: LuaState, table: string, name: string, fn: (L: LuaState) => number): void {
  lua.lua_getglobal(L, lit(table));
  lua.lua_pushcfunction(L, fn);
  lua.lua_setfield(L, -2, lit(name));
  lua.lua_pop(L, 1);
}

function alias(L: LuaState, table: string, name: string, of: string): void {
  lua.lua_getglobal(L, lit(table));
  lua.lua_getfield(L, -1, lit(of));
  lua.lua_setfield(L, -2, lit(name));
  lua.lua_pop(L, 1);
}

export function installLua51Base(L: LuaState): void {
  setFn(L, 'table', 'foreach', foreach);
  setFn(L, 'table', 'foreachi', foreachi);
  setFn(L, 'table', 'setn', setn);
  alias(L, 'string', 'gfind', 'gmatch');
  alias(L, 'math', 'mod', 'fmod');
  lua.lua_pushcfunction(L, collectgarbage);
  lua.lua_setglobal(L, lit('collectgarbage'));
  lua.lua_pushcfunction(L, gcinfo);
  lua.lua_setglobal(L, lit('gcinfo'));
}
