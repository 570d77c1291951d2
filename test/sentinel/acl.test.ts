// A Sentinel's own ACL (the engine redis-server uses, over Sentinel mode's commands): `requirepass` and
// `user` lines in sentinel.conf, `sentinel sentinel-user` / `sentinel-pass` between Sentinels, -NOPERM
// and ACL LOG, and what a missing permission does (no is-master-down-by-addr: never O_DOWN with quorum 2).
import { describe, expect, it } from 'vitest';
import { passwordHash } from '../../engine/redis/config/users.ts';
import { cluster, defineScenario, js, runScenario, waitDiscovered, type ScenarioExecutor } from '../../scenarios/api/index.ts';

const PEER = (extra: string) =>
  ['requirepass adminpw', `user peer on >pp allchannels +@all ${extra}`.trim(), 'sentinel sentinel-user peer', 'sentinel sentinel-pass pp'].join('\n');

function run(extra: string, script: (s: ScenarioExecutor) => void) {
  const sc = defineScenario({
    name: 'sentinel-acl',
    description: 'test',
    seed: 1,
    setup: () => cluster({ replicas: 2, sentinels: 3, quorum: 2, downAfter: '5s', failoverTimeout: '20s', sentinelConfig: PEER(extra) }),
    script,
  });
  const r = runScenario(sc, { ring: 1024 });
  expect(r.run.failures).toEqual([]);
  expect(r.error).toBeNull();
}

describe('Sentinel ACL', () => {
  it('Sentinels authenticate to each other as sentinel-user; clients need AUTH; ACL commands work', () => {
    run('', (s) => {
      s.sleep('15s');
      const S1 = s.sentinels[0]!;
      s.expect(waitDiscovered(s), 'the Sentinels found each other (hellos) and the replicas');
      const other = js(s.exec(S1, { auth: 'adminpw' }, 'CLIENT', 'LIST')) as string;
      s.expect((other.match(/user=peer /g) ?? []).length >= 2, 'the other Sentinels are connected as peer');
      s.expectEqual(js(s.exec(S1, { auth: false }, 'PING')), { err: 'NOAUTH Authentication required.' }, 'a client without AUTH');
      s.expectEqual(js(s.exec(S1, { auth: 'adminpw' }, 'ACL', 'USERS')), ['default', 'peer'], 'ACL USERS');
      s.expectEqual(
        js(s.exec(S1, { auth: 'adminpw' }, 'ACL', 'SETUSER', 'watcher', 'on', '>w', '+ping', '+sentinel|masters')),
        'OK',
        'ACL SETUSER on a Sentinel',
      );
      s.expectEqual(js(s.exec(S1, { auth: 'adminpw' }, 'ACL', 'GETUSER', 'watcher')), [
        'flags', ['on'], 'passwords', [passwordHash('w')],
        'commands', '-@all +ping +sentinel|masters', 'keys', '', 'channels', '', 'selectors', [],
      ], 'GETUSER over the Sentinel command table');
      s.expectEqual(js(s.exec(S1, { auth: 'adminpw' }, 'ACL', 'SETUSER', 'x', '+get')), { err: "ERR Error in ACL SETUSER modifier '+get': Unknown command or category name in ACL" }, 'GET is not a Sentinel command');
      s.expectEqual(js(s.exec(S1, { auth: 'adminpw' }, 'ACL', 'DRYRUN', 'watcher', 'sentinel', 'reset', '*')), "This user has no permissions to run the 'sentinel|reset' command", 'DRYRUN');
      // the flush writes the live users
      s.expectEqual(js(s.exec(S1, { auth: 'adminpw' }, 'SENTINEL', 'FLUSHCONFIG')), 'OK', 'flushconfig');
    });
  });

  it('without +sentinel|is-master-down-by-addr for the peers, the master never reaches O_DOWN (quorum 2)', () => {
    run('-sentinel|is-master-down-by-addr', (s) => {
      s.sleep('15s');
      s.expect(waitDiscovered(s), 'discovered');
      const t = s.clock();
      s.kill(s.servers[0]!);
      s.waitFor('+sdown', { timeout: '20s' });
      s.sleep('20s');
      // the other Sentinels' down state comes only in is-master-down-by-addr replies: -NOPERM instead
      s.expectEqual(s.events({ event: '+odown', since: t }).length, 0, 'S_DOWN only, never O_DOWN');
      s.expectEqual(s.events({ event: '+try-failover', since: t }).length, 0, 'no failover attempt');
      const log = js(s.exec(s.sentinels[0]!, { auth: 'adminpw' }, 'ACL', 'LOG', '1')) as unknown[][];
      s.expectEqual([log[0]![3], log[0]![7], log[0]![9]], ['command', 'sentinel|is-master-down-by-addr', 'peer'], 'the refused vote request is in the ACL LOG');
    });
  });
});
