// `sentinel-sim serve`, the command's body (registered in bin/gateway/command.ts): plan the cluster, start the
// gateway, print its logs, stop on Ctrl-C / SIGTERM.
import type { TraceRecord } from '../../engine/trace/types.ts';
import { ScenarioConfigError } from '../../scenarios/api/configs.ts';
import { CliError } from '../errors.ts';
import { errLine, Out } from '../run/out.ts';
import { logRecord } from '../run/output.ts';
import type { ServeFlags } from './command.ts';
import { attachConsole } from './console.ts';
import { startGateway, type Gateway } from './gateway.ts';
import { planServe, type ServePlan } from './plan.ts';
import { mirrorRdbWrites } from './rdb-files.ts';

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

export async function serve(flags: ServeFlags): Promise<void> {
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
  for (const [i, path] of plan.rdbFiles ?? []) {
    const n = plan.cluster!.nodes[i]!;
    const node = gw.nodes.find((g) => g.source === n.source && g.kind === 'server');
    if (!node || (!n.rdb && !flags.saveRdb)) continue;
    out.line(`sentinel-sim serve: server   ${node.name.padEnd(15)} RDB file ${path}${n.rdb ? ` (loaded, ${n.rdb.length} bytes)` : ' (none yet)'}; saves write it`);
    mirrorRdbWrites(gw.sim, node.name, path);
  }
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

