// The ACL group of the differential test (issue 16 item 4): users made and changed with random
// SETUSER rules (passwords, key patterns with %R~/%W~, channels, commands, categories, first-args,
// selectors, bad rules), connection 1 authenticated as one of them running data commands (replies
// or -NOPERM), MULTI/EXEC and scripts under that user, AUTH failures, and ACL GETUSER / LIST /
// USERS / WHOAMI / DRYRUN / CAT / LOG on connection 0. Ends with connection 1 back on the default
// user and the users deleted, so later groups start clean. (No HELLO / CLIENT here: the runner maps
// client ids with CLIENT ID on both connections, which a limited user or an open MULTI would break.)
import { Gen, type Step } from './gen-base.ts';

const exact = (argv: string[], conn = 0): Step => ({ conn, argv });

const USERS = ['u1', 'u2', 'u3'];
const KEYS = ['k1', 'k2', 'kx', 'other', 'r1', 'w1'];
const CHANNELS = ['news', 'news.1', 'chat', 'x'];

function rule(g: Gen): string {
  switch (g.int(0, 22)) {
    case 0:
      return g.pick(['on', 'off']);
    case 1:
      return `>${g.pick(['pw1', 'pw2'])}`;
    case 2:
      return `<${g.pick(['pw1', 'pw2', 'nosuch'])}`;
    case 3:
      return g.pick(['nopass', 'resetpass']);
    case 4:
      return `~${g.pick(['k*', 'k1', 'other', '*', 'r?'])}`;
    case 5:
      return `%${g.pick(['R', 'W', 'RW', 'WR', 'RR', 'X'])}~${g.pick(['r*', 'w*', 'k*'])}`;
    case 6:
      return g.pick(['allkeys', 'resetkeys']);
    case 7:
      return `&${g.pick(['news*', 'chat', '*', 'x'])}`;
    case 8:
      return g.pick(['allchannels', 'resetchannels']);
    case 9:
    case 10:
      return `${g.pick(['+', '-'])}${g.pick(['get', 'set', 'incr', 'del', 'lpush', 'lrange', 'hset', 'hget', 'publish', 'config', 'config|get', 'client|id', 'multi', 'exec', 'eval', 'ping', 'acl', 'acl|whoami', 'mget', 'copy', 'nosuchcmd'])}`;
    case 11:
    case 12:
      return `${g.pick(['+', '-'])}@${g.pick(['read', 'write', 'string', 'list', 'hash', 'keyspace', 'fast', 'slow', 'dangerous', 'admin', 'pubsub', 'connection', 'transaction', 'scripting', 'all', 'nosuch'])}`;
    case 13:
      return g.pick(['allcommands', 'nocommands']);
    case 14:
      return g.pick(['+select|0', '+config|get|x', '+client|', '-select|0']);
    case 15:
      return `(${g.pick(['~k1 +set', '%R~r* +@read', '~* +lpush', '+get ~other'])})`;
    case 16:
      return 'clearselectors';
    case 17:
      return g.pick(['reset', 'sanitize-payload', 'skip-sanitize-payload']);
    case 18:
      return `#${g.pick(['0'.repeat(64), 'abc', 'A'.repeat(64)])}`;
    case 19:
      return g.pick(['~a b', 'bogus', '']);
    default:
      return g.pick(['+@all', '~*', '&*', 'on']);
  }
}

function setuser(g: Gen, name: string): Step {
  const rules: string[] = [];
  for (let i = g.int(1, 5); i > 0; i--) rules.push(rule(g));
  return exact(['acl', 'setuser', name, ...rules]);
}

/** A command connection 1 runs as its user. */
function limited(g: Gen): Step {
  const k = g.pick(KEYS);
  return exact(
    g.pick([
      ['get', k], ['set', k, 'v'], ['incr', k], ['del', k, g.pick(KEYS)], ['lpush', k, 'a'], ['lrange', k, '0', '-1'],
      ['hset', k, 'f', 'v'], ['hget', k, 'f'], ['mget', k, g.pick(KEYS)], ['copy', k, g.pick(KEYS)],
      ['publish', g.pick(CHANNELS), 'm'], ['config', 'get', 'maxmemory'], ['echo', 'hi'], ['ping'], ['select', '0'], ['select', '1'],
      ['acl', 'whoami'], ['exists', k], ['eval', "return redis.call('get', KEYS[1])", '1', k],
      ['eval', "return redis.pcall('set', KEYS[1], 'x')", '1', k], ['eval', "return redis.acl_check_cmd('incr', KEYS[1])", '1', k],
    ]),
    1,
  );
}

function admin(g: Gen): Step {
  const u = g.pick([...USERS, 'nosuch', 'default']);
  switch (g.int(0, 9)) {
    case 0:
      return exact(['acl', 'getuser', u]);
    case 1:
      return exact(['acl', 'list']);
    case 2:
      return exact(['acl', 'users']);
    case 3:
    case 4: {
      const s = limited(g);
      return exact(['acl', 'dryrun', u, ...s.argv]);
    }
    case 5:
      return exact(['acl', 'cat', ...(g.chance(0.5) ? [] : [g.pick(['string', 'pubsub', 'dangerous', 'transaction', 'nosuch', 'READ'])])]);
    case 6:
      return exact(['acl', 'log', ...(g.chance(0.7) ? [] : [g.pick(['2', '0', '-1', 'x'])])]);
    case 7:
      return exact(g.pick([['acl', 'whoami'], ['acl', 'genpass', g.pick(['x', '0', '5000'])], ['acl', 'load'], ['acl', 'save'], ['acl', 'deluser', 'default'], ['acl', 'setuser', 'a b']]));
    default:
      return exact(['acl', 'deluser', 'tmp', g.pick(['nosuch', 'tmp'])]);
  }
}

export function aclSequence(seed: string, n: number): Step[] {
  const g = new Gen(`${seed}/acl`, KEYS);
  const out: Step[] = [exact(['flushall']), exact(['acl', 'log', 'reset'])];
  for (const u of USERS) out.push(exact(['acl', 'setuser', u, 'reset', 'on', '>pw1', '~k*', '&news*', '+@read', '+set', '+publish', '+multi', '+exec', '+eval', '+ping']));
  while (out.length < n - 8) {
    const r = g.next();
    if (r < 0.2) out.push(setuser(g, g.pick([...USERS, 'tmp'])));
    else if (r < 0.3) {
      const u = g.pick(USERS);
      const pass = g.pick(['pw1', 'pw2', 'bad']);
      out.push(exact(['auth', u, pass], 1));
    } else if (r < 0.55) out.push(limited(g));
    else if (r < 0.62) {
      out.push(exact(['multi'], 1));
      for (let i = g.int(1, 3); i > 0; i--) out.push(limited(g));
      if (g.chance(0.3)) out.push(setuser(g, g.pick(USERS)));
      out.push(exact([g.chance(0.9) ? 'exec' : 'discard'], 1));
    } else out.push(admin(g));
  }
  // back to the default user on connection 1, users gone
  out.push(exact(['auth', 'default', 'any'], 1), exact(['select', '0'], 1), exact(['acl', 'deluser', ...USERS, 'tmp']), exact(['acl', 'log', 'reset']), exact(['acl', 'users']));
  return out;
}
