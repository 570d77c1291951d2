// A Sentinel that exits (SIMULATE-FAILURE, SHUTDOWN) must stop in the middle of whatever it was
// doing, as exit() does: the exit is thrown and caught at the process's entry points.

export class SentinelExit extends Error {
  constructor(readonly code: number) {
    super(`sentinel exited with code ${code}`);
  }
}

/** Run an entry point (timer, reply, client command); an exit unwinds to here. */
export function guarded(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof SentinelExit)) throw e;
  }
}
