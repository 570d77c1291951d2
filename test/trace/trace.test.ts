import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { buildMesh } from '../../engine/sim/demo.ts';
import { canonicalJson } from '../../engine/trace/canonical.ts';
import { formatLogLine, redisTimestamp } from '../../engine/trace/logformat.ts';
import { hashTrace, Trace } from '../../engine/trace/trace.ts';

function meshHash(seed: number, detail: 'events' | 'messages' = 'messages', ring?: number) {
  // a user time-out shorter than the 2 s partition, so held messages get dropped
  const { sim } = buildMesh({ seed, hosts: 4, trace: { detail, ring }, net: { userTimeoutMs: 1000 } });
  sim.run({ until: 8_000_000 });
  return { hash: sim.trace.sha256(), sim };
}

describe('trace', () => {
  it('same seed ⇒ identical trace hash; another seed ⇒ different', () => {
    const a = meshHash(7).hash;
    expect(meshHash(7).hash).toBe(a);
    expect(meshHash(8).hash).not.toBe(a);
  });

  it('same hash across two processes', () => {
    const here = meshHash(11).hash;
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '-e', `import('./engine/sim/demo.ts').then(({buildMesh}) => { const {sim} = buildMesh({seed: 11, hosts: 4, trace: {detail: 'messages'}, net: {userTimeoutMs: 1000}}); sim.run({until: 8000000}); console.log(sim.trace.sha256()); })`],
      { encoding: 'utf8' },
    ).trim();
    expect(out).toBe(here);
  });

  it('ring mode keeps memory flat but hashes everything', () => {
    const full = meshHash(5, 'messages');
    const ring = meshHash(5, 'messages', 100);
    expect(ring.hash).toBe(full.hash);
    expect(ring.sim.trace.records().length).toBe(100);
    expect(ring.sim.trace.count).toBe(full.sim.trace.count);
    expect(ring.sim.trace.records()).toEqual(full.sim.trace.records().slice(-100));
  });

  it('records faults, process lifecycle, logs, connections and messages with send and arrival times', () => {
    const { sim } = meshHash(3);
    const recs = sim.trace.records();
    const kinds = new Set(recs.map((r) => r.k));
    expect([...kinds].sort()).toEqual(['conn', 'fault', 'log', 'msg', 'proc']);
    // every message's connecting side is named by a conn record before its first message
    const owners = new Map<string, string>();
    for (const r of recs) if (r.k === 'conn') owners.set(r.local, r.node);
    const nodes = new Set(sim.trace.header!.topology.nodes.map((n) => n.name));
    for (const r of recs) if (r.k === 'msg') expect(nodes.has(r.from) || owners.has(r.from), r.from).toBe(true);
    const faults = recs.filter((r) => r.k === 'fault').map((r) => (r as { fault: string }).fault);
    expect(faults).toEqual(['partition', 'heal', 'kill', 'restart']);
    const msgs = recs.filter((r) => r.k === 'msg') as { t: number; sent: number; fate: string }[];
    expect(msgs.every((m) => m.t >= m.sent)).toBe(true);
    expect(msgs.some((m) => m.fate === 'dropped')).toBe(true);
    const doc = sim.trace.document();
    expect(hashTrace(doc.header, doc.records)).toBe(sim.trace.sha256());
    expect(doc.header.format).toBe('sentinel-sim-trace');
    expect(doc.header.topology.nodes.length).toBe(4);
  });

  it('canonical JSON sorts keys and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined })).toBe('{"a":[true,null,"x"],"b":1}');
  });

  it('canonical JSON sorts keys of repeated and varied shapes alike (its sorted-key cache)', () => {
    // the same key set in several insertion orders, repeated; integer-like keys; many shapes with one first key
    // JSON.stringify keeps insertion order except for integer keys (first, ascending): the reference sorts by hand
    const sortedJson = (v: unknown): string =>
      Array.isArray(v)
        ? `[${v.map(sortedJson).join(',')}]`
        : v !== null && typeof v === 'object'
          ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${sortedJson((v as Record<string, unknown>)[k])}`).join(',')}}`
          : JSON.stringify(v);
    const objs: Record<string, unknown>[] = [];
    for (let r = 0; r < 3; r++) {
      objs.push({ t: r, k: 'note', what: 'op', data: { z: 1, a: 2 } }, { what: 'op', k: 'note', t: r }, { a: 1, b: 2, c: r });
      objs.push({ 10: 'x', 9: 'y', b: 1, a: 2 }, { '10.0.0.2:6379': 1, '10.0.0.1:6379': 2 });
      for (let i = 0; i < 40; i++) objs.push({ first: 1, [`k${(i * 7) % 40}`]: i, [`j${i}`]: r });
    }
    for (const o of objs) expect(canonicalJson(o)).toBe(sortedJson(o));
  });

  it('formats log lines as Redis does', () => {
    expect(redisTimestamp(Date.UTC(2026, 10, 25, 2, 32, 14, 910))).toBe('25 Nov 2026 02:32:14.910');
    expect(redisTimestamp(Date.UTC(2024, 1, 29, 23, 59, 59, 5))).toBe('29 Feb 2024 23:59:59.005');
    expect(formatLogLine({ pid: 10549, role: 'X', wall: Date.UTC(2026, 10, 25, 2, 32, 14, 910), level: '#', line: '+sdown master m 127.0.0.1 6379' })).toBe(
      '10549:X 25 Nov 2026 02:32:14.910 # +sdown master m 127.0.0.1 6379',
    );
  });

  it('a finished trace refuses more records', () => {
    const t = new Trace();
    t.sha256();
    expect(() => t.append({ t: 0, k: 'note', what: 'x' })).toThrow(/finished/);
  });
});

