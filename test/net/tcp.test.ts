// Linux TCP retransmission timing (engine/net/tcp.ts, retransmit.ts, handshake.ts): what a cut holds is
// delivered at the sender's first backed-off retransmission after the heal, connect() retries its SYN on
// Linux's schedule, and both give up when Linux does.
import { describe, expect, it } from 'vitest';
import type { Conn } from '../../engine/net/types.ts';
import { dataSchedule, linkRto, modelTimeout, synSchedule, tcpTiming, wheelGranularity } from '../../engine/net/tcp.ts';
import { DEFAULT_LINK } from '../../engine/net/link.ts';
import { Simulation } from '../../engine/sim/simulation.ts';
import { dial, echoWorld, newProbe, probeClient } from '../sim/echo.ts';

const S = 1_000_000;
const t = tcpTiming({});

describe('timing model (Linux 6.x defaults, HZ=250)', () => {
  it('SYN retransmissions: 1 s four more times (tcp_syn_linear_timeouts), then doubling; ETIMEDOUT at 131 s', () => {
    const s = synSchedule(t);
    expect(s.retransmits.map((x) => x / S)).toEqual([1, 2, 3, 4, 5, 7, 11, 19, 35, 67]);
    expect(s.giveUp / S).toBe(131);
    // kernels before 6.5 (no linear timeouts): the classic 1, 3, 7, 15, 31, 63 s and 127 s
    const old = synSchedule(tcpTiming({ synLinearTimeouts: 0 }));
    expect(old.retransmits.map((x) => x / S)).toEqual([1, 3, 7, 15, 31, 63]);
    expect(old.giveUp / S).toBe(127);
  });

  it('give-up times: tcp_retries2=15 ⇒ 924.6 s, orphans (8 retries) ⇒ 102.2 s', () => {
    expect(modelTimeout(15, t) / S).toBeCloseTo(924.6, 6);
    expect(modelTimeout(8, t) / S).toBeCloseTo(102.2, 6);
    const d = dataSchedule(200_000, t);
    expect(d.retransmits.slice(0, 9).map((x) => x / S)).toEqual([0.2, 0.6, 1.4, 3, 6.2, 12.6, 25.4, 51, 102.2]);
    expect(d.retransmits.length).toBe(15);
    expect(d.giveUp / S).toBeCloseTo(924.6, 6);
  });

  it('the RTO of a loopback-like link is 200 ms + srtt, rounded up to whole jiffies (204 ms at HZ=250)', () => {
    expect(linkRto(DEFAULT_LINK, DEFAULT_LINK, t)).toBe(204_000);
    expect(linkRto(DEFAULT_LINK, DEFAULT_LINK, tcpTiming({ hz: 1000 }))).toBe(201_000);
    // a slow, jittery link: srtt 700 ms + 4·rttvar (estimated 400 ms) — well above the floor
    const slow = { latencyMs: 250, jitter: { kind: 'exponential' as const, ms: 100 }, loss: 0 };
    expect(linkRto(slow, slow, t)).toBe(1_100_000);
  });

  it('timer wheel granularity grows with the timeout (8^level jiffies)', () => {
    expect(wheelGranularity(200_000, t)).toBe(4_000);
    expect(wheelGranularity(1 * S, t)).toBe(32_000);
    expect(wheelGranularity(4 * S, t)).toBe(256_000);
    expect(wheelGranularity(60 * S, t)).toBe(2_048_000);
  });
});

