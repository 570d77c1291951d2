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

describe('what the checker reads (mutation testing, issue 20)', () => {
  /** Run ids with hex letters, to tell a case-folding bug from a correct read. */
  const HEX: Record<string, string> = { [S1]: 'ab'.repeat(20), [S2]: 'cd'.repeat(20), [S3]: 'ef'.repeat(20) };
  const hexBoot = () => [S1, S2, S3].flatMap((s) => [ev(0, s, null, `Sentinel ID is ${HEX[s]}`), ev(0, s, '+monitor', `${master()} quorum 2`)]);
  const hexVote = (t: number, node: string, leader: string, epoch: number, up = false) => ev(t, node, '+vote-for-leader', `${up ? HEX[leader]!.toUpperCase() : HEX[leader]} ${epoch}`);
  const saw = (t: number, node: string, other: string, up = false) => ev(t, node, '+sentinel', `sentinel ${up ? HEX[other]!.toUpperCase() : HEX[other]} ${other.replace(':', ' ')} @ ${master().slice(7)}`);

  it('votes and discoveries are read whatever the case of their run ids', () => {
    const recs = [...hexBoot(), ...try_(10, S1, 1), hexVote(10, S1, S1, 1), hexVote(10.1, S2, S1, 1, true), won(10.5, S1)];
    expect(check(recs).ok, check(recs).report).toBe(true);
    const mutual = [...hexBoot(), saw(2, S1, S3, true), saw(2, S3, S1, true), ...recs, ...try_(11, S3, 1), hexVote(11, S3, S3, 1), hexVote(11, S2, S3, 1), won(11.5, S3)];
    expect(msgs(mutual)).toContain('second leader of mymaster in epoch 1: 127.0.0.1:26379 was elected too');
  });

  it('a restart or a host coming back clears an attempt; a pause, a crash report or an exit does not', () => {
    const recs = (ev_: string) => [...boot(), ...try_(10, S1, 1), vote(10, S1, S1, 1), vote(10, S2, S1, 1), { t: 10.2e6, k: 'proc', node: S1, ev: ev_ } as TraceRecord, won(10.5, S1)];
    for (const e of ['pause', 'resume', 'exit', 'crash', 'host-down']) expect(check(recs(e)).ok, e).toBe(true);
    for (const e of ['start', 'host-up']) expect(check(recs(e)).ok, e).toBe(false);
  });

  it('asker lines: only a whole "<runid> voted for <runid> <epoch>" line is a vote; epochs of several digits', () => {
    const told = (t: number, by: string, leader: string, tail = '12', head = '') => ev(t, by, null, `${head}${ID[S3]} voted for ${ID[leader]} ${tail}`);
    expect(msgs([...boot(), told(1, S1, S1), told(2, S2, S2)])).toEqual([
      `127.0.0.1:26381 (33333333) reported a vote for 127.0.0.1:26380 (22222222) in epoch 12, but told ${S1} it voted for 127.0.0.1:26379 (11111111)`,
    ]);
    expect(check([...boot(), told(1, S1, S1), told(2, S2, S2, '12 extra')]).ok).toBe(true);
    expect(check([...boot(), told(1, S1, S1), told(2, S2, S2, '12', 'x')]).ok).toBe(true);
    expect(check([...boot(), told(1, S1, S1), told(2, S2, S2, '12', '4')]).ok).toBe(true);
  });

  it('a conflicting report names the first asker told, not a later one told the same', () => {
    const told = (t: number, by: string, leader: string) => ev(t, by, null, `${ID[S3]} voted for ${ID[leader]} 4`);
    expect(msgs([...boot(), told(1, S1, S1), told(2, S2, S1), told(3, S3, S2)])).toEqual([
      `127.0.0.1:26381 (33333333) reported a vote for 127.0.0.1:26380 (22222222) in epoch 4, but told ${S1} it voted for 127.0.0.1:26379 (11111111)`,
    ]);
  });

  it('a +monitor line without a quorum keeps the quorum read before', () => {
    const recs = [...boot(), ev(1, S1, '+monitor', master()), ...try_(10, S1, 1), vote(10, S1, S1, 1), won(10.5, S1)];
    expect(msgs(recs)).toEqual(['elected leader of mymaster in epoch 1 with 1 vote(s) logged; needs ≥ quorum 2 and ≥ majority 1 of 1 known Sentinels']);
  });

  it('a +sentinel line without a run id and a Sentinel voting twice without a +monitor are read without failing', () => {
    expect(check([...boot(), ev(2, S1, '+sentinel', '')]).ok).toBe(true);
    expect(msgs([vote(1, S2, S1, 4), vote(2, S2, S3, 4)])).toEqual([`voted twice in epoch 4: for 11111111 (at 1.000 s) and now for 33333333`]);
  });

  it('an +elected-leader naming no master is reported with "?"', () => {
    expect(msgs([...boot(), ev(10, S1, '+elected-leader', '')])).toEqual(['+elected-leader for ? without a +try-failover before it']);
  });

  it('the known count: a keyframe at the election instant counts; other masters and stopped Sentinels do not', () => {
    const recs = (kf: TraceRecord) => [...boot(), kf, ...try_(10, S1, 1), vote(10, S1, S1, 1), vote(10.1, S2, S1, 1), won(10.5, S1)];
    expect(check(recs(keyframe(10.5, { [S1]: { currentEpoch: 1, known: 3 } }))).ok).toBe(false);
    expect(check(recs(keyframe(10.500001, { [S1]: { currentEpoch: 1, known: 3 } }))).ok).toBe(true);
    const withOther = keyframe(5, { [S1]: { currentEpoch: 0, known: 1 } }) as TraceRecord & { nodes: Record<string, { view: { masters: { name: string; numOtherSentinels: number }[] } }> };
    const ms = withOther.nodes[S1]!.view.masters;
    ms.unshift({ ...ms[0]!, name: 'other', numOtherSentinels: 5 });
    expect(check(recs(withOther)).ok).toBe(true);
    ms.splice(1, 1);
    expect(check(recs(withOther)).ok).toBe(true);
    const stopped = keyframe(5, { [S1]: { currentEpoch: 0, known: 5 } }) as TraceRecord & { nodes: Record<string, { state: string }> };
    stopped.nodes[S1]!.state = 'stopped';
    expect(check(recs(stopped)).ok).toBe(true);
  });

  describe('two leaders: only when each may have counted the other', () => {
    const two = (extra: TraceRecord[], b = boot()) => [
      ...b, ...extra,
      ...try_(10, S1, 1), vote(10, S1, S1, 1), vote(10.1, S2, S1, 1), won(10.5, S1),
      ...try_(11, S3, 1), vote(11, S3, S3, 1), won(11.5, S3),
    ];
    const second = (recs: TraceRecord[]) => msgs(recs).filter((m) => m.startsWith('second leader'));
    const found = (t: number, a: string, b: string) => ev(t, a, '+sentinel', `sentinel ${ID[b]} ${b.replace(':', ' ')} @ ${master().slice(7)}`);

    it('one-sided discovery is not enough', () => {
      expect(second(two([found(2, S1, S3)]))).toEqual([]);
      expect(second(two([found(2, S3, S1)]))).toEqual([]);
      expect(second(two([found(2, S1, S3), found(2, S3, S1)]))).toHaveLength(1);
    });

    it('Sentinels a keyframe shows known beyond those discovered (loaded from the config file) may include the other', () => {
      const kf = keyframe(5, { [S1]: { currentEpoch: 0, known: 2 }, [S3]: { currentEpoch: 0, known: 2 } });
      expect(second(two([kf]))).toEqual(['second leader of mymaster in epoch 1: 127.0.0.1:26379 was elected too']);
      const one = keyframe(5, { [S1]: { currentEpoch: 0, known: 1 }, [S3]: { currentEpoch: 0, known: 1 } });
      expect(second(two([one, found(2, S1, S2), found(2, S3, S2)]))).toEqual([]);
    });

    it('a leader whose run id is unknown may have been counted by the other', () => {
      const noId3 = boot().filter((r) => !(r.k === 'log' && r.node === S3 && r.event === null));
      expect(second(two([found(2, S3, S1)], noId3))).toEqual(['second leader of mymaster in epoch 1: 127.0.0.1:26379 was elected too']);
      expect(second(two([], noId3))).toEqual([]);
    });

    it('a Sentinel elected twice in one epoch is not its own second leader', () => {
      const kf = keyframe(5, { [S1]: { currentEpoch: 0, known: 2 } });
      const recs = [...boot(), kf, ...try_(10, S1, 1), vote(10, S1, S1, 1), vote(10.1, S2, S1, 1), won(10.5, S1), won(10.6, S1)];
      expect(check(recs).ok, check(recs).report).toBe(true);
    });
  });

  it('the summary counts manual elections', () => {
    const user = ev(9, S1, null, "Executing user requested FAILOVER of 'mymaster'");
    expect(check([...boot(), user, ...try_(10, S1, 2), won(10.5, S1)]).report).toContain('1 election(s) won (1 manual), 0 vote(s) granted, epochs up to 2');
  });
});
