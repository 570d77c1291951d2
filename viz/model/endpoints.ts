// Which node sent or received a message: a msg record names socket addresses, and the connecting side's is an
// ephemeral port ("127.0.0.1:32771"). Exact when the viewer ran the engine itself (it asks the live sockets);
// for a trace file it is inferred from the host's IP and the message kind, and left unknown when ambiguous.
import type { TraceHeader } from '../../engine/trace/types.ts';

/** Message kinds only a Sentinel sends from its own (connecting) side. */
const SENTINEL_KINDS = new Set(['hello', 'vote', 'info', 'sentinel-cmd', 'ping']);

export class EndpointResolver {
  private readonly known = new Map<string, string | null>();
  private readonly nodesByIp = new Map<string, { name: string; kind: string }[]>();
  private readonly kinds = new Map<string, string>();

  constructor(header: TraceHeader) {
    const hostIp = new Map(header.topology.hosts.map((h) => [h.name, h.ip]));
    for (const n of header.topology.nodes) {
      this.known.set(n.name, n.name);
      this.kinds.set(n.name, n.kind);
      const ip = hostIp.get(n.host) ?? n.name.slice(0, n.name.lastIndexOf(':'));
      let list = this.nodesByIp.get(ip);
      if (!list) this.nodesByIp.set(ip, (list = []));
      list.push({ name: n.name, kind: n.kind });
    }
  }

  /** A node that appeared later (the script's admin clients). */
  addNode(name: string, kind = 'client'): void {
    if (this.known.get(name) === name) return;
    this.known.set(name, name);
    this.kinds.set(name, kind);
    const ip = name.slice(0, name.lastIndexOf(':'));
    let list = this.nodesByIp.get(ip);
    if (!list) this.nodesByIp.set(ip, (list = []));
    list.push({ name, kind });
  }

  /** An exact owner learned from the running engine. */
  learn(addr: string, node: string): void {
    this.known.set(addr, node);
  }

  kindOf(node: string): string | undefined {
    return this.kinds.get(node);
  }

  /** The node owning the sending socket, given the message kind and the receiving node. */
  resolve(addr: string, msgKind: string, peer: string | null, sending: boolean): string | null {
    const hit = this.known.get(addr);
    if (hit !== undefined) return hit;
    const ip = addr.slice(0, addr.lastIndexOf(':'));
    const cands = this.nodesByIp.get(ip) ?? [];
    let pick: { name: string; kind: string }[] = cands;
    if (cands.length > 1) {
      // the side that connected: Sentinels (monitoring links), replicas (repl), clients (client traffic)
      const peerKind = peer ? this.kinds.get(peer) : undefined;
      const want = sending
        ? SENTINEL_KINDS.has(msgKind) ? 'sentinel' : msgKind === 'repl' ? 'server' : msgKind === 'client' ? 'client' : null
        : peerKind === 'sentinel' ? 'sentinel' : msgKind === 'rdb' || (msgKind === 'ping' && peerKind === 'server') ? 'server' : null;
      pick = want ? cands.filter((c) => c.kind === want && c.name !== peer) : [];
    }
    const owner = pick.length === 1 ? pick[0].name : null;
    // only a unique answer is cached: an ambiguous address may be resolved later by learn()
    if (owner) this.known.set(addr, owner);
    return owner;
  }
}
