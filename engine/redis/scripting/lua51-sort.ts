// table.sort as Lua 5.1 has it (Redis 7.0.15 deps/lua/src/ltablib.c sort/auxsort), replacing fengari's
// 5.3 version for two reasons a script can observe:
// - the order: 5.1's quicksort (median of three, raw gets and sets, no random pivot) decides where
//   elements the comparator calls equal end up; 5.3 partitions differently and, on unbalanced
//   partitions, draws a random pivot from Math.random (not deterministic);
// - a busy comparator: the comparisons are calls with a continuation (lua_callk), so the count hook
//   can yield the script from inside the comparator (busy-reply-threshold, SCRIPT KILL) where
//   fengari's lua_call would refuse to yield across the C call. The sort's own state lives in a
//   generator that the continuation resumes.
import lauxlib from 'fengari/src/lauxlib.js';
import lua from 'fengari/src/lua.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type LuaState = any;

const lit = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const INVALID_ORDER = lit('invalid order function for sorting');
const LT = lit('__lt');

/** What the sort asks for: is the value at stack index `a` less than the one at `b`? */
interface Compare {
  a: number;
  b: number;
}

type SortSteps = Generator<Compare, void, boolean>;

/** set2: t[i] = top, t[j] = the value below it (both popped). */
function set2(L: LuaState, i: number, j: number): void {
  lua.lua_rawseti(L, 1, i);
  lua.lua_rawseti(L, 1, j);
}

function invalidOrder(L: LuaState): never {
  lauxlib.luaL_error(L, INVALID_ORDER);
  throw new Error('unreachable');
}

/** auxsort of 5.1: quicksort of t[l..u] with the table at index 1, each comparison yielded to the driver. */
function* auxsort(L: LuaState, l: number, u: number): SortSteps {
  while (l < u) {
    // order t[l], t[(l+u)/2], t[u]
    lua.lua_rawgeti(L, 1, l);
    lua.lua_rawgeti(L, 1, u);
    if (yield { a: -1, b: -2 }) set2(L, l, u);
    else lua.lua_pop(L, 2);
    if (u - l === 1) break;
    let i = Math.floor((l + u) / 2);
    lua.lua_rawgeti(L, 1, i);
    lua.lua_rawgeti(L, 1, l);
    if (yield { a: -2, b: -1 }) set2(L, i, l);
    else {
      lua.lua_pop(L, 1);
      lua.lua_rawgeti(L, 1, u);
      if (yield { a: -1, b: -2 }) set2(L, i, u);
      else lua.lua_pop(L, 2);
    }
    if (u - l === 2) break;
    // the pivot goes to u-1; partition l+1 .. u-2 around it
    lua.lua_rawgeti(L, 1, i);
    lua.lua_pushvalue(L, -1);
    lua.lua_rawgeti(L, 1, u - 1);
    set2(L, i, u - 1);
    i = l;
    let j = u - 1;
    for (;;) {
      for (;;) {
        lua.lua_rawgeti(L, 1, ++i);
        if (!(yield { a: -1, b: -2 })) break;
        if (i > u) invalidOrder(L);
        lua.lua_pop(L, 1);
      }
      for (;;) {
        lua.lua_rawgeti(L, 1, --j);
        if (!(yield { a: -3, b: -1 })) break;
        if (j < l) invalidOrder(L);
        lua.lua_pop(L, 1);
      }
      if (j < i) {
        lua.lua_pop(L, 3);
        break;
      }
      set2(L, i, j);
    }
    lua.lua_rawgeti(L, 1, u - 1);
    lua.lua_rawgeti(L, 1, i);
    set2(L, u - 1, i);
    // recurse into the smaller half, loop on the larger one
    if (i - l < u - i) {
      j = l;
      i = i - 1;
      l = i + 2;
    } else {
      j = i + 1;
      i = u;
      u = j - 2;
    }
    yield* auxsort(L, j, i);
  }
}

/** Run the sort until it ends (0 results) or a comparator call yields (then `resume` continues it). */
function drive(L: LuaState, steps: SortSteps, answer: boolean | undefined): number {
  let next = answer === undefined ? steps.next() : steps.next(answer);
  while (!next.done) {
    const { a, b } = next.value;
    let less: boolean;
    // the comparator, or the values' common __lt (a Lua function may loop: it too is called with a continuation)
    const comp = lua.lua_isnil(L, 2) ? pushLessThan(L, a, b) : (lua.lua_pushvalue(L, 2), true);
    if (!comp) less = lua.lua_compare(L, a, b, lua.LUA_OPLT) !== 0;
    else {
      lua.lua_pushvalue(L, a - 1);
      lua.lua_pushvalue(L, b - 2);
      lua.lua_callk(L, 2, 1, steps, resume);
      less = lua.lua_toboolean(L, -1);
      lua.lua_pop(L, 1);
    }
    next = steps.next(less);
  }
  return 0;
}

/**
 * lua_lessthan of 5.1 (lvm.c luaV_lessthan / call_orderTM) for values that are not two numbers or two
 * strings: pushes their __lt when both have the same one (true); raises 5.1's order error when they
 * have none or different ones; false (nothing pushed) for numbers and strings, compared at once.
 */
function pushLessThan(L: LuaState, a: number, b: number): boolean {
  const ta = lua.lua_type(L, a);
  const tb = lua.lua_type(L, b);
  if (ta === tb && (ta === lua.LUA_TNUMBER || ta === lua.LUA_TSTRING)) return false;
  if (lauxlib.luaL_getmetafield(L, a, LT) !== lua.LUA_TNIL) {
    if (lauxlib.luaL_getmetafield(L, b - 1, LT) !== lua.LUA_TNIL) {
      if (lua.lua_rawequal(L, -1, -2)) {
        lua.lua_pop(L, 1);
        return true;
      }
      lua.lua_pop(L, 1);
    }
    lua.lua_pop(L, 1);
  }
  const na = String.fromCharCode(...lua.lua_typename(L, ta));
  const nb = String.fromCharCode(...lua.lua_typename(L, tb));
  // ldebug.c luaG_ordererror (no position: the sort is a C function)
  lua.lua_pushstring(L, lit(na === nb ? `attempt to compare two ${na} values` : `attempt to compare ${na} with ${nb}`));
  lua.lua_error(L);
  throw new Error('unreachable');
}

/** The continuation of a comparator call that yielded: its result is on top. */
function resume(L: LuaState, _status: number, steps: SortSteps): number {
  const less = lua.lua_toboolean(L, -1);
  lua.lua_pop(L, 1);
  return drive(L, steps, less);
}

/** table.sort(t [, comp]) of 5.1: the argument checks come before anything else, even for a short table. */
export function sort51(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  const n = lua.lua_rawlen(L, 1);
  if (!lua.lua_isnoneornil(L, 2)) lauxlib.luaL_checktype(L, 2, lua.LUA_TFUNCTION);
  lua.lua_settop(L, 2);
  return drive(L, auxsort(L, 1, n), undefined);
}
