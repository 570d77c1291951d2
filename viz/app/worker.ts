// The engine off the page's thread (issue 15 item 5): one Web Worker per branch runs its LiveSession — the
// scenario's script, the branch's actions, then time as the playhead asks for it — and streams what it
// records to the page (remote.ts) in chunks, with progress while a long run goes on. Cancel = terminate.
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import type { ViewPatch } from '../model/store.ts';
import type { Action, ActionResult, BranchPlan } from './fork.ts';
import { findScenario } from './library.ts';
import { LiveSession } from './session.ts';

/** The page → the worker. */
export type WorkerRequest =
  | { id: number; op: 'start'; plan: BranchPlan; end: number | null }
  | { id: number; op: 'advance'; t: number }
  | { id: number; op: 'act'; t: number; action: Action }
  | { id: number; op: 'keyspace'; node: string };

/** What the worker recorded since its last message. */
export interface Chunk {
  from: number;
  /** With the first chunk: the trace header. */
  header?: TraceHeader;
  records: TraceRecord[];
  msgEnds: [number, [string | null, string | null]][];
  patches: [number, ViewPatch[]][];
}

/** The worker → the page. */
export type WorkerReply =
  | ({ type: 'chunk'; now: number } & Chunk)
  | {
      type: 'done';
      id: number;
      now: number;
      settledAt: number;
      scriptEnd: number;
      scriptError: string | null;
      masterName: string | null;
      plan: BranchPlan;
      results: ActionResult[];
      result?: ActionResult;
      keyspace?: { db: number; keys: string[] }[] | null;
    }
  | { type: 'error'; id: number; message: string };

/** Wall ms between chunks while the engine runs, and the most records in one (the page takes each in a short task). */
const CHUNK_MS = 40;
const CHUNK_RECORDS = 1000;

let session: LiveSession | null = null;
let records: TraceRecord[] = [];
let sent = 0;
let lastPost = 0;

function post(m: WorkerReply): void {
  (self as unknown as { postMessage(m: WorkerReply): void }).postMessage(m);
}

function flush(now: number, live: Pick<LiveSession, 'msgEnds' | 'patches' | 'header'>): void {
  const { msgEnds, patches } = live;
  const end = records.length;
  if (end === sent || !live.header) return;
  const c: Chunk = { from: sent, records: records.slice(sent, end), msgEnds: [], patches: [], ...(sent === 0 ? { header: live.header } : {}) };
  for (let i = sent; i < end; i++) {
    const e = msgEnds.get(i);
    if (e) c.msgEnds.push([i, e]);
    const p = patches.get(i);
    if (p) c.patches.push([i, p]);
  }
  sent = end;
  lastPost = performance.now();
  post({ type: 'chunk', now, ...c });
}

function done(id: number, extra: { result?: ActionResult; keyspace?: { db: number; keys: string[] }[] | null } = {}): void {
  const s = session!;
  flush(s.now, s);
  post({ type: 'done', id, now: s.now, settledAt: s.settledNow, scriptEnd: s.scriptEnd, scriptError: s.scriptError, masterName: s.run.masterName, plan: s.plan, results: s.results, ...extra });
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const m = e.data;
  try {
    if (m.op === 'start') {
      const sc = findScenario(m.plan.scenario);
      if (!sc) throw new Error(`unknown scenario '${m.plan.scenario}'`);
      session = new LiveSession(sc, m.plan, (sim, live) => {
        records = live.records;
        // while the script runs: a chunk every CHUNK_MS of wall time (the page draws as it comes)
        sim.trace.subscribe(() => {
          if (records.length - sent >= CHUNK_RECORDS || performance.now() - lastPost >= CHUNK_MS) flush(sim.now, live);
        });
      });
      if (m.end !== null) session.advance(m.end);
      done(m.id);
    } else if (!session) throw new Error('no session');
    else if (m.op === 'advance') {
      session.advance(m.t);
      done(m.id);
    } else if (m.op === 'act') {
      const result = session.act(m.t, m.action);
      done(m.id, { result });
    } else if (m.op === 'keyspace') {
      done(m.id, { keyspace: session.keyspace(m.node) });
    }
  } catch (err) {
    if (session) flush(session.now, session);
    post({ type: 'error', id: m.id, message: (err as Error).message });
  }
};
