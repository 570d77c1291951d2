// `sentinel-sim check --queue redis://host:port/db`: the coordinator of a distributed search. It enqueues the
// seed range as BullMQ jobs (batches of --batch seeds), follows the workers' progress in Redis (store.ts),
// then hands every stored report, in seed order, to the same tally and report as a local search
// (bin/check/index.ts), and has the smallest failing seed of each property shrunk by a worker. Determinism
// makes the result the local one: same verdicts, coverage counts and shrunk repro files for the same seeds.
//
// Why BullMQ: it is the maintained job queue for people who already run Redis (atomic Lua moves between
// wait / active / completed, job locks renewed by live workers, a stalled-job check that puts back the jobs of
// a dead worker, retries, deduplication by job id), so nothing of that is home-made here.
import { Queue } from 'bullmq';
import type { ShrinkResult } from '../../../engine/check/property/shrink.ts';
import { CliError } from '../../errors.ts';
import { packageVersion } from '../../version.ts';
import type { Interrupt } from '../../run/signals.ts';
import type { ResolvedOptions } from '../options.ts';
import type { PropertyTally } from '../report.ts';
import type { RunReport } from '../task.ts';
import { batches, batchJobId, QUEUE_NAME, runIdOf, seedRange, shrinkJobId, wireOptions, type SearchJob, type StoredShrink } from './jobs.ts';
import { progressLine } from './progress.ts';
import { connectRedis, RunStore, shrinkField } from './store.ts';
import { connectionOptions, parseQueueUrl } from './url.ts';

export interface CoordinatorIO {
  err: (text: string, transient?: boolean) => void;
  now: () => number;
}

