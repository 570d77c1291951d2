// XADD, XTRIM, XDEL, XLEN, XRANGE, XREVRANGE, XSETID (t_stream.c of Redis 7.0.15).
import { EMPTY_ARRAY, NIL, NIL_ARRAY, OK, ZERO, arr, err, int, type Reply, type Resp } from '../../net/resp.ts';
import { Stream } from '../keyspace/stream.ts';
import { ID_MAX, decrId, formatId, incrId, parseStreamId, type StreamId } from '../keyspace/stream-id.ts';
import type { CommandContext } from './context.ts';
import {
  INVALID_ID,
  WRONGTYPE,
  entryReply,
  getStream,
  isResp,
  kw,
  llArg,
  nodeLimits,
  notifyStream,
  parseIdArg,
  parseIntervalId,
} from './streams-common.ts';
import { ERR_SYNTAX } from './util.ts';

interface AddTrimArgs {
  id: StreamId | null;
  seqGiven: boolean;
  noMkstream: boolean;
  strategy: 'none' | 'maxlen' | 'minid';
  /** argv index of the MAXLEN/MINID value (streamRewriteTrimArgument). */
  argIdx: number;
  approx: boolean;
  limit: number;
  maxlen: number;
  minid: StreamId;
  /** argv index of the ID (XADD). */
  idPos: number;
}

