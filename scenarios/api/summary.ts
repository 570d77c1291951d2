// The run summary, computed from trace records alone so `run` and `replay` print the same thing:
// final master and epoch per Sentinel, roles, failovers (sentinel.md §13 events), client ops, expectations.
import type { LogRecord, NoteRecord, TraceHeader, TraceRecord } from '../../engine/trace/types.ts';

export interface ClientOpsCounts {
  ok: number;
  failed: number;
  unknown: number;
  /** Acknowledged writes missing from the final state (Jepsen's "lost"). */
  lostAcknowledged: number;
}

export interface FailoverSummary {
  epoch: number;
  /** The Sentinel that was elected ("ip:port"). */
  leader: string;
  /** The replica it promoted, or null (aborted before, or still selecting). */
  promoted: string | null;
  /** Virtual ms of the leader's +try-failover. */
  startMs: number;
  /** Virtual ms of its +failover-end / +failover-end-for-timeout / -failover-abort-*, or null if unfinished. */
  endMs: number | null;
}

export type ServerRole = 'master' | 'slave' | 'down';

/** The `summary` object of `--format jsonl` (a stable interface: see docs/cli.md). */
export interface RunSummary {
  masters: Record<string, string>;
  currentEpochs: Record<string, number>;
  roles: Record<string, ServerRole>;
  failovers: FailoverSummary[];
  clientOps: ClientOpsCounts;
  expectations: { passed: number; failed: number };
}

export type RunStatus = 'ok' | 'failed' | 'error';

/** The summary plus what the text form shows around it. */
export interface SummaryReport {
  summary: RunSummary;
  scenario: string;
  seed: string;
  /** Sentinels and servers of the topology (in header order), including those the summary knows nothing of. */
  sentinels: string[];
  servers: string[];
  /** Virtual µs of the last record. */
  endT: number;
  /** Whether a client-history hook reported (else the text form says "no clients"). */
  hasClients: boolean;
  status: RunStatus;
  /** How the run ended: script-finished, until, error (null when the trace has no run-end note). */
  endReason: string | null;
  error: string | null;
}

interface Attempt {
  startT: number;
  fo: FailoverSummary | null;
}

const ms = (t: number) => t / 1000;

/** Feed records in order; `report()` at any point. */
export class SummaryBuilder {
  private header: TraceHeader | null = null;
  private readonly masters = new Map<string, Map<string, string>>();
  private readonly epochs = new Map<string, number>();
  private readonly roleChar = new Map<string, string>();
  private readonly down = new Set<string>();
  private readonly failovers: FailoverSummary[] = [];
  private readonly attempts = new Map<string, Attempt>();
  private readonly kfSentinel = new Map<string, { currentEpoch: number; masters: { name: string; addr: string }[] }>();
  private readonly kfRole = new Map<string, ServerRole>();
  private clientOps: ClientOpsCounts | null = null;
  private passed = 0;
  private failed = 0;
  private endT = 0;
  private status: RunStatus | null = null;
  private endReason: string | null = null;
  private error: string | null = null;

  setHeader(h: TraceHeader): void {
    this.header = h;
  }

  add(r: TraceRecord): void {
    if (r.t > this.endT) this.endT = r.t;
    switch (r.k) {
      case 'log':
        return this.log(r);
      case 'proc':
        if (r.ev === 'start' || r.ev === 'host-up') this.down.delete(r.node);
        else if (r.ev === 'crash' || r.ev === 'exit' || r.ev === 'host-down') {
          this.down.add(r.node);
          this.kfRole.delete(r.node);
        }
        return;
      case 'keyframe':
        return this.keyframe(r.nodes);
      case 'note':
        return this.note(r);
      default:
        return;
    }
  }

  private log(r: LogRecord): void {
    this.roleChar.set(r.node, r.role);
    if (r.kind !== 'sentinel' || r.event === null) return;
    const w = r.line.split(' ');
    const node = r.node;
    switch (r.event) {
      case '+monitor':
        // +monitor master <name> <ip> <port> quorum <q>
        this.masterMap(node).set(w[2]!, `${w[3]}:${w[4]}`);
        break;
      case '+switch-master':
        // +switch-master <name> <old ip> <old port> <new ip> <new port>
        this.masterMap(node).set(w[1]!, `${w[4]}:${w[5]}`);
        break;
      case '+new-epoch':
        this.epochs.set(node, Number(w[1]));
        break;
      case '+try-failover':
        this.attempts.set(node, { startT: r.t, fo: null });
        break;
      case '+elected-leader': {
        const a = this.attempts.get(node) ?? { startT: r.t, fo: null };
        a.fo = { epoch: this.epochs.get(node) ?? 0, leader: node, promoted: null, startMs: ms(a.startT), endMs: null };
        this.failovers.push(a.fo);
        this.attempts.set(node, a);
        break;
      }
      case '+promoted-slave': {
        // +promoted-slave slave <ip:port> <ip> <port> @ ...
        const fo = this.attempts.get(node)?.fo;
        if (fo) fo.promoted = w[2] ?? null;
        break;
      }
      default:
        if (r.event === '+failover-end' || r.event === '+failover-end-for-timeout' || r.event.startsWith('-failover-abort')) {
          const fo = this.attempts.get(node)?.fo;
          if (fo && fo.endMs === null) fo.endMs = ms(r.t);
          this.attempts.delete(node);
        }
    }
  }

