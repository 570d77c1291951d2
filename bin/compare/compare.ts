// The comparison core: simulated runs against real ones (or, with no real runs, against the Redis timer
// windows alone): per fault, a band per milestone and verdicts; over the whole run, final masters and epochs.
import { factsOf, type RunFacts, type RunSegment } from './extract.ts';
import type { Band, Comparison, MilestoneRow, RowWindow, RunInput, ScenarioParams, SegmentComparison, SequenceCount, Verdict, VerdictRow } from './model.ts';
import { inWindow, windowFor, type RunWindow } from './windows.ts';

const round = (x: number) => Math.round(x * 1000) / 1000;

export function band(values: (number | null)[]): Band {
  const xs = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const n = xs.length;
  const median = n === 0 ? null : n % 2 === 1 ? xs[(n - 1) / 2]! : (xs[n / 2 - 1]! + xs[n / 2]!) / 2;
  return {
    n,
    of: values.length,
    min: n ? round(xs[0]!) : null,
    max: n ? round(xs[n - 1]!) : null,
    median: median === null ? null : round(median),
    values: values.map((v) => (v === null ? null : round(v))),
  };
}

// ---- event sequences per role ------------------------------------------------------------------------

/** A follower's own detection of the master: may come before or after the leader's vote request. */
const DETECTION: ReadonlySet<string> = new Set(['+sdown master', '+odown master']);

/**
 * Events whose place among the failover steps is set by timers of their own, not by the failover state machine
 * (sentinel.c): the per-instance PING/INFO checks of each replica and Sentinel (sentinelHandleRedisInstance runs
 * for every instance on every tick; each INFO reply arrives on its own connection — +sdown/-sdown/+slave/+reboot,
 * and +slave-reconf-sent/inprog/done, read from each replica's INFO while reconfiguring), and the leader's
 * `-odown`, set by the is-master-down-by-addr replies asked once a second (SENTINEL_ASK_PERIOD). Two runs that
 * log the same steps may interleave these differently: they are compared as a set, the steps in order.
 */
export const UNORDERED: ReadonlySet<string> = new Set([
  '-odown master',
  '+sdown slave',
  '-sdown slave',
  '+slave',
  '+reboot slave',
  '+slave-reconf-sent',
  '+slave-reconf-inprog',
  '+slave-reconf-done',
  '+sdown sentinel',
  '-sdown sentinel',
  '+sentinel',
  '+reboot sentinel',
]);

/** Consecutive repeats of a label collapsed into one. */
export function collapse(seq: readonly string[]): string[] {
  return seq.filter((x, i) => i === 0 || x !== seq[i - 1]);
}

/**
 * The key two sequences of a role must share: the failover steps in order (for a follower, its own detection
 * apart from the rest), and the events of independent timers (UNORDERED) as a set.
 */
export function sequenceKey(seq: readonly string[], role: 'leader' | 'follower'): string {
  const side = [...new Set(seq.filter((x) => UNORDERED.has(x)))].sort();
  const steps = seq.filter((x) => !UNORDERED.has(x));
  const sideKey = side.length ? ` { ${side.join(', ')} }` : '';
  if (role === 'leader') return collapse(steps).join(' ') + sideKey;
  const det = collapse(steps.filter((x) => DETECTION.has(x)));
  const rest = collapse(steps.filter((x) => !DETECTION.has(x)));
  return `${det.join(' ')} | ${rest.join(' ')}${sideKey}`;
}

interface RoleSeqs {
  leader: { key: string; seq: string[]; who: string }[];
  follower: { key: string; seq: string[]; who: string }[];
}

function roleSequences(facts: RunFacts[], index: number, labels: string[]): RoleSeqs {
  const out: RoleSeqs = { leader: [], follower: [] };
  facts.forEach((f, i) => {
    const seg = f.segments[index];
    if (!seg) return;
    for (const s of f.sentinels) {
      const seq = seg.sequences.get(s) ?? [];
      const role = s === seg.leader ? 'leader' : 'follower';
      out[role].push({ key: sequenceKey(seq, role), seq: collapse(seq), who: `${labels[i]} ${s}` });
    }
  });
  return out;
}

function distinct(list: RoleSeqs['leader']): SequenceCount[] {
  const m = new Map<string, SequenceCount>();
  for (const x of list) {
    const c = m.get(x.key);
    if (c) c.count++;
    else m.set(x.key, { sequence: x.seq, count: 1 });
  }
  return [...m.values()];
}

