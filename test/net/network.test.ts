import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Conn } from '../../engine/net/types.ts';
import { dial, echoWorld, newProbe, probeClient } from '../sim/echo.ts';
import { Simulation } from '../../engine/sim/simulation.ts';

describe('connect outcomes', () => {
  it('connects to a listener after a round trip', () => {
    const { sim, probe } = echoWorld(1);
    const c = dial(probe, '10.0.0.1', 7000);
    sim.run({ until: 10_000 });
    expect(probe.opens.map((o) => o.conn)).toEqual([c.id]);
    expect(probe.opens[0]!.at).toBeGreaterThan(0);
  });

  it('no listener on a live host: refused at once (one round trip)', () => {
    const { sim, probe } = echoWorld(1);
    dial(probe, '10.0.0.1', 9999);
    sim.run({ until: 50_000 });
    expect(probe.closes.map((c) => c.reason)).toEqual(['refused']);
    expect(probe.closes[0]!.at).toBeLessThan(10_000);
  });

  it('a crashed process on a live host: refused', () => {
    const { sim, probe } = echoWorld(1);
    sim.kill('10.0.0.1:7000');
    dial(probe, '10.0.0.1', 7000);
    sim.run({ until: 50_000 });
    expect(probe.closes.map((c) => c.reason)).toEqual(['refused']);
  });

  it('a host that is down or cut off: time-out, not refusal', () => {
    const { sim, probe } = echoWorld(2);
    sim.hostDown('h1');
    sim.isolate('h2');
    dial(probe, '10.0.0.1', 7000, 3000);
    dial(probe, '10.0.0.2', 7000, 5000);
    sim.run({ until: 10_000_000 });
    expect(probe.closes.map((c) => [c.reason, c.at])).toEqual([
      ['timeout', 3_000_000],
      ['timeout', 5_000_000],
    ]);
  });

  it('a connect that starts during a partition completes once healed', () => {
    const { sim, probe } = echoWorld(1);
    sim.isolate('h1');
    dial(probe, '10.0.0.1', 7000, 60_000);
    sim.run({ until: 2_000_000 });
    sim.heal();
    sim.run({ until: 20_000_000 });
    expect(probe.opens.length).toBe(1);
    expect(probe.closes.length).toBe(0);
  });
});

