// Convergence property: under any schedule of link latency/loss and short cuts (no crashes), once the
// network is quiet every replica — chained ones included — has the master's dataset, replid and offset.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkUp, ReplWorld, type Node } from './world.ts';

type Action =
  | { k: 'write'; argv: string[] }
  | { k: 'tx'; key: string; val: string }
  | { k: 'cut'; who: 'a' | 'b' | 'c'; ms: number }
  | { k: 'link'; who: 'a' | 'b' | 'c'; latencyMs: number; loss: number };

const key = fc.constantFrom('k1', 'k2', 'k3', 'k4');
const val = fc.string({ maxLength: 6 });
const writeArb: fc.Arbitrary<Action> = fc
  .oneof(
    fc.tuple(key, val).map(([k, v]) => ['set', k, v]),
    key.map((k) => ['del', k]),
    fc.constant<string[]>(['incr', 'ctr']),
    val.map((v) => ['rpush', 'list', v]),
    fc.tuple(key, val).map(([f, v]) => ['hset', 'hash', f, v]),
    val.map((v) => ['sadd', 'set', v]),
    fc.tuple(key, fc.integer({ min: 1, max: 3000 })).map(([k, ms]) => ['pexpire', k, String(ms)]),
    fc.constantFrom('0', '1').map((db) => ['select', db]),
    fc.constant<string[]>(['zadd', 'z', '1', 'a', '2', 'b']),
  )
  .map((argv) => ({ k: 'write' as const, argv }));
const txArb: fc.Arbitrary<Action> = fc.record({ k: fc.constant('tx' as const), key, val });
const who = fc.constantFrom('a' as const, 'b' as const, 'c' as const);
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: writeArb },
  { weight: 1, arbitrary: txArb },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('cut' as const), who, ms: fc.integer({ min: 100, max: 9000 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('link' as const),
      who,
      latencyMs: fc.integer({ min: 0, max: 300 }),
      loss: fc.constantFrom(0, 0.01, 0.1, 0.3),
    }),
  },
);
const scheduleArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 1500 }), actionArb), { minLength: 20, maxLength: 150, size: 'medium' });

const CONF = 'repl-timeout 5\nrepl-ping-replica-period 1\nrepl-backlog-size 600\n';

function converged(m: Node, rs: Node[]): boolean {
  const off = m.repl().st.masterReplOffset;
  return rs.every((r) => {
    const side = r.repl().replica;
    return side.master !== null && side.master.reploff === off && r.repl().st.replid === m.repl().st.replid;
  });
}

describe('replication converges', () => {
  it('digests and offsets match once the network is quiet', () => {
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: 1, max: 1_000_000 }), (schedule, seed) => {
        const w = new ReplWorld({ seed: `prop-${seed}` });
        const m = w.server('m', '10.0.0.1', 7001, CONF);
        const a = w.server('a', '10.0.0.2', 7002, `${CONF}replicaof 10.0.0.1 7001\n`);
        const b = w.server('b', '10.0.0.3', 7003, `${CONF}replicaof 10.0.0.1 7001\n`);
        const c = w.server('c', '10.0.0.4', 7004, `${CONF}replicaof 10.0.0.2 7002\n`); // chained under a
        const upstream = { a: 'm', b: 'm', c: 'a' } as const;
        w.start('m', 'a', 'b', 'c');
        const cli = w.client(m);
        cli.send('set', 'seed', 'before-sync');
        w.until(() => [a, b, c].every(linkUp), '60s', 'initial sync');
        // the timeline: actions at absolute times, cuts ending later
        const events: [number, () => void][] = [];
        let t = w.sim.now / 1000;
        for (const [delta, act] of schedule) {
          t += delta;
          if (act.k === 'write') events.push([t, () => cli.send(...act.argv)]);
          else if (act.k === 'tx')
            events.push([
              t,
              () => {
                cli.send('multi');
                cli.send('set', act.key, act.val);
                cli.send('incr', 'ctr');
                cli.send('lpush', 'txlist', act.val);
                cli.send('exec');
              },
            ]);
          else if (act.k === 'link') {
            events.push([t, () => w.sim.setLink(act.who, upstream[act.who], { latencyMs: act.latencyMs, loss: act.loss, jitter: { kind: 'exponential', ms: act.latencyMs / 4 } })]);
          } else {
            const [x, y] = [w.sim.host(act.who), w.sim.host(upstream[act.who])];
            events.push([t, () => (w.sim.block(act.who, upstream[act.who]), w.sim.block(upstream[act.who], act.who))]);
            events.push([t + act.ms, () => (w.sim.net.unblock(x, y), w.sim.net.unblock(y, x))]);
          }
        }
        events.sort((p, q) => p[0] - q[0]);
        for (const [at, fn] of events) {
          const now = w.sim.now / 1000;
          if (at > now) w.run(at - now);
          fn();
        }
        // quiet network
        w.sim.heal();
        for (const x of ['a', 'b', 'c'] as const) w.sim.setLink(x, upstream[x], { latencyMs: 0.1, loss: 0, jitter: { kind: 'exponential', ms: 0.05 } });
        w.run(4000); // let pending expiries fire on the master
        const rs = [a, b, c];
        w.until(() => converged(m, rs), '180s', 'convergence');
        if (process.env.PROP_DEBUG)
          console.log(
            schedule.length,
            m.repl().st.masterReplOffset,
            m.server().ks.totalKeys(),
            m.server().stats.syncFull,
            m.server().stats.syncPartialOk,
            a.server().stats.syncPartialOk,
            w.sim.now / 1e6,
          );
        for (const r of rs) {
          expect(r.digest()).toBe(m.digest());
          expect(r.repl().st.masterReplOffset).toBe(m.repl().st.masterReplOffset);
        }
      }),
      { numRuns: 100, seed: 20261125 },
    );
  });
});