function sequenceVerdict(role: 'leader' | 'follower', sim: RoleSeqs['leader'], real: RoleSeqs['leader'], haveReal: boolean): VerdictRow {
  const name = `${role} event sequence`;
  if (!haveReal) return { name, verdict: 'n/a', detail: `no real runs; ${distinct(sim).length} distinct simulated sequence(s)` };
  if (sim.length === 0 && real.length === 0) return { name, verdict: 'n/a', detail: `no ${role} in any run` };
  if (sim.length === 0 || real.length === 0)
    return { name, verdict: 'fail', detail: sim.length === 0 ? `a ${role} in the real runs only` : `a ${role} in the simulated runs only` };
  const realKeys = new Set(real.map((x) => x.key));
  const bad = sim.filter((x) => !realKeys.has(x.key));
  if (bad.length === 0) {
    const d = distinct(sim);
    return { name, verdict: 'pass', detail: d.length === 1 ? d[0]!.sequence.join(' ') : `${d.length} distinct sequences, each one a real ${role} logged` };
  }
  const b = bad[0]!;
  return {
    name,
    verdict: 'fail',
    detail: `${bad.length} of ${sim.length} simulated ${role}(s) logged a sequence no real ${role} did, e.g. ${b.who}: ${b.seq.join(' ')} — real: ${distinct(real)
      .map((x) => x.sequence.join(' '))
      .join(' / ')}`,
  };
}

// ---- milestone rows -------------------------------------------------------------------------------------

function rowLabel(key: string, segs: (RunSegment | undefined)[]): string {
  const [kind, node] = key.includes(':') ? [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)] : [key, ''];
  switch (kind) {
    case 'sdown':
      return `+sdown master ${node}`;
    case 'odown':
      return '+odown (first)';
    case 'try-failover':
      return '+new-epoch/+try-failover';
    case 'switch-master':
      return `+switch-master ${node}`;
    case '-sdown':
      return `-sdown old master ${node}`;
    case 'heal': {
      const h = segs.find((s) => s?.heal)?.heal;
      if (!h) return 'heal';
      if (h.fault === 'heal') return 'heal: network healed';
      if (h.fault === 'set-link') return 'heal: links clean again';
      return `heal: ${h.fault}${h.target ? ` ${h.target}` : ''}`;
    }
    case 'outage':
      return 'client outage (worst client)';
    default:
      return `+${kind}`;
  }
}

function rowOrder(sentinels: string[]): string[] {
  return [
    ...sentinels.map((s) => `sdown:${s}`),
    'odown',
    'try-failover',
    'elected-leader',
    'selected-slave',
    'promoted-slave',
    ...sentinels.map((s) => `switch-master:${s}`),
    'heal',
    ...sentinels.map((s) => `-sdown:${s}`),
    'convert-to-slave',
    'outage',
  ];
}

/** The union of the runs' windows (they differ only where the rule depends on the run). */
function unionWindow(ws: RunWindow[]): RowWindow | null {
  if (ws.length === 0) return null;
  return {
    anchor: [...new Set(ws.map((w) => w.def.anchor))].join(' / '),
    loMs: Math.min(...ws.map((w) => w.def.loMs)),
    hiMs: Math.max(...ws.map((w) => w.def.hiMs)),
    reasons: [...new Set(ws.map((w) => w.def.reason))],
  };
}

/** Values (ms) of one milestone and their windows, per run. */
function milestoneOf(segs: (RunSegment | undefined)[], key: string, p: ScenarioParams) {
  const values = segs.map((s) => s?.marks.get(key)?.ms ?? null);
  const windows = segs.map((s) => (s ? windowFor(key, s, p) : null));
  let n = 0;
  let of = 0;
  values.forEach((v, i) => {
    const w = windows[i];
    if (v === null || !w) return;
    of++;
    if (inWindow(v, w, p.slackMs)) n++;
  });
  return { values, windows: windows.filter((w): w is RunWindow => w !== null), inWindow: of > 0 ? { n, of } : null };
}

/**
 * Rows that follow the heal (-sdown and +convert-to-slave of the old master). Their band is taken in ms after the
 * heal when every run that reached them was healed before: a script may heal after waiting for events, at
 * another instant of each run (ex3-client-side: 28.7–28.9 s after the cut simulated, 29.2–29.6 s real), and
 * what these rows measure starts at the heal.
 */
const AFTER_HEAL = (key: string) => key.startsWith('-sdown:') || key === 'convert-to-slave';

