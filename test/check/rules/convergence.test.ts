// convergence (engine/check/convergence.ts) rule by rule: probeVerdict's every problem, the bound's
// terms, the deadline edge, probes before the quiet period and the runs with nothing to check.
import { describe, expect, it } from 'vitest';
import { checkConvergence, convergenceBoundMs, convergenceTerms, probeVerdict } from '../../../engine/check/convergence.ts';
import type { ProbeData } from '../../../engine/check/types.ts';
import { input, M, note, R1, R2, S1, S2, S3 } from '../traces.ts';

const SENT = [S1, S2, S3];
const SERV = [M, R1, R2];
const agreed = { [S1]: R2, [S2]: R2, [S3]: R2 };
const good: ProbeData['servers'] = { [R2]: { role: 'master' }, [M]: { role: 'slave', master: R2, link: 'connected' }, [R1]: { role: 'slave', master: R2, link: 'connected' } };
const verdict = (sentinels: ProbeData['sentinels'], servers: ProbeData['servers']) => probeVerdict({ sentinels, servers }, SENT, SERV);

describe('probeVerdict', () => {
  it('a converged probe has no problem and names the master', () => {
    expect(verdict(agreed, good)).toEqual({ master: R2, problems: [] });
  });

  it('Sentinels not asked or naming no master', () => {
    expect(verdict({ [S1]: R2, [S2]: null }, good).problems).toEqual([`Sentinel ${S2} names no master`, `Sentinel ${S3} was not asked`]);
  });

  it('no master at all; the master then comes from the one server reporting it', () => {
    const v = verdict({ [S1]: null, [S2]: null, [S3]: null }, good);
    expect(v.master).toBe(R2);
    const none = verdict(agreed, { ...good, [R2]: { role: 'slave', master: M, link: 'connected' } });
    expect(none.problems).toContain('0 servers report role master');
    // with no master at all, the Sentinels' choice is not also blamed for its role
    expect(none.problems.some((p) => p.startsWith('the Sentinels'))).toBe(false);
  });

  it('the Sentinels name a server that is not the one reporting master', () => {
    const v = verdict({ [S1]: R1, [S2]: R1, [S3]: R1 }, good);
    expect(v.master).toBe(R1);
    expect(v.problems).toContain(`the Sentinels name ${R1}, which reports role slave`);
    const gone = probeVerdict({ sentinels: { [S1]: '10.9.9.9:1', [S2]: '10.9.9.9:1', [S3]: '10.9.9.9:1' }, servers: good }, SENT, SERV);
    expect(gone.problems).toContain('the Sentinels name 10.9.9.9:1, which reports role unknown');
  });

  it('a server not probed, or in another role, is a problem', () => {
    const { [R1]: _, ...rest } = good;
    expect(verdict(agreed, rest).problems).toEqual([`${R1} was not probed`]);
    expect(verdict(agreed, { ...good, [R1]: { role: 'down' } }).problems).toEqual([`${R1} is down`]);
  });

  it('chains: through a connected replica passes; a broken link or a loop fails', () => {
    expect(verdict(agreed, { ...good, [R1]: { role: 'slave', master: M, link: 'connected' } }).problems).toEqual([]);
    expect(verdict(agreed, { ...good, [R1]: { role: 'slave', master: M, link: 'connected' }, [M]: { role: 'slave', master: R2, link: 'connecting' } }).problems).toEqual([
      `${M}'s link to ${R2} is connecting`,
      `${R1} replicates through ${M}, whose link to ${R2} is connecting`,
    ]);
    const loop = verdict(agreed, { ...good, [R1]: { role: 'slave', master: M, link: 'connected' }, [M]: { role: 'slave', master: R1, link: 'connected' } });
    expect(loop.problems).toEqual([`${M} replicates from ${R1} → ${M}, not from ${R2}`, `${R1} replicates from ${M} → ${R1}, not from ${R2}`]);
    // a replica of a server that is not probed as a replica
    expect(verdict(agreed, { ...good, [R1]: { role: 'slave', master: '10.9.9.9:1', link: 'connected' } }).problems).toEqual([`${R1} replicates from 10.9.9.9:1, not from ${R2}`]);
  });
});

