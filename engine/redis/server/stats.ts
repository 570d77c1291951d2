// Counters behind INFO stats / commandstats / errorstats (server.c).

export interface CommandStat {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
}

const STATS_METRIC_SAMPLES = 16;

export class ServerStats {
  connectionsReceived = 0;
  rejectedConnections = 0;
  commandsProcessed = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  netReplInputBytes = 0;
  netReplOutputBytes = 0;
  syncFull = 0;
  syncPartialOk = 0;
  syncPartialErr = 0;
  totalErrorReplies = 0;
  unexpectedErrorReplies = 0;
  readsProcessed = 0;
  writesProcessed = 0;
  /** "ERR" → count (errorstat_ERR). Sorted when printed, as the rax is. */
  readonly errors = new Map<string, number>();
  /** fullname → stats (cmdstat_get). */
  readonly commands = new Map<string, CommandStat>();
  /** Peak of used memory seen after a command. */
  peakMemory = 0;
  private samples: { ops: number[]; inKb: number[]; outKb: number[] } = { ops: [], inKb: [], outKb: [] };
  private last = { at: -1, ops: 0, inB: 0, outB: 0 };

  cmd(fullname: string): CommandStat {
    let s = this.commands.get(fullname);
    if (!s) {
      s = { calls: 0, usec: 0, rejected: 0, failed: 0 };
      this.commands.set(fullname, s);
    }
    return s;
  }

  /** An error reply went out: errorstats by its code (the first word). */
  error(text: string): void {
    this.totalErrorReplies++;
    const sp = text.indexOf(' ');
    const code = sp < 0 ? text : text.slice(0, sp);
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  /** trackInstantaneousMetric, called from the cron every 100 ms. */
  sample(nowMs: number): void {
    if (this.last.at >= 0 && nowMs > this.last.at) {
      const dt = nowMs - this.last.at;
      push(this.samples.ops, ((this.commandsProcessed - this.last.ops) * 1000) / dt);
      push(this.samples.inKb, ((this.netInputBytes - this.last.inB) * 1000) / dt / 1024);
      push(this.samples.outKb, ((this.netOutputBytes - this.last.outB) * 1000) / dt / 1024);
    }
    this.last = { at: nowMs, ops: this.commandsProcessed, inB: this.netInputBytes, outB: this.netOutputBytes };
  }

  get opsPerSec(): number {
    return Math.floor(avg(this.samples.ops));
  }
  get inputKbps(): number {
    return avg(this.samples.inKb);
  }
  get outputKbps(): number {
    return avg(this.samples.outKb);
  }

  /** CONFIG RESETSTAT. */
  reset(): void {
    this.connectionsReceived = 0;
    this.rejectedConnections = 0;
    this.commandsProcessed = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.netReplInputBytes = 0;
    this.netReplOutputBytes = 0;
    this.syncFull = 0;
    this.syncPartialOk = 0;
    this.syncPartialErr = 0;
    this.totalErrorReplies = 0;
    this.unexpectedErrorReplies = 0;
    this.errors.clear();
    this.commands.clear();
  }
}

function push(a: number[], v: number): void {
  a.push(v);
  if (a.length > STATS_METRIC_SAMPLES) a.shift();
}

/** getInstantaneousMetric: the mean over all 16 slots (empty slots count as 0). */
function avg(a: number[]): number {
  return a.reduce((x, y) => x + y, 0) / STATS_METRIC_SAMPLES;
}
