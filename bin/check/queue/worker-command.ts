// `sentinel-sim worker --queue redis://host:port/db`: pulls the jobs of distributed searches from the BullMQ
// queue, runs each batch's seeds on its worker threads (the same tinypool pool and per-seed task as a local
// `check`), shrinks failures on the same threads, and stores every report in Redis (store.ts). Runs stay off
// the main thread, so it keeps renewing its job locks; a worker that dies mid-batch stops renewing them, and
// another worker's stalled-job check puts the batch back in the queue (the seeds it did are stored once).
import { availableParallelism } from 'node:os';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { parseDuration } from '../../../engine/sim/time.ts';
import type { ShrinkResult } from '../../../engine/check/property/shrink.ts';
import type { Interrupt } from '../../run/signals.ts';
import { packageVersion } from '../../version.ts';
import { usageError } from '../options.ts';
import { openPool, runSeeds, taskFor } from '../pool.ts';
import type { RunReport } from '../task.ts';
import { fromWire, QUEUE_NAME, seedRange, type BatchJob, type SearchJob, type ShrinkJob, type StoredShrink } from './jobs.ts';
import type { ShrinkTask } from './shrink-task.ts';
import { connectRedis, RunStore, shrinkField } from './store.ts';
import { connectionOptions, parseQueueUrl } from './url.ts';

export interface WorkerOptions {
  queue?: string;
  /** Worker threads (default: the machine's cores). */
  workers?: number | string;
  /** BullMQ lock duration: a dead worker's batch is retried about this long after it died (default 30s). */
  lockDuration?: number | string;
  /** Exit (status 0) after the queue has had no job for this wall time (e.g. 60s); default: run until signalled. */
  idleExit?: number | string;
}

export interface WorkerIO {
  err: (line: string) => void;
  now: () => number;
}

const ms = (name: string, v: number | string | undefined, dflt: number): number => {
  if (v === undefined) return dflt;
  try {
    return parseDuration(v) / 1000;
  } catch (e) {
    throw usageError(`--${name}: ${(e as Error).message}`);
  }
};

function threadsOf(v: number | string | undefined): number {
  if (v === undefined) return Math.max(1, availableParallelism());
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw usageError(`--workers must be an integer from 1 to 64 (a worker runs its seeds on threads), got '${v}'`);
  return n;
}

