import { describe, expect, it } from 'vitest';
import tutorial from '../../scenarios/tutorial-failover.ts';
import { canonicalJson } from '../../engine/trace/canonical.ts';
import { parseTraceText, TraceFileError, verifyTraceHash } from '../../viz/model/traceFile.ts';
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
});
