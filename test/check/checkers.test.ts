// Every checker catches a hand-made violating trace, and passes the same trace without the violation
// (so no checker can silently pass, or fail, everything).
import { describe, expect, it } from 'vitest';
import {
  checkAuthorisedFailover,
  checkConvergence,
  checkData,
  checkDeterminism,
  checkElectionSafety,
  checkEpochsMonotonic,
  checkPriorityZero,
  convergenceBoundMs,
  convergenceTerms,
  runChecks,
} from '../../engine/check/index.ts';
import { boot, config, discover, ev, failover, fault, finalRead, ID, input, keyframe, M, master, note, op, R1, R2, S1, S2, S3, slave } from './traces.ts';

const messages = (r: { violations: { message: string }[] }) => r.violations.map((v) => v.message).join('\n');

describe('the baseline hand-made trace', () => {
  it('passes every trace checker', () => {
    const recs = [
      ...boot(),
      keyframe(1, { [S1]: { currentEpoch: 0 }, [S2]: { currentEpoch: 0 }, [S3]: { currentEpoch: 0 } }),
      ...failover(20, S1, 1, [S2, S3]),
      ev(22.2, S2, '+config-update-from', `sentinel ${ID[S1]} 127.0.0.1 26379 @ mymaster 127.0.0.1 6379`),
      ev(22.2, S2, '+switch-master', `mymaster 127.0.0.1 6379 127.0.0.1 6381`),
      keyframe(30, { [S1]: { currentEpoch: 1, configEpoch: 1 }, [S2]: { currentEpoch: 1, configEpoch: 1 }, [S3]: { currentEpoch: 1, configEpoch: 1 } }),
    ];
    for (const r of runChecks(input(recs))) expect(r.ok, r.report).toBe(true);
  });
});

