// Issue 18, example (a): a service using ioredis in Sentinel mode writes every 10 ms through the tutorial
// failover. The service's own code (scenarios/apps/code/ioredis-sentinel-writer.ts: `new Redis({ sentinels,
// name })`, one SADD per 10 ms) runs unmodified on host 10.0.0.9 in virtual time; the cluster is the
// tutorial's (master 7003, replica 8003, three Sentinels, down-after 1500 ms). We kill 7003, the Sentinels
// promote 8003, 7003 restarts 8 s after the kill and is converted to a replica.
//
// The questions: how long could the service not write, when did it first write to 8003, which errors did it
// see, did it write to the old master after the switch, and did it lose acknowledged writes? The answers are
// the notes "app web-1: …" (README, "Your own application in the simulation").
import { defineScenario, fromConfigFiles, js, waitDiscovered, type ScenarioRun } from '../api/index.ts';
import { moduleNextTo, noteAppFigures } from '../../bin/guest/index.ts';

export const WRITER = moduleNextTo(import.meta.url, './code/ioredis-sentinel-writer');

export default defineScenario({
  name: 'ioredis-tutorial-failover',
  description: 'ioredis in Sentinel mode writing every 10 ms through the tutorial failover: downtime, first write to 8003, errors, lost writes',
  seed: 1,
  setup: () =>
    fromConfigFiles({
      servers: ['../tutorial/redis.conf', '../tutorial/redis_slave.conf'],
      sentinels: ['../tutorial/sentinel1.conf', '../tutorial/sentinel2.conf', '../tutorial/sentinel3.conf'],
    }),
  script: (s) => tutorialWithApp(s, WRITER),
});

/** The tutorial failover with one application host running `module` (shared by the node-redis example). */
export function tutorialWithApp(s: ScenarioRun, module: string): void {
  const app = s.app('web-1', { host: '10.0.0.9', module, params: { password: '0234kz9*1', everyMs: 10 } });
  s.sleep('5s');
  s.expectEqual(app.master, '127.0.0.1:7003', 'the app found the master 7003 through the Sentinels');
  // as in the tutorial: the kill comes 10 s in, once the replica has synced (repl-diskless-sync-delay 5 s)
  s.at('10s');
  s.expect(waitDiscovered(s), 'every Sentinel knows the replica 8003 and the two other Sentinels');
  s.expect(Number(js(s.exec('8003', 'SCARD', 'writes'))) > 0, "the replica 8003 has the app's writes before the kill");
  const killedAt = s.now;
  s.kill('7003');
  s.waitFor('+switch-master', { timeout: '30s' });
  s.at((killedAt + 8_000_000) / 1000);
  s.restart('7003');
  s.waitFor('+convert-to-slave', { timeout: '30s' });
  s.sleep('8s');
  s.expectEqual(app.master, '127.0.0.1:8003', 'the app writes to the new master 8003');
  const acc = app.finishSet('writes');
  const f = noteAppFigures(s, app, { faultAt: killedAt });
  s.expect(f.firstOkOnNewMaster !== null, 'the app wrote to 8003 after the switch');
  s.expectEqual(f.staleMasterWrites.length, 0, 'no write acknowledged by 7003 after the switch');
  s.expectEqual(acc.lost, 0, 'no acknowledged write lost (the replica had every write acknowledged before the kill)');
  s.expectEqual(app.error, null, 'the app ended without an error');
}
