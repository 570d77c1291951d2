// The few words under each node (spec viz.md §1): a server's role, offset and link; a Sentinel's epoch,
// vote, master view and sdown/odown flags.
import type { ClientNode, ClusterState, NodeState, SentinelNode } from '../model/types.ts';

export const port = (addr: string | null | undefined): string => (addr ? addr.slice(addr.lastIndexOf(':') + 1) : '?');
/** An address as the stage shows it: `ip:port` (same-port topologies — five boxes on 6379 — need the IP). */
export const addr = (a: string | null | undefined): string => a ?? '?';

/** runid → "ip:port" for every Sentinel the state knows. */
export function runIds(s: ClusterState): Map<string, string> {
  const m = new Map<string, string>();
  for (const n of Object.values(s.nodes)) {
    if (n.kind !== 'sentinel') continue;
    if (n.myid) m.set(n.myid, n.name);
    for (const mv of n.masters) for (const o of mv.sentinels) if (!m.has(o.runid)) m.set(o.runid, o.addr);
  }
  return m;
}

export function procWord(n: NodeState): string | null {
  return n.proc === 'stopped' ? 'crashed' : n.proc === 'paused' ? 'paused' : n.proc === 'host-down' ? 'host down' : n.proc === 'not-started' ? 'not started' : null;
}

export function nodeLines(n: NodeState, s: ClusterState, ids: Map<string, string>): string[] {
  const title =
    n.kind === 'sentinel' ? `Sentinel ${addr(n.name)}`
    : n.kind === 'server' ? `${n.role === 'master' ? 'master' : 'replica'} ${addr(n.name)}`
    : n.app !== undefined ? `app ${n.app} ${ipOf(n.name)}`
    : `client ${addr(n.name)}`;
  const lines = [title];
  const pw = procWord(n);
  if (n.kind === 'server') {
    if (n.role === 'slave') lines.push(`of ${addr(n.masterAddr)} · link ${n.link ?? '?'}`);
    lines.push(`offset ${n.offset ?? '?'} · keys ${n.keys ?? '?'}`);
  } else if (n.kind === 'sentinel') {
    lines.push(...sentinelLines(n, ids));
  } else if (n.app !== undefined) {
    lines.push(...appLines(n));
  }
  if (pw) lines.push(pw);
  void s;
  return lines;
}

const ipOf = (a: string) => a.slice(0, a.lastIndexOf(':'));

/** Text cut to `n` characters with an ellipsis. */
const cut = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** An application host's view (the master it believes in), connections, last command and reply (three lines at most). */
function appLines(n: ClientNode): string[] {
  const conns = n.openConns?.length ?? 0;
  const out = [`believes master ${n.believes ?? 'none'} · ${conns} conn${conns === 1 ? '' : 's'}`];
  if (n.lastCmd) out.push(cut(`→ ${n.lastCmd.to} ${n.lastCmd.argv.join(' ')}`, 44));
  const last = n.appError ? `error: ${n.appError}` : n.appDone ? 'returned' : n.lastReply ? `← ${n.lastReply.reply}` : null;
  if (last) out.push(cut(last, 44));
  return out;
}

function sentinelLines(n: SentinelNode, ids: Map<string, string>): string[] {
  // at most four lines (with the title and a process word, five: the stage keeps room for five)
  const m = n.masters[0];
  const vote = m?.leader ? ` · vote ${m.leader === n.myid ? 'self' : addr(ids.get(m.leader) ?? m.leader.slice(0, 8))} @${m.leaderEpoch}` : '';
  const out = [`epoch ${n.currentEpoch ?? '?'}${n.tilt ? ' · TILT' : ''}${vote}`];
  if (m) {
    const flags = [m.sDown ? 'sdown' : '', m.oDown ? 'odown' : ''].filter(Boolean).join('+');
    out.push(`master ${addr(m.addr)}${flags ? ' ' + flags : ''}`);
    if (m.failoverState !== 'none') out.push(m.failoverState.replace(/^failover_state_/, 'failover '));
  }
  return out;
}

/** Every instance some running Sentinel holds subjectively down, and masters one holds objectively down. */
export function downFlags(s: ClusterState): { sdown: Set<string>; odown: Set<string> } {
  const sdown = new Set<string>();
  const odown = new Set<string>();
  for (const n of Object.values(s.nodes)) {
    if (n.kind !== 'sentinel' || n.proc !== 'running') continue;
    for (const a of n.sdown) sdown.add(a);
    for (const m of n.masters) if (m.oDown) odown.add(m.addr);
  }
  return { sdown, odown };
}
