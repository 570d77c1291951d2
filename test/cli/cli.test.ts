// The CLI as a process: `node bin/sentinel-sim.js run|replay ...` — exit codes, output formats, traces.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const FX = 'test/scenarios/fixtures';
const tmp = mkdtempSync(join(tmpdir(), 'sentinel-sim-cli-'));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Result> {
  return new Promise((res) => {
    execFile(process.execPath, ['bin/sentinel-sim.js', ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

const shaLine = (out: string) => out.split('\n').find((l) => l.startsWith('trace sha256 '));
const noStack = (r: Result) => expect(r.stderr).not.toMatch(/^\s+at .*\.(ts|js):\d+/m);

describe('sentinel-sim run', () => {
  it('runs a scenario: log lines prefixed by the node, the summary, the hash; same seed ⇒ same hash line', async () => {
    const [a, b, c] = await Promise.all([
      cli('run', `${FX}/server-only.ts`),
      cli('run', `${FX}/server-only.ts`, '--format', 'summary'),
      cli('run', `${FX}/server-only.ts`, '--seed', '2', '--quiet'),
    ]);
    expect(a.code).toBe(0);
    expect(a.stderr).toBe('');
    const lines = a.stdout.split('\n');
    expect(lines[0]).toMatch(/^127\.0\.0\.1:7000  \d+:C 25 Nov 2026 00:00:00\.000 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo$/);
    expect(lines).toContain('127.0.0.1:7000  ' + lines.find((l) => l.includes('Ready to accept connections'))!.slice(16));
    expect(a.stdout).toMatch(/^ {16}\*\*\* 00:00:00\.100 fault kill 127\.0\.0\.1:7000$/m);
    expect(a.stdout).toMatch(/^ {16}\*\*\* 00:00:01\.\d{3} note: done$/m);
    expect(a.stdout).toContain('=== summary: fixture-server-only (seed 1), ended at');
    expect(a.stdout).toContain('expectations: 4 passed, 0 failed');
    expect(a.stdout).toContain('client ops: no clients');
    expect(shaLine(a.stdout)).toMatch(/^trace sha256 [0-9a-f]{64}$/);
    expect(a.stdout.trimEnd().split('\n').pop()).toBe(shaLine(a.stdout));
    // --format summary: the same summary and hash, no log
    expect(b.code).toBe(0);
    expect(b.stdout.startsWith('=== summary:')).toBe(true);
    expect(shaLine(b.stdout)).toBe(shaLine(a.stdout));
    // another seed: other pids, another trace
    expect(c.code).toBe(0);
    expect(c.stdout.startsWith('=== summary: fixture-server-only (seed 2)')).toBe(true);
    expect(shaLine(c.stdout)).not.toBe(shaLine(a.stdout));
    const again = await cli('run', `${FX}/server-only.ts`, '--seed', '2', '--quiet');
    expect(shaLine(again.stdout)).toBe(shaLine(c.stdout));
  });

  it('--format jsonl prints the documented shapes, the summary last', async () => {
    const r = await cli('run', `${FX}/expect-fail.ts`, '--format', 'jsonl');
    expect(r.code).toBe(1);
    const objs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const last = objs.pop()!;
    expect(Object.keys(last)).toEqual(['summary', 'traceSha256']);
    expect(last.traceSha256).toMatch(/^[0-9a-f]{64}$/);
    const s = last.summary as Record<string, unknown>;
    expect(Object.keys(s)).toEqual(['masters', 'currentEpochs', 'roles', 'failovers', 'clientOps', 'expectations']);
    expect(s).toEqual({
      masters: {},
      currentEpochs: {},
      roles: { '127.0.0.1:6379': 'down' },
      failovers: [],
      clientOps: { ok: 0, failed: 0, unknown: 0, lostAcknowledged: 0 },
      expectations: { passed: 0, failed: 1 },
    });
    const logs = objs.filter((o) => o.kind === 'server');
    expect(logs.length).toBeGreaterThan(5);
    for (const o of logs) {
      expect(Object.keys(o)).toEqual(['t', 'node', 'kind', 'event', 'line']);
      expect(o.event).toBeNull();
    }
    expect(logs[0]).toEqual({ t: 0, node: '127.0.0.1:6379', kind: 'server', event: null, line: 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo' });
    expect(objs.filter((o) => o.kind === 'fault')).toEqual([{ t: 1000, kind: 'fault', fault: 'kill', target: '127.0.0.1:6379' }]);
    const failed = objs.find((o) => o.kind === 'note' && o.what === 'expect')!;
    expect(failed.ok).toBe(false);
    expect(String(failed.text).split('\n')[0]).toBe('expectation failed at 00:00:01.000: the server is master: expected "master", got "down"');
    expect(objs.find((o) => o.what === 'note')).toEqual({ t: 2000, kind: 'note', what: 'note', text: 'still running after the failed expectation' });
    // the failure is explained on stderr too
    expect(r.stderr).toContain('sentinel-sim: expectation failed at 00:00:01.000: the server is master');
  });

  it('a scenario that throws: exit 1, the error with the scenario time, and still the summary and a trace', async () => {
    const trace = join(tmp, 'throws.json');
    const r = await cli('run', `${FX}/throws.ts`, '--trace', trace);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sentinel-sim: scenario failed at 00:00:02.000: boom from the script');
    expect(r.stderr).toContain(`at ${FX}/throws.ts:9:`);
    expect(r.stderr).toContain(`trace written to ${trace}`);
    expect(r.stdout).toContain('ended at 00:00:02.000, the script threw');
    const rep = await cli('replay', trace, '--format', 'summary');
    expect(rep.code).toBe(1);
    expect(shaLine(rep.stdout)).toBe(shaLine(r.stdout));
    expect(rep.stderr).toContain('scenario failed at 00:00:02.000: boom from the script');
  });

  it('a waitFor time-out is a failure with a clear message', async () => {
    const r = await cli('run', `${FX}/wait-timeout.ts`, '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("scenario failed at 00:00:04.000: waitFor('+switch-master') timed out after 3s (waiting since 00:00:01.000)");
  });

  it('bad usage, a missing file, a bad or missing config file: exit 2 with one clear message', async () => {
    const [noArg, badFormat, badUntil, unknown, missing, notScenario, badConf, missingConf] = await Promise.all([
      cli('run'),
      cli('run', `${FX}/server-only.ts`, '--format', 'xml'),
      cli('run', `${FX}/server-only.ts`, '--until', 'soon'),
      cli('run', `${FX}/server-only.ts`, '--bogus'),
      cli('run', `${FX}/nope.ts`),
      cli('run', `${FX}/not-a-scenario.ts`),
      cli('run', `${FX}/bad-config.ts`),
      cli('run', `${FX}/missing-config.ts`),
    ]);
    for (const r of [noArg, badFormat, badUntil, unknown, missing, notScenario, badConf, missingConf]) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      noStack(r);
    }
    expect(noArg.stderr).toBe("sentinel-sim: missing required argument 'scenario'\n(run with --help for usage)\n");
    expect(badFormat.stderr).toContain("argument 'xml' is invalid. Allowed choices are log, jsonl, summary.");
    expect(badUntil.stderr).toContain("invalid duration 'soon'");
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    expect(missing.stderr).toBe(`sentinel-sim: cannot open scenario '${FX}/nope.ts': no such file\n`);
    expect(notScenario.stderr).toContain('does not export a scenario (export default defineScenario({...}))');
    expect(badConf.stderr).toBe(
      'sentinel-sim: bad config file redis.conf:\n\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> \'maxmemory lots\'\nargument must be a memory value\n\n',
    );
    expect(missingConf.stderr).toBe(
      `sentinel-sim: Fatal error, can't open config file '${ROOT}/${FX}/nowhere/redis.conf': No such file or directory\n`,
    );
  });

  it('--help on every command', async () => {
    const [top, run, replay] = await Promise.all([cli('--help'), cli('run', '--help'), cli('replay', '--help')]);
    for (const r of [top, run, replay]) expect(r.code).toBe(0);
    expect(top.stdout).toMatch(/run \[options\] <scenario>/);
    expect(run.stdout).toContain('--until <duration>');
    expect(run.stdout).toContain('Exit status: 0 success, 1 an expectation failed or the script threw, 2 bad usage');
    expect(replay.stdout).toContain('Usage: sentinel-sim replay [options] <trace>');
  });
});

describe('sentinel-sim replay', () => {
  it('prints exactly what run printed, in every format; the hash is verified', async () => {
    const trace = join(tmp, 'tutorial.json');
    const [run, runJsonl] = await Promise.all([cli('run', `${FX}/tutorial.ts`, '--trace', trace), cli('run', `${FX}/tutorial.ts`, '--format', 'jsonl')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^127\.0\.0\.1:26371 \d+:X 25 Nov 2026 00:00:11\.\d{3} # \+sdown master TestMaster 127\.0\.0\.1 7003$/m);
    expect(run.stdout).toMatch(/^8395 +127\.0\.0\.1:2637\d +127\.0\.0\.1:8003 +00:00:11\.\d{3} +00:00:1\d\.\d{3} +\d\.\d{3} s$/m);
    const [rep, repJsonl] = await Promise.all([cli('replay', trace), cli('replay', trace, '--format', 'jsonl')]);
    expect(rep.code).toBe(0);
    expect(rep.stdout).toBe(run.stdout);
    expect(repJsonl.stdout).toBe(runJsonl.stdout);
    const doc = JSON.parse(readFileSync(trace, 'utf8')) as { sha256: string };
    expect(shaLine(run.stdout)).toBe(`trace sha256 ${doc.sha256}`);
    const summary = JSON.parse(runJsonl.stdout.trimEnd().split('\n').pop()!) as { summary: { failovers: { epoch: number; promoted: string }[]; masters: Record<string, string> } };
    expect(summary.summary.failovers.map((f) => [f.epoch, f.promoted])).toEqual([[8395, '127.0.0.1:8003']]);
    expect(Object.values(summary.summary.masters)).toEqual(['127.0.0.1:8003', '127.0.0.1:8003', '127.0.0.1:8003']);
  });

  it('a corrupt, truncated, modified or foreign file: exit 2, one clear line, no stack trace', async () => {
    const good = readFileSync(join(tmp, 'tutorial.json'), 'utf8');
    const files: Record<string, string> = {
      truncated: good.slice(0, 4000),
      modified: good.replace('quorum 1', 'quorum 2'),
      foreign: '{"hello": "world"}\n',
      text: 'not json at all\n',
      version: good.replace('"version":1', '"version":99'),
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, `${name}.json`), text);
    const rs = await Promise.all([...Object.keys(files).map((n) => cli('replay', join(tmp, `${n}.json`))), cli('replay', join(tmp, 'absent.json'))]);
    const msgs = rs.map((r) => {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      noStack(r);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      return r.stderr;
    });
    expect(msgs[0]).toContain('is not a complete sentinel-sim trace: the file ends early (was the run interrupted?)');
    expect(msgs[1]).toMatch(/trace hash mismatch \(the file says [0-9a-f]{64}, its records hash to [0-9a-f]{64}\): the file was modified or damaged/);
    expect(msgs[2]).toContain('is not a sentinel-sim trace (expected {"header":{"format":"sentinel-sim-trace"');
    expect(msgs[3]).toContain('is not a sentinel-sim trace (not JSON');
    expect(msgs[4]).toContain('is a version 99 trace; this sentinel-sim reads version 1');
    expect(msgs[5]).toContain("cannot open trace '");
    expect(msgs[5]).toContain("absent.json': no such file");
  });
});
