// The sentinel-sim command line. Commands are added issue by issue; each has --help.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { buildMesh } from '../engine/sim/demo.ts';
import { formatLogLine } from '../engine/trace/logformat.ts';
import { parseDuration } from '../engine/sim/time.ts';
import { nodeSha256 } from './nodeHash.ts';
import { TraceFileWriter } from './traceWriter.ts';
import { CliError } from './run/load.ts';
import { FORMATS, type Format } from './run/output.ts';
import { replayCommand } from './run/replay.ts';
import { runCommand } from './run/run.ts';
import { registerServe } from './gateway/command.ts';
import { registerCheck } from './check/command.ts';
import { registerView } from './view/command.ts';

const program = new Command();
program
  .name('sentinel-sim')
  .description('Deterministic simulator of a Redis master / replica / Sentinel cluster')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');

const durationArg = (v: string) => {
  try {
    return parseDuration(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

program
  .command('demo')
  .description('run the network demo: a full mesh of hosts pinging each other over lossy links, with a partition and a crash')
  .option('--seed <n>', 'master seed', '1')
  .option('--hosts <n>', 'number of hosts', (v) => Number.parseInt(v, 10), 4)
  .option('--until <duration>', 'virtual time to run (e.g. 10s, 00:01:00)', durationArg, 8_000_000)
  .option('--trace <file>', 'write the JSON trace to this file')
  .option('--quiet', 'print only the summary')
  .action((opts: { seed: string; hosts: number; until: number; trace?: string; quiet?: boolean }) => {
    if (!Number.isInteger(opts.hosts) || opts.hosts < 2 || opts.hosts > 64) throw new InvalidArgumentError('--hosts must be between 2 and 64');
    const { sim, stats } = buildMesh({ seed: opts.seed, hosts: opts.hosts, trace: { detail: opts.trace ? 'messages' : 'events', hasher: nodeSha256 } });
    const writer = opts.trace ? new TraceFileWriter(opts.trace, sim.trace) : null;
    if (!opts.quiet)
      sim.trace.subscribe((r) => {
        if (r.k === 'log') console.log(`${r.node.padEnd(15)} ${formatLogLine(r)}`);
        else if (r.k === 'fault') console.log(`${''.padEnd(15)} *** fault ${r.fault}${r.target ? ' ' + r.target : ''}${r.args ? ' ' + JSON.stringify(r.args) : ''}`);
      });
    try {
      sim.run({ until: opts.until });
    } finally {
      const hash = writer ? writer.close() : sim.trace.sha256();
      console.log(`\npings ${stats.pings}  pongs ${stats.pongs}  delivered ${sim.net.stats.delivered}  dropped ${sim.net.stats.dropped}`);
      console.log(`trace sha256 ${hash}`);
      if (writer) console.log(`trace written to ${writer.path}`);
    }
  });

const formatOption = () =>
  new Option('--format <format>', 'log: every node\'s log lines then the summary; jsonl: one JSON object per line (see README); summary: only the summary')
    .choices(FORMATS as string[])
    .default('log');

program
  .command('run')
  .description('run a scenario file: print every node\'s log (Redis\'s format, interleaved in virtual-time order), a summary and the trace hash')
  .argument('<scenario>', 'scenario file (.ts) whose default export is defineScenario({...})')
  .option('--seed <n>', 'master seed (default: the scenario\'s, else 1)')
  .option('--until <duration>', 'stop at this virtual time (e.g. 90s, 00:01:30); a script that ends earlier is followed by idle time until then', durationArg)
  .option('--trace <file>', 'also write the JSON trace to this file (replay it with `sentinel-sim replay`)')
  .addOption(formatOption())
  .option('--quiet', 'print only the summary (and no progress line)')
  .addHelpText('after', '\nExit status: 0 success, 1 an expectation failed or the script threw, 2 bad usage, missing file or bad config file.')
  .action(async (file: string, opts: { seed?: string; until?: number; trace?: string; format: Format; quiet?: boolean }) => {
    process.exitCode = await runCommand(file, opts);
  });

program
  .command('replay')
  .description('print a trace file written by `run --trace` exactly as `run` printed it (its hash is verified)')
  .argument('<trace>', 'trace file (.json)')
  .addOption(formatOption())
  .option('--quiet', 'print only the summary')
  .addHelpText('after', '\nExit status: 0 the recorded run succeeded, 1 it failed, 2 bad usage or a missing, corrupt or foreign file.')
  .action((file: string, opts: { format: Format; quiet?: boolean }) => {
    process.exitCode = replayCommand(file, opts);
  });

registerServe(program);
registerCheck(program);
registerView(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CliError) {
    if (e.message) console.error(`sentinel-sim: ${e.message}`);
    process.exit(e.exitCode);
  }
  if (e instanceof InvalidArgumentError && e.code === 'commander.invalidArgument' && !e.message.startsWith('error:')) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  console.error(`sentinel-sim: ${(e as Error).message}`);
  process.exit(1);
}
