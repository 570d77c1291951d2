// The inspector for the selected node (spec viz.md §4): INFO replication for a server, SENTINEL MASTERS
// fields for a Sentinel, and the keyspace (key counts per db and a browsable key list when the engine runs
// in the page). Everything is set with textContent.
import { formatClock } from '../../engine/sim/time.ts';
import type { ClusterState, NodeState } from '../model/types.ts';
import { port, procWord, runIds } from './labels.ts';

export interface KeyspaceView {
  /** Per database: its index, its key count and (sorted) key names. */
  dbs: { db: number; keys: string[] }[];
  /** When the keyspace was read (virtual µs). */
  at: number;
}

const PAGE = 100;

export class Inspector {
  private readonly body: HTMLDivElement;
  /** A div, not a pre: the inspector's one `pre` is the node's fields. */
  private readonly timers: HTMLDivElement;
  private shown = '';
  private keyPage = 1;
  /** Extra lines for a node at the playhead (a Sentinel's timers), set by the reasoning view. */
  extraLines: ((node: string) => string[]) | null = null;

  constructor(
    container: HTMLElement,
    private readonly keyspace: (node: string) => KeyspaceView | null,
  ) {
    this.body = document.createElement('div');
    this.body.className = 'inspector-body';
    this.timers = document.createElement('div');
    this.timers.className = 'inspector-timers';
    this.timers.tabIndex = 0;
    this.timers.hidden = true;
    container.append(this.body, this.timers);
  }

  render(s: ClusterState, selected: string | null): void {
    const n = selected ? s.nodes[selected] : undefined;
    const extra = n && this.extraLines ? this.extraLines(n.name) : [];
    const et = extra.join('\n');
    if (this.timers.textContent !== et) this.timers.textContent = et;
    this.timers.hidden = extra.length === 0;
    if (extra.length) this.timers.setAttribute('aria-label', `timers of ${n!.name}`);
    const text = n ? describe(n, s) : '';
    const ks = n && n.kind === 'server' ? this.keyspace(n.name) : null;
    const key = `${selected}|${text}|${ks ? ks.at + ':' + ks.dbs.map((d) => d.keys.length).join(',') : ''}|${this.keyPage}`;
    if (key === this.shown) return;
    this.shown = key;
    this.body.replaceChildren();
    if (!n) {
      const p = document.createElement('p');
      p.className = 'hint';
      p.textContent = 'Click a server or a Sentinel on the ring to inspect it.';
      this.body.append(p);
      return;
    }
    const h = document.createElement('h3');
    h.textContent = `${n.kind === 'sentinel' ? 'Sentinel' : n.kind === 'server' ? 'Redis server' : 'client'} ${n.name} (host ${n.host})`;
    const pre = document.createElement('pre');
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', `fields of ${n.name}`);
    pre.textContent = text;
    this.body.append(h, pre);
    if (ks) this.body.append(this.keyList(ks));
  }

  private keyList(ks: KeyspaceView): HTMLElement {
    const box = document.createElement('div');
    box.className = 'keyspace';
    const title = document.createElement('h4');
    title.textContent = '# Keyspace (live engine)';
    box.append(title);
    const nonEmpty = ks.dbs.filter((d) => d.keys.length > 0);
    if (nonEmpty.length === 0) {
      const p = document.createElement('p');
      p.textContent = '(no keys)';
      box.append(p);
    }
    let budget = PAGE * this.keyPage;
    for (const d of nonEmpty) {
      const details = document.createElement('details');
      details.open = true;
      const sum = document.createElement('summary');
      sum.textContent = `db${d.db}:keys=${d.keys.length}`;
      const ul = document.createElement('ul');
      for (const k of d.keys.slice(0, Math.max(0, budget))) {
        const li = document.createElement('li');
        li.textContent = k;
        ul.append(li);
      }
      budget -= d.keys.length;
      details.append(sum, ul);
      box.append(details);
    }
    if (budget < 0) {
      const more = document.createElement('button');
      more.type = 'button';
      more.textContent = 'more keys';
      more.addEventListener('click', () => {
        this.keyPage++;
        this.shown = '';
      });
      box.append(more);
    }
    return box;
  }
}

/**
 * Where the node's own view comes from when it is not exact at the playhead: a trace file has it only at
 * keyframes (once a second); roles, links, epochs, votes, sdown/odown and failover states follow every
 * record either way. Empty when exact (the engine in the page, read at the event).
 */
function viewAge(n: NodeState, s: ClusterState): string {
  if (s.exactViews || n.viewExact || n.viewAt === null || n.viewAt >= s.t) return '';
  return `   (as of the keyframe at ${formatClock(n.viewAt)})`;
}

