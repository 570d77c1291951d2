// The RESP3 and client-side-caching groups of the differential test (issue 16 item 3).
// resp3: both connections switch to RESP3 (HELLO 3), then data commands of every type (the 'mixed'
//   generators, compared exactly) and the commands whose RESP3 replies have their own types: maps
//   (HGETALL, CONFIG GET, FUNCTION STATS, CLIENT TRACKINGINFO, HELLO), sets (SMEMBERS & co, SPOP
//   with a count), doubles (ZSCORE, ZINCRBY, WITHSCORES pairs, GEOPOS), nulls, scripts answering
//   RESP3 types (redis.setresp(3)), and Pub/Sub as pushes; then back to RESP2.
// tracking: episodes of CLIENT TRACKING in one mode (default, BCAST with or without prefixes, OPTIN /
//   OPTOUT with CLIENT CACHING, NOLOOP, REDIRECT to a RESP3 connection or to a RESP2 one subscribed
//   to __redis__:invalidate), reads and writes from both connections, expiry, FLUSHDB / FLUSHALL /
//   SWAPDB, scripts that read or write (a read in a script tracks the keys it declared); after every
//   write the invalidations each connection received are compared.
import { Gen, PRELUDE, type Step } from './gen-base.ts';

const exact = (argv: string[], conn = 0): Step => ({ conn, argv });
const pushes = (ms = 25): Step => ({ conn: 0, argv: [String(ms)], kind: 'pushes' });

/** One RESP3-specific command. */
function resp3Command(g: Gen): Step {
  const k = g.key();
  const m = g.member();
  const z = (): string => g.pick(['k1', 'k2', 'Z', 'nokey']);
  const pick = g.int(0, 27);
  switch (pick) {
    case 0:
      return exact(['zscore', z(), m]);
    case 1:
      return exact(['zmscore', z(), m, g.member(), 'nosuch']);
    case 2:
      return exact(['zincrby', z(), g.float(), m]);
    case 3:
      return exact(['zadd', z(), 'incr', g.score(), m]);
    case 4:
      return exact(['zrange', z(), '0', '-1', g.word('withscores')]);
    case 5:
      return exact(['zrevrangebyscore', z(), '+inf', '-inf', 'withscores', 'limit', '0', String(g.int(1, 4))]);
    case 6:
      return exact([g.pick(['zpopmin', 'zpopmax']), z(), ...(g.chance(0.6) ? [String(g.int(0, 3))] : [])]);
    case 7:
      return exact([g.pick(['zunion', 'zinter', 'zdiff']), '2', z(), z(), 'withscores']);
    case 8:
      return exact(['zmpop', '2', z(), z(), g.pick(['min', 'max']), 'count', String(g.int(1, 3))]);
    case 9:
      return exact(['hgetall', g.pick(['k1', 'k2', 'H', 'nokey'])]);
    case 10:
      return exact([g.pick(['smembers', 'sinter', 'sunion', 'sdiff']), g.pick(['k1', 'k3', 'S', 'nokey']), ...(g.chance(0.5) ? [g.pick(['k1', 'k3', 'S'])] : [])]);
    case 11:
      return exact(['spop', g.pick(['k3', 'nokey']), '0']);
    case 12:
      return exact(['config', 'get', g.pick(['maxmemory', 'nonexistent', 'hz', 'save', 'maxmemory-policy', 'list-max-ziplist-size'])]);
    case 13:
      return exact(['geoadd', 'G', String(g.int(-170, 170)), String(g.int(-80, 80)), m]);
    case 14:
      return exact(['geopos', 'G', m, 'nosuch']);
    case 15:
      return exact(['geosearch', 'G', 'fromlonlat', '0', '0', 'byradius', '20000', 'km', 'withcoord', 'withdist', 'asc', 'count', '3']);
    case 16:
      return exact(g.pick([['hello', '3'], ['hello', '4'], ['hello', 'abc'], ['hello', '3', 'foo'], ['hello', '3', 'setname', 'n1'], ['hello', '3', 'auth', 'default', 'pw'], ['hello']]));
    case 17:
      return exact(g.pick([['client', 'trackinginfo'], ['client', 'getredir'], ['function', 'stats'], ['function', 'list'], ['client', 'getname']]));
    case 18:
      return exact([
        'eval',
        g.pick([
          'return {double=3.5}',
          'return true',
          'return false',
          "return {map={a='1'}}",
          "return {set={x=true}}",
          "return {big_number='1234567890123456789012'}",
          "return {verbatim_string={format='txt', string='hi there'}}",
          "redis.setresp(3); return redis.call('zscore', KEYS[1], 'a')",
          "redis.setresp(3); return redis.call('get', 'nokey')",
          "redis.setresp(3); local r = redis.call('hgetall', 'H'); return r['map']['f']",
          "redis.setresp(3); return redis.call('smembers', 'nokey')",
          "redis.setresp(3); return redis.call('hgetall', 'nokey')",
          "redis.setresp(3); return redis.call('config', 'get', 'hz')",
          "redis.setresp(3); return redis.call('zrange', KEYS[1], 0, -1, 'withscores')",
          "redis.setresp(3); return {redis.call('exists', KEYS[1]), redis.call('lpop', 'nokey')}",
          "return redis.call('zrange', KEYS[1], 0, -1, 'withscores')",
        ]),
        '1',
        z(),
      ]);
    case 19:
      return exact(g.pick([['lpop', 'nokey'], ['get', 'nokey'], ['lpop', 'nokey', '2'], ['blpop', 'nokey', '0.01'], ['object', 'freq', 'T'], ['lindex', 'L', '99']]));
    case 20:
      return exact(['hrandfield', g.pick(['nosuchkey', 'T']), '2', 'withvalues']);
    case 21:
      return exact(['zrandmember', g.pick(['nosuchkey', 'T']), '2', 'withscores']);
    case 22:
      return exact(['bzpopmin', g.pick(['nokey', 'k1', 'k2']), '0.01']);
    case 23:
      return exact(['lrange', g.pick(['L', 'nokey']), '0', '-1']);
    case 24:
      return exact(['zcard', z()]);
    case 25:
      return exact(['geodist', 'G', m, g.member(), 'km']);
    case 26:
      return exact(['lcs', 'T', g.pick(['T', 'k1', 'nokey'])]);
    default:
      return exact([g.pick(['ping', 'echo']), ...(g.chance(0.5) ? ['x'] : [])]);
  }
}

