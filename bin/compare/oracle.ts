// The recorded runs of real Redis 7.0.15 (test/fixtures/oracle/results/<name>.json) as runs in the simulator's
// shape, so the comparison reads them like `runReal`'s results: each Sentinel event becomes a log record
// (t = the fault's time + t_ms), the fault (and the restart the notes mention) a fault record, the final
// `SENTINEL master` views a keyframe. Sentinels are named "<ip>:<port>" as in the scenario.
import { readFileSync } from 'node:fs';
import type { FaultRecord, LogRecord, TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import { summarizeTrace } from '../../scenarios/api/summary.ts';
import type { RunInput } from './model.ts';

export interface OracleEvent {
  /** ms after the fault. */
  t_ms: number;
  /** Sentinel port. */
  sentinel: number;
  /** The first word of the line ("+sdown", or a run id, "Next", …). */
  event: string;
  line: string;
}

export interface OracleRun {
  events: OracleEvent[];
  leader: number;
  milestones_ms: Record<string, number | null>;
  final: {
    sentinels: Record<string, { master: string; config_epoch: string; flags?: string }>;
    servers?: Record<string, unknown>;
  };
  notes: Record<string, unknown>;
}

export interface OracleFile {
  scenario: string;
  redis: string;
  runs: OracleRun[];
}

export function readOracleFile(path: string): OracleFile {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Partial<OracleFile>;
  if (!doc || !Array.isArray(doc.runs) || doc.runs.some((r) => !Array.isArray(r?.events)))
    throw new Error(`${path}: not a recorded oracle results file (expected { scenario, redis, runs: [{ events, final, … }] })`);
  return { scenario: String(doc.scenario ?? ''), redis: String(doc.redis ?? ''), runs: doc.runs };
}

export interface OracleAdapterOptions {
  /** The scenario's topology (headerFromSpec, or a simulated run's header). */
  header: TraceHeader;
  /** The fault the events are timed from, and when it happens in the records' time (µs). */
  fault: { fault: string; target?: string; atUs: number };
  /** A heal the notes time (`restart_old_master_at_ms`): e.g. { fault: 'restart', target: '127.0.0.1:7003' }. */
  heal?: { fault: string; target?: string };
  /** +monitor lines at t = 0, as a real Sentinel logs at start: the master name, its "ip:port", the quorum. */
  monitor?: { name: string; addr: string; quorum: number };
  /** IP of the Sentinels (their ports are in the file). */
  sentinelIp?: string;
  label?: string;
  redisVersion?: string;
}

const VERSION_RE = /v=(\S+)/;

/** One oracle run as a RunInput (kind 'real'). */
export function oracleRunToInput(run: OracleRun, opts: OracleAdapterOptions): RunInput {
  const ip = opts.sentinelIp ?? '127.0.0.1';
  const t0 = opts.fault.atUs;
  const epochMs = opts.header.epochMs;
  const node = (port: number | string) => `${ip}:${port}`;
  const recs: TraceRecord[] = [];
  const sentinelPorts = [...new Set([...run.events.map((e) => e.sentinel), ...Object.keys(run.final.sentinels).map(Number)])].sort((a, b) => a - b);
  const pid = new Map(sentinelPorts.map((p, i) => [p, 1000 + i]));
  const log = (t: number, port: number, event: string | null, line: string): LogRecord => ({
    t,
    k: 'log',
    node: node(port),
    kind: 'sentinel',
    pid: pid.get(port) ?? 999,
    role: 'X',
    wall: epochMs + Math.floor(t / 1000),
    level: '#',
    event,
    line,
  });
  if (opts.monitor) {
    const [mip, mport] = opts.monitor.addr.split(':');
    for (const p of sentinelPorts) recs.push(log(0, p, '+monitor', `+monitor master ${opts.monitor.name} ${mip} ${mport} quorum ${opts.monitor.quorum}`));
  }
  const fault: FaultRecord = { t: t0, k: 'fault', fault: opts.fault.fault, ...(opts.fault.target ? { target: opts.fault.target } : {}) };
  recs.push(fault);
  if (opts.fault.fault === 'kill' && opts.fault.target) recs.push({ t: t0, k: 'proc', node: opts.fault.target, ev: 'crash' });
  const healMs = typeof run.notes.restart_old_master_at_ms === 'number' ? run.notes.restart_old_master_at_ms : null;
  if (opts.heal && healMs !== null) {
    const t = t0 + healMs * 1000;
    recs.push({ t, k: 'fault', fault: opts.heal.fault, ...(opts.heal.target ? { target: opts.heal.target } : {}) });
    if (opts.heal.fault === 'restart' && opts.heal.target) recs.push({ t, k: 'proc', node: opts.heal.target, ev: 'start' });
  }
  let lastMs = healMs ?? 0;
  const lastEpoch = new Map<number, number>();
  for (const e of run.events) {
    const t = t0 + Math.round(e.t_ms * 1000);
    lastMs = Math.max(lastMs, e.t_ms);
    const isEvent = /^[+-]/.test(e.event);
    recs.push(log(t, e.sentinel, isEvent ? e.event : null, e.line));
    if (e.event === '+new-epoch') lastEpoch.set(e.sentinel, Number(e.line.split(' ')[1]));
  }
  // the final views, as the simulator's last keyframe holds them
  const conf = (run.notes.sentinel_conf ?? {}) as Record<string, string[]>;
  const nodes: Record<string, unknown> = {};
  for (const [port, v] of Object.entries(run.final.sentinels)) {
    const cur = (conf[port] ?? []).map((l) => /^sentinel current-epoch (\d+)$/.exec(l)).find((m) => m)?.[1];
    const currentEpoch = cur !== undefined ? Number(cur) : (lastEpoch.get(Number(port)) ?? null);
    const name = opts.monitor?.name ?? (conf[port] ?? []).map((l) => /^sentinel monitor (\S+) /.exec(l)).find((m) => m)?.[1] ?? 'mymaster';
    nodes[node(port)] = {
      state: 'running',
      hostUp: true,
      view: { ...(currentEpoch !== null ? { currentEpoch } : {}), masters: [{ name, addr: v.master, configEpoch: Number(v.config_epoch) }] },
    };
  }
  const end = t0 + Math.ceil(lastMs + 1000) * 1000;
  recs.push({ t: end, k: 'keyframe', nodes, cuts: [] });
  recs.push({ t: end, k: 'note', what: 'run-end', data: { status: 'ok', reason: 'script-finished' } });
  recs.sort((a, b) => a.t - b.t);
  const header: TraceHeader = { ...opts.header, seed: opts.label ?? 'oracle' };
  const report = summarizeTrace(header, recs);
  return {
    kind: 'real',
    label: opts.label ?? 'real',
    seed: '',
    header,
    records: recs,
    report,
    status: 'ok',
    error: null,
    ...(opts.redisVersion ? { redisVersion: opts.redisVersion } : {}),
  };
}

/** Every run of an oracle file, labelled "real 1", "real 2", …. */
export function oracleInputs(file: OracleFile, opts: Omit<OracleAdapterOptions, 'label' | 'redisVersion'>): RunInput[] {
  const version = VERSION_RE.exec(file.redis)?.[1];
  return file.runs.map((r, i) => oracleRunToInput(r, { ...opts, label: `real ${i + 1}`, ...(version ? { redisVersion: version } : {}) }));
}
