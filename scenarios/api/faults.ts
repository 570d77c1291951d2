// The fault half of ScenarioRun: each call names nodes or hosts loosely ("7003", "redis1", "127.0.0.1:7003")
// and lands as a Simulation fault (a `fault` trace record) at the current virtual instant.
import type { LinkConfig } from '../../engine/net/types.ts';
import type { Simulation } from '../../engine/sim/simulation.ts';
import { parseDuration } from '../../engine/sim/time.ts';
import { resolveHost, resolveNode, ScenarioError } from './nodes.ts';
import { cutLinks } from './reads.ts';
import { durationMs, type Duration } from './spec.ts';

export interface LinkOptions {
  /** One-way latency (ms or a duration string). */
  latency?: Duration;
  /** Mean exponential jitter, ms. */
  jitter?: number;
  /** Segment loss probability in [0, 1). */
  loss?: number;
  /** Bytes per second (0 = unlimited). */
  bandwidth?: number;
}

/** The engine's link patch of setLink options. */
export function toLink(o: LinkOptions): Partial<LinkConfig> {
  const p: Partial<LinkConfig> = {};
  if (o.latency !== undefined) p.latencyMs = durationMs(o.latency);
  if (o.jitter !== undefined) p.jitter = { kind: 'exponential', ms: o.jitter };
  if (o.loss !== undefined) {
    if (!(o.loss >= 0 && o.loss < 1)) throw new ScenarioError(`setLink: loss must be in [0, 1), got ${o.loss}`);
    p.loss = o.loss;
  }
  if (o.bandwidth !== undefined) p.bandwidth = o.bandwidth;
  return p;
}

/** Signed milliseconds: 5000, -1000, "5s", "-1s". */
export function signedMs(d: Duration): number {
  if (typeof d === 'number') return d;
  const s = d.trim();
  return s.startsWith('-') ? -parseDuration(s.slice(1)) / 1000 : parseDuration(s.replace(/^\+/, '')) / 1000;
}

export abstract class ScenarioFaults {
  constructor(readonly sim: Simulation) {}

  /** Called before every fault (starts the cluster if needed). */
  protected abstract beforeFault(): void;

  /** The "ip:port" a node reference names. */
  node(ref: string | number): string {
    return resolveNode(this.sim, ref).name;
  }

  /** The host name a host or node reference names. */
  host(ref: string | number): string {
    return resolveHost(this.sim, ref);
  }

  /** kill -9 (SIGKILL / SIGQUIT without saving): memory lost, disk kept. */
  kill(node: string): void {
    this.beforeFault();
    this.sim.kill(this.node(node));
  }

  /** Kill if running, then start again from the node's disk and config file. */
  restart(node: string): void {
    this.beforeFault();
    this.sim.restart(this.node(node));
  }

  /** Start a stopped node. */
  start(node: string): void {
    this.beforeFault();
    const slot = resolveNode(this.sim, node);
    if (slot.state !== 'stopped') throw new ScenarioError(`start: ${slot.name} is already running`);
    if (!slot.host.up) throw new ScenarioError(`start: host ${slot.host.name} of ${slot.name} is down`);
    this.sim.start(slot.name);
  }

  /** SIGSTOP. */
  pause(node: string): void {
    this.beforeFault();
    this.sim.pause(this.node(node));
  }

  /** SIGCONT. */
  resume(node: string): void {
    this.beforeFault();
    this.sim.resume(this.node(node));
  }

  /** Power a box off: its processes die silently; peers find out by time-out. */
  hostDown(host: string): void {
    this.beforeFault();
    this.sim.hostDown(this.host(host));
  }

  /** Power it back on: its processes boot from their disks. */
  hostUp(host: string): void {
    this.beforeFault();
    this.sim.hostUp(this.host(host));
  }

  /**
   * Cut the network between groups of hosts (or nodes: their hosts): `partition(["n1","n2"], ["n3","n4","n5"])`
   * or `partition([["n1","n2"], ["n3","n4","n5"]])`. Hosts listed nowhere form one more group.
   */
  partition(...groups: (string[] | string[][])[]): void {
    this.beforeFault();
    const gs = (groups.length === 1 && Array.isArray(groups[0]![0]) ? groups[0] : groups) as string[][];
    if (gs.length === 0) throw new ScenarioError('partition: no groups given');
    this.sim.partition(gs.map((g) => [...new Set(g.map((r) => this.host(r)))]));
  }

  /**
   * Cut the links between two groups of hosts (or nodes: their hosts), both ways, leaving every other
   * host connected to both sides: `cut(["n1","n2"], ["n3","n4","n5"])` with the clients' box reaching
   * all five (Jepsen's control node). Recorded as one-way `block` faults; `heal()` removes them.
   */
  cut(a: string[], b: string[]): void {
    this.beforeFault();
    for (const [x, y] of cutLinks(a, b, (r) => this.host(r))) this.sim.block(x, y);
  }

  /** Cut one host from every other. */
  isolate(host: string): void {
    this.beforeFault();
    this.sim.isolate(this.host(host));
  }

  /** One-way cut: nothing from `from` reaches `to`. */
  block(from: string, to: string): void {
    this.beforeFault();
    this.sim.block(this.host(from), this.host(to));
  }

  /** Remove every cut; held segments are retransmitted. */
  heal(): void {
    this.beforeFault();
    this.sim.heal();
  }

  /** `setLink({latency, loss})` changes every link; `setLink(a, b, {...}, {oneWay})` one pair of hosts. */
  setLink(a: string | LinkOptions, b?: string, o?: LinkOptions, opts: { oneWay?: boolean } = {}): void {
    this.beforeFault();
    if (typeof a === 'object') return this.sim.setDefaultLink(toLink(a));
    if (b === undefined || o === undefined) throw new ScenarioError('setLink(a, b, {latency, loss, ...}) needs two hosts and the link options');
    this.sim.setLink(this.host(a), this.host(b), toLink(o), opts.oneWay ?? false);
  }

  /** Step a host's wall clock (like `date -s`): +5000, -1000, "5s", "-1s". */
  clockJump(host: string, delta: Duration): void {
    this.beforeFault();
    this.sim.clockJump(this.host(host), signedMs(delta));
  }
}
