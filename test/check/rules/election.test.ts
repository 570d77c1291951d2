// election-safety (engine/check/election.ts) rule by rule: the vote count a leader needs (quorum and
// majority of known + 1, votes logged no later than the election), what an attempt is, one vote per
// Sentinel and epoch, and what askers report. Each failing case next to its passing twin.
import { describe, expect, it } from 'vitest';
import { checkElectionSafety } from '../../../engine/check/election.ts';
import type { TraceRecord } from '../../../engine/trace/types.ts';
import { boot, discover, ev, ID, input, keyframe, master, S1, S2, S3 } from '../traces.ts';

const check = (recs: TraceRecord[]) => checkElectionSafety(input(recs));
const msgs = (recs: TraceRecord[]) => check(recs).violations.map((v) => v.message);
const try_ = (t: number, node: string, epoch: number) => [ev(t, node, '+new-epoch', String(epoch)), ev(t, node, '+try-failover', master())];
const vote = (t: number, node: string, leader: string, epoch: number) => ev(t, node, '+vote-for-leader', `${ID[leader]} ${epoch}`);
const won = (t: number, node: string) => ev(t, node, '+elected-leader', master());

describe('votes a leader needs', () => {
  it('quorum 2 met at the election instant passes; a vote logged after it does not count', () => {
    const base = [...boot(), ...try_(10, S1, 1), vote(10, S1, S1, 1)];
    expect(check([...base, vote(10.5, S2, S1, 1), won(10.5, S1)]).ok).toBe(true);
    expect(msgs([...base, vote(10.6, S2, S1, 1), won(10.5, S1)])).toEqual([
      'elected leader of mymaster in epoch 1 with 1 vote(s) logged; needs ≥ quorum 2 and ≥ majority 1 of 1 known Sentinels',
    ]);
  });

  it('votes for another leader or in another epoch do not count', () => {
    const recs = [...boot(), ...try_(10, S1, 2), vote(10, S1, S1, 2), vote(10.1, S2, S2, 2), vote(10.1, S3, S1, 1), won(10.5, S1)];
    expect(msgs(recs)).toEqual(['elected leader of mymaster in epoch 2 with 1 vote(s) logged; needs ≥ quorum 2 and ≥ majority 1 of 1 known Sentinels']);
  });

  it('the majority is floor((known + 1) / 2) + 1: 2 of 3 passes, 2 of 4 fails', () => {
    const recs = (known: number) => [...boot(), keyframe(5, { [S1]: { currentEpoch: 0, known } }), ...try_(10, S1, 1), vote(10, S1, S1, 1), vote(10.1, S2, S1, 1), won(10.5, S1)];
    expect(check(recs(2)).ok).toBe(true);
    expect(msgs(recs(3))).toEqual(['elected leader of mymaster in epoch 1 with 2 vote(s) logged; needs ≥ quorum 2 and ≥ majority 3 of 4 known Sentinels']);
  });

  it('the known count is the last keyframe before the election, for that master', () => {
    const late = keyframe(11, { [S1]: { currentEpoch: 1, known: 5 } });
    const recs = [...boot(), keyframe(5, { [S1]: { currentEpoch: 0, known: 2 } }), ...try_(10, S1, 1), vote(10, S1, S1, 1), vote(10.1, S2, S1, 1), won(10.5, S1), late];
    expect(check(recs).ok).toBe(true);
  });

  it('without a +monitor the quorum is 1', () => {
    const recs = [ev(0, S1, null, `Sentinel ID is ${ID[S1]}`), ...try_(10, S1, 1), vote(10, S1, S1, 1), won(10.5, S1)];
    expect(check(recs).ok).toBe(true);
    expect(check([ev(0, S1, null, `Sentinel ID is ${ID[S1]}`), ...try_(10, S1, 1), won(10.5, S1)]).ok).toBe(false);
  });

  it('a leader whose run id is unknown is not counted (nothing to match votes against)', () => {
    expect(check([...try_(10, S1, 1), won(10.5, S1)]).ok).toBe(true);
  });
});