describe('a cut heals: held data waits for the next retransmission', () => {
  for (const cutS of [20, 30]) {
    it(`${cutS} s cut: delivered at the first backed-off RTO expiry after the heal, not at the heal`, () => {
      // RTO 204 ms doubling: expiries 0.204 · (2^k − 1) after the send, each up to one wheel granularity late
      const next = cutS === 20 ? 0.204 * 127 : 0.204 * 255; // 25.9 s, 52.0 s
      for (let seed = 1; seed <= 10; seed++) {
        const { sim, probe } = echoWorld(1, { seed: String(seed) });
        const c = dial(probe, '10.0.0.1', 7000);
        sim.run({ until: 100_000 });
        sim.isolate('h1');
        const t0 = sim.now;
        c.send('m0', 16);
        c.send('m1', 16);
        sim.run({ until: t0 + cutS * S });
        expect(probe.received).toEqual([]);
        sim.heal();
        sim.run({ until: t0 + cutS * S + 50_000 });
        expect(probe.received).toEqual([]); // not at the heal
        sim.run({ until: t0 + 120 * S });
        expect(probe.received.map((r) => r.msg)).toEqual(['m0', 'm1']);
        const at = (probe.received[0]!.at - t0) / S;
        expect(at).toBeGreaterThanOrEqual(next);
        expect(at).toBeLessThan(next + 3.5);
        expect(probe.closes).toEqual([]);
      }
    });
  }

  it('an established connection cut for good times out on the sending side after tcp_retries2 (~924.6 s)', () => {
    const { sim, probe } = echoWorld(1);
    const c = dial(probe, '10.0.0.1', 7000);
    sim.run({ until: 100_000 });
    sim.isolate('h1');
    const t0 = sim.now;
    c.send('m0', 16);
    sim.run({ until: t0 + 900 * S });
    expect(probe.closes).toEqual([]);
    sim.run({ until: t0 + 1100 * S });
    expect(probe.closes.map((x) => x.reason)).toEqual(['timeout']);
    const at = (probe.closes[0]!.at - t0) / S;
    expect(at).toBeGreaterThanOrEqual(924.6);
    expect(at).toBeLessThan(924.6 + 40);
  });

  it('a 30 s partition no longer breaks connections (no 30 s user time-out: Redis sets none)', () => {
    const { sim, probe } = echoWorld(1);
    const c = dial(probe, '10.0.0.1', 7000);
    sim.run({ until: 100_000 });
    sim.isolate('h1');
    for (let i = 0; i < 40; i++) {
      c.send(i, 16);
      sim.run({ until: sim.now + S });
    }
    sim.heal();
    sim.run({ until: sim.now + 120 * S });
    expect(probe.closes).toEqual([]);
    expect(probe.received.map((r) => r.msg)).toEqual([...Array(40).keys()]);
  });
});

describe('connect() during a cut', () => {
  it('completes at the next SYN retransmission after the heal (1, 2, 3, 4, 5, 7, 11 s …), not at the heal', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { sim, probe } = echoWorld(1, { seed: String(seed) });
      sim.isolate('h1');
      const t0 = sim.now;
      dial(probe, '10.0.0.1', 7000);
      sim.run({ until: t0 + 8.5 * S });
      sim.heal();
      sim.run({ until: t0 + 10.9 * S });
      expect(probe.opens).toEqual([]);
      sim.run({ until: t0 + 30 * S });
      expect(probe.opens.length).toBe(1);
      const at = (probe.opens[0]!.at - t0) / S;
      // the 11 s retransmission, up to one wheel granularity late per expiry (32 ms for 1–2 s, 256 ms for 4 s)
      expect(at).toBeGreaterThanOrEqual(11);
      expect(at).toBeLessThan(11.5);
    }
  });

  it('gives up with a time-out after tcp_syn_retries (+ linear ones): ~131 s', () => {
    const { sim, probe } = echoWorld(1);
    sim.isolate('h1');
    const t0 = sim.now;
    dial(probe, '10.0.0.1', 7000);
    sim.run({ until: t0 + 130 * S });
    expect(probe.closes).toEqual([]);
    sim.run({ until: t0 + 200 * S });
    expect(probe.closes.map((c) => c.reason)).toEqual(['timeout']);
    const at = (probe.closes[0]!.at - t0) / S;
    expect(at).toBeGreaterThanOrEqual(131);
    expect(at).toBeLessThan(140);
  });

  it('a one-way cut of the way back: the SYN-ACK is retransmitted, the connection opens only after the block goes', () => {
    const { sim, probe } = echoWorld(1);
    sim.block('h1', 'c');
    const t0 = sim.now;
    dial(probe, '10.0.0.1', 7000);
    sim.run({ until: t0 + 4.5 * S });
    expect(probe.opens).toEqual([]);
    sim.heal();
    sim.run({ until: t0 + 20 * S });
    expect(probe.opens.length).toBe(1);
    expect(probe.opens[0]!.at - t0).toBeGreaterThan(4.5 * S);
  });
});

