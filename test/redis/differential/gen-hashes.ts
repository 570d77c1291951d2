// Generators for the hash and set commands (HINCRBYFLOAT, HRANDFIELD, HSCAN; SINTERCARD, SMISMEMBER,
// SRANDMEMBER with negative counts, SPOP count, SSCAN, the STORE variants).
import type { Gen, Step } from './gen-base.ts';
import { scanStep } from './gen-generic.ts';

const exact = (argv: string[]): Step => ({ conn: 0, argv });
const random = (argv: string[]): Step => ({ conn: 0, argv, kind: 'random' });

function count(g: Gen): string {
  return g.pick(['0', '1', '2', '3', '5', '20', '-1', '-3', '-8', 'x']);
}

export function genHash(g: Gen): Step {
  const k = g.key();
  switch (g.int(0, 21)) {
    case 0:
    case 1: {
      const argv = [g.pick(['hset', 'hmset']), k];
      for (let i = g.int(1, 3); i > 0; i--) argv.push(g.member(), g.str());
      if (g.chance(0.05)) argv.push(g.member());
      return exact(argv);
    }
    case 2:
      return exact(['hsetnx', k, g.member(), g.str()]);
    case 3:
      return exact(['hget', k, g.member()]);
    case 4:
      return exact(['hmget', k, ...g.members(1, 3)]);
    case 5:
      return exact(['hdel', k, ...g.members(1, 3)]);
    case 6:
      return exact([g.pick(['hlen', 'hkeys', 'hvals', 'hgetall']), k]);
    case 7:
      return exact(['hstrlen', k, g.member()]);
    case 8:
      return exact(['hexists', k, g.member()]);
    case 9:
      return exact(['hincrby', k, g.member(), g.chance(0.05) ? '9223372036854775807' : g.integer()]);
    case 10:
      return exact(['hincrbyfloat', k, g.member(), g.float()]);
    case 11: {
      const argv = ['hrandfield', k];
      if (g.chance(0.7)) argv.push(count(g));
      if (argv.length === 3 && g.chance(0.4)) argv.push(g.word(g.chance(0.05) ? 'withscores' : 'WITHVALUES'));
      return random(argv);
    }
    case 12:
      return scanStep(g, 'hscan');
    case 13:
      return exact(['hset', k, ...g.many(g.int(125, 135)).flatMap((f) => [f, f])]);
    case 14:
      return exact(['hset', k, g.member(), 'v'.repeat(g.int(60, 70))]);
    case 15:
      return exact(['object', 'encoding', k]);
    case 16:
      return exact(['hgetall', k]);
    case 17:
      return exact(['hset', k, g.member(), String(g.int(-5, 50))]);
    case 18:
      return exact(['hincrbyfloat', k, g.member(), g.pick(['1e308', '0.1', '-0.1', '1.5e3', '3'])]);
    case 19:
      return exact(['del', k]);
    case 20:
      return exact(['hrandfield', k, '0', 'withvalues']);
    default:
      return exact(['hvals', k]);
  }
}

export function genSet(g: Gen): Step {
  const k = g.key();
  const store = (cmd: string) => exact([cmd, g.key(), ...g.keys(1, 3)]);
  switch (g.int(0, 24)) {
    case 0:
    case 1:
      return exact(['sadd', k, ...g.members(1, 4)]);
    case 2:
      return exact(['srem', k, ...g.members(1, 3)]);
    case 3:
      return exact(['scard', k]);
    case 4:
      return exact(['sismember', k, g.member()]);
    case 5:
      return exact(['smismember', k, ...g.members(1, 4)]);
    case 6:
      return exact(['smembers', k]);
    case 7:
      return exact(['smove', k, g.key(), g.member()]);
    case 8:
      return random(['spop', k, ...(g.chance(0.6) ? [g.pick(['0', '1', '2', '3', '10', '-1'])] : [])]);
    case 9:
      return random(['srandmember', k, ...(g.chance(0.7) ? [count(g)] : [])]);
    case 10:
      return exact([g.pick(['sinter', 'sunion', 'sdiff']), ...g.keys(1, 3)]);
    case 11:
      return store(g.pick(['sinterstore', 'sunionstore', 'sdiffstore']));
    case 12: {
      const keys = g.keys(1, 3);
      const argv = ['sintercard', g.chance(0.05) ? g.pick(['0', 'x', '5']) : String(keys.length), ...keys];
      if (g.chance(0.4)) argv.push(g.word('LIMIT'), g.pick(['0', '1', '2', '-1']));
      return exact(argv);
    }
    case 13:
      return scanStep(g, 'sscan');
    case 14:
      return exact(['sadd', k, ...g.many(g.int(125, 135), g.chance(0.5))]);
    case 15:
      return exact(['sadd', k, ...g.many(g.int(510, 515), true)]);
    case 16:
    case 17:
      return exact(['object', 'encoding', k]);
    case 18:
      return exact(['sadd', k, String(g.int(-5, 20))]);
    case 19:
      return exact(['smembers', k]);
    case 20:
      return exact(['del', k]);
    case 21:
      return exact(['sadd', k, g.pick(['9223372036854775807', '-9223372036854775808', '9223372036854775808', '01', '-0', '+1'])]);
    case 22:
      return random(['spop', k]);
    default:
      return exact(['scard', k]);
  }
}
