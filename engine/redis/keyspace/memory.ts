// Memory estimate of a key (placeholder; replaced by the keyspace implementation).
import type { RedisValue } from './values.ts';

export function estimateSize(key: string, v: RedisValue): number {
  return 48 + key.length + (v.type === 'string' ? v.v.length : 64);
}
