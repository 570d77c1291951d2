// The comparison core of `sentinel-sim compare`: milestones extracted from simulated runs of the tutorial
// scenario and from the recorded real Redis 7.0.15 runs (oracle, adapted to the simulator's records), the
// bands and verdicts between them, the Redis timer windows (every recorded real value must lie inside its
// window), and runs made deliberately different failing the right verdicts.
import { describe, expect, it } from 'vitest';
import type { LogRecord, TraceHeader } from '../../engine/trace/types.ts';
import { band, collapse, compareRuns, sequenceKey } from '../../bin/compare/compare.ts';
import { segmentsOf } from '../../bin/compare/extract.ts';
import type { Comparison, MilestoneRow, ScenarioParams } from '../../bin/compare/model.ts';
import { oracleInputs, readOracleFile } from '../../bin/compare/oracle.ts';
import { sentinelParams } from '../../bin/compare/params.ts';
import type { SelectionNote } from '../../engine/sentinel/select.ts';
import { KILL_AT_US, oraclePath, rewritten, seedExactReal, simRun, tutorialParams } from './fixtures.ts';

const SEEDS = ['1', '2', '3', '4'];
const S = ['127.0.0.1:26371', '127.0.0.1:26372', '127.0.0.1:26373'];

const sims = () => Promise.all(SEEDS.map(simRun));
const row = (c: Comparison, key: string, seg = 0): MilestoneRow => {
  const r = c.segments[seg]!.rows.find((x) => x.key === key);
  if (!r) throw new Error(`no row ${key}`);
  return r;
};
const verdict = (c: Comparison, name: string, seg: number | null = 0) =>
  (seg === null ? c.verdicts : c.segments[seg]!.verdicts).find((v) => v.name.startsWith(name))!;

describe('milestone extraction', () => {
  it('finds the oracle\'s own milestones in its adapted runs (all four recorded scenarios)', async () => {
    const cases: { name: string; fault: string; target: string; master: string; header?: TraceHeader }[] = [
      { name: 'seed-exact', fault: 'kill', target: '127.0.0.1:7003', master: '127.0.0.1:7003' },
      { name: 'quorum2-3replicas', fault: 'kill', target: '127.0.0.1:17001', master: '127.0.0.1:17001' },
      { name: 'priority0', fault: 'kill', target: '127.0.0.1:17011', master: '127.0.0.1:17011' },
      { name: 'manual-failover', fault: 'sentinel-failover', target: '127.0.0.1:27371', master: '127.0.0.1:17051' },
    ];
    for (const c of cases) {
      const file = readOracleFile(oraclePath(c.name));
      const ports = [...new Set(file.runs.flatMap((r) => r.events.map((e) => e.sentinel)))];
      const header = oracleHeader(c.name, [c.master], ports);
      const runs = oracleInputs(file, { header, fault: { fault: c.fault, target: c.target, atUs: 5_000_000 }, monitor: { name: 'm', addr: c.master, quorum: 2 } });
      for (const [i, run] of runs.entries()) {
        const o = file.runs[i]!;
        const [seg] = segmentsOf(run);
        const at = (k: string) => seg!.marks.get(k)?.ms ?? null;
        const first = (prefix: string) => {
          const xs = [...seg!.marks].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v.ms);
          return xs.length ? Math.min(...xs) : null;
        };
        expect(seg!.oldMaster, c.name).toBe(c.master);
        expect(seg!.leader).toBe(`127.0.0.1:${o.leader}`);
        expect(first('sdown:')).toBe(o.milestones_ms['+sdown']);
        expect(at('odown')).toBe(o.milestones_ms['+odown']);
        expect(at('try-failover')).toBe(o.milestones_ms['+try-failover']);
        expect(at('elected-leader')).toBe(o.milestones_ms['+elected-leader']);
        expect(at('promoted-slave')).toBe(o.milestones_ms['+promoted-slave']);
        expect(first('switch-master:')).toBe(o.milestones_ms['+switch-master']);
        expect(at('convert-to-slave')).toBe(o.milestones_ms['+convert-to-slave']);
      }
    }
  });

  it('reads a simulated run of tutorial-failover: kill of 7003, 8003 promoted, restart 8 s later', async () => {
    for (const run of await sims()) {
      const segs = segmentsOf(run);
      expect(segs).toHaveLength(1);
      const seg = segs[0]!;
      expect(seg.fault.fault).toBe('kill');
      expect(seg.oldMaster).toBe('127.0.0.1:7003');
      expect(seg.promoted).toBe('127.0.0.1:8003');
      expect(S).toContain(seg.leader);
      expect(seg.marks.get('heal')!.ms).toBe(8000);
      for (const s of S) {
        expect(seg.marks.get(`sdown:${s}`)!.ms).toBeGreaterThan(1500);
        expect(seg.marks.get(`switch-master:${s}`)!.ms).toBeGreaterThan(seg.marks.get('promoted-slave')!.ms);
        expect(seg.marks.get(`-sdown:${s}`)!.ms).toBeGreaterThan(8000);
      }
      // the leader's own vote comes after its +try-failover: not counted as a vote for another Sentinel
      expect(seg.sequences.get(seg.leader!)!.slice(0, 5)).toEqual(['+sdown master', '+odown master', '+new-epoch', '+try-failover', '+vote-for-leader']);
      expect(seg.marks.has('outage')).toBe(false);
    }
  });

  it('reads the Sentinel settings the windows need from sentinel.conf', async () => {
    const p = await tutorialParams();
    expect(Object.keys(p.sentinels)).toEqual(S);
    expect(p.sentinels[S[0]!]).toEqual({ masterName: 'TestMaster', quorum: 1, downAfterMs: 1500, failoverTimeoutMs: 10000 });
    expect(p.masterName).toBe('TestMaster');
    expect(p.initialMaster).toBe('127.0.0.1:7003');
    expect(sentinelParams('port 1\nsentinel monitor m 10.0.0.1 6379 2\n')).toEqual({ masterName: 'm', quorum: 2, downAfterMs: 30000, failoverTimeoutMs: 180000 });
  });
});

