// `import … from 'sentinel-sim/engine'`: the low-level simulation for tools that drive it step by step —
// the clock and event heap, hosts and processes, the network, the simulated Redis server and Sentinel.
export { Simulation, DEFAULT_EPOCH_MS, type SimulationOptions } from '../../engine/sim/simulation.ts';
export { Scheduler, RunawayError, TimeoutError, type RunOptions, type Timer } from '../../engine/sim/scheduler.ts';
export { Rng } from '../../engine/sim/rng.ts';
export { Host, Disk, type HostClockOptions } from '../../engine/sim/host.ts';
export { ProcessContext, type ProcessFactory, type ProcessInstance, type ProcessKind, type ProcessState } from '../../engine/sim/process.ts';
export { ms, sec, parseDuration, formatClock, US_PER_MS, US_PER_S, type Micros } from '../../engine/sim/time.ts';
export { buildMesh, type MeshOptions, type MeshStats } from '../../engine/sim/demo.ts';
export { redisServerFactory } from '../../engine/redis/server/index.ts';
export { sentinelFactory } from '../../engine/sentinel/index.ts';
export type { RedisServerOptions } from '../../engine/redis/server/index.ts';
export type { SentinelFactoryOptions, SentinelView, SentinelMasterView } from '../../engine/sentinel/index.ts';
