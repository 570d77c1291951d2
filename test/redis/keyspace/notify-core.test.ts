// Keyspace notifications (notify.c): the events and their order for each group of commands, as
// redis-server 7.0.15 publishes them with notify-keyspace-events KEA (recorded from it with the same
// commands), plus "new" (n) and the masks.
import { describe, expect, it } from 'vitest';
import { js, world } from '../server/client.ts';

/** What a PSUBSCRIBE * client received, as "K db key event" / "E db event key". */
function events(flags: string, cmds: string[][]): string[] {
  const w = world({ seed: 'notify-events' });
  const c = w.client();
  const s = w.client();
  c.cmd('CONFIG', 'SET', 'notify-keyspace-events', flags);
  s.cmd('PSUBSCRIBE', '*');
  for (const cmd of cmds) {
    if (cmd[0] === 'SLEEP') w.sim.run({ forMs: Number(cmd[1]) * 1000 });
    else c.cmd(...cmd);
  }
  w.sim.run({ forMs: 200 });
  return s.inbox.map((r) => {
    const [, , ch, msg] = js(r) as string[];
    const m = /^__key(space|event)@(\d+)__:(.*)$/s.exec(ch!)!;
    return `${m[1] === 'space' ? 'K' : 'E'} ${m[2]} ${m[3]} ${msg}`;
  });
}