describe('election safety', () => {
  it('catches two leaders elected for the same master in the same epoch', () => {
    const recs = [...boot(), ...discover(), ...failover(20, S1, 1, [S2]), ...failover(20.5, S3, 1, [S2])];
    const r = checkElectionSafety(input(recs));
    expect(r.ok).toBe(false);
    expect(messages(r)).toMatch(/second leader of mymaster in epoch 1: 127\.0\.0\.1:26379 was elected too/);
    // S2 also voted twice in epoch 1
    expect(messages(r)).toMatch(/voted twice in epoch 1/);
    expect(r.report).toMatch(/^election-safety: \d+ violations/);
  });

  it('lets two Sentinels that never discovered each other both elect themselves in one epoch (Redis: voters = known + 1)', () => {
    // the search's seeds 21752, 21995…: faults before the first hello; each Sentinel's electorate is itself
    const alone = (t: number, s: string) => failover(t, s, 1, []);
    const recs = [...boot().map((r) => (r.k === 'log' && r.event === '+monitor' ? { ...r, line: r.line.replace('quorum 2', 'quorum 1') } : r)), ...alone(3, S1), ...alone(4, S2)];
    expect(checkElectionSafety(input(recs)).ok).toBe(true);
    // once S1 had discovered S2 and S2 had discovered S1, the same two elections are a violation
    const known = [...recs.slice(0, 6), ev(2, S1, '+sentinel', `sentinel ${ID[S2]} ${S2.replace(':', ' ')} @ mymaster 127.0.0.1 6379`), ev(2, S2, '+sentinel', `sentinel ${ID[S1]} ${S1.replace(':', ' ')} @ mymaster 127.0.0.1 6379`), ...recs.slice(6)];
    expect(messages(checkElectionSafety(input(known)))).toMatch(/second leader of mymaster in epoch 1: 127\.0\.0\.1:26379 was elected too/);
  });

  it('catches a Sentinel voting twice in one epoch', () => {
    const recs = [...boot(), ...failover(20, S1, 3, [S2, S3]), ev(21, S3, '+vote-for-leader', `${ID[S2]} 3`)];
    const r = checkElectionSafety(input(recs));
    expect(r.ok).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]!.node).toBe(S3);
    expect(r.violations[0]!.message).toMatch(/voted twice in epoch 3: for 127\.0\.0\.1:26379 \(11111111\) .* and now for 127\.0\.0\.1:26380 \(22222222\)/);
  });

  it('catches a leader elected without a quorum of logged votes', () => {
    const recs = [...boot(), ...failover(20, S1, 1, [])];
    const r = checkElectionSafety(input(recs));
    expect(messages(r)).toMatch(/elected leader of mymaster in epoch 1 with 1 vote\(s\) logged; needs ≥ quorum 2 and ≥ majority 1 of 1/);
  });

  it('counts the majority over the Sentinels known at the last keyframe', () => {
    // quorum 2 met, but 5 Sentinels known ⇒ 3 votes needed
    const recs = [...boot(), keyframe(10, { [S1]: { currentEpoch: 0, known: 4 } }), ...failover(20, S1, 1, [S2])];
    expect(messages(checkElectionSafety(input(recs)))).toMatch(/with 2 vote\(s\) logged; needs ≥ quorum 2 and ≥ majority 3 of 5 known Sentinels/);
  });

  it('catches conflicting votes reported by a voter to different askers', () => {
    const recs = [...boot(), ev(20, S1, null, `${ID[S3]} voted for ${ID[S1]} 4`), ev(20, S2, null, `${ID[S3]} voted for ${ID[S2]} 4`)];
    expect(messages(checkElectionSafety(input(recs)))).toMatch(/127\.0\.0\.1:26381 \(33333333\) reported a vote for 127\.0\.0\.1:26380 \(22222222\) in epoch 4, but told 127\.0\.0\.1:26379/);
  });

  it('lets manual failovers (SENTINEL FAILOVER: forced, no election) share an epoch', () => {
    const manual = failover(20.5, S3, 1, []).filter((r) => r.k !== 'log' || r.event !== '+vote-for-leader');
    const recs = [...boot(), ...failover(20, S1, 1, [S2]), ev(20.5, S3, null, "Executing user requested FAILOVER of 'mymaster'"), ...manual];
    expect(checkElectionSafety(input(recs)).ok).toBe(true);
  });
});

describe('epochs monotonic', () => {
  it('catches a +new-epoch that does not raise the current epoch', () => {
    const recs = [...boot(), ev(10, S1, '+new-epoch', '3'), ev(20, S1, '+new-epoch', '2')];
    const r = checkEpochsMonotonic(input(recs));
    expect(r.ok).toBe(false);
    expect(messages(r)).toMatch(/current epoch raised to 2 \(\+new-epoch\) after 3/);
  });

  it('catches a current epoch going back across a restart (keyframes)', () => {
    const recs = [...boot(), keyframe(10, { [S2]: { currentEpoch: 5 } }), { t: 11e6, k: 'proc', node: S2, ev: 'start' } as const, keyframe(12, { [S2]: { currentEpoch: 4 } })];
    expect(messages(checkEpochsMonotonic(input(recs)))).toMatch(/current epoch is to 4 \(keyframe\) after 5/);
  });

  it('catches a config epoch going back', () => {
    const recs = [keyframe(10, { [S3]: { currentEpoch: 7, configEpoch: 7 } }), keyframe(11, { [S3]: { currentEpoch: 7, configEpoch: 6 } })];
    expect(messages(checkEpochsMonotonic(input(recs)))).toMatch(/config epoch of mymaster went from 7 to 6/);
  });
});

