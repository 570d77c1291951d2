// The real-Redis twin (issue 14): `runReal(scenario, opts)` runs a scenario's topology as real redis-server
// processes and its script in real time; the result has the simulator's trace shape (types.ts).
export { runReal, findRedisServer, cleanupLeftovers, RealInterrupted, RealRunFailed } from './run.ts';
export { RealRun } from './script.ts';
export { RealTopology, rewriteConfig, RealConfigError } from './config.ts';
export type { RealResult, RealRunOptions, RunReal } from './types.ts';
