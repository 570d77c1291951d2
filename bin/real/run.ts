// runReal: a scenario's topology as real Redis 7.0.15 processes and its script in real time (issue 14).
//
// Threads: this thread (the caller's) owns the real world — processes, pipes, sockets, iptables — on its event
// loop, which stays free; the scenario's synchronous script runs in a worker thread and blocks on this one
// for every step (channel.ts). The world lives here, not in the worker, because only the main thread's event
// loop sees SIGINT / SIGTERM, and an AbortSignal can only fire on a thread that is not blocked: so Ctrl-C and
// `signal` can stop a run in the middle of a sleep, clean up, and report.
//
// Cleanup on every exit path — the end, a script error, an exception, an abort, a crash of the script thread,
// and process exit (an exit hook): every process started is SIGKILLed (SIGCONT first if paused), the iptables
// chain is unhooked, flushed and deleted, the work directory removed unless keepDir. What a crashed earlier run
// left (a chain whose pid is dead, its processes, its directory) is removed at the next start.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { TraceHeader, TraceRecord } from '../../engine/trace/types.ts';
import type { ClusterSpec } from '../../scenarios/api/spec.ts';
import { summarizeTrace, type RunStatus } from '../../scenarios/api/summary.ts';
import { CliError } from '../errors.ts';
import { atExit } from '../run/signals.ts';
import { serveChannel } from './channel.ts';
import { clockAvailability } from './clock.ts';
import { RealClients } from './clients.ts';
import { ALIAS_BLOCK, ALIAS_PREFIX, RealConfigError } from './config.ts';
import { Firewall, firewallAvailability, pidAlive, removeStaleChains } from './firewall.ts';
import type { RealResult, RealRunOptions } from './types.ts';
import { RealWorld } from './world.ts';
import type { WorkerInput } from './worker.ts';

export const WORK_PREFIX = 'sentinel-sim-real-';
const LOCK = join(tmpdir(), ALIAS_BLOCK === 77 ? 'sentinel-sim-real.lock' : `sentinel-sim-real-${ALIAS_BLOCK}.lock`);

/** The run was stopped by its AbortSignal (Ctrl-C in the CLI): everything was cleaned up first. */
export class RealInterrupted extends Error {
  override readonly name = 'RealInterrupted';
  /** When it was stopped: µs since the cluster started (0 if it had not). */
  atUs = 0;
  /** The work directory, when it was kept (keepDir). */
  workDir?: string;
}

/** The script thread crashed or ended without finishing (after cleanup). */
export class RealRunFailed extends Error {
  override readonly name = 'RealRunFailed';
}

/** `redis-server` on PATH (or $SENTINEL_SIM_REDIS_SERVER), else a CliError (exit 2) naming the Debian package. */
export function findRedisServer(): { path: string; version: string } {
  const path = process.env.SENTINEL_SIM_REDIS_SERVER || 'redis-server';
  try {
    const out = execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 }).trim();
    return { path, version: out };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`redis-server not found: real runs need Redis 7.0.15 (Debian: apt-get install redis-server)`, 2);
    throw new CliError(`cannot run ${path} --version: ${(e as Error).message.split('\n')[0]}`, 2);
  }
}


/**
 * Leftovers of earlier runs whose process is gone: their redis-server processes (those whose command line
 * names that run's directory) are killed, their directory removed unless kept (--keep), their chain deleted.
 */
export function cleanupLeftovers(): void {
  let names: string[] = [];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^${WORK_PREFIX}(\\d+)-`).exec(name);
    if (!m || Number(m[1]) === process.pid || pidAlive(Number(m[1]))) continue;
    const dir = join(tmpdir(), name);
    killListed(dir);
    if (!existsSync(join(dir, 'KEPT'))) rmSync(dir, { recursive: true, force: true });
  }
  removeStaleChains();
}

function killListed(dir: string): void {
  let pids: number[] = [];
  try {
    pids = readFileSync(join(dir, 'pids'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      // only a process that is one of that run's (the pid may have been reused)
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) continue;
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/**
 * One real run at a time on this machine: the aliases 127.0.77.x and the scenario's ports are shared. Waits
 * (up to `waitMs`) while another live run holds the lock; a lock of a dead process is taken over.
 */
async function acquireLock(signal: AbortSignal | undefined, waitMs = 180_000): Promise<() => void> {
  const t0 = Date.now();
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        try {
          if (readFileSync(LOCK, 'utf8').trim() === String(process.pid)) unlinkSync(LOCK);
        } catch {
          // gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(LOCK, 'utf8').trim());
    } catch {
      continue;
    }
    if (!Number.isInteger(owner) || owner <= 0 || !pidAlive(owner)) {
      rmSync(LOCK, { force: true });
      continue;
    }
    if (signal?.aborted) throw new RealInterrupted('interrupted while waiting for another real run');
    if (Date.now() - t0 > waitMs) throw new CliError(`another sentinel-sim real run (pid ${owner}) is using ${ALIAS_PREFIX}0/24; try again when it has finished, or give this one another block (SENTINEL_SIM_REAL_BLOCK=78)`, 2);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The worker's bootstrap: worker.ts through tsx when running from the TypeScript sources. */
function workerSource(): string {
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(`./worker${ts ? '.ts' : '.js'}`, import.meta.url).href;
  const load = `import(${JSON.stringify(url)})`;
  const loader = ts ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return ${load}; })` : load;
  return `${loader}.then((m) => m.main());`;
}

