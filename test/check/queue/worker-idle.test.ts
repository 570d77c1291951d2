// A worker whose queue Redis went away still leaves at --idle-exit (BullMQ's close waits for the lost Redis:
// the consumer CI step once left such a worker running for half an hour).
import { describe, expect } from 'vitest';
import { workerCommand } from '../../../bin/check/queue/worker-command.ts';
import { needs, redisMissing } from '../../support/cli-process.ts';
import { queueRedis } from './support.ts';

describe('worker --idle-exit', () => {
  needs(
    redisMissing(),
    'exits once idle although its queue Redis was killed',
    async () => {
      const server = await queueRedis();
      const err: string[] = [];
      let ready!: () => void;
      const isReady = new Promise<void>((res) => (ready = res));
      const done = workerCommand({ queue: server.url, workers: 1, idleExit: '2s' }, { err: (l) => (err.push(l), / ready, /.test(l) && ready()) });
      await isReady;
      server.stop();
      expect(await done).toBe(0);
      expect(err.join('\n')).toMatch(/no job for 2 s, exiting/);
    },
    40_000,
  );
});
