// Runs one step list against the real server and the simulated one, connection by connection, and
// reports the first reply that differs (after it the two datasets may have diverged).
import type { Step } from './gen-base.ts';
import { checkRandom, popped, type Contents } from './random-check.ts';
import { sameReply } from './compare.ts';
import { isError, text, type Rep, type RespClient } from './reply.ts';
import type { SimSide } from './sim-side.ts';

export interface Mismatch {
  index: number;
  argv: string[];
  conn: number;
  real: Rep;
  sim: Rep;
  why?: string;
  /** The steps just before, for the report. */
  context: string[];
}

export interface RunResult {
  /** Replies compared (a full SCAN iteration counts once per page on the real side). */
  compared: number;
  /** Steps not sent (reply undefined in Redis for that state). */
  skipped: number;
  mismatch: Mismatch | null;
}

const LEX = new Set(['zrangebylex', 'zrevrangebylex', 'zlexcount', 'zremrangebylex']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DiffRunner {
  /** Per connection: the argv list queued since MULTI, or null outside a transaction. */
  private readonly queued: (string[][] | null)[] = [null, null];
  /** Per connection: the selected database. */
  private readonly db = [0, 0];
  compared = 0;
  /** Steps not sent because Redis's reply is undefined for the current state (see `undefinedReply`). */
  skipped = 0;

  constructor(
    private readonly real: RespClient[],
    private readonly sim: SimSide,
  ) {}

  async run(steps: Step[]): Promise<RunResult> {
    const context: string[] = [];
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i]!;
      const bad = await this.step(s);
      if (bad) return { compared: this.compared, skipped: this.skipped, mismatch: { ...bad, index: i, argv: s.argv, conn: s.conn, context: context.slice(-12) } };
      context.push(`${s.conn}> ${s.argv.join(' ')}`);
    }
    return { compared: this.compared, skipped: this.skipped, mismatch: null };
  }

  /** Client ids of connections 0 and 1 on each side ({id:N} in steps). */
  private ids: { real: string[]; sim: string[] } | null = null;

  private async both(conn: number, argv: string[]): Promise<[Rep, Rep]> {
    await this.sim.align();
    if (argv.some((a) => a.startsWith('{id:')) || /^(hello|client)$/i.test(argv[0] ?? '')) await this.learnIds();
    const on = (side: 'real' | 'sim') => argv.map((a) => a.replace(/^\{id:(\d)\}$/, (_, n: string) => this.ids!.real.length ? this.ids![side][Number(n)]! : a));
    const r = await this.real[conn]!.cmd(on('real'));
    const m = this.sim.cmd(conn, on('sim'));
    this.compared++;
    if (/^(hello|client)$/i.test(argv[0] ?? '')) return [this.maskIds(r, 'real'), this.maskIds(m, 'sim')];
    // a connection entering / leaving RESP2 Pub/Sub mode: its messages are pushes from now on / no more
    const name = argv[0]!.toLowerCase();
    if (name === 'subscribe' || name === 'psubscribe') this.real[conn]!.subscribed = this.sim.subscribed[conn] = true;
    if (name === 'reset') this.real[conn]!.subscribed = this.sim.subscribed[conn] = false;
    return [r, m];
  }

  private async learnIds(): Promise<void> {
    if (this.ids) return;
    this.ids = { real: [], sim: [] };
    for (let i = 0; i < 2; i++) {
      this.ids.real.push(text(await this.real[i]!.cmd(['client', 'id']))!);
      this.ids.sim.push(text(this.sim.cmd(i, ['client', 'id']))!);
    }
    if (process.env.DIFF_DEBUG) console.log('ids', this.ids);
  }

  /** A connection's id as `:{id:N}`: a top-level integer (CLIENT ID, GETREDIR), the `id` / `redirect` fields, `id=` in text. */
  private maskIds(r: Rep, side: 'real' | 'sim', field = true): Rep {
    const ids = this.ids ? this.ids[side] : [];
    if (Array.isArray(r)) return r.map((x, i) => this.maskIds(x, side, i > 0 && (r[i - 1] === '$id' || r[i - 1] === '$redirect')));
    const i = ids.indexOf(r.slice(1));
    if (field && r.startsWith(':') && i >= 0) return `:{id:${i}}`;
    return r.replace(/\bid=(\d+)/g, (w, n: string) => (ids.indexOf(n) >= 0 ? `id={id:${ids.indexOf(n)}}` : w));
  }

  /** Wait `ms` on both sides, then compare every connection's pushes (and forget them). */
  private async pushes(ms: number): Promise<Omit<Mismatch, 'index' | 'argv' | 'conn' | 'context'> | null> {
    await sleep(ms);
    this.sim.sleep(ms);
    for (let conn = 0; conn < this.real.length; conn++) {
      this.sim.drain(conn);
      const r = this.real[conn]!.pushes.splice(0);
      const m = this.sim.pushes[conn]!.splice(0);
      this.compared++;
      if (JSON.stringify(r) !== JSON.stringify(m)) return { real: r, sim: m, why: `pushes received by connection ${conn}` };
    }
    return null;
  }

  private async step(s: Step): Promise<Omit<Mismatch, 'index' | 'argv' | 'conn' | 'context'> | null> {
    switch (s.kind ?? 'exact') {
      case 'scan':
        return this.scan(s);
      case 'random':
        return this.random(s);
      case 'short-expire': {
        // an expiry of a few ms that fires on both sides before the key is read again
        const [r, m] = await this.both(s.conn, [...s.argv, '5']);
        if (!sameReply(s.argv, r, m)) return { real: r, sim: m };
        await sleep(30);
        this.sim.sleep(30);
        const [r2, m2] = await this.both(s.conn, ['exists', s.argv[1]!]);
        return sameReply(['exists'], r2, m2) ? null : { real: r2, sim: m2, why: 'after the expiry' };
      }
      case 'sleep': {
        const ms = Number(s.argv[0]);
        await sleep(ms);
        this.sim.sleep(ms);
        return null;
      }
      case 'block':
        return this.block(s);
      case 'dump':
        return this.dump(s.conn);
      case 'pushes':
        return this.pushes(Number(s.argv[0] ?? 30));
      default:
        return this.exact(s);
    }
  }

  /** Every key of databases 0-2 on both sides: type, encoding, value, TTL (then back to the client's db). */
  private async dump(conn: number): Promise<Omit<Mismatch, 'index' | 'argv' | 'conn' | 'context'> | null> {
    const check = async (argv: string[]) => {
      const [r, m] = await this.both(conn, argv);
      return sameReply(argv, r, m) ? null : { real: r, sim: m, why: `dataset: ${argv.join(' ')}` };
    };
    for (let db = 0; db < 3; db++) {
      const bad = await check(['select', String(db)]);
      if (bad) return bad;
      const [keys, simKeys] = await this.both(conn, ['keys', '*']);
      if (!sameReply(['keys'], keys, simKeys)) return { real: keys, sim: simKeys, why: `dataset: keys of db ${db}` };
      for (const k of (keys as string[]).map((x) => text(x)!).sort()) {
        const [type] = await this.both(conn, ['type', k]);
        const read: Record<string, string[]> = {
          '+string': ['get', k],
          '+list': ['lrange', k, '0', '-1'],
          '+hash': ['hgetall', k],
          '+set': ['smembers', k],
          '+zset': ['zrange', k, '0', '-1', 'withscores'],
          '+stream': ['xinfo', 'stream', k, 'full'],
        };
        for (const argv of [['type', k], ['object', 'encoding', k], read[type as string] ?? ['type', k], ['pttl', k]]) {
          const b = await check(argv);
          if (b) return b;
        }
      }
    }
    return check(['select', String(this.db[conn])]);
  }

  /**
   * A blocking command on connection 0, then `wake` from connection 1 once the server has had time to
   * block it (20 ms on both sides); both replies compared.
   */
  private async block(s: Step): Promise<Omit<Mismatch, 'index' | 'argv' | 'conn' | 'context'> | null> {
    await this.sim.align();
    const pending = this.real[0]!.cmd(s.argv);
    this.sim.send(0, s.argv);
    await sleep(20);
    this.sim.sleep(20);
    // the simulated wake comes exactly 20 ms after the block (however late the real one was, a
    // loaded machine must not push the simulated clock past the time-out)
    await this.sim.align();
    const w = await this.real[1]!.cmd(s.wake!);
    const mw = this.sim.cmd(1, s.wake!, false);
    this.compared++;
    const r = await pending;
    const m = this.sim.take(0);
    this.compared++;
    if (!sameReply(s.wake!, w, mw)) return { real: w, sim: mw, why: `reply to the waking ${s.wake!.join(' ')}` };
    return sameReply(s.argv, r, m) ? null : { real: r, sim: m, why: `blocked, woken by ${s.wake!.join(' ')}` };
  }

  /**
   * Why Redis's reply to this command is not a function of the dataset, or null. Lex ranges on a
   * sorted set whose members have different scores: Redis documents them for equal scores only; a
   * listpack is scanned in order (deterministic, compared), but a skiplist is searched from its top
   * level down, and its node levels come from the real server's unseeded random().
   */
  private undefinedReply(argv: string[], conn: number): string | null {
    const name = argv[0]!.toLowerCase();
    const lex = LEX.has(name) || ((name === 'zrange' || name === 'zrangestore') && argv.some((a) => a.toLowerCase() === 'bylex'));
    if (!lex) return null;
    const key = argv[name === 'zrangestore' ? 2 : 1];
    if (key === undefined) return null;
    this.sim.cmd(2, ['select', String(this.db[conn])]);
    if (this.sim.cmd(2, ['object', 'encoding', key]) !== '$skiplist') return null;
    const all = this.sim.cmd(2, ['zrange', key, '0', '-1', 'withscores']) as string[];
    const scores = new Set(all.filter((_, i) => i % 2 === 1));
    return scores.size > 1 ? 'lex range over a skiplist with mixed scores' : null;
  }

  private async exact(s: Step): Promise<Omit<Mismatch, 'index' | 'argv' | 'conn' | 'context'> | null> {
    if (this.queued[s.conn] === null && this.undefinedReply(s.argv, s.conn)) {
      this.skipped++;
      return null;
    }
    const [r, m] = await this.both(s.conn, s.argv);
    const name = s.argv[0]!.toLowerCase();
    const q = this.queued[s.conn]!;
    const ok = sameReply(s.argv, r, m, q ?? undefined);
    // follow the connection state from the real server's replies
    if (q !== null) {
      if (name === 'exec' || name === 'discard') {
        this.queued[s.conn] = null;
        if (name === 'exec' && Array.isArray(r)) r.forEach((x, i) => this.follow(s.conn, q[i]!, x));
      } else if (r === '+QUEUED') q.push(s.argv);
    } else if (name === 'multi' && r === '+OK') this.queued[s.conn] = [];
    else this.follow(s.conn, s.argv, r);
    return ok ? null : { real: r, sim: m };
  }

  private follow(conn: number, argv: string[], r: Rep): void {
    if (argv[0]!.toLowerCase() === 'select' && r === '+OK') this.db[conn] = Number(argv[1]);
  }

  /** SCAN-family: iterate to cursor 0 on each side; compare the union of what was returned. */
  private async scan(s: Step): Promise<Omit<Mismatch, 'index' | 'argv' | 'conn' | 'context'> | null> {
    const [r, m] = await this.both(s.conn, s.argv);
    if (!Array.isArray(r) || !Array.isArray(m) || isError(r) || isError(m)) return sameReply(s.argv, r, m) ? null : { real: r, sim: m };
    const at = s.argv[0]!.toLowerCase() === 'scan' ? 1 : 2;
    const pairs = at === 2 && s.argv[0]!.toLowerCase() !== 'sscan';
    const collect = async (first: Rep[], next: (argv: string[]) => Promise<Rep> | Rep): Promise<string[] | string> => {
      const seen = new Set<string>();
      let page: Rep = first;
      for (let n = 0; n < 10_000; n++) {
        if (!Array.isArray(page) || page.length !== 2 || !Array.isArray(page[1])) return `bad page ${JSON.stringify(page)}`;
        const items = page[1] as string[];
        for (let i = 0; i < items.length; i += pairs ? 2 : 1) seen.add(pairs ? `${items[i]}=${items[i + 1]}` : items[i]!);
        const cursor = text(page[0]);
        if (cursor === '0') return [...seen].sort();
        const argv = s.argv.slice();
        argv[at] = cursor!;
        page = await next(argv);
      }
      return 'cursor never returned to 0';
    };
    const realAll = await collect(r, (argv) => {
      this.compared++;
      return this.real[s.conn]!.cmd(argv);
    });
    const simAll = await collect(m, (argv) => this.sim.cmd(s.conn, argv));
    const same = JSON.stringify(realAll) === JSON.stringify(simAll);
    return same ? null : { real: realAll as Rep, sim: simAll as Rep, why: 'union after a full iteration' };
  }

  /** The collection a random command picks from, read on the simulated side (inspector connection). */
  private contents(argv: string[], conn: number): Contents {
    const ins = (...a: string[]) => this.sim.cmd(2, a);
    ins('select', String(this.db[conn]));
    const out: Contents = new Map();
    const name = argv[0]!.toLowerCase();
    if (name === 'randomkey') {
      for (const k of ins('keys', '*') as string[]) out.set(text(k)!, '');
      return out;
    }
    const key = argv[1] ?? '';
    const type = ins('type', key);
    const flat = type === '+set' ? ins('smembers', key) : type === '+hash' ? ins('hgetall', key) : type === '+zset' ? ins('zrange', key, '0', '-1', 'withscores') : [];
    const items = (Array.isArray(flat) ? flat : []).map((x) => text(x)!);
    const paired = type !== '+set';
    for (let i = 0; i < items.length; i += paired ? 2 : 1) out.set(items[i]!, paired ? items[i + 1]! : '');
    return out;
  }

  private async random(s: Step): Promise<Omit<Mismatch, 'index' | 'argv' | 'conn' | 'context'> | null> {
    const coll = this.contents(s.argv, s.conn);
    const [r, m] = await this.both(s.conn, s.argv);
    const v = checkRandom(s.argv, r, m, coll);
    if (!v.ok) return { real: r, sim: m, why: v.why };
    if (s.argv[0]!.toLowerCase() === 'spop' && !isError(r)) {
      // both removed the same number of members, maybe different ones: make the simulated set what
      // the real one is now (a test-side fix-up, not compared)
      const realGone = new Set(popped(r));
      const simGone = new Set(popped(m));
      const key = s.argv[1]!;
      const back = [...simGone].filter((x) => !realGone.has(x));
      const gone = [...realGone].filter((x) => !simGone.has(x));
      if (back.length) {
        this.sim.cmd(2, ['select', String(this.db[s.conn])]);
        this.sim.cmd(2, ['sadd', key, ...back]);
        this.sim.cmd(2, ['srem', key, ...gone]);
      }
    }
    return null;
  }
}
