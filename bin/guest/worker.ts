// The guest application's thread (docs/guest-apps.md). It runs the user's code with unmodified client
// libraries: timers, Date, performance.now and process.hrtime are @sinonjs/fake-timers driven by the
// simulation's virtual time, Math.random is a seeded stream, and net.createConnection / net.connect give
// VirtualSockets over the simulated network. The simulation calls it synchronously (host.ts): each call
// delivers socket events at a virtual instant, runs the timers due, and drains the guest's promises after each
// step (steps.ts: both queues emptied in Node's order, synchronously unless real work is pending), so the
// order of the guest's work is fixed by the simulation's event heap. Being its own thread, the guest shares no global with
// the engine; everything it patched is restored on shutdown. A thread serves runs one after another (pool.ts):
// each run loads the app and its CommonJS packages afresh (fresh.ts), so a reused thread runs as a new one.
import FakeTimers from '@sinonjs/fake-timers';
import net from 'node:net';
import tls from 'node:tls';
import { syncBuiltinESMExports } from 'node:module';
import { workerData, type MessagePort } from 'node:worker_threads';
import seedrandom from 'seedrandom';
import { GuestChannel } from './channel.ts';
import { realPending, runSteps, trackReal, type Steps } from './steps.ts';
import { ThreadBaseline } from './fresh.ts';
import { importPackage, loadApp } from './load.ts';
import { AppContext } from './context.ts';
import { seedCrypto } from './crypto.ts';
import type { GuestAction, GuestCall, GuestInit, GuestInput, GuestLater, GuestMessage, GuestReply, GuestShutdown } from './protocol.ts';
import { VirtualSocket } from './socket.ts';

interface FakeTimer {
  callAt: number;
  /** fake-timers' tie-break among timers due at the same instant (creation, or an interval's re-arming). */
  order: number;
  delay?: number;
  immediate?: boolean;
}
interface TimerHeap {
  peek(): FakeTimer | undefined;
  push(t: FakeTimer): void;
}
type Clock = Omit<ReturnType<ReturnType<typeof FakeTimers.withGlobal>['install']>, 'timerHeap' | 'timers'> & { timerHeap?: TimerHeap; timers?: Map<number, FakeTimer> };

const realSetImmediate = globalThis.setImmediate;
/** Calls the serve loop runs before it lets the event loop turn once (Node's own work: the thread's stdio). */
const CALLS_PER_TURN = 64;
/** Timers run per call at most: a guest that re-arms a 0 ms timer forever is stopped with an error. */
const MAX_TIMERS_PER_CALL = 100_000;

const { port, sab } = workerData as { port: MessagePort; sab: SharedArrayBuffer };
const channel = new GuestChannel(sab, port);

let outbox: GuestAction[] = [];
const emit = (a: GuestAction) => void outbox.push(a);
let nowUs = 0;
/** The guest's Date.now() minus the virtual ms: its host's wall clock offset (clock jumps, drift, a late start). */
let offMs = 0;
let clock: Clock | null = null;
let peer: string | null = null;
let ctx: AppContext | null = null;
let app: ((ctx: AppContext) => unknown) | null = null;
const sockets = new Map<number, VirtualSocket>();
let nextSocketId = 1;
const restore: (() => void)[] = [];

process.on('unhandledRejection', (e) => emit({ k: 'error', message: `unhandled rejection in the guest: ${describe(e)}` }));
process.on('uncaughtException', (e) => emit({ k: 'error', message: `uncaught exception in the guest: ${describe(e)}` }));

/** The thread as the runtime left it, before any guest code (taken once its listeners are on). */
const baseline = new ThreadBaseline();
const spoil = (why: string) => baseline.spoil(why);

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

const fatal = (e: unknown): GuestReply => (baseline.spoil('the runtime failed'), { actions: takeOutbox(), nextTimerUs: null, fatal: e instanceof Error ? (e.stack ?? e.message) : String(e) });

