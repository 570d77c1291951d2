// The CLI as a Unix process: a closed stdout ends it quietly (status 0), SIGINT / SIGTERM while a trace is
// written leave no file under the name nor a temporary one (status 130 / 143), usage errors are one
// `sentinel-sim: ` line and the hint (status 2) for every command, --version and the scenarios list.
// Signals are sent once the command has printed something (never after a sleep); the runs are long enough
// (--until hours of a scenario that prints a note every virtual second) that they are still going then.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
/** Prints a note every virtual second, forever: 100 h of it take minutes. */
const CHATTY = 'test/cli/fixtures/chatty.ts';
const tmp = mkdtempSync(join(tmpdir(), 'sentinel-sim-process-'));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Hooks {
  /** Called with the child on every stdout chunk (the text so far). */
  stdout?: (child: ChildProcess, text: string) => void;
  /** Called with the child on every stderr chunk (the text so far). */
  stderr?: (child: ChildProcess, text: string) => void;
}

/** `node bin/sentinel-sim.js ...args` with stdout and stderr piped; resolves when it exits. */
function cli(args: string[], hooks: Hooks = {}): Promise<Ended> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['bin/sentinel-sim.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      hooks.stdout?.(child, stdout);
    });
    child.stdout.on('error', () => {});
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      hooks.stderr?.(child, stderr);
    });
    child.on('error', rej);
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr }));
  });
}

/** Read the first chunk of stdout, then close the pipe (as `| head -1` does). */
const closeAfterFirstChunk = (): Hooks => {
  let closed = false;
  return {
    stdout: (child) => {
      if (closed) return;
      closed = true;
      child.stdout!.destroy();
    },
  };
};

/** Send `sig` once, at the first stdout chunk. */
const signalAtFirstOutput = (sig: NodeJS.Signals): Hooks => {
  let sent = false;
  return {
    stdout: (child) => {
      if (sent) return;
      sent = true;
      child.kill(sig);
    },
  };
};

/** The lines of stderr that are not the run's progress line. */
const noise = (stderr: string) => stderr.split('\n').filter((l) => l !== '' && !/^sentinel-sim: [\w-]+: virtual \d\d:\d\d:\d\d\.\d{3} after /.test(l));

