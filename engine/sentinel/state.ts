// The state of one Sentinel process (sentinel.c `struct sentinelState` plus the server fields
// Sentinel uses): everything here is memory, lost on a crash; persist.ts writes what survives.
import type { SentinelFileConfig } from './config/index.ts';
import type { ProcessContext } from '../sim/process.ts';
import type { Rng } from '../sim/rng.ts';
import type { Acl } from '../redis/acl/registry.ts';
import { CONFIG_DEFAULT_HZ, defaultTimings, LL_NOTICE, type LogLevel, type Timings } from './constants.ts';
import type { Instance } from './instance.ts';

export class SentinelState {
  readonly timings: Timings = defaultTimings();
  myid = '';
  /** The server run_id (INFO), not the Sentinel id. */
  runId = '';
  currentEpoch = 0;
  /** Monitored masters by name, in insertion order (Redis: dict order). */
  masters = new Map<string, Instance>();
  tilt = false;
  tiltStartTime = 0;
  previousTime: number;
  announceIp: string | null = null;
  announcePort = 0;
  denyScriptsReconfig = true;
  resolveHostnames = false;
  announceHostnames = false;
  sentinelAuthPass: string | null = null;
  sentinelAuthUser: string | null = null;
  simfailureFlags = 0;
  /** server.port: what hellos announce. */
  port: number;
  /** server.verbosity. */
  verbosity: LogLevel = LL_NOTICE;
  /** requirepass of this Sentinel (clients must AUTH; also used towards other Sentinels). */
  requirepass: string | null = null;
  /** ACL users and log (engine/redis/acl), set up at start (acl.ts). */
  acl!: Acl;
  /** acl-pubsub-default allchannels (the 7.0 default is resetchannels). */
  aclPubsubAllChannels = false;
  /** ACL GENPASS's stream. */
  readonly aclRng: Rng;
  /** The file the state is flushed to, on the host disk. */
  configPath: string;
  /** The generic (non-sentinel) part of the configuration, written back by every flush. */
  fileConfig!: SentinelFileConfig;
  /** The randomised server.hz of the last tick (INFO shows it). */
  hz = CONFIG_DEFAULT_HZ;
  /** Wall-clock ms at start (uptime). */
  startTime: number;
  readonly hzRng: Rng;
  readonly desyncRng: Rng;
  readonly idRng: Rng;
  /** dictSetHashFunctionSeed at process start: the order the instance tables iterate in (dict.ts). */
  readonly dictSeed: number;
  /** Deliver an event to this Sentinel's own pub/sub subscribers (set by the client side). */
  publish: (channel: string, message: string) => void = () => {};

  constructor(
    readonly ctx: ProcessContext,
    configPath: string,
  ) {
    this.configPath = configPath;
    this.port = ctx.port;
    this.previousTime = ctx.mstime();
    this.startTime = ctx.mstime();
    this.hzRng = ctx.rng.fork('hz');
    this.desyncRng = ctx.rng.fork('desync');
    this.idRng = ctx.rng.fork('myid');
    this.aclRng = ctx.rng.fork('acl');
    this.dictSeed = ctx.rng.fork('dict-hash-seed').int(0, 0xffffffff);
  }

  /** mstime(): this host's wall clock in ms. */
  now(): number {
    return this.ctx.mstime();
  }

  /** rand() % SENTINEL_MAX_DESYNC. */
  desync(max: number): number {
    return this.desyncRng.int(0, max - 1);
  }
}
