// EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT of Redis 7.0.15 (eval.c).
import { arr, bulk, err, int, OK, type Reply, type Resp } from '../../net/resp.ts';
import type { CommandContext } from '../commands/context.ts';
import { NO_REPLY } from '../server/call.ts';
import type { Client } from '../server/client.ts';
import { helpReply, parseLongLong } from '../server/cmdutil.ts';
import { serverOf } from '../server/server-of.ts';
import { sha1hex } from './api.ts';
import { setLockedGlobal } from './engines.ts';
import { splitArgs } from '../config/tokenizer.ts';
import { checkPrepare, startRun } from './prepare.ts';
import { FLAG_EVAL_COMPAT, SCRIPT_FLAGS } from './run.ts';
import { stateOf, type CachedScript, type ScriptingState } from './state.ts';
import { floatConstants, lauxlib, lstr, lua, pushStr } from './vm.ts';

const NOSCRIPT: Resp = err('NOSCRIPT No matching script. Please use EVAL.');

/** evalExtractShebangFlags: flags and the shebang length, or the error text. */
export function shebangFlags(body: string): { flags: number; len: number } | string {
  if (!body.startsWith('#!')) return { flags: FLAG_EVAL_COMPAT, len: 0 };
  const end = body.indexOf('\n');
  if (end < 0) return 'Invalid script shebang';
  const parts = splitArgs(body.slice(0, end));
  if (!parts || parts.length === 0) return 'Invalid engine in script shebang';
  if (parts[0] !== '#!lua') return `Unexpected engine in script shebang: ${parts[0]}`;
  let flags = 0;
  for (const p of parts.slice(1)) {
    if (!p.startsWith('flags=')) return `Unknown lua shebang option: ${p}`;
    // sdssplitlen of an empty list has no elements: "flags=" declares no flags
    for (const f of p.length === 6 ? [] : p.slice(6).split(',')) {
      const def = SCRIPT_FLAGS.find(([, name]) => name === f);
      if (!def) return `Unexpected flag in script shebang: ${f}`;
      flags |= def[0];
    }
  }
  return { flags, len: end };
}

/** luaCreateFunction: compile and cache a script body; the sha, or an error reply. */
export function createScript(st: ScriptingState, body: string): { sha: string; script: CachedScript } | Resp {
  const sha = sha1hex(body);
  const hit = st.scripts.get(sha);
  if (hit) return { sha, script: hit };
  const sb = shebangFlags(body);
  if (typeof sb === 'string') return err(`ERR ${sb}`);
  const L = st.evalL;
  const code = lstr(body.slice(sb.len));
  if (lauxlib.luaL_loadbuffer(L, code, code.length, lstr('@user_script')) !== lua.LUA_OK) {
    const msg = lua.lua_tolstring(L, -1);
    lua.lua_pop(L, 1);
    // 5.1 quotes the end-of-stream token: near '<eof>'
    return err(`ERR Error compiling script (new function): ${msg ? String.fromCharCode(...msg).replace(/near <eof>$/, "near '<eof>'") : ''}`);
  }
  floatConstants(L, -1);
  const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  const script = { body, flags: sb.flags, ref };
  st.scripts.set(sha, script);
  return { sha, script };
}

function evalGeneric(ctx: CommandContext, evalsha: boolean, ro: boolean): Reply {
  const st = stateOf(ctx);
  const argv = ctx.argv;
  if (evalsha && argv[1]!.length !== 40) return NOSCRIPT;
  const n = parseLongLong(argv[2]!);
  if (n === null) return err('ERR value is not an integer or out of range');
  if (n > argv.length - 3) return err("ERR Number of keys can't be greater than number of args");
  if (n < 0) return err("ERR Number of keys can't be negative");
  let sha: string;
  let script: CachedScript | undefined;
  if (evalsha) {
    sha = argv[1]!.toLowerCase();
    script = st.scripts.get(sha);
    if (!script) return NOSCRIPT;
  } else {
    const made = createScript(st, argv[1]!);
    if ('t' in made) return made;
    sha = made.sha;
    script = made.script;
  }
  const c = ctx.client as Client;
  const refusal = checkPrepare(serverOf(ctx), c, script.flags, ro);
  if (refusal) return refusal;
  const L = st.evalL;
  const keys = argv.slice(3, 3 + n);
  const args = argv.slice(3 + n);
  pushArray(L, keys);
  setLockedGlobal(L, 'KEYS');
  pushArray(L, args);
  setLockedGlobal(L, 'ARGV');
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, script.ref);
  return startRun(ctx, st, L, 0, sha, true, script.flags, ro);
}

export function pushArray(L: unknown, items: readonly string[]): void {
  lua.lua_createtable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    pushStr(L, items[i]!);
    lua.lua_rawseti(L, -2, i + 1);
  }
}

export const evalCommand = (ctx: CommandContext) => evalGeneric(ctx, false, false);
export const evalRoCommand = (ctx: CommandContext) => evalGeneric(ctx, false, true);
export const evalShaCommand = (ctx: CommandContext) => evalGeneric(ctx, true, false);
export const evalShaRoCommand = (ctx: CommandContext) => evalGeneric(ctx, true, true);

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

export const scriptHelp = (ctx: CommandContext) => helpReply(ctx, SCRIPT_HELP);

export function scriptFlush(ctx: CommandContext): Resp {
  const a = ctx.argv;
  if (!(a.length === 2 || (a.length === 3 && ['sync', 'async'].includes(a[2]!.toLowerCase()))))
    return err('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
  stateOf(ctx).resetEval();
  return OK;
}

export function scriptExists(ctx: CommandContext): Resp {
  const st = stateOf(ctx);
  return arr(ctx.argv.slice(2).map((s) => int(st.scripts.has(s) ? 1 : 0)));
}

export function scriptLoad(ctx: CommandContext): Resp {
  const made = createScript(stateOf(ctx), ctx.argv[2]!);
  return 't' in made ? made : bulk(made.sha);
}

/** scriptKill (script.c): SCRIPT KILL (isEval) and FUNCTION KILL. */
export function scriptKill(ctx: CommandContext, isEval: boolean): Resp {
  const run = stateOf(ctx).current;
  if (!run) return err('NOTBUSY No scripts in execution right now.');
  if (run.caller.kind === 'master' || !run.caller.conn)
    return err('UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.');
  if (run.writeDirty)
    return err(
      'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
    );
  if (isEval && !run.isEval) return err('BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.');
  if (!isEval && run.isEval) return err('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
  run.killed = true;
  return OK;
}

export function scriptDebug(ctx: CommandContext): Resp {
  const m = ctx.argv[2]!.toLowerCase();
  if (m === 'no') return OK;
  if (m === 'yes' || m === 'sync') return err('ERR SCRIPT DEBUG is not supported by the simulator (no Lua debugger)');
  return err('ERR Use SCRIPT DEBUG YES/SYNC/NO');
}

export { NO_REPLY };