describe('bands and sequences', () => {
  it('band: min–max, median over the runs that reached it', () => {
    expect(band([3, null, 1, 2])).toEqual({ n: 3, of: 4, min: 1, max: 3, median: 2, values: [3, null, 1, 2] });
    expect(band([1, 4]).median).toBe(2.5);
    expect(band([null, null])).toMatchObject({ n: 0, min: null, max: null, median: null });
  });

  it('collapses repeats; a follower\'s detection may come before or after the vote request', () => {
    expect(collapse(['+slave', '+slave', '+sdown slave', '+slave'])).toEqual(['+slave', '+sdown slave', '+slave']);
    const a = ['+sdown master', '+odown master', '+new-epoch', '+vote-for-leader', '+switch-master', '+slave', '+slave'];
    const b = ['+new-epoch', '+vote-for-leader', '+sdown master', '+odown master', '+switch-master', '+slave'];
    expect(sequenceKey(a, 'follower')).toBe(sequenceKey(b, 'follower'));
    expect(sequenceKey(a, 'leader')).not.toBe(sequenceKey(b, 'leader'));
    expect(sequenceKey(['+new-epoch', '+odown master', '+switch-master'], 'follower')).not.toBe(sequenceKey(b, 'follower'));
  });

  it('events of independent timers (replicas\' INFO, -odown) are compared as a set; the failover steps in order', () => {
    const steps = ['+try-failover', '+elected-leader', '+failover-state-reconf-slaves', '+failover-end', '+switch-master'];
    const a = [...steps.slice(0, 3), '+slave-reconf-sent', '+slave-reconf-done', '-odown master', ...steps.slice(3)];
    const b = [...steps.slice(0, 3), '-odown master', '+slave-reconf-sent', '+slave-reconf-done', ...steps.slice(3)];
    expect(sequenceKey(a, 'leader')).toBe(sequenceKey(b, 'leader'));
    // a step out of order, or a side event missing, still differs
    expect(sequenceKey([...a.slice(0, -2), '+switch-master', '+failover-end'], 'leader')).not.toBe(sequenceKey(a, 'leader'));
    expect(sequenceKey(a.filter((x) => x !== '-odown master'), 'leader')).not.toBe(sequenceKey(a, 'leader'));
  });
});