describe('hashers', () => {
  it('node:crypto and @noble/hashes give the same trace hash', async () => {
    const { nodeSha256 } = await import('../../bin/nodeHash.ts');
    const a = buildMesh({ seed: 9, hosts: 3, trace: { detail: 'messages' } });
    const b = buildMesh({ seed: 9, hosts: 3, trace: { detail: 'messages', hasher: nodeSha256 } });
    a.sim.run({ until: 3_000_000 });
    b.sim.run({ until: 3_000_000 });
    expect(b.sim.trace.sha256()).toBe(a.sim.trace.sha256());
  });

  it('hashing strings directly (node:crypto updateText) gives the bytes TextEncoder gives, lone surrogates and non-ASCII included', async () => {
    const { nodeSha256 } = await import('../../bin/nodeHash.ts');
    const { nobleSha256 } = await import('../../engine/trace/trace.ts');
    const fill = (t: Trace) => {
      t.setHeader({ format: 'sentinel-sim-trace', version: 1, seed: 's', scenario: 'x', epochMs: 0, topology: { hosts: [], nodes: [] }, detail: 'events' } as never);
      // past one 64 KiB chunk, so both the chunked and the final update are exercised
      for (let i = 0; i < 3000; i++) t.append({ t: i, k: 'note', what: `é€😀 \ud800 ${i} ${'x'.repeat(20)}` });
    };
    const a = new Trace({ hasher: nobleSha256 });
    const b = new Trace({ hasher: nodeSha256 });
    expect(nodeSha256().updateText).toBeTypeOf('function');
    fill(a);
    fill(b);
    expect(b.sha256()).toBe(a.sha256());
    expect(hashTrace(a.header!, a.records(), nodeSha256)).toBe(a.sha256());
  });

  it('canonical JSON spells numbers as JSON.stringify does', () => {
    for (const n of [0, -0, 1, -1.5, 0.1, 1e21, 1e-7, 123456789012345680000, Number.MAX_SAFE_INTEGER, 5e-324]) expect(canonicalJson(n)).toBe(JSON.stringify(n));
    expect(canonicalJson([NaN, Infinity])).toBe('[null,null]');
  });
});
