// coroutine.resume and coroutine.wrap that let the count hook suspend the whole script from inside a
// coroutine the script created. In Redis (Lua 5.1) the hook of a coroutine runs Redis's event loop
// in place (luaMaskCountHook → processEventsWhileBlocked), so a loop inside a coroutine still lets
// other clients in (-BUSY) and SCRIPT KILL stop it. Here the hook yields the thread it runs in
// (run.ts); when that thread is a coroutine, its resume/wrap call below yields its own caller in turn
// (lua_yieldk with a continuation), up to the script's thread, and resumes the coroutine when the
// script is resumed. Otherwise they answer as 5.1's lbaselib.c auxresume / auxwrap.
import lauxlib from 'fengari/src/lauxlib.js';
import lua from 'fengari/src/lua.js';
import lstate from 'fengari/src/lstate.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type LuaState = any;

/** Threads whose last yield came from the count hook (not from coroutine.yield). */
const hookYields = new WeakSet<object>();
/** The threads scripts run in: Redis runs a script with lua_pcall on the main thread, which cannot yield. */
const scriptThreads = new WeakSet<object>();

export function markScriptThread(L: LuaState): void {
  scriptThreads.add(L);
}

export function markHookYield(L: LuaState): void {
  hookYields.add(L);
}

/** Whether the thread's last yield was the hook's (and forget it). */
export function takeHookYield(L: LuaState): boolean {
  return hookYields.delete(L);
}

const CIST_LUA: number = lstate.CIST_LUA;

const lit = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const TOO_MANY_ARGS = lit('too many arguments to resume');
const TOO_MANY_RESULTS = lit('too many results to resume');
const THREAD_EXPECTED = lit('coroutine expected');

interface Pending {
  co: LuaState;
  /** coroutine.wrap's function (errors propagate) rather than coroutine.resume (false, message). */
  wrap: boolean;
}

/** After lua_resume(co): pass a hook's yield up (or go on at once where L cannot yield), then finish. */
function settle(L: LuaState, p: Pending, status: number): number {
  while (status === lua.LUA_YIELD && takeHookYield(p.co)) {
    if (lua.lua_isyieldable(L)) {
      markHookYield(L);
      return lua.lua_yieldk(L, 0, p, again);
    }
    status = lua.lua_resume(p.co, L, 0);
  }
  let r: number;
  if (status === lua.LUA_OK || status === lua.LUA_YIELD) {
    const nres = lua.lua_gettop(p.co);
    if (!lua.lua_checkstack(L, nres + 1)) {
      lua.lua_pop(p.co, nres);
      lua.lua_pushstring(L, TOO_MANY_RESULTS);
      r = -1;
    } else {
      lua.lua_xmove(p.co, L, nres);
      r = nres;
    }
  } else {
    lua.lua_xmove(p.co, L, 1);
    r = -1;
  }
  return p.wrap ? wrapResults(L, r) : resumeResults(L, r);
}

/** The continuation once the script resumes: the coroutine goes on where the hook stopped it. */
function again(L: LuaState, _status: number, p: Pending): number {
  return settle(L, p, lua.lua_resume(p.co, L, 0));
}

/** costatus of 5.1's lbaselib.c. */
function costatus(L: LuaState, co: LuaState): 'running' | 'suspended' | 'normal' | 'dead' {
  if (L === co) return 'running';
  const st = lua.lua_status(co);
  if (st === lua.LUA_YIELD) return 'suspended';
  if (st !== lua.LUA_OK) return 'dead';
  if (lua.lua_getstack(co, 0, new lua.lua_Debug())) return 'normal';
  return lua.lua_gettop(co) === 0 ? 'dead' : 'suspended';
}

/** auxresume of 5.1: the status first, then the arguments go over and the coroutine runs. */
function start(L: LuaState, co: LuaState, narg: number, wrap: boolean): number {
  const status = costatus(L, co);
  if (!lua.lua_checkstack(co, narg)) lauxlib.luaL_error(L, TOO_MANY_ARGS);
  if (status !== 'suspended') {
    lua.lua_pushstring(L, lit(`cannot resume ${status} coroutine`));
    return wrap ? wrapResults(L, -1) : resumeResults(L, -1);
  }
  lua.lua_xmove(L, co, narg);
  return settle(L, { co, wrap }, lua.lua_resume(co, L, narg));
}

/** luaB_coresume's results: true and the values, or false and the error. */
function resumeResults(L: LuaState, r: number): number {
  if (r < 0) {
    lua.lua_pushboolean(L, 0);
    lua.lua_insert(L, -2);
    return 2;
  }
  lua.lua_pushboolean(L, 1);
  lua.lua_insert(L, -(r + 1));
  return r + 1;
}

/** luaB_auxwrap's: the values, or the error raised again (a string gets the caller's position). */
function wrapResults(L: LuaState, r: number): number {
  if (r >= 0) return r;
  if (lua.lua_type(L, -1) === lua.LUA_TSTRING) {
    lauxlib.luaL_where(L, 1);
    lua.lua_insert(L, -2);
    lua.lua_concat(L, 2);
  }
  return lua.lua_error(L);
}

function coresume(L: LuaState): number {
  const co = lua.lua_tothread(L, 1);
  lauxlib.luaL_argcheck(L, co, 1, THREAD_EXPECTED);
  return start(L, co, lua.lua_gettop(L) - 1, false);
}

function auxwrap(L: LuaState): number {
  return start(L, lua.lua_tothread(L, lua.lua_upvalueindex(1)), lua.lua_gettop(L), true);
}

function cowrap(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TFUNCTION);
  const co = lua.lua_newthread(L);
  lua.lua_pushvalue(L, 1);
  lua.lua_xmove(L, co, 1);
  lua.lua_pushcclosure(L, auxwrap, 1);
  return 1;
}

const NO_YIELD = lit('attempt to yield across metamethod/C-call boundary');

/** A C function (pcall, a sort comparator's caller, gsub...) between the coroutine's body and this call. */
function acrossCCall(L: LuaState): boolean {
  for (let ci = L.ci.previous; ci && ci !== L.base_ci; ci = ci.previous) if (!(ci.callstatus & CIST_LUA)) return true;
  return false;
}

/**
 * coroutine.yield: 5.1's lua_yield refuses on the script's own thread and across a C call (5.1's pcall
 * and library callbacks cannot be yielded across, 5.3's can); a pcall can catch the error.
 */
function coyield(L: LuaState): number {
  if (scriptThreads.has(L) || acrossCCall(L)) {
    lua.lua_pushstring(L, NO_YIELD);
    return lua.lua_error(L);
  }
  return lua.lua_yield(L, lua.lua_gettop(L));
}

/** Replace resume, wrap and yield in the coroutine table on top of the stack. */
export function installCoroutineYields(L: LuaState): void {
  lua.lua_pushcfunction(L, coyield);
  lua.lua_setfield(L, -2, lit('yield'));
  lua.lua_pushcfunction(L, coresume);
  lua.lua_setfield(L, -2, lit('resume'));
  lua.lua_pushcfunction(L, cowrap);
  lua.lua_setfield(L, -2, lit('wrap'));
}
