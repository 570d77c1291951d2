// Differential group for the operators' commands (issue 16 item 6): seeded sequences of the replies
// that are deterministic on both sides go to real redis-server 7.0.15 and to a simulated server:
// CLUSTER / READONLY / READWRITE / ASKING of a server without cluster support, MODULE without modules,
// LOLWUT (7.0's own, and VERSION 5 drawings that use no randomness), COMMAND GETKEYSANDFLAGS and
// COMMAND INFO of the commands added here, SLOWLOG / LATENCY shapes and errors with both logs off,
// MEMORY DOCTOR of an empty instance, sharded Pub/Sub counts. Skipped without redis-server (required
// in CI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gen, type Step } from './differential/gen-base.ts';
import { RespClient } from './differential/reply.ts';
import { DiffRunner } from './differential/runner.ts';
import { SimSide } from './differential/sim-side.ts';
import { freePort, RealServer, realRedisVersion } from './replication/real.ts';

const version = realRedisVersion();
const required = process.env.CI === 'true';
const SEED = process.env.DIFF_SEED ?? 'differential-operators-1';
const STEPS = Number(process.env.DIFF_STEPS ?? 400);

const CLUSTER_SUBS = [
  'addslots', 'addslotsrange', 'bumpepoch', 'count-failure-reports', 'countkeysinslot', 'delslots', 'delslotsrange', 'failover',
  'flushslots', 'forget', 'getkeysinslot', 'help', 'info', 'keyslot', 'links', 'meet', 'myid', 'nodes', 'replicas', 'replicate',
  'reset', 'saveconfig', 'set-config-epoch', 'setslot', 'shards', 'slaves', 'slots', 'nosuch',
];
// containers are left out: Redis lists their subcommands in its dict's order (a per-process hash seed)
const INFO_NAMES = [
  'readonly', 'readwrite', 'asking', 'monitor', 'lolwut', 'spublish', 'ssubscribe', 'sunsubscribe', 'cluster|info', 'cluster|slots', 'slowlog|get', 'latency|histogram', 'module|loadex', 'memory|stats', 'command|getkeysandflags',
];

function step(g: Gen): string[] {
  const k = g.key();
  switch (g.int(0, 15)) {
    case 0:
    case 1:
      return ['cluster', g.word(g.pick(CLUSTER_SUBS)), ...Array.from({ length: g.int(0, 4) }, () => String(g.int(0, 20)))];
    case 2:
      return [g.word(g.pick(['readonly', 'readwrite', 'asking'])), ...(g.chance(0.2) ? ['x'] : [])];
    case 3:
      return g.pick([['module', 'list'], ['module', 'help'], ['module', 'load', '/nope.so'], ['module', 'loadex', '/x', 'CONFIG', 'a'], ['module', 'unload', 'm'], ['module', 'foo'], ['module', 'list', 'x']]);
    case 4: {
      const v = g.pick(['5', '6', '7', '8', 'x', '-1', '4294967301']);
      if (v === '5' || v === '4294967301') return ['lolwut', 'version', v, String(g.int(-3, 30)), String(g.int(-2, 9)), String(g.int(-5, 2))];
      return g.chance(0.5) ? ['lolwut'] : ['lolwut', 'version', v === '6' ? '7' : v];
    }
    case 5:
    case 6:
      return g.pick([
        ['command', 'getkeysandflags', 'spublish', 'ch', 'msg'],
        ['command', 'getkeysandflags', 'memory', 'usage', k],
        ['command', 'getkeysandflags', 'memory', 'usage', k, 'samples', '3'],
        ['command', 'getkeysandflags', 'get', k],
        ['command', 'getkeysandflags', 'nosuch', k],
        ['command', 'getkeysandflags', 'ping', 'x'],
        ['command', 'getkeysandflags', 'ssubscribe', 'a', 'b'],
        ['command', 'getkeysandflags', 'get'],
      ]);
    case 7:
      return ['command', 'info', ...Array.from({ length: g.int(1, 4) }, () => g.pick(INFO_NAMES))];
    case 8:
      return g.pick([['slowlog', 'help'], ['slowlog', 'len'], ['slowlog', 'get'], ['slowlog', 'get', '-2'], ['slowlog', 'get', 'x'], ['slowlog', 'get', String(g.int(-1, 5))], ['slowlog', 'reset'], ['slowlog', 'len', 'x'], ['slowlog', 'foo']]);
    case 9:
      return g.pick([
        ['latency', 'help'], ['latency', 'latest'], ['latency', 'history', 'command'], ['latency', 'graph', 'command'], ['latency', 'reset'],
        ['latency', 'reset', 'command', 'fork'], ['latency', 'doctor'], ['latency', 'foo'], ['latency', 'history'],
      ]);
    case 10:
      return g.pick([['memory', 'doctor'], ['memory', 'help'], ['memory', 'malloc-stats', 'x'], ['memory', 'stats', 'x']]);
    case 11:
      return g.pick([['spublish', `ch${g.int(0, 2)}`, 'm'], ['pubsub', 'shardchannels'], ['pubsub', 'shardnumsub', 'ch0', 'ch1'], ['pubsub', 'shardchannels', 'ch*', 'x']]);
    case 12:
      return ['set', k, String(g.int(0, 100))];
    case 13:
      return ['command', 'docs', g.pick(['readonly', 'monitor', 'lolwut', 'spublish', 'ssubscribe', 'sunsubscribe', 'slowlog|get', 'memory|stats', 'memory|doctor'])];
    case 14:
      return [g.word('monitor'), 'x'];
    default:
      return g.pick([['cluster'], ['module'], ['slowlog'], ['latency'], ['lolwut', 'version']]);
  }
}

