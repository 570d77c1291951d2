// `sentinel-sim real <scenario>`: runReal with `run`'s printer — each node's real log lines in time order, faults,
// notes and expectations as *** lines, then the summary — plus a line per skipped step and the redis version
// (no trace hash: real runs are not deterministic). Ctrl-C / SIGTERM stop the run: everything is cleaned up,
// then the exit status is 130 / 143; a second signal exits at once (the exit hook still kills and unhooks).
import { formatClock } from '../../engine/sim/time.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import { CliError } from '../errors.ts';
import { errLine, Out } from '../run/out.ts';
import { RecordPrinter, summaryText } from '../run/output.ts';
import { SIGNAL_EXIT, trapSignals, type StopSignal } from '../run/signals.ts';
import type { RealFlags } from './command.ts';
import { RealInterrupted, runReal } from './run.ts';

const PAD = 15;

export async function realCommand(file: string, flags: RealFlags): Promise<number> {
  const out = new Out();
  const stream = !flags.quiet && flags.format !== 'summary';
  const printer = new RecordPrinter(out, flags.format, stream);
  const ac = new AbortController();
  let signal: StopSignal | null = null;
  const untrap = trapSignals((sig, count) => {
    signal ??= sig;
    if (count > 1) process.exit(SIGNAL_EXIT[signal]);
    ac.abort();
  });
  const flusher = setInterval(() => {
    out.flush();
    // the reader of stdout went away: no point going on
    if (out.broken && !ac.signal.aborted) ac.abort();
  }, 250);
  const onRecord = (r: TraceRecord) => {
    if (r.k === 'note' && r.what === 'skipped') {
      const text = String((r.data as { text?: string } | undefined)?.text ?? '');
      if (!stream) return;
      if (flags.format === 'jsonl') out.line(JSON.stringify({ t: r.t / 1000, kind: 'note', what: 'skipped', text }));
      else out.line(`${''.padEnd(PAD)} *** ${formatClock(r.t)} skipped: ${text}`);
      return;
    }
    printer.record(r);
  };
  try {
    const res = await runReal(file, { seed: flags.seed, untilUs: flags.until, keepDir: flags.keep, signal: ac.signal, onRecord });
    if (flags.format === 'jsonl') {
      out.line(JSON.stringify({ summary: res.report.summary, skipped: res.skipped, redis: res.redisVersion }));
    } else {
      if (stream) out.line('');
      for (const l of summaryText(res.report)) out.line(l);
      for (const s of res.skipped) out.line(`skipped: ${s}`);
      out.line(`redis ${res.redisVersion}`);
    }
    out.flush();
    if (out.broken) return 0;
    for (const p of printer.problems) errLine(out, `sentinel-sim: ${p}`);
    if (res.workDir) errLine(out, `work directory kept: ${res.workDir}`);
    return res.status === 'ok' ? 0 : 1;
  } catch (e) {
    out.flush();
    if (e instanceof RealInterrupted) {
      if (out.broken && !signal) return 0;
      const why = signal ?? 'SIGINT';
      errLine(out, `sentinel-sim: interrupted by ${why} at ${formatClock(e.atUs)}; every redis-server stopped, iptables rules removed${e.workDir ? `; work directory kept: ${e.workDir}` : ', work directory deleted'}`);
      return SIGNAL_EXIT[why];
    }
    if (e instanceof CliError) {
      const detail = (e as { detail?: string }).detail;
      if (e.message) errLine(out, `sentinel-sim: ${e.message}`);
      // Redis's FATAL CONFIG FILE ERROR block set apart, as `run` prints it
      if (detail) errLine(out, detail.startsWith('***') ? `\n${detail}\n` : detail);
      return e.exitCode;
    }
    errLine(out, `sentinel-sim: real run of '${file}' failed: ${(e as Error)?.message ?? String(e)}`);
    return 1;
  } finally {
    clearInterval(flusher);
    untrap();
    out.flush();
  }
}
