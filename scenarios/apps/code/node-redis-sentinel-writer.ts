// The same service as ioredis-sentinel-writer.ts with node-redis (the `redis` package) and its Sentinel
// client: `createSentinel({ name, sentinelRootNodes })`, one SADD every `everyMs` (default 10 ms), each in
// the history (ok / fail on an error reply / info when the outcome is unknown). `params.redis` is merged into
// the Sentinel client's options.
import { createSentinel, ErrorReply } from 'redis';
import type { AppContext } from '../../../bin/guest/context.ts';

export interface NodeRedisWriterParams {
  key?: string;
  everyMs?: number;
  password?: string;
  redis?: Record<string, unknown>;
}

export default async function nodeRedisSentinelWriter(ctx: AppContext): Promise<void> {
  const p = (ctx.params ?? {}) as NodeRedisWriterParams;
  const key = p.key ?? 'writes';
  const sentinel = createSentinel({
    name: ctx.masterName ?? 'mymaster',
    sentinelRootNodes: ctx.sentinels,
    nodeClientOptions: p.password ? { password: p.password } : undefined,
    ...p.redis,
  });
  sentinel.on('error', (e: Error) => ctx.log(`node-redis error: ${e.message}`));
  sentinel.on('topology-change', (ev: { type: string; node?: { host: string; port: number } }) => {
    if (ev.type === 'MASTER_CHANGE' && ev.node) {
      ctx.view(`${ev.node.host}:${ev.node.port}`);
      ctx.log(`node-redis master change: ${ev.node.host}:${ev.node.port}`);
    }
  });
  await sentinel.connect();
  let v = 0;
  while (!ctx.stopped) {
    const value = v++;
    const op = ctx.invoke('sadd', key, value);
    sentinel.sAdd(key, String(value)).then(
      (n) => op.ok(n),
      (e: Error) => (e instanceof ErrorReply ? op.fail(e) : op.info(e)),
    );
    await ctx.sleep(p.everyMs ?? 10);
  }
  await ctx.sleep(1000);
  sentinel.destroy();
}
