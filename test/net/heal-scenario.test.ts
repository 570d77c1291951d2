// Scenario level (ex2-isolated-master, a 30 s partition): what the cut held reaches the other side spread
// over the senders' retransmission timers after the heal — never all at the heal instant, which is what
// the simulator did before it modelled Linux's RTO back-off (and what real runs never showed).
import { describe, expect, it } from 'vitest';
import scenario from '../../scenarios/ex2-isolated-master.ts';
import { runScenario } from '../../scenarios/api/runner.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';

const MINORITY = ['10.0.0.1', '10.0.1.1'];
const side = (addr: string) => MINORITY.includes(addr.slice(0, addr.lastIndexOf(':')));

describe('ex2-isolated-master: held segments after the heal', () => {
  it('are delivered at the senders’ next retransmissions: spread over seconds, few right at the heal', () => {
    const recs: TraceRecord[] = [];
    runScenario(scenario, { seed: '1', onSimulation: (sim) => sim.trace.subscribe((r) => recs.push(r)) });
    const heal = recs.find((r) => r.k === 'fault' && r.fault === 'heal')!.t;
    const delays: number[] = [];
    for (const r of recs) {
      if (r.k !== 'msg' || r.fate !== 'delivered' || r.t < heal || r.sent >= heal) continue;
      if (side(r.from) === side(r.to)) continue;
      delays.push(r.t - heal);
    }
    delays.sort((a, b) => a - b);
    expect(delays.length).toBeGreaterThan(20);
    const within = (us: number) => delays.filter((d) => d < us).length;
    // a heal that re-sent everything at once delivered them all within a round trip (< 1 ms)
    expect(within(1000)).toBe(0);
    expect(within(100_000)).toBeLessThan(delays.length / 4);
    // data cut early in the partition backs off to ~26 s intervals: some of it waits seconds after the heal
    expect(delays[delays.length - 1]!).toBeGreaterThan(2_000_000);
  });
});