  private masterMap(node: string): Map<string, string> {
    let m = this.masters.get(node);
    if (!m) this.masters.set(node, (m = new Map()));
    return m;
  }

  private keyframe(nodes: Record<string, unknown>): void {
    for (const [name, v] of Object.entries(nodes)) {
      const n = v as { state?: string; hostUp?: boolean; view?: Record<string, unknown> | null };
      const view = n.view;
      if (n.state === 'stopped' || n.hostUp === false || !view) continue;
      if (typeof view.currentEpoch === 'number' && Array.isArray(view.masters)) {
        this.kfSentinel.set(name, {
          currentEpoch: view.currentEpoch,
          masters: (view.masters as { name: string; addr: string }[]).map((m) => ({ name: m.name, addr: m.addr })),
        });
      } else if (typeof view.role === 'string') {
        this.kfRole.set(name, view.role === 'master' ? 'master' : 'slave');
      }
    }
  }

  private note(r: NoteRecord): void {
    const d = (r.data ?? {}) as Record<string, unknown>;
    if (r.what === 'expect') {
      if (d.ok) this.passed++;
      else this.failed++;
    } else if (r.what === 'client-ops') {
      this.clientOps = {
        ok: Number(d.ok ?? 0),
        failed: Number(d.failed ?? 0),
        unknown: Number(d.unknown ?? 0),
        lostAcknowledged: Number(d.lostAcknowledged ?? 0),
      };
    } else if (r.what === 'error') {
      this.error = String(d.message ?? '');
    } else if (r.what === 'run-end') {
      this.status = (d.status as RunStatus) ?? null;
      this.endReason = typeof d.reason === 'string' ? d.reason : null;
    }
  }

  report(): SummaryReport {
    const nodes = this.header?.topology.nodes ?? [];
    const sentinels = nodes.filter((n) => n.kind === 'sentinel').map((n) => n.name);
    const servers = nodes.filter((n) => n.kind === 'server').map((n) => n.name);
    const masters: Record<string, string> = {};
    const currentEpochs: Record<string, number> = {};
    for (const s of sentinels) {
      // the latest keyframe view of a live Sentinel wins; else what its events said
      const kf = this.kfSentinel.get(s);
      const addr = kf?.masters[0]?.addr ?? this.masters.get(s)?.values().next().value;
      if (addr !== undefined) masters[s] = addr;
      const e = kf?.currentEpoch ?? this.epochs.get(s);
      if (e !== undefined) currentEpochs[s] = e;
    }
    const roles: Record<string, ServerRole> = {};
    for (const s of servers) {
      if (this.down.has(s)) roles[s] = 'down';
      else roles[s] = this.kfRole.get(s) ?? (this.roleChar.get(s) === 'S' ? 'slave' : this.roleChar.has(s) ? 'master' : 'down');
    }
    const status: RunStatus = this.status ?? (this.error !== null ? 'error' : this.failed > 0 ? 'failed' : 'ok');
    return {
      summary: {
        masters,
        currentEpochs,
        roles,
        failovers: this.failovers.map((f) => ({ ...f })),
        clientOps: this.clientOps ?? { ok: 0, failed: 0, unknown: 0, lostAcknowledged: 0 },
        expectations: { passed: this.passed, failed: this.failed },
      },
      scenario: this.header?.scenario ?? '',
      sentinels,
      servers,
      seed: this.header?.seed ?? '',
      endT: this.endT,
      hasClients: this.clientOps !== null,
      status,
      endReason: this.endReason,
      error: this.error,
    };
  }
}

/** Summarise a whole trace document. */
export function summarizeTrace(header: TraceHeader, records: Iterable<TraceRecord>): SummaryReport {
  const b = new SummaryBuilder();
  b.setHeader(header);
  for (const r of records) b.add(r);
  return b.report();
}

/** Records worth showing as "the last relevant events": Sentinel events, faults, crashes/starts/exits. */
export function isRelevant(r: TraceRecord): boolean {
  return (r.k === 'log' && r.event !== null) || r.k === 'fault' || (r.k === 'proc' && r.ev !== 'resume' && r.ev !== 'pause');
}
