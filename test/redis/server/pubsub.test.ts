import { describe, expect, it } from 'vitest';
import { js, world } from './client.ts';

describe('pub/sub', () => {
  it('SUBSCRIBE / PSUBSCRIBE replies, delivery in publish order, PUBLISH counts receivers', () => {
    const w = world();
    const sub = w.client();
    const psub = w.client();
    const pub = w.client();
    sub.send('subscribe', 'news', 'sport');
    expect(sub.take(2).map(js)).toEqual([
      ['subscribe', 'news', 1],
      ['subscribe', 'sport', 2],
    ]);
    psub.send('psubscribe', 'n*', 'x?z');
    expect(psub.take(2).map(js)).toEqual([
      ['psubscribe', 'n*', 1],
      ['psubscribe', 'x?z', 2],
    ]);
    expect(js(pub.cmd('publish', 'news', 'm1'))).toBe(2);
    expect(js(pub.cmd('publish', 'sport', 'm2'))).toBe(1);
    expect(js(pub.cmd('publish', 'xyz', 'm3'))).toBe(1);
    expect(js(pub.cmd('publish', 'nobody', 'm4'))).toBe(1);
    expect(js(pub.cmd('publish', 'empty', 'm5'))).toBe(0);
    expect(sub.take(2).map(js)).toEqual([
      ['message', 'news', 'm1'],
      ['message', 'sport', 'm2'],
    ]);
    expect(psub.take(3).map(js)).toEqual([
      ['pmessage', 'n*', 'news', 'm1'],
      ['pmessage', 'x?z', 'xyz', 'm3'],
      ['pmessage', 'n*', 'nobody', 'm4'],
    ]);
    // a pipeline of publishes arrives in order
    for (let i = 0; i < 10; i++) pub.send('publish', 'news', `n${i}`);
    pub.take(10);
    expect(sub.take(10).map((r) => (js(r) as string[])[2])).toEqual(Array.from({ length: 10 }, (_, i) => `n${i}`));
  });

  it('PUBSUB CHANNELS / NUMSUB / NUMPAT', () => {
    const w = world();
    const a = w.client();
    const b = w.client();
    const q = w.client();
    a.send('subscribe', 'c1', 'c2');
    a.take(2);
    b.send('subscribe', 'c1');
    b.take(1);
    b.send('psubscribe', 'p*');
    b.take(1);
    expect((js(q.cmd('pubsub', 'channels')) as string[]).sort()).toEqual(['c1', 'c2']);
    expect(js(q.cmd('pubsub', 'channels', '*2'))).toEqual(['c2']);
    expect(js(q.cmd('pubsub', 'numsub', 'c1', 'c2', 'c3'))).toEqual(['c1', 2, 'c2', 1, 'c3', 0]);
    expect(js(q.cmd('pubsub', 'numpat'))).toBe(1);
    expect(js(q.cmd('pubsub', 'channels', 'a', 'b'))).toEqual({
      err: "ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP.",
    });
  });

  it('UNSUBSCRIBE: per channel, all, and with nothing subscribed; PING and RESET in subscribed mode', () => {
    const w = world();
    const c = w.client();
    c.send('unsubscribe');
    expect(c.take(1).map(js)).toEqual([['unsubscribe', null, 0]]);
    c.send('punsubscribe');
    expect(c.take(1).map(js)).toEqual([['punsubscribe', null, 0]]);
    c.send('subscribe', 'a', 'b', 'c');
    c.take(3);
    expect(js(c.cmd('ping'))).toEqual(['pong', '']);
    expect(js(c.cmd('ping', 'x'))).toEqual(['pong', 'x']);
    c.send('unsubscribe', 'b');
    expect(c.take(1).map(js)).toEqual([['unsubscribe', 'b', 2]]);
    c.send('unsubscribe');
    expect(c.take(2).map(js)).toEqual([
      ['unsubscribe', 'a', 1],
      ['unsubscribe', 'c', 0],
    ]);
    // out of subscribed mode: normal commands again
    expect(js(c.cmd('ping'))).toBe('PONG');
    c.send('psubscribe', 'x*');
    c.take(1);
    expect(js(c.cmd('reset'))).toBe('RESET');
    expect(js(c.cmd('pubsub', 'numpat'))).toBe(0);
  });

  it('PUBLISH is propagated to replicas only (never the AOF)', () => {
    const w = world();
    const out: string[] = [];
    w.server().onPropagate((db, argv, t) => out.push(`${argv.join(' ')} aof=${t.aof} repl=${t.repl}`));
    w.client().cmd('publish', 'ch', 'hello');
    expect(out).toEqual(['publish ch hello aof=false repl=true']);
  });

  it('a disconnected subscriber is forgotten', () => {
    const w = world();
    const s = w.client();
    s.send('subscribe', 'c');
    s.take(1);
    s.close();
    w.sim.sleep(10);
    expect(js(w.client().cmd('publish', 'c', 'x'))).toBe(0);
  });
});
