// XINFO STREAM [FULL [COUNT n]] / GROUPS / CONSUMERS / HELP (t_stream.c xinfoCommand,
// xinfoReplyWithStreamInfo of Redis 7.0.15).
import { EMPTY_ARRAY, NULL3, arr, bulk, err, int, map, type Reply } from '../../net/resp.ts';
import { SCG_INVALID_ENTRIES_READ, type ConsumerGroup } from '../keyspace/stream-cg.ts';
import { ID_MAX, formatId } from '../keyspace/stream-id.ts';
import { groupLag } from '../keyspace/stream-lag.ts';
import type { Stream } from '../keyspace/stream.ts';
import type { CommandContext } from './context.ts';
import { WRONGTYPE, cs, entryReply, isResp, kw, llArg, subcommandSyntaxError } from './streams-common.ts';
import { helpLines } from './streams-groups.ts';

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

const b = (s: string): Reply => bulk(s);
const entriesRead = (g: ConsumerGroup): Reply => (g.entriesRead !== SCG_INVALID_ENTRIES_READ ? int(g.entriesRead) : NULL3);
const lag = (s: Stream, g: ConsumerGroup): Reply => {
  const l = groupLag(s, g);
  return l === null ? NULL3 : int(l);
};

function streamInfo(ctx: CommandContext, s: Stream): Reply {
  const optv = ctx.argv.slice(3);
  let full = true;
  let count = 10;
  if (optv.length === 0) full = false;
  else {
    if (optv.length !== 1 && optv.length !== 3) return subcommandSyntaxError(ctx);
    if (kw(optv[0]!) !== 'full') return subcommandSyntaxError(ctx);
    if (optv.length === 3) {
      if (kw(optv[1]!) !== 'count') return subcommandSyntaxError(ctx);
      const c = llArg(optv[2]!);
      if (isResp(c)) return c;
      count = c < 0 ? 10 : c;
    }
  }
  const out: Reply[] = [
    b('length'),
    int(s.length),
    b('radix-tree-keys'),
    int(s.radixTreeKeys),
    b('radix-tree-nodes'),
    int(s.radixTreeNodes),
    b('last-generated-id'),
    b(formatId(s.lastId)),
    b('max-deleted-entry-id'),
    b(formatId(s.maxDeletedId)),
    b('entries-added'),
    int(s.entriesAdded),
    b('recorded-first-entry-id'),
    b(formatId(s.firstId)),
  ];
  if (!full) {
    out.push(b('groups'), int(s.groups.size));
    let first: Reply = NULL3;
    for (const e of s.range(0n, ID_MAX)) {
      first = entryReply(e);
      break;
    }
    let last: Reply = NULL3;
    for (const e of s.range(0n, ID_MAX, true)) {
      last = entryReply(e);
      break;
    }
    out.push(b('first-entry'), first, b('last-entry'), last);
    return map(out);
  }
  const entries: Reply[] = [];
  for (const e of s.range(0n, ID_MAX)) {
    if (count && entries.length >= count) break;
    entries.push(entryReply(e));
  }
  out.push(b('entries'), arr(entries));
  const groups: Reply[] = [];
  for (const [name, g] of s.sortedGroups()) {
    const pel: Reply[] = [];
    for (const [id, n] of g.pel.from()) {
      if (count && pel.length >= count) break;
      pel.push(arr([b(formatId(id)), b(n.consumer!.name), int(n.deliveryTime), int(n.deliveryCount)]));
    }
    const consumers: Reply[] = g.sortedConsumers().map((c) => {
      const cpel: Reply[] = [];
      for (const [id, n] of c.pel.from()) {
        if (count && cpel.length >= count) break;
        cpel.push(arr([b(formatId(id)), int(n.deliveryTime), int(n.deliveryCount)]));
      }
      return map([b('name'), b(c.name), b('seen-time'), int(c.seenTime), b('pel-count'), int(c.pel.size), b('pending'), arr(cpel)]);
    });
    groups.push(
      map([
        b('name'),
        b(name),
        b('last-delivered-id'),
        b(formatId(g.lastId)),
        b('entries-read'),
        entriesRead(g),
        b('lag'),
        lag(s, g),
        b('pel-count'),
        int(g.pel.size),
        b('pending'),
        arr(pel),
        b('consumers'),
        arr(consumers),
      ]),
    );
  }
  out.push(b('groups'), arr(groups));
  return map(out);
}

function xinfo(ctx: CommandContext): Reply {
  const argv = ctx.argv;
  if (kw(argv[1]!) === 'help') {
    if (argv.length !== 2) return subcommandSyntaxError(ctx);
    return helpLines(ctx, XINFO_HELP);
  }
  if (argv.length < 3) return subcommandSyntaxError(ctx);
  const opt = kw(argv[1]!);
  const key = argv[2]!;
  const o = ctx.db.lookupRead(key);
  if (!o) return err('ERR no such key');
  if (o.type !== 'stream') return WRONGTYPE;
  const s = o.v;
  if (opt === 'consumers' && argv.length === 4) {
    const g = s.groups.get(argv[3]!);
    if (!g) return err(`NOGROUP No such consumer group '${cs(argv[3]!)}' for key name '${cs(key)}'`);
    const now = ctx.now();
    return arr(
      g.sortedConsumers().map((c) => map([b('name'), b(c.name), b('pending'), int(c.pel.size), b('idle'), int(Math.max(0, now - c.seenTime))])),
    );
  }
  if (opt === 'groups' && argv.length === 3) {
    if (s.groups.size === 0) return EMPTY_ARRAY;
    return arr(
      s.sortedGroups().map(([name, g]) =>
        map([
          b('name'),
          b(name),
          b('consumers'),
          int(g.consumers.size),
          b('pending'),
          int(g.pel.size),
          b('last-delivered-id'),
          b(formatId(g.lastId)),
          b('entries-read'),
          entriesRead(g),
          b('lag'),
          lag(s, g),
        ]),
      ),
    );
  }
  if (opt === 'stream') return streamInfo(ctx, s);
  return subcommandSyntaxError(ctx);
}

export const infoHandlers = { xinfo };
