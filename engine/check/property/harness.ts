// The scenario side of a property case, shared by the property runner and the repro files it writes
// (so that `sentinel-sim run failures/x.ts` replays the very same calls): the cluster, the clients and
// their workload, each fault step as one executor call, the quiet period, the convergence wait with its
// probes, and the final read. Everything goes through the ScenarioExecutor interface (scenarios/api/executor.ts),
// so a repro file runs unchanged on the simulator and on real Redis (`sentinel-sim real failures/x.ts`).
import { cluster, type ClusterSpec, type ScenarioExecutor } from '../../../scenarios/api/index.ts';
import type { ScenarioClient, ScenarioWorkload } from '../../../scenarios/api/executor.ts';
import { js } from '../../../scenarios/api/admin.ts';
import { CHECK_APP_NAME } from '../app-history.ts';
import { convergenceBoundMs, probeVerdict } from '../convergence.ts';
import { NOTE_CONFIG, NOTE_PROBE, NOTE_QUIET, type CheckConfig, type ProbeData } from '../types.ts';
import type { Step, Target, Topology, WorkloadSpec } from './case.ts';

export const MASTER_NAME = 'mymaster';
/** The engine's default link (engine/net/link.ts), restored on every link a case changed. */
export const DEFAULT_LINK = { latency: 0.1, jitter: 0.05, loss: 0 };

/** The cluster of a topology: cluster() with one node per host (redis1.., sentinel1..). */
export function caseCluster(t: Topology): ClusterSpec {
  return cluster({
    masterName: MASTER_NAME,
    replicas: t.replicas,
    sentinels: t.sentinels,
    quorum: t.quorum,
    downAfter: t.downAfterMs,
    failoverTimeout: t.failoverTimeoutMs,
    parallelSyncs: t.parallelSyncs,
    persistence: t.persistence,
    minReplicasToWrite: t.minReplicasToWrite > 0 ? t.minReplicasToWrite : undefined,
    minReplicasMaxLag: t.minReplicasToWrite > 0 ? t.minReplicasMaxLag : undefined,
    priorities: t.priorities,
  });
}

export interface CaseRun {
  topology: Topology;
  workload: ScenarioWorkload | null;
  clients: ScenarioClient[];
  /** "master#k" → the host it named at its first use. */
  named: Map<string, string>;
}

/**
 * At the start of the script (before time passes): the Sentinel-aware clients on boxes c1..cN with a
 * set-add workload from 1 s until the quiet period, and the check-config note the checkers read.
 */
export function startCase(s: ScenarioExecutor, t: Topology, w: WorkloadSpec, quietAtMs: number): CaseRun {
  const hosts = Array.from({ length: w.clients }, (_, i) => `c${i + 1}`);
  const clients = hosts.length > 0 ? s.addClients({ hosts, names: hosts, sentinels: s.sentinels, timeoutMs: w.timeoutMs }) : [];
  let workload: ScenarioWorkload | null = null;
  if (clients.length > 0 && quietAtMs > 1000) workload = s.startWorkload(clients, { kind: 'set-add', rate: w.rate, start: 1000, duration: quietAtMs - 1000 });
  const priorities: Record<string, number> = {};
  t.priorities.forEach((p, i) => (priorities[s.node(`redis${i + 1}`)] = p));
  const config: CheckConfig = {
    masterName: MASTER_NAME,
    quorum: t.quorum,
    downAfterMs: t.downAfterMs,
    failoverTimeoutMs: t.failoverTimeoutMs,
    parallelSyncs: t.parallelSyncs,
    priorities,
    persistence: t.persistence,
    minReplicasToWrite: t.minReplicasToWrite,
    minReplicasMaxLag: t.minReplicasMaxLag,
  };
  s.noteData(NOTE_CONFIG, config);
  return { topology: t, workload, clients, named: new Map() };
}

