// The message index of the frame store: messages arrive out of send order (a record is written when it
// arrives) and some fly for seconds (held by a cut); dotsAt must give exactly the messages in flight at t, the
// same as a scan of every record (the index keeps sends ordered by binary search; long flights apart).
import { describe, expect, it } from 'vitest';
import type { MsgRecord, TraceRecord } from '../../engine/trace/types.ts';
import { FrameStore } from '../../viz/model/store.ts';
import { handHeader } from './hand-trace.ts';

const header = handHeader('messages', {
  hosts: [{ name: 'a', ip: '10.0.0.1' }, { name: 'b', ip: '10.0.0.2' }],
  nodes: [{ name: '10.0.0.1:6379', kind: 'server', host: 'a' }, { name: '10.0.0.2:6379', kind: 'server', host: 'b' }],
});

/** A deterministic stream of messages: mostly short hops, some held for up to 30 s, written in arrival order. */
function messages(n: number): MsgRecord[] {
  let x = 12345;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: MsgRecord[] = [];
  for (let i = 0; i < n; i++) {
    const sent = i * 1000 + Math.floor(rnd() * 900);
    const flight = rnd() < 0.05 ? Math.floor(rnd() * 30_000_000) : Math.floor(rnd() * 800_000);
    out.push({ t: sent + flight, k: 'msg', from: '10.0.0.1:6379', to: '10.0.0.2:6379', kind: 'repl', size: 10, sent, fate: rnd() < 0.1 ? 'dropped' : 'delivered' } as MsgRecord);
  }
  return out.sort((a, b) => a.t - b.t);
}

describe('FrameStore.dotsAt', () => {
  it('gives exactly the messages in flight, with sends out of order and long flights', () => {
    const recs: TraceRecord[] = messages(5000);
    const store = new FrameStore(header, recs);
    for (const t of [0, 500_000, 1_000_000, 2_345_678, 4_000_000, 5_500_000, 20_000_000]) {
      const got = store.dotsAt(t, { max: 100_000 }).map((d) => d.index).sort((a, b) => a - b);
      const want = recs.flatMap((r, i) => (r.k === 'msg' && r.sent <= t && t < r.t ? [i] : [])).sort((a, b) => a - b);
      expect(got, `at ${t}`).toEqual(want);
    }
  });
});
