// Issue 18, example (b): example (a) with node-redis (the `redis` package) and its Sentinel client instead of
// ioredis — the same service, the same tutorial failover (kill 7003, 8003 promoted, 7003 back as a replica).
// The findings are the notes "app web-1: …" (README, "Your own application in the simulation").
import { defineScenario, fromConfigFiles } from '../api/index.ts';
import { moduleNextTo } from '../../bin/guest/index.ts';
import { tutorialWithApp } from './ioredis-tutorial-failover.ts';

export const WRITER = moduleNextTo(import.meta.url, './code/node-redis-sentinel-writer');

export default defineScenario({
  name: 'node-redis-tutorial-failover',
  description: 'node-redis Sentinel client writing every 10 ms through the tutorial failover: downtime, first write to 8003, errors, lost writes',
  seed: 1,
  setup: () =>
    fromConfigFiles({
      servers: ['../tutorial/redis.conf', '../tutorial/redis_slave.conf'],
      sentinels: ['../tutorial/sentinel1.conf', '../tutorial/sentinel2.conf', '../tutorial/sentinel3.conf'],
    }),
  script: (s) => tutorialWithApp(s, WRITER),
});
