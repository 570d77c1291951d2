// The contract between command implementations and the server that dispatches them (design.md, engine/redis).
import type { Reply } from '../../net/resp.ts';
import type { Rng } from '../../sim/rng.ts';
import type { Db, Keyspace } from '../keyspace/keyspace.ts';
import type { CommandMeta } from './meta.ts';

/** Per-connection state a command may read or change. */
export interface ClientState {
  readonly id: number;
  name: string;
  /** Selected database index. */
  dbIndex: number;
  authenticated: boolean;
  user: string;
  /** MULTI state: null when not in a transaction. */
  multi: { queue: string[][]; error: boolean } | null;
  /** Keys WATCHed: "db\0key" → version seen at WATCH time. */
  watched: Map<string, number>;
  /** True once a watched key was touched: EXEC aborts. */
  dirtyCas: boolean;
  channels: Set<string>;
  patterns: Set<string>;
  /** 'normal' | 'replica' | 'master' | 'pubsub' (CLIENT KILL TYPE, CLIENT LIST). */
  kind: 'normal' | 'replica' | 'master' | 'pubsub';
  /** "ip:port" of the peer. */
  readonly addr: string;
  readonly laddr: string;
  /** Host ms when the connection was accepted, and of the last command. */
  readonly createdMs: number;
  lastCmdMs: number;
  lastCmd: string;
  /** RESP protocol version (HELLO). Only 2 is supported. */
  resp: number;
  /** Close after the reply (QUIT, CLIENT KILL of self). */
  closeAfterReply: boolean;
}

/** A blocked command: the server re-runs `retry` whenever one of `keys` is touched, until it returns a reply. */
export interface BlockRequest {
  keys: string[];
  /** Absolute host ms deadline; 0 = block forever. */
  deadlineMs: number;
  /** Try to serve the command; return the reply, or undefined to stay blocked. Runs as a fresh call (may propagate). */
  retry: (ctx: CommandContext) => Reply | undefined;
  /** Reply sent on time-out. */
  timeoutReply: Reply;
  /** A command that blocked the whole server meanwhile (MIGRATE): its duration in µs, counted as a call's. */
  servedDurationUs?: () => number;
}

/** What a command sees while it runs. Created by the server for each call. */
export interface CommandContext {
  readonly argv: string[];
  readonly client: ClientState;
  /** The client's selected database. */
  readonly db: Db;
  readonly ks: Keyspace;
  /** Host clock, ms since 1970 (expiry, TIME, LASTSAVE, OBJECT IDLETIME). */
  now(): number;
  /** Seeded stream for RANDOMKEY, SPOP, SRANDMEMBER, HRANDFIELD, ZRANDMEMBER. */
  readonly rng: Rng;
  /** True when the command runs inside EXEC, a Lua-less "no blocking" context, or the replication stream. */
  readonly inTransaction: boolean;
  /** True when the command is applied from the master's replication stream (or AOF load). */
  readonly fromMaster: boolean;
  /**
   * Record that the dataset changed (Redis's server.dirty). By default a call that dirtied the
   * dataset is propagated as its own argv.
   */
  dirty(n?: number): void;
  /** Propagate this instead of the call's argv (may be called several times, in order). */
  propagate(argv: string[]): void;
  /** Suppress the default propagation of the call (used with propagate()). */
  preventPropagation(): void;
  /** A key was modified: bumps WATCH versions and wakes clients blocked on it. */
  touch(key: string, dbIndex?: number): void;
  /** Block the client (BLPOP & co). Not allowed inTransaction: the command must answer at once. */
  block(req: BlockRequest): void;
}

/** Command flags, as in Redis's command table (the subset this server uses). */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  /** CMD_ASKING (RESTORE-ASKING): accepted after ASKING in a cluster. */
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_multi'
  | 'allow_busy'
  | 'sentinel'
  | 'no_async_loading'
  | 'protected'
  /** Computed for COMMAND INFO from the key specs (commands/key-specs.ts), never declared. */
  | 'movablekeys'
  | 'no_mandatory_keys'
  | 'skip_slowlog';

export interface CommandSpec {
  /** Lower-case name; for container commands (CONFIG, CLIENT, OBJECT...) the container name. */
  name: string;
  /** Redis arity: n > 0 exactly n arguments (incl. the name), n < 0 at least -n. */
  arity: number;
  flags: CommandFlag[];
  /** Key positions for COMMAND INFO: first, last (-1 = last arg), step. 0,0,0 when none. */
  firstKey: number;
  lastKey: number;
  keyStep: number;
  /** Redis's group name: string, generic, list, hash, set, sorted-set, pubsub, transactions, connection, server. */
  group: string;
  /** One-line summary for COMMAND DOCS. */
  summary: string;
  since: string;
  /** Subcommands (CONFIG GET, CLIENT KILL, ...) with their own arity/flags. */
  subcommands?: CommandSpec[];
  /** Returns the reply; returns undefined only after calling ctx.block() (the reply comes later). */
  handler: (ctx: CommandContext) => Reply | undefined;
  /** Positions of the keys in argv when they move with the options (Redis's getkeys_proc: SORT … STORE). */
  getKeys?: (argv: readonly string[]) => number[];
  /** Redis's JSON extras shown by COMMAND INFO / DOCS (tips, key specs, complexity...): commands/meta.ts. */
  meta?: CommandMeta;
}

/** The spec builder of one command group: (name, arity, flags, [firstKey, lastKey, keyStep], since, summary, handler). */
export function specBuilder(group: string) {
  return (
    name: string,
    arity: number,
    flags: CommandFlag[],
    keys: [number, number, number],
    since: string,
    summary: string,
    handler: (ctx: CommandContext) => Reply | undefined,
  ): CommandSpec => ({ name, arity, flags, firstKey: keys[0], lastKey: keys[1], keyStep: keys[2], group, summary, since, handler });
}
