// Naming nodes and hosts in scripts: "ip:port", a host name, or a bare port such as "7003" / "26371".
import type { ProcessKind, ProcSlot } from '../../engine/sim/process.ts';
import type { Simulation } from '../../engine/sim/simulation.ts';

export class ScenarioError extends Error {
  override readonly name: string = 'ScenarioError';
}

type Kind = ProcessKind | undefined;

const list = (ps: ProcSlot[]) => ps.map((p) => p.name).join(', ');

/**
 * The process a reference names: an exact "ip:port"; a port ("7003", ":7003" or 7003) when one node
 * listens on it; or a host name when that host runs one node (of `kind`, when given).
 */
export function resolveNode(sim: Simulation, ref: string | number, kind?: Kind): ProcSlot {
  const r = String(ref).trim();
  const exact = sim.procs.get(r);
  if (exact) return exact;
  const all = [...sim.procs.values()].filter((p) => p.kind !== 'client' || kind === 'client');
  const pick = (cands: ProcSlot[], what: string): ProcSlot => {
    const ofKind = kind ? cands.filter((p) => p.kind === kind) : cands;
    const c = ofKind.length > 0 ? ofKind : cands;
    if (c.length === 1) return c[0]!;
    if (c.length === 0) throw new ScenarioError(`no node ${what} (nodes: ${list(all)})`);
    throw new ScenarioError(`'${r}' is ambiguous: ${what} matches ${list(c)}; name one as ip:port`);
  };
  const port = /^:?(\d{1,5})$/.exec(r);
  if (port) return pick(all.filter((p) => p.port === Number(port[1])), `listens on port ${port[1]}`);
  const host = sim.hosts.get(r);
  if (host) return pick(all.filter((p) => p.host === host), `runs on host '${r}'`);
  throw new ScenarioError(`unknown node '${r}' (nodes: ${list(all)}; hosts: ${[...sim.hosts.keys()].join(', ')})`);
}

/** The host a reference names: a host name, or any node reference (its host). */
export function resolveHost(sim: Simulation, ref: string | number): string {
  const r = String(ref).trim();
  if (sim.hosts.has(r)) return r;
  return resolveNode(sim, r).host.name;
}