/** The host name of the server that is master now (the first running Sentinel's view, else by role). */
export function currentMaster(s: ScenarioExecutor): string {
  for (const sn of s.sentinels) {
    if (!s.isRunning(sn)) continue;
    const v = s.view(sn) as { masters?: { addr: string }[] } | null;
    const addr = v?.masters?.[0]?.addr;
    if (addr && s.servers.includes(addr)) return s.host(addr);
  }
  for (const n of s.servers) if (s.isRunning(n) && (s.view(n) as { role?: string } | null)?.role === 'master') return s.host(n);
  return s.host(s.servers[0]!);
}

export function resolveTarget(s: ScenarioExecutor, run: CaseRun, t: Target): string {
  if (t === 'master') return currentMaster(s);
  if (!t.startsWith('master#')) return t;
  let h = run.named.get(t);
  if (h === undefined) run.named.set(t, (h = currentMaster(s)));
  return h;
}

/** The step with "master" / "master#k" replaced by the host they name now. */
export function resolveStep(s: ScenarioExecutor, run: CaseRun, step: Step): Step {
  const r = (t: Target) => resolveTarget(s, run, t);
  switch (step.op) {
    case 'partition':
      return { ...step, groups: step.groups.map((g) => g.map(r)) };
    case 'block':
      return { ...step, from: r(step.from), to: r(step.to) };
    case 'heal':
      return step;
    case 'link':
      return { ...step, a: r(step.a), b: r(step.b) };
    default:
      return { ...step, target: r(step.target) };
  }
}

/**
 * Whether a resolved step can act now (a start on a downed host would throw half-way): steps that cannot
 * are skipped, by the property run and, by their absence, in the repro file.
 */
/** The process of `check --app`'s application host, if the case has one (a fault target like any node). */
function appNodes(s: ScenarioExecutor): string[] {
  return s.header().topology.nodes.flatMap((n) => (n.host === CHECK_APP_NAME && n.kind === 'client' ? [n.name] : []));
}

export function applicable(s: ScenarioExecutor, step: Step): boolean {
  const node = (t: string) => [...s.servers, ...s.sentinels, ...appNodes(s)].find((n) => s.host(n) === t) ?? null;
  const isHost = (t: string) => s.header().topology.hosts.some((h) => h.name === t);
  switch (step.op) {
    case 'kill':
    case 'restart':
    case 'pause':
    case 'resume': {
      const n = node(step.target);
      if (!n) return false;
      const p = s.processState(n);
      if (!p.hostUp) return false;
      if (step.op === 'kill') return p.state !== 'stopped';
      if (step.op === 'pause') return p.state === 'running';
      if (step.op === 'resume') return p.state === 'paused';
      return true;
    }
    case 'host-down':
      return isHost(step.target) && s.hostIsUp(step.target);
    case 'host-up':
      return isHost(step.target) && !s.hostIsUp(step.target);
    default:
      return true;
  }
}

/** One resolved step as one ScenarioRun call (repro.ts writes the same call as text). */
export function applyStep(s: ScenarioExecutor, step: Step): void {
  switch (step.op) {
    case 'kill':
      return s.kill(step.target);
    case 'restart':
      return s.restart(step.target);
    case 'pause':
      return s.pause(step.target);
    case 'resume':
      return s.resume(step.target);
    case 'host-down':
      return s.hostDown(step.target);
    case 'host-up':
      return s.hostUp(step.target);
    case 'isolate':
      return s.isolate(step.target);
    case 'partition':
      return s.partition(step.groups);
    case 'block':
      return s.block(step.from, step.to);
    case 'heal':
      return s.heal();
    case 'link':
      return s.setLink(step.a, step.b, { latency: step.latencyMs, loss: step.loss });
    case 'clock-jump':
      return s.clockJump(step.target, step.deltaMs);
  }
}

/** Whether a cut (partition, isolate, block) is in force: one of them came after the last heal. */
function cutsInForce(s: ScenarioExecutor): boolean {
  const cuts = s.events((r) => r.k === 'fault' && (r.fault === 'partition' || r.fault === 'isolate' || r.fault === 'block' || r.fault === 'heal'));
  const last = cuts.at(-1);
  return last !== undefined && last.k === 'fault' && last.fault !== 'heal';
}

