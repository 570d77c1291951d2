// Guest threads kept by the process (or by each thread of a property search) between runs: starting a thread
// and loading Node's modules into it costs a run more than its work at small scale, so a thread whose run
// ended cleanly — its app and packages CommonJS, no real work or handle left (fresh.ts) — serves the next
// run, which loads the app afresh in it. A thread serves at most MAX_RUNS runs (what fresh.ts cannot see —
// a builtin module's state the guest changed — is bounded), and at most MAX_IDLE wait.
import { MessageChannel, Worker } from 'node:worker_threads';
import { HostChannel, newChannelBuffer } from './channel.ts';
import { guestWorkerUrl } from './spawn.ts';

export interface GuestThread {
  readonly worker: Worker;
  readonly channel: HostChannel;
  /** Runs it started (an init sent). */
  runs: number;
}

const MAX_IDLE = 4;
const MAX_RUNS = 64;

const idle: GuestThread[] = [];

/** Threads started and threads handed out again since the process started (bench/apps.ts reports them). */
export const poolStats = { started: 0, reused: 0 };

function startThread(): GuestThread {
  const ch = new MessageChannel();
  const sab = newChannelBuffer();
  const worker = new Worker(guestWorkerUrl(), {
    workerData: { port: ch.port2, sab },
    // not the parent's loaders (tsx's --import costs a thread most of a second): the worker is plain JavaScript
    execArgv: [],
    transferList: [ch.port2],
  });
  worker.unref();
  ch.port1.unref();
  poolStats.started++;
  return { worker, channel: new HostChannel(sab, ch.port1), runs: 0 };
}

/** An idle thread (the one that ended last), or a new one. */
export function takeThread(): GuestThread {
  const t = idle.pop();
  if (!t) return startThread();
  poolStats.reused++;
  return t;
}

/** A thread whose run ended: kept when it may serve another (`reusable`: its shutdown said so; or it never ran one), else ended. */
export function releaseThread(t: GuestThread, reusable: boolean): void {
  if (reusable && t.runs < MAX_RUNS && idle.length < MAX_IDLE) idle.push(t);
  else void t.worker.terminate();
}

/** End the idle threads (they do not keep the process alive: a test or a tool may still want them gone). */
export function endIdleThreads(): void {
  for (const t of idle.splice(0)) void t.worker.terminate();
}
