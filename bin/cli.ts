// The sentinel-sim command line. Commands are added issue by issue; each has --help.
// Errors, every command: `sentinel-sim: <what>` on stderr; bad usage exits 2 (with a hint to --help).
// A closed stdout (`sentinel-sim demo | head -1`) ends the process quietly with status 0.
// Only what parsing needs is loaded up front; each command loads its implementation when it runs (fast --help).
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../engine/sim/time.ts';
import { CliError } from './errors.ts';
import { errLine, Out } from './run/out.ts';
import type { DemoFlags } from './run/demo.ts';
import { FORMATS, type Format } from './run/output.ts';
import { packageVersion } from './version.ts';
import { registerServe } from './gateway/command.ts';
import { registerCheck } from './check/command.ts';
import { registerWorker } from './check/queue/command.ts';
import { registerView } from './view/command.ts';

// The reader of stdout (or stderr) went away: whatever was being written, stop now, quietly. Temporary
// files are removed by the exit hooks (bin/run/signals.ts); worker threads end with the process.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });

const USAGE_HINT = '(run with --help for usage)';

const program = new Command();
program
  .name('sentinel-sim')
  .description('Deterministic simulator of a Redis master / replica / Sentinel cluster')
  .version(packageVersion(), '-V, --version', 'print the version')
  .exitOverride()
  // commander's own errors ("error: unknown option ...") in the CLI's style; inherited by every command
  .configureOutput({ outputError: (str, write) => write(str.replace(/^error: /, 'sentinel-sim: ')) })
  .showHelpAfterError(USAGE_HINT)
  .addHelpText('after', '\nRun `sentinel-sim <command> --help` for the options of a command.\nExit status: 2 bad usage (every command); see each command for the others.');

const durationArg = (v: string) => {
  try {
    return parseDuration(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

const hostsArg = (v: string) => {
  const n = /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!(n >= 2 && n <= 64)) throw new InvalidArgumentError('--hosts must be between 2 and 64');
  return n;
};

program
  .command('demo')
  .description('run the network demo: a full mesh of hosts pinging each other over lossy links, with a partition and a crash')
  .option('--seed <n>', 'master seed', '1')
  .option('--hosts <n>', 'number of hosts (2 to 64)', hostsArg, 4)
  .option('--until <duration>', 'virtual time to run (e.g. 10s, 00:01:00)', durationArg, 8_000_000)
  .option('--trace <file>', 'write the JSON trace to this file')
  .option('--quiet', 'print only the summary')
  .addHelpText('after', '\nExit status: 0 success, 2 bad usage, 130 / 143 interrupted (SIGINT / SIGTERM) while writing a trace (no file is written).')
  .action(async (opts: DemoFlags) => {
    const { demoCommand } = await import('./run/demo.ts');
    process.exitCode = await demoCommand(opts);
  });

const formatOption = () =>
  new Option('--format <format>', 'log: every node\'s log lines then the summary; jsonl: one JSON object per line (see docs/cli.md); summary: only the summary')
    .choices(FORMATS as string[])
    .default('log');

program
  .command('run')
  .description('run a scenario: print every node\'s log (Redis\'s format, interleaved in virtual-time order), a summary and the trace hash')
  .argument('<scenario>', 'scenario file (.ts or .js) whose default export is defineScenario({...}), or the name of a built-in scenario (`sentinel-sim scenarios`)')
  .option('--seed <n>', 'master seed (default: the scenario\'s, else 1)')
  .option('--until <duration>', 'stop at this virtual time (e.g. 90s, 00:01:30); a script that ends earlier is followed by idle time until then', durationArg)
  .option('--trace <file>', 'also write the JSON trace to this file (replay it with `sentinel-sim replay`); it appears only once complete')
  .addOption(formatOption())
  .option('--quiet', 'print only the summary (and no progress line)')
  .addHelpText(
    'after',
    '\nExit status: 0 success, 1 an expectation failed or the script threw, 2 bad usage, missing file or bad config file,\n' +
      '130 / 143 interrupted by SIGINT / SIGTERM while writing a trace (the file is not written; one already there is left as it was).',
  )
  .action(async (file: string, opts: { seed?: string; until?: number; trace?: string; format: Format; quiet?: boolean }) => {
    const { runCommand } = await import('./run/run.ts');
    process.exitCode = await runCommand(file, opts);
  });

program
  .command('replay')
  .description('print a trace file written by `run --trace` exactly as `run` printed it (its hash is verified)')
  .argument('<trace>', 'trace file (.json)')
  .addOption(formatOption())
  .option('--quiet', 'print only the summary')
  .addHelpText('after', '\nExit status: 0 the recorded run succeeded, 1 it failed, 2 bad usage or a missing, corrupt or foreign file.')
  .action(async (file: string, opts: { format: Format; quiet?: boolean }) => {
    const { replayCommand } = await import('./run/replay.ts');
    process.exitCode = replayCommand(file, opts);
  });

program
  .command('scenarios')
  .description('list the built-in scenarios (run one by name: `sentinel-sim run <name>`)')
  .action(async () => {
    const { listBuiltinScenarios } = await import('./run/builtin.ts');
    const list = await listBuiltinScenarios();
    const width = Math.max(0, ...list.map((s) => s.name.length));
    const out = new Out();
    for (const s of list) out.line(`${s.name.padEnd(width)}  ${s.description}`.trimEnd());
    out.flush();
  });

registerServe(program);
registerCheck(program);
registerWorker(program);
registerView(program);
(await import('./real/command.ts')).registerReal(program);
(await import('./compare/command.ts')).registerCompare(program);

/** Report an error that ended a command; returns the exit status. */
function report(e: unknown): number {
  if (e instanceof CliError) {
    if (e.message) errLine(null, `sentinel-sim: ${e.message}`);
    if (e.exitCode === 2 && (e as { usage?: boolean }).usage) errLine(null, USAGE_HINT);
    return e.exitCode;
  }
  // thrown by an action (commander reports those of option parsers itself, with the same prefix)
  if (e instanceof InvalidArgumentError && e.code === 'commander.invalidArgument' && !e.message.startsWith('error:')) {
    errLine(null, `sentinel-sim: ${e.message}`);
    errLine(null, USAGE_HINT);
    return 2;
  }
  // already printed by commander: usage errors exit 2, --help and --version 0
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  errLine(null, `sentinel-sim: ${(e as Error)?.message ?? String(e)}`);
  return 1;
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exit(report(e));
}