describe('simulated tutorial-failover vs the real seed-exact runs', () => {
  it('every verdict holds; each milestone inside the real band or its Redis window', async () => {
    const c = compareRuns({ scenario: 'tutorial-failover', params: await tutorialParams(), sim: await sims(), real: await seedExactReal(), realSource: 'oracle' });
    expect(c.failed, JSON.stringify(c.segments[0]!.rows.filter((r) => r.verdict === 'fail'))).toBe(0);
    expect(c.ok).toBe(true);
    const seg = c.segments[0]!;
    expect(seg.fault).toEqual({ fault: 'kill', target: '127.0.0.1:7003' });
    expect(seg.rows.map((r) => r.key)).toEqual([
      ...S.map((s) => `sdown:${s}`),
      'odown',
      'try-failover',
      'elected-leader',
      'selected-slave',
      'promoted-slave',
      ...S.map((s) => `switch-master:${s}`),
      'heal',
      ...S.map((s) => `-sdown:${s}`),
      'convert-to-slave',
    ]);
    for (const r of seg.rows) {
      expect(r.sim.n, r.key).toBe(SEEDS.length);
      expect(r.real.n, r.key).toBe(2);
      if (r.key === 'heal') continue;
      expect(['pass'], r.key).toContain(r.verdict);
      // the recorded real values lie inside the windows derived from Redis's timers
      expect(r.realInWindow, r.key).toEqual({ n: 2, of: 2 });
    }
    expect(row(c, 'elected-leader').real.values).toEqual([1675, 1636]);
    expect(row(c, 'convert-to-slave').window).toMatchObject({ anchor: 'heal', loMs: 10000, hiMs: 11200 });
    expect(verdict(c, 'same promoted replica').detail).toBe('simulated 127.0.0.1:8003 ×4; real 127.0.0.1:8003 ×2');
    for (const v of [...seg.verdicts, ...c.verdicts]) expect(v.verdict, v.name).toBe('pass');
    expect(verdict(c, 'same epochs', null).detail).toMatch(/^current 8395, config 8395 on every Sentinel of every run/);
    expect(c.segments[0]!.sequences.leader.real).toHaveLength(1);
  });

  it('the windows hold for the other recorded real runs too (quorum 2, three replicas; priority 0; manual failover)', () => {
    const cases = [
      { name: 'quorum2-3replicas', servers: [17001, 17002, 17003, 17004], fault: 'kill', target: '127.0.0.1:17001' },
      { name: 'priority0', servers: [17011, 17012, 17013], fault: 'kill', target: '127.0.0.1:17011' },
      { name: 'manual-failover', servers: [17051, 17052], fault: 'sentinel-failover', target: '127.0.0.1:27371' },
    ];
    for (const k of cases) {
      const sentinels = [27371, 27372, 27373];
      const master = `127.0.0.1:${k.servers[0]}`;
      const params: ScenarioParams = {
        sentinels: Object.fromEntries(sentinels.map((p) => [`127.0.0.1:${p}`, { masterName: 'mymaster', quorum: 2, downAfterMs: 1500, failoverTimeoutMs: 10000 }])),
        masterName: 'mymaster',
        initialMaster: master,
        slackMs: 50,
      };
      const real = oracleInputs(readOracleFile(oraclePath(k.name)), {
        header: oracleHeader(k.name, k.servers.map((p) => `127.0.0.1:${p}`), sentinels),
        fault: { fault: k.fault, target: k.target, atUs: 5_000_000 },
        monitor: { name: 'mymaster', addr: master, quorum: 2 },
      });
      // the real runs against themselves: every verdict holds, every value in its window
      const c = compareRuns({ scenario: k.name, params, sim: real, real, realSource: 'oracle' });
      expect(c.ok, k.name).toBe(true);
      for (const r of c.segments[0]!.rows) if (r.window) expect(r.realInWindow, `${k.name} ${r.key}`).toEqual({ n: real.length, of: real.length });
    }
  });
});

