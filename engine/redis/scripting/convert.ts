// Lua <-> RESP conversion of Redis 7.0.15 (script_lua.c redisProtocolToLuaType / luaReplyToRedisReply),
// and the error tables of luaPushErrorBuff.
import { arr, bignum, bool, bulk, dbl, err, int, map, NIL, set, simple, verbatim, type Reply } from '../../net/resp.ts';
import { markErrorCounted } from '../server/client.ts';
import { gFormat, lstr, lua, pushStr, toStr, type LuaState } from './vm.ts';

/** luaPushErrorBuff: "-CODE msg" or "msg" → a table {err = "CODE msg"} on the stack. */
export function pushErrorTable(L: LuaState, text: string): void {
  let code = 'ERR';
  let msg = text;
  if (text.startsWith('-')) {
    const sp = text.indexOf(' ');
    if (sp < 0) msg = text.slice(1);
    else {
      code = text.slice(1, sp);
      msg = text.slice(sp + 1);
    }
  }
  msg = msg.replace(/^[\r\n]+|[\r\n]+$/g, '');
  lua.lua_createtable(L, 0, 1);
  pushStr(L, `${code} ${msg}`);
  lua.lua_setfield(L, -2, lstr('err'));
}

/** Mark the error table on top as already counted in the error stats. */
export function markIgnoreStats(L: LuaState): void {
  lua.lua_pushboolean(L, 1);
  lua.lua_setfield(L, -2, lstr('ignore_error_stats_update'));
}

/** Whether the error table at idx was counted when it arose (luaExtractErrorInformation's ignore_err_stats_update). */
export function statsIgnored(L: LuaState, idx: number): boolean {
  lua.lua_getfield(L, idx, lstr('ignore_error_stats_update'));
  const on = lua.lua_toboolean(L, -1);
  lua.lua_pop(L, 1);
  return on;
}

/** redisProtocolToLuaType: a reply in the script client's protocol (redis.setresp) as a Lua value. */
export function pushReply(L: LuaState, r: Reply): void {
  lauxCheck(L);
  switch (r.t) {
    case 'simple':
      lua.lua_createtable(L, 0, 1);
      pushStr(L, r.v);
      lua.lua_setfield(L, -2, lstr('ok'));
      return;
    case 'error':
      pushErrorTable(L, `-${r.v}`);
      markIgnoreStats(L);
      return;
    case 'int':
      lua.lua_pushnumber(L, Number(r.v));
      return;
    case 'bulk':
      if (r.v === null) lua.lua_pushboolean(L, 0);
      else pushStr(L, r.v);
      return;
    case 'array':
      if (r.v === null) {
        lua.lua_pushboolean(L, 0);
        return;
      }
      lua.lua_createtable(L, r.v.length, 0);
      for (let i = 0; i < r.v.length; i++) {
        pushReply(L, r.v[i]!);
        lua.lua_rawseti(L, -2, i + 1);
      }
      return;
    case 'nested':
    case 'push':
      pushReply(L, arr(r.v));
      return;
    case 'null':
      lua.lua_pushnil(L);
      return;
    case 'bool':
      lua.lua_pushboolean(L, r.v ? 1 : 0);
      return;
    case 'double':
      lua.lua_createtable(L, 0, 1);
      lua.lua_pushnumber(L, Number(r.v === 'inf' ? Infinity : r.v === '-inf' ? -Infinity : r.v));
      lua.lua_setfield(L, -2, lstr('double'));
      return;
    case 'bignum':
      lua.lua_createtable(L, 0, 1);
      pushStr(L, r.v);
      lua.lua_setfield(L, -2, lstr('big_number'));
      return;
    case 'verbatim':
      lua.lua_createtable(L, 0, 1);
      lua.lua_createtable(L, 0, 2);
      pushStr(L, r.f);
      lua.lua_setfield(L, -2, lstr('format'));
      pushStr(L, r.v);
      lua.lua_setfield(L, -2, lstr('string'));
      lua.lua_setfield(L, -2, lstr('verbatim_string'));
      return;
    case 'map':
    case 'set':
      // {map = {k = v, …}} / {set = {member = true, …}}
      lua.lua_createtable(L, 0, 1);
      lua.lua_createtable(L, 0, r.t === 'map' ? r.v.length / 2 : r.v.length);
      for (let i = 0; i < r.v.length; i += r.t === 'map' ? 2 : 1) {
        pushReply(L, r.v[i]!);
        if (r.t === 'map') pushReply(L, r.v[i + 1]!);
        else lua.lua_pushboolean(L, 1);
        lua.lua_settable(L, -3);
      }
      lua.lua_setfield(L, -2, lstr(r.t));
      return;
  }
}

function lauxCheck(L: LuaState): void {
  if (!lua.lua_checkstack(L, 4)) throw new Error('lua stack limit reach when parsing redis.call reply');
}

/** (long long) of a Lua number: truncation toward zero, saturated like x86's conversion. */
function toLongLong(n: number): Reply {
  if (Number.isNaN(n)) return int(-9223372036854775808n);
  const t = Math.trunc(n);
  if (Number.isSafeInteger(t)) return int(t);
  if (t >= 9223372036854775807 || t <= -9223372036854775808) return int(-9223372036854775808n);
  return int(BigInt(t));
}

