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
  private readonly ops = new Metric();
  private readonly inKb = new Metric();
  private readonly outKb = new Metric();
  // the previous sample (every 100 ms): plain fields, no object per sample
  private lastAt = -1;
  private lastOps = 0;
  private lastIn = 0;
  private lastOut = 0;

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
    if (this.lastAt >= 0 && nowMs > this.lastAt) {
      const dt = nowMs - this.lastAt;
      this.ops.push(((this.commandsProcessed - this.lastOps) * 1000) / dt);
      this.inKb.push(((this.netInputBytes - this.lastIn) * 1000) / dt / 1024);
      this.outKb.push(((this.netOutputBytes - this.lastOut) * 1000) / dt / 1024);
    }
    this.lastAt = nowMs;
    this.lastOps = this.commandsProcessed;
    this.lastIn = this.netInputBytes;
    this.lastOut = this.netOutputBytes;
  }

  get opsPerSec(): number {
    return Math.floor(this.ops.avg());
  }
  get inputKbps(): number {
    return this.inKb.avg();
  }
  get outputKbps(): number {
    return this.outKb.avg();
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

/** The last 16 samples of one instantaneous metric, in a ring (oldest at `head`). */
class Metric {
  private readonly slots: number[] = new Array<number>(STATS_METRIC_SAMPLES).fill(0);
  private head = 0;
  private count = 0;

  push(v: number): void {
    if (this.count < STATS_METRIC_SAMPLES) this.slots[(this.head + this.count++) % STATS_METRIC_SAMPLES] = v;
    else {
      this.slots[this.head] = v;
      this.head = (this.head + 1) % STATS_METRIC_SAMPLES;
    }
  }

  /** getInstantaneousMetric: the mean over all 16 slots (empty slots count as 0); summed oldest first. */
  avg(): number {
    let sum = 0;
    for (let i = 0; i < this.count; i++) sum += this.slots[(this.head + i) % STATS_METRIC_SAMPLES]!;
    return sum / STATS_METRIC_SAMPLES;
  }
}
