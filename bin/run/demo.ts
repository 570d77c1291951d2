// `sentinel-sim demo`: the network demo (a full mesh of hosts pinging each other over lossy links, with a
// partition and a crash), run in slices of virtual time so that a signal or a closed stdout is seen.
import { isatty } from 'node:tty';
import { buildMesh } from '../../engine/sim/demo.ts';
import { formatClock } from '../../engine/sim/time.ts';
import { formatLogLine } from '../../engine/trace/logformat.ts';
import { CliError } from '../errors.ts';
import { nodeSha256 } from '../nodeHash.ts';
import { TraceFileWriter } from '../traceWriter.ts';
import { errLine, Out } from './out.ts';
import { Interrupt } from './signals.ts';

/** Virtual time between two looks at signals and stdout during the demo. */
const DEMO_SLICE_US = 250_000;

export interface DemoFlags {
  seed: string;
  hosts: number;
  until: number;
  trace?: string;
  quiet?: boolean;
}

/** Exit status: 0, or 130 / 143 after SIGINT / SIGTERM while writing a trace (no file written). */
export async function demoCommand(opts: DemoFlags): Promise<number> {
  const { sim, stats } = buildMesh({ seed: opts.seed, hosts: opts.hosts, trace: { detail: opts.trace ? 'messages' : 'events', hasher: nodeSha256 } });
  let writer: TraceFileWriter | null = null;
  if (opts.trace) {
    try {
      writer = new TraceFileWriter(opts.trace, sim.trace);
    } catch (e) {
      throw new CliError(`cannot write trace '${opts.trace}': ${(e as Error).message}`, 2);
    }
  }
  const out = new Out();
  if (!opts.quiet)
    sim.trace.subscribe((r) => {
      if (r.k === 'log') out.line(`${r.node.padEnd(15)} ${formatLogLine(r)}`);
      else if (r.k === 'fault') out.line(`${''.padEnd(15)} *** fault ${r.fault}${r.target ? ' ' + r.target : ''}${r.args ? ' ' + JSON.stringify(r.args) : ''}`);
    });
  // signals are trapped only while a trace file is written (a signal otherwise ends the process at once)
  const intr = writer ? new Interrupt() : null;
  const untrap = intr?.trap();
  const flushMs = isatty(1) ? 1000 : 250;
  try {
    do {
      sim.run({ until: Math.min(opts.until, sim.now + DEMO_SLICE_US) });
      out.tick(flushMs);
      if (intr?.signal) {
        writer?.abort();
        errLine(out, `sentinel-sim: interrupted by ${intr.signal} at ${formatClock(sim.now)}; trace not written to ${opts.trace}`);
        return intr.exitCode;
      }
      // stdout's reader went away: stop, unless the trace file still wants the whole run
      if (out.broken && !writer) return 0;
      if (intr) await new Promise((resolve) => setImmediate(resolve));
    } while (sim.now < opts.until);
  } catch (e) {
    // the engine failed: keep what was traced (a complete document of the run so far), then report the error
    if (writer) errLine(out, `trace (of the run so far) written to ${writer.path}`);
    writer?.close();
    throw e;
  } finally {
    untrap?.();
  }
  const hash = writer ? writer.close() : sim.trace.sha256();
  out.line(`\npings ${stats.pings}  pongs ${stats.pongs}  delivered ${sim.net.stats.delivered}  dropped ${sim.net.stats.dropped}`);
  out.line(`trace sha256 ${hash}`);
  if (writer) out.line(`trace written to ${writer.path}`);
  out.flush();
  return 0;
}