describe('attempts', () => {
  it('+elected-leader without +try-failover fails, also after a restart cleared the attempt', () => {
    expect(msgs([...boot(), won(10, S1)])).toEqual(['+elected-leader for mymaster without a +try-failover before it']);
    const restarted = [...boot(), ...try_(10, S1, 1), vote(10, S1, S1, 1), vote(10, S2, S1, 1), { t: 10.2e6, k: 'proc', node: S1, ev: 'start' } as TraceRecord, won(10.5, S1)];
    expect(msgs(restarted)).toEqual(['+elected-leader for mymaster without a +try-failover before it']);
    const hostUp = restarted.map((r) => (r.k === 'proc' ? { ...r, ev: 'host-up' } : r)) as TraceRecord[];
    expect(check(hostUp).ok).toBe(false);
    const other = restarted.map((r) => (r.k === 'proc' ? { ...r, node: S2 } : r)) as TraceRecord[];
    expect(check(other).ok).toBe(true);
  });

  it('the attempt takes the epoch of the last +new-epoch of its Sentinel', () => {
    const recs = [...boot(), ev(9, S1, '+new-epoch', '3'), ev(9, S2, '+new-epoch', '9'), ev(10, S1, '+try-failover', master()), vote(10, S1, S1, 3), vote(10, S2, S1, 3), won(10.5, S1)];
    const r = check(recs);
    expect(r.ok, r.report).toBe(true);
    expect(r.report).toContain('1 election(s) won (0 manual), 2 vote(s) granted, epochs up to 3');
    expect(r.figures).toEqual({ elections: 1, votes: 2 });
  });

  it('a user FAILOVER line makes the next attempt manual (no votes needed), once', () => {
    const user = ev(9, S1, null, "Executing user requested FAILOVER of 'mymaster'");
    expect(check([...boot(), user, ...try_(10, S1, 1), won(10.5, S1)]).ok).toBe(true);
    // the next attempt of the same Sentinel is an ordinary one
    expect(check([...boot(), user, ...try_(10, S1, 1), won(10.5, S1), ...try_(20, S1, 2), won(20.5, S1)]).ok).toBe(false);
    // a restart between the line and the attempt forgets it
    expect(check([...boot(), user, { t: 9.5e6, k: 'proc', node: S1, ev: 'start' } as TraceRecord, ...try_(10, S1, 1), won(10.5, S1)]).ok).toBe(false);
    // another Sentinel's line does not make this one's attempt manual
    expect(check([...boot(), { ...user, node: S2 } as TraceRecord, ...try_(10, S1, 1), won(10.5, S1)]).ok).toBe(false);
  });
});

describe('two leaders', () => {
  const two = (extra: TraceRecord[] = []) => [
    ...boot(), ...discover(), ...extra,
    ...try_(10, S1, 1), vote(10, S1, S1, 1), vote(10.1, S2, S1, 1), won(10.5, S1),
    ...try_(11, S3, 1), vote(11, S3, S3, 1), won(11.5, S3),
  ];

  it('two leaders of one epoch that knew each other fail; different epochs pass', () => {
    expect(msgs(two())).toContain('second leader of mymaster in epoch 1: 127.0.0.1:26379 was elected too');
    const recs = two().map((r) => (r.k === 'log' && r.node === S3 && (r.event === '+new-epoch' || r.event === '+vote-for-leader') ? { ...r, line: r.line.replace(/1$/, '2') } : r)) as TraceRecord[];
    expect(msgs(recs).filter((m) => m.startsWith('second leader'))).toEqual([]);
  });

  it('+reset-master forgets the discovered Sentinels', () => {
    const reset = [ev(5, S1, '+reset-master', master()), ev(5, S3, '+reset-master', master())];
    expect(msgs(two(reset)).filter((m) => m.startsWith('second leader'))).toEqual([]);
  });

  it('a manual leader is not a second leader', () => {
    const user = ev(10.9, S3, null, "Executing user requested FAILOVER of 'mymaster'");
    expect(check(two([]).concat(user)).ok).toBe(true);
  });
});

describe('one vote per Sentinel and epoch', () => {
  it('a second vote in the same epoch fails; one per epoch passes', () => {
    expect(msgs([...boot(), vote(1, S2, S1, 4), vote(2, S2, S3, 4)])).toEqual([
      `voted twice in epoch 4: for 127.0.0.1:26379 (11111111) (at 1.000 s) and now for 127.0.0.1:26381 (33333333)`,
    ]);
    expect(check([...boot(), vote(1, S2, S1, 4), vote(2, S2, S3, 5), vote(3, S3, S1, 4)]).ok).toBe(true);
  });

  it('a Sentinel monitoring two masters may vote once for each', () => {
    const two = [...boot(), ev(0, S2, '+monitor', 'master other 127.0.0.1 7000 quorum 2'), vote(1, S2, S1, 4), vote(2, S2, S3, 4)];
    expect(check(two).ok).toBe(true);
  });

  it('askers told different votes of one voter fail; the same vote told twice passes; ids in any case', () => {
    const told = (t: number, by: string, leader: string) => ev(t, by, null, `${ID[S3]!.toUpperCase()} voted for ${ID[leader]} 4`);
    expect(check([...boot(), told(1, S1, S1), told(2, S2, S1)]).ok).toBe(true);
    const r = check([...boot(), told(1, S1, S1), told(2, S2, S2)]);
    expect(r.violations).toEqual([
      { t: 2e6, node: S2, message: `127.0.0.1:26381 (33333333) reported a vote for 127.0.0.1:26380 (22222222) in epoch 4, but told ${S1} it voted for 127.0.0.1:26379 (11111111)` },
    ]);
    // unknown run ids are named by their first 8 characters
    expect(msgs([ev(1, S1, null, `${'e'.repeat(40)} voted for ${'f'.repeat(40)} 4`), ev(2, S2, null, `${'e'.repeat(40)} voted for ${'d'.repeat(40)} 4`)])).toEqual([
      `eeeeeeee reported a vote for dddddddd in epoch 4, but told ${S1} it voted for ffffffff`,
    ]);
  });
});
