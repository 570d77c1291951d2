// Typed Redis values (keyspace.md). Strings are byte strings (one JS char per byte).
import type { Stream } from './stream.ts';
import type { ZSet } from './zset.ts';

export type RedisValue =
  | { type: 'string'; v: string }
  | { type: 'list'; v: string[] }
  | { type: 'hash'; v: Map<string, string> }
  | { type: 'set'; v: Set<string> }
  | { type: 'zset'; v: ZSet }
  /** Streams: see the field description at the top of stream.ts. */
  | { type: 'stream'; v: Stream };

export type ValueType = RedisValue['type'];