describe('delivery', () => {
  it('echoes in order', () => {
    const { sim, probe } = echoWorld(1);
    const c = dial(probe, '10.0.0.1', 7000);
    for (let i = 0; i < 100; i++) c.send(i, 16);
    sim.run({ until: 1_000_000 });
    expect(probe.received.map((r) => r.msg)).toEqual([...Array(100).keys()]);
  });

  it('bandwidth delays large messages', () => {
    const { sim, probe, hosts, client } = echoWorld(1);
    sim.net.setLink(client, hosts[0]!, { bandwidth: 1_000_000, latencyMs: 1, jitter: { kind: 'uniform', ms: 0 } });
    const c = dial(probe, '10.0.0.1', 7000);
    sim.run({ until: 100_000 });
    const t0 = sim.now;
    c.send('big', 500_000);
    sim.run({ until: 10_000_000 });
    // 0.5 s of transmission + 2 ms of latency
    expect(probe.received[0]!.at - t0).toBeGreaterThanOrEqual(500_000);
  });

  it('property: per connection, in order, exactly once; nothing crosses a cut; held messages arrive after heal', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('send' as const), conn: fc.nat(2), n: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ k: fc.constant('cut' as const), host: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ k: fc.constant('oneway' as const), host: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ k: fc.constant('heal' as const) }),
      fc.record({ k: fc.constant('link' as const), loss: fc.double({ min: 0, max: 0.5, noNaN: true }), lat: fc.double({ min: 0, max: 50, noNaN: true }) }),
      fc.record({ k: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 2000 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.integer(), (ops, seed) => {
        const { sim, probe, hosts, client } = echoWorld(3, { seed, net: { userTimeoutMs: 1e9 } });
        const conns: Conn[] = [0, 1, 2].map((i) => dial(probe, `10.0.0.${i + 1}`, 7000, 1e9));
        sim.run({ until: 100_000 });
        const sent: number[][] = [[], [], []];
        let next = 0;
        const cutNow = [false, false, false];
        const arrivalsDuringCut: number[] = [];
        // a message delivered while its server's host is cut off would be a violation
        const before = probe.received.length;
        for (const o of ops) {
          if (o.k === 'send') {
            for (let i = 0; i < o.n; i++) {
              sent[o.conn]!.push(next);
              conns[o.conn]!.send(next++, 16);
            }
          } else if (o.k === 'cut') {
            sim.isolate(hosts[o.host]!.name);
            cutNow[o.host] = true;
          } else if (o.k === 'oneway') {
            sim.block('c', hosts[o.host]!.name);
            cutNow[o.host] = true;
          } else if (o.k === 'heal') {
            sim.heal();
            cutNow.fill(false);
          } else if (o.k === 'link') {
            for (const h of hosts) sim.net.setLink(client, h, { loss: o.loss, latencyMs: o.lat });
          } else {
            const start = probe.received.length;
            sim.run({ until: sim.now + o.ms * 1000 });
            for (const r of probe.received.slice(start)) {
              const idx = conns.findIndex((c) => c.id === r.conn);
              if (cutNow[idx]) arrivalsDuringCut.push(r.msg as number);
            }
          }
        }
        void before;
        expect(arrivalsDuringCut).toEqual([]);
        sim.heal();
        for (const h of hosts) sim.net.setLink(client, h, { loss: 0 });
        sim.run({ until: sim.now + 3_600_000_000 });
        for (let i = 0; i < 3; i++) {
          const got = probe.received.filter((r) => r.conn === conns[i]!.id).map((r) => r.msg);
          expect(got).toEqual(sent[i]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('TCP_USER_TIMEOUT: the side with unacknowledged data times out; the peer is not told (no RST crosses a cut)', () => {
    const sim = new Simulation({ net: { userTimeoutMs: 10_000 } });
    const a = sim.addHost('a', '10.0.0.1');
    const b = sim.addHost('b', '10.0.0.2');
    const pa = newProbe();
    const pb = newProbe();
    let serverSide: Conn | null = null;
    sim.addProcess(a, 1, 'client', probeClient(pa));
    sim.addProcess(b, 2, 'server', (ctx) => {
      pb.ctx = ctx;
      return {
        onConnection(c) {
          serverSide = c;
          c.setHandlers({ onClose: (reason) => pb.closes.push({ conn: c.id, reason, at: ctx.now() }) });
        },
      };
    });
    sim.startAll();
    const c = dial(pa, '10.0.0.2', 2);
    sim.run({ until: 100_000 });
    expect(serverSide).not.toBeNull();
    sim.partition([['a'], ['b']]);
    const t0 = sim.now;
    c.send('x', 10);
    sim.run({ until: 60_000_000 });
    expect(pa.closes.map((x) => x.reason)).toEqual(['timeout']);
    // the RTO is clamped so that the last expiry falls on the user time-out (plus the timer wheel's lateness)
    expect(pa.closes[0]!.at - t0).toBeGreaterThanOrEqual(10_000_000);
    expect(pa.closes[0]!.at - t0).toBeLessThan(10_300_000);
    expect(pb.closes).toEqual([]);
  });
});

describe('regressions', () => {
  it('a heal re-sends held segments before those still on the wire (found by the replication property)', () => {
    for (let seed = 0; seed < 50; seed++) {
      const { sim, probe } = echoWorld(1, { seed, net: { userTimeoutMs: 1e9 } });
      const c = dial(probe, '10.0.0.1', 7000, 1e9);
      sim.run({ until: 100_000 });
      c.send('m0', 16);
      sim.isolate('h1');
      sim.run({ until: sim.now + 1000 });
      c.send('m1', 16);
      sim.heal();
      sim.run({ until: sim.now + 10_000_000 });
      expect(probe.received.map((r) => r.msg)).toEqual(['m0', 'm1']);
    }
  });
});