/** Values made relative to each run's heal, or null when some run reached the milestone without a heal before it. */
function fromHeal(segs: (RunSegment | undefined)[], values: (number | null)[]): (number | null)[] | null {
  const out: (number | null)[] = [];
  for (const [i, v] of values.entries()) {
    if (v === null) {
      out.push(null);
      continue;
    }
    const h = segs[i]?.marks.get('heal');
    if (!h || h.ms > v) return null;
    out.push(v - h.ms);
  }
  return out;
}

/** Slack around the real band, ms: real processes start and schedule with jitter of this order. */
export const BAND_SLACK_MS = 50;

/** Informational rows: no verdict of their own (the script sets them). */
const INFORMATIONAL = new Set(['heal']);
/** Rows with no Redis window: compared with the real band only. */
const BAND_ONLY = new Set(['outage', 'lost']);

export function judgeRow(key: string, label: string, sim: Band, real: Band, window: RowWindow | null, simIn: MilestoneRow['simInWindow'], realIn: MilestoneRow['realInWindow'], haveReal: boolean): MilestoneRow {
  const row = (verdict: Verdict, how: string): MilestoneRow => ({ key, label, sim, real, window, simInWindow: simIn, realInWindow: realIn, verdict, how });
  if (INFORMATIONAL.has(key)) return row('n/a', 'set by the script');
  if (sim.n === 0 && real.n === 0) return row('n/a', 'reached in no run');
  if (haveReal && (sim.n === 0) !== (real.n === 0)) return row('fail', sim.n === 0 ? 'reached in the real runs only' : 'reached in the simulated runs only');
  // a few real runs give a narrow band: the same ± slack as the windows (scheduling jitter of real processes)
  if (haveReal && sim.n > 0 && sim.min! >= real.min! - BAND_SLACK_MS && sim.max! <= real.max! + BAND_SLACK_MS)
    return row('pass', sim.min! >= real.min! && sim.max! <= real.max! ? 'band' : `band ±${BAND_SLACK_MS} ms`);
  if (window && simIn && !BAND_ONLY.has(key)) {
    const unchecked = sim.n - simIn.of;
    const note = unchecked > 0 ? ` (${unchecked} run(s) without the anchor unchecked)` : '';
    if (simIn.n === simIn.of) return row('pass', `window${note}`);
    return row('fail', `${simIn.of - simIn.n} simulated run(s) outside the window${note}`);
  }
  if (!haveReal) return row('n/a', BAND_ONLY.has(key) ? 'no real runs' : 'no real runs and no window');
  return row('fail', 'outside the real band');
}

// ---- the comparison -------------------------------------------------------------------------------------

/** A simulated run's promoted replica, and the replicas it tied with on priority and offset (the run id chose). */
interface SimPromotion {
  promoted: string | null;
  tiedByRunid: string[] | null;
}

/**
 * Each simulated outcome is one some real run reached. Where the simulated leader's candidates tied on priority
 * and offset, compareSlavesForPromotion (sentinel.c) picks the smaller run id — random per process, on real Redis
 * as in the simulator — so any replica of that tie agrees.
 */
const reachedByReal = (x: SimPromotion, real: readonly (string | null)[]) =>
  x.tiedByRunid && x.promoted !== null && x.tiedByRunid.includes(x.promoted) ? real.some((r) => r !== null && x.tiedByRunid!.includes(r)) : real.includes(x.promoted);

function tieNote(sim: readonly SimPromotion[]): string {
  const ties = sim.filter((x) => x.tiedByRunid);
  if (ties.length === 0) return '';
  const sets = [...new Set(ties.map((x) => x.tiedByRunid!.join(', ')))];
  return ` (${ties.length} of ${sim.length} simulated chosen by run id among replicas of equal priority and offset: ${sets.join(' / ')})`;
}

function promotedVerdict(sim: SimPromotion[], real: (string | null)[], haveReal: boolean): VerdictRow {
  const name = 'same promoted replica';
  const show = (xs: (string | null)[]) => {
    const c = new Map<string, number>();
    for (const x of xs) c.set(x ?? 'none', (c.get(x ?? 'none') ?? 0) + 1);
    return [...c].map(([k, n]) => `${k} ×${n}`).join(', ');
  };
  const detail = `simulated ${show(sim.map((x) => x.promoted))}${haveReal ? `; real ${show(real)}` : ''}${tieNote(sim)}`;
  if (!haveReal) return { name, verdict: 'n/a', detail: `${detail}; no real runs` };
  if (sim.every((x) => x.promoted === null) && real.every((x) => x === null)) return { name, verdict: 'n/a', detail: 'no replica promoted in any run' };
  const ok = sim.every((x) => reachedByReal(x, real));
  return { name, verdict: ok ? 'pass' : 'fail', detail };
}