describe('checkConvergence', () => {
  const probe = (t: number, servers = good, sentinels: ProbeData['sentinels'] = agreed) => note(t, 'probe', { sentinels, servers });
  // the bound for DA 5 s, FT 10 s (pinned in 'the bound is …'): a literal, so a mutant of the bound fails a test, not the file's collection
  const bound = 121_000;

  it('the bound\'s terms', () => {
    expect(convergenceTerms(3000, 20000)).toEqual({ tilt: 30000, retryGate: 40000, detection: 23000, election: 11000, failover: 20000, propagation: 20000, sync: 5000 });
    expect(convergenceTerms(3000, 4000).election).toBe(5000);
  });

  it('converged exactly at the deadline passes; one µs later fails', () => {
    const at = 100 + bound / 1000;
    const r = checkConvergence(input([note(100, 'quiet', {}), probe(at)]));
    expect(r.ok, r.report).toBe(true);
    expect(r.figures).toEqual({ convergedAfterMs: bound, boundMs: bound });
    expect(r.report).toContain(`converged on ${R2} 121.0 s after the quiet period began at 00:01:40.000 (bound 121 s)`);
    const late = checkConvergence(input([note(100, 'quiet', {}), probe(at + 1e-6)]));
    expect(late.violations[0]!.message).toMatch(/: it converged only 121\.0 s after the quiet period began$/);
  });

  it('probes before the quiet period do not count; the last problems are reported', () => {
    const r = checkConvergence(input([probe(50), note(100, 'quiet', {}), probe(110, { ...good, [R1]: { role: 'down' } })]));
    expect(r.ok).toBe(false);
    expect(r.violations[0]!.t).toBe(110e6);
    expect(r.violations[0]!.message).toMatch(/with DA 5000 ms, FT 10000 ms\): 127\.0\.0\.1:6380 is down$/);
    expect(r.report).toContain('1 probe(s) after the quiet period');
    expect(checkConvergence(input([probe(50), note(100, 'quiet', {})])).violations[0]!.message).toMatch(/: no probe was recorded$/);
  });

  it('a late convergence is reported as late even if later probes break again', () => {
    const at = 100 + bound / 1000;
    const r = checkConvergence(input([note(100, 'quiet', {}), probe(at + 5), probe(at + 6, { ...good, [R1]: { role: 'down' } })]));
    expect(r.violations[0]!.message).toMatch(/it converged only 126\.0 s after/);
  });

  it('without a quiet period or a configuration there is nothing to check', () => {
    expect(checkConvergence(input([probe(10)])).report).toContain('no quiet period in this trace: nothing to check');
    expect(checkConvergence(input([note(100, 'quiet', {}), probe(110, { [R1]: { role: 'down' } })], null)).ok).toBe(true);
  });
});

describe('probeVerdict messages (mutation testing, issue 20)', () => {
  it('disagreeing Sentinels are listed with what each names', () => {
    const v = verdict({ [S1]: R2, [S2]: R1, [S3]: null }, good);
    expect(v.master).toBe(R2);
    expect(v.problems).toEqual([`Sentinel ${S3} names no master`, `Sentinels disagree: ${S1} → ${R2}, ${S2} → ${R1}, ${S3} → null`]);
  });

  it('several masters are named; none is said without a list', () => {
    const two = verdict(agreed, { ...good, [M]: { role: 'master' } });
    expect(two.problems).toEqual([`2 servers report role master (${M}, ${R2})`]);
    expect(two.master).toBe(R2);
    const none = verdict({ [S1]: null, [S2]: null, [S3]: null }, { ...good, [R2]: { role: 'slave', master: M, link: 'connected' } });
    expect(none.master).toBe(null);
    expect(none.problems).toContain('0 servers report role master');
    // with no master named or found, every replica is a replica of the wrong one (here a loop)
    expect(none.problems).toContain(`${M} replicates from ${R2} → ${M}, not from null`);
  });

  it('a replica that names no master is not a replica of the agreed one', () => {
    expect(verdict(agreed, { ...good, [R1]: { role: 'slave', link: 'connected' } }).problems).toEqual([`${R1} replicates from undefined, not from ${R2}`]);
  });

  it('a replica of a second master is a replica of the wrong master, not a chain through it', () => {
    const v = verdict(agreed, { ...good, [M]: { role: 'master' }, [R1]: { role: 'slave', master: M, link: 'connected' } });
    expect(v.problems).toEqual([`2 servers report role master (${M}, ${R2})`, `${R1} replicates from ${M}, not from ${R2}`]);
  });

  it('a chain through a replica that is not connected names the replica it went through', () => {
    const chain = { ...good, [R1]: { role: 'slave', master: M, link: 'connected' }, [M]: { role: 'slave', master: '10.9.9.9:1', link: 'connected' } };
    expect(verdict(agreed, chain).problems).toEqual([`${M} replicates from 10.9.9.9:1, not from ${R2}`, `${R1} replicates from ${M} → 10.9.9.9:1, not from ${R2}`]);
  });
});

