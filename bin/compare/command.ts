// Registers `sentinel-sim compare` on the CLI; the implementation (./index.ts: the runs, the comparison) is
// loaded only when the command runs.
import { InvalidArgumentError, type Command } from 'commander';
import { Interrupt } from '../run/signals.ts';

const intArg = (name: string, min: number, max: number) => (v: string) => {
  const n = /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!(n >= min && n <= max)) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
  return n;
};

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('run a scenario on N simulated seeds and M times on real redis-server processes, and compare the failover milestones after each fault')
    .argument('<scenario>', 'scenario file (.ts or .js) or the name of a built-in scenario (`sentinel-sim scenarios`)')
    .option('--seeds <n>', 'simulated seeds (the scenario\'s seed, then the next ones)', intArg('--seeds', 1, 10_000), 10)
    .option('--repeats <m>', 'real runs (each takes the scenario\'s length in wall time; 0: simulated only) (default: 3)', intArg('--repeats', 0, 1000))
    .option('--seed <n>', 'first simulated seed (default: the scenario\'s, else 1)')
    .option('--real-from <file>', 'instead of real runs, recorded ones: a results file of real Redis runs (test/fixtures/oracle/results/*.json)')
    .option('--real-runs <dir>', 'real runs saved earlier with --save-real (they count before any new --repeats)')
    .option('--save-real <dir>', 'save each new real run as JSON in this directory, to re-judge later with --real-runs')
    .option('--json <file>', 'also write the comparison as JSON to this file (written whole or not at all)')
    .option('--quiet', 'no progress lines on stderr')
    .addHelpText(
      'after',
      [
        '',
        'Per fault of the scenario (kill, pause, host-down, partition, isolate, block, sentinel-failover, clock-jump,',
        'the admin commands FAILOVER and CLIENT PAUSE),',
        'each milestone in ms after it — +sdown, +odown, +try-failover, +elected-leader, +selected-slave,',
        '+promoted-slave, +switch-master, -sdown and +convert-to-slave of the old master, the clients\' outage —',
        'as the simulated band vs the real band (min–max, median), and verdicts: same promoted replica, same final',
        'master and epochs on every Sentinel, same event sequence per role, each milestone inside the real band or',
        'the window Redis\'s timers allow. Progress goes to stderr.',
        '',
        'Exit status: 0 every verdict holds (n/a holds), 1 a verdict failed, 2 bad usage, scenario or a real run that',
        'cannot start (no redis-server), 130 / 143 interrupted (SIGINT / SIGTERM) during the real runs.',
      ].join('\n'),
    )
    .action(async (file: string, opts: { seeds: number; repeats?: number; seed?: string; json?: string; realFrom?: string; realRuns?: string; saveReal?: string; quiet?: boolean }) => {
      const intr = new Interrupt();
      const untrap = intr.trap();
      try {
        const { compareCommand } = await import('./index.ts');
        process.exitCode = await compareCommand(file, opts, intr);
      } finally {
        untrap();
      }
    });
}