function finalMasterVerdict(sim: RunFacts[], real: RunFacts[], haveReal: boolean): VerdictRow {
  const name = 'same final master on every Sentinel';
  const count = (fs: RunFacts[]) => {
    const c = new Map<string, number>();
    for (const f of fs) for (const s of f.sentinels) c.set(f.masters[s] ?? 'none', (c.get(f.masters[s] ?? 'none') ?? 0) + 1);
    return c;
  };
  const cs = count(sim);
  const cr = count(real);
  const show = (c: Map<string, number>) => [...c].map(([k, n]) => `${k} ×${n}`).join(', ');
  const detail = `simulated ${show(cs)}${haveReal ? `; real ${show(cr)}` : ''}`;
  if (!haveReal) return { name, verdict: 'n/a', detail: `${detail}; no real runs` };
  // every Sentinel of a run names one master, and each simulated outcome is one real Redis reached: where
  // replicas tie (same priority and offset), Redis picks by run id, random per process, so real runs differ
  const agreed = (f: RunFacts) => {
    const ms = new Set(f.sentinels.map((s) => f.masters[s] ?? 'none'));
    return ms.size === 1 && !ms.has('none') ? [...ms][0]! : null;
  };
  const simM = sim.map(agreed);
  const realM = real.map(agreed);
  const split = simM.includes(null) || realM.includes(null);
  // a final master that is the run's last promotion, chosen by run id among tied replicas: any of them agrees
  const tieOf = (f: RunFacts, m: string | null): SimPromotion => {
    const seg = [...f.segments].reverse().find((s) => s.promoted !== null);
    return { promoted: m, tiedByRunid: seg && seg.promoted === m ? seg.tiedByRunid : null };
  };
  const ok = !split && sim.every((f, i) => reachedByReal(tieOf(f, simM[i]!), realM));
  return { name, verdict: ok ? 'pass' : 'fail', detail: split ? `${detail} (Sentinels of one run disagree)` : detail };
}

function epochsVerdict(sim: RunFacts[], real: RunFacts[], sentinels: string[], haveReal: boolean): VerdictRow {
  const name = 'same epochs (final current and config epoch per Sentinel)';
  const ep = (f: RunFacts, s: string) => `current ${f.currentEpochs[s] ?? '?'}, config ${f.configEpochs[s] ?? '?'}`;
  const diffs: string[] = [];
  const seen = new Set<string>();
  for (const s of sentinels) {
    const vs = sim.map((f) => ep(f, s));
    const vr = real.map((f) => ep(f, s));
    const all = new Set([...vs, ...(haveReal ? vr : [])]);
    for (const v of all) seen.add(v);
    if (all.size > 1) {
      const show = (xs: string[]) => [...new Set(xs)].map((x) => `${x} ×${xs.filter((y) => y === x).length}`).join('; ');
      diffs.push(`${s}: simulated ${show(vs)}${haveReal ? ` / real ${show(vr)}` : ''}`);
    }
  }
  const derived = [...sim, ...real].some((f) => f.configEpochSource === 'events') ? ' (config epochs of some runs derived from their events)' : '';
  if (!haveReal) return { name, verdict: 'n/a', detail: `${diffs.length ? diffs.join(' · ') : `simulated: ${[...seen].join('; ')} on every Sentinel`}; no real runs${derived}` };
  if (diffs.length === 0) return { name, verdict: 'pass', detail: `${[...seen].join('; ')} on every Sentinel of every run${derived}` };
  return { name, verdict: 'fail', detail: diffs.join(' · ') + derived };
}

export interface CompareInput {
  scenario: string;
  params: ScenarioParams;
  sim: RunInput[];
  real: RunInput[];
  realSource: string;
}

