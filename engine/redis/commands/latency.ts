// LATENCY LATEST / HISTORY / RESET / DOCTOR / GRAPH / HISTOGRAM / HELP (latency.c latencyCommand) over
// the simulator's virtual-time measurements (server/latency-monitor.ts, server/latency-histogram.ts).
import { arr, bulk, err, int, map, verbatim, type Reply, type Resp } from '../../net/resp.ts';
import { NO_REPLY } from '../server/call.ts';
import { cmd, helpReply } from '../server/cmdutil.ts';
import { histogramOf } from '../server/latency-histogram.ts';
import { latencyMonitorOf } from '../server/latency-monitor.ts';
import { serverOf, type RedisServer } from '../server/server.ts';
import { lookupByFullname } from '../server/command-info.ts';
import { allCommands } from './table.ts';
import type { CommandContext, CommandFlag, CommandSpec } from './context.ts';
import { latencyDoctor, latencyGraph } from './latency-report.ts';
import type { CommandMeta } from './meta.ts';

const HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

function latest(ctx: CommandContext): Resp {
  const out: Resp[] = [];
  for (const [event, ts] of latencyMonitorOf(serverOf(ctx)).events) {
    const l = ts.latest();
    out.push(arr([bulk(event), int(l.time), int(l.latency), int(ts.max)]));
  }
  return arr(out);
}

function history(ctx: CommandContext): Resp {
  const ts = latencyMonitorOf(serverOf(ctx)).events.get(ctx.argv[2]!);
  return arr((ts?.ordered() ?? []).map((x) => arr([int(x.time), int(x.latency)])));
}

function graph(ctx: CommandContext): Reply {
  const s = serverOf(ctx);
  const ts = latencyMonitorOf(s).events.get(ctx.argv[2]!);
  if (!ts) return err(`ERR No samples available for event '${ctx.argv[2]!}'`);
  return verbatim(latencyGraph(s, ctx.argv[2]!, ts));
}

function reset(ctx: CommandContext): Resp {
  const mon = latencyMonitorOf(serverOf(ctx));
  if (ctx.argv.length === 2) return int(mon.reset(null));
  let n = 0;
  for (const e of ctx.argv.slice(2)) n += mon.reset(e);
  return int(n);
}

/** fillCommandCDF for one command, if it has a histogram. */
function cdfOf(s: RedisServer, fullname: string): Reply | null {
  const stat = s.stats.commands.get(fullname);
  const h = stat ? histogramOf(stat, false) : undefined;
  if (!h || h.total === 0) return null;
  return map([bulk('calls'), int(h.total), bulk('histogram_usec'), map(h.cdf().flatMap(([us, n]) => [int(us), int(n)]))]);
}

/** HISTOGRAM [command ...]: a map command → CDF; a container names its subcommands too; unknown names skipped. */
function histogram(ctx: CommandContext): Reply {
  const s = serverOf(ctx);
  const out: Reply[] = [];
  const add = (name: string) => {
    const r = cdfOf(s, name);
    if (r) out.push(bulk(name), r);
  };
  if (ctx.argv.length === 2) {
    for (const c of allCommands()) {
      add(c.name);
      for (const sub of c.subcommands ?? []) add(sub.name.includes('|') ? sub.name : `${c.name}|${sub.name}`);
    }
  } else {
    for (const n of ctx.argv.slice(2)) {
      const r = lookupByFullname(n);
      if (!r) continue;
      const full = r.parent ? `${r.parent.name}|${r.spec.name.split('|').pop()}` : r.spec.name;
      add(full);
      for (const sub of r.spec.subcommands ?? []) add(sub.name.includes('|') ? sub.name : `${r.spec.name}|${sub.name}`);
    }
  }
  return map(out);
}

const F: CommandFlag[] = ['admin', 'noscript', 'loading', 'stale'];
const TIPS = ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'];
const sub = (name: string, arity: number, flags: CommandFlag[], since: string, summary: string, h: CommandSpec['handler'], meta: CommandMeta) => {
  const s = cmd(`latency|${name}`, arity, flags, 'server', since, summary, h);
  s.meta = meta;
  return s;
};

const latency = cmd('latency', -2, [], 'server', '2.8.13', 'A container for latency diagnostics commands', () => NO_REPLY, [0, 0, 0], [
  sub('doctor', 2, F, '2.8.13', 'Return a human readable latency analysis report.', (ctx) => verbatim(latencyDoctor(serverOf(ctx), latencyMonitorOf(serverOf(ctx)))), {
    complexity: 'O(1)',
    tips: TIPS,
  }),
  sub('graph', 3, F, '2.8.13', 'Return a latency graph for the event.', graph, { complexity: 'O(1)', tips: TIPS, args: [{ name: 'event', type: 'string' }] }),
  sub('help', 2, ['loading', 'stale'], '2.8.13', 'Show helpful text about the different subcommands.', (ctx) => helpReply(ctx, HELP), { complexity: 'O(1)' }),
  sub('histogram', -2, F, '7.0.0', 'Return the cumulative distribution of latencies of a subset of commands or all.', histogram, {
    complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
    tips: TIPS,
    args: [{ name: 'command', type: 'string', flags: ['optional', 'multiple'] }],
  }),
  sub('history', 3, F, '2.8.13', 'Return timestamp-latency samples for the event.', history, { complexity: 'O(1)', tips: TIPS, args: [{ name: 'event', type: 'string' }] }),
  sub('latest', 2, F, '2.8.13', 'Return the latest latency samples for all events.', latest, { complexity: 'O(1)', tips: TIPS }),
  sub('reset', -2, F, '2.8.13', 'Reset latency data for one or more events.', reset, {
    complexity: 'O(1)',
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    args: [{ name: 'event', type: 'string', flags: ['optional', 'multiple'] }],
  }),
]);
latency.meta = { complexity: 'Depends on subcommand.' };

export const latencyCommands: CommandSpec[] = [latency];
