// LATENCY DOCTOR's report (latency.c createLatencyReport) and LATENCY GRAPH's sparkline (latency.c
// latencyCommandGenSparkeline, sparkline.c), over the simulator's latency events.
import { analyzeLatency, type LatencyMonitor, type LatencySeries } from '../server/latency-monitor.ts';
import type { RedisServer } from '../server/server.ts';

const DISABLED =
  'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n';
const NOTHING =
  'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';

/** The advices the simulated events can lead to (the others need fork, AOF or THP events). */
interface Advice {
  slowlogEnabled: boolean;
  slowlogTuning: boolean;
  slowlogInspect: boolean;
  scheduler: boolean;
  largeObjects: boolean;
}

export function latencyDoctor(s: RedisServer, mon: LatencyMonitor): string {
  const threshold = s.conf.int('latency-monitor-threshold');
  if (mon.events.size === 0 && threshold === 0) return DISABLED;
  const nowSec = Math.floor(s.mstime() / 1000);
  const adv: Advice = { slowlogEnabled: false, slowlogTuning: false, slowlogInspect: false, scheduler: false, largeObjects: false };
  let advices = 0;
  let report = '';
  let n = 0;
  for (const [event, ts] of mon.events) {
    n++;
    if (n === 1) report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
    const ls = analyzeLatency(ts, nowSec);
    report +=
      `${n}. ${event}: ${ls.samples} latency spikes (average ${ls.avg}ms, mean deviation ${ls.mad}ms, ` +
      `period ${(ls.period / ls.samples).toFixed(2)} sec). Worst all time event ${ts.max}ms.`;
    if (event.toLowerCase() === 'command') {
      const slower = s.conf.int('slowlog-log-slower-than');
      if (slower < 0) {
        adv.slowlogEnabled = true;
        advices++;
      } else if (Math.trunc(slower / 1000) > threshold) {
        adv.slowlogTuning = true;
        advices++;
      }
      adv.slowlogInspect = true;
      adv.largeObjects = true;
      advices += 2;
    }
    if (event.toLowerCase() === 'fast-command') {
      adv.scheduler = true;
      advices++;
    }
    report += '\n';
  }
  if (n === 0 && advices === 0) return report + NOTHING;
  if (n > 0 && advices === 0)
    return `${report}\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n`;
  report += '\nI have a few advices for you:\n\n';
  if (adv.slowlogEnabled)
    report += `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
  if (adv.slowlogTuning)
    report += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'.\n`;
  if (adv.slowlogInspect)
    report += '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
  if (adv.scheduler)
    report +=
      '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
      '  1) Lower the system load.\n' +
      '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
      '  3) Check if you have a "noisy neighbour" problem.\n' +
      "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
      '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n';
  if (adv.largeObjects)
    report +=
      '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
  return report;
}

const GRAPH_COLS = 80;
const ROWS = 4;
const FILL = '_o#';

/** "12s" / "3m" / "2h" / "1d": how long ago a sample was taken. */
function ago(elapsed: number): string {
  if (elapsed < 60) return `${elapsed}s`;
  if (elapsed < 3600) return `${Math.trunc(elapsed / 60)}m`;
  if (elapsed < 86400) return `${Math.trunc(elapsed / 3600)}h`;
  return `${Math.trunc(elapsed / 86400)}d`;
}

/** sparklineRenderRange with SPARKLINE_FILL: 4 rows of bars, a blank line, then the labels vertically. */
function renderRange(vals: number[], labels: string[], min: number, max: number): string {
  let relmax = max - min;
  if (relmax === 0) relmax = 1;
  const steps = FILL.length * ROWS;
  const len = vals.length;
  let out = '';
  for (let row = 0; ; row++) {
    let loop = false;
    const chars: string[] = new Array<string>(len).fill(' ');
    for (let j = 0; j < len; j++) {
      let step = Math.trunc(Math.trunc((vals[j]! - min) * steps) / relmax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < ROWS) {
        const ci = step - (ROWS - row - 1) * FILL.length;
        loop = true;
        if (ci >= 0 && ci < FILL.length) chars[j] = FILL[ci]!;
        else if (ci >= FILL.length) chars[j] = '|';
      } else {
        if (row - ROWS < 1) {
          // label_margin_top: one empty line between the bars and the labels
          loop = true;
          chars.fill(' ');
          break;
        }
        const k = row - ROWS - 1;
        if (labels[j]!.length > k) {
          loop = true;
          chars[j] = labels[j]![k]!;
        }
      }
    }
    if (!loop) return out;
    out += `${chars.join('')}\n`;
  }
}

export function latencyGraph(s: RedisServer, event: string, ts: LatencySeries): string {
  const nowSec = Math.floor(s.mstime() / 1000);
  const samples = ts.ordered();
  let min = 0;
  let max = 0;
  samples.forEach((x, i) => {
    if (i === 0) min = max = x.latency;
    else {
      max = Math.max(max, x.latency);
      min = Math.min(min, x.latency);
    }
  });
  let g = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n${'-'.repeat(GRAPH_COLS)}\n`;
  const vals = samples.map((x) => x.latency);
  const labels = samples.map((x) => ago(nowSec - x.time));
  // the sequence's own min/max (sparklineSequenceAddSample) equal the graph's
  for (let j = 0; j < vals.length; j += GRAPH_COLS) {
    if (j !== 0) g += '\n';
    g += renderRange(vals.slice(j, j + GRAPH_COLS), labels.slice(j, j + GRAPH_COLS), min, max);
  }
  return g;
}
