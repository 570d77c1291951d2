// The pieces of a distributed search that need no Redis: the search id (what --resume finds), the cut into
// batches and their job ids (a resumed coordinator enqueues the same ids), the options a worker rebuilds,
// and the progress line.
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../bin/check/options.ts';
import { taskFor } from '../../../bin/check/pool.ts';
import { batches, batchJobId, fromWire, runIdOf, shrinkJobId, wireOptions } from '../../../bin/check/queue/jobs.ts';
import { clockText, progressLine } from '../../../bin/check/queue/progress.ts';

const opts = (extra: Record<string, unknown> = {}) => resolveOptions({ queue: 'redis://127.0.0.1:6379/0', runs: 10, ...extra });

describe('distributed search: ids, batches, options, progress', () => {
  it('the search id depends on what decides the verdicts, not on the batch size, the output or the queue', () => {
    const id = runIdOf(opts());
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(runIdOf(opts({ batch: 7, out: 'elsewhere', json: 'r.json', queue: 'redis://10.0.0.1:6380/2', resume: true }))).toBe(id);
    for (const other of [{ runs: 11 }, { seed: 2 }, { schedule: '60s' }, { property: 'data' }, { shard: '1/2' }, { determinismEvery: 4 }, { app: 'app.ts' }]) expect(runIdOf(opts(other))).not.toBe(id);
  });

  it('batches cut the seeds in order; job ids are stable and free of ":" (BullMQ custom ids)', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([1, 3, 5], 4)).toEqual([[1, 3, 5]]);
    expect(batchJobId('abc', [3, 4])).toBe('abc-b3-4');
    expect(shrinkJobId('abc', 'my:prop', 7, 41)).toBe('abc-s-my_prop-7-41');
    expect(shrinkJobId('abc', 'my:prop', 7, 41)).not.toContain(':');
  });

  it('a worker rebuilds the options so that every seed gets the task a local search gives it', () => {
    const o = opts({ schedule: '30s', determinismEvery: 3, seed: 5 });
    const wire = JSON.parse(JSON.stringify(wireOptions(o))) as ReturnType<typeof wireOptions>;
    const back = fromWire(wire, 1);
    for (let seed = 5; seed < 15; seed++) expect(taskFor(seed, back)).toEqual(taskFor(seed, o));
    expect(back.timeBudgetMs).toBe(Infinity);
  });

  it('progress: bar, done/total, failing, rate since this coordinator started, ETA', () => {
    expect(progressLine({ done: 30, total: 100, failing: 2, doneAtStart: 10, elapsedMs: 4000 })).toBe(
      'check: [#######.................] 30/100 runs, 2 failing so far, 5.0 runs/s across workers, ETA 0:14',
    );
    expect(progressLine({ done: 0, total: 8, failing: 0, doneAtStart: 0, elapsedMs: 1000 })).toMatch(/0\/8 runs, 0 failing so far, 0\.0 runs\/s across workers, ETA \?$/);
    expect(progressLine({ done: 8, total: 8, failing: 1, doneAtStart: 0, elapsedMs: 2000 })).toMatch(/^check: \[#{24}\] 8\/8 runs.*ETA 0:00$/);
    expect(clockText(3725)).toBe('1:02:05');
  });
});
