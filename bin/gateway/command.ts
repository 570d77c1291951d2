// `sentinel-sim serve`: the simulated cluster behind real loopback ports (registered on the CLI from here
// so bin/cli.ts stays small). Virtual time follows the wall clock × --speed; stop with Ctrl-C / SIGTERM.
import { InvalidArgumentError, type Command } from 'commander';
import type { TraceRecord } from '../../engine/trace/types.ts';
import { ScenarioConfigError } from '../../scenarios/api/configs.ts';
import { CliError } from '../run/load.ts';
import { errLine, Out } from '../run/out.ts';
import { logRecord } from '../run/output.ts';
import { attachConsole, CONSOLE_HELP } from './console.ts';
import { startGateway, type Gateway } from './gateway.ts';
import { planServe, type ServePlan } from './plan.ts';

interface ServeFlags {
  config?: string[];
  sentinel?: string[];
  configs?: string;
  scenario?: string;
  port?: number;
  bind: string;
  speed: number;
  seed?: string;
  quiet?: boolean;
  console?: boolean;
}

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

function portArg(v: string): number {
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1 && n <= 65535)) throw new InvalidArgumentError('--port must be 1..65535');
  return n;
}

function speedArg(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 10_000) throw new InvalidArgumentError('--speed must be a number > 0 (at most 10000)');
  return n;
}

const HELP_AFTER = `
Examples:
  sentinel-sim serve --config redis.conf --config redis_slave.conf
  sentinel-sim serve --configs scenarios/tutorial --speed 10      # the tutorial's 2 servers + 3 Sentinels
  sentinel-sim serve --scenario scenarios/tutorial-failover.ts     # its cluster only: the script is not run
  redis-cli -p 26371 SENTINEL get-master-addr-by-name TestMaster

Every node listens on its config file's port, on --bind. The config files are read once and never written:
CONFIG REWRITE and Sentinel's own rewrites go to the simulated disk. Nodes keep their simulated addresses
(127.0.0.1 in the usual files), which Sentinels hand to clients. Kill a node with DEBUG SEGFAULT or
SHUTDOWN NOSAVE (its port then refuses connections) to watch the Sentinels fail over; with --console,
type \`restart 7003\` to bring it back (it returns from its simulated disk). Console commands:
${CONSOLE_HELP.map((l) => `  ${l}`).join('\n')}

Exit status: 0 stopped by Ctrl-C / SIGTERM, 1 the simulation failed, 2 bad usage, a missing file, a config file
Redis would refuse, or a port already in use.`;

function badConfig(e: ScenarioConfigError): never {
  if (e.fatal.startsWith('***')) {
    errLine(null, `sentinel-sim: bad config file ${e.file}:`);
    errLine(null, `\n${e.fatal}\n`);
  } else errLine(null, `sentinel-sim: ${e.fatal}`);
  throw new CliError('', 2);
}

/** One line per listener: what it is, its simulated address, the real address, where its config came from. */
function listenerLine(gw: Gateway, n: Gateway['nodes'][number]): string {
  const kind = n.kind === 'sentinel' ? 'sentinel' : 'server  ';
  return `sentinel-sim serve: ${kind} ${n.name.padEnd(15)} listening on ${gw.bind}:${n.port}${n.source ? `  (${n.source})` : '  (no config file)'}`;
}

async function serve(flags: ServeFlags): Promise<void> {
  let plan: ServePlan;
  try {
    plan = await planServe({ ...flags, config: flags.config ?? [], sentinel: flags.sentinel ?? [] });
  } catch (e) {
    if (e instanceof ScenarioConfigError) badConfig(e);
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message, 2);
  }
  const out = new Out();
  // stdout is flushed in small batches: the logs stay readable live without a write per line
  let flushTimer: NodeJS.Timeout | null = null;
  const onRecord = flags.quiet
    ? null
    : (r: TraceRecord) => {
        const s = logRecord(r);
        if (s === null) return;
        out.line(s);
        flushTimer ??= setTimeout(() => {
          flushTimer = null;
          out.flush();
        }, 20);
      };
  let gw: Gateway | null = null;
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    void (gw?.close() ?? Promise.resolve()).then(() => {
      out.flush();
      process.exit(code);
    });
  };
  try {
    gw = await startGateway({
      cluster: plan.cluster,
      port: plan.port,
      bind: flags.bind,
      speed: flags.speed,
      seed: plan.seed,
      onRecord,
      onFailure: (e) => {
        out.flush();
        errLine(null, `sentinel-sim serve: the simulation failed: ${e.stack ?? e.message}`);
        stop(1);
      },
    });
  } catch (e) {
    out.flush();
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message, 2);
  }
  for (const n of gw.nodes) out.line(listenerLine(gw, n));
  const elsewhere = gw.nodes.filter((n) => n.slot.ip !== '127.0.0.1').map((n) => n.name);
  if (elsewhere.length > 0)
    errLine(null, `sentinel-sim serve: note: ${elsewhere.join(', ')} keep their simulated addresses; Sentinels and INFO name them so, but real clients reach them only by port on ${gw.bind}`);
  const what = plan.scenario ? `scenario '${plan.scenario}' (setup only, its script is not run), ` : '';
  out.line(`sentinel-sim serve: ${what}seed ${plan.seed}, virtual time at ${flags.speed}x the wall clock; Ctrl-C to stop`);
  out.flush();
  if (flags.console) {
    errLine(null, 'sentinel-sim serve: console on stdin (kill / restart / pause / resume <port>, nodes, help)');
    attachConsole(gw, process.stdin, (text) => {
      out.flush();
      errLine(null, text);
    });
  }
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve simulated Redis servers and Sentinels on real loopback ports (redis-cli, ioredis, … work unchanged); virtual time follows the wall clock')
    .option('--config <file>', 'a redis.conf: one server on the port it names (repeatable)', collect)
    .option('--sentinel <file>', 'a sentinel.conf: one Sentinel on the port it names (repeatable)', collect)
    .option('--configs <dir>', 'every *.conf in the directory (a file with a `sentinel monitor` line is a Sentinel, the others servers)')
    .option('--scenario <file>', "the cluster a scenario file's setup() builds (servers and Sentinels; the script is not run)")
    .option('--port <n>', 'a single server without a config file on this port (the default: 6379)', portArg)
    .option('--bind <addr>', 'address the real listeners bind to', '127.0.0.1')
    .option('--speed <x>', 'virtual seconds per wall-clock second', speedArg, 1)
    .option('--seed <n>', "master seed of the simulation (default: the scenario's, else 1)")
    .option('--quiet', "don't print the nodes' logs (only the listener lines)")
    .option('--console', 'read fault commands on stdin, one per line: kill, restart, pause, resume <port>; nodes; help')
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: ServeFlags) => serve(flags));
}
