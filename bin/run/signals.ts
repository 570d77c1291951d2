// Ctrl-C (SIGINT), SIGTERM and exit-time cleanup for the commands that work for a long time and leave files
// behind (run --trace, demo --trace, check). Signals are trapped only while such a command needs it: a trap
// makes a signal an event of the event loop, which a synchronous simulation in the same thread never sees,
// so `run` without a trace file keeps the default (the process ends at once, status 130 in the shell).
import { rmSync } from 'node:fs';

export type StopSignal = 'SIGINT' | 'SIGTERM';
export const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM'];

/** The conventional exit status after a signal: 128 + its number. */
export const SIGNAL_EXIT: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

const exitHooks = new Set<() => void>();
let exitHookInstalled = false;

/** Run `fn` (synchronous) when this thread exits, normally or through process.exit or a crash; the returned
 *  function cancels it. */
export function atExit(fn: () => void): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const f of exitHooks) {
        try {
          f();
        } catch {
          // exiting anyway
        }
      }
    });
  }
  exitHooks.add(fn);
  return () => void exitHooks.delete(fn);
}

/** Delete `path` (a temporary file) when this thread exits, unless the returned function is called first. */
export function removeAtExit(path: string): () => void {
  return atExit(() => rmSync(path, { force: true }));
}

/**
 * Trap SIGINT and SIGTERM until the returned function is called. `onSignal` gets the signal and how many
 * have arrived so far: the first asks the command to stop, a second means "stop now".
 */
export function trapSignals(onSignal: (sig: StopSignal, count: number) => void): () => void {
  let count = 0;
  const listeners = STOP_SIGNALS.map((sig) => {
    const l = () => onSignal(sig, ++count);
    process.on(sig, l);
    return [sig, l] as const;
  });
  return () => {
    for (const [sig, l] of listeners) process.off(sig, l);
  };
}

/** An interruption as a value a long command polls: which signal came first, how many came. */
export class Interrupt {
  signal: StopSignal | null = null;
  count = 0;
  private readonly hard = new AbortController();
  private readonly listeners: ((sig: StopSignal, count: number) => void)[] = [];

  /** Aborted on the second signal: abandon the work in progress. */
  get abandon(): AbortSignal {
    return this.hard.signal;
  }

  get exitCode(): number {
    return this.signal ? SIGNAL_EXIT[this.signal] : 0;
  }

  onSignal(fn: (sig: StopSignal, count: number) => void): void {
    this.listeners.push(fn);
  }

  trigger(sig: StopSignal): void {
    this.signal ??= sig;
    this.count++;
    if (this.count > 1) this.hard.abort();
    for (const f of this.listeners) f(sig, this.count);
  }

  /** Trap SIGINT / SIGTERM into this object until the returned function is called. */
  trap(): () => void {
    return trapSignals((sig) => this.trigger(sig));
  }
}
