// Shared pieces of the stream commands (t_stream.c of Redis 7.0.15): lookup, ID arguments, entry
// replies, node limits from the config, the reply of an entry range.
import { arr, bulk, bulks, err, type Reply, type Resp } from '../../net/resp.ts';
import { NOTIFY_STREAM } from '../config/special-misc.ts';
import { notifyKeyspaceEvent } from '../keyspace/notify-events.ts';
import type { NodeLimits, Stream, StreamEntry } from '../keyspace/stream.ts';
import { ERR_INVALID_ID, formatId, parseStreamId, type StreamId } from '../keyspace/stream-id.ts';
import type { CommandContext } from './context.ts';
import { ERR_WRONGTYPE } from './util.ts';

export type StreamValue = { type: 'stream'; v: Stream };

export const WRONGTYPE: Resp = err(ERR_WRONGTYPE);
export const INVALID_ID: Resp = err(ERR_INVALID_ID);

/** An option keyword as strcasecmp sees it: the C string up to the first NUL, lower-cased. */
export const kw = (s: string): string => (s.includes('\0') ? s.slice(0, s.indexOf('\0')) : s).toLowerCase();
/** The C string (what %s prints). */
export const cs = (s: string): string => (s.includes('\0') ? s.slice(0, s.indexOf('\0')) : s);

/** Look up a stream: undefined when absent, 'wrong' for another type. */
export function getStream(ctx: CommandContext, key: string, write: boolean): Stream | undefined | 'wrong' {
  const o = write ? ctx.db.lookupWrite(key) : ctx.db.lookupRead(key);
  if (o === undefined) return undefined;
  return o.type === 'stream' ? o.v : 'wrong';
}

/** A config value of the running server (defaults without one: unit harnesses). */
function confNum(ctx: CommandContext, name: string, dflt: number): number {
  const s = (ctx as { server?: { conf?: { get?: (k: string) => string | undefined } } }).server;
  const v = s?.conf?.get?.(name);
  return v === undefined || v === '' ? dflt : Number(v);
}

export function nodeLimits(ctx: CommandContext): NodeLimits {
  return { maxBytes: confNum(ctx, 'stream-node-max-bytes', 4096), maxEntries: confNum(ctx, 'stream-node-max-entries', 100) };
}

/** streamParseStrictIDOrReply / streamParseIDOrReply. */
export function parseIdArg(s: string, missingSeq: bigint, strict: boolean): StreamId | Resp {
  const p = parseStreamId(s, missingSeq, strict);
  return p === null ? INVALID_ID : p.id;
}

/** streamParseIntervalIDOrReply: "(" makes the bound exclusive (the rest parsed strictly). */
export function parseIntervalId(s: string, missingSeq: bigint): { id: StreamId; exclusive: boolean } | Resp {
  const exclusive = s.length > 1 && s[0] === '(';
  const p = exclusive ? parseStreamId(s.slice(1), missingSeq, true) : parseStreamId(s, missingSeq, false);
  return p === null ? INVALID_ID : { id: p.id, exclusive };
}

export const isResp = (x: unknown): x is Resp => typeof x === 'object' && x !== null && 't' in x;

/** One entry: [id, [field, value, …]]. */
export const entryReply = (e: StreamEntry): Reply => arr([bulk(formatId(e.id)), bulks(e.fields)]);

export const idReply = (id: StreamId): Resp => bulk(formatId(id));

/** getLongLongFromObjectOrReply with Redis's default message. */
export function llArg(s: string, msg = 'ERR value is not an integer or out of range'): number | Resp {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s) || s.length > 20) return err(msg);
  const b = BigInt(s);
  if (b > 9223372036854775807n || b < -9223372036854775808n) return err(msg);
  return Number(b);
}

export function notifyStream(ctx: CommandContext, event: string, key: string): void {
  notifyKeyspaceEvent(ctx, NOTIFY_STREAM, event, key);
}

/** addReplySubcommandSyntaxError. */
export function subcommandSyntaxError(ctx: CommandContext): Resp {
  const a1 = cs(ctx.argv[1] ?? '').slice(0, 128).replace(/[\r\n]/g, ' ');
  return err(`ERR unknown subcommand or wrong number of arguments for '${a1}'. Try ${cs(ctx.argv[0]!).toUpperCase()} HELP.`);
}
