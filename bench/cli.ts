// The published CLI's start-up and a whole run, as a user's shell sees them (issue 13, Fast start):
// `sentinel-sim --help` against `node -e 0` (same machine, same moment, interleaved runs, medians), and the wall
// time of `sentinel-sim run tutorial-failover`. Both run the compiled dist/bin/sentinel-sim.js, rebuilt first
// (tsc, ~2 s) so the figure is of the current sources.
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wallMs, type Figure } from './figures.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'dist', 'bin', 'sentinel-sim.js');

function timeOnce(args: string[]): number {
  const t0 = wallMs();
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return wallMs() - t0;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export function cliFigures(): Figure[] {
  execFileSync('npm', ['run', '--silent', 'build:lib'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const node: number[] = [];
  const help: number[] = [];
  timeOnce([BIN, '--help']); // page cache
  for (let i = 0; i < 15; i++) {
    node.push(timeOnce(['-e', '0']));
    help.push(timeOnce([BIN, '--help']));
  }
  const run: number[] = [];
  for (let i = 0; i < 3; i++) run.push(timeOnce([BIN, 'run', 'tutorial-failover', '--quiet']));
  return [
    { name: 'cli-help-vs-node-ratio', value: median(help) / median(node), unit: 'x', target: '<= 3' },
    { name: 'cli-help-ms', value: median(help), unit: 'ms', target: 'info' },
    { name: 'cli-run-tutorial-ms', value: median(run), unit: 'ms', target: 'info' },
  ];
}