function getField(L: LuaState, idx: number, name: string): number {
  pushStr(L, name);
  lua.lua_rawget(L, idx < 0 ? idx - 1 : idx);
  return lua.lua_type(L, -1);
}

/** luaReplyToRedisReply: the value on top of the stack (consumed) as the reply to a RESP2 client. */
export function popReply(L: LuaState, scriptResp: number): Reply {
  const r = toReply(L, -1, scriptResp, 0);
  lua.lua_pop(L, 1);
  return r;
}

function toReply(L: LuaState, idx: number, scriptResp: number, depth: number): Reply {
  if (!lua.lua_checkstack(L, 4) || depth > 1000) return err('ERR reached lua stack limit');
  const t = lua.lua_type(L, idx);
  switch (t) {
    case lua.LUA_TSTRING:
      return bulk(toStr(L, idx));
    case lua.LUA_TBOOLEAN:
      // RESP2 script client: true → 1, false → null; a RESP3 script client answers a boolean (RESP2 caller: 1/0)
      if (scriptResp === 2) return lua.lua_toboolean(L, idx) ? int(1) : NIL;
      return bool(lua.lua_toboolean(L, idx));
    case lua.LUA_TNUMBER:
      return toLongLong(lua.lua_tonumber(L, idx));
    case lua.LUA_TTABLE:
      return tableReply(L, lua.lua_absindex(L, idx), scriptResp, depth);
    default:
      return NIL;
  }
}

function tableReply(L: LuaState, idx: number, scriptResp: number, depth: number): Reply {
  if (getField(L, idx, 'err') === lua.LUA_TSTRING) {
    const msg = toStr(L, -1)!;
    lua.lua_pop(L, 1);
    const e = err(msg.replace(/^[\r\n]+|[\r\n]+$/g, '').replace(/[\r\n]/g, ' '));
    return statsIgnored(L, idx) ? markErrorCounted(e) : e;
  }
  lua.lua_pop(L, 1);
  if (getField(L, idx, 'ok') === lua.LUA_TSTRING) {
    const ok = toStr(L, -1)!;
    lua.lua_pop(L, 1);
    return simple(ok.replace(/[\r\n]/g, ' '));
  }
  lua.lua_pop(L, 1);
  if (getField(L, idx, 'double') === lua.LUA_TNUMBER) {
    const d = lua.lua_tonumber(L, -1);
    lua.lua_pop(L, 1);
    return dbl(Number.isFinite(d) ? gFormat(d, 17) : d > 0 ? 'inf' : '-inf');
  }
  lua.lua_pop(L, 1);
  if (getField(L, idx, 'big_number') === lua.LUA_TSTRING) {
    const s = toStr(L, -1)!;
    lua.lua_pop(L, 1);
    return bignum(s.replace(/[\r\n]/g, ' '));
  }
  lua.lua_pop(L, 1);
  if (getField(L, idx, 'verbatim_string') === lua.LUA_TTABLE) {
    const v = lua.lua_absindex(L, -1);
    const hasFormat = getField(L, v, 'format') === lua.LUA_TSTRING;
    lua.lua_pop(L, 1);
    if (hasFormat && getField(L, v, 'string') === lua.LUA_TSTRING) {
      const s = toStr(L, -1)!;
      lua.lua_pop(L, 1);
      getField(L, v, 'format');
      const f = toStr(L, -1) ?? 'txt';
      lua.lua_pop(L, 2);
      return verbatim(s, f);
    }
    if (hasFormat) lua.lua_pop(L, 1);
  }
  lua.lua_pop(L, 1);
  if (getField(L, idx, 'map') === lua.LUA_TTABLE) {
    const m = lua.lua_absindex(L, -1);
    const out: Reply[] = [];
    lua.lua_pushnil(L);
    while (lua.lua_next(L, m)) {
      out.push(toReply(L, -2, scriptResp, depth + 1));
      out.push(toReply(L, -1, scriptResp, depth + 1));
      lua.lua_pop(L, 1);
    }
    lua.lua_pop(L, 1);
    return map(out);
  }
  lua.lua_pop(L, 1);
  if (getField(L, idx, 'set') === lua.LUA_TTABLE) {
    const m = lua.lua_absindex(L, -1);
    const out: Reply[] = [];
    lua.lua_pushnil(L);
    while (lua.lua_next(L, m)) {
      out.push(toReply(L, -2, scriptResp, depth + 1));
      lua.lua_pop(L, 1);
    }
    lua.lua_pop(L, 1);
    return set(out);
  }
  lua.lua_pop(L, 1);
  const out: Reply[] = [];
  for (let j = 1; ; j++) {
    lua.lua_pushnumber(L, j);
    lua.lua_rawget(L, idx);
    if (lua.lua_type(L, -1) === lua.LUA_TNIL) {
      lua.lua_pop(L, 1);
      break;
    }
    out.push(toReply(L, -1, scriptResp, depth + 1));
    lua.lua_pop(L, 1);
  }
  return arr(out);
}
