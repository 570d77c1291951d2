/**
 * redis.conf files of the oracle, copied unchanged under fixtures/:
 * - redis.conf, redis_slave.conf: the tutorial's seed files;
 * - oracle-*.conf: files as real redis-server 7.0.15 left them after CONFIG REWRITE
 *   (oracle-mf-17051.conf was never rewritten).
 */
import { readFileSync } from 'node:fs';

const BASE = new URL('./fixtures/', import.meta.url);

export function readFixture(name: string): string {
  return readFileSync(new URL(name, BASE), 'utf8');
}
