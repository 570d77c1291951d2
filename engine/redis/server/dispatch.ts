// processCommand() of Redis 7.0.15 (server.c): lookup, arity, then the refusals in Redis's order,
// MULTI queueing, call(), then serving clients blocked on keys that became ready.
import { arr, QUEUED, type Reply, type Resp } from '../../net/resp.ts';
import type { CommandSpec } from '../commands/context.ts';
import * as F from './spec-flags.ts';
import { specBits } from './spec-flags.ts';
import { commandCount, lookupCommand } from '../commands/table.ts';
import { call, CallContext, finishCall, NO_REPLY } from './call.ts';
import { afterUnblock } from './call-observe.ts';
import { feedMonitors } from './monitor.ts';
import { isSecurityAttack, securityWarning } from './security.ts';
import type { Client } from './client.ts';
import { aclRefusal, execAclRefusal } from './acl-host.ts';
import {
  DEBUG_NOT_ALLOWED,
  MODULE_NOT_ALLOWED,
  EXECABORT,
  execAbort,
  MASTERDOWN,
  NO_MULTI,
  NOAUTH,
  NOREPLICAS,
  OOM,
  pubsubContext,
  READONLY,
  REPLICA_KEYSPACE,
  unknownCommand,
  unknownSubcommand,
  wrongArity,
} from './errors.ts';
import type { RedisServer } from './server.ts';