describe('a deliberately different run fails', () => {
  const setLine = (r: LogRecord, line: string) => Object.assign(r, { line });

  it('another promoted replica: ✗ same promoted replica', async () => {
    const [a, ...rest] = await sims();
    const odd = rewritten(a!, 'odd', (recs) => {
      for (const r of recs) if (r.k === 'log' && r.event === '+promoted-slave') setLine(r, r.line.replaceAll('8003', '9003'));
      return recs;
    });
    const c = compareRuns({ scenario: 't', params: await tutorialParams(), sim: [odd, ...rest], real: await seedExactReal(), realSource: 'oracle' });
    expect(verdict(c, 'same promoted replica')).toMatchObject({ verdict: 'fail', detail: 'simulated 127.0.0.1:9003 ×1, 127.0.0.1:8003 ×3; real 127.0.0.1:8003 ×2' });
    expect(c.ok).toBe(false);
  });

  // jepsen-2013: three replicas of equal priority cut at one instant hold the same offset; the smaller run id
  // (random per process) chooses, so a real run promoting another replica of the tie agrees
  const promote9003 = (run: Awaited<ReturnType<typeof sims>>[number], tie: boolean) =>
    rewritten(run, 'tie', (recs) => {
      for (const r of recs) {
        if (r.k === 'log' && (r.event === '+promoted-slave' || r.event === '+selected-slave')) setLine(r, r.line.replaceAll('8003', '9003'));
        if (r.k === 'note' && r.what === 'select-slave') {
          const sel = r.data as SelectionNote;
          const [only] = sel.replicas;
          r.data = { ...sel, chosen: '127.0.0.1:9003', replicas: [only!, { ...only!, name: '127.0.0.1:9003', runid: '0'.repeat(40), offset: only!.offset + (tie ? 0 : 1) }] };
        }
      }
      return recs;
    });

  it('a replica chosen by run id among replicas of equal priority and offset: any replica of the tie agrees', async () => {
    const [a, ...rest] = await sims();
    const c = compareRuns({ scenario: 't', params: await tutorialParams(), sim: [promote9003(a!, true), ...rest], real: await seedExactReal(), realSource: 'oracle' });
    expect(segmentsOf(promote9003(a!, true))[0]!.tiedByRunid).toEqual(['127.0.0.1:8003', '127.0.0.1:9003']);
    expect(verdict(c, 'same promoted replica')).toMatchObject({
      verdict: 'pass',
      detail: 'simulated 127.0.0.1:9003 ×1, 127.0.0.1:8003 ×3; real 127.0.0.1:8003 ×2 (1 of 4 simulated chosen by run id among replicas of equal priority and offset: 127.0.0.1:8003, 127.0.0.1:9003)',
    });
  });

  it('a replica chosen by a larger offset is no tie: ✗ same promoted replica', async () => {
    const [a, ...rest] = await sims();
    const c = compareRuns({ scenario: 't', params: await tutorialParams(), sim: [promote9003(a!, false), ...rest], real: await seedExactReal(), realSource: 'oracle' });
    expect(segmentsOf(promote9003(a!, false))[0]!.tiedByRunid).toBeNull();
    expect(verdict(c, 'same promoted replica')).toMatchObject({ verdict: 'fail', detail: 'simulated 127.0.0.1:9003 ×1, 127.0.0.1:8003 ×3; real 127.0.0.1:8003 ×2' });
  });

  it('an extra epoch: ✗ same epochs and ✗ the follower\'s event sequence', async () => {
    const [a] = await sims();
    const seg = segmentsOf(a!)[0]!;
    const follower = S.find((s) => s !== seg.leader)!;
    const odd = rewritten(a!, 'odd', (recs) => {
      const t = KILL_AT_US + 5_000_000;
      recs.push({ t, k: 'log', node: follower, kind: 'sentinel', pid: 1, role: 'X', wall: 0, level: '#', event: '+new-epoch', line: '+new-epoch 8396' });
      for (const r of recs)
        if (r.k === 'keyframe') {
          const v = (r.nodes[follower] as { view: { currentEpoch: number } }).view;
          v.currentEpoch = 8396;
        }
      return recs;
    });
    const c = compareRuns({ scenario: 't', params: await tutorialParams(), sim: [odd], real: await seedExactReal(), realSource: 'oracle' });
    expect(verdict(c, 'same epochs', null).verdict).toBe('fail');
    expect(verdict(c, 'same epochs', null).detail).toContain(`${follower}: simulated current 8396, config 8395 ×1 / real current 8395, config 8395 ×2`);
    expect(verdict(c, 'follower event sequence')).toMatchObject({ verdict: 'fail' });
    expect(verdict(c, 'follower event sequence').detail).toContain('+sdown slave +new-epoch -sdown slave');
    expect(verdict(c, 'leader event sequence').verdict).toBe('pass');
    expect(c.failed).toBe(2);
  });

  it('a late election: ✗ outside the real band and the window', async () => {
    const [a] = await sims();
    const odd = rewritten(a!, 'odd', (recs) => {
      for (const r of recs) if (r.k === 'log' && r.event === '+elected-leader') r.t += 600_000;
      return recs;
    });
    const c = compareRuns({ scenario: 't', params: await tutorialParams(), sim: [odd], real: await seedExactReal(), realSource: 'oracle' });
    const r = row(c, 'elected-leader');
    expect(r).toMatchObject({ verdict: 'fail', how: '1 simulated run(s) outside the window', simInWindow: { n: 0, of: 1 } });
    // +selected-slave is now before +elected-leader: outside its window as well
    expect(row(c, 'selected-slave').verdict).toBe('fail');
    expect(c.ok).toBe(false);
  });

  it('a milestone only one side reaches: ✗', async () => {
    const [a] = await sims();
    const odd = rewritten(a!, 'odd', (recs) => recs.filter((r) => !(r.k === 'log' && r.event === '+convert-to-slave')));
    const c = compareRuns({ scenario: 't', params: await tutorialParams(), sim: [odd], real: await seedExactReal(), realSource: 'oracle' });
    expect(row(c, 'convert-to-slave')).toMatchObject({ verdict: 'fail', how: 'reached in the real runs only' });
  });
});

