// One real redis-server 7.0.15 on a free loopback port and one simulated server, side by side, for the
// differential tests that compare replies one command at a time. Under CI=true a missing redis-server is
// a failure; elsewhere the describe block is skipped.
import { afterAll, beforeAll, describe } from 'vitest';
import { freePort, RealServer, realRedisVersion } from '../replication/real.ts';
import { RespClient } from './reply.ts';
import { SimSide } from './sim-side.ts';

const version = realRedisVersion();

/** describe when real Redis is there (or required under CI=true), describe.skip otherwise. */
export const describeWithRealRedis = version !== null || process.env.CI === 'true' ? describe : describe.skip;

export interface RealAndSim {
  /** A connection to the real server. */
  real: RespClient;
  /** The simulated server (connection 0 and up). */
  sim: SimSide;
}

/** Start both in beforeAll (the simulated one seeded with `seed`), stop them in afterAll; read the fields inside tests. */
export function useRealAndSim(seed: string): RealAndSim {
  const pair = {} as RealAndSim;
  let server: RealServer | null = null;
  beforeAll(async () => {
    if (version === null) throw new Error('/usr/bin/redis-server (7.0.15) is required when CI=true');
    const port = await freePort();
    server = new RealServer(port, []);
    (await server.start()).close();
    pair.real = await RespClient.connect(port);
    pair.sim = new SimSide(port, seed);
  });
  afterAll(() => {
    pair.real?.close();
    server?.stop();
  });
  return pair;
}

/** Each command on both sides in turn; the ones whose replies differ, with both replies ('' when none). */
export async function replyDiffs(pair: RealAndSim, cases: readonly string[][]): Promise<string> {
  const diffs: string[] = [];
  for (const argv of cases) {
    const r = await pair.real.cmd(argv as string[]);
    const s = pair.sim.cmd(0, argv as string[]);
    if (JSON.stringify(r) !== JSON.stringify(s)) diffs.push(`${JSON.stringify(argv)}\n  real: ${JSON.stringify(r)}\n  sim:  ${JSON.stringify(s)}`);
  }
  return diffs.join('\n');
}
