// Child process: 10 million messages with the trace in ring mode; peak RSS must stay flat.
import { buildMesh } from '../engine/sim/demo.ts';
import { nodeSha256 } from '../bin/nodeHash.ts';

const TOTAL = Number(process.env.RING_MESSAGES ?? 10_000_000);
const { sim } = buildMesh({ seed: 2, hosts: 6, latencyMs: 1, loss: 0.01, periodMs: 0, window: 16, faults: false, trace: { detail: 'messages', ring: 10_000, hasher: nodeSha256 } });
let peak = 0;
const samples: number[] = [];
let nextSample = TOTAL / 10;
while (sim.net.stats.delivered < TOTAL) {
  sim.run({ until: sim.now + 10_000 });
  const rss = process.memoryUsage().rss;
  if (rss > peak) peak = rss;
  if (sim.net.stats.delivered >= nextSample) {
    samples.push(rss / 1048576);
    nextSample += TOTAL / 10;
  }
}
// growth: RSS at the end vs at 20 % of the run
const growth = samples.length >= 2 ? samples[samples.length - 1]! - samples[1]! : 0;
console.log(
  JSON.stringify({
    name: 'ring-trace-peak-rss-mb',
    value: Math.round(peak / 1048576),
    unit: `MB (${sim.net.stats.delivered} msgs, ${sim.trace.count} records, growth 20%→100%: ${growth.toFixed(1)} MB)`,
    target: '< 300',
  }),
);
