// serverCron at `hz` (server.c): stats samples, client time-outs, active expiry (masters only),
// save rules, AOF fsync/rewrite, and the 1 s hooks (replication cron).
import { parseSaveRules } from '../persistence/saver.ts';
import { activeExpireCycle } from '../keyspace/activeExpire.ts';
import { timedExpireCycle } from './expire-latency.ts';
import type { RedisServer } from './server.ts';
import { shutdownCron } from './shutdown.ts';

export function startCron(s: RedisServer): void {
  let cronloops = 0;
  const tick = () => {
    if (!s.ctx.alive() || s.shuttingDown) return;
    serverCron(s, cronloops++);
    const hz = Math.min(500, Math.max(1, s.conf.int('hz') || 10));
    s.setTimer(1000 / hz, tick);
  };
  const hz = Math.min(500, Math.max(1, s.conf.int('hz') || 10));
  s.setTimer(1000 / hz, tick);
}

/** run_with_period(ms): true on the loops where that period elapsed. */
function every(ms: number, loops: number, hz: number): boolean {
  const period = 1000 / hz;
  return ms <= period || loops % Math.round(ms / period) === 0;
}

export function serverCron(s: RedisServer, loops: number): void {
  const hz = Math.min(500, Math.max(1, s.conf.int('hz') || 10));
  if (every(100, loops, hz)) s.stats.sample(s.mstime());
  clientsCron(s);
  s.blocks.checkTimeouts();
  // databasesCron: active expiry on masters (replicas wait for the master's DELs); none while paused
  if (s.activeExpireEnabled && !s.repl.isReplica && !s.pause.checkTimeout()) {
    timedExpireCycle(s, () => activeExpireCycle(s.ks, s.expireRng, undefined, { effort: s.conf.int('active-expire-effort') || 1 }));
    s.propagator.flush(true);
  }
  s.saver.cron(saveRules(s.conf.get('save')));
  s.aof.cron();
  // a SHUTDOWN waiting for its replicas
  shutdownCron(s);
  if (!s.ctx.alive() || s.shuttingDown) return;
  // clear the paused clients state if needed
  s.pause.checkTimeout();
  for (const h of s.cronHooks) h(loops);
  if (every(1000, loops, hz)) for (const h of s.secondHooks) h();
  // trackingLimitUsedSlots: also when idle, so a CONFIG SET of tracking-table-max-keys takes effect
  if (s.tracking.clients > 0) s.tracking.limitUsedSlots();
}

let lastSaveText: string | null = null;
let lastSaveRules: ReturnType<typeof parseSaveRules> = [];

/** parseSaveRules of the `save` value, re-parsed only when the text changes (the rules are read-only). */
function saveRules(text: string): ReturnType<typeof parseSaveRules> {
  if (text !== lastSaveText) {
    lastSaveRules = parseSaveRules(text);
    lastSaveText = text;
  }
  return lastSaveRules;
}

/** clientsCron: close idle normal clients after `timeout` seconds. */
function clientsCron(s: RedisServer): void {
  const timeout = s.conf.int('timeout');
  if (timeout <= 0) return;
  const now = s.mstime();
  for (const c of [...s.clients.values()]) {
    if (c.kind !== 'normal' || c.blocked || c.inPubsub || !c.conn) continue;
    if (now - c.lastInteraction > timeout * 1000) {
      s.log('-', 'Closing idle client');
      s.freeClient(c);
    }
  }
}