/**
 * One request at a time: between two, the thread blocks in the channel (the guest has nothing else to run).
 * A macrotask (steps.ts runs the steps synchronously from one); it returns to the event loop for the app's
 * loading (init), for real work a call waits for, and every CALLS_PER_TURN calls.
 */
function serve(): void {
  for (let n = 1; ; n++) {
    const m = channel.next() as GuestMessage;
    let r: { value: GuestReply } | Promise<GuestReply>;
    try {
      r = m.k === 'init' ? init(m).then(() => ({ actions: takeOutbox(), nextTimerUs: nextTimer() })) : runSteps(handle(m));
    } catch (e) {
      r = { value: fatal(e) };
    }
    if (r instanceof Promise) {
      void r.then(
        (reply) => (channel.reply(reply), realSetImmediate(serve)),
        (e) => (channel.reply(fatal(e)), realSetImmediate(serve)),
      );
      return;
    }
    channel.reply(r.value);
    if (m.k === 'shutdown' && !r.value.reusable) return;
    if (n % CALLS_PER_TURN === 0) return void realSetImmediate(serve);
  }
}
realSetImmediate(serve);

function takeOutbox(): GuestAction[] {
  const o = outbox;
  outbox = [];
  return o;
}

function* handle(m: GuestCall | GuestShutdown): Steps<GuestReply> {
  if (m.k === 'shutdown') {
    shutdown(m.why);
    const actions = takeOutbox();
    // what the sockets' destruction queued runs under the run's (now dead) clock, before its globals go back
    yield;
    for (const r of restore.splice(0).reverse()) r();
    clock = null;
    ctx = null;
    app = null;
    if (realPending()) baseline.spoil('real work of the run is still pending');
    baseline.reset();
    return { actions, nextTimerUs: null, reusable: baseline.spoiled === null };
  }
  const now = yield* call(m);
  const from = nowUs;
  const later = yield* runAhead(m.aheadUs ?? -Infinity, now);
  return { actions: now, nextTimerUs: nextTimer(), ...(nowUs > from ? { later, ranToUs: nowUs } : {}) };
}

// ---- virtual time

const targetMs = () => offMs + Math.floor(nowUs / 1000);

function nextTimer(): number | null {
  const t = clock?.timerHeap?.peek();
  return t ? (t.callAt - offMs) * 1000 : null;
}

/**
 * The host's wall clock moved other than with virtual time (a clock jump, drift): Date follows it, timers do
 * not (Node's timers run on the monotonic clock). fake-timers' setSystemTime shifts the pending timers with
 * the clock and leaves performance.now and process.hrtime alone.
 */
function followWallClock(wallMs: number): void {
  const off = wallMs - Math.floor(nowUs / 1000);
  if (off === offMs) return;
  clock!.setSystemTime(clock!.now + (off - offMs));
  offMs = off;
}

/**
 * Timers that came due while the process could not run (SIGSTOP) run late, at the instant it runs again, in
 * the order Node runs them (lib/internal/timers.js processTimers / listOnTimeout): Node keeps one list per
 * duration, in the order its timers were armed, and a priority queue of the lists by the due time of their
 * first timer; at resume it takes the list due first and runs every expired timer of it, then the next list.
 * So a list's later timers run before another list's earlier ones (a 1000 ms timer due at 1200 runs before a
 * 1100 ms one due at 1100 when the 1000 ms list's first timer was due at 1000). Lists due at the same instant
 * go in the order their first timers were armed (Node: the list's id). Each runs once; an interval is re-armed
 * from the resume instant.
 */
