// An interrupted distributed search continued with --resume (in this process: the coordinator's and the
// workers' functions, a real redis-server on a free loopback port): the coordinator is stopped after the first
// stored batch and its worker too; a second coordinator with --resume enqueues only the missing seeds, a new
// worker runs them, and the report is the local one of the whole range.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { checkCommand } from '../../../bin/check/index.ts';
import { workerCommand } from '../../../bin/check/queue/worker-command.ts';
import { Interrupt } from '../../../bin/run/signals.ts';
import { needs, redisMissing } from '../../support/cli-process.ts';
import { queueRedis, timeless } from './support.ts';

const tmp = mkdtempSync(join(tmpdir(), 'sentinel-sim-resume-'));
let server: { url: string; stop: () => void } | null = null;
afterAll(() => {
  server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** A coordinator or local check in this process: its exit status, stdout lines and stderr lines. */
function check(opts: Parameters<typeof checkCommand>[0], intr?: Interrupt, onErr?: (line: string) => void) {
  const out: string[] = [];
  const err: string[] = [];
  const done = checkCommand(opts, { out: (l) => out.push(l), err: (t) => (err.push(t), onErr?.(t)), now: () => performance.now() }, intr);
  return { done, out, err };
}

function worker(queue: string, onErr?: (line: string) => void, idleExit?: string) {
  const intr = new Interrupt();
  const err: string[] = [];
  const done = workerCommand({ queue, workers: 1, lockDuration: '2s', idleExit }, { err: (l) => (err.push(l), onErr?.(l)) }, intr);
  return { done, err, stop: () => intr.trigger('SIGINT') };
}


describe('check --queue --resume', () => {
  needs(
    redisMissing(),
    'an interrupted search is continued: only the missing seeds run, the report is the local one',
    async () => {
      server = await queueRedis();
      const queue = server.url;
      const search = { runs: 5, seed: 11, schedule: '8s', known: false, shrinkRuns: 1, out: join(tmp, 'failures'), property: ['election-safety', 'convergence'] };

      // the first coordinator and its worker: both stopped once the worker has stored its first batch
      const intr1 = new Interrupt();
      const c1 = check({ ...search, queue, batch: 1 }, intr1);
      let stored!: () => void;
      const firstStored = new Promise<void>((res) => (stored = res));
      const w1 = worker(queue, (l) => / done \(/.test(l) && stored());
      await firstStored;
      w1.stop();
      intr1.trigger('SIGINT');
      expect(await c1.done).toBe(130);
      expect(await w1.done).toBe(130);
      expect(c1.out.join('\n')).toMatch(/^INTERRUPTED by SIGINT after [1-4] of 5 run\(s\)/m);

      // --resume: the seeds stored are not run again; a new worker runs the others, then exits once idle
      // (the worker starts once the batches are in the queue, so that it is never idle before the end)
      let enqueued!: () => void;
      const inQueue = new Promise<void>((res) => (enqueued = res));
      const c2 = check({ ...search, queue, batch: 1, resume: true }, undefined, (l) => / enqueued;/.test(l) && enqueued());
      await inQueue;
      const w2 = worker(queue, undefined, '3s');
      const code = await c2.done;
      expect(await w2.done).toBe(0);
      expect(w2.err.join('\n')).toMatch(/worker: no job for 3 s, exiting/);
      const already = Number(/: (\d) of 5 run\(s\) already done \(resumed\)/.exec(c2.err.join('\n'))?.[1]);
      expect(already).toBeGreaterThanOrEqual(1);
      expect(already).toBeLessThan(5);
      const ranByW2 = w2.err.map((l) => / done \((\d+) run\(s\), (\d+) new\)/.exec(l)).filter((m) => m !== null).reduce((a, m) => a + Number(m[2]), 0);
      expect(ranByW2).toBe(5 - already);

      const local = check({ ...search, workers: 1 });
      expect(code).toBe(await local.done);
      expect(timeless(c2.out.join('\n'))).toBe(timeless(local.out.join('\n')));
    },
    240_000,
  );
});
