// Folding trace records into the cluster's visible state (spec viz.md §1: each Sentinel's epoch, vote, master
// view, sdown/odown, tilt; each server's role, offset, link). Keyframes reset it to the engine's own view.
import type { KeyframeRecord, LogRecord, TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import type { ClientNode, ClusterState, MasterView, NodeState, ProcState, SentinelNode, ServerNode } from './types.ts';

export function initialState(header: TraceHeader): ClusterState {
  const nodes: Record<string, NodeState> = {};
  for (const n of header.topology.nodes) nodes[n.name] = blankNode(n.name, n.kind, n.host);
  return { t: 0, next: 0, nodes, cuts: [], links: [], exactViews: false };
}

function blankNode(name: string, kind: 'server' | 'sentinel' | 'client', host: string): NodeState {
  const base = { name, host, proc: 'not-started' as ProcState, pid: null, changedAt: 0, viewAt: null, viewExact: false };
  if (kind === 'server')
    return { ...base, kind, role: 'master', masterAddr: null, link: null, offset: null, keys: null, clients: null, runId: null };
  if (kind === 'sentinel') return { ...base, kind, myid: null, currentEpoch: null, tilt: false, masters: [], sdown: [] };
  return { ...base, kind: 'client' };
}

export function cloneState(s: ClusterState): ClusterState {
  return structuredClone(s);
}

/** Apply one record (mutates `s`). `index` is the record's position in the trace. */
export function applyRecord(s: ClusterState, r: TraceRecord, index: number): void {
  s.t = r.t;
  s.next = index + 1;
  switch (r.k) {
    case 'msg':
    case 'conn':
      return;
    case 'note': {
      // an application host's notes (docs/guest-apps.md): its view, commands, replies, connections
      const n = r.what.startsWith('app-') && r.node ? s.nodes[r.node] : undefined;
      if (n?.kind === 'client') applyAppNote(n, r.what, (r.data ?? {}) as Record<string, unknown>, r.t);
      return;
    }
    case 'proc': {
      const n = s.nodes[r.node] ?? (s.nodes[r.node] = blankNode(r.node, guessKind(r.node), '?'));
      n.changedAt = r.t;
      if (r.ev === 'start' || r.ev === 'resume' || r.ev === 'host-up') n.proc = 'running';
      else if (r.ev === 'crash' || r.ev === 'exit') n.proc = 'stopped';
      else if (r.ev === 'pause') n.proc = 'paused';
      else if (r.ev === 'host-down') n.proc = 'host-down';
      if (r.ev === 'crash' || r.ev === 'exit' || r.ev === 'host-down') forgetVolatile(n);
      return;
    }
    case 'fault':
      applyFault(s, r.fault, r.target, r.args);
      return;
    case 'keyframe':
      applyKeyframe(s, r);
      return;
    case 'log':
      applyLog(s, r);
      return;
  }
}

/** A client process is an application host (s.app) once it writes app-* notes or its view names its app. */
function markApp(n: ClientNode, app: string): void {
  if (n.app !== undefined) return;
  Object.assign(n, { app, believes: n.believes ?? null, openConns: [], appDone: false, appError: null });
}

function applyAppNote(n: ClientNode, what: string, d: Record<string, unknown>, t: number): void {
  markApp(n, n.host !== '?' ? n.host : n.name);
  if (what === 'app-view') {
    n.believes = typeof d.master === 'string' ? d.master : null;
    n.changedAt = t;
  } else if (what === 'app-cmd') n.lastCmd = { t, argv: Array.isArray(d.argv) ? d.argv.map(String) : [], to: String(d.to ?? '?') };
  else if (what === 'app-reply') n.lastReply = { t, reply: String(d.reply ?? ''), from: String(d.from ?? '?') };
  else if (what === 'app-conn') {
    // a close names its reason (close, reset, refused…): a connection that never opened was not counted
    const open = n.openConns ?? [];
    if (d.ev === 'open' && typeof d.conn === 'number') n.openConns = [...open, d.conn];
    else if (d.ev !== 'connect' && open.includes(d.conn as number)) n.openConns = open.filter((c) => c !== d.conn);
  } else if (what === 'app-done') {
    n.appDone = true;
    n.appError = typeof d.error === 'string' ? d.error : null;
  } else if (what === 'app-error') n.appError = String(d.message ?? 'error');
}

function guessKind(_name: string): 'server' | 'sentinel' | 'client' {
  // nodes missing from the header topology are the script's admin clients (started later)
  return 'client';
}

function forgetVolatile(n: NodeState): void {
  if (n.kind === 'server') {
    n.link = n.role === 'slave' ? 'down' : null;
    n.clients = 0;
  }
}

function applyFault(s: ClusterState, fault: string, target: string | undefined, args: Record<string, unknown> | undefined): void {
  const hosts = hostNames(s);
  const add = (a: string, b: string) => {
    const k = `${a}>${b}`;
    if (!s.cuts.includes(k)) s.cuts.push(k);
  };
  if (fault === 'partition') {
    const groups = (args?.groups as string[][] | undefined) ?? [];
    const groupOf = new Map<string, number>();
    groups.forEach((g, i) => g.forEach((h) => groupOf.set(h, i)));
    for (const a of hosts) for (const b of hosts) if (a !== b && (groupOf.get(a) ?? -1) !== (groupOf.get(b) ?? -1)) add(a, b);
  } else if (fault === 'isolate' && target) {
    for (const o of hosts)
      if (o !== target) {
        add(target, o);
        add(o, target);
      }
  } else if (fault === 'block' && target && typeof args?.to === 'string') add(target, args.to);
  else if (fault === 'heal') s.cuts = [];
  else if (fault === 'set-link') {
    const { to, oneWay, ...link } = (args ?? {}) as { to?: string; oneWay?: boolean } & Record<string, number>;
    const keys = !target || !to ? ['*'] : oneWay ? [`${target}>${to}`] : [`${target}>${to}`, `${to}>${target}`];
    for (const key of keys) {
      const old = s.links.find((l) => l.key === key);
      if (old) Object.assign(old, link);
      else s.links.push({ key, ...link });
    }
  }
  s.cuts.sort();
}

function hostNames(s: ClusterState): string[] {
  const set = new Set<string>();
  for (const n of Object.values(s.nodes)) if (n.host !== '?') set.add(n.host);
  return [...set];
}

interface KeyframeNode {
  state?: string;
  hostUp?: boolean;
  pid?: number;
  view?: Record<string, unknown> | null;
}

function applyKeyframe(s: ClusterState, r: KeyframeRecord): void {
  s.cuts = [...r.cuts].sort();
  for (const [name, raw] of Object.entries(r.nodes)) {
    const k = raw as KeyframeNode;
    const view = k.view ?? null;
    let n = s.nodes[name];
    if (!n) n = s.nodes[name] = blankNode(name, view && 'currentEpoch' in view ? 'sentinel' : view && 'role' in view ? 'server' : 'client', '?');
    n.pid = k.pid ?? n.pid;
    const proc: ProcState = k.hostUp === false ? 'host-down' : k.state === 'stopped' ? 'stopped' : k.state === 'paused' ? 'paused' : 'running';
    if (n.proc !== 'not-started' || proc !== 'stopped') n.proc = proc;
    if (view) applyView(n, view, r.t, false);
  }
}

/**
 * A node's own view (what keyframes record: INFO fields of a server, SENTINEL MASTERS of a Sentinel) at `t`.
 * `exact`: read from the engine right at that event (live mode), not from a periodic keyframe.
 */
export function applyView(n: NodeState, view: Record<string, unknown>, t: number, exact: boolean): void {
  if (n.kind === 'server') {
    const role = view.role === 'slave' || view.role === 'replica' ? 'slave' : 'master';
    if (role !== n.role) n.changedAt = t;
    n.role = role;
    n.offset = num(view.offset);
    n.keys = num(view.keys);
    n.clients = num(view.clients);
    n.runId = typeof view.runId === 'string' ? view.runId : n.runId;
    n.viewAt = t;
    n.viewExact = exact;
    if (n.role === 'master') {
      n.link = null;
      n.masterAddr = null;
    }
  } else if (n.kind === 'client') {
    if (typeof view.app === 'string') {
      markApp(n, view.app);
      n.believes = typeof view.master === 'string' ? view.master : null;
      if (view.done === true) n.appDone = true;
    }
  } else if (n.kind === 'sentinel') {
    n.myid = typeof view.myid === 'string' ? view.myid : n.myid;
    n.currentEpoch = num(view.currentEpoch);
    n.tilt = view.tilt === true;
    n.masters = ((view.masters as MasterView[] | undefined) ?? []).map((m) => ({ ...m, replicas: m.replicas.map((x) => ({ ...x })), sentinels: m.sentinels.map((x) => ({ ...x })) }));
    n.sdown = sdownFromMasters(n.masters);
    n.viewAt = t;
    n.viewExact = exact;
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function sdownFromMasters(ms: MasterView[]): string[] {
  const out: string[] = [];
  for (const m of ms) {
    if (m.sDown) out.push(m.addr);
    for (const r of m.replicas) if (/\bs_down\b/.test(r.flags)) out.push(r.name);
    for (const x of m.sentinels) if (/\bs_down\b/.test(x.flags)) out.push(x.addr);
  }
  return out.sort();
}

function applyLog(s: ClusterState, r: LogRecord): void {
  const n = s.nodes[r.node];
  if (!n) return;
  if (n.kind === 'server') applyServerLog(n, r);
  else if (n.kind === 'sentinel') applySentinelLog(n, r);
}

/** Server lines that change role or master link (replication.md; the log role character M/S is authoritative). */
function applyServerLog(n: ServerNode, r: LogRecord): void {
  if (r.role === 'C') return; // startup lines and forked children's lines
  n.pid = r.pid;
  const before = `${n.role}|${n.link}|${n.masterAddr}`;
  if (r.role === 'M') {
    n.role = 'master';
    n.link = null;
    n.masterAddr = null;
  } else if (r.role === 'S') n.role = 'slave';
  const line = r.line;
  let m: RegExpMatchArray | null;
  if ((m = line.match(/^(?:Connecting|Reconnecting) to MASTER (\S+)/))) {
    n.role = 'slave';
    n.masterAddr = m[1];
    n.link = 'connecting';
  } else if ((m = line.match(/^REPLICAOF (\S+):(\d+) enabled/))) {
    n.role = 'slave';
    n.masterAddr = `${m[1]}:${m[2]}`;
    n.link = 'connecting';
  } else if (/^MASTER <-> REPLICA sync: (receiving|Flushing|Loading)/.test(line) || /^Full resync from master/.test(line)) n.link = 'sync';
  else if (/^MASTER <-> REPLICA sync: Finished with success/.test(line) || /^Successful partial resynchronization/.test(line) || /^MASTER <-> REPLICA sync: Master accepted a Partial/.test(line))
    n.link = 'up';
  else if (/^Connection with master lost/.test(line) || /^Error condition on socket for SYNC/.test(line) || /^Timeout connecting to the MASTER/.test(line) || /^MASTER timeout/.test(line))
    n.link = 'down';
  else if (/^MASTER MODE enabled/.test(line)) {
    n.role = 'master';
    n.link = null;
    n.masterAddr = null;
  }
  if (`${n.role}|${n.link}|${n.masterAddr}` !== before) n.changedAt = r.t;
}

/** A comma-separated flags string with `flag` set or cleared (SENTINEL MASTERS / REPLICAS "flags"). */
function setFlag(flags: string, flag: string, on: boolean): string {
  const list = flags.split(',').filter((f) => f && f !== flag);
  if (on) list.push(flag);
  return list.join(',');
}

/** Sentinel events (sentinel.md §13): `<event> <type> <name> <ip> <port> [@ <master> <ip> <port>]`. */
export function parseEventLine(line: string): { event: string; type: string; name: string; addr: string; master: string | null; rest: string[] } | null {
  const w = line.split(' ');
  if (w.length < 5 || !['master', 'slave', 'sentinel'].includes(w[1])) return null;
  const at = w.indexOf('@');
  return { event: w[0], type: w[1], name: w[2], addr: `${w[3]}:${w[4]}`, master: at > 0 ? w[at + 1] : w[1] === 'master' ? w[2] : null, rest: w.slice(5) };
}

function masterOf(n: SentinelNode, name: string | null): MasterView | undefined {
  return name === null ? undefined : n.masters.find((m) => m.name === name);
}

const FAILOVER_STATES: Record<string, string> = {
  '+try-failover': 'wait_start',
  '+failover-state-select-slave': 'select_slave',
  '+failover-state-send-slaveof-noone': 'send_slaveof_noone',
  '+failover-state-wait-promotion': 'wait_promotion',
  '+failover-state-reconf-slaves': 'reconf_slaves',
  '+failover-end-for-timeout': 'update_config',
  '+failover-end': 'update_config',
};

function applySentinelLog(n: SentinelNode, r: LogRecord): void {
  const line = r.line;
  let m: RegExpMatchArray | null;
  if ((m = line.match(/^Sentinel ID is ([0-9a-f]{40})/))) {
    n.myid = m[1];
    n.pid = r.pid;
    return;
  }
  const ev = r.event;
  if (!ev) return;
  n.changedAt = r.t;
  const w = line.split(' ');
  if (ev === '+new-epoch') {
    n.currentEpoch = Number(w[1]);
    return;
  }
  if (ev === '+tilt') n.tilt = true;
  if (ev === '-tilt') n.tilt = false;
  if (ev === '+vote-for-leader') {
    // the vote is per master; the line does not name it: it belongs to the master whose failover asked
    const epoch = Number(w[2]);
    for (const mv of n.masters) {
      mv.leader = w[1];
      mv.leaderEpoch = epoch;
    }
    if (n.currentEpoch === null || epoch > n.currentEpoch) n.currentEpoch = epoch;
    return;
  }
  if (ev === '+switch-master') {
    const mv = masterOf(n, w[1]);
    if (mv) {
      // sentinelResetMasterAndChangeAddress: a fresh master instance; its replicas come back with +slave
      mv.addr = `${w[4]}:${w[5]}`;
      mv.sDown = mv.oDown = false;
      mv.failoverState = 'none';
      mv.promoted = null;
      mv.flags = 'master';
      mv.replicas = [];
      mv.numReplicas = 0;
      mv.leader = null;
    }
    n.sdown = n.sdown.filter((a) => a !== `${w[2]}:${w[3]}`);
    return;
  }
  const p = parseEventLine(line);
  if (!p) return;
  if (ev === '+monitor' && p.type === 'master') {
    if (!masterOf(n, p.name))
      n.masters.push({
        name: p.name, addr: p.addr, flags: 'master', sDown: false, oDown: false, failoverState: 'none', configEpoch: 0, leader: null, leaderEpoch: 0,
        quorum: Number(p.rest[1] ?? 0), numReplicas: 0, numOtherSentinels: 0, promoted: null, replicas: [], sentinels: [],
      });
    return;
  }
  const mv = masterOf(n, p.master);
  if (ev === '+sdown' || ev === '-sdown') {
    const set = new Set(n.sdown);
    if (ev === '+sdown') set.add(p.addr);
    else set.delete(p.addr);
    n.sdown = [...set].sort();
    if (mv && p.type === 'master') {
      mv.sDown = ev === '+sdown';
      mv.flags = setFlag(mv.flags, 's_down', mv.sDown);
    }
    if (mv && p.type === 'slave') for (const x of mv.replicas) if (x.name === p.name) x.flags = setFlag(x.flags, 's_down', ev === '+sdown');
    if (mv && p.type === 'sentinel') for (const x of mv.sentinels) if (x.addr === p.addr) x.flags = setFlag(x.flags, 's_down', ev === '+sdown');
    return;
  }
  if (ev === '+odown' || ev === '-odown') {
    if (mv && p.type === 'master') {
      mv.oDown = ev === '+odown';
      mv.flags = setFlag(mv.flags, 'o_down', mv.oDown);
    }
    return;
  }
  if (!mv) return;
  const replica = p.type === 'slave' ? mv.replicas.find((x) => x.name === p.name) : undefined;
  if (ev === '+slave' && p.type === 'slave' && !replica) {
    mv.replicas.push({ name: p.name, flags: 'slave' });
    mv.numReplicas = mv.replicas.length;
  } else if (ev === '+sentinel' && p.type === 'sentinel' && !mv.sentinels.some((x) => x.addr === p.addr)) {
    mv.sentinels.push({ runid: p.name, addr: p.addr, flags: 'sentinel', leader: null, leaderEpoch: 0 });
    mv.numOtherSentinels = mv.sentinels.length;
  } else if (ev === '+selected-slave') {
    mv.promoted = p.name;
    if (replica) replica.flags = setFlag(replica.flags, 'promoted', true);
  } else if (ev === '+promoted-slave') mv.promoted = p.name;
  else if (ev === '+slave-reconf-sent' || ev === '+slave-reconf-inprog' || ev === '+slave-reconf-done') {
    if (replica) {
      let f = replica.flags;
      for (const k of ['reconf_sent', 'reconf_inprog', 'reconf_done']) f = setFlag(f, k, false);
      replica.flags = setFlag(f, ev.slice(7).replace('-', '_'), true);
    }
  } else if (ev === '+elected-leader' && n.currentEpoch !== null) {
    mv.leader = n.myid;
    mv.leaderEpoch = n.currentEpoch;
  } else if (ev === '+set' && p.type === 'master') {
    // SENTINEL SET: "+set master <name> <ip> <port> <option> <value>" (the timers the stage draws)
    const v = Number(p.rest[1]);
    if (p.rest[0] === 'down-after-milliseconds' && Number.isFinite(v)) mv.downAfterMs = v;
    // (the election timeout, min(SENTINEL_ELECTION_TIMEOUT, failover-timeout), follows with the next view read)
    if (p.rest[0] === 'failover-timeout' && Number.isFinite(v)) mv.failoverTimeoutMs = v;
  } else if (ev === '+try-failover') {
    mv.flags = setFlag(mv.flags, 'failover_in_progress', true);
  } else if (ev.startsWith('-failover-abort')) {
    mv.failoverState = 'none';
    mv.promoted = null;
    mv.flags = setFlag(mv.flags, 'failover_in_progress', false);
    for (const x of mv.replicas) x.flags = setFlag(x.flags, 'promoted', false);
  }
  if (FAILOVER_STATES[ev]) mv.failoverState = FAILOVER_STATES[ev];
}
