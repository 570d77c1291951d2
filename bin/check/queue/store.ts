// Where a distributed search keeps its results in Redis, beside BullMQ's own keys (bull:sentinel-sim-check:*):
//   sentinel-sim:check:<run id>:reports  hash  seed → the seed's RunReport as JSON (verdicts, failures, coverage,
//                                               data accounting, trace sha256); written with HSETNX, so a seed
//                                               run twice (a batch retried after a worker died) counts once
//   sentinel-sim:check:<run id>:failing  set   seeds whose run failed a property (the progress line's count)
//   sentinel-sim:check:<run id>:shrinks  hash  "<property>:<seed>:<max runs>" → the shrunk case as JSON
//   sentinel-sim:check:<run id>:meta     hash  the search's parameters, when it was started and last followed
// The coordinator sets them to expire 7 days after it last followed the search (docs/distributed.md).
import { Redis } from 'ioredis';
import { CliError } from '../../errors.ts';
import type { RunReport } from '../task.ts';
import type { StoredShrink } from './jobs.ts';
import { connectionOptions, type QueueAddress } from './url.ts';

export const KEY_PREFIX = 'sentinel-sim:check:';
export const KEEP_SECONDS = 7 * 24 * 3600;

const SUFFIXES = ['reports', 'failing', 'shrinks', 'meta'] as const;

export const shrinkField = (property: string, seed: number, maxRuns: number) => `${property}:${seed}:${maxRuns}`;

/** Open a client and check that the server answers (a clear error instead of retrying forever). */
export async function connectRedis(a: QueueAddress, what: string): Promise<Redis> {
  // no retries while connecting (ECONNREFUSED now, not after a while), reconnecting later on
  const client = new Redis({ ...connectionOptions(a), lazyConnect: true, retryStrategy: () => null });
  let lastError: Error | null = null;
  client.on('error', (e: Error) => (lastError = e)); // reported by the commands that fail
  try {
    await client.connect();
    await client.ping();
    client.options.retryStrategy = (times) => Math.min(1000, 50 * times);
  } catch (e) {
    client.disconnect();
    throw new CliError(`${what}: cannot reach the queue at ${a.display}: ${(lastError ?? (e as Error)).message}`, 2);
  }
  return client;
}

export class RunStore {
  constructor(
    readonly redis: Redis,
    readonly runId: string,
  ) {}

  key(suffix: (typeof SUFFIXES)[number]): string {
    return `${KEY_PREFIX}${this.runId}:${suffix}`;
  }

  /** Store a seed's report (first one wins); true when it was new. */
  async putReport(r: RunReport): Promise<boolean> {
    const multi = this.redis.multi().hsetnx(this.key('reports'), String(r.seed), JSON.stringify(r));
    if (r.failures.length > 0) multi.sadd(this.key('failing'), String(r.seed));
    const res = await multi.exec();
    return res?.[0]?.[1] === 1;
  }

  /** Seeds done, and failing runs among them. */
  async counts(): Promise<{ done: number; failing: number }> {
    const res = await this.redis.multi().hlen(this.key('reports')).scard(this.key('failing')).exec();
    return { done: Number(res?.[0]?.[1] ?? 0), failing: Number(res?.[1]?.[1] ?? 0) };
  }

  /** The seeds already done. */
  async doneSeeds(): Promise<Set<number>> {
    return new Set((await this.redis.hkeys(this.key('reports'))).map(Number));
  }

  /** Every stored report, by seed (read with HSCAN: a 10⁶-seed search is too large for one reply). */
  async reports(): Promise<RunReport[]> {
    const out: RunReport[] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.key('reports'), cursor, 'COUNT', 1000);
      for (let i = 1; i < flat.length; i += 2) out.push(JSON.parse(flat[i]!) as RunReport);
      cursor = next;
    } while (cursor !== '0');
    // HSCAN may return a field twice (a rehash during the scan): one report per seed
    const bySeed = new Map(out.map((r) => [r.seed, r]));
    return [...bySeed.values()].sort((a, b) => a.seed - b.seed);
  }

  async putShrink(field: string, s: StoredShrink): Promise<void> {
    await this.redis.hset(this.key('shrinks'), field, JSON.stringify(s));
  }

  async shrinks(): Promise<Map<string, StoredShrink>> {
    const all = await this.redis.hgetall(this.key('shrinks'));
    return new Map(Object.entries(all).map(([k, v]) => [k, JSON.parse(v) as StoredShrink]));
  }

  async putMeta(fields: Record<string, string>): Promise<void> {
    await this.redis.hset(this.key('meta'), fields);
  }

  /** Forget the search (a new search of the same parameters, without --resume). */
  async clear(): Promise<void> {
    await this.redis.del(...SUFFIXES.map((s) => this.key(s)));
  }

  /** Keep the search's keys for KEEP_SECONDS from now. */
  async keep(): Promise<void> {
    const m = this.redis.multi();
    for (const s of SUFFIXES) m.expire(this.key(s), KEEP_SECONDS);
    await m.exec();
  }
}
