// Blocking XREAD / XREADGROUP on a simulated server (blocked.c serveClientsBlockedOnStreamKey and
// unblockDeletedStreamReadgroupClients of Redis 7.0.15): who is served by which write, and the errors.
import { describe, expect, it } from 'vitest';
import { ReplWorld } from '../replication/world.ts';
import { respToJs } from '../../../engine/net/resp.ts';

function world() {
  const w = new ReplWorld();
  const n = w.server('m', '10.0.0.1', 7001);
  w.start('m');
  w.run(100);
  return { w, c: w.client(n), a: w.client(n), b: w.client(n) };
}

const take = (cli: { take(n: number, t?: string): unknown[] }, t = '1s') => cli.take(1, t).map((r) => respToJs(r as never));

describe('XREAD BLOCK', () => {
  it('is served by the next XADD with the new entries only ($ = the last ID at block time)', () => {
    const { w, c, a } = world();
    c.q('xadd', 's', '1', 'f', 'old');
    a.send('xread', 'BLOCK', '0', 'STREAMS', 's', '$');
    w.run(10);
    c.q('xadd', 's', '2', 'f', 'new');
    expect(take(a)).toEqual([[['s', [['2-0', ['f', 'new']]]]]]);
  });

  it('stays blocked through writes that do not add entries, then times out with a null array', () => {
    const { w, c, a } = world();
    c.q('xadd', 's', '5', 'f', 'v');
    a.send('xread', 'BLOCK', '200', 'STREAMS', 's', '5');
    w.run(10);
    c.q('xsetid', 's', '9-0');
    c.q('xgroup', 'create', 's', 'g', '0');
    c.q('xdel', 's', '5');
    w.run(50);
    expect(a.take(0)).toEqual([]);
    expect(take(a)).toEqual([null]);
  });

  it('is not allowed to block in MULTI: a null array at once', () => {
    const { c } = world();
    c.q('multi');
    c.q('xread', 'BLOCK', '0', 'STREAMS', 's', '$');
    expect(c.q('exec')).toEqual([null]);
  });

  it('a key deleted and re-created by XADD serves XREAD', () => {
    const { w, c, a } = world();
    c.q('xadd', 's', '3', 'f', 'v');
    a.send('xread', 'BLOCK', '0', 'STREAMS', 's', '3');
    w.run(10);
    c.q('del', 's');
    w.run(10);
    expect(a.take(0)).toEqual([]);
    c.q('xadd', 's', '4', 'f', 'w');
    expect(take(a)).toEqual([[['s', [['4-0', ['f', 'w']]]]]]);
  });
});

describe('XREADGROUP BLOCK', () => {
  it('one XADD serves the first blocked consumer; the next waits for more', () => {
    const { w, c, a, b } = world();
    c.q('xgroup', 'create', 's', 'g', '$', 'MKSTREAM');
    a.send('xreadgroup', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    w.run(10); // alice blocks first
    b.send('xreadgroup', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>');
    w.run(10);
    c.q('xadd', 's', '1', 'f', 'v');
    expect(take(a)).toEqual([[['s', [['1-0', ['f', 'v']]]]]]);
    w.run(10);
    expect(b.take(0)).toEqual([]);
    c.q('xadd', 's', '2', 'f', 'v');
    expect(take(b)).toEqual([[['s', [['2-0', ['f', 'v']]]]]]);
    expect(c.q('xpending', 's', 'g')).toEqual([2, '1-0', '2-0', [['alice', '1'], ['bob', '1']]]);
  });

  it('XGROUP DESTROY unblocks with -NOGROUP, DEL with -UNBLOCKED', () => {
    const { w, c, a, b } = world();
    c.q('xgroup', 'create', 's', 'g', '$', 'MKSTREAM');
    c.q('xgroup', 'create', 't', 'g', '$', 'MKSTREAM');
    a.send('xreadgroup', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    b.send('xreadgroup', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 't', '>');
    w.run(10);
    c.q('config', 'resetstat');
    c.q('xgroup', 'destroy', 's', 'g');
    expect(a.take(1)).toEqual([{ t: 'error', v: 'NOGROUP the consumer group this client was blocked on no longer exists' }]);
    const stats = String(c.q('info', 'commandstats')) + String(c.q('info', 'errorstats'));
    // the blocked call counts where it was made (before the reset); unblocking with an error: a failed call
    expect(stats).toMatch(/cmdstat_xreadgroup:calls=0,.*,rejected_calls=0,failed_calls=1/);
    expect(stats).toContain('errorstat_NOGROUP:count=1');
    c.q('del', 't');
    expect(b.take(1)).toEqual([{ t: 'error', v: 'UNBLOCKED the stream key no longer exists' }]);
  });

  it('FLUSHALL, and SWAPDB with a db where the key is not a stream, unblock with -UNBLOCKED (scanDatabaseForDeletedStreams)', () => {
    const { w, c, a, b } = world();
    c.q('xgroup', 'create', 's', 'g', '$', 'MKSTREAM');
    a.send('xreadgroup', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    w.run(10);
    c.q('flushall');
    expect(a.take(1)).toEqual([{ t: 'error', v: 'UNBLOCKED the stream key no longer exists' }]);
    c.q('xgroup', 'create', 's', 'g', '$', 'MKSTREAM');
    c.q('select', '4');
    c.q('lpush', 's', 'x');
    c.q('select', '0');
    b.send('xreadgroup', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>');
    w.run(10);
    c.q('swapdb', '0', '4');
    expect(b.take(1)).toEqual([{ t: 'error', v: 'UNBLOCKED the stream key no longer exists' }]);
  });

  it('refuses BLOCK from a script', () => {
    const { c } = world();
    c.q('xgroup', 'create', 's', 'g', '$', 'MKSTREAM');
    const r = c.cmd('eval', "return redis.pcall('xread', 'BLOCK', '0', 'STREAMS', 's', '$')", '0');
    expect(r).toEqual({ t: 'error', v: 'ERR xread command is not allowed with BLOCK option from scripts' });
  });
});
