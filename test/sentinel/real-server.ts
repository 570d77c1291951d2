// The real simulated Redis server (engine/redis/server) as the harness's server factory.
import type { ProcessFactory } from '../../engine/sim/process.ts';
import { redisServerFactory } from '../../engine/redis/server/index.ts';
import type { FakeRedisOptions } from './fake-redis.ts';

export function realServerFactory(o: FakeRedisOptions & { port: number }): ProcessFactory {
  let text = `port ${o.port}\nprotected-mode no\nsave ""\nappendonly no\n`;
  if (o.replicaof) text += `replicaof ${o.replicaof[0]} ${o.replicaof[1]}\n`;
  if (o.priority !== undefined) text += `replica-priority ${o.priority}\n`;
  if (o.requirepass) text += `requirepass "${o.requirepass}"\n`;
  if (o.masterauth) text += `masterauth "${o.masterauth}"\n`;
  return redisServerFactory({ configPath: `/etc/redis/redis-${o.port}.conf`, configText: text });
}