/**
 * Run `scenario` (a file, a built-in scenario's name, or a loaded scenario's `{ path }`) on real redis-server processes. Resolves with the
 * result once everything is cleaned up; rejects with CliError (exit 2: no redis-server, a missing or bad
 * scenario or config file), RealInterrupted (the signal fired), RealRunFailed (the script thread crashed).
 */
export async function runReal(scenario: string | { path: string }, opts: RealRunOptions = {}): Promise<RealResult> {
  // a scenario loaded by the caller (compare's LoadedScenario) is loaded again, by its path, in the script thread
  const file = typeof scenario === 'string' ? scenario : scenario.path;
  const redis = findRedisServer();
  if (opts.signal?.aborted) throw new RealInterrupted('interrupted before the start');
  // taken once the scenario is loaded and its cluster described (a missing file fails at once, not after a wait)
  let unlock: () => void = () => {};
  const avail = firewallAvailability();
  const firewall = avail.ok ? new Firewall() : null;
  const clock = clockAvailability();
  const workDir = mkdtempSync(join(tmpdir(), `${WORK_PREFIX}${process.pid}-`));
  // set by the handlers below (closures): a holder, so that TypeScript does not narrow them to null
  const st: { world: RealWorld | null; clients: RealClients | null } = { world: null, clients: null };
  let cleaned = false;
  const cleanupSync = () => {
    if (cleaned) return;
    cleaned = true;
    st.clients?.closeSync();
    st.world?.closeSync();
    firewall?.uninstall();
    if (opts.keepDir) writeFileSync(join(workDir, 'KEPT'), `kept by sentinel-sim real (pid ${process.pid})\n`);
    else rmSync(workDir, { recursive: true, force: true });
    unlock();
  };
  const cancelExitHook = atExit(cleanupSync);

  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  let cursor = 0;
  let abortReason: string | undefined;
  let header: TraceHeader | null = null;
  let keyframeEveryMs: number | undefined;
  type Outcome = { kind: 'end'; status: RunStatus; error: string | null } | { kind: 'fatal'; error: Error } | { kind: 'abort' } | { kind: 'crash'; error: Error };
  let settle!: (o: Outcome) => void;
  const outcome = new Promise<Outcome>((r) => (settle = r));
  let settled = false;
  let stoppedAt = 0;
  const finish = (o: Outcome) => {
    if (settled) return;
    settled = true;
    stoppedAt = st.world?.now() ?? 0;
    if (o.kind !== 'end') {
      abortReason ??= o.kind;
      channel.abortPending();
    }
    settle(o);
  };

  const needWorld = (): RealWorld => {
    if (!st.world) throw new Error('the cluster is not described yet');
    return st.world;
  };

  const handler = async (op: string, args: unknown): Promise<unknown> => {
    const a = args as Record<string, unknown>;
    switch (op) {
      case 'fatal': {
        const f = a as { message: string; exitCode: number; detail?: string };
        finish({ kind: 'fatal', error: Object.assign(new CliError(f.message, f.exitCode), { detail: f.detail }) });
        return null;
      }
      case 'init': {
        const x = a as { spec: ClusterSpec; scenario: string; seed: string; keyframeEveryMs?: number };
        keyframeEveryMs = x.keyframeEveryMs;
        try {
          unlock = await acquireLock(opts.signal, opts.lockWaitMs);
        } catch (e) {
          finish(e instanceof RealInterrupted ? { kind: 'abort' } : { kind: 'fatal', error: e as Error });
          return null;
        }
        if (settled) {
          // stopped while waiting: cleanup has run already
          unlock();
          return null;
        }
        cleanupLeftovers();
        try {
          st.world = new RealWorld(x.spec, {
            redisServer: redis.path,
            workDir,
            scenario: x.scenario,
            seed: x.seed,
            firewall,
            firewallReason: avail.ok ? null : avail.reason,
            clockLib: clock.ok ? clock.lib : null,
            clockReason: clock.ok ? null : clock.reason,
            onRecord: opts.onRecord,
          });
        } catch (e) {
          finish({ kind: 'fatal', error: e instanceof RealConfigError ? new CliError(e.message, 2) : (e as Error) });
          return null;
        }
        st.clients = new RealClients(st.world);
        if (firewall) firewall.install();
        return null;
      }
      case 'start': {
        const w = needWorld();
        await w.start();
        st.clients?.startAll();
        // periodic keyframes only when the scenario asks for them (the property checkers read them: repro files)
        if (keyframeEveryMs !== undefined && keyframeEveryMs > 0) w.startKeyframes(keyframeEveryMs);
        header = w.header;
        const failed = w.startupFailures();
        if (failed.length > 0) {
          const text = failed.map((f) => `${f.node}:\n${f.lines.map((l) => `    ${l}`).join('\n')}`).join('\n');
          finish({ kind: 'fatal', error: Object.assign(new CliError(`real redis-server refused to start ${failed.map((f) => f.node).join(', ')}`, 2), { detail: text }) });
        }
        return null;
      }
      case 'header':
        return needWorld().header;
      case 'poll': {
        const w = needWorld();
        const { untilUs, maxMs } = a as { untilUs: number; maxMs: number };
        const target = Math.min(untilUs, w.now() + maxMs * 1000);
        while (!settled && w.now() < target) await new Promise((r) => setTimeout(r, Math.max(1, Math.ceil((target - w.now()) / 1000))));
        return null;
      }
      case 'exec': {
        const x = a as { node: string; argv: string[]; auth?: boolean | string; db?: number; timeoutMs: number };
        return needWorld().exec(x.node, x.argv, x);
      }
      case 'state':
        return needWorld().states()[(a as { node: string }).node] ?? st.clients?.state((a as { node: string }).node) ?? { state: 'stopped', hostUp: true };
      case 'view':
        return needWorld().view((a as { node: string }).node);
      case 'hostUp':
        return !needWorld().isHostDown((a as { host: string }).host);
      case 'record':
        needWorld().record(args as TraceRecord);
        return null;
      case 'keyframe':
        await needWorld().keyframe();
        return null;
      case 'fault':
        await fault(needWorld(), a.name as string, a.args);
        return null;
      case 'end':
        needWorld().freeze();
        finish({ kind: 'end', status: a.status as RunStatus, error: (a.error as string | null) ?? null });
        return null;
      default:
        if (st.clients?.handles(op)) return st.clients.handle(op, args);
        throw new Error(`unknown request '${op}'`);
    }
  };

  const channel = serveChannel(port1, flag, handler, () => {
    st.world?.flushHeld(false);
    const recs = st.world ? st.world.records.slice(cursor) : [];
    cursor += recs.length;
    return { now: st.world?.now() ?? 0, recs, abort: abortReason };
  });

  const onAbort = () => finish({ kind: 'abort' });
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const input: WorkerInput = { file, seed: opts.seed, untilUs: opts.untilUs, flag: flag.buffer as SharedArrayBuffer, port: port2 };
  const worker = new Worker(workerSource(), { eval: true, workerData: input, transferList: [port2] });
  worker.on('error', (e) => finish({ kind: 'crash', error: e as Error }));
  worker.on('exit', (code) => finish({ kind: 'crash', error: new RealRunFailed(`the script thread ended before the run did (exit code ${code})`) }));

  let o: Outcome;
  try {
    o = await outcome;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await st.clients?.close();
    await st.world?.close();
    cleanupSync();
    cancelExitHook();
    port1.close();
    await worker.terminate();
  }
  if (o.kind === 'fatal') throw o.error;
  if (o.kind === 'abort') throw Object.assign(new RealInterrupted('interrupted'), { atUs: stoppedAt, ...(opts.keepDir ? { workDir } : {}) });
  if (o.kind === 'crash') throw o.error;
  const w = st.world;
  if (!w || !header) throw new RealRunFailed('the run ended before the cluster started');
  const records = w.records.map((r, i) => [r, i] as const).sort((x, y) => x[0].t - y[0].t || x[1] - y[1]).map(([r]) => r);
  const report = summarizeTrace(header, records);
  return { header, records, report, status: o.status, skipped: [...w.skipped], redisVersion: redis.version, error: o.error, ...(opts.keepDir ? { workDir } : {}) };
}

async function fault(w: RealWorld, name: string, args: unknown): Promise<void> {
  switch (name) {
    case 'kill':
      return w.kill(args as string);
    case 'restart':
      return w.restart(args as string);
    case 'start':
      return w.startNode(args as string);
    case 'pause':
      return w.pause(args as string);
    case 'resume':
      return w.resume(args as string);
    case 'hostDown':
      return w.hostDown(args as string);
    case 'hostUp':
      return w.hostUp(args as string);
    case 'partition':
      return w.partition(args as string[][]);
    case 'isolate':
      return w.isolate(args as string);
    case 'block': {
      const [a, b] = args as [string, string];
      return w.block(a, b);
    }
    case 'blocks':
      return w.blocks(args as [string, string][]);
    case 'heal':
      return w.heal();
    case 'setLink': {
      const x = args as { a: string | null; b: string | null; link: Record<string, unknown>; oneWay: boolean };
      return w.setLink(x.a, x.b, x.link, x.oneWay);
    }
    case 'clockJump': {
      const x = args as { host: string; deltaMs: number };
      return w.clockJump(x.host, x.deltaMs);
    }
    default:
      throw new Error(`unknown fault '${name}'`);
  }
}