describe('checkConvergence figures (mutation testing, issue 20)', () => {
  const probe = (t: number, servers = good) => note(t, 'probe', { sentinels: agreed, servers });

  it('the time to converge is rounded to the ms; the first converged probe counts', () => {
    const r = checkConvergence(input([note(100, 'quiet', {}), probe(99, good), probe(100.0004), probe(101)]));
    expect(r.figures).toEqual({ convergedAfterMs: 0, boundMs: 121000 });
    expect(r.report).toContain('converged on 127.0.0.1:6381 0.0 s after');
    const later = checkConvergence(input([note(100, 'quiet', {}), probe(100.2, { ...good, [R1]: { role: 'down' } }), probe(112.3456)]));
    expect(later.figures).toEqual({ convergedAfterMs: 12346, boundMs: 121000 });
    expect(later.report).toContain('12.3 s after the quiet period began at 00:01:40.000');
  });

  it('a failure is placed at the last probe and counts the probes after the quiet period', () => {
    const bad = { ...good, [R1]: { role: 'down' } };
    const r = checkConvergence(input([probe(50, bad), note(100, 'quiet', {}), probe(110, bad), probe(120, bad)]));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]!.t).toBe(120e6);
    expect(r.violations[0]!.message).toBe(
      `not converged within 121 s of the quiet period (began 00:01:40.000, bound = 3·FT + min(10 s, FT) + DA + 76 s with DA 5000 ms, FT 10000 ms): ${R1} is down`,
    );
    expect(r.report).toContain('2 probe(s) after the quiet period');
    expect(r.figures).toEqual({ boundMs: 121000 });
    // no probe at all: placed at the quiet period's start
    expect(checkConvergence(input([note(100, 'quiet', {})])).violations[0]!.t).toBe(100e6);
  });

  it('the bound is 3·FT + min(10 s, FT) + DA + 76 s', () => {
    expect(convergenceBoundMs(5000, 10000)).toBe(121_000);
    expect(convergenceBoundMs(1000, 2000)).toBe(3 * 2000 + 2000 + 1000 + 76000);
    expect(convergenceBoundMs(30000, 180000)).toBe(3 * 180000 + 10000 + 30000 + 76000);
  });
});

describe('convergence edges (mutation testing, issue 20)', () => {
  const probe = (t: number, servers = good, sentinels: ProbeData['sentinels'] = agreed) => note(t, 'probe', { sentinels, servers });
  // the bound for DA 5 s, FT 10 s (pinned in 'the bound is …'): a literal, so a mutant of the bound fails a test, not the file's collection
  const bound = 121_000;

  it('with no agreed master and several servers reporting master, nobody is blamed for the Sentinels\' choice', () => {
    const v = verdict({ [S1]: R1, [S2]: R2, [S3]: R2 }, { ...good, [M]: { role: 'master' } });
    expect(v.master).toBe(null);
    expect(v.problems.some((p) => p.startsWith('the Sentinels name'))).toBe(false);
  });

  it('the named master is not itself judged as a replica', () => {
    expect(verdict({ [S1]: R1, [S2]: R1, [S3]: R1 }, good).problems).toEqual([
      `the Sentinels name ${R1}, which reports role slave`,
      `${M} replicates from ${R2}, not from ${R1}`,
    ]);
  });

  it('a probe at the quiet period\'s first instant counts', () => {
    const r = checkConvergence(input([note(100, 'quiet', {}), probe(100)]));
    expect(r.figures).toEqual({ convergedAfterMs: 0, boundMs: bound });
  });

  it('results are named convergence', () => {
    expect(checkConvergence(input([probe(10)])).name).toBe('convergence');
    expect(checkConvergence(input([note(100, 'quiet', {}), probe(100)])).name).toBe('convergence');
    expect(checkConvergence(input([note(100, 'quiet', {})])).name).toBe('convergence');
  });

  it('the probe count, the first late convergence, and every last problem are reported', () => {
    const bad = { ...good, [R1]: { role: 'down' }, [M]: { role: 'down' } };
    const r = checkConvergence(input([note(100, 'quiet', {}), probe(110, bad), probe(120, bad)]));
    expect(r.report.split('\n')).toContain('  2 probe(s) after the quiet period');
    expect(r.violations[0]!.message).toMatch(new RegExp(`: ${M} is down; ${R1} is down$`));
    const at = 100 + bound / 1000;
    const late = checkConvergence(input([note(100, 'quiet', {}), probe(at + 5), probe(at + 6)]));
    expect(late.violations[0]!.message).toMatch(/it converged only 126\.0 s after/);
  });
});
