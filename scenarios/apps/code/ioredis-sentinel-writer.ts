// A small service as an application team writes it: ioredis in Sentinel mode, one SADD every `everyMs`
// (default 10 ms) of a new integer, each recorded in the history (ok / fail on an error reply / info when the
// outcome is unknown). Run inside the simulation by s.app (docs/guest-apps.md); `params.redis` is merged into
// ioredis's options (e.g. { sentinelRetryStrategy: null } or { connectTimeout: 60000 }).
import { Redis, ReplyError, type RedisOptions } from 'ioredis';
import type { AppContext } from '../../../bin/guest/context.ts';

export interface WriterParams {
  key?: string;
  everyMs?: number;
  password?: string;
  redis?: Partial<RedisOptions>;
  /** Client i of n adds i, i+n, i+2n, … (several apps on one set). */
  index?: number;
  of?: number;
}

export default async function ioredisSentinelWriter(ctx: AppContext): Promise<void> {
  const p = (ctx.params ?? {}) as WriterParams;
  const key = p.key ?? 'writes';
  const redis = new Redis({
    sentinels: ctx.sentinels,
    name: ctx.masterName ?? 'mymaster',
    password: p.password,
    ...p.redis,
  });
  const where = () => (redis.stream ? `${redis.stream.remoteAddress}:${redis.stream.remotePort}` : null);
  redis.on('ready', () => {
    ctx.view(where());
    ctx.log(`ioredis ready on ${where()}`);
  });
  redis.on('close', () => ctx.view(null));
  redis.on('error', (e: Error) => ctx.log(`ioredis error: ${e.message}`));
  redis.on('+node', () => undefined);

  const step = p.of ?? 1;
  let v = p.index ?? 0;
  while (!ctx.stopped) {
    const value = v;
    v += step;
    const op = ctx.invoke('sadd', key, value);
    redis.sadd(key, String(value)).then(
      (n) => op.ok(n),
      (e: Error) => (e instanceof ReplyError ? op.fail(e) : op.info(e)),
    );
    await ctx.sleep(p.everyMs ?? 10);
  }
  // let the last writes complete (or fail) before leaving
  await ctx.sleep(1000);
  redis.disconnect();
}
