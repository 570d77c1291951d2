// Naming nodes and hosts in scripts: "ip:port", a host name, or a bare port such as "7003" / "26371".
// Works on any topology with processes by "ip:port" and hosts by name: the Simulation, or the real executor's table.
import type { ProcessKind } from '../../engine/sim/process.ts';

export class ScenarioError extends Error {
  override readonly name: string = 'ScenarioError';
}

type Kind = ProcessKind | undefined;

/** What name resolution needs of a process (a ProcSlot has it). */
export interface NamedProc {
  readonly name: string;
  readonly kind: ProcessKind;
  readonly port: number;
  readonly host: { readonly name: string };
}

/** Processes by "ip:port" and hosts by name (a Simulation is one). */
export interface NodeTopology<P extends NamedProc = NamedProc> {
  readonly procs: ReadonlyMap<string, P>;
  readonly hosts: ReadonlyMap<string, unknown>;
}

const list = (ps: NamedProc[]) => ps.map((p) => p.name).join(', ');

/**
 * The process a reference names: an exact "ip:port"; a port ("7003", ":7003" or 7003) when one node
 * listens on it; or a host name when that host runs one node (of `kind`, when given).
 */
export function resolveNode<P extends NamedProc>(sim: NodeTopology<P>, ref: string | number, kind?: Kind): P {
  const r = String(ref).trim();
  const exact = sim.procs.get(r);
  if (exact) return exact;
  const all = [...sim.procs.values()].filter((p) => p.kind !== 'client' || kind === 'client');
  const pick = (cands: P[], what: string): P => {
    const ofKind = kind ? cands.filter((p) => p.kind === kind) : cands;
    const c = ofKind.length > 0 ? ofKind : cands;
    if (c.length === 1) return c[0]!;
    if (c.length === 0) throw new ScenarioError(`no node ${what} (nodes: ${list(all)})`);
    throw new ScenarioError(`'${r}' is ambiguous: ${what} matches ${list(c)}; name one as ip:port`);
  };
  const port = /^:?(\d{1,5})$/.exec(r);
  if (port) return pick(all.filter((p) => p.port === Number(port[1])), `listens on port ${port[1]}`);
  if (sim.hosts.has(r)) {
    const onHost = all.filter((p) => p.host.name === r);
    // a host that runs only clients (an application host, s.app): its one client process
    return pick(onHost.length > 0 ? onHost : [...sim.procs.values()].filter((p) => p.host.name === r), `runs on host '${r}'`);
  }
  throw new ScenarioError(`unknown node '${r}' (nodes: ${list(all)}; hosts: ${[...sim.hosts.keys()].join(', ')})`);
}

/** The host a reference names: a host name, or any node reference (its host). */
export function resolveHost(sim: NodeTopology, ref: string | number): string {
  const r = String(ref).trim();
  if (sim.hosts.has(r)) return r;
  return resolveNode(sim, r).host.name;
}
