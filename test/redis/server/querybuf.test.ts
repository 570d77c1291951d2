// CLIENT LIST qbuf / qbuf-free follow the query buffer as Redis 7.0.15 sizes it (server/querybuf.ts):
// what tests/unit/querybuf.tcl reads.
import { describe, expect, it } from 'vitest';
import { js, world } from './client.ts';

function qbufOf(list: string, name: string): number {
  const line = list.split('\n').find((l) => l.includes(` name=${name} `))!;
  return Number(/qbuf=(\d+)/.exec(line)![1]) + Number(/qbuf-free=(\d+)/.exec(line)![1]);
}

describe('query buffer size', () => {
  it('a read allocates 16k, 2 s idle frees it, a big argument grows it and the cron shrinks it back to the peak', () => {
    const w = world();
    const a = w.client();
    const b = w.client('other');
    b.cmd('client', 'setname', 'test_client');
    const first = qbufOf(js(a.cmd('client', 'list')) as string, 'test_client');
    expect(first).toBeGreaterThanOrEqual(16384);
    expect(first).toBeLessThan(32768);
    w.sim.sleep(3500);
    expect(qbufOf(js(a.cmd('client', 'list')) as string, 'test_client')).toBe(0);
    b.cmd('set', 'x', 'A'.repeat(400000));
    const big = qbufOf(js(a.cmd('client', 'list')) as string, 'test_client');
    expect(big).toBeGreaterThan(32768);
    b.cmd('set', 'x', 'A'.repeat(100));
    w.sim.sleep(300);
    b.cmd('set', 'x', 'A'.repeat(100));
    w.sim.sleep(300);
    const after = qbufOf(js(a.cmd('client', 'list')) as string, 'test_client');
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(big);
  });
});
