// Redis Sentinel 7.0.15 as a simulated process: sentinelFactory({configPath, configText}).
// Boot = loadServerConfig + initSentinel + sentinelIsRunning; then the server cron drives
// sentinelTimer, clients talk to SentinelServer (sentinel.md).
import type { Conn } from '../net/types.ts';
import type { ProcessContext, ProcessFactory, ProcessInstance } from '../sim/process.ts';
import { applyStartupDefaults, ConfigFileError, ConfigFileOpenError, parseSentinelConf } from './config/index.ts';
import { LL_NOTICE, LL_WARNING } from './constants.ts';
import { sentinelEvent, serverLog } from './events.ts';
import { FAILOVER_STATE_NAMES, SRI_FAILOVER_IN_PROGRESS, SRI_O_DOWN, SRI_S_DOWN, type Instance } from './instance.ts';
import { applyFileConfig, flushConfig } from './persist.ts';
import { initSentinelAcl } from './acl.ts';
import { flagsString } from './reply.ts';
import { SentinelServer } from './server.ts';
import { SentinelState } from './state.ts';
import { startCron } from './timer.ts';

export interface SentinelFactoryOptions {
  /** Path of sentinel.conf on the host's disk. */
  configPath: string;
  /** Written to configPath when the file does not exist yet. */
  configText?: string;
}

export interface SentinelMasterView {
  name: string;
  addr: string;
  flags: string;
  sDown: boolean;
  oDown: boolean;
  failoverInProgress: boolean;
  failoverState: string;
  configEpoch: number;
  leader: string | null;
  leaderEpoch: number;
  quorum: number;
  /** down-after-milliseconds, failover-timeout and the election timeout (min(10 s, failover-timeout)). */
  downAfterMs: number;
  failoverTimeoutMs: number;
  electionTimeoutMs: number;
  /** failover_start_time in virtual µs (with its random desync; voting for another Sentinel moves it), or null. */
  failoverStartT: number | null;
  numReplicas: number;
  numOtherSentinels: number;
  promoted: string | null;
  replicas: { name: string; flags: string }[];
  sentinels: { runid: string; addr: string; flags: string; leader: string | null; leaderEpoch: number }[];
}

export interface SentinelView {
  myid: string;
  currentEpoch: number;
  tilt: boolean;
  masters: SentinelMasterView[];
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function masterView(S: SentinelState, m: Instance): SentinelMasterView {
  return {
    name: m.name,
    addr: `${m.addr.ip}:${m.addr.port}`,
    flags: flagsString(m),
    sDown: (m.flags & SRI_S_DOWN) !== 0,
    oDown: (m.flags & SRI_O_DOWN) !== 0,
    failoverInProgress: (m.flags & SRI_FAILOVER_IN_PROGRESS) !== 0,
    failoverState: FAILOVER_STATE_NAMES[m.failoverState],
    configEpoch: m.configEpoch,
    leader: m.leader,
    leaderEpoch: m.leaderEpoch,
    quorum: m.quorum,
    downAfterMs: m.downAfterPeriod,
    failoverTimeoutMs: m.failoverTimeout,
    electionTimeoutMs: Math.min(S.timings.electionTimeout, m.failoverTimeout),
    failoverStartT: m.failoverStartTime ? S.ctx.now() + Math.round((m.failoverStartTime - S.now()) * 1000) : null,
    numReplicas: m.slaves.size,
    numOtherSentinels: m.sentinels.size,
    promoted: m.promotedSlave ? m.promotedSlave.name : null,
    replicas: [...m.slaves.values()].map((s) => ({ name: s.name, flags: flagsString(s) })),
    sentinels: [...m.sentinels.values()].map((s) => ({
      runid: s.runid ?? s.name,
      addr: `${s.addr.ip}:${s.addr.port}`,
      flags: flagsString(s),
      leader: s.leader,
      leaderEpoch: s.leaderEpoch,
    })),
  };
}

export class SentinelProcess implements ProcessInstance {
  readonly S: SentinelState;
  server: SentinelServer | null = null;

  constructor(
    readonly ctx: ProcessContext,
    private readonly opts: SentinelFactoryOptions,
  ) {
    this.S = new SentinelState(ctx, opts.configPath);
  }

  boot(): void {
    const { ctx, S, opts } = this;
    const disk = ctx.host.disk;
    ctx.log('#', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
    ctx.log('#', `Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=${ctx.slot.pid}, just started`);
    if (!disk.exists(opts.configPath) && opts.configText !== undefined) disk.write(opts.configPath, opts.configText);
    const text = disk.read(opts.configPath);
    if (typeof text !== 'string') {
      ctx.log('#', `Fatal error, can't open config file '${opts.configPath}': No such file or directory`);
      ctx.exit(1, 'no config file');
      return;
    }
    let cfg;
    try {
      cfg = parseSentinelConf(text, {
        path: opts.configPath,
        cwd: dirname(opts.configPath),
        readFile: (p) => {
          const f = disk.read(p);
          return typeof f === 'string' ? f : undefined;
        },
      });
    } catch (e) {
      if (!(e instanceof ConfigFileError || e instanceof ConfigFileOpenError)) throw e;
      ctx.log('#', e.message);
      ctx.exit(1, 'config error');
      return;
    }
    applyStartupDefaults(cfg);
    // the simulated process listens on its slot's port (as if started with --port)
    cfg.server.forceSet('port', String(ctx.port));
    ctx.log('#', 'Configuration loaded');
    const loadErr = applyFileConfig(S, cfg);
    if (loadErr !== null) {
      ctx.log('#', loadErr);
      ctx.exit(1, 'config error');
      return;
    }
    serverLog(S, LL_NOTICE, 'monotonic clock: POSIX clock_gettime');
    serverLog(S, LL_NOTICE, `Running mode=sentinel, port=${S.port}.`);
    // ACLLoadUsersAtStartup
    if (!initSentinelAcl(S, cfg.server.users)) {
      ctx.exit(1, 'ACL error');
      return;
    }
    S.runId = ctx.rng.fork('runid').hex40();
    this.server = new SentinelServer(S);

    // sentinelIsRunning: a new id is persisted at once
    if (S.myid === '') {
      S.myid = S.idRng.hex40();
      flushConfig(S);
    }
    serverLog(S, LL_WARNING, `Sentinel ID is ${S.myid}`);
    for (const m of S.masters.values()) sentinelEvent(S, LL_WARNING, '+monitor', m, `%@ quorum ${m.quorum}`);
    startCron(S);
  }

  onConnection(conn: Conn): void {
    if (!this.server) {
      conn.close();
      return;
    }
    this.server.accept(conn);
  }

  snapshot(): SentinelView {
    const S = this.S;
    return {
      myid: S.myid,
      currentEpoch: S.currentEpoch,
      tilt: S.tilt,
      masters: [...S.masters.values()].map((m) => masterView(S, m)),
    };
  }

  roleChar(): string {
    return 'X';
  }
}

export function sentinelFactory(opts: SentinelFactoryOptions): ProcessFactory {
  return (ctx) => new SentinelProcess(ctx, opts);
}

export { SentinelState } from './state.ts';
export type { Instance } from './instance.ts';
