// Distributed property search with real parts: a real redis-server on a free loopback port holds the BullMQ
// queue; a coordinator (`check --queue`) and two `sentinel-sim worker` processes run as users run them; one
// worker is SIGKILLed in the middle of a batch. The stalled-job check hands that batch to the other worker,
// and the coordinator's report — summary table, coverage, JSON, the shrunk repro file — is the local run's
// for the same seeds (determinism; only wall times differ). Skipped without redis-server outside CI.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../bin/check/options.ts';
import { parseQueueUrl } from '../../../bin/check/queue/url.ts';
import type { CliError } from '../../../bin/errors.ts';
import { cli, redisMissing, needs, ROOT } from '../../support/cli-process.ts';
import { queueRedis, timeless } from './support.ts';

const tmp = mkdtempSync(join(tmpdir(), 'sentinel-sim-queue-'));
const children: ChildProcess[] = [];
let server: { url: string; stop: () => void } | null = null;

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

interface Proc {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves when stderr matches. */
  waitFor: (re: RegExp) => Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function start(args: string[]): Proc {
  const child = spawn(process.execPath, ['bin/sentinel-sim.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  const waiting: { re: RegExp; res: (m: RegExpExecArray) => void }[] = [];
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of [...waiting]) {
      const m = w.re.exec(stderr);
      if (m) {
        waiting.splice(waiting.indexOf(w), 1);
        w.res(m);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((res) =>
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr })),
  );
  return {
    child,
    stderr: () => stderr,
    waitFor: (re) => new Promise((res) => (re.exec(stderr) ? res(re.exec(stderr)!) : waiting.push({ re, res }))),
    exited,
  };
}

const jsonWithoutTime = (file: string) => {
  const j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete j.wallMs;
  return j;
};
const files = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('check --queue with sentinel-sim worker processes', () => {
  it('usage errors exit 2: a bad URL, --queue without --runs, --resume without --queue, worker without --queue', async () => {
    const usage = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect((e as CliError).exitCode).toBe(2);
        return (e as Error).message;
      }
      return expect.fail('no usage error');
    };
    expect(usage(() => resolveOptions({ queue: 'http://127.0.0.1:6379/0', runs: 4 }))).toMatch(/^--queue: scheme http is not redis or rediss in 'http:\/\/127\.0\.0\.1:6379\/0'/);
    expect(usage(() => resolveOptions({ queue: 'redis://127.0.0.1:6379/x', runs: 4 }))).toMatch(/^--queue: database 'x' is not a number/);
    expect(usage(() => resolveOptions({ resume: true, runs: 4 }))).toMatch(/^--resume needs --queue/);
    expect(parseQueueUrl('redis://:s3cret@10.0.0.5:6380/3')).toEqual({ host: '10.0.0.5', port: 6380, db: 3, password: 's3cret', tls: false, display: 'redis://10.0.0.5:6380/3' });
    // through the CLI: --runs has a default for a local search, not for a distributed one
    const [runs, worker, help] = await Promise.all([cli(['check', '--queue', 'redis://127.0.0.1:6379/0']), cli(['worker']), cli(['worker', '--help'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: sentinel-sim worker \[options\][\s\S]*--queue <url>[\s\S]*--lock-duration <duration>[\s\S]*--idle-exit <duration>/);
    expect(runs.code).toBe(2);
    expect(runs.stderr).toMatch(/^sentinel-sim: --queue needs --runs <n>/);
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(/^sentinel-sim: worker needs --queue/);
  }, 60_000);

  needs(
    redisMissing(),
    'a worker SIGKILLed mid-batch loses nothing: the merged report, JSON and repro file are the local run\'s',
    async () => {
      server = await queueRedis();
      const url = server.url;
      const out = join(tmp, 'failures');
      // seeds 1..4, 10 s schedules; the fixture property fails whenever a failover completes (seeds 2 and 4),
      // and its smallest failing seed is shrunk (on a worker, for the queue)
      const search = ['--runs', '4', '--seed', '1', '--schedule', '10s', '--no-known', '--shrink-runs', '2', '--out', out, '--checkers', 'test/check/fixtures/master-never-changes.ts'];

      // the workers start while the local run runs (the same seeds, in one process, one thread)
      const workerArgs = ['worker', '--queue', url, '--workers', '1', '--lock-duration', '2s'];
      const a = start(workerArgs);
      const b = start(workerArgs);
      const local = await cli(['check', ...search, '--workers', '1', '--json', join(tmp, 'local.json')]);
      expect(local.code, local.stderr).toBe(1);
      expect(local.stdout).toMatch(/^FAILED: .*master-never-changes/m);
      const localFiles = files(out);
      rmSync(out, { recursive: true, force: true });
      await Promise.all([a.waitFor(/worker: ready/), b.waitFor(/worker: ready/)]);

      const coordinator = start(['check', ...search, '--queue', url, '--batch', '2', '--json', join(tmp, 'queue.json')]);
      const stuck = setTimeout(() => console.error(`still waiting:\n--- coordinator\n${coordinator.stderr()}\n--- worker a\n${a.stderr()}\n--- worker b\n${b.stderr()}`), 100_000);
      // the first worker to start a batch is killed at once, in the middle of it
      const started = /worker: (seeds? [\d.]+) of search \w+ started/;
      const first = await Promise.race([a.waitFor(started).then((m) => ({ victim: a, survivor: b, batch: m[1]! })), b.waitFor(started).then((m) => ({ victim: b, survivor: a, batch: m[1]! }))]);
      first.victim.child.kill('SIGKILL');
      const killed = await first.victim.exited;
      expect(killed.signal).toBe('SIGKILL');

      const dist = await coordinator.exited;
      clearTimeout(stuck);
      expect(dist.code, dist.stderr).toBe(local.code);
      // the killed worker's batch was run again, by the other worker
      expect(first.survivor.stderr()).toContain(`worker: ${first.batch} of search`);
      expect(dist.stderr).toMatch(/check: \[#{24}\] 4\/4 runs, \d+ failing so far, [\d.]+ runs\/s across workers, ETA 0:00/);
      expect(timeless(dist.stdout)).toBe(timeless(local.stdout));
      expect(jsonWithoutTime(join(tmp, 'queue.json'))).toEqual(jsonWithoutTime(join(tmp, 'local.json')));
      expect(files(out)).toEqual(localFiles);

      // the surviving worker finishes its jobs and exits on SIGTERM
      first.survivor.child.kill('SIGTERM');
      expect((await first.survivor.exited).code).toBe(143);
    },
    // 130 s seen at a load average of 15 on 2 cores
    240_000,
  );
});
