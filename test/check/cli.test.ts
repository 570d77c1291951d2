// `sentinel-sim check` as a process: usage errors exit 2, a small search exits 0 with its summary, shards
// add up to the whole seed range whatever the worker count, and a failing property is shrunk to a repro file
// that `sentinel-sim run` replays to the same violation (exit 1).
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'sentinel-sim-check-'));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Result> {
  return new Promise((res) => {
    execFile(process.execPath, ['bin/sentinel-sim.js', ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

/** The CLI, sending `sig` once stderr has shown `when` (the search has started: the signal is trapped). */
function cliSignalled(sig: NodeJS.Signals, when: RegExp, ...args: string[]): Promise<Result> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['bin/sentinel-sim.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && when.test(stderr)) {
        sent = true;
        child.kill(sig);
      }
    });
    child.on('error', rej);
    child.on('close', (code) => res({ code: code ?? -1, stdout, stderr }));
  });
}

const seedLines = (out: string) => out.split('\n').filter((l) => l.startsWith('seed '));

describe('sentinel-sim check', () => {
  it('bad usage exits 2 with a one-line error', async () => {
    const [flag, runs, prop, shard] = await Promise.all([
      cli('check', '--bogus'),
      cli('check', '--runs', '0'),
      cli('check', '--property', 'no-such-property'),
      cli('check', '--shard', '3/2'),
    ]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe("sentinel-sim: unknown option '--bogus'\n(run with --help for usage)\n");
    expect(runs.code).toBe(2);
    expect(runs.stderr).toBe("sentinel-sim: --runs must be an integer ≥ 1, got '0'\n(run with --help for usage)\n");
    expect(prop.code).toBe(2);
    expect(prop.stderr).toMatch(/unknown property 'no-such-property' \(properties: election-safety, .*determinism\)/);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toMatch(/--shard must be i\/n with 1 ≤ i ≤ n, got '3\/2'/);
  });

  it('--help documents the options and the exit status', async () => {
    const r = await cli('check', '--help');
    expect(r.code).toBe(0);
    for (const o of ['--runs', '--seed', '--property', '--workers', '--shard', '--time-budget', '--checkers']) expect(r.stdout).toContain(o);
    expect(r.stdout).toMatch(/Exit status: 0 every property held, 1 a property failed, 2 bad usage, 130 \/ 143 interrupted \(SIGINT \/ SIGTERM\)\./);
  });

  it('a small search on a worker thread exits 0 with the summary table, the coverage and progress on stderr', async () => {
    const r = await cli('check', '--runs', '2', '--workers', '1', '--schedule', '30s', '--no-known');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/check: 2 run\(s\) from seed 1, 30 s schedules, 1 worker thread\(s\)/);
    expect(r.stderr).toMatch(/check: 2\/2 runs, [\d.]+ runs\/s, 0 failing run\(s\) so far/);
    expect(r.stdout).toMatch(/^2 run\(s\) in [\d.]+ s \([\d.]+ runs\/s\)$/m);
    expect(r.stdout).toMatch(/^election-safety\s+2\s+0\s+-$/m);
    expect(r.stdout).toMatch(/^determinism\s+1\s+0\s+-$/m);
    expect(r.stdout).toMatch(/^ {2}\+failover-end\s+\d+\s+\d+ %$/m);
    expect(r.stdout).toMatch(/every property held\n$/);
  });

  it('--shard i/n splits the seed range deterministically: the shards add up to the whole run', async () => {
    const common = ['--runs', '4', '--seed', '40', '--schedule', '30s', '--verbose', '--no-known'];
    const [whole, one, two] = await Promise.all([cli('check', ...common, '--workers', '0'), cli('check', ...common, '--shard', '1/2', '--workers', '1'), cli('check', ...common, '--shard', '2/2', '--workers', '0')]);
    for (const r of [whole, one, two]) expect(r.code, r.stderr).toBe(0);
    expect(seedLines(whole.stdout)).toHaveLength(4);
    expect(seedLines(one.stdout).map((l) => l.split(' ')[1])).toEqual(['40', '42']);
    expect(seedLines(two.stdout).map((l) => l.split(' ')[1])).toEqual(['41', '43']);
    const merged = [...seedLines(one.stdout), ...seedLines(two.stdout)].sort((a, b) => Number(a.split(' ')[1]) - Number(b.split(' ')[1]));
    expect(merged).toEqual(seedLines(whole.stdout));
    expect(one.stderr).toMatch(/shard 1\/2 of seeds 40\.\.43/);
  });

  it('SIGINT stops starting runs, finishes those in progress, prints the report of the runs done and exits 130', async () => {
    const out = join(tmp, 'not-written');
    const r = await cliSignalled('SIGINT', /run\(s\) from seed 1/, 'check', '--runs', '1000', '--workers', '1', '--schedule', '10s', '--property', 'election-safety', '--no-known', '--out', out);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/check: SIGINT: no new runs; finishing the run\(s\) in progress/);
    const head = /^(\d+) run\(s\) in [\d.]+ s \([\d.]+ runs\/s\), interrupted by SIGINT after \1 of 1000$/m.exec(r.stdout);
    expect(head, r.stdout).not.toBeNull();
    expect(Number(head![1])).toBeLessThan(1000);
    expect(r.stdout).toMatch(/^election-safety\s+\d+\s+0\s+-$/m);
    expect(r.stdout).toMatch(/^coverage \(runs that reached each Sentinel event \/ fault kind\):$/m);
    expect(r.stdout).toMatch(new RegExp(`\nINTERRUPTED by SIGINT after ${head![1]} of 1000 run\\(s\\): every property held in those\n$`));
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('SIGINT after a failure: the failing case is written as it is (not shrunk), the report says FAILED and INTERRUPTED', async () => {
    const out = join(tmp, 'interrupted');
    const fx = 'test/check/fixtures/master-never-changes.ts';
    // seed 2 fails this property: the signal goes once the progress line counts a failing run
    const r = await cliSignalled('SIGINT', / [1-9]\d* failing run\(s\) so far/, 'check', '--checkers', fx, '--property', 'master-never-changes', '--seed', '2', '--runs', '1000', '--workers', '1', '--out', out);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/check: writing the failure of master-never-changes \(seed 2\) as it is/);
    expect(readdirSync(out)).toEqual(['master-never-changes-2.ts']);
    expect(r.stdout).toMatch(/^FAILED: master-never-changes\n {2}repro: sentinel-sim run .*master-never-changes-2\.ts\nINTERRUPTED by SIGINT after \d+ of 1000 run\(s\)\n$/m);
  }, 60_000);

  it('a failing property is shrunk to a repro file that `run` replays to the same violation', async () => {
    const out = join(tmp, 'failures');
    const fx = 'test/check/fixtures/master-never-changes.ts';
    const r = await cli('check', '--checkers', fx, '--property', 'master-never-changes', '--seed', '2', '--runs', '1', '--workers', '0', '--shrink-runs', '8', '--out', out);
    expect(r.code).toBe(1);
    const file = join(out, 'master-never-changes-2.ts');
    expect(existsSync(file)).toBe(true);
    expect(r.stdout).toMatch(/✗ property master-never-changes failed — seed 2 — repro .*master-never-changes-2\.ts/);
    expect(r.stdout).toMatch(/minimal case:/);
    expect(r.stdout).toMatch(/^FAILED: master-never-changes$/m);
    const violation = /✗ \d\d:\d\d:\d\d\.\d{3} \S+: (the master changed: .*)$/m.exec(r.stdout)?.[1];
    expect(violation).toBeDefined();
    const replay = await cli('run', file, '--format', 'summary');
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain(violation!);
    expect(replay.stdout).toMatch(/expectations: 0 passed, 1 failed/);
  });
});
