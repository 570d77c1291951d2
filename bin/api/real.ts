// `import { runReal } from 'sentinel-sim/real'`: the real-Redis twin from your own code. runReal runs a scenario
// (a file, a built-in scenario's name) on real redis-server processes — one loopback alias per simulated host,
// faults as signals and iptables rules, clock jumps through a wall-clock preload library — and resolves with
// records of the simulator's trace shape (so the summary and the property checkers read them alike).
// confirmOnReal replays a repro file k times and judges one property on each real run (check --confirm-real).
// Needs redis-server 7.0.15 on PATH; network faults need root; clock jumps a C compiler.
export { runReal, findRedisServer, RealInterrupted, RealRunFailed } from '../real/run.ts';
export type { RealResult, RealRunOptions, RunReal } from '../real/types.ts';
export { confirmOnReal, evidenceLines, NOT_JUDGED_ON_REAL, type ConfirmOptions, type RealAttempt, type RealConfirmation } from '../check/confirm.ts';