/** Returns the exit status: 0 (idle exit), 130 / 143 (SIGINT / SIGTERM: the jobs in hand were finished first). */
export async function workerCommand(opts: WorkerOptions, ioIn?: Partial<WorkerIO>, intr?: Interrupt): Promise<number> {
  const io: WorkerIO = { err: (l) => process.stderr.write(l + '\n'), now: () => performance.now(), ...ioIn };
  if (opts.queue === undefined) throw usageError('worker needs --queue <redis://host:port/db>');
  const addr = parseQueueUrl(opts.queue);
  const threads = threadsOf(opts.workers);
  const lockMs = ms('lock-duration', opts.lockDuration, 30_000);
  if (lockMs < 1000) throw usageError('--lock-duration must be at least 1s');
  const idleMs = ms('idle-exit', opts.idleExit, Infinity);
  const redis = await connectRedis(addr, 'worker');
  const pool = openPool(threads);
  const stores = new Map<string, RunStore>();
  const storeOf = (runId: string) => stores.get(runId) ?? stores.set(runId, new RunStore(redis, runId)).get(runId)!;
  let active = 0;
  let lastBusy = io.now();
  let runs = 0;
  let jobs = 0;

  const processor = async (job: Job<SearchJob>): Promise<unknown> => {
    active++;
    try {
      if (job.data.version !== packageVersion()) throw new Error(`this worker runs sentinel-sim ${packageVersion()}, the search ${job.data.runId} was started by ${job.data.version}: its verdicts would differ`);
      const store = storeOf(job.data.runId);
      const r = job.data.kind === 'batch' ? await runBatch(job.data, store, job) : await runShrink(job.data, store);
      jobs++;
      return r;
    } finally {
      active--;
      lastBusy = io.now();
    }
  };

  const runBatch = async (d: BatchJob, store: RunStore, job: Job): Promise<{ ran: number; stored: number }> => {
    const todo = await missingSeeds(redis, store, d.seeds);
    io.err(`worker: ${seedRange(d.seeds)} of search ${d.runId} started (job ${job.id}, attempt ${job.attemptsMade + 1}${todo.length < d.seeds.length ? `, ${d.seeds.length - todo.length} already done` : ''})`);
    const writes: Promise<boolean>[] = [];
    await runSeeds(todo, fromWire(d.options, threads), { now: io.now, pool }, (rep: RunReport) => {
      runs++;
      writes.push(store.putReport(rep));
    });
    const stored = (await Promise.all(writes)).filter(Boolean).length;
    io.err(`worker: ${seedRange(d.seeds)} of search ${d.runId} done (${todo.length} run(s), ${stored} new)`);
    return { ran: todo.length, stored };
  };

  const runShrink = async (d: ShrinkJob, store: RunStore): Promise<{ shrunk: boolean }> => {
    io.err(`worker: shrinking ${d.property} seed ${d.seed} of search ${d.runId} (${d.maxRuns} run(s) at most)`);
    const o = fromWire(d.options, threads);
    const task: ShrinkTask = { property: d.property, seed: d.seed, caseOptions: taskFor(d.seed, o).caseOptions, maxRuns: d.maxRuns, checkerModule: o.checkerModule };
    let stored: StoredShrink;
    try {
      stored = { result: (await pool.run(task, { name: 'shrink' })) as ShrinkResult | null };
    } catch (e) {
      stored = { error: (e as Error).message };
    }
    await store.putShrink(shrinkField(d.property, d.seed, d.maxRuns), stored);
    return { shrunk: 'result' in stored && stored.result !== null };
  };

  const worker = new Worker<SearchJob>(QUEUE_NAME, processor, {
    connection: connectionOptions(addr),
    concurrency: threads,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    // a batch held by workers that died again and again still gets run (its seeds are merged once)
    maxStalledCount: 10,
  });
  worker.on('error', (e) => io.err(`worker: queue error: ${e.message}`));
  worker.on('failed', (job, e) => io.err(`worker: job ${job?.id ?? '?'} failed: ${e.message}`));
  await worker.waitUntilReady();
  io.err(`worker: ready, ${threads} thread(s), queue ${addr.display}${Number.isFinite(idleMs) ? `, exits after ${idleMs / 1000} s idle` : ''}`);

  let exitCode = 0;
  await new Promise<void>((done) => {
    const idle = setInterval(() => {
      if (active === 0 && io.now() - lastBusy > idleMs) {
        io.err(`worker: no job for ${idleMs / 1000} s, exiting`);
        finish();
      }
    }, 500);
    const finish = () => {
      clearInterval(idle);
      done();
    };
    intr?.onSignal((sig, count) => {
      exitCode = intr.exitCode;
      if (count === 1) {
        io.err(`worker: ${sig}: finishing the job(s) in hand (again to abandon them: they are retried elsewhere)`);
        finish();
      } else void worker.close(true);
    });
  });
  // a queue Redis that went away must not keep the worker alive: BullMQ's close waits for it, so bounded
  if (!(await settlesWithin(worker.close(intr !== undefined && intr.count > 1), CLOSE_WAIT_MS))) {
    io.err(`worker: the queue did not answer the close within ${CLOSE_WAIT_MS / 1000} s; leaving without it`);
    void worker.close(true).catch(() => {});
  }
  await pool.destroy();
  redis.disconnect();
  io.err(`worker: ${runs} run(s) in ${jobs} job(s)`);
  return exitCode;
}

/** The seeds of a batch not stored yet (a retried batch skips what its first worker finished). */
async function missingSeeds(redis: Redis, store: RunStore, seeds: readonly number[]): Promise<number[]> {
  const m = redis.multi();
  for (const s of seeds) m.hexists(store.key('reports'), String(s));
  const res = (await m.exec()) ?? [];
  return seeds.filter((_, i) => res[i]?.[1] !== 1);
}

const CLOSE_WAIT_MS = 5000;

/** Whether `p` settles within `ms` (the timer does not keep the process alive). */
function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((res) => {
    const t = setTimeout(() => res(false), ms);
    t.unref();
    p.then(
      () => (clearTimeout(t), res(true)),
      () => (clearTimeout(t), res(true)),
    );
  });
}
