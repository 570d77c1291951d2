// Registers `sentinel-sim real` on the CLI (kept beside its implementation so bin/cli.ts stays small). The
// implementation (./cli.ts: processes, iptables, the script thread) is loaded only when the command runs.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseDuration } from '../../engine/sim/time.ts';

export interface RealFlags {
  seed?: string;
  until?: number;
  format: 'log' | 'jsonl' | 'summary';
  keep?: boolean;
  quiet?: boolean;
}

const durationArg = (v: string) => {
  try {
    return parseDuration(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

const HELP_AFTER = `
Every simulated host gets a loopback alias 127.0.77.<i> (never 127.0.0.1; SENTINEL_SIM_REAL_BLOCK=78 moves a run to
127.0.78.<i>, so that runs in different blocks can go at once); each node's config file is
rewritten to bind there (and to send from there), to run in the foreground in a per-node data directory
and to log on stdout. Log lines and replies show the scenario's own addresses. Faults: kill = SIGKILL,
pause / resume = SIGSTOP / SIGCONT, restart = same config file and data directory, host down = its packets
dropped and its processes killed; partitions, cuts and lossy links are iptables rules (root only) in a chain
SENTINEL_SIM_<pid> that matches only the aliases; a clock jump shifts the wall clock of the host's processes
(a small preload library, built with cc). Latency is not applied: such steps, clock jumps without cc, and
network steps without root or iptables, are reported as skipped and the run goes on. Needs redis-server
(Debian: apt-get install redis-server). One real run at a time per machine (others wait for it).

Exit status: 0 success, 1 an expectation failed or the script threw, 2 bad usage, no redis-server, a missing
scenario or a config file Redis refuses, 130 / 143 interrupted by SIGINT / SIGTERM (after every process was
stopped, the iptables rules removed and the work directory deleted).`;

export function registerReal(program: Command): void {
  program
    .command('real')
    .description("run a scenario's cluster as real redis-server processes on loopback aliases and its script in real time; prints what `run` prints (no trace hash)")
    .argument('<scenario>', 'scenario file (.ts or .js), or the name of a built-in scenario (`sentinel-sim scenarios`)')
    .option('--seed <n>', "a label only (real processes are not seeded); default: the scenario's, else 1")
    .option('--until <duration>', 'stop the script at this time since the start (e.g. 90s); a script that ends earlier is followed by idle time until then', durationArg)
    .addOption(
      new Option('--format <format>', "log: every node's log lines then the summary; jsonl: one JSON object per line; summary: only the summary")
        .choices(['log', 'jsonl', 'summary'])
        .default('log'),
    )
    .option('--keep', 'keep the work directory (rewritten configs, data, each node\'s log) and print where it is')
    .option('--quiet', 'print only the summary')
    .addHelpText('after', HELP_AFTER)
    .action(async (file: string, opts: RealFlags) => {
      const { realCommand } = await import('./cli.ts');
      process.exitCode = await realCommand(file, opts);
    });
}
