// Hello messages (sentinel.md §11): payload, discovery of Sentinels, epochs and configuration updates.
import { describe, expect, it } from 'vitest';
import { arr, bulk, int } from '../../engine/net/resp.ts';
import { forceHelloUpdateForMaster, helloPayload, processHelloMessage, receiveHelloMessages } from '../../engine/sentinel/hello.ts';
import { FailoverState, SRI_FAILOVER_IN_PROGRESS, SRI_S_DOWN } from '../../engine/sentinel/instance.ts';
import { unitWorld } from './unit.ts';

const id = (c: string) => c.repeat(40);
const hello = (ip: string, port: number, runid: string, epoch: number, name: string, mip: string, mport: number, cepoch: number) =>
  `${ip},${port},${runid},${epoch},${name},${mip},${mport},${cepoch}`;

describe('hello', () => {
  it('has the eight fields, with the promoted replica once the failover reached reconf-slaves', () => {
    const w = unitWorld();
    const m = w.master();
    const r = w.replica(m, '10.0.0.2', 6379);
    w.S.currentEpoch = 7;
    m.configEpoch = 3;
    expect(helloPayload(w.S, m, '10.0.0.100')).toBe(`10.0.0.100,26379,${id('a')},7,mymaster,10.0.0.1,6379,3`);
    m.flags |= SRI_FAILOVER_IN_PROGRESS;
    m.promotedSlave = r;
    m.failoverState = FailoverState.WAIT_PROMOTION;
    expect(helloPayload(w.S, r, '10.0.0.100')).toContain(',mymaster,10.0.0.1,6379,3');
    m.failoverState = FailoverState.RECONF_SLAVES;
    expect(helloPayload(w.S, r, '10.0.0.100')).toContain(',mymaster,10.0.0.2,6379,3');
    w.S.announceIp = '1.2.3.4';
    w.S.announcePort = 5555;
    expect(helloPayload(w.S, m, '10.0.0.100')).toMatch(/^1\.2\.3\.4,5555,/);
  });

  it('discovers a new Sentinel (+sentinel, flushed) and refreshes it afterwards', () => {
    const w = unitWorld();
    const m = w.master();
    processHelloMessage(w.S, hello('10.0.0.20', 26379, id('b'), 0, 'mymaster', '10.0.0.1', 6379, 0));
    expect(w.events()).toEqual([`+sentinel sentinel ${id('b')} 10.0.0.20 26379 @ mymaster 10.0.0.1 6379`]);
    expect(w.disk.read<string>('/etc/sentinel.conf')).toContain(`sentinel known-sentinel mymaster 10.0.0.20 26379 ${id('b')}`);
    w.tick(500);
    processHelloMessage(w.S, hello('10.0.0.20', 26379, id('b'), 0, 'mymaster', '10.0.0.1', 6379, 0));
    expect(w.events()).toHaveLength(1);
    expect(m.sentinels.get(id('b'))!.lastHelloTime).toBe(w.clock.now);
  });

  it('a known runid at a new address: +sentinel-address-switch', () => {
    const w = unitWorld();
    const m = w.master();
    w.sentinel(m, id('b'), '10.0.0.20', 26379);
    processHelloMessage(w.S, hello('10.0.0.21', 26380, id('b'), 0, 'mymaster', '10.0.0.1', 6379, 0));
    expect(w.events()).toEqual([`+sentinel-address-switch master mymaster 10.0.0.1 6379 ip 10.0.0.21 port 26380 for ${id('b')}`]);
    expect(m.sentinels.get(id('b'))!.addr).toEqual({ ip: '10.0.0.21', port: 26380 });
  });

  it('another runid at a known address: +sentinel-invalid-addr, removed from every master', () => {
    const w = unitWorld();
    const m = w.master();
    const m2 = w.master('other', '10.0.0.5', 6379);
    w.sentinel(m, id('c'), '10.0.0.20', 26379);
    w.sentinel(m2, id('c'), '10.0.0.20', 26379);
    processHelloMessage(w.S, hello('10.0.0.20', 26379, id('b'), 0, 'mymaster', '10.0.0.1', 6379, 0));
    expect(w.events()).toEqual([
      `+sentinel-invalid-addr sentinel ${id('c')} 10.0.0.20 26379 @ mymaster 10.0.0.1 6379`,
      `+sentinel sentinel ${id('b')} 10.0.0.20 26379 @ mymaster 10.0.0.1 6379`,
    ]);
    expect([...m.sentinels.keys()]).toEqual([id('b')]);
    expect(m2.sentinels.size).toBe(0);
  });

  it('a greater current epoch is adopted (+new-epoch); a greater config epoch with another address switches', () => {
    const w = unitWorld();
    const m = w.master();
    w.replica(m, '10.0.0.2', 6379);
    w.replica(m, '10.0.0.3', 6379);
    m.flags |= SRI_S_DOWN;
    m.configEpoch = 1;
    processHelloMessage(w.S, hello('10.0.0.20', 26379, id('b'), 5, 'mymaster', '10.0.0.3', 6379, 5));
    expect(w.events()).toEqual([
      `+sentinel sentinel ${id('b')} 10.0.0.20 26379 @ mymaster 10.0.0.1 6379`,
      '+new-epoch 5',
      `+config-update-from sentinel ${id('b')} 10.0.0.20 26379 @ mymaster 10.0.0.1 6379`,
      '+switch-master mymaster 10.0.0.1 6379 10.0.0.3 6379',
      '+slave slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.3 6379',
      '+slave slave 10.0.0.1:6379 10.0.0.1 6379 @ mymaster 10.0.0.3 6379',
    ]);
    expect(m.addr).toEqual({ ip: '10.0.0.3', port: 6379 });
    expect(m.configEpoch).toBe(5);
    expect(m.flags).toBe(1); // just MASTER: S_DOWN vanished without -sdown
    expect(m.sentinels.size).toBe(1); // a switch keeps the Sentinels
    expect(w.S.currentEpoch).toBe(5);
    const conf = w.disk.read<string>('/etc/sentinel.conf')!;
    expect(conf).toContain('sentinel monitor mymaster 10.0.0.3 6379 2');
    expect(conf).toContain('sentinel config-epoch mymaster 5');
  });

  it('an older or equal config epoch changes nothing; a newer one with the same address is adopted silently', () => {
    const w = unitWorld();
    const m = w.master();
    w.sentinel(m, id('b'), '10.0.0.20', 26379);
    m.configEpoch = 4;
    processHelloMessage(w.S, hello('10.0.0.20', 26379, id('b'), 4, 'mymaster', '10.0.0.9', 6379, 4));
    expect(m.addr.ip).toBe('10.0.0.1');
    expect(w.events()).toEqual(['+new-epoch 4']);
    processHelloMessage(w.S, hello('10.0.0.20', 26379, id('b'), 4, 'mymaster', '10.0.0.1', 6379, 6));
    expect(m.configEpoch).toBe(6);
    expect(w.events()).toEqual(['+new-epoch 4']);
  });

  it('ignores unknown masters, wrong field counts and (on pub/sub) messages carrying our id', () => {
    const w = unitWorld();
    const m = w.master();
    processHelloMessage(w.S, hello('10.0.0.20', 26379, id('b'), 9, 'nosuch', '10.0.0.1', 6379, 9));
    processHelloMessage(w.S, '10.0.0.20,26379,x,9,mymaster,10.0.0.1,6379');
    receiveHelloMessages(w.S, m, arr([bulk('message'), bulk('__sentinel__:hello'), bulk(hello('10.0.0.20', 26379, id('a'), 9, 'mymaster', '10.0.0.1', 6379, 9))]));
    receiveHelloMessages(w.S, m, arr([bulk('subscribe'), bulk('__sentinel__:hello'), int(1)]));
    expect(w.events()).toEqual([]);
    expect(m.link.pcLastActivity).toBe(w.clock.now);
    receiveHelloMessages(w.S, m, arr([bulk('message'), bulk('__sentinel__:hello'), bulk(hello('10.0.0.20', 26379, id('b'), 0, 'mymaster', '10.0.0.1', 6379, 0))]));
    expect(w.events()).toHaveLength(1);
  });

  it('a forced hello moves last_pub_time back by publish-period + 1', () => {
    const w = unitWorld();
    const m = w.master();
    const r = w.replica(m, '10.0.0.2', 6379);
    const t = w.clock.now;
    forceHelloUpdateForMaster(w.S, m);
    expect(m.lastPubTime).toBe(t - 2001);
    expect(r.lastPubTime).toBe(t - 2001);
  });
});