function lateTimersRunNow(target: number): void {
  const c = clock!;
  const first = c.timerHeap?.peek();
  if (!first || first.callAt >= target || !c.timers || !c.timerHeap) return;
  const lists = new Map<number, FakeTimer[]>();
  for (const t of c.timers.values()) {
    if (t.immediate || t.callAt > target) continue;
    // setTimeout(fn, 0) is a 1 ms timer in Node
    const ms = Math.max(1, t.delay ?? 1);
    const l = lists.get(ms);
    if (l) l.push(t);
    else lists.set(ms, [t]);
  }
  const byDue = (a: FakeTimer, b: FakeTimer) => a.callAt - b.callAt || a.order - b.order;
  for (const l of lists.values()) l.sort(byDue);
  const ordered = [...lists.values()].sort((a, b) => byDue(a[0]!, b[0]!)).flat();
  // all due now, in that order (ahead of any timer armed from here on: those get larger orders)
  ordered.forEach((t, i) => {
    t.callAt = target;
    t.order = i - ordered.length;
  });
  const Heap = c.timerHeap.constructor as new () => TimerHeap;
  const heap = new Heap();
  for (const t of c.timers.values()) heap.push(t);
  c.timerHeap = heap;
}

/** Run the guest's timers due up to the current virtual instant, one at a time, draining after each. */
function* advance(): Steps<void> {
  const c = clock!;
  const target = targetMs();
  if (c.now < target) lateTimersRunNow(target);
  for (let n = 0; ; n++) {
    const t = c.timerHeap?.peek();
    if (!t || t.callAt > target) break;
    if (n >= MAX_TIMERS_PER_CALL) throw new Error(`the guest ran ${MAX_TIMERS_PER_CALL} timers at one virtual instant (a 0 ms timer re-armed forever?)`);
    c.next();
    yield;
  }
  if (c.now < target) c.tick(target - c.now);
}

/** A call at a virtual instant: the timers due, then each input; what the guest did then. */
function* call(m: GuestCall): Steps<GuestAction[]> {
  nowUs = m.now;
  followWallClock(m.wallMs);
  yield* advance();
  for (const inp of m.inputs) {
    deliver(inp);
    yield;
    peer = null;
    yield* advance();
  }
  return takeOutbox();
}

/** Instants one call runs ahead at most (a timer that only logs, re-armed every ms, with nothing else going on). */
const MAX_AHEAD_INSTANTS = 1000;
/** Actions that start events of the simulation: after them the guest may not run ahead. */
const startsEvents = (a: GuestAction) => a.k === 'write' || a.k === 'connect' || a.k === 'end';

/**
 * Run the guest's timers due before `limitUs` (GuestCall.aheadUs), each instant at its own virtual time, as
 * separate calls at those instants would have — the simulation guarantees that nothing else reaches the
 * guest before then. Stops after an instant whose actions start events (or if `now` had such actions).
 */
function* runAhead(limitUs: number, now: GuestAction[]): Steps<GuestLater[]> {
  const later: GuestLater[] = [];
  if (now.some(startsEvents)) return later;
  for (let n = 0; n < MAX_AHEAD_INSTANTS; n++) {
    const at = nextTimer();
    if (at === null || at >= limitUs || at <= nowUs) break;
    nowUs = at;
    yield* advance();
    const actions = takeOutbox();
    if (actions.length > 0) later.push({ at, actions });
    if (actions.some(startsEvents)) break;
  }
  return later;
}

function deliver(inp: GuestInput): void {
  switch (inp.k) {
    case 'start':
      try {
        Promise.resolve(app!(ctx!)).then(
          () => emit({ k: 'done', error: null }),
          (e) => emit({ k: 'done', error: describe(e) }),
        );
      } catch (e) {
        emit({ k: 'done', error: describe(e) });
      }
      return;
    case 'stop':
      ctx?.stop();
      return;
    case 'open':
      sockets.get(inp.id)?.opened(inp.local);
      return;
    case 'data': {
      const s = sockets.get(inp.id);
      if (!s) return;
      peer = `${s.remoteAddress}:${s.remotePort}`;
      s.received(inp.bytes);
      return;
    }
    case 'close': {
      const s = sockets.get(inp.id);
      sockets.delete(inp.id);
      s?.closedBy(inp.reason);
      return;
    }
  }
}

// ---- sockets

interface ConnectOpts {
  host?: string;
  port?: number | string;
  path?: string;
  timeout?: number;
}

