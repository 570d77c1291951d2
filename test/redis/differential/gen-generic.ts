// Generators for the keyspace (generic) commands: DEL/UNLINK/EXISTS, the EXPIRE family with
// NX/XX/GT/LT, TTLs, KEYS/SCAN, RENAME, databases (SELECT, SWAPDB, MOVE, COPY, FLUSHDB), OBJECT.
import type { Gen, Step } from './gen-base.ts';

const PATTERNS = [
  '*', 'k*', 'k?', '[kT]*', 'k[1-3]', '*a*', '?', 'k[^1]', 'nomatch*', '\\*', 'K*',
  // stringmatchlen's corners: unterminated classes, reversed ranges, escapes, '^' alone
  '[', 'k[', '[k-', '[3-1]*', 'k\\', '[\\]]', '[]]*', '[^]*', '**', '*?', 'k[!1]', '[-k]*', '?[0-9]', '\\k*',
];

function expireFlags(g: Gen): string[] {
  const r = g.int(0, 9);
  if (r < 4) return [];
  if (r < 8) return [g.word(g.pick(['NX', 'XX', 'GT', 'LT']))];
  if (r === 8) return [g.word(g.pick(['NX', 'GT'])), g.word(g.pick(['XX', 'LT']))];
  return [g.pick(['foo', 'GT', 'f\u0000oo', 'a\r\nb'])];
}

function scanOptions(g: Gen, withType: boolean): string[] {
  const out: string[] = [];
  if (g.chance(0.4)) out.push(g.word('MATCH'), g.pick(PATTERNS));
  if (g.chance(0.4)) out.push(g.word('COUNT'), g.pick(['1', '2', '5', '10', '100']));
  if (withType && g.chance(0.3)) out.push(g.word('TYPE'), g.pick(['string', 'list', 'hash', 'set', 'zset', 'stream', 'foo']));
  if (g.chance(0.03)) out.push(g.pick(['COUNT', 'MATCH', 'NOVALUES']));
  if (g.chance(0.02)) out.push(g.word('COUNT'), g.pick(['0', '-1', 'x']));
  return out;
}

/** SCAN / HSCAN / SSCAN / ZSCAN: the runner iterates the cursor to 0 on both sides. */
export function scanStep(g: Gen, cmd: 'scan' | 'hscan' | 'sscan' | 'zscan'): Step {
  const head = cmd === 'scan' ? ['scan', '0'] : [cmd, g.key(), '0'];
  return { conn: 0, argv: [...head, ...scanOptions(g, cmd === 'scan')], kind: 'scan' };
}

export function genGeneric(g: Gen): Step {
  const k = g.key();
  const exact = (argv: string[]): Step => ({ conn: 0, argv });
  switch (g.int(0, 31)) {
    case 0:
      return exact([g.pick(['del', 'unlink']), ...g.keys(1, 3)]);
    case 1:
      return exact(['exists', ...g.keys(1, 4)]);
    case 2:
      return exact([g.word('expire'), k, g.expiry('EX'), ...expireFlags(g)]);
    case 3:
      return exact([g.word('pexpire'), k, g.expiry('PX'), ...expireFlags(g)]);
    case 4:
      return exact(['expireat', k, g.expiry('EXAT'), ...expireFlags(g)]);
    case 5:
      return exact(['pexpireat', k, g.expiry('PXAT'), ...expireFlags(g)]);
    case 6:
      return exact([g.pick(['expiretime', 'pexpiretime']), k]);
    case 7:
      return exact([g.pick(['ttl', 'pttl']), k]);
    case 8:
      return exact(['persist', k]);
    case 9:
      return exact(['type', k]);
    case 10:
      return exact(['keys', g.pick(PATTERNS)]);
    case 11:
      return scanStep(g, 'scan');
    case 12:
      return exact([g.pick(['rename', 'renamenx']), k, g.key()]);
    case 13:
      return { conn: 0, argv: ['randomkey'], kind: 'random' };
    case 14:
      return exact(['dbsize']);
    case 15:
      return g.chance(0.15) ? exact(['flushdb', ...(g.chance(0.3) ? [g.pick(['ASYNC', 'SYNC', 'foo'])] : [])]) : exact(['dbsize']);
    case 16:
      return exact(['select', g.chance(0.05) ? g.pick(['16', '-1', 'x']) : String(g.int(0, 2))]);
    case 17:
      return exact(['swapdb', String(g.int(0, 2)), g.chance(0.05) ? g.pick(['16', 'x']) : String(g.int(0, 2))]);
    case 18:
      return exact(['move', k, g.chance(0.05) ? g.pick(['16', 'x']) : String(g.int(0, 2))]);
    case 19: {
      const argv = ['copy', k, g.key()];
      if (g.chance(0.4)) argv.push(g.word('DB'), g.chance(0.05) ? '16' : String(g.int(0, 2)));
      if (g.chance(0.4)) argv.push(g.word('REPLACE'));
      if (g.chance(0.03)) argv.push('foo');
      return exact(argv);
    }
    case 20:
      return exact(['touch', ...g.keys(1, 3)]);
    case 21:
      return exact(['object', g.word('encoding'), k]);
    case 22:
      return exact(['object', g.word(g.pick(['freq', 'refcount', 'idletime'])), k]);
    case 23:
      return exact(['object', g.pick(['help', 'foo', 'encoding'])]);
    case 24:
      return { conn: 0, argv: ['pexpire', k], kind: 'short-expire' };
    case 25:
      return exact(['set', k, g.str(), ...(g.chance(0.3) ? ['EX', g.expiry('EX')] : [])]);
    case 26:
      return exact(['rpush', k, ...g.members(1, 3)]);
    case 27:
      return exact(['sadd', k, ...g.members(1, 3)]);
    case 28:
      return exact(['hset', k, g.member(), g.str()]);
    case 29:
      return exact(['zadd', k, g.score(0), g.member()]);
    case 30:
      return exact(['expire', k, g.pick(['-1', '0']), ...expireFlags(g)]);
    default:
      return exact([g.pick(['ttl', 'expiretime']), k]);
  }
}
