// Unit-test scaffolding: a SentinelState on a fake process context whose clock the test moves and
// whose connections record what is sent and let the test answer.
import type { Resp } from '../../engine/net/resp.ts';
import type { CloseReason, Conn, ConnHandlers } from '../../engine/net/types.ts';
import { Disk } from '../../engine/sim/host.ts';
import type { ProcessContext } from '../../engine/sim/process.ts';
import { Rng } from '../../engine/sim/rng.ts';
import { createDefaultSentinelFileConfig } from '../../engine/sentinel/config/index.ts';
import { SRI_MASTER, SRI_SENTINEL, SRI_SLAVE, type Instance } from '../../engine/sentinel/instance.ts';
import { createInstance } from '../../engine/sentinel/registry.ts';
import { SentinelState } from '../../engine/sentinel/state.ts';

export class FakeConn implements Conn {
  static nextId = 1;
  readonly id = FakeConn.nextId++;
  open = true;
  sent: string[][] = [];
  handlers: ConnHandlers;
  constructor(
    readonly local: string,
    readonly remote: string,
    h: ConnHandlers,
  ) {
    this.handlers = h;
  }
  setHandlers(h: ConnHandlers): void {
    this.handlers = h;
  }
  send(payload: unknown): void {
    if (this.open) this.sent.push(payload as string[]);
  }
  close(): void {
    this.open = false;
  }
  /** Deliver a reply from the peer. */
  reply(r: Resp): void {
    this.handlers.onData?.(r);
  }
  /** The peer goes away. */
  fail(reason: CloseReason = 'reset'): void {
    this.open = false;
    this.handlers.onClose?.(reason);
  }
}

export interface UnitWorld {
  S: SentinelState;
  clock: { now: number };
  logs: { level: string; line: string; event: string | null }[];
  conns: FakeConn[];
  disk: Disk;
  /** Advance the clock (ms). */
  tick(ms: number): void;
  events(): string[];
  master(name?: string, ip?: string, port?: number, quorum?: number): Instance;
  replica(m: Instance, ip: string, port: number): Instance;
  sentinel(m: Instance, runid: string, ip: string, port: number): Instance;
}

export function unitWorld(seed = 'unit'): UnitWorld {
  const clock = { now: 1_790_000_000_000 };
  const logs: UnitWorld['logs'] = [];
  const conns: FakeConn[] = [];
  const notes: { what: string; data: unknown }[] = [];
  const disk = new Disk();
  let exited = false;
  const ctx = {
    port: 26379,
    rng: new Rng(seed),
    host: { disk, ip: '10.0.0.100' },
    slot: { pid: 4242 },
    mstime: () => clock.now,
    now: () => clock.now * 1000,
    alive: () => !exited,
    log: (level: string, line: string, event: string | null = null) => logs.push({ level, line, event }),
    note: (what: string, data: unknown) => notes.push({ what, data }),
    exit: () => {
      exited = true;
    },
    setTimer: () => ({ cancel() {} }),
    connect: (ip: string, port: number, h: ConnHandlers) => {
      const c = new FakeConn(`10.0.0.100:${40000 + conns.length}`, `${ip}:${port}`, h);
      conns.push(c);
      return c;
    },
  } as unknown as ProcessContext;
  const S = new SentinelState(ctx, '/etc/sentinel.conf');
  S.fileConfig = createDefaultSentinelFileConfig('/etc');
  S.myid = 'a'.repeat(40);
  const must = (r: Instance | string): Instance => {
    if (typeof r === 'string') throw new Error(r);
    return r;
  };
  return {
    S,
    clock,
    logs,
    conns,
    disk,
    tick: (ms) => {
      clock.now += ms;
    },
    events: () => logs.filter((l) => l.event !== null).map((l) => l.line),
    master: (name = 'mymaster', ip = '10.0.0.1', port = 6379, quorum = 2) => {
      const m = must(createInstance(S, name, SRI_MASTER, ip, port, quorum, null));
      m.downAfterPeriod = 1500;
      m.failoverTimeout = 10000;
      return m;
    },
    replica: (m, ip, port) => must(createInstance(S, null, SRI_SLAVE, ip, port, m.quorum, m)),
    sentinel: (m, runid, ip, port) => {
      const s = must(createInstance(S, runid, SRI_SENTINEL, ip, port, m.quorum, m));
      s.runid = runid;
      return s;
    },
  };
}

/** A replica that answers: link up and fresh INFO now; priority, offset and run id set when given. */
export function healthy(w: UnitWorld, r: Instance, prio?: number, offset?: number, runid?: string | null): Instance {
  r.link.disconnected = false;
  r.link.lastAvailTime = w.clock.now;
  r.infoRefresh = w.clock.now;
  if (prio !== undefined) r.slavePriority = prio;
  if (offset !== undefined) r.slaveReplOffset = offset;
  if (runid !== undefined) r.runid = runid;
  return r;
}