function normalize(args: unknown[]): { o: ConnectOpts; cb: (() => void) | undefined } {
  const cb = typeof args[args.length - 1] === 'function' ? (args[args.length - 1] as () => void) : undefined;
  const a0 = args[0];
  if (a0 !== null && typeof a0 === 'object') return { o: a0 as ConnectOpts, cb };
  if (typeof a0 === 'string' && !/^\d+$/.test(a0)) return { o: { path: a0 }, cb };
  return { o: { port: a0 as number, host: typeof args[1] === 'string' ? args[1] : undefined }, cb };
}

/** net.createConnection / net.connect of the guest: a VirtualSocket; the simulation decides what happens to it. */
function virtualConnect(...args: unknown[]): VirtualSocket {
  const { o, cb } = normalize(args);
  const host = o.host ?? 'localhost';
  const p = Number(o.port ?? 0);
  const id = nextSocketId++;
  const s = new VirtualSocket(id, o.path ?? host, p, emit);
  if (cb) s.once('connect', cb);
  if (o.timeout) s.setTimeout(o.timeout);
  sockets.set(id, s);
  if (o.path !== undefined) process.nextTick(() => (sockets.delete(id), s.closedBy('outside')));
  else if (net.isIPv4(host)) emit({ k: 'connect', id, host, port: p });
  else process.nextTick(() => (sockets.delete(id), s.closedBy('dns')));
  return s;
}

function refuseReal(what: string): never {
  throw new Error(`sentinel-sim: ${what} is not available to guest code (it would open a real connection); the guest reaches the simulated topology through net.createConnection / net.connect only`);
}

function patchNet(): void {
  const n = net as unknown as Record<string, unknown>;
  const t = tls as unknown as Record<string, unknown>;
  const sockProto = net.Socket.prototype as unknown as Record<string, unknown>;
  const saved = { createConnection: n.createConnection, connect: n.connect, tlsConnect: t.connect, sockConnect: sockProto.connect };
  n.createConnection = virtualConnect;
  n.connect = virtualConnect;
  t.connect = () => refuseReal('tls.connect (TLS is not simulated)');
  sockProto.connect = () => refuseReal('net.Socket#connect');
  // ESM named imports (`import { createConnection } from 'node:net'`) see the patched functions too
  syncBuiltinESMExports();
  restore.push(() => {
    n.createConnection = saved.createConnection;
    n.connect = saved.connect;
    t.connect = saved.tlsConnect;
    sockProto.connect = saved.sockConnect;
    syncBuiltinESMExports();
  });
}

// ---- start and end

async function init(m: GuestInit): Promise<void> {
  outbox = [];
  peer = null;
  sockets.clear();
  nextSocketId = 1;
  nowUs = m.startUs;
  offMs = m.wallMs - Math.floor(nowUs / 1000);
  // virtual clocks first, so that what the guest's modules capture at load time is already virtual
  clock = FakeTimers.withGlobal(globalThis).install({
    now: m.wallMs,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date', 'hrtime', 'performance'],
    loopLimit: MAX_TIMERS_PER_CALL,
  }) as Clock;
  restore.push(() => clock?.uninstall());
  const rng = seedrandom(m.seed);
  const random = Math.random;
  Math.random = () => rng();
  restore.push(() => (Math.random = random));
  restore.push(seedCrypto(`${m.seed}/crypto`, trackReal));
  patchNet();
  ctx = new AppContext(m.name, m.ip, m.node, m.params, m.sentinels, m.servers, m.masterName, {
    emit,
    nowUs: () => nowUs,
    currentPeer: () => peer,
    importFrom: (spec) => trackReal(importPackage(spec, m.cwd, spoil)),
  });
  app = await loadApp(m.code, spoil);
}

function shutdown(why: 'end' | 'killed'): void {
  if (why === 'end') ctx?.stop();
  ctx?.closeHistory(why === 'killed' ? 'the app process was killed' : 'still in flight when the run ended');
  for (const s of sockets.values()) s.destroy();
  sockets.clear();
}