describe('keyspace notifications', () => {
  const cases: [string, string[][], string[]][] = [
    [
      "string",
      [["SET", "s", "1"], ["SET", "s", "2", "EX", "100"], ["INCR", "s"], ["INCRBYFLOAT", "s", "1.5"], ["APPEND", "s", "x"], ["SETRANGE", "s", "0", "y"], ["GETEX", "s", "PERSIST"], ["GETDEL", "s"], ["MSET", "a", "1", "b", "2"], ["GETSET", "a", "3"]],
      ["K 0 s set", "E 0 set s", "K 0 s set", "E 0 set s", "K 0 s expire", "E 0 expire s", "K 0 s incrby", "E 0 incrby s", "K 0 s incrbyfloat", "E 0 incrbyfloat s", "K 0 s append", "E 0 append s", "K 0 s setrange", "E 0 setrange s", "K 0 s persist", "E 0 persist s", "K 0 s del", "E 0 del s", "K 0 a set", "E 0 set a", "K 0 b set", "E 0 set b", "K 0 a set", "E 0 set a"],
    ],
    [
      "generic",
      [["SET", "k", "v"], ["EXPIRE", "k", "100"], ["PERSIST", "k"], ["RENAME", "k", "k2"], ["COPY", "k2", "k3"], ["MOVE", "k3", "1"], ["DEL", "k2"], ["SET", "x", "1"], ["PEXPIRE", "x", "0"]],
      ["K 0 k set", "E 0 set k", "K 0 k expire", "E 0 expire k", "K 0 k persist", "E 0 persist k", "K 0 k rename_from", "E 0 rename_from k", "K 0 k2 rename_to", "E 0 rename_to k2", "K 0 k3 copy_to", "E 0 copy_to k3", "K 0 k3 move_from", "E 0 move_from k3", "K 1 k3 move_to", "E 1 move_to k3", "K 0 k2 del", "E 0 del k2", "K 0 x set", "E 0 set x", "K 0 x del", "E 0 del x"],
    ],
    [
      "list",
      [["RPUSH", "l", "a", "b", "c"], ["LPUSH", "l", "z"], ["LSET", "l", "0", "q"], ["LINSERT", "l", "BEFORE", "a", "p"], ["LREM", "l", "1", "p"], ["LTRIM", "l", "0", "2"], ["LMOVE", "l", "l2", "LEFT", "RIGHT"], ["RPOP", "l", "5"], ["LPOP", "l2"]],
      ["K 0 l rpush", "E 0 rpush l", "K 0 l lpush", "E 0 lpush l", "K 0 l lset", "E 0 lset l", "K 0 l linsert", "E 0 linsert l", "K 0 l lrem", "E 0 lrem l", "K 0 l ltrim", "E 0 ltrim l", "K 0 l2 rpush", "E 0 rpush l2", "K 0 l lpop", "E 0 lpop l", "K 0 l rpop", "E 0 rpop l", "K 0 l del", "E 0 del l", "K 0 l2 lpop", "E 0 lpop l2", "K 0 l2 del", "E 0 del l2"],
    ],
    [
      "hash",
      [["HSET", "h", "a", "1", "b", "2"], ["HSETNX", "h", "a", "x"], ["HINCRBY", "h", "a", "2"], ["HINCRBYFLOAT", "h", "b", "0.5"], ["HDEL", "h", "a", "b"]],
      ["K 0 h hset", "E 0 hset h", "K 0 h hincrby", "E 0 hincrby h", "K 0 h hincrbyfloat", "E 0 hincrbyfloat h", "K 0 h hdel", "E 0 hdel h", "K 0 h del", "E 0 del h"],
    ],
    [
      "set",
      [["SADD", "s", "a", "b", "c"], ["SADD", "s", "a"], ["SREM", "s", "x"], ["SREM", "s", "a"], ["SMOVE", "s", "t", "b"], ["SINTERSTORE", "u", "s", "t"], ["SUNIONSTORE", "u", "s", "t"], ["SPOP", "s"], ["SPOP", "t", "5"]],
      ["K 0 s sadd", "E 0 sadd s", "K 0 s srem", "E 0 srem s", "K 0 s srem", "E 0 srem s", "K 0 t sadd", "E 0 sadd t", "K 0 u sunionstore", "E 0 sunionstore u", "K 0 s spop", "E 0 spop s", "K 0 s del", "E 0 del s", "K 0 t spop", "E 0 spop t", "K 0 t del", "E 0 del t"],
    ],
    [
      "zset",
      [["ZADD", "z", "1", "a", "2", "b", "3", "c"], ["ZADD", "z", "1", "a"], ["ZINCRBY", "z", "5", "a"], ["ZREM", "z", "x"], ["ZREM", "z", "b"], ["ZUNIONSTORE", "u", "1", "z"], ["ZRANGESTORE", "r", "z", "0", "0"], ["ZREMRANGEBYSCORE", "u", "0", "3"], ["ZPOPMIN", "z"], ["ZPOPMAX", "z", "5"], ["ZINTERSTORE", "r", "2", "z", "u"]],
      ["K 0 z zadd", "E 0 zadd z", "K 0 z zincr", "E 0 zincr z", "K 0 z zrem", "E 0 zrem z", "K 0 u zunionstore", "E 0 zunionstore u", "K 0 r zrangestore", "E 0 zrangestore r", "K 0 u zremrangebyscore", "E 0 zremrangebyscore u", "K 0 z zpopmin", "E 0 zpopmin z", "K 0 z zpopmax", "E 0 zpopmax z", "K 0 z del", "E 0 del z", "K 0 r del", "E 0 del r"],
    ],
    [
      "expired",
      [["SET", "e", "1", "PX", "50"], ["SLEEP", "0.2"], ["GET", "e"]],
      ["K 0 e set", "E 0 set e", "K 0 e expire", "E 0 expire e", "K 0 e expired", "E 0 expired e"],
    ],
  ];
  it.each(cases)('%s commands (KEA) as redis-server 7.0.15', (_what, cmds, want) => {
    expect(events('KEA', cmds)).toEqual(want);
  });

  // [flags, commands, events]: the Tcl pubsub unit's "new key" and masking cases
  const masks: [string, string[][], string[]][] = [
    ['En', [['SET', 'foo', 'bar'], ['SET', 'foo', 'baz'], ['SET', 'bar', 'bar']], ['E 0 new foo', 'E 0 new bar']],
    ['KEl', [['SET', 'foo', 'bar'], ['LPUSH', 'mylist', 'a']], ['K 0 mylist lpush', 'E 0 lpush mylist']],
    ['Ks', [['SADD', 'myset', 'a', 'b'], ['SREM', 'myset', 'x'], ['SADD', 'myset', 'x'], ['SREM', 'myset', 'x']], ['K 0 myset sadd', 'K 0 myset sadd', 'K 0 myset srem']],
    ['Ex', [['PSETEX', 'foo', '100', '1'], ['SLEEP', '0.3']], ['E 0 expired foo']],
  ];
  it.each(masks)('flags %s', (flags, cmds, want) => {
    expect(events(flags, cmds)).toEqual(want);
  });
});
