// XGROUP (CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, HELP), XACK, XPENDING
// (t_stream.c of Redis 7.0.15).
import { EMPTY_ARRAY, NIL_ARRAY, NULL3, OK, ONE, ZERO, arr, bulk, err, int, simple, type Reply, type Resp } from '../../net/resp.ts';
import { ConsumerGroup, SCG_INVALID_ENTRIES_READ } from '../keyspace/stream-cg.ts';
import { decrId, formatId, incrId, type StreamId } from '../keyspace/stream-id.ts';
import { Stream } from '../keyspace/stream.ts';
import type { CommandContext } from './context.ts';
import { WRONGTYPE, cs, isResp, kw, llArg, notifyStream, parseIdArg, parseIntervalId, subcommandSyntaxError } from './streams-common.ts';
import { createConsumer, lookupConsumer } from './streams-deliver.ts';
import { ERR_SYNTAX } from './util.ts';

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

/** addReplyHelp. */
export function helpLines(ctx: CommandContext, lines: readonly string[]): Resp {
  const head = `${cs(ctx.argv[0]!).toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`;
  return arr([head, ...lines, 'HELP', '    Prints this help.'].map((l) => simple(l))) as Resp;
}

/** xgroupCommand (each XGROUP subcommand lands here). */
function xgroup(ctx: CommandContext): Resp {
  const argv = ctx.argv;
  const opt = kw(argv[1]!);
  let s: Stream | undefined;
  let mkstream = false;
  let entriesRead = SCG_INVALID_ENTRIES_READ;
  let grp = '';
  let cg: ConsumerGroup | undefined;
  if (argv.length >= 4) {
    const create = opt === 'create';
    const setid = opt === 'setid';
    for (let i = 5; i < argv.length; ) {
      const a = kw(argv[i]!);
      if (create && a === 'mkstream') {
        mkstream = true;
        i++;
      } else if ((create || setid) && a === 'entriesread' && i + 1 < argv.length) {
        const n = llArg(argv[i + 1]!);
        if (isResp(n)) return n;
        if (n < 0 && n !== SCG_INVALID_ENTRIES_READ) return err('ERR value for ENTRIESREAD must be positive or -1');
        entriesRead = n;
        i += 2;
      } else return subcommandSyntaxError(ctx);
    }
    const o = ctx.db.lookupWrite(argv[2]!);
    if (o) {
      if (o.type !== 'stream') return WRONGTYPE;
      s = o.v;
    }
    grp = argv[3]!;
  }
  if (argv.length >= 4 && !mkstream) {
    if (!s)
      return err(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
    cg = s.groups.get(grp);
    if (!cg && (opt === 'setid' || opt === 'createconsumer' || opt === 'delconsumer'))
      return err(`NOGROUP No such consumer group '${cs(grp)}' for key name '${cs(argv[2]!)}'`);
  }
  const key = argv[2]!;
  if (argv.length === 2 && opt === 'help') return helpLines(ctx, XGROUP_HELP);
  if (opt === 'create' && argv.length >= 5 && argv.length <= 8) {
    let id: StreamId;
    if (argv[4] === '$') id = s ? s.lastId : 0n;
    else {
      const p = parseIdArg(argv[4]!, 0n, true);
      if (isResp(p)) return p;
      id = p;
    }
    if (!s) {
      s = new Stream();
      ctx.db.set(key, { type: 'stream', v: s });
      ctx.touch(key);
    }
    if (s.groups.has(grp)) return err('BUSYGROUP Consumer Group name already exists');
    s.groups.set(grp, new ConsumerGroup(id, entriesRead));
    ctx.db.resize(key);
    ctx.dirty();
    notifyStream(ctx, 'xgroup-create', key);
    return OK;
  }
  if (opt === 'setid' && (argv.length === 5 || argv.length === 7)) {
    let id: StreamId;
    if (argv[4] === '$') id = s!.lastId;
    else {
      const p = parseIdArg(argv[4]!, 0n, false);
      if (isResp(p)) return p;
      id = p;
    }
    cg!.lastId = id;
    cg!.entriesRead = entriesRead;
    ctx.dirty();
    notifyStream(ctx, 'xgroup-setid', key);
    return OK;
  }
  if (opt === 'destroy' && argv.length === 4) {
    if (!cg) return ZERO;
    s!.groups.delete(grp);
    s!.readyEpoch++;
    ctx.db.resize(key);
    ctx.dirty();
    notifyStream(ctx, 'xgroup-destroy', key);
    // signalKeyAsReady (not signalModifiedKey): blocked XREADGROUP clients of this group get -NOGROUP
    const h = ctx.ks.hooks;
    if (h.onReady) h.onReady(ctx.client.dbIndex, key);
    else ctx.touch(key);
    return ONE;
  }
  if (opt === 'createconsumer' && argv.length === 5) {
    const created = createConsumer(ctx, cg!, argv[4]!, key);
    if (created) ctx.db.resize(key);
    return created ? ONE : ZERO;
  }
  if (opt === 'delconsumer' && argv.length === 5) {
    const c = lookupConsumer(ctx, cg!, argv[4]!, false);
    let pending = 0;
    if (c) {
      pending = c.pel.size;
      cg!.deleteConsumer(c);
      ctx.db.resize(key);
      ctx.dirty();
      notifyStream(ctx, 'xgroup-delconsumer', key);
    }
    return int(pending);
  }
  return subcommandSyntaxError(ctx);
}

function xack(ctx: CommandContext): Resp {
  const argv = ctx.argv;
  const o = ctx.db.lookupRead(argv[1]!);
  let g: ConsumerGroup | undefined;
  if (o) {
    if (o.type !== 'stream') return WRONGTYPE;
    g = o.v.groups.get(argv[2]!);
  }
  if (!o || !g) return ZERO;
  const ids: StreamId[] = [];
  for (const x of argv.slice(3)) {
    const id = parseIdArg(x, 0n, true);
    if (isResp(id)) return id;
    ids.push(id);
  }
  let acked = 0;
  for (const id of ids) {
    const nack = g.pel.get(id);
    if (!nack) continue;
    g.pel.remove(id);
    nack.consumer?.pel.remove(id);
    acked++;
    ctx.dirty();
  }
  if (acked) ctx.db.resize(argv[1]!);
  return int(acked);
}

function xpending(ctx: CommandContext): Reply {
  const argv = ctx.argv;
  const justinfo = argv.length === 3;
  let start: StreamId = 0n;
  let end: StreamId = 0n;
  let count = 0;
  let minidle = 0;
  let consumerName: string | null = null;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) return err(ERR_SYNTAX);
  if (argv.length >= 6) {
    let startidx = 3;
    if (kw(argv[3]!) === 'idle') {
      const m = llArg(argv[4]!);
      if (isResp(m)) return m;
      minidle = m;
      if (argv.length < 8) return err(ERR_SYNTAX);
      startidx += 2;
    }
    const c = llArg(argv[startidx + 2]!);
    if (isResp(c)) return c;
    count = c < 0 ? 0 : c;
    const st = parseIntervalId(argv[startidx]!, 0n);
    if (isResp(st)) return st;
    const s0 = st.exclusive ? incrId(st.id) : st.id;
    if (s0 === null) return err('ERR invalid start ID for the interval');
    start = s0;
    const en = parseIntervalId(argv[startidx + 1]!, (1n << 64n) - 1n);
    if (isResp(en)) return en;
    const e0 = en.exclusive ? decrId(en.id) : en.id;
    if (e0 === null) return err('ERR invalid end ID for the interval');
    end = e0;
    if (startidx + 3 < argv.length) consumerName = argv[startidx + 3]!;
  }
  const o = ctx.db.lookupRead(argv[1]!);
  if (o && o.type !== 'stream') return WRONGTYPE;
  const g = o?.type === 'stream' ? o.v.groups.get(argv[2]!) : undefined;
  if (!g) return err(`NOGROUP No such key '${cs(argv[1]!)}' or consumer group '${cs(argv[2]!)}'`);
  if (justinfo) {
    if (g.pel.size === 0) return arr([ZERO, NULL3, NULL3, NIL_ARRAY]);
    const owners: Reply[] = [];
    for (const c of g.sortedConsumers()) if (c.pel.size) owners.push(arr([bulk(c.name), bulk(String(c.pel.size))]));
    return arr([int(g.pel.size), bulk(formatId(g.pel.first()!)), bulk(formatId(g.pel.last()!)), arr(owners)]);
  }
  let pel = g.pel;
  if (consumerName !== null) {
    const c = lookupConsumer(ctx, g, consumerName, false);
    if (!c) return EMPTY_ARRAY;
    pel = c.pel;
  }
  const now = ctx.now();
  const out: Reply[] = [];
  for (const [id, nack] of pel.from(start)) {
    if (!count || id > end) break;
    if (minidle && now - nack.deliveryTime < minidle) continue;
    count--;
    out.push(arr([bulk(formatId(id)), bulk(nack.consumer!.name), int(Math.max(0, now - nack.deliveryTime)), int(nack.deliveryCount)]));
  }
  return arr(out);
}

export const groupHandlers = { xgroup, xack, xpending };