/** SUBSCRIBE on connection 0 (pushes in RESP3), PUBLISH from 1, then out of Pub/Sub. */
function pubsubEpisode(g: Gen, out: Step[]): void {
  // one channel / pattern per command: the runner pairs one command with one reply
  const ch = g.pick(['ch1', 'ch2']);
  const pat = g.chance(0.5);
  out.push(exact(['subscribe', ch]));
  if (pat) out.push(exact(['psubscribe', 'c*']));
  out.push(exact(['publish', ch, g.str()], 1), pushes());
  out.push(exact(['ping']), exact(['get', 'T']));
  out.push(exact(['publish', 'zzz', 'x'], 1), pushes());
  out.push(exact(['unsubscribe', ch]));
  if (pat) out.push(exact(['punsubscribe', 'c*']));
  out.push(exact(['unsubscribe']), exact(['punsubscribe']), pushes());
}

export function resp3Sequence(seed: string, n: number, dataStep: (g: Gen) => Step): Step[] {
  const g = new Gen(`${seed}/resp3`, ['k1', 'k2', 'k3', 'k4']);
  const out: Step[] = [exact(['flushall']), ...PRELUDE.map((a) => exact(a)), exact(['zadd', 'Z', '1.5', 'a', '2', 'b']), exact(['hello', '3']), exact(['hello', '3'], 1)];
  while (out.length < n) {
    const r = g.next();
    if (r < 0.03) pubsubEpisode(g, out);
    else if (r < 0.07) {
      // a transaction of RESP3-typed replies (EXEC's array holds maps, sets, doubles)
      out.push(exact(['multi']));
      for (let i = g.int(1, 4); i > 0; i--) {
        const s = resp3Command(g);
        if (s.argv[0] !== 'hello') out.push(s);
      }
      out.push(exact([g.chance(0.9) ? 'exec' : 'discard']));
    } else if (r < 0.5) out.push(resp3Command(g));
    else {
      const s = dataStep(g);
      const kind = s.kind ?? 'exact';
      if (kind === 'exact' || kind === 'block' || kind === 'short-expire') out.push(s);
    }
  }
  out.push(exact(['discard']), { conn: 0, argv: [], kind: 'dump' }, exact(['hello', '2']), exact(['hello', '2'], 1), exact(['select', '0']), exact(['select', '0'], 1));
  return out;
}

// ---------------------------------------------------------------- tracking

type Mode = 'default' | 'bcast' | 'prefix' | 'optin' | 'optout' | 'redirect3' | 'redirect2';

const TKEYS = ['user:1', 'user:2', 'obj:1', 'obj:2', 'k'];

/** Scripts track the keys they declare once they run any read (call() → trackingRememberKeys(caller)). */
function scriptRead(g: Gen, k: string): string[] {
  const other = g.pick(TKEYS);
  return g.pick([
    ['eval', `return redis.call('exists', '${other}')`, '2', k, g.pick(TKEYS)],
    ['eval_ro', `return redis.call('exists', KEYS[1])`, '1', k],
    ['eval_ro', 'return 1', '1', k],
    ['eval', `redis.call('set', '${other}', 'e') return 1`, '1', k],
  ]);
}

