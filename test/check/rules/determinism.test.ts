// determinism (engine/check/determinism.ts): equal hashes pass whatever the records; different hashes
// fail, naming the first different record when both record lists are there, else the two counts.
import { describe, expect, it } from 'vitest';
import { checkDeterminism } from '../../../engine/check/determinism.ts';
import type { TraceRecord } from '../../../engine/trace/types.ts';
import { ev, S1 } from '../traces.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const recs = (...lines: string[]): TraceRecord[] => lines.map((l, i) => ev(i + 1, S1, null, l));

describe('determinism', () => {
  it('the same hash passes, even with different record lists; the report names the hash, count and seed', () => {
    const r = checkDeterminism({ sha256: A, count: 3, records: recs('x') }, { sha256: A, count: 3, records: recs('y') }, '7');
    expect(r.ok).toBe(true);
    expect(r.report).toBe(`determinism: ok\n  sha256 ${'a'.repeat(16)}… (3 records) replayed from seed 7`);
  });

  it('different hashes name the first different record, at its time', () => {
    const r = checkDeterminism({ sha256: A, count: 3, records: recs('same', 'one', 'tail') }, { sha256: B, count: 3, records: recs('same', 'two', 'tail') }, '7');
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]!.t).toBe(2e6);
    const a = JSON.stringify(recs('same', 'one')[1]);
    const b = JSON.stringify(recs('same', 'two')[1]);
    expect(r.violations[0]!.message).toBe(`replay of seed 7 diverged (sha256 ${'a'.repeat(12)} vs ${'b'.repeat(12)}); first difference at record 1: ${a} vs ${b}`);
  });

  it('each record is cut to 160 characters in the message', () => {
    const long = (c: string) => c.repeat(400);
    const r = checkDeterminism({ sha256: A, count: 1, records: recs(long('p')) }, { sha256: B, count: 1, records: recs(long('q')) }, '1');
    const [, pair] = r.violations[0]!.message.split('first difference at record 0: ');
    const [x, y] = pair!.split(' vs ');
    expect(x).toHaveLength(160);
    expect(y).toHaveLength(160);
    expect(x).toBe(JSON.stringify(recs(long('p'))[0]).slice(0, 160));
  });

  it('without a differing record in the common prefix (or without records) it names the counts', () => {
    const msg = `replay of seed 9 diverged: sha256 ${'a'.repeat(12)} (2 records) vs ${'b'.repeat(12)} (3 records)`;
    const prefix = checkDeterminism({ sha256: A, count: 2, records: recs('u', 'v') }, { sha256: B, count: 3, records: recs('u', 'v', 'w') }, '9');
    expect(prefix.violations).toEqual([{ t: 0, message: msg }]);
    expect(checkDeterminism({ sha256: A, count: 2 }, { sha256: B, count: 3, records: recs('u') }, '9').violations).toEqual([{ t: 0, message: msg }]);
    expect(checkDeterminism({ sha256: A, count: 2, records: recs('u') }, { sha256: B, count: 3 }, '9').violations).toEqual([{ t: 0, message: msg }]);
    expect(checkDeterminism({ sha256: A, count: 2, records: [] }, { sha256: B, count: 3, records: recs('z') }, '9').violations).toEqual([{ t: 0, message: msg }]);
  });
});
