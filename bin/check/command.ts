// Registers the `sentinel-sim check` command on the CLI (kept beside its implementation so bin/cli.ts stays small).
// The implementation (./index.ts: the runs, the shrinker) is loaded only when the command runs.
import type { Command } from 'commander';
import { TRACE_CHECKERS } from '../../engine/check/index.ts';
import { Interrupt } from '../run/signals.ts';
import type { CheckOptions } from './index.ts';

/** The built-in properties (engine/check/property/run.ts's PROPERTIES, without loading the runner for --help). */
const PROPERTY_NAMES = [...Object.keys(TRACE_CHECKERS), 'determinism'];

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description(
      'property testing: generate clusters, client workloads and fault schedules (each ending in a quiet period), run them on worker threads, ' +
        'check the failover invariants, shrink each failure to a repro scenario file',
    )
    .option('--runs <n>', 'runs in the seed range (before sharding)', '100')
    .option('--seed <n>', 'first seed of the range (run j uses seed + j)', '1')
    .option('--property <name>', `check only this property (repeatable or comma separated): ${PROPERTY_NAMES.join(', ')}`, collect)
    .option('--workers <k>', 'worker threads (0 = run in this thread)', '2')
    .option('--shard <i/n>', 'run only the seeds j with j mod n = i - 1 (split a search across machines, no coordination)')
    .option('--time-budget <duration>', 'stop starting runs after this wall time (e.g. 60s, 10m)')
    .option('--schedule <duration>', 'virtual length of each fault schedule; the quiet period begins then', '120s')
    .option('--out <dir>', 'directory of the shrunk repro files', 'failures')
    .option('--shrink-runs <n>', 'runs spent shrinking each failure (0: write the failing case as is)', '40')
    .option('--determinism-every <k>', 'check determinism (a second run) on every k-th seed', '8')
    .option('--app <module>', 'an application module (async (ctx) => { … } with its own Redis client, docs/guest-apps.md) run on a host of its own in every case; adds the property app-recovers')
    .option('--checkers <module>', 'a module exporting `checkers`, extra properties by name ({ name: (input) => CheckResult })')
    .option('--verbose', 'one line per run: seed, trace sha256, steps, verdict (sorted by seed)')
    .option('--no-known', 'skip the known-failure demonstrations')
    .option('--known <name>', 'only this known failure, no search: run it, write it as <out>/known-<name>.ts (with --confirm-real: replay it on real Redis)')
    .option('--confirm-real', 'replay each shrunk failure on real redis-server processes (`sentinel-sim real`) and judge the same property there: "confirmed on real Redis 7.0.15 (k/n)" or "simulator only (0/n)"; the evidence goes into the repro file')
    .option('--confirm-repeats <k>', 'real runs per failure with --confirm-real', '3')
    .option('--json <file>', 'also write the report as JSON (failures, repro files, real-Redis verdicts and evidence)')
    .option('--queue <url>', 'distributed search: enqueue the seeds as BullMQ jobs on this Redis (redis://host:port/db) for `sentinel-sim worker` processes, follow them, print the same report (needs --runs)')
    .option('--resume', 'with --queue: continue the search of the same options, skipping the seeds already done')
    .option('--batch <n>', 'with --queue: seeds per job', '4')
    .addHelpText(
      'after',
      [
        '',
        'Each failing property is shrunk and written as <out>/<property>-<seed>.ts; `sentinel-sim run <file>` replays',
        'it to the same violation (same trace sha256). Known Sentinel weaknesses (lost acknowledged writes when the',
        'master is partitioned with its clients) are shown as named demonstrations, not failures.',
        '',
        '--confirm-real needs redis-server (and root for the network faults: iptables; a C compiler for clock jumps);',
        'it waits for any other real run on the machine. Every trace property can be judged on a real run, not',
        'determinism. Example: sentinel-sim check --known min-replicas-counts-unreached-replica --confirm-real',
        '',
        'Ctrl-C (or SIGTERM) stops starting runs, lets the runs in progress finish (a second one abandons them),',
        'writes the failures found so far as they are (not shrunk) and prints the report of the runs done.',
        '',
        '--queue: the runs, and the shrinking of each failure, happen on `sentinel-sim worker --queue <url>` processes',
        '(any number, any machines); results are kept in Redis by seed, so a dead worker loses nothing and Ctrl-C',
        'then --resume continues the search. See docs/distributed.md.',
        '',
        'Exit status: 0 every property held, 1 a property failed, 2 bad usage, 130 / 143 interrupted (SIGINT / SIGTERM).',
      ].join('\n'),
    )
    .action(async (opts: CheckOptions & { property?: string[] }, cmd: Command) => {
      // --queue needs an explicit --runs (not the default 100)
      if (opts.queue !== undefined && cmd.getOptionValueSource('runs') === 'default') delete opts.runs;
      const intr = new Interrupt();
      const untrap = intr.trap();
      try {
        const { checkCommand } = await import('./index.ts');
        process.exitCode = await checkCommand(opts, undefined, intr);
      } finally {
        untrap();
      }
    });
}