describe('without real runs', () => {
  it('the windows alone decide the milestones; the other verdicts are n/a', async () => {
    const c = compareRuns({ scenario: 'tutorial-failover', params: await tutorialParams(), sim: await sims(), real: [], realSource: 'none' });
    expect(c.ok).toBe(true);
    for (const r of c.segments[0]!.rows) {
      expect(r.real.n).toBe(0);
      expect(r.verdict, r.key).toBe(r.key === 'heal' ? 'n/a' : 'pass');
      if (r.key !== 'heal') expect(r.how).toBe('window');
    }
    for (const v of [...c.segments[0]!.verdicts, ...c.verdicts]) expect(v.verdict).toBe('n/a');
  });
});

/** A header for an oracle scenario with no scenario file: its servers and Sentinels on one host. */
function oracleHeader(name: string, servers: string[], sentinelPorts: number[]): TraceHeader {
  return {
    format: 'sentinel-sim-trace',
    version: 1,
    seed: '',
    scenario: name,
    epochMs: 0,
    detail: 'events',
    topology: {
      hosts: [{ name: 'local', ip: '127.0.0.1' }],
      nodes: [
        ...servers.map((n) => ({ name: n, kind: 'server' as const, host: 'local' })),
        ...sentinelPorts.sort().map((p) => ({ name: `127.0.0.1:${p}`, kind: 'sentinel' as const, host: 'local' })),
      ],
    },
  };
}

