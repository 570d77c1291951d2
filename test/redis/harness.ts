// A minimal in-process command runner for unit tests of command groups (no network, no server).
// It checks arity like the server does and records propagation, touches and blocks.
import { toResp2 } from '../../engine/net/resp3.ts';
import { err, type Resp } from '../../engine/net/resp.ts';
import { Rng } from '../../engine/sim/rng.ts';
import type { BlockRequest, ClientState, CommandContext, CommandSpec } from '../../engine/redis/commands/context.ts';
import { Keyspace } from '../../engine/redis/keyspace/keyspace.ts';

export interface Harness {
  ks: Keyspace;
  client: ClientState;
  /** Host clock in ms; tests move it. */
  clock: { now: number };
  /** Everything propagated, in order. */
  propagated: string[][];
  touched: string[];
  blocked: BlockRequest[];
  isReplica: boolean;
  fromMaster: boolean;
  run(...argv: string[]): Resp;
}

export function makeClient(id = 1): ClientState {
  return {
    id,
    name: '',
    dbIndex: 0,
    authenticated: true,
    user: 'default',
    multi: null,
    watched: new Map(),
    dirtyCas: false,
    channels: new Set(),
    patterns: new Set(),
    kind: 'normal',
    addr: '127.0.0.1:40000',
    laddr: '127.0.0.1:6379',
    createdMs: 0,
    lastCmdMs: 0,
    lastCmd: '',
    resp: 2,
    closeAfterReply: false,
  };
}

export function createHarness(specs: readonly CommandSpec[], opts: { seed?: string; startMs?: number } = {}): Harness {
  const table = new Map(specs.map((s) => [s.name, s]));
  const clock = { now: opts.startMs ?? 1_700_000_000_000 };
  const rng = new Rng(opts.seed ?? 'harness');
  const h: Harness = {
    ks: undefined as unknown as Keyspace,
    client: makeClient(),
    clock,
    propagated: [],
    touched: [],
    blocked: [],
    isReplica: false,
    fromMaster: false,
    run(...argv: string[]): Resp {
      const spec = table.get(argv[0]!.toLowerCase());
      if (!spec) return err(`ERR unknown command '${argv[0]}'`);
      if ((spec.arity > 0 && argv.length !== spec.arity) || (spec.arity < 0 && argv.length < -spec.arity))
        return err(`ERR wrong number of arguments for '${spec.name}' command`);
      let dirty = 0;
      let prevent = false;
      const explicit: string[][] = [];
      const ctx: CommandContext = {
        argv,
        client: h.client,
        db: h.ks.db(h.client.dbIndex),
        ks: h.ks,
        now: () => clock.now,
        rng,
        inTransaction: false,
        fromMaster: h.fromMaster,
        dirty: (n = 1) => {
          dirty += n;
        },
        propagate: (a) => {
          explicit.push(a);
        },
        preventPropagation: () => {
          prevent = true;
        },
        touch: (key, dbIndex) => {
          h.touched.push(`${dbIndex ?? h.client.dbIndex}:${key}`);
        },
        block: (req) => {
          h.blocked.push(req);
        },
      };
      const reply = spec.handler(ctx);
      if (explicit.length) h.propagated.push(...explicit);
      else if (dirty > 0 && !prevent) h.propagated.push(argv);
      // what a RESP2 client receives
      return toResp2(reply ?? { t: 'bulk', v: null });
    },
  };
  h.ks = new Keyspace(16, {
    now: () => clock.now,
    expiredLooksAbsentOnly: () => h.isReplica && !h.fromMaster,
    applyingMasterStream: () => h.isReplica && h.fromMaster,
    onExpired: (db, key) => h.propagated.push(['DEL', key].concat(db === h.client.dbIndex ? [] : [`(db ${db})`])),
    onTouched: (db, key) => h.touched.push(`${db}:${key}`),
  });
  return h;
}

/** A context like the harness's own, for a BlockRequest's retry or a call inside MULTI; propagated commands go to `prop`. */
export function contextFor(h: Harness, argv: string[], inTransaction: boolean, prop: string[][]): CommandContext {
  return {
    argv,
    client: h.client,
    db: h.ks.db(h.client.dbIndex),
    ks: h.ks,
    now: () => h.clock.now,
    rng: undefined as never,
    inTransaction,
    fromMaster: false,
    dirty: () => {},
    propagate: (a) => prop.push(a),
    preventPropagation: () => {},
    touch: (k) => h.touched.push(`0:${k}`),
    block: () => {
      throw new Error('must not block');
    },
  };
}

/** The reply and propagation of the i-th blocked client's retry. */
export function retryBlocked(h: Harness, i = 0): { reply: Resp | undefined; prop: string[][] } {
  const prop: string[][] = [];
  const reply = h.blocked[i]!.retry(contextFor(h, ['ignored'], false, prop));
  return { reply: reply && toResp2(reply), prop };
}

/** A command of `specs` run as inside MULTI (blocking forms must not block). */
export function inMulti(h: Harness, specs: readonly CommandSpec[], ...argv: string[]): Resp | undefined {
  const spec = specs.find((s) => s.name === argv[0])!;
  const r = spec.handler(contextFor(h, argv, true, []));
  return r && toResp2(r);
}