function read(g: Gen): string[] {
  const k = g.pick(TKEYS);
  if (g.chance(0.15)) return scriptRead(g, k);
  return g.pick([['get', k], ['mget', k, g.pick(TKEYS)], ['strlen', k], ['exists', k], ['type', k], ['ttl', k], ['getrange', k, '0', '1']]);
}

function write(g: Gen): string[] {
  const k = g.pick(TKEYS);
  return g.pick([['set', k, g.str()], ['del', k], ['incr', 'k'], ['append', k, 'x'], ['mset', k, '1', g.pick(TKEYS), '2'], ['expire', k, '100'], ['persist', k], ['rename', k, g.pick(TKEYS)], ['setrange', k, '1', 'zz'], ['getdel', k], ['eval', "return redis.call('del', KEYS[1])", '1', k]]);
}

/** One tracking episode: set the mode up, reads and writes, then tracking off (both connections back to RESP2). */
function trackingEpisode(g: Gen, out: Step[]): void {
  const mode = g.pick<Mode>(['default', 'bcast', 'prefix', 'optin', 'optout', 'redirect3', 'redirect2']);
  const noloop = g.chance(0.3) ? ['noloop'] : [];
  const resp3 = mode !== 'redirect2';
  if (resp3) out.push(exact(['hello', '3']));
  switch (mode) {
    case 'default':
      out.push(exact(['client', 'tracking', 'on', ...noloop]));
      break;
    case 'bcast':
      out.push(exact(['client', 'tracking', 'on', 'bcast', ...noloop]));
      break;
    case 'prefix':
      out.push(exact(['client', 'tracking', 'on', 'bcast', 'prefix', 'user:', ...(g.chance(0.5) ? ['prefix', 'obj'] : []), ...noloop]));
      out.push(exact(['client', 'tracking', 'on', 'bcast', 'prefix', 'us']));
      break;
    case 'optin':
    case 'optout':
      out.push(exact(['client', 'tracking', 'on', mode, ...noloop]));
      break;
    case 'redirect3':
      out.push(exact(['hello', '3'], 1), exact(['client', 'tracking', 'on', 'redirect', '{id:1}', ...noloop]));
      break;
    case 'redirect2':
      out.push(exact(['subscribe', '__redis__:invalidate'], 1), exact(['client', 'tracking', 'on', 'redirect', '{id:1}', ...noloop]));
      break;
  }
  out.push(exact(['client', 'trackinginfo']), exact(['client', 'getredir']));
  const writer = mode === 'redirect2' ? 0 : 1;
  for (let i = g.int(8, 20); i > 0; i--) {
    const r = g.next();
    if (r < 0.4) {
      if ((mode === 'optin' || mode === 'optout') && g.chance(0.5)) out.push(exact(['client', 'caching', mode === 'optin' ? 'yes' : 'no']));
      out.push(exact(read(g)));
    } else if (r < 0.8) out.push(exact(write(g), g.chance(0.7) ? writer : 0), pushes());
    else if (r < 0.86) {
      // an expiry, deleted by the active cycle or by the read after it on both sides
      const k = g.pick(TKEYS);
      out.push(exact(['set', k, 'soon', 'px', '150']), exact(['get', k]), { conn: 0, argv: ['400'], kind: 'sleep' }, exact(['exists', k], writer), pushes());
    } else if (r < 0.9) out.push(exact([g.pick(['flushdb', 'flushall'])], writer), pushes());
    else if (r < 0.93) out.push(exact(['swapdb', '0', '1'], writer), exact(['swapdb', '0', '1'], writer), pushes());
    else if (r < 0.96) out.push(exact(g.pick([['client', 'caching', 'yes'], ['client', 'caching', 'no'], ['client', 'caching', 'maybe'], ['client', 'trackinginfo']])));
    else out.push(exact(g.pick([['client', 'tracking', 'on', 'optin', 'optout'], ['client', 'tracking', 'on', 'prefix', 'x'], ['client', 'tracking', 'on', 'bcast', 'optin'], ['client', 'tracking', 'maybe'], ['client', 'tracking', 'on', 'redirect', '999999'], ['client', 'tracking', 'on', 'redirect', 'x'], ['client', 'tracking', 'on', 'bogus']])));
  }
  out.push(exact(['client', 'tracking', 'off']), exact(['client', 'trackinginfo']), pushes());
  if (mode === 'redirect2') out.push(exact(['unsubscribe'], 1));
  out.push(exact(['hello', '2']), exact(['hello', '2'], 1), pushes());
}

export function trackingSequence(seed: string, n: number): Step[] {
  const g = new Gen(`${seed}/tracking`, TKEYS);
  // (CLIENT ID first: the runner learns both connections' ids before any is subscribed)
  const out: Step[] = [exact(['client', 'id']), exact(['flushall'])];
  while (out.length < n) trackingEpisode(g, out);
  return out;
}
