// scriptPrepareForRun (script.c): the refusals a script meets before it runs, given its flags; and
// the start of a run, answering at once or, for a script that timed out, when it ends.
import { err, type Reply, type Resp } from '../../net/resp.ts';
import type { CommandContext } from '../commands/context.ts';
import { NO_REPLY } from '../server/call.ts';
import type { Client } from '../server/client.ts';
import type { RedisServer } from '../server/server.ts';
import { FLAG_ALLOW_OOM, FLAG_ALLOW_STALE, FLAG_EVAL_COMPAT, FLAG_NO_WRITES, ScriptRun } from './run.ts';
import type { ScriptingState } from './state.ts';
import type { LuaState } from './vm.ts';

export function checkPrepare(s: RedisServer, caller: Client, flags: number, ro: boolean): Resp | null {
  const repl = s.repl;
  const runningStale = repl.isReplica && !repl.masterLinkUp && !s.conf.bool('replica-serve-stale-data');
  const obey = caller.kind === 'master' || s.loading;
  if (flags & FLAG_EVAL_COMPAT) {
    if (runningStale) return err("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
    return null;
  }
  if (runningStale && !(flags & FLAG_ALLOW_STALE))
    return err("MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and 'allow-stale' flag is not set on the script.");
  if (!(flags & FLAG_NO_WRITES)) {
    if (repl.isReplica && s.conf.bool('replica-read-only') && !obey) return err('READONLY Can not run script with write flag on readonly replica');
    if (ro) return err('ERR Can not execute a script with write flag using *_ro command.');
    const minToWrite = s.conf.int('min-replicas-to-write');
    if (!repl.isReplica && s.conf.int('min-replicas-max-lag') > 0 && minToWrite > 0 && repl.goodReplicas < minToWrite)
      return err('NOREPLICAS Not enough good replicas to write.');
  }
  const max = s.maxmemoryBytes();
  if (max > 0 && s.usedMemory() > max && !(flags & (FLAG_ALLOW_OOM | FLAG_NO_WRITES)))
    return err("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
  return null;
}

/** Run the function on top of L (with nargs arguments above it); the reply, or NO_REPLY while it runs on. */
export function startRun(
  ctx: CommandContext,
  st: ScriptingState,
  L: LuaState,
  nargs: number,
  funcname: string,
  isEval: boolean,
  flags: number,
  ro: boolean,
): Reply {
  const caller = ctx.client as Client;
  let sync = true;
  let result: Reply | null = null;
  const mayYield = !ctx.inTransaction && caller.conn !== null && caller.kind === 'normal';
  const run = new ScriptRun(st, L, caller, ctx.argv, funcname, isEval, flags, ro, (reply) => {
    if (sync) result = reply;
    else caller.addReply(reply);
  }, mayYield);
  run.start(nargs);
  sync = false;
  return result ?? NO_REPLY;
}
