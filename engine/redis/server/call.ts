// call() of server.c: run one command with its CommandContext, account it, collect its propagation.
import { NIL, type Reply, type Resp } from '../../net/resp.ts';
import type { BlockRequest, CommandContext, CommandSpec } from '../commands/context.ts';
import type { Db, Keyspace } from '../keyspace/keyspace.ts';
import type { Rng } from '../../sim/rng.ts';
import type { Client } from './client.ts';
import { afterCall, beforeCall, commandDuration } from './call-observe.ts';
import { BOTH, REPL_ONLY } from './propagate.ts';
import type { RedisServer } from './server.ts';

/** A handler may return this when it already queued its replies with addReply (SUBSCRIBE & co). */
export const NO_REPLY: Resp = Object.freeze({ t: 'simple', v: '<no reply>' }) as Resp;

/** Commands that may lazily expire arbitrary keys: their DELs are not wrapped (CMD_TOUCHES_ARBITRARY_KEYS). */
const TOUCHES_ARBITRARY_KEYS = new Set(['randomkey', 'scan']);

export class CallContext implements CommandContext {
  dirtyCount = 0;
  explicit = 0;
  prevented = false;
  forceRepl = false;
  blockReq: BlockRequest | null = null;

  constructor(
    readonly server: RedisServer,
    readonly client: Client,
    readonly argv: string[],
    readonly inTransaction: boolean,
  ) {}

  get db(): Db {
    return this.server.ks.db(this.client.dbIndex);
  }
  get ks(): Keyspace {
    return this.server.ks;
  }
  get rng(): Rng {
    return this.server.cmdRng;
  }
  get fromMaster(): boolean {
    return this.client.kind === 'master' || this.server.loading;
  }
  now(): number {
    return this.server.mstime();
  }
  dirty(n = 1): void {
    this.dirtyCount += n;
  }
  propagate(argv: string[]): void {
    this.explicit++;
    this.server.propagator.also(this.client.dbIndex, argv, BOTH);
  }
  preventPropagation(): void {
    this.prevented = true;
  }
  touch(key: string, dbIndex?: number): void {
    this.server.touched(dbIndex ?? this.client.dbIndex, key, this.client);
  }
  block(req: BlockRequest): void {
    this.blockReq = req;
  }
}

/** The result of call(): the reply (undefined while blocked). */
export function call(server: RedisServer, c: Client, spec: CommandSpec, fullname: string, argv: string[], inTransaction: boolean): void {
  const ctx = new CallContext(server, c, argv, inTransaction);
  const prevClient = server.currentClient;
  server.currentClient = c;
  server.callDepth++;
  let reply: Reply | undefined;
  beforeCall(server, c, spec, argv);
  const busyBefore = server.busyUntil;
  const startUs = server.ctx.now();
  try {
    reply = spec.handler(ctx);
  } finally {
    server.callDepth--;
    server.currentClient = prevClient;
  }
  afterCall(server, c, spec, fullname, argv, commandDuration(server, busyBefore, startUs), reply === undefined && ctx.blockReq !== null && !inTransaction && c.conn !== null);
  const stat = server.stats.cmd(fullname);
  stat.calls++;
  server.stats.commandsProcessed++;
  if (reply === undefined) {
    if (ctx.blockReq && !inTransaction && c.conn) server.blocks.block(c, ctx.blockReq, argv, spec);
    else c.addReply(ctx.blockReq ? ctx.blockReq.timeoutReply : NIL);
  } else if (reply !== NO_REPLY) {
    if (reply.t === 'error') stat.failed++;
    else if (spec.name === 'flushall') afterFlushall(server);
    c.addReply(reply);
  }
  finishCall(server, c, ctx, spec, argv);
}

/** Propagation and dirty accounting at the end of call() (and of a served blocked command). */
export function finishCall(server: RedisServer, c: Client, ctx: CallContext, spec: CommandSpec, argv: string[]): void {
  server.dirty += ctx.dirtyCount;
  if (spec.name !== 'exec' && !ctx.prevented && ctx.explicit === 0) {
    if (ctx.dirtyCount > 0) server.propagator.also(c.dbIndex, argv, BOTH);
    else if (ctx.forceRepl) server.propagator.also(c.dbIndex, argv, REPL_ONLY);
  }
  server.tracking.afterCall(c, spec, argv);
  const used = server.ks.usedBytes;
  if (used > server.stats.peakMemory) server.stats.peakMemory = used;
  if (server.callDepth === 0) {
    server.propagator.flush(TOUCHES_ARBITRARY_KEYS.has(spec.name));
    // invalidations for the caller, after its reply
    server.tracking.flushPending(c);
  }
}

/** flushAllDataAndResetRDB: with save rules, the empty dataset is saved at once (dirty is kept for propagation). */
function afterFlushall(server: RedisServer): void {
  server.saver.killChild(false);
  if (server.conf.get('save').trim() === '') return;
  const dirty = server.dirty;
  server.saver.saveSync();
  server.dirty = dirty;
}
