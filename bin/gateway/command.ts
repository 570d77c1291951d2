// `sentinel-sim serve`: the simulated cluster behind real loopback ports (registered on the CLI from here
// so bin/cli.ts stays small). Virtual time follows the wall clock × --speed; stop with Ctrl-C / SIGTERM.
// The implementation (bin/gateway/serve.ts) is loaded only when the command runs: `--help` stays fast.
import { InvalidArgumentError, type Command } from 'commander';
import { CONSOLE_HELP } from './console.ts';

export interface ServeFlags {
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
  /** Write the servers' saves to the RDB files their configs name even when none existed at start. */
  saveRdb?: boolean;
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
CONFIG REWRITE and Sentinel's own rewrites go to the simulated disk. A server's RDB file (dir + dbfilename of
its redis.conf, a relative dir taken from the config file's folder) is loaded when it exists, and then every RDB
the simulated server saves (SAVE, BGSAVE, shutdown) is written back to it as real redis-server bytes (with
--save-rdb also when no such file existed). Nodes keep their simulated addresses
(127.0.0.1 in the usual files), which Sentinels hand to clients. Kill a node with DEBUG SEGFAULT or
SHUTDOWN NOSAVE (its port then refuses connections) to watch the Sentinels fail over; with --console,
type \`restart 7003\` to bring it back (it returns from its simulated disk). Console commands:
${CONSOLE_HELP.map((l) => `  ${l}`).join('\n')}

Exit status: 0 stopped by Ctrl-C / SIGTERM, 1 the simulation failed, 2 bad usage, a missing file, a config file
Redis would refuse, or a port already in use.`;

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
    .option('--save-rdb', "write each server's saves to the RDB file its config names even if it did not exist (an existing one is always kept up to date)")
    .option('--console', 'read fault commands on stdin, one per line: kill, restart, pause, resume <port>; nodes; help')
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: ServeFlags) => (await import('./serve.ts')).serve(flags));
}
