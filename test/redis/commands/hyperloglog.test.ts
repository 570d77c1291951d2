// HyperLogLog: the exact bytes of Redis 7.0.15's sparse and dense encodings, the cached cardinality,
// promotion past hll-sparse-max-bytes, PFCOUNT's propagation, errors.
import { describe, expect, it } from 'vitest';
import { OK, bulk, err, int, simple } from '../../../engine/net/resp.ts';
import { hyperloglogCommands } from '../../../engine/redis/commands/hyperloglog.ts';
import { stringsCommands } from '../../../engine/redis/commands/strings.ts';
import { hllPatLen, murmurHash64A } from '../../../engine/redis/keyspace/hll.ts';
import { createHarness } from '../harness.ts';

const mk = () => createHarness([...hyperloglogCommands, ...stringsCommands]);
const hex = (s: string): string => [...s].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');

describe('MurmurHash64A and the register pattern', () => {
  it('hashes like Redis (values from a C build of the function)', () => {
    // MurmurHash64A("", 0) = 0, and PFDEBUG DECODE of PFADD a b c d e below pins hllPatLen
    expect(murmurHash64A('', 0)).toEqual([0, 0]);
    const [idx, count] = hllPatLen('a');
    expect(idx).toBeGreaterThanOrEqual(0);
    expect(count).toBeGreaterThanOrEqual(1);
  });
});

describe('PFADD / PFCOUNT / PFMERGE', () => {
  it('sparse bytes, estimates and the cache (values from redis-server 7.0.15)', () => {
    const h = mk();
    expect(h.run('pfadd', 'h', 'a', 'b', 'c', 'd', 'e')).toEqual(int(1));
    expect(h.run('pfdebug', 'decode', 'h')).toEqual(bulk('Z:7292 v:1,1 Z:1143 v:1,1 Z:4274 v:2,1 Z:2445 v:1,1 Z:622 v:1,1 Z:603'));
    const before = (h.run('get', 'h') as { v: string }).v;
    expect(hex(before.slice(0, 16))).toBe('48594c4c010000000000000000000080'); // cache invalid
    expect(h.run('pfcount', 'h')).toEqual(int(5));
    expect(hex((h.run('get', 'h') as { v: string }).v.slice(8, 16))).toBe('0500000000000000');
    expect(h.propagated.at(-1)).toEqual(['pfcount', 'h']); // the cache update is propagated
    expect(h.run('pfadd', 'h2', 'x', 'y', 'z')).toEqual(int(1));
    expect(h.run('pfcount', 'h', 'h2')).toEqual(int(8));
    expect(h.run('pfmerge', 'h3', 'h', 'h2')).toEqual(OK);
    expect(h.run('pfcount', 'h3')).toEqual(int(8));
    expect(h.run('pfdebug', 'encoding', 'h3')).toEqual(simple('sparse'));
    expect(h.run('pfadd', 'h', 'a')).toEqual(int(0));
  });

  it('promotes to dense past hll-sparse-max-bytes (3000) and keeps estimating', () => {
    const h = mk();
    const els = Array.from({ length: 5000 }, (_, i) => `el:${i}`);
    h.run('pfadd', 'h', ...els);
    expect(h.run('pfdebug', 'encoding', 'h')).toEqual(simple('dense'));
    expect((h.run('get', 'h') as { v: string }).v.length).toBe(12304);
    const c = (h.run('pfcount', 'h') as { v: number }).v;
    expect(Math.abs(c - 5000)).toBeLessThan(5000 * 0.05);
  });

  it('errors', () => {
    const h = mk();
    h.run('set', 's', 'foo');
    expect(h.run('pfadd', 's', 'a')).toEqual(err('WRONGTYPE Key is not a valid HyperLogLog string value.'));
    h.run('pfadd', 'h', 'a', 'b', 'c');
    h.run('append', 'h', 'hello');
    expect(h.run('pfcount', 'h')).toEqual(err('INVALIDOBJ Corrupted HLL object detected'));
    expect(h.run('pfdebug', 'foo', 'h')).toEqual(err("ERR Unknown PFDEBUG subcommand 'foo'"));
    expect(h.run('pfdebug', 'encoding', 'nokey')).toEqual(err('ERR The specified key does not exist'));
  });
});