describe('a closed stdout ends the command quietly with status 0', () => {
  let trace = '';
  beforeAll(async () => {
    // a trace whose replay prints well over one buffer of output (64 KiB)
    trace = join(tmp, 'chatty.json');
    const r = await cli(['run', CHATTY, '--until', '2h', '--trace', trace, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  it('run (a long, chatty run stops soon after the reader is gone)', async () => {
    // the whole run would take minutes: the test's time-out is the proof that it stopped early
    const r = await cli(['run', CHATTY, '--until', '100h'], closeAfterFirstChunk());
    expect(r.code).toBe(0);
    expect(noise(r.stderr)).toEqual([]);
  }, 20_000);

  it('replay, demo, --help, scenarios', async () => {
    const rs = await Promise.all([
      cli(['replay', trace], closeAfterFirstChunk()),
      cli(['replay', trace, '--format', 'jsonl'], closeAfterFirstChunk()),
      cli(['demo', '--until', '1h'], closeAfterFirstChunk()),
      cli(['--help'], closeAfterFirstChunk()),
      cli(['scenarios'], closeAfterFirstChunk()),
    ]);
    for (const r of rs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
    }
  }, 30_000);

  it('check (the report is written line by line)', async () => {
    const r = await cli(['check', '--runs', '2', '--workers', '1', '--schedule', '10s', '--property', 'election-safety', '--no-known', '--out', join(tmp, 'failures')], closeAfterFirstChunk());
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/EPIPE|Error|^\s+at /m);
  }, 30_000);
});

describe('a signal while a trace is written: no file under the name, no temporary file', () => {
  it('SIGINT during run --trace: status 130, nothing written', async () => {
    const dir = mkdtempSync(join(tmp, 'sigint-'));
    const file = join(dir, 'run.json');
    const r = await cli(['run', CHATTY, '--until', '100h', '--trace', file], signalAtFirstOutput('SIGINT'));
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^sentinel-sim: interrupted by SIGINT at \d\d:\d\d:\d\d\.\d{3}; trace not written to .*run\.json$/m);
    expect(readdirSync(dir)).toEqual([]);
  }, 30_000);

  it('SIGTERM during run --trace: status 143, a file already under the name is left as it was', async () => {
    const dir = mkdtempSync(join(tmp, 'sigterm-'));
    const file = join(dir, 'run.json');
    writeFileSync(file, 'an older trace\n');
    const r = await cli(['run', CHATTY, '--until', '100h', '--trace', file], signalAtFirstOutput('SIGTERM'));
    expect(r.code, r.stderr).toBe(143);
    expect(readdirSync(dir)).toEqual(['run.json']);
    expect(readFileSync(file, 'utf8')).toBe('an older trace\n');
  }, 30_000);

  it('SIGINT during demo --trace: status 130, the existing file untouched', async () => {
    const dir = mkdtempSync(join(tmp, 'demo-'));
    const file = join(dir, 'demo.json');
    writeFileSync(file, 'keep\n');
    const r = await cli(['demo', '--until', '1h', '--trace', file], signalAtFirstOutput('SIGINT'));
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^sentinel-sim: interrupted by SIGINT at /m);
    expect(readdirSync(dir)).toEqual(['demo.json']);
    expect(readFileSync(file, 'utf8')).toBe('keep\n');
  }, 30_000);

  it('a run that ends replaces the file, leaving no temporary file; a failing script still writes its trace', async () => {
    const dir = mkdtempSync(join(tmp, 'ok-'));
    writeFileSync(join(dir, 'ok.json'), 'old\n');
    const [ok, fail] = await Promise.all([
      cli(['run', 'test/scenarios/fixtures/server-only.ts', '--trace', join(dir, 'ok.json'), '--quiet']),
      cli(['run', 'test/scenarios/fixtures/expect-fail.ts', '--trace', join(dir, 'fail.json'), '--quiet']),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(fail.code, fail.stderr).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['fail.json', 'ok.json']);
    const doc = JSON.parse(readFileSync(join(dir, 'ok.json'), 'utf8')) as { sha256: string };
    expect(ok.stdout).toContain(`trace sha256 ${doc.sha256}`);
    const rep = await cli(['replay', join(dir, 'fail.json'), '--format', 'summary']);
    expect(rep.code).toBe(1);
  }, 30_000);

  it('a trace that cannot be written is a clear error (status 2)', async () => {
    const r = await cli(['run', 'test/scenarios/fixtures/server-only.ts', '--trace', join(tmp, 'no-such-dir', 't.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sentinel-sim: cannot write trace '${join(tmp, 'no-such-dir', 't.json')}': no such directory\n`);
  }, 30_000);
});

describe('errors and usage', () => {
  it('usage errors of every command: `sentinel-sim: <what>`, the hint to --help, status 2', async () => {
    const cases: [string[], string][] = [
      [['bogus'], "unknown command 'bogus'"],
      [['run'], "missing required argument 'scenario'"],
      [['run', 'a.ts', 'b.ts'], "too many arguments for 'run'"],
      [['replay'], "missing required argument 'trace'"],
      [['demo', '--hosts', '1'], '--hosts must be between 2 and 64'],
      [['check', '--bogus'], "unknown option '--bogus'"],
      [['check', '--shard', '3/2'], "--shard must be i/n with 1 ≤ i ≤ n, got '3/2'"],
      [['serve', '--speed', '0'], '--speed must be a number > 0'],
      [['view', '--port', '70000'], '--port must be 0..65535'],
    ];
    const rs = await Promise.all(cases.map(([args]) => cli(args)));
    rs.forEach((r, i) => {
      const [args, what] = cases[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0], args.join(' ')).toMatch(/^sentinel-sim: /);
      expect(lines[0], args.join(' ')).toContain(what);
      expect(lines.at(-1), args.join(' ')).toBe('(run with --help for usage)');
      expect(r.stderr, args.join(' ')).not.toMatch(/^error:/m);
    });
  }, 60_000);

  it('--version and -V print the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const [long, short] = await Promise.all([cli(['--version']), cli(['-V'])]);
    for (const r of [long, short]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  }, 30_000);

  it('scenarios lists the built-in scenarios, one per line, descriptions aligned', async () => {
    const r = await cli(['scenarios']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const names = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual(names.sort());
    const column = lines.map((l) => /^\S+ +/.exec(l)![0].length);
    expect(new Set(column).size).toBe(1);
    for (const l of lines) expect(l.length).toBeGreaterThan(column[0]! + 5);
    expect(existsSync(join(ROOT, 'scenarios', 'tutorial-failover.ts'))).toBe(true);
    expect(r.stdout).toMatch(/^tutorial-failover +\S/m);
  }, 30_000);
});
