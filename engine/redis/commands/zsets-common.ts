// Pieces shared by the sorted-set command files (t_zset.c of Redis 7.0.15).
import { NOTIFY_GENERIC, NOTIFY_ZSET, notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import { ZERO, arr, bulk, bulks, dbl, int, nested, type Reply, type Resp } from '../../net/resp.ts';
import type { ZEntry, ZSet } from '../keyspace/zset.ts';
import type { CommandContext } from './context.ts';
import { formatDouble } from './util.ts';

export type ZSetValue = { type: 'zset'; v: ZSet };

/** Look up a sorted set: undefined when absent, 'wrong' for another type. */
export function getZset(ctx: CommandContext, key: string, write: boolean): ZSetValue | undefined | 'wrong' {
  const o = write ? ctx.db.lookupWrite(key) : ctx.db.lookupRead(key);
  if (o === undefined) return undefined;
  return o.type === 'zset' ? o : 'wrong';
}

/** addReplyDouble: "%.17g" (RESP3 double, RESP2 bulk). */
export const scoreReply = (d: number): Reply => dbl(formatDouble(d));

/** Members, with their scores when asked: [member, score] pairs in RESP3, flat in RESP2. */
export function entriesReply(entries: readonly ZEntry[], withScores: boolean): Reply {
  if (!withScores) return bulks(entries.map((e) => e.member));
  return arr(entries.map((e) => nested([bulk(e.member), scoreReply(e.score)])));
}

/** Members and scores flat in both protocols (ZPOPMIN without a count, BZPOPMIN after the key). */
export function flatEntries(entries: readonly ZEntry[]): Reply[] {
  return entries.flatMap((e) => [bulk(e.member), scoreReply(e.score)]);
}

/** After members were removed in place: the keyspace event, then delete an emptied key ("del") or
 *  refresh its size; touch + dirty. */
export function removedFrom(ctx: CommandContext, key: string, z: ZSet, removed: number, event: string): void {
  if (removed === 0) return;
  notifyKeyspaceEvent(ctx, NOTIFY_ZSET, event, key);
  if (z.size === 0) {
    ctx.db.remove(key);
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', key);
  } else ctx.db.resize(key);
  ctx.touch(key);
  ctx.dirty(removed);
}

/** STORE variants (setKey / dbDelete): overwrite dst with a non-empty result, else delete dst. */
export function storeZset(ctx: CommandContext, dst: string, z: ZSet): Resp {
  if (z.size > 0) {
    ctx.db.lookupWrite(dst); // setKey: an expired destination is deleted first
    ctx.db.set(dst, { type: 'zset', v: z });
    ctx.touch(dst);
    // zrangestore, zunionstore, zinterstore, zdiffstore
    notifyKeyspaceEvent(ctx, NOTIFY_ZSET, ctx.argv[0]!.toLowerCase(), dst);
    ctx.dirty();
    return int(z.size);
  }
  if (ctx.db.remove(dst)) {
    ctx.touch(dst);
    notifyKeyspaceEvent(ctx, NOTIFY_GENERIC, 'del', dst);
    ctx.dirty();
  }
  return ZERO;
}