export function compareRuns(inp: CompareInput): Comparison {
  const { params: p } = inp;
  const haveReal = inp.real.length > 0;
  const sim = inp.sim.map((r) => factsOf(r, p.masterName));
  const real = inp.real.map((r) => factsOf(r, p.masterName));
  const first = inp.sim[0] ?? inp.real[0];
  const sentinels = first ? first.header.topology.nodes.filter((n) => n.kind === 'sentinel').map((n) => n.name) : [];
  const nSegs = Math.max(0, ...sim.map((f) => f.segments.length), ...real.map((f) => f.segments.length));
  const segments: SegmentComparison[] = [];
  for (let i = 0; i < nSegs; i++) {
    const ss = sim.map((f) => f.segments[i]);
    const rs = real.map((f) => f.segments[i]);
    const ref = ss.find((s) => s) ?? rs.find((s) => s)!;
    const rows: MilestoneRow[] = [];
    for (const key of rowOrder(sentinels)) {
      const ms = milestoneOf(ss, key, p);
      const mr = milestoneOf(rs, key, p);
      // the windows are checked on the values after the fault; the bands of post-heal rows are after the heal
      const hs = AFTER_HEAL(key) ? fromHeal(ss, ms.values) : null;
      const hr = AFTER_HEAL(key) ? fromHeal(rs, mr.values) : null;
      const healed = hs !== null && hr !== null;
      const bs = band(healed ? hs : ms.values);
      const br = band(healed ? hr : mr.values);
      if (bs.n === 0 && br.n === 0) continue;
      const label = rowLabel(key, [...ss, ...rs]) + (healed ? ' (after heal)' : '');
      rows.push(judgeRow(key, label, bs, br, unionWindow([...ms.windows, ...mr.windows]), ms.inWindow, mr.inWindow, haveReal));
    }
    const simSeq = roleSequences(sim, i, inp.sim.map((r) => r.label));
    const realSeq = roleSequences(real, i, inp.real.map((r) => r.label));
    const verdicts: VerdictRow[] = [
      promotedVerdict(
        ss.map((s) => ({ promoted: s?.promoted ?? null, tiedByRunid: s?.tiedByRunid ?? null })),
        rs.map((s) => s?.promoted ?? null),
        haveReal,
      ),
      sequenceVerdict('leader', simSeq.leader, realSeq.leader, haveReal),
      sequenceVerdict('follower', simSeq.follower, realSeq.follower, haveReal),
    ];
    // the same fault in every run (a scenario's script decides it; different ones make the rows meaningless)
    const kinds = new Set([...ss, ...rs].filter((s) => s).map((s) => `${s!.fault.fault} ${s!.fault.target ?? ''}`.trim()));
    if (kinds.size > 1) verdicts.unshift({ name: 'same fault in every run', verdict: 'fail', detail: [...kinds].join(' / ') });
    segments.push({
      index: i + 1,
      fault: { fault: ref.fault.fault, target: ref.fault.target ?? null, ...(ref.fault.args ? { args: ref.fault.args } : {}) },
      oldMaster: ref.oldMaster,
      rows,
      verdicts,
      sequences: {
        leader: { sim: distinct(simSeq.leader), real: distinct(realSeq.leader) },
        follower: { sim: distinct(simSeq.follower), real: distinct(realSeq.follower) },
      },
    });
  }
  const rows: MilestoneRow[] = [];
  if (sim.some((f) => f.lostAcknowledged !== null) || real.some((f) => f.lostAcknowledged !== null)) {
    rows.push(
      judgeRow(
        'lost',
        'acknowledged writes lost',
        band(sim.map((f) => f.lostAcknowledged)),
        band(real.map((f) => f.lostAcknowledged)),
        null,
        null,
        null,
        haveReal,
      ),
    );
  }
  const verdicts = [finalMasterVerdict(sim, real, haveReal), epochsVerdict(sim, real, sentinels, haveReal)];
  const all = [...segments.flatMap((s) => [...s.rows.map((r) => r.verdict), ...s.verdicts.map((v) => v.verdict)]), ...rows.map((r) => r.verdict), ...verdicts.map((v) => v.verdict)];
  const failed = all.filter((v) => v === 'fail').length;
  const versions = [...new Set(inp.real.map((r) => r.redisVersion).filter((v): v is string => !!v))];
  return {
    format: 'sentinel-sim-compare',
    version: 1,
    scenario: inp.scenario,
    realSource: inp.realSource,
    redisVersion: versions.length ? versions.join(', ') : null,
    slackMs: p.slackMs,
    runs: [...inp.sim, ...inp.real].map((r) => ({
      label: r.label,
      kind: r.kind,
      seed: r.seed,
      status: r.status,
      error: r.error,
      ...(r.sha256 ? { sha256: r.sha256 } : {}),
      ...(r.skipped?.length ? { skipped: r.skipped } : {}),
      ...(r.redisVersion ? { redisVersion: r.redisVersion } : {}),
    })),
    segments,
    rows,
    verdicts,
    ok: failed === 0,
    failed,
  };
}