function sequence(seed: string, n: number): Step[] {
  const g = new Gen(seed, ['k1', 'k2']);
  // both logs off: the real server's durations are wall-clock time, the simulator's are virtual
  const out: Step[] = [
    { conn: 0, argv: ['flushall'] },
    { conn: 0, argv: ['config', 'set', 'slowlog-log-slower-than', '-1'] },
    { conn: 0, argv: ['config', 'set', 'latency-monitor-threshold', '0'] },
    { conn: 0, argv: ['slowlog', 'reset'] },
    { conn: 0, argv: ['latency', 'reset'] },
  ];
  while (out.length < n) out.push({ conn: g.int(0, 1), argv: step(g) });
  return out;
}

const runIt = version !== null || required ? describe : describe.skip;

runIt('differential: operators’ commands, real redis-server 7.0.15 vs the simulator', () => {
  let server: RealServer | null = null;
  const clients: RespClient[] = [];
  let sim: SimSide;

  beforeAll(async () => {
    if (version === null) throw new Error('/usr/bin/redis-server (7.0.15) is required when CI=true');
    const port = await freePort();
    server = new RealServer(port, []);
    (await server.start()).close();
    for (let i = 0; i < 2; i++) clients.push(await RespClient.connect(port));
    sim = new SimSide(port, SEED);
  });
  afterAll(() => {
    for (const c of clients) c.close();
    server?.stop();
  });

  it('same replies', async () => {
    const res = await new DiffRunner(clients, sim).run(sequence(SEED, STEPS));
    if (res.mismatch) {
      const m = res.mismatch;
      expect.fail(`step ${m.index} on connection ${m.conn}: ${m.argv.join(' ')}\n  real: ${JSON.stringify(m.real)}\n  sim:  ${JSON.stringify(m.sim)}\n  after: ${m.context.join(' | ')}`);
    }
    expect(res.compared).toBeGreaterThanOrEqual(STEPS * 0.95);
  }, 120_000);

  it('COMMAND GETKEYS / GETKEYSANDFLAGS of every command of 7.0.15, three argument shapes each', async () => {
    const names = ((await clients[0]!.cmd(['command', 'list'])) as string[]).map((x) => x.slice(1)).sort();
    const simNames = new Set(((await sim.cmd(0, ['command', 'list'])) as string[]).map((x) => x.slice(1)));
    const diffs: string[] = [];
    let compared = 0;
    for (const n of names) {
      if (!simNames.has(n)) continue; // a command the simulator lacks: COMMAND LIST tells
      for (const extra of [['k1', 'k2', 'k3'], ['k1', '2', 'k2', 'k3'], ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']]) {
        for (const what of ['getkeys', 'getkeysandflags']) {
          const argv = ['command', what, ...n.split('|'), ...extra];
          const a = JSON.stringify(await clients[0]!.cmd(argv));
          const b = JSON.stringify(await sim.cmd(0, argv));
          compared++;
          if (a !== b) diffs.push(`${argv.join(' ')}: real ${a} sim ${b}`);
        }
      }
    }
    expect(diffs).toEqual([]);
    expect(compared).toBeGreaterThan(2000);
  }, 120_000);
});
