// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS k…]
// (cluster.c migrateCommand of Redis 7.0.15): DUMP payloads sent as RESTORE to the target over a cached
// socket (server/migrate-socket.ts); the keys the target acknowledged are deleted here and the command
// is propagated as DEL of those keys. The server is blocked meanwhile, as Redis is.
import { OK, err, simple, type Reply } from '../../net/resp.ts';
import { NOTIFY_GENERIC, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import { bytesToStr } from '../persistence/rdb/bytes.ts';
import { saveOptionsFrom } from '../persistence/rdb/options.ts';
import { createDumpPayload } from '../persistence/rdb/payload.ts';
import { migrateSocketsOf, type CachedSocket, type ExchangeResult } from '../server/migrate-socket.ts';
import { retryBlocked } from '../server/dispatch.ts';
import { serverOf, type RedisServer } from '../server/server.ts';
import type { CommandContext, CommandSpec } from './context.ts';
import { ERR_NOT_INT, ERR_SYNTAX, parseInt64 } from './util.ts';

/** The parsed request. */
interface MigrateRequest {
  host: string;
  port: string;
  copy: boolean;
  replace: boolean;
  username: string | null;
  password: string | null;
  dbid: number;
  timeoutMs: number;
  /** Keys found here (lookupKeyRead), in argument order. */
  keys: string[];
}

/** What the blocked command replies once the exchange is over (set by the I/O, read by the retry). */
interface MigrateOutcome {
  reply: Reply;
  /** Keys the target acknowledged (deleted here unless COPY). */
  acked: string[];
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** getLongFromObjectOrReply. */
function parseLongArg(s: string): number | null {
  const v = parseInt64(s);
  if (v === null || v < LONG_MIN || v > LONG_MAX) return null;
  return Number(v);
}

/** The options and keys of MIGRATE, or the error reply. */
function parseMigrate(ctx: CommandContext): MigrateRequest | Reply {
  const argv = ctx.argv;
  let copy = false;
  let replace = false;
  let username: string | null = null;
  let password: string | null = null;
  let firstKey = 3;
  let numKeys = 1;
  for (let j = 6; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    const opt = argv[j]!.toLowerCase();
    if (opt === 'copy') copy = true;
    else if (opt === 'replace') replace = true;
    else if (opt === 'auth') {
      if (!moreargs) return err(ERR_SYNTAX);
      password = argv[++j]!;
    } else if (opt === 'auth2') {
      if (moreargs < 2) return err(ERR_SYNTAX);
      username = argv[++j]!;
      password = argv[++j]!;
    } else if (opt === 'keys') {
      if (argv[3]!.length !== 0) return err('ERR When using MIGRATE KEYS option, the key argument must be set to the empty string');
      firstKey = j + 1;
      numKeys = argv.length - j - 1;
      break;
    } else return err(ERR_SYNTAX);
  }
  const timeout = parseLongArg(argv[5]!);
  if (timeout === null) return err(ERR_NOT_INT);
  const dbid = parseLongArg(argv[4]!);
  if (dbid === null) return err(ERR_NOT_INT);
  const keys: string[] = [];
  for (let j = 0; j < numKeys; j++) {
    const key = argv[firstKey + j]!;
    if (ctx.db.lookupRead(key) !== undefined) keys.push(key);
  }
  return { host: argv[1]!, port: argv[2]!, copy, replace, username, password, dbid, timeoutMs: timeout <= 0 ? 1000 : timeout, keys };
}

/** The commands sent to the target: [AUTH], [SELECT], one RESTORE per key still alive; and those keys. */
function buildCommands(ctx: CommandContext, s: RedisServer, req: MigrateRequest, cs: CachedSocket): { commands: string[][]; keys: string[]; select: boolean } {
  const commands: string[][] = [];
  if (req.password !== null) commands.push(req.username !== null ? ['AUTH', req.username, req.password] : ['AUTH', req.password]);
  const select = cs.lastDbid !== req.dbid;
  if (select) commands.push(['SELECT', String(req.dbid)]);
  const keys: string[] = [];
  const now = ctx.now();
  const opts = saveOptionsFrom(s.conf);
  for (const key of req.keys) {
    const value = ctx.db.peek(key);
    if (value === undefined) continue;
    const expireat = ctx.db.getExpire(key);
    let ttl = 0;
    if (expireat !== undefined) {
      ttl = expireat - now;
      if (ttl < 0) continue;
      if (ttl < 1) ttl = 1;
    }
    keys.push(key);
    const restore = ['RESTORE', key, String(ttl), bytesToStr(createDumpPayload(value, opts))];
    if (req.replace) restore.push('REPLACE');
    commands.push(restore);
  }
  return { commands, keys, select };
}

/**
 * The I/O of one MIGRATE: connect (or reuse), send, read; on a socket error other than a time-out, one
 * retry with a fresh socket when nothing was acknowledged yet (migrateCommand's try_again / socket_err).
 */
function runMigrate(ctx: CommandContext, s: RedisServer, req: MigrateRequest, done: (o: MigrateOutcome) => void): void {
  const sockets = migrateSocketsOf(s);
  const name = `${req.host}:${req.port}`;
  const attempt = (mayRetry: boolean): void => {
    sockets.get(req.host, req.port, req.timeoutMs, (cs) => {
      if (!cs) {
        done({ reply: err('IOERR error or timeout connecting to the client'), acked: [] });
        return;
      }
      const { commands, keys, select } = buildCommands(ctx, s, req, cs);
      const auth = req.password !== null;
      const expect = (auth ? 1 : 0) + (select ? 1 : 0) + keys.length;
      sockets.exchange(cs, commands, expect, req.timeoutMs, (r: ExchangeResult) => {
        const head = (auth ? 1 : 0) + (select ? 1 : 0);
        const socketErr = (writeError: boolean, timedOut: boolean): void => {
          sockets.close(name);
          if (!timedOut && mayRetry) {
            attempt(false);
            return;
          }
          done({ reply: err(`IOERR error or timeout ${writeError ? 'writing' : 'reading'} to target instance`), acked: [] });
        };
        // AUTH or SELECT reply missing: straight to socket_err
        if (!r.ok && r.lines.length < head) {
          socketErr(r.writeError, r.timedOut);
          return;
        }
        const authLine = auth ? r.lines[0]! : '';
        const selectLine = select ? r.lines[auth ? 1 : 0]! : '';
        const restoreLines = r.lines.slice(head);
        let targetError: string | null = null;
        const acked: string[] = [];
        for (let j = 0; j < restoreLines.length; j++) {
          const line = restoreLines[j]!;
          if ((auth && authLine[0] === '-') || (select && selectLine[0] === '-') || line[0] === '-') {
            if (targetError === null) {
              cs.lastDbid = -1;
              const errbuf = auth && authLine[0] === '-' ? authLine : select && selectLine[0] === '-' ? selectLine : line;
              targetError = `ERR Target instance replied with error: ${errbuf.slice(1)}`;
            }
          } else acked.push(keys[j]!);
        }
        const socketError = !r.ok;
        // nothing processed and the first RESTORE reply never came: retry now
        if (targetError === null && socketError && restoreLines.length === 0 && mayRetry && !r.timedOut) {
          socketErr(false, false);
          return;
        }
        if (socketError) sockets.close(name);
        if (targetError === null && socketError) {
          done({ reply: err('IOERR error or timeout reading to target instance'), acked: req.copy ? [] : acked });
          return;
        }
        if (targetError === null) {
          cs.lastDbid = req.dbid;
          done({ reply: OK, acked: req.copy ? [] : acked });
        } else done({ reply: err(targetError), acked: req.copy ? [] : acked });
      });
    });
  };
  attempt(true);
}

function migrate(ctx: CommandContext): Reply | undefined {
  const parsed = parseMigrate(ctx);
  if (!('keys' in parsed)) return parsed;
  if (parsed.keys.length === 0) return simple('NOKEY');
  const s = serverOf(ctx);
  // a blocking socket inside EXEC or a script: the simulator cannot wait there (see the report)
  if (ctx.inTransaction) return err('IOERR error or timeout connecting to the client');
  let outcome: MigrateOutcome | null = null;
  let inHandler = true;
  const client = s.currentClient!;
  runMigrate(ctx, s, parsed, (o) => {
    outcome = o;
    if (!inHandler) s.endBlockingIo(() => {
      if (client.blocked) retryBlocked(s, client);
    });
  });
  inHandler = false;
  // failed before any I/O (the address does not resolve): the reply now
  if (outcome) return finish(ctx, outcome);
  s.beginBlockingIo();
  const startUs = s.ctx.now();
  ctx.block({
    keys: [],
    deadlineMs: 0,
    timeoutReply: err('IOERR error or timeout reading to target instance'),
    retry: (rctx) => (outcome ? finish(rctx, outcome) : undefined),
    servedDurationUs: () => s.ctx.now() - startUs,
  });
  return undefined;
}

/** The end of migrateCommand: delete what the target took, propagate it as DEL, reply. */
function finish(ctx: CommandContext, o: MigrateOutcome): Reply {
  if (o.acked.length > 0) {
    for (const key of o.acked) {
      ctx.db.remove(key);
      ctx.touch(key);
      notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', key);
      ctx.dirty();
    }
    ctx.preventPropagation();
    ctx.propagate(['DEL', ...o.acked]);
  }
  return o.reply;
}

/** migrateGetKeys: the key, or the keys after KEYS (none when KEYS follows a non-empty key). */
export function migrateGetKeys(argv: readonly string[]): number[] {
  let first = 3;
  let num = 1;
  const skip: Record<string, number> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
  for (let i = 6; i < argv.length; i++) {
    const a = argv[i]!.toLowerCase();
    if (a === 'keys') {
      if (argv[3]!.length > 0) num = 0;
      else {
        first = i + 1;
        num = argv.length - first;
      }
      break;
    }
    if (a in skip) i += skip[a]!;
  }
  const out: number[] = [];
  for (let j = 0; j < num; j++) out.push(first + j);
  return out;
}

export const migrateCommands: CommandSpec[] = [
  {
    name: 'migrate',
    arity: -6,
    flags: ['write'],
    firstKey: 3,
    lastKey: 3,
    keyStep: 1,
    group: 'generic',
    since: '2.6.0',
    summary: 'Atomically transfer a key from a Redis instance to another one.',
    handler: migrate,
    getKeys: migrateGetKeys,
  },
];
