// Configuration propagation through hellos (sentinel.md §11.2, sentinelProcessHelloMessage): the greater
// config epoch wins whatever the arrival order; a different port alone or a different host alone is a
// switch; the current epoch only moves up. Plus the hello's publish bookkeeping (sentinelSendHello).
import { describe, expect, it } from 'vitest';
import { arr, bulk, err, int } from '../../../engine/net/resp.ts';
import { forceHelloUpdateForMaster, processHelloMessage, receiveHelloMessages, sendHello } from '../../../engine/sentinel/hello.ts';
import { unitWorld } from '../unit.ts';

const id = (c: string) => c.repeat(40);
const hello = (runid: string, ip: string, epoch: number, mip: string, mport: number, cepoch: number) =>
  `${ip},26379,${runid},${epoch},mymaster,${mip},${mport},${cepoch}`;

describe('the greater config epoch wins', () => {
  it('epoch 5 then epoch 4 from another Sentinel: the epoch-5 address stays', () => {
    const w = unitWorld();
    const m = w.master();
    processHelloMessage(w.S, hello(id('b'), '10.0.0.20', 5, '10.0.0.5', 6379, 5));
    expect(m.addr).toEqual({ ip: '10.0.0.5', port: 6379 });
    processHelloMessage(w.S, hello(id('c'), '10.0.0.21', 5, '10.0.0.4', 6379, 4));
    expect(m.addr).toEqual({ ip: '10.0.0.5', port: 6379 });
    expect(m.configEpoch).toBe(5);
    expect(w.events().filter((e) => e.startsWith('+switch-master'))).toEqual(['+switch-master mymaster 10.0.0.1 6379 10.0.0.5 6379']);
  });

  it('epoch 4 then epoch 5: both adopted in turn', () => {
    const w = unitWorld();
    const m = w.master();
    processHelloMessage(w.S, hello(id('c'), '10.0.0.21', 4, '10.0.0.4', 6379, 4));
    processHelloMessage(w.S, hello(id('b'), '10.0.0.20', 5, '10.0.0.5', 6379, 5));
    expect(m.addr).toEqual({ ip: '10.0.0.5', port: 6379 });
    expect(w.events().filter((e) => e.startsWith('+switch-master'))).toEqual([
      '+switch-master mymaster 10.0.0.1 6379 10.0.0.4 6379',
      '+switch-master mymaster 10.0.0.4 6379 10.0.0.5 6379',
    ]);
    expect(w.events().filter((e) => e.startsWith('+new-epoch'))).toEqual(['+new-epoch 4', '+new-epoch 5']);
  });

  it('a different port alone, or a different host alone, switches', () => {
    const w = unitWorld();
    const m = w.master();
    processHelloMessage(w.S, hello(id('b'), '10.0.0.20', 1, '10.0.0.1', 6380, 1));
    expect(m.addr).toEqual({ ip: '10.0.0.1', port: 6380 });
    processHelloMessage(w.S, hello(id('b'), '10.0.0.20', 2, '10.0.0.7', 6380, 2));
    expect(m.addr).toEqual({ ip: '10.0.0.7', port: 6380 });
    expect(w.events().filter((e) => e.startsWith('+config-update-from'))).toHaveLength(2);
  });

  it('an equal config epoch does not switch; the current epoch never goes down', () => {
    const w = unitWorld();
    const m = w.master();
    m.configEpoch = 3;
    w.S.currentEpoch = 9;
    processHelloMessage(w.S, hello(id('b'), '10.0.0.20', 9, '10.0.0.5', 6379, 3));
    processHelloMessage(w.S, hello(id('b'), '10.0.0.20', 2, '10.0.0.5', 6379, 3));
    expect(m.addr.ip).toBe('10.0.0.1');
    expect(w.S.currentEpoch).toBe(9);
    expect(w.events().filter((e) => e.startsWith('+new-epoch'))).toEqual([]);
  });

  it('the hello time is refreshed on every hello of a known Sentinel', () => {
    const w = unitWorld();
    const m = w.master();
    processHelloMessage(w.S, hello(id('b'), '10.0.0.20', 0, '10.0.0.1', 6379, 0));
    w.tick(1234);
    processHelloMessage(w.S, hello(id('b'), '10.0.0.20', 0, '10.0.0.1', 6379, 0));
    expect(m.sentinels.get(id('b'))!.lastHelloTime).toBe(w.clock.now);
  });
});

describe('receiving and publishing', () => {
  it('a hello is taken only as [message, channel, payload] of three bulk strings', () => {
    const w = unitWorld();
    const m = w.master();
    const ok = hello(id('b'), '10.0.0.20', 0, '10.0.0.1', 6379, 0);
    receiveHelloMessages(w.S, m, arr([bulk('message'), int(1), bulk(ok)]));
    receiveHelloMessages(w.S, m, arr([bulk('pmessage'), bulk('__sentinel__:hello'), bulk(ok)]));
    receiveHelloMessages(w.S, m, arr([bulk('message'), bulk('__sentinel__:hello')]));
    receiveHelloMessages(w.S, m, bulk(ok));
    expect(m.sentinels.size).toBe(0);
    receiveHelloMessages(w.S, m, arr([bulk('message'), bulk('__sentinel__:hello'), bulk(ok)]));
    expect(m.sentinels.size).toBe(1);
  });

  it('sendHello publishes on the command link; an error reply leaves last_pub_time for a retry', () => {
    const w = unitWorld();
    const m = w.master();
    expect(sendHello(w.S, m)).toBe(false); // disconnected
    const calls: { argv: string[]; fn: (ri: unknown, r: unknown, l: unknown) => void }[] = [];
    m.link.disconnected = false;
    m.link.cc = {
      localIp: () => '10.0.0.100',
      command: (_ri: unknown, argv: string[], _k: string, fn: never) => (calls.push({ argv, fn }), true),
    } as never;
    const before = m.lastPubTime;
    expect(sendHello(w.S, m)).toBe(true);
    expect(m.link.pendingCommands).toBe(1);
    expect(calls[0]!.argv).toEqual(['PUBLISH', '__sentinel__:hello', `10.0.0.100,26379,${id('a')},0,mymaster,10.0.0.1,6379,0`]);
    w.tick(10);
    calls[0]!.fn(m, err('ERR no'), m.link);
    expect(m.lastPubTime).toBe(before);
    calls[0]!.fn(m, int(1), m.link);
    expect(m.lastPubTime).toBe(w.clock.now);
    m.link.cc = { localIp: () => 'x', command: () => false } as never;
    expect(sendHello(w.S, m)).toBe(false);
    expect(m.link.pendingCommands).toBe(1);
  });

  it('a forced hello leaves a last_pub_time below publish-period + 1 alone, and ignores replicas as the argument', () => {
    const w = unitWorld();
    const m = w.master();
    const r = w.replica(m, '10.0.0.2', 6379);
    const s = w.sentinel(m, id('b'), '10.0.0.20', 26379);
    m.lastPubTime = 2001;
    s.lastPubTime = 2000;
    r.lastPubTime = 5000;
    forceHelloUpdateForMaster(w.S, r);
    expect([m.lastPubTime, s.lastPubTime, r.lastPubTime]).toEqual([2001, 2000, 5000]);
    forceHelloUpdateForMaster(w.S, m);
    expect([m.lastPubTime, s.lastPubTime, r.lastPubTime]).toEqual([0, 2000, 2999]);
  });
});