const BUSY_EVAL: Resp = { t: 'error', v: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.' };
const BUSY_FUNCTION: Resp = { t: 'error', v: 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.' };

export interface Resolved {
  spec: CommandSpec;
  fullname: string;
}

// lookupCommand by the name as the client spelled it: no lower-casing (a new string to hash) per command.
// Only hits are kept, and all of them are dropped when the table grows (groups register at import).
const byRawName = new Map<string, CommandSpec>();
let byRawNameFor = -1;

function lookupRaw(name: string): CommandSpec | undefined {
  if (byRawNameFor !== commandCount()) {
    byRawName.clear();
    byRawNameFor = commandCount();
  }
  let spec = byRawName.get(name);
  if (spec === undefined) {
    spec = lookupCommand(name);
    if (spec !== undefined && byRawName.size < 10_000) byRawName.set(name, spec);
  }
  return spec;
}

/** lookupCommand + commandCheckExistence: the spec, or the exact error reply. */
export function resolveCommand(argv: readonly string[]): Resolved | Resp {
  const base = lookupRaw(argv[0]!);
  if (!base) return unknownCommand(argv);
  if (base.subcommands && base.subcommands.length > 0 && argv.length > 1) {
    const sub = argv[1]!.toLowerCase();
    const full = `${base.name}|${sub}`;
    const spec = base.subcommands.find((s) => s.name === sub || s.name === full);
    if (!spec) return unknownSubcommand(argv);
    return { spec, fullname: full };
  }
  return { spec: base, fullname: base.name };
}

const PUBSUB_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
const NOT_QUEUED = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** Process the client's queued commands until it blocks, closes, or the server gets busy. */
export function processInput(server: RedisServer, c: Client): void {
  while (c.pending.length > 0 && !c.blocked && !c.closed && !c.closeAfterReply && !server.busy && !server.shuttingDown) {
    // the caller of a timed-out script waits for its reply; the master's stream waits for the script (processInputBuffer)
    if (server.longCommand && (c === server.longCommand.client || c.kind === 'master')) break;
    const argv = c.pending.shift()!;
    server.stats.readsProcessed++;
    c.currentArgv = argv;
    processCommand(server, c, argv);
    c.currentArgv = null;
    // resetClient: a SKIP silences the whole command after CLIENT REPLY SKIP, then replies are back on
    if (c.replyMode === 'skip') c.replyMode = 'on';
    else if (c.replyMode === 'skip-next') c.replyMode = 'skip';
    // resetClient: CLIENT CACHING affects the next command (or transaction) only
    if (c.tracking?.caching && !c.multi && !c.lastCmd.startsWith('client|')) c.tracking.caching = false;
    if (c.closeAfterReply) server.freeClient(c);
  }
}

// the flags asked of every command are bits of spec-flags.ts (always among the first 31 names)
function has(spec: CommandSpec, bit: number): boolean {
  return (specBits(spec) & bit) !== 0;
}

/** Run one command from a client, replying on its connection. */
export function processCommand(server: RedisServer, c: Client, argv: string[]): void {
  if (isSecurityAttack(argv)) return securityWarning(server, c);
  const r = resolveCommand(argv);
  if ('t' in r) {
    c.lastCmd = 'NULL';
    reject(server, c, r, null);
    return;
  }
  const { spec, fullname } = r;
  c.lastCmd = fullname;
  c.lastCmdMs = server.mstime();
  if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
    reject(server, c, wrongArity(fullname), spec, fullname);
    return;
  }
  const refusal = checkRefusals(server, c, spec, fullname, argv);
  if (refusal) {
    reject(server, c, refusal, spec, fullname);
    return;
  }
  // CLIENT PAUSE / FAILOVER: the command waits for the end of the pause (BLOCKED_POSTPONE)
  if (server.pause.type !== 'off' && server.pause.blocks(c, spec, argv)) {
    server.pause.postpone(c, argv, spec);
    return;
  }
  if (c.multi && !NOT_QUEUED.has(spec.name)) {
    // queueMultiCommand: nothing is kept once the transaction is already doomed
    if (!c.dirtyCas && !c.multi.error) {
      c.multi.queue.push(argv);
      c.multiSpecs.push(spec);
    }
    c.addReply(QUEUED);
    return;
  }
  call(server, c, spec, fullname, argv, false);
  // processCommand: c->woff after every command (WAIT waits for the offset as of the client's previous command)
  c.woff = server.repl.masterReplOffset;
  if (server.blocks.hasReady) server.blocks.serveReady();
}

/** The checks between arity and execution, in processCommand's order. */
function checkRefusals(server: RedisServer, c: Client, spec: CommandSpec, fullname: string, argv: readonly string[]): Resp | null {
  // getCommandFlags (a script's declared flags replace EVAL's / FCALL's); EXEC is judged by the flags of
  // the commands it queued (processCommand's is_*_command, mstate.cmd_flags / cmd_inv_flags)
  const own = server.scripting.commandFlagBits(spec, argv);
  let all = own;
  let queuedNotStale = false;
  if (spec.name === 'exec' && c.multi) {
    const q = c.multi.queue;
    for (let j = 0; j < c.multiSpecs.length; j++) {
      const b = server.scripting.commandFlagBits(c.multiSpecs[j]!, q[j]!);
      all |= b;
      if (!(b & F.STALE)) queuedNotStale = true;
    }
  }
  const isWrite = (all & F.WRITE) !== 0;
  const isRead = (all & F.READONLY) !== 0;
  const denyOom = (all & F.DENYOOM) !== 0;
  const denyStale = !(own & F.STALE) || queuedNotStale;
  const mayReplicate = isWrite || (all & F.MAY_REPLICATE) !== 0;
  const obey = c.kind === 'master';
  const conf = server.conf;

  // protected DEBUG (enable-debug-command no|yes|local)
  if (spec.name === 'debug') {
    const mode = conf.get('enable-debug-command');
    const local = c.addr.startsWith('127.') || c.addr.startsWith('::1');
    if (!(mode === 'yes' || (mode === 'local' && local))) return DEBUG_NOT_ALLOWED;
  }
  if (has(spec, F.PROTECTED) && spec.name.startsWith('module|')) {
    const mode = conf.get('enable-module-command');
    if (!(mode === 'yes' || (mode === 'local' && (c.addr.startsWith('127.') || c.addr.startsWith('::1'))))) return MODULE_NOT_ALLOWED;
  }
  if (!c.authenticated && server.acl.authRequired() && !has(spec, F.NO_AUTH)) return NOAUTH;
  if (c.multi && has(spec, F.NO_MULTI)) return NO_MULTI;
  const denied = aclRefusal(server, c, fullname, argv);
  if (denied) return denied;
  if (server.maxmemoryBytes() > 0 && !server.longCommand) {
    const oom = !server.freeMemoryIfNeeded();
    let rejectOnOom = denyOom;
    if (c.multi && !['exec', 'discard', 'quit', 'reset'].includes(spec.name)) rejectOnOom = true;
    if (oom && rejectOnOom) return OOM;
  }
  if (server.tracking.clients > 0) server.tracking.limitUsedSlots();
  const repl = server.repl;
  const minToWrite = conf.int('min-replicas-to-write');
  const maxLag = conf.int('min-replicas-max-lag');
  if (isWrite && !repl.isReplica && minToWrite > 0 && maxLag > 0 && repl.goodReplicas < minToWrite) return NOREPLICAS;
  if (repl.isReplica && conf.bool('replica-read-only') && !obey && isWrite) return READONLY;
  if (c.inPubsub && c.resp === 2 && !PUBSUB_ALLOWED.has(spec.name)) return pubsubContext(fullname);
  if (repl.isReplica && !repl.masterLinkUp && !conf.bool('replica-serve-stale-data') && denyStale) return MASTERDOWN;
  if (server.longCommand && !has(spec, F.ALLOW_BUSY)) return server.longCommand.isEval ? BUSY_EVAL : BUSY_FUNCTION;
  if (c.kind === 'replica' && (mayReplicate || isWrite || isRead)) return REPLICA_KEYSPACE;
  return null;
}

/** rejectCommand: flags the transaction; a refused EXEC discards it (execCommandAbort). */
function reject(server: RedisServer, c: Client, reply: Resp, spec: CommandSpec | null, fullname?: string): void {
  if (c.multi) c.multi.error = true;
  if (spec && fullname) server.stats.cmd(fullname).rejected++;
  // execCommandAbort even outside MULTI (rejectCommand): "-EXECABORT ... because of: ..."
  if (spec?.name === 'exec') {
    discardTransaction(server, c);
    c.addReply(execAbort(reply));
    feedMonitors(server, c, ['exec']); // execCommandAbort: monitors see the end of the transaction
    return;
  }
  c.addReply(reply);
}

export function discardTransaction(server: RedisServer, c: Client): void {
  c.multi = null;
  c.multiSpecs = [];
  c.dirtyCas = false;
  server.watch.unwatchAll(c);
}

/** EXEC (multi.c execCommand). */
export function execTransaction(server: RedisServer, c: Client): Resp {
  if (!c.multi) return { t: 'error', v: 'ERR EXEC without MULTI' };
  if (server.watch.anyExpired(c)) c.dirtyCas = true;
  if (c.dirtyCas || c.multi.error) {
    const reply = c.multi.error ? EXECABORT : arr(null);
    discardTransaction(server, c);
    return reply;
  }
  const queue = c.multi.queue;
  const specs = c.multiSpecs;
  server.watch.unwatchAll(c);
  const outer = c.sink;
  const sink: Resp[] = [];
  c.sink = sink;
  try {
    for (let j = 0; j < queue.length; j++) {
      const argv = queue[j]!;
      const spec = specs[j]!;
      const r = resolveCommand(argv);
      const fullname = 'fullname' in r ? r.fullname : spec.name;
      // execCommand re-checks ACLs: they may have changed since the command was queued
      const denied = execAclRefusal(server, c, fullname, argv);
      if (denied) c.addReply(denied);
      else call(server, c, spec, fullname, argv, true);
    }
  } finally {
    c.sink = outer;
  }
  discardTransaction(server, c);
  // the array holds one reply per queued command; extra replies (SUBSCRIBE of several channels,
  // messages to itself) follow it on the wire, exactly as the byte stream would parse
  const n = queue.length;
  const head = arr(sink.slice(0, n));
  if (sink.length <= n) return head;
  c.addReply(head);
  for (const e of sink.slice(n)) c.addReply(e);
  return NO_REPLY;
}

/** A key a client blocks on became ready: re-run its command (blocked.c). */
export function retryBlocked(server: RedisServer, c: Client): boolean {
  const b = c.blocked;
  if (!b) return false;
  const ctx = new CallContext(server, c, b.argv, false);
  const prev = server.currentClient;
  server.currentClient = c;
  server.callDepth++;
  let reply: Reply | undefined;
  try {
    reply = b.req.retry(ctx);
  } finally {
    server.callDepth--;
    server.currentClient = prev;
  }
  if (reply === undefined) {
    server.propagator.flush();
    return false;
  }
  server.blocks.unblock(c);
  // a command that held the server on a socket (MIGRATE) was one call, already counted
  if (!b.req.servedDurationUs) server.stats.commandsProcessed++;
  // the call was counted when it blocked (call()); updateStatsOnUnblock adds a failed call when the
  // reply is an error (-NOGROUP, -UNBLOCKED of XREADGROUP)
  if (reply.t === 'error') server.stats.cmd(c.lastCmd).failed++;
  afterUnblock(server, c, b.spec, c.lastCmd, b.argv, b.req.servedDurationUs?.() ?? 0);
  c.addReply(reply);
  finishCall(server, c, ctx, b.spec, b.argv);
  server.unblocked.push(c);
  return true;
}

/** The block time-out fired: reply with the time-out reply, the client reads again. */
export function timeoutBlocked(server: RedisServer, c: Client): void {
  const b = c.blocked;
  if (!b) return;
  server.blocks.unblock(c);
  c.addReply(b.req.timeoutReply);
  server.unblocked.push(c);
}
