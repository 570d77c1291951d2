// Lua 5.1 library functions that read and write tables raw (Redis 7.0.15 deps/lua/src/lbaselib.c
// ipairs/pairs/unpack, ltablib.c getn/insert/remove/concat), where fengari's 5.3 versions call __index, __len or __pairs.
// A script can observe the difference (5.1 ignores those metamethods here), and a metamethod called
// from a C function cannot be suspended by the count hook: a loop inside it hung `serve`.
import lauxlib from 'fengari/src/lauxlib.js';
import lua from 'fengari/src/lua.js';
import { fmtNumber } from './vm.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type LuaState = any;

const lit = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const NEXT_KEY = lit('__next51');
const TOO_MANY = lit('too many results to unpack');

/** luaL_checkint / luaL_optint of 5.1: a number truncated to an int. */
const checkInt = (L: LuaState, i: number): number => Math.trunc(lauxlib.luaL_checknumber(L, i));
const optInt = (L: LuaState, i: number, d: number): number => (lua.lua_isnoneornil(L, i) ? d : checkInt(L, i));

/** ipairsaux of 5.1: t[i+1] raw, ends at the first nil. */
function ipairsAux(L: LuaState): number {
  const i = checkInt(L, 2) + 1;
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  lua.lua_pushnumber(L, i);
  lua.lua_rawgeti(L, 1, i);
  return lua.lua_isnil(L, -1) ? 0 : 2;
}

function ipairs51(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  lua.lua_pushcfunction(L, ipairsAux);
  lua.lua_pushvalue(L, 1);
  lua.lua_pushnumber(L, 0);
  return 3;
}

/** luaB_pairs of 5.1: next, t, nil (no __pairs). */
function pairs51(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, NEXT_KEY);
  lua.lua_pushvalue(L, 1);
  lua.lua_pushnil(L);
  return 3;
}

/** luaB_unpack of 5.1: t[i..j] raw, j defaulting to the raw length. */
function unpack51(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  const i = optInt(L, 2, 1);
  const e = lua.lua_isnoneornil(L, 3) ? lua.lua_rawlen(L, 1) : checkInt(L, 3);
  if (i > e) return 0;
  const n = e - i + 1;
  if (n <= 0 || n >= 2147483647 || !lua.lua_checkstack(L, n)) return lauxlib.luaL_error(L, TOO_MANY);
  for (let k = i; k <= e; k++) lua.lua_rawgeti(L, 1, k);
  return n;
}

/** table.getn of 5.1 (luaL_getn: the raw border). */
function getn51(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  lua.lua_pushnumber(L, lua.lua_rawlen(L, 1));
  return 1;
}

/** A string or a number as 5.1 turns it into bytes (numbers "%.14g"); null for other values. */
function bytesOf(L: LuaState, idx: number): Uint8Array | null {
  const t = lua.lua_type(L, idx);
  if (t === lua.LUA_TNUMBER) return lit(fmtNumber(lua.lua_tonumber(L, idx)));
  return t === lua.LUA_TSTRING ? lua.lua_tolstring(L, idx) : null;
}

/** tinsert of 5.1: raw moves, no __index/__newindex. */
function insert51(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  let e = lua.lua_rawlen(L, 1) + 1;
  let pos: number;
  const top = lua.lua_gettop(L);
  if (top === 2) pos = e;
  else if (top === 3) {
    pos = checkInt(L, 2);
    if (pos > e) e = pos;
    for (let i = e; i > pos; i--) {
      lua.lua_rawgeti(L, 1, i - 1);
      lua.lua_rawseti(L, 1, i);
    }
  } else return lauxlib.luaL_error(L, lit("wrong number of arguments to 'insert'"));
  lua.lua_rawseti(L, 1, pos);
  return 0;
}

/** tremove of 5.1: nothing outside 1..n, raw moves. */
function remove51(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  const e = lua.lua_rawlen(L, 1);
  let pos = optInt(L, 2, e);
  if (!(pos >= 1 && pos <= e)) return 0;
  lua.lua_rawgeti(L, 1, pos);
  for (; pos < e; pos++) {
    lua.lua_rawgeti(L, 1, pos + 1);
    lua.lua_rawseti(L, 1, pos);
  }
  lua.lua_pushnil(L);
  lua.lua_rawseti(L, 1, e);
  return 1;
}

/** tconcat of 5.1: raw gets, strings and numbers only. */
function concat51(L: LuaState): number {
  const sep = lua.lua_isnoneornil(L, 2) ? new Uint8Array(0) : (bytesOf(L, 2) ?? lauxlib.luaL_checklstring(L, 2));
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  let i = optInt(L, 3, 1);
  const last = lua.lua_isnoneornil(L, 4) ? lua.lua_rawlen(L, 1) : checkInt(L, 4);
  const parts: Uint8Array[] = [];
  const add = (k: number): void => {
    lua.lua_rawgeti(L, 1, k);
    const b = bytesOf(L, -1);
    if (b === null) {
      const tn = String.fromCharCode(...lauxlib.luaL_typename(L, -1));
      lauxlib.luaL_error(L, lit(`invalid value (${tn}) at index ${k} in table for 'concat'`));
    }
    parts.push(b!);
    lua.lua_pop(L, 1);
  };
  for (; i < last; i++) {
    add(i);
    parts.push(sep);
  }
  if (i === last) add(i);
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.length;
  }
  lua.lua_pushstring(L, out);
  return 1;
}

/** Install over the globals and `table` (after the base library is open). */
export function installLua51Raw(L: LuaState): void {
  lua.lua_getglobal(L, lit('next'));
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, NEXT_KEY);
  for (const [name, fn] of [
    ['ipairs', ipairs51],
    ['pairs', pairs51],
    ['unpack', unpack51],
  ] as const) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setglobal(L, lit(name));
  }
  lua.lua_getglobal(L, lit('table'));
  for (const [name, fn] of [
    ['getn', getn51],
    ['insert', insert51],
    ['remove', remove51],
    ['concat', concat51],
  ] as const) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, lit(name));
  }
  lua.lua_pop(L, 1);
}
