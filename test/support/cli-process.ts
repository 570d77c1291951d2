// The CLI as a process, and tests that need a tool from the machine (redis-server): skipped outside CI when
// it is missing (with the reason in the test name), failed under CI=true.
import { execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CI = process.env.CI === 'true';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/sentinel-sim.js ...args` from the repository root, stdout and stderr collected; resolves when it exits. */
export function cli(args: string[]): Promise<CliResult> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['bin/sentinel-sim.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

/** Why redis-server cannot be run here, or null when it can. */
export function redisMissing(): string | null {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'redis-server is not installed (apt-get install redis-server)';
  }
}

/** A test that needs a tool: skipped outside CI when it is missing (with the reason in its name), failed under CI. */
export function needs(missing: string | null, name: string, fn: () => Promise<void>, timeout: number): void {
  if (missing === null) it(name, fn, timeout);
  else if (CI) it(name, () => expect.fail(`${name}: ${missing}, which CI must have`));
  else it.skip(`${name} (skipped: ${missing})`, fn);
}