/** The node's fields as Redis would list them. */
export function describe(n: NodeState, s: ClusterState): string {
  const lines: string[] = [];
  const pw = procWord(n);
  lines.push(`process:${pw ?? 'running'}${n.pid ? ` pid=${n.pid}` : ''}`);
  if (n.kind === 'server') {
    lines.push('# Replication', `role:${n.role}`);
    if (n.role === 'slave') {
      const [host, p] = n.masterAddr ? [n.masterAddr.slice(0, n.masterAddr.lastIndexOf(':')), port(n.masterAddr)] : ['?', '?'];
      lines.push(`master_host:${host}`, `master_port:${p}`, `master_link_status:${n.link === 'up' ? 'up' : 'down'}${n.link && n.link !== 'up' && n.link !== 'down' ? ` (${n.link})` : ''}`);
    } else {
      const replicas = Object.values(s.nodes).filter((o) => o.kind === 'server' && o.role === 'slave' && o.masterAddr === n.name && o.proc === 'running');
      lines.push(`connected_slaves:${replicas.filter((o) => o.kind === 'server' && o.link === 'up').length}`);
      replicas.forEach((o, i) => lines.push(`slave${i}:ip=${o.name.slice(0, o.name.lastIndexOf(':'))},port=${port(o.name)},state=${o.kind === 'server' && o.link === 'up' ? 'online' : 'wait_bgsave'},offset=${o.kind === 'server' ? (o.offset ?? 0) : 0}`));
    }
    const as = viewAge(n, s);
    lines.push(`master_repl_offset:${n.offset ?? '?'}${as}`);
    if (n.runId) lines.push(`run_id:${n.runId}`);
    lines.push('# Clients', `connected_clients:${n.clients ?? '?'}${as}`, '# Keyspace', `keys:${n.keys ?? '?'}   (all dbs)${as}`);
  } else if (n.kind === 'sentinel') {
    const ids = runIds(s);
    const as = viewAge(n, s);
    if (as) lines.push(`# flags of replicas and Sentinels${as}`);
    lines.push('# Sentinel', `myid:${n.myid ?? '?'}`, `current_epoch:${n.currentEpoch ?? '?'}`, `tilt:${n.tilt ? 1 : 0}`, `sdown:${n.sdown.join(' ') || '-'}`);
    for (const m of n.masters) {
      lines.push(
        `# SENTINEL MASTERS ${m.name}`,
        `name ${m.name}`,
        `ip ${m.addr.slice(0, m.addr.lastIndexOf(':'))}`,
        `port ${port(m.addr)}`,
        `flags ${[m.flags.split(',').filter((f) => f !== 's_down' && f !== 'o_down').join(','), m.sDown ? 's_down' : '', m.oDown ? 'o_down' : ''].filter(Boolean).join(',')}`,
        `num-slaves ${m.numReplicas}`,
        `num-other-sentinels ${m.numOtherSentinels}`,
        `quorum ${m.quorum}`,
        `failover-state ${m.failoverState}`,
        `config-epoch ${m.configEpoch}`,
        `leader ${m.leader ?? '-'}${m.leader ? ` (${ids.get(m.leader) ?? '?'})` : ''}`,
        `leader-epoch ${m.leaderEpoch}`,
      );
      if (m.promoted) lines.push(`promoted-slave ${m.promoted}`);
      for (const r of m.replicas) lines.push(`  replica ${r.name} ${r.flags}`);
      for (const o of m.sentinels) lines.push(`  sentinel ${o.addr} ${o.flags}${o.leader ? ` voted ${ids.get(o.leader) ?? o.leader.slice(0, 8)}@${o.leaderEpoch}` : ''}`);
    }
  } else if (n.believes !== undefined || n.app !== undefined) {
    lines.push('# Application (s.app)', `believes_master:${n.believes ?? '-'}`, `app:${n.app ?? '?'}`, `open_connections:${n.openConns?.length ?? 0}${n.openConns?.length ? ` (conn ${n.openConns.join(', ')})` : ''}`);
    if (n.lastCmd) lines.push(`last_command:${formatClock(n.lastCmd.t)} to ${n.lastCmd.to}: ${n.lastCmd.argv.join(' ')}`);
    if (n.lastReply) lines.push(`last_reply:${formatClock(n.lastReply.t)} from ${n.lastReply.from}: ${n.lastReply.reply}`);
    lines.push(`status:${n.appError ? `error ${n.appError}` : n.appDone ? 'returned' : 'running'}`);
  }
  return lines.join('\n');
}