/**
 * The quiet period begins: remove every cut, restore every changed link, power every host on, resume
 * every paused process and start every stopped server and Sentinel. Then the 'quiet' note with the bound.
 */
export function quietPeriod(s: ScenarioExecutor, run: CaseRun): void {
  if (cutsInForce(s)) s.heal();
  const pairs = new Set<string>();
  for (const r of s.events((x) => x.k === 'fault' && x.fault === 'set-link')) {
    if (r.k !== 'fault' || !r.target) continue;
    const to = String(r.args?.to ?? '');
    const k = [r.target, to].sort().join('|');
    if (pairs.has(k)) continue;
    pairs.add(k);
    s.setLink(r.target, to, DEFAULT_LINK);
  }
  for (const h of s.header().topology.hosts) if (!s.hostIsUp(h.name)) s.hostUp(h.name);
  const nodes = [...s.servers, ...s.sentinels, ...appNodes(s)];
  for (const n of nodes) if (s.processState(n).state === 'paused') s.resume(n);
  for (const n of nodes) if (s.processState(n).state === 'stopped') s.restart(n);
  const boundMs = convergenceBoundMs(run.topology.downAfterMs, run.topology.failoverTimeoutMs);
  s.noteData(NOTE_QUIET, { boundMs });
}

function text(x: unknown): string {
  return typeof x === 'string' ? x : typeof x === 'number' ? String(x) : JSON.stringify(x);
}

/** What an operator sees now: ROLE of every server, get-master-addr-by-name of every Sentinel (admin client). */
export function probe(s: ScenarioExecutor): ProbeData {
  const data: ProbeData = { sentinels: {}, servers: {} };
  for (const sn of s.sentinels) {
    try {
      data.sentinels[sn] = s.masterAddr(sn, MASTER_NAME);
    } catch (e) {
      data.sentinels[sn] = `error: ${(e as Error).message}`;
    }
  }
  for (const n of s.servers) {
    try {
      const r = js(s.exec(n, 'ROLE'));
      if (Array.isArray(r) && r[0] === 'slave') data.servers[n] = { role: 'slave', master: `${text(r[1])}:${text(r[2])}`, link: text(r[3]) };
      else if (Array.isArray(r)) data.servers[n] = { role: text(r[0]) };
      else data.servers[n] = { role: `error: ${text(r)}` };
    } catch (e) {
      data.servers[n] = { role: `down: ${(e as Error).message}` };
    }
  }
  s.noteData(NOTE_PROBE, data);
  return data;
}

/** A cheap look at the processes' own state (no time passes on the simulator): does it look converged? */
function looksConverged(s: ScenarioExecutor): boolean {
  let addr: string | null = null;
  for (const sn of s.sentinels) {
    const v = s.view(sn) as { masters?: { addr: string }[] } | null;
    const a = v?.masters?.[0]?.addr ?? null;
    if (a === null || (addr !== null && a !== addr)) return false;
    addr = a;
  }
  for (const n of s.servers) {
    const role = (s.view(n) as { role?: string } | null)?.role;
    // the server snapshot says 'master' or 'replica' ('slave' on real Redis)
    if ((role === 'master') !== (n === addr) || role === undefined) return false;
  }
  return true;
}

/**
 * After the quiet period: poll every second until the cluster looks converged and a probe confirms it,
 * or the bound passes (then one last probe shows what is wrong); then the workload's final read.
 */
export function finishCase(s: ScenarioExecutor, run: CaseRun): void {
  const start = s.now;
  const deadline = start + convergenceBoundMs(run.topology.downAfterMs, run.topology.failoverTimeoutMs) * 1000;
  let converged = false;
  while (s.now + 1_000_000 <= deadline) {
    s.sleep(1000);
    if (!looksConverged(s)) continue;
    const p = probe(s);
    if (probeVerdict(p, s.sentinels, s.servers).problems.length === 0) {
      converged = true;
      break;
    }
  }
  if (!converged) probe(s);
  if (run.workload) run.workload.finish({ deadlineMs: 20_000 });
}
