// The Sentinel speaks RESP3 after HELLO 3 (helloCommand; node-redis's Sentinel client needs it). The bytes
// are those of a real Redis 7.0.15 Sentinel (`redis-server --sentinel`, one monitor, raw socket): HELLO is a
// map with proto :3 and mode sentinel, SENTINEL MASTER / CONFIG GET maps, MASTERS an array of maps, a null
// as `_`, (P)(UN)SUBSCRIBE confirmations and messages as pushes, PING in a subscribed RESP3 client +PONG.
import { describe, expect, it } from 'vitest';
import { encodeResp } from '../../engine/net/resp.ts';
import { buildCluster } from './harness.ts';

const cmd = (...a: string[]) => a;

describe('Sentinel RESP3', () => {
  it('HELLO 3, maps, null, pushes: the shapes of a real 7.0.15 Sentinel', () => {
    const c = buildCluster({});
    c.sim.run({ forMs: 3000 });
    const s = c.cli(c.sentinels[0]!);
    const wire = (...argv: string[]) => encodeResp(s.cmd(...argv));
    expect(wire('HELLO', '3')).toMatch(/^%6\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n\$7\r\nversion\r\n\$6\r\n7\.0\.15\r\n\$5\r\nproto\r\n:3\r\n\$2\r\nid\r\n:\d+\r\n\$4\r\nmode\r\n\$8\r\nsentinel\r\n\$7\r\nmodules\r\n\*0\r\n$/);
    expect(wire('SENTINEL', 'MASTER', 'mymaster')).toMatch(/^%\d+\r\n\$4\r\nname\r\n\$8\r\nmymaster\r\n/);
    expect(wire('SENTINEL', 'MASTERS')).toMatch(/^\*1\r\n%\d+\r\n\$4\r\nname\r\n/);
    expect(wire('SENTINEL', 'CONFIG', 'GET', 'resolve-hostnames')).toBe('%1\r\n$17\r\nresolve-hostnames\r\n$2\r\nno\r\n');
    expect(wire('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'nope')).toBe('_\r\n');
    expect(wire('SUBSCRIBE', 'a')).toBe('>3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n');
    expect(wire('PING')).toBe('+PONG\r\n');
    expect(wire('PSUBSCRIBE', 'b*')).toBe('>3\r\n$10\r\npsubscribe\r\n$2\r\nb*\r\n:2\r\n');
    expect(wire('UNSUBSCRIBE')).toBe('>3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n');
    expect(wire('HELLO', '4')).toBe('-NOPROTO unsupported protocol version\r\n');
  });

  it('RESP2 clients keep the flat arrays', () => {
    const c = buildCluster({});
    c.sim.run({ forMs: 3000 });
    const s = c.cli(c.sentinels[0]!);
    expect(encodeResp(s.cmd('SENTINEL', 'CONFIG', 'GET', 'resolve-hostnames'))).toBe('*2\r\n$17\r\nresolve-hostnames\r\n$2\r\nno\r\n');
    expect(encodeResp(s.cmd('SUBSCRIBE', 'a'))).toBe('*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n');
    expect(encodeResp(s.cmd('PING'))).toBe('*2\r\n$4\r\npong\r\n$0\r\n\r\n');
    void cmd;
  });
});
