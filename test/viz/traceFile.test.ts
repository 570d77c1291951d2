import { describe, expect, it } from 'vitest';
import tutorial from '../../scenarios/tutorial-failover.ts';
import { canonicalJson } from '../../engine/trace/canonical.ts';
import { parseTraceText, TraceFileError, TraceTextReader, verifyTraceHash } from '../../viz/model/traceFile.ts';
import { runLibrary } from './support.ts';

const res = runLibrary(tutorial, { until: '12s' });
const doc = res.sim.trace.document();
// the layout TraceFileWriter writes
const text = `{"header":${canonicalJson(doc.header)},\n"records":[\n${doc.records.map((r) => canonicalJson(r)).join(',\n')}\n],\n"sha256":"${doc.sha256}"}\n`;

describe('trace files in the browser', () => {
  it('reads a file written by run --trace and verifies its hash', () => {
    const f = parseTraceText(text);
    expect(f.records.length).toBe(doc.records.length);
    expect(verifyTraceHash(f)).toBeNull();
  });
  it('names each kind of bad file clearly', () => {
    const err = (t: string) => {
      try {
        parseTraceText(t, 'x.json');
      } catch (e) {
        expect(e).toBeInstanceOf(TraceFileError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(err('hello')).toMatch(/x\.json is not a sentinel-sim trace \(not JSON/);
    expect(err(text.slice(0, text.length / 2))).toMatch(/ends early/);
    expect(err('{"a":1}')).toMatch(/is not a sentinel-sim trace/);
    expect(err(text.replace('"version":1', '"version":9'))).toMatch(/version 9 trace/);
    expect(err(text.replace(/"k":"log"/, '"k":"zzz"'))).toMatch(/record \d+ is not a trace record/);
    const tampered = parseTraceText(text.replace('Ready to accept connections', 'Ready to accept connectionz'));
    expect(verifyTraceHash(tampered, 'x.json')).toMatch(/hash mismatch/);
  });

  it('reads the run --trace layout in chunks, hashing its own lines', () => {
    const reader = new TraceTextReader(text, 'x.json');
    const got = [];
    for (let c = reader.next(100); c.length > 0; c = reader.next(100)) got.push(...c);
    expect(got).toEqual(doc.records);
    expect(reader.verify(got)).toBeNull();
    const tampered = new TraceTextReader(text.replace('Ready to accept connections', 'Ready to accept connectionz'), 'x.json');
    const all = tampered.next(1e9);
    expect(tampered.next(10)).toEqual([]);
    expect(tampered.verify(all)).toMatch(/hash mismatch/);
    expect(() => new TraceTextReader(text.slice(0, 3000), 'x.json')).toThrow(/ends early/);
    // another JSON layout of the same document is read whole and checked the same way
    const pretty = JSON.stringify(JSON.parse(text), null, 1);
    const r2 = new TraceTextReader(pretty, 'p.json');
    const recs = r2.next(10);
    expect(recs.length).toBe(doc.records.length);
    expect(r2.verify(recs)).toBeNull();
  });
});