/** streamParseAddOrTrimArgsOrReply. */
function parseAddTrim(ctx: CommandContext, xadd: boolean): AddTrimArgs | Resp {
  const argv = ctx.argv;
  const a: AddTrimArgs = { id: null, seqGiven: true, noMkstream: false, strategy: 'none', argIdx: 0, approx: false, limit: 0, maxlen: 0, minid: 0n, idPos: 0 };
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreargs = argv.length - 1 - i;
    const opt = kw(argv[i]!);
    if (xadd && opt === '*') break;
    else if ((opt === 'maxlen' || opt === 'minid') && moreargs) {
      if (a.strategy !== 'none') return err('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      a.approx = false;
      const next = argv[i + 1]!;
      if (moreargs >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (moreargs >= 2 && next === '=') i++;
      if (opt === 'maxlen') {
        const n = llArg(argv[i + 1]!);
        if (isResp(n)) return n;
        if (n < 0) return err('ERR The MAXLEN argument must be >= 0.');
        a.maxlen = n;
      } else {
        const id = parseIdArg(argv[i + 1]!, 0n, true);
        if (isResp(id)) return id;
        a.minid = id;
      }
      i++;
      a.strategy = opt;
      a.argIdx = i;
    } else if (opt === 'limit' && moreargs) {
      const n = llArg(argv[i + 1]!);
      if (isResp(n)) return n;
      if (n < 0) return err('ERR The LIMIT argument must be >= 0.');
      a.limit = n;
      limitGiven = true;
      i++;
    } else if (xadd && opt === 'nomkstream') a.noMkstream = true;
    else if (xadd) {
      const p = parseStreamId(argv[i]!, 0n, true, true);
      if (!p) return INVALID_ID;
      a.id = p.id;
      a.seqGiven = p.seqGiven;
      break;
    } else return err(ERR_SYNTAX);
  }
  a.idPos = i;
  if (a.limit && a.strategy === 'none') return err('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
  if (!xadd && a.strategy === 'none') return err('ERR syntax error, XTRIM must be called with a trimming strategy');
  if (ctx.fromMaster) a.limit = 0;
  else if (limitGiven) {
    if (!a.approx) return err('ERR syntax error, LIMIT cannot be used without the special ~ option');
  } else if (a.approx) {
    const maxEntries = nodeLimits(ctx).maxEntries;
    a.limit = 100 * maxEntries;
    if (a.limit <= 0) a.limit = 10000;
    if (a.limit > 1000000) a.limit = 1000000;
  } else a.limit = 0;
  return a;
}

const trimWith = (s: Stream, a: AddTrimArgs): number => s.trim(a.strategy as 'maxlen' | 'minid', a.maxlen, a.minid, a.approx, a.limit);

/** streamRewriteApproxSpecifier + streamRewriteTrimArgument: "~" becomes "=" and the value what was kept. */
function rewriteTrim(argv: string[], s: Stream, a: AddTrimArgs): void {
  argv[a.argIdx - 1] = '=';
  argv[a.argIdx] = a.strategy === 'maxlen' ? String(s.length) : formatId(s.edgeId(true, false));
}

function xadd(ctx: CommandContext): Resp {
  const a = parseAddTrim(ctx, true);
  if (isResp(a)) return a;
  const argv = ctx.argv;
  const fieldPos = a.idPos + 1;
  const nf = argv.length - fieldPos;
  if (nf < 2 || nf % 2 === 1) return err(`ERR wrong number of arguments for 'xadd' command`);
  if (a.id !== null && a.seqGiven && a.id === 0n) return err('ERR The ID specified in XADD must be greater than 0-0');
  const key = argv[1]!;
  const o = getStream(ctx, key, true);
  if (o === 'wrong') return WRONGTYPE;
  let s = o;
  if (!s) {
    if (a.noMkstream) return NIL;
    s = new Stream();
    ctx.db.set(key, { type: 'stream', v: s });
  }
  if (s.lastId === ID_MAX) return err('ERR The stream has exhausted the last possible ID, unable to add more items');
  const id = s.append(argv.slice(fieldPos), a.id, a.seqGiven, ctx.now(), nodeLimits(ctx));
  if (id === 'EDOM') return err('ERR The ID specified in XADD is equal or smaller than the target stream top item');
  if (id === 'ERANGE') return err('ERR Elements are too large to be stored');
  s.readyEpoch++;
  const idStr = formatId(id);
  notifyStream(ctx, 'xadd', key);
  ctx.dirty();
  const out = argv.slice();
  if (a.strategy !== 'none') {
    if (trimWith(s, a)) notifyStream(ctx, 'xtrim', key);
    if (a.approx) rewriteTrim(out, s, a);
  }
  if (a.id === null || !a.seqGiven) out[a.idPos] = idStr;
  ctx.db.resize(key);
  ctx.touch(key);
  ctx.propagate(out);
  return { t: 'bulk', v: idStr };
}

function xtrim(ctx: CommandContext): Resp {
  const a = parseAddTrim(ctx, false);
  if (isResp(a)) return a;
  const key = ctx.argv[1]!;
  const s = getStream(ctx, key, true);
  if (s === undefined) return ZERO;
  if (s === 'wrong') return WRONGTYPE;
  const deleted = trimWith(s, a);
  if (deleted) {
    notifyStream(ctx, 'xtrim', key);
    const out = ctx.argv.slice();
    if (a.approx) rewriteTrim(out, s, a);
    ctx.db.resize(key);
    ctx.touch(key);
    ctx.dirty(deleted);
    ctx.propagate(out);
  }
  return int(deleted);
}

function xdel(ctx: CommandContext): Resp {
  const key = ctx.argv[1]!;
  const s = getStream(ctx, key, true);
  if (s === undefined) return ZERO;
  if (s === 'wrong') return WRONGTYPE;
  const ids: StreamId[] = [];
  for (const x of ctx.argv.slice(2)) {
    const id = parseIdArg(x, 0n, true);
    if (isResp(id)) return id;
    ids.push(id);
  }
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (!s.deleteEntry(id)) continue;
    if (id === s.firstId) firstEntry = true;
    if (id > s.maxDeletedId) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted) {
    if (s.length === 0) s.firstId = 0n;
    else if (firstEntry) s.firstId = s.edgeId(true, true);
    ctx.db.resize(key);
    ctx.touch(key);
    notifyStream(ctx, 'xdel', key);
    ctx.dirty(deleted);
  }
  return int(deleted);
}

function xlen(ctx: CommandContext): Resp {
  const s = getStream(ctx, ctx.argv[1]!, false);
  if (s === 'wrong') return WRONGTYPE;
  return int(s ? s.length : 0);
}

/** xrangeGenericCommand. */
const xrange =
  (rev: boolean) =>
  (ctx: CommandContext): Reply => {
    const argv = ctx.argv;
    const startArg = rev ? argv[3]! : argv[2]!;
    const endArg = rev ? argv[2]! : argv[3]!;
    const st = parseIntervalId(startArg, 0n);
    if (isResp(st)) return st;
    let start: StreamId | null = st.id;
    if (st.exclusive) start = incrId(start);
    if (start === null) return err('ERR invalid start ID for the interval');
    const en = parseIntervalId(endArg, (1n << 64n) - 1n);
    if (isResp(en)) return en;
    let end: StreamId | null = en.id;
    if (en.exclusive) end = decrId(end);
    if (end === null) return err('ERR invalid end ID for the interval');
    let count = -1;
    for (let j = 4; j < argv.length; j++) {
      if (kw(argv[j]!) === 'count' && argv.length - j - 1 >= 1) {
        const c = llArg(argv[++j]!);
        if (isResp(c)) return c;
        count = c < 0 ? 0 : c;
      } else return err(ERR_SYNTAX);
    }
    const s = getStream(ctx, argv[1]!, false);
    if (s === undefined) return EMPTY_ARRAY;
    if (s === 'wrong') return WRONGTYPE;
    if (count === 0) return NIL_ARRAY;
    const out: Reply[] = [];
    for (const e of s.range(start, end, rev)) {
      out.push(entryReply(e));
      if (out.length === count) break;
    }
    return arr(out);
  };

function xsetid(ctx: CommandContext): Resp {
  const argv = ctx.argv;
  const id = parseIdArg(argv[2]!, 0n, true);
  if (isResp(id)) return id;
  let entriesAdded = -1;
  let maxXdel: StreamId = 0n;
  for (let i = 3; i < argv.length; ) {
    const moreargs = argv.length - 1 - i;
    const opt = kw(argv[i]!);
    if (opt === 'entriesadded' && moreargs) {
      const n = llArg(argv[i + 1]!);
      if (isResp(n)) return n;
      if (n < 0) return err('ERR entries_added must be positive');
      entriesAdded = n;
      i += 2;
    } else if (opt === 'maxdeletedid' && moreargs) {
      const m = parseIdArg(argv[i + 1]!, 0n, true);
      if (isResp(m)) return m;
      if (id < m) return err('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      maxXdel = m;
      i += 2;
    } else return err(ERR_SYNTAX);
  }
  const key = argv[1]!;
  const s = getStream(ctx, key, true);
  if (s === undefined) return err('ERR no such key');
  if (s === 'wrong') return WRONGTYPE;
  if (s.length > 0) {
    if (id < s.lastValidId()) return err('ERR The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1 && s.length > entriesAdded) return err('ERR The entries_added specified in XSETID is smaller than the target stream length');
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (maxXdel !== 0n) s.maxDeletedId = maxXdel;
  // no signalModifiedKey in xsetidCommand
  ctx.dirty();
  notifyStream(ctx, 'xsetid', key);
  return OK;
}

export const addHandlers = { xadd, xtrim, xdel, xlen, xrange: xrange(false), xrevrange: xrange(true), xsetid };