describe('priority-zero replicas', () => {
  it('catches +selected-slave / +promoted-slave of a replica with replica-priority 0', () => {
    const recs = [...boot(), ev(20, S1, '+selected-slave', slave(R1)), ev(21, S1, '+promoted-slave', slave(R1))];
    const r = checkPriorityZero(input(recs));
    expect(r.violations.map((v) => v.message)).toEqual([`+selected-slave ${R1}, whose replica-priority is 0`, `+promoted-slave ${R1}, whose replica-priority is 0`]);
  });

  it('allows a priority-0 server that has not been a replica since a +switch-master re-created its record (Redis cannot know its 0)', () => {
    // R1 (priority 0) is the old master of a switch; no keyframe shows it as a replica before it is selected
    const sw = ev(10, S1, '+switch-master', `mymaster ${R1.replace(':', ' ')} ${R2.replace(':', ' ')}`);
    const sel = [ev(20, S1, '+selected-slave', slave(R1, R2)), ev(21, S1, '+promoted-slave', slave(R1, R2))];
    const asMaster = keyframe(15, {}, { [R1]: { role: 'master', offset: 10 } });
    const r = checkPriorityZero(input([...boot(), sw, asMaster, ...sel]));
    expect(r.ok, r.report).toBe(true);
    expect(r.report).toMatch(/2 of a priority-0 server not a replica since its record was re-created/);
    // once a keyframe showed it as a replica after the switch, Sentinel could have read its 0: a violation
    const asReplica = keyframe(15, {}, { [R1]: { role: 'slave', offset: 10 } });
    expect(checkPriorityZero(input([...boot(), sw, asReplica, ...sel])).violations).toHaveLength(2);
  });

  it('reads the priorities from the check-config note when none are given', () => {
    const recs = [note(0, 'check-config', config), ev(20, S1, '+selected-slave', slave(R1))];
    expect(checkPriorityZero(input(recs, null)).ok).toBe(false);
    expect(checkPriorityZero(input([ev(20, S1, '+selected-slave', slave(R2))])).ok).toBe(true);
  });
});

describe('authorised failover', () => {
  it('catches failover steps by a Sentinel that was not elected', () => {
    const recs = [...boot(), ev(20, S2, '+new-epoch', '1'), ev(20, S2, '+try-failover', master()), ev(20.1, S2, '+failover-state-select-slave', master())];
    const r = checkAuthorisedFailover(input(recs));
    expect(messages(r)).toMatch(/\+failover-state-select-slave in an attempt .* where it was not elected/);
  });

  it('catches a promotion with no failover in progress, and after an abort or a restart', () => {
    const recs = [
      ...boot(),
      ev(10, S1, '+selected-slave', slave(R2)),
      ev(20, S2, '+try-failover', master()),
      ev(20, S2, '+elected-leader', master()),
      ev(21, S2, '-failover-abort-no-good-slave', master()),
      ev(22, S2, '+promoted-slave', slave(R2)),
      ev(30, S3, '+try-failover', master()),
      ev(30, S3, '+elected-leader', master()),
      { t: 31e6, k: 'proc', node: S3, ev: 'start' } as const,
      ev(32, S3, '+failover-state-reconf-slaves', master()),
    ];
    expect(checkAuthorisedFailover(input(recs)).violations.map((v) => v.node)).toEqual([S1, S2, S3]);
  });

  it('catches a +switch-master that neither ends a failover nor follows a +config-update-from', () => {
    const recs = [...boot(), ev(10, S3, '+switch-master', 'mymaster 127.0.0.1 6379 127.0.0.1 6380')];
    expect(messages(checkAuthorisedFailover(input(recs)))).toMatch(/\+switch-master mymaster 127\.0\.0\.1 6379 127\.0\.0\.1 6380 with neither/);
  });
});