/** A batch's job is tried this many times (a worker's error: e.g. a --checkers module missing there). */
const ATTEMPTS = 3;
const POLL_MS = 250;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Coordinator {
  readonly runId: string;
  private constructor(
    private readonly o: ResolvedOptions,
    private readonly seeds: readonly number[],
    private readonly io: CoordinatorIO,
    private readonly store: RunStore,
    private readonly queue: Queue<SearchJob>,
    readonly display: string,
  ) {
    this.runId = store.runId;
  }

  static async open(o: ResolvedOptions, seeds: readonly number[], io: CoordinatorIO): Promise<Coordinator> {
    const addr = parseQueueUrl(o.queue!);
    const redis = await connectRedis(addr, 'check');
    const queue = new Queue<SearchJob>(QUEUE_NAME, { connection: connectionOptions(addr) });
    queue.on('error', () => {}); // the commands that fail report it
    return new Coordinator(o, seeds, io, new RunStore(redis, runIdOf(o)), queue, addr.display);
  }

  /** Enqueue the batches not done yet, follow them, then report every stored run in seed order. */
  async search(intr: Interrupt | undefined, onReport: (r: RunReport) => void): Promise<{ stoppedByBudget: boolean }> {
    const { o, store, io } = this;
    const before = await store.counts();
    if (!o.resume) {
      if (before.done > 0) io.err(`check: search ${this.runId} has ${before.done} stored run(s) from an earlier coordinator: starting afresh (--resume continues it instead)`);
      await store.clear();
    }
    await store.putMeta({ options: JSON.stringify(wireOptions(o)), planned: String(this.seeds.length), followedAt: new Date().toISOString() });
    await this.dropFailedJobs();
    const done = await store.doneSeeds();
    const todo = batches(this.seeds, o.batch).filter((b) => b.some((s) => !done.has(s)));
    const options = wireOptions(o);
    for (let i = 0; i < todo.length; i += 500)
      await this.queue.addBulk(
        todo.slice(i, i + 500).map((seeds) => ({
          name: 'batch',
          data: { kind: 'batch' as const, runId: this.runId, version: packageVersion(), seeds, options },
          opts: { jobId: batchJobId(this.runId, seeds), attempts: ATTEMPTS, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: true, removeOnFail: false },
        })),
      );
    io.err(
      `check: search ${this.runId} on queue ${this.display}: ${done.size} of ${this.seeds.length} run(s) already done${o.resume ? ' (resumed)' : ''}, ` +
        `${todo.length} batch(es) of up to ${o.batch} seed(s) enqueued; run \`sentinel-sim worker --queue ${this.display}\` on any number of machines`,
    );
    await this.follow(done.size, intr);
    for (const r of await store.reports()) onReport(r);
    await store.keep();
    if (intr?.signal) io.err(`check: the workers go on with the queued batches; \`check --queue ${this.display} --resume\` with the same options continues search ${this.runId}`);
    return { stoppedByBudget: false };
  }

  /** Progress every POLL_MS until every seed is stored (or a signal, or a batch that failed on every attempt). */
  private async follow(doneAtStart: number, intr: Interrupt | undefined): Promise<void> {
    const t0 = this.io.now();
    let polls = 0;
    let warnedNoWorker = false;
    for (;;) {
      const c = await this.store.counts();
      const line = progressLine({ done: c.done, total: this.seeds.length, failing: c.failing, doneAtStart, elapsedMs: this.io.now() - t0 });
      if (c.done >= this.seeds.length || intr?.signal) {
        this.io.err(line);
        return;
      }
      this.io.err(line, true);
      if (++polls % 8 === 0) {
        await this.throwFailedJobs();
        if (!warnedNoWorker && c.done === doneAtStart && this.io.now() - t0 > 10_000 && (await this.queue.getWorkersCount()) === 0) {
          warnedNoWorker = true;
          this.io.err(`check: no worker is connected to the queue: start \`sentinel-sim worker --queue ${this.display}\``);
        }
      }
      await sleep(POLL_MS);
    }
  }

  /** This search's jobs that failed on every attempt (kept by BullMQ), as an error of the check. */
  private async throwFailedJobs(): Promise<void> {
    const failed = (await this.queue.getFailed(0, 200)).filter((j) => (j.data as SearchJob | undefined)?.runId === this.runId);
    const j = failed[0];
    if (!j) return;
    const d = j.data as SearchJob;
    const what = d.kind === 'batch' ? seedRange(d.seeds) : `the shrinking of ${d.property} seed ${d.seed}`;
    throw new CliError(`${what} failed on the workers (${j.attemptsMade} attempt(s)): ${j.failedReason}; fix it and continue with --resume`, 1);
  }

  /** Failed jobs of an earlier attempt at this search: removed, so that their ids can be enqueued again. */
  private async dropFailedJobs(): Promise<void> {
    for (const j of await this.queue.getFailed(0, -1)) if ((j.data as SearchJob | undefined)?.runId === this.runId) await this.queue.remove(j.id!);
  }

  /**
   * The smallest failing seed of each property shrunk on the workers (as shrinkAndWrite would shrink it here);
   * returns the lookup shrinkAndWrite uses instead of shrinking, or undefined when interrupted (the failures
   * are then written as they are, here).
   */
  async shrinks(properties: Record<string, PropertyTally>, intr: Interrupt | undefined): Promise<((seed: number, property: string) => ShrinkResult | null) | undefined> {
    const maxRuns = Math.max(1, this.o.shrinkRuns + 1);
    const wanted = Object.entries(properties)
      .filter(([, t]) => t.seeds[0] !== undefined)
      .map(([property, t]) => ({ property, seed: t.seeds[0]!, field: shrinkField(property, t.seeds[0]!, maxRuns) }));
    let stored = await this.store.shrinks();
    const missing = wanted.filter((w) => !stored.has(w.field));
    const options = wireOptions(this.o);
    if (missing.length > 0) {
      await this.queue.addBulk(
        missing.map((w) => ({
          name: 'shrink',
          data: { kind: 'shrink' as const, runId: this.runId, version: packageVersion(), property: w.property, seed: w.seed, maxRuns, options },
          opts: { jobId: shrinkJobId(this.runId, w.property, w.seed, maxRuns), attempts: ATTEMPTS, removeOnComplete: true, removeOnFail: false },
        })),
      );
      this.io.err(`check: ${missing.length} failure(s) being shrunk on the workers (${maxRuns} run(s) each at most)...`);
    }
    let polls = 0;
    while (!wanted.every((w) => stored.has(w.field))) {
      if (intr?.signal) return undefined;
      if (++polls % 8 === 0) await this.throwFailedJobs();
      await sleep(POLL_MS);
      stored = await this.store.shrinks();
    }
    await this.store.keep();
    return (seed, property) => {
      const s: StoredShrink | undefined = stored.get(shrinkField(property, seed, maxRuns));
      if (s === undefined) throw new Error(`no shrink of ${property} seed ${seed} in the queue`);
      if ('error' in s) throw new Error(s.error);
      return s.result;
    };
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.store.redis.disconnect();
  }
}
