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

  it('stops at the first bad record of the run --trace layout, naming it and its line, and keeps the ones before', () => {
    const lines = text.split('\n');
    // record j is on line j + 3 (the header is line 1, "records":[ line 2): pick one after time 0 and move it back
    const j = doc.records.findIndex((r, i) => i > 40 && doc.records[i - 1].t > 0);
    const prevT = doc.records[j - 1].t;
    const back = lines.slice();
    back[j + 2] = back[j + 2].replace(`"t":${doc.records[j].t}`, `"t":${prevT - 1}`);
    const reader = new TraceTextReader(back.join('\n'), 'back.json');
    const got = reader.next(30);
    expect(got.length).toBe(30);
    const rest = reader.next(1e9);
    expect(rest.length).toBe(j - 30);
    expect(reader.next(10)).toEqual([]);
    expect(reader.error).toBeInstanceOf(TraceFileError);
    expect(reader.error!.message).toContain(`back.json: record ${j} (line ${j + 3}) goes back in time: t=${prevT - 1} µs (`);
    expect(reader.error!.message).toContain(`after t=${prevT} µs`);
    expect(reader.error!.line).toBe(j + 3);
    expect(reader.verify([...got, ...rest])).toBe(reader.error!.message);
    // a damaged line
    const bad = lines.slice();
    bad[99] = '{"k":"log","t":';
    const r2 = new TraceTextReader(bad.join('\n'), 'bad.json');
    expect(r2.next(1e9).length).toBe(97);
    expect(r2.error!.message).toMatch(/^bad\.json: record 97 \(line 100\) is not valid JSON/);
    // a newer format version: named in the header line, before anything is drawn
    expect(() => new TraceTextReader(text.replace('"version":1', '"version":2'), 'new.json')).toThrow(
      /new\.json was written by a newer sentinel-sim: it is a version 2 trace \(line 1\), and this viewer reads version 1/,
    );
    expect(() => parseTraceText(JSON.stringify({ ...JSON.parse(text), header: { ...doc.header, version: 3 } }), 'n.json')).toThrow(/newer sentinel-sim: it is a version 3 trace/);
    // another layout, cut short: the line where it ends
    const pretty = JSON.stringify(JSON.parse(text), null, 1);
    expect(() => new TraceTextReader(pretty.slice(0, 5000), 'p.json')).toThrow(/p\.json is not a complete sentinel-sim trace: the file ends early, at line \d+/);
    // a web page instead of a trace
    expect(() => new TraceTextReader('<!doctype html><html></html>', 'page.json')).toThrow(/page\.json is not a sentinel-sim trace: it is a web page/);
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
    const cut = new TraceTextReader(text.slice(0, 3000), 'x.json');
    const before = cut.next(1e9);
    expect(cut.next(10)).toEqual([]);
    expect(before).toEqual(doc.records.slice(0, before.length));
    expect(cut.error?.message).toMatch(new RegExp(`x\\.json is not a complete sentinel-sim trace: the file ends early, at line ${before.length + 3}, after record ${before.length - 1}`));
    // another JSON layout of the same document is read whole and checked the same way
    const pretty = JSON.stringify(JSON.parse(text), null, 1);
    const r2 = new TraceTextReader(pretty, 'p.json');
    const recs = r2.next(10);
    expect(recs.length).toBe(doc.records.length);
    expect(r2.verify(recs)).toBeNull();
  });
});