describe('convergence', () => {
  const probe = (t: number, sentinels: Record<string, string | null>, servers: Record<string, { role: string; master?: string; link?: string }>) => note(t, 'probe', { sentinels, servers });
  const agreed = { [S1]: R2, [S2]: R2, [S3]: R2 };
  const good = { [R2]: { role: 'master' }, [M]: { role: 'slave', master: R2, link: 'connected' }, [R1]: { role: 'slave', master: R2, link: 'connected' } };
  const bound = convergenceBoundMs(5000, 10000);

  it('documents the bound: 3·FT + min(10 s, FT) + DA + 76 s', () => {
    expect(bound).toBe(3 * 10000 + 10000 + 5000 + 76000);
    expect(convergenceBoundMs(2000, 5000)).toBe(15000 + 5000 + 2000 + 76000);
    const t = convergenceTerms(5000, 10000);
    expect(t.tilt + t.retryGate + t.detection + t.election + t.failover + t.propagation + t.sync).toBe(bound);
  });

  it('passes a converged probe within the bound (chained replicas included)', () => {
    const chained = { ...good, [R1]: { role: 'slave', master: M, link: 'connected' } };
    expect(checkConvergence(input([note(100, 'quiet', {}), probe(130, agreed, chained)])).ok).toBe(true);
  });

  it('catches two masters, disagreeing Sentinels and replicas of the wrong master', () => {
    const r = checkConvergence(input([note(100, 'quiet', {}), probe(100 + bound / 1000, { ...agreed, [S3]: M }, { ...good, [M]: { role: 'master' } })]));
    expect(r.ok).toBe(false);
    expect(messages(r)).toMatch(/Sentinels disagree: .*127\.0\.0\.1:26381 → 127\.0\.0\.1:6379/);
    expect(messages(r)).toMatch(/2 servers report role master \(127\.0\.0\.1:6379, 127\.0\.0\.1:6381\)/);
    const r2 = checkConvergence(input([note(100, 'quiet', {}), probe(150, agreed, { ...good, [R1]: { role: 'slave', master: R2, link: 'connecting' } })]));
    expect(messages(r2)).toMatch(/127\.0\.0\.1:6380's link to 127\.0\.0\.1:6381 is connecting/);
  });

  it('catches convergence that came only after the bound', () => {
    const r = checkConvergence(input([note(100, 'quiet', {}), probe(100 + bound / 1000 + 1, agreed, good)]));
    expect(r.ok).toBe(false);
    expect(messages(r)).toMatch(/not converged within 121 s of the quiet period/);
  });
});

describe('data (Jepsen accounting)', () => {
  const hist = [op(1, 0, 'ok'), op(2, 1, 'ok'), op(3, 2, 'ok'), op(4, 3, 'unknown'), op(5, 4, 'fail')];

  it('fails a run without faults that lost an acknowledged write', () => {
    const r = checkData(input([...hist, finalRead(10, [0, 2, 3])]));
    expect(r.ok).toBe(false);
    expect(r.figures).toMatchObject({ class: 'no-faults', lost: 1, acknowledged: 3 });
    expect(messages(r)).toMatch(/1 acknowledged write\(s\) of jepsen lost \(no-faults\), e\.g\. 1/);
  });

  it('reports, without failing, the loss of a run with arbitrary faults', () => {
    const r = checkData(input([fault(1.5, 'isolate', 'redis1'), ...hist, finalRead(10, [0])]));
    expect(r.ok).toBe(true);
    expect(r.figures).toMatchObject({ class: 'faults', lost: 2 });
  });

  it('fails a clean crash of a caught-up master that lost a write, not one whose replicas lagged', () => {
    const kf = (t: number, off: number, roff: number) => keyframe(t, {}, { [M]: { role: 'master', offset: off }, [R1]: { role: 'replica', offset: roff }, [R2]: { role: 'replica', offset: roff } });
    const sw = ev(9, S1, '+switch-master', 'mymaster 127.0.0.1 6379 127.0.0.1 6381');
    const caught = checkData(input([kf(4, 100, 100), kf(5, 200, 150), fault(5.5, 'kill', M), sw, ...hist, finalRead(10, [0, 1])]));
    expect(caught.figures?.class).toBe('clean-master-crash');
    expect(caught.ok).toBe(false);
    const lagging = checkData(input([kf(4, 100, 0), kf(5, 200, 0), fault(5.5, 'kill', M), sw, ...hist, finalRead(10, [0, 1])]));
    expect(lagging.figures?.class).toBe('faults');
    expect(lagging.ok).toBe(true);
  });

  it('a clean crash needs a switch away from the killed master; a second failover makes the loss reported, not judged', () => {
    const kf = (t: number) => keyframe(t, {}, { [M]: { role: 'master', offset: 100 * t }, [R1]: { role: 'replica', offset: 100 * t }, [R2]: { role: 'replica', offset: 100 * t } });
    const base = [kf(4), kf(5), fault(5.5, 'kill', M), ...hist, finalRead(10, [0, 1])];
    // only a switch back to the killed master: it never went away
    const back = checkData(input([...base, ev(9, S1, '+switch-master', 'mymaster 127.0.0.1 6381 127.0.0.1 6379')]));
    expect(back.figures?.class).toBe('faults');
    expect(back.report).toMatch(/the Sentinels did not switch away from the killed master 127\.0\.0\.1:6379 before it restarted/);
    // a switch away, then a second failover of the promoted (live) master: Sentinel's doing (known failure)
    const sw = ev(8, S1, '+switch-master', 'mymaster 127.0.0.1 6379 127.0.0.1 6381');
    const spurious = checkData(input([...base, sw, ev(9, S2, '+switch-master', 'mymaster 127.0.0.1 6381 127.0.0.1 6380')]));
    expect(spurious.ok).toBe(true);
    expect(spurious.report).toMatch(/then a second failover away from the promoted 127\.0\.0\.1:6381 \(127\.0\.0\.1:26380 at 00:00:09\.000\)/);
    expect(checkData(input([...base, sw])).ok).toBe(false);
  });

  it('bounds the loss by the lag window with min-replicas-to-write on every replica', () => {
    const cfg = { ...config, minReplicasToWrite: 2, minReplicasMaxLag: 3 };
    const late = [fault(1, 'partition'), op(2, 0, 'ok'), op(9, 1, 'ok'), op(9.5, 2, 'ok'), finalRead(12, [2])];
    const r = checkData(input(late, cfg));
    expect(r.figures?.class).toBe('min-replicas-window');
    expect(messages(r)).toMatch(/1 lost acknowledged write\(s\) of jepsen were acknowledged more than 5 s after every network fault, SLAVEOF or replica put online \(e\.g\. 1\)/);
    // a full sync that put a replica online at 6 s restarts the window (replicaPutOnline: repl_ack_time = now)
    const online = { t: 6e6, k: 'log', node: '127.0.0.1:6379', kind: 'server', pid: 1, role: 'M', wall: 0, level: '*', event: null, line: 'Synchronization with replica 127.0.0.1:6380 succeeded' } as const;
    expect(checkData(input([...late.slice(0, 2), online, ...late.slice(2)], cfg)).ok).toBe(true);
  });

  it('catches a write reported failed that is present in the final set', () => {
    expect(messages(checkData(input([fault(1, 'isolate', 'redis1'), ...hist, finalRead(10, [0, 1, 2, 4])])))).toMatch(/1 write\(s\) reported failed are present/);
  });
});

describe('determinism', () => {
  it('catches two runs of one seed with different trace hashes, naming the first different record', () => {
    const a = [note(1, 'x', 1), note(2, 'y', 2)];
    const b = [note(1, 'x', 1), note(2, 'y', 3)];
    const r = checkDeterminism({ sha256: 'a'.repeat(64), count: 2, records: a }, { sha256: 'b'.repeat(64), count: 2, records: b }, '42');
    expect(r.ok).toBe(false);
    expect(messages(r)).toMatch(/replay of seed 42 diverged .*first difference at record 1/);
    expect(checkDeterminism({ sha256: 'a', count: 1 }, { sha256: 'a', count: 1 }, '42').ok).toBe(true);
  });
});
