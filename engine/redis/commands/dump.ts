// DUMP and RESTORE (cluster.c of Redis 7.0.15): the value serialized as rdbSaveObject writes it,
// with the RDB version and a CRC64; RESTORE with REPLACE, ABSTTL, IDLETIME and FREQ.
import { NIL, OK, bulk, err, type Resp } from '../../net/resp.ts';
import { evictionSettings, isLfuPolicy } from '../keyspace/evict.ts';
import { NOTIFY_GENERIC, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import { bytesToStr, strToBytes } from '../persistence/rdb/bytes.ts';
import { saveOptionsFrom } from '../persistence/rdb/options.ts';
import { createDumpPayload, loadDumpPayload, verifyDumpPayload } from '../persistence/rdb/payload.ts';
import { specBuilder, type CommandContext, type CommandSpec } from './context.ts';
import { ERR_NOT_INT, ERR_SYNTAX, parseInt64 } from './util.ts';

type Conf = { get(name: string): string };
const confOf = (ctx: CommandContext): Conf | undefined => (ctx as { server?: { conf?: Conf } }).server?.conf;

function policyOf(ctx: CommandContext): string {
  const p = evictionSettings(ctx.ks).policy;
  return p !== 'noeviction' ? p : (confOf(ctx)?.get('maxmemory-policy') ?? p);
}

function dump(ctx: CommandContext): Resp {
  const v = ctx.db.lookupRead(ctx.argv[1]!);
  if (!v) return NIL;
  return bulk(bytesToStr(createDumpPayload(v, saveOptionsFrom(confOf(ctx)))));
}

function restore(ctx: CommandContext): Resp {
  const argv = ctx.argv;
  let replace = false;
  let absttl = false;
  let lfuFreq = -1;
  let lruIdle = -1n;
  for (let j = 4; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const additional = argv.length - j - 1;
    if (opt === 'replace') replace = true;
    else if (opt === 'absttl') absttl = true;
    else if (opt === 'idletime' && additional >= 1 && lfuFreq === -1) {
      const v = parseInt64(argv[++j]!);
      if (v === null) return err(ERR_NOT_INT);
      if (v < 0n) return err('ERR Invalid IDLETIME value, must be >= 0');
      lruIdle = v;
    } else if (opt === 'freq' && additional >= 1 && lruIdle === -1n) {
      const v = parseInt64(argv[++j]!);
      if (v === null) return err(ERR_NOT_INT);
      if (v < 0n || v > 255n) return err('ERR Invalid FREQ value, must be >= 0 and <= 255');
      lfuFreq = Number(v);
    } else return err(ERR_SYNTAX);
  }
  const key = argv[1]!;
  if (!replace && ctx.db.lookupWrite(key) !== undefined) return err('BUSYKEY Target key name already exists.');
  let ttl = parseInt64(argv[2]!);
  if (ttl === null) return err(ERR_NOT_INT);
  if (ttl < 0n) return err('ERR Invalid TTL value, must be >= 0');
  const payload = strToBytes(argv[3]!);
  if (!verifyDumpPayload(payload)) return err('ERR DUMP payload version or checksum are wrong');
  const value = loadDumpPayload(payload);
  if (!value) return err('ERR Bad data format');

  const deleted = replace && ctx.db.remove(key);
  const now = ctx.now();
  if (ttl && !absttl) ttl = BigInt.asIntN(64, ttl + BigInt(now));
  // checkAlreadyExpired: never on a replica applying its master's stream.
  if (ttl && ttl <= BigInt(now) && !ctx.fromMaster) {
    if (deleted) {
      ctx.touch(key);
      notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', key);
      ctx.preventPropagation();
      ctx.propagate(['DEL', key]);
      ctx.dirty();
    }
    return OK;
  }
  ctx.db.set(key, value);
  if (ttl) {
    ctx.db.setExpire(key, ttl);
    if (!absttl) {
      // Propagate the TTL as an absolute time (rewriteClientCommandArgument + ABSTTL at the end).
      const rewritten = argv.slice();
      rewritten[2] = ttl.toString();
      rewritten.push('ABSTTL');
      ctx.preventPropagation();
      ctx.propagate(rewritten);
    }
  }
  // objectSetLRUOrLFU with a 1000 ms multiplier: FREQ under an LFU policy, else IDLETIME seconds.
  if (isLfuPolicy(policyOf(ctx))) {
    if (lfuFreq >= 0) {
      ctx.db.setLruLfu(key, now, lfuFreq);
    }
  } else if (lruIdle >= 0n) {
    ctx.db.setLruLfu(key, now - Number(lruIdle) * 1000, undefined);
  }
  ctx.touch(key);
  notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'restore', key);
  ctx.dirty();
  return OK;
}

const spec = specBuilder('generic');

export const dumpCommands: CommandSpec[] = [
  spec('dump', 2, ['readonly'], [1, 1, 1], '2.6.0', 'Return a serialized version of the value stored at the specified key.', dump),
  spec('restore', -4, ['write', 'denyoom'], [1, 1, 1], '2.6.0', 'Create a key using the provided serialized value, previously obtained using DUMP.', restore),
  // what MIGRATE sends to a cluster node; a plain RESTORE outside a cluster
  {
    ...specBuilder('server')('restore-asking', -4, ['write', 'denyoom', 'asking'], [1, 1, 1], '3.0.0', 'An internal command for migrating keys in a cluster', restore),
    meta: { docFlags: ['syscmd'] },
  },
];
