// FUNCTION LOAD / LIST / DELETE / FLUSH / STATS / KILL / HELP, FCALL and FCALL_RO (functions.c).
import { arr, bulk, bulks, err, int, map, NIL, OK, set, simple, type Reply, type Resp } from '../../net/resp.ts';
import type { CommandContext } from '../commands/context.ts';
import type { Client } from '../server/client.ts';
import { helpReply, parseLongLong } from '../server/cmdutil.ts';
import { stringMatch } from '../keyspace/glob.ts';
import { serverOf } from '../server/server.ts';
import { pushArray, scriptKill } from './eval.ts';
import { createLibrary, freeLibrary, registryOf } from './functions.ts';
import { checkPrepare, startRun } from './prepare.ts';
import { SCRIPT_FLAGS } from './run.ts';
import { stateOf } from './state.ts';
import { lua } from './vm.ts';

const errText = (e: string): Resp => err(e.startsWith('-') ? e.slice(1) : `ERR ${e}`);

export function functionLoad(ctx: CommandContext): Resp {
  const a = ctx.argv;
  let replace = false;
  let i = 2;
  while (i < a.length - 1) {
    const opt = a[i++]!;
    if (opt.toLowerCase() === 'replace') {
      replace = true;
      continue;
    }
    return err(`ERR Unknown option given: ${opt}`);
  }
  if (i >= a.length) return err('ERR Function code is missing');
  const st = stateOf(ctx);
  const c = ctx.client as Client;
  const timeout = c.kind === 'master' || serverOf(ctx).loading ? 0 : 500;
  const r = createLibrary(st, registryOf(st), a[i]!, replace, timeout);
  if (typeof r !== 'string') return errText(r.error);
  ctx.dirty();
  return bulk(r);
}

export function functionList(ctx: CommandContext): Reply {
  const a = ctx.argv;
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < a.length; i++) {
    const x = a[i]!.toLowerCase();
    if (!withCode && x === 'withcode') {
      withCode = true;
      continue;
    }
    if (pattern === null && x === 'libraryname') {
      if (i >= a.length - 1) return err('ERR library name argument was not given');
      pattern = a[++i]!;
      continue;
    }
    return err(`ERR Unknown argument ${a[i]}`);
  }
  // maps (RESP2: flat arrays), the flags a set
  const out: Reply[] = [];
  for (const li of registryOf(stateOf(ctx)).libraries.values()) {
    if (pattern !== null && !stringMatch(pattern, li.name, true)) continue;
    const fns: Reply[] = [];
    for (const f of li.functions.values()) {
      const flags = SCRIPT_FLAGS.filter(([bit]) => f.flags & bit).map(([, n]) => simple(n));
      fns.push(map([bulk('name'), bulk(f.name), bulk('description'), f.desc === null ? NIL : bulk(f.desc), bulk('flags'), set(flags)]));
    }
    const m: Reply[] = [bulk('library_name'), bulk(li.name), bulk('engine'), bulk(li.engine), bulk('functions'), arr(fns)];
    if (withCode) m.push(bulk('library_code'), bulk(li.code));
    out.push(map(m));
  }
  return arr(out);
}

export function functionDelete(ctx: CommandContext): Resp {
  const st = stateOf(ctx);
  const reg = registryOf(st);
  const li = reg.libraries.get(ctx.argv[2]!);
  if (!li) return err('ERR Library not found');
  reg.unlink(li);
  freeLibrary(st, li);
  ctx.dirty();
  return OK;
}

export function functionFlush(ctx: CommandContext): Resp {
  const a = ctx.argv;
  if (a.length > 3) return subcommandSyntax(ctx);
  if (a.length === 3 && !['sync', 'async'].includes(a[2]!.toLowerCase())) return err('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
  const st = stateOf(ctx);
  const reg = registryOf(st);
  reg.flush((li) => freeLibrary(st, li));
  ctx.dirty();
  return OK;
}

export function subcommandSyntax(ctx: CommandContext): Resp {
  return err(`ERR unknown subcommand or wrong number of arguments for '${ctx.argv[1]}'. Try ${ctx.argv[0]!.toUpperCase()} HELP.`);
}

export function functionStats(ctx: CommandContext): Reply {
  const st = stateOf(ctx);
  const run = st.current;
  if (run?.isEval) return err('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
  const reg = registryOf(st);
  const running = run
    ? map([bulk('name'), bulk(run.funcname), bulk('command'), bulks(run.argv), bulk('duration_ms'), int(Math.floor(run.elapsedUs / 1000))])
    : NIL;
  const engines = map([bulk('LUA'), map([bulk('libraries_count'), int(reg.libraries.size), bulk('functions_count'), int(reg.functions.size)])]);
  return map([bulk('running_script'), running, bulk('engines'), engines]);
}

export const functionKill = (ctx: CommandContext) => scriptKill(ctx, false);

function fcallGeneric(ctx: CommandContext, ro: boolean): Reply {
  const st = stateOf(ctx);
  const a = ctx.argv;
  const f = registryOf(st).functions.get(a[1]!);
  if (!f) return err('ERR Function not found');
  const n = parseLongLong(a[2]!);
  if (n === null) return err('ERR Bad number of keys provided');
  if (n > a.length - 3) return err("ERR Number of keys can't be greater than number of args");
  if (n < 0) return err("ERR Number of keys can't be negative");
  const refusal = checkPrepare(serverOf(ctx), ctx.client as Client, f.flags, ro);
  if (refusal) return refusal;
  const L = st.fnL;
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, f.ref);
  pushArray(L, a.slice(3, 3 + n));
  pushArray(L, a.slice(3 + n));
  return startRun(ctx, st, L, 2, f.name, false, f.flags, ro);
}

export const fcallCommand = (ctx: CommandContext) => fcallGeneric(ctx, false);
export const fcallRoCommand = (ctx: CommandContext) => fcallGeneric(ctx, true);

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

export const functionHelp = (ctx: CommandContext) => helpReply(ctx, FUNCTION_HELP);