describe('one-way cuts and the ACK path', () => {
  it('data still reaches a peer whose ACKs are cut, until the first RTO; the rest waits for the block to go', () => {
    const sim = new Simulation();
    const a = sim.addHost('a', '10.0.0.1');
    const b = sim.addHost('b', '10.0.0.2');
    const pa = newProbe();
    const got: { msg: unknown; at: number }[] = [];
    sim.addProcess(a, 1, 'client', probeClient(pa));
    sim.addProcess(b, 2, 'server', (ctx) => ({
      onConnection(c: Conn) {
        c.setHandlers({ onData: (m) => got.push({ msg: m, at: ctx.now() }) });
      },
    }));
    sim.startAll();
    const c = dial(pa, '10.0.0.2', 2);
    sim.run({ until: 100_000 });
    sim.block('b', 'a'); // b's ACKs to a are dropped
    const t0 = sim.now;
    c.send('early', 16);
    sim.run({ until: t0 + 50_000 });
    c.send('same-window', 16);
    sim.run({ until: t0 + 2 * S });
    c.send('after-rto', 16);
    sim.run({ until: t0 + 10 * S });
    expect(got.map((g) => g.msg)).toEqual(['early', 'same-window']);
    sim.heal();
    sim.run({ until: t0 + 60 * S });
    expect(got.map((g) => g.msg)).toEqual(['early', 'same-window', 'after-rto']);
    expect(got[2]!.at - t0).toBeGreaterThan(10 * S);
    expect(pa.closes).toEqual([]);
  });
});

describe('loss uses the same RTO', () => {
  it('a lost segment waits the link RTO (204 ms on loopback), doubling', () => {
    const { sim, probe, hosts, client } = echoWorld(1, { seed: '3' });
    sim.net.setLink(client, hosts[0]!, { loss: 0.3, latencyMs: 0.1, jitter: { kind: 'uniform', ms: 0 } }, true);
    sim.net.setLink(hosts[0]!, client, { latencyMs: 0.1, jitter: { kind: 'uniform', ms: 0 } }, true);
    const c = dial(probe, '10.0.0.1', 7000);
    sim.run({ until: 60 * S });
    const sends: number[] = [];
    for (let i = 0; i < 200; i++) {
      sends.push(sim.now);
      c.send(i, 16);
      sim.run({ until: sim.now + 20 * S });
    }
    const delays = probe.received.map((r, i) => r.at - sends[i]!);
    // each delay is the latency plus a sum of doubling RTOs: 0, 204, 612, 1428 ms …
    for (const d of delays) {
      const extra = Math.round((d - 200) / 1000);
      expect([0, 204, 612, 1428, 3060, 6324, 12852]).toContain(extra);
    }
    expect(delays.some((d) => d > 200_000)).toBe(true);
  });
});

describe('a socket closed during a cut (orphan: tcp_orphan_retries ⇒ 102.2 s)', () => {
  function world() {
    const sim = new Simulation();
    const a = sim.addHost('a', '10.0.0.1');
    const b = sim.addHost('b', '10.0.0.2');
    const pa = newProbe();
    const pb = newProbe();
    let srv: Conn | null = null;
    sim.addProcess(a, 1, 'client', probeClient(pa));
    sim.addProcess(b, 2, 'server', (ctx) => ({
      onConnection(c: Conn) {
        srv = c;
        c.setHandlers({ onClose: (reason) => pb.closes.push({ conn: c.id, reason, at: ctx.now() }) });
      },
    }));
    sim.startAll();
    const c = dial(pa, '10.0.0.2', 2);
    sim.run({ until: 100_000 });
    return { sim, c, pb, server: () => srv! };
  }

  it('healed before the last retransmission: the FIN arrives at the next retransmission and the peer sees a clean close', () => {
    const { sim, c, pb } = world();
    sim.partition([['a'], ['b']]);
    const t0 = sim.now;
    c.send('bye', 16);
    c.close();
    sim.run({ until: t0 + 40 * S });
    sim.heal();
    sim.run({ until: t0 + 200 * S });
    expect(pb.closes.map((x) => x.reason)).toEqual(['closed']);
    // the expiry after the heal: 0.204 · 255 ≈ 52 s (the next one, ~104 s, would be past the orphan limit)
    expect(pb.closes[0]!.at - t0).toBeGreaterThan(52 * S);
  });

  it('healed too late: the orphan gave up silently; the peer learns by a reset when it next sends', () => {
    const { sim, c, pb, server } = world();
    sim.partition([['a'], ['b']]);
    const t0 = sim.now;
    c.send('bye', 16);
    c.close();
    sim.run({ until: t0 + 150 * S });
    sim.heal();
    sim.run({ until: t0 + 300 * S });
    expect(pb.closes).toEqual([]);
    server().send('anyone?', 16);
    sim.run({ until: t0 + 301 * S });
    expect(pb.closes.map((x) => x.reason)).toEqual(['reset']);
  });
});
