// INFO processing (sentinel.md §6): parsing, role changes, promotion, convert / fix, reconf progress.
import { describe, expect, it } from 'vitest';
import { parseSlaveLine, refreshInstanceInfo } from '../../engine/sentinel/info.ts';
import {
  FailoverState,
  MASTER_LINK_STATUS_UP,
  SRI_FAILOVER_IN_PROGRESS,
  SRI_MASTER,
  SRI_PROMOTED,
  SRI_RECONF_DONE,
  SRI_RECONF_SENT,
  SRI_SLAVE,
  type Instance,
} from '../../engine/sentinel/instance.ts';
import { unitWorld } from './unit.ts';

const RUNID = '1'.repeat(40);
const info = (...lines: string[]) => lines.join('\r\n') + '\r\n';
const masterInfo = (...slaves: string[]) => info('# Server', `run_id:${RUNID}`, '# Replication', 'role:master', `connected_slaves:${slaves.length}`, ...slaves);
const replicaInfo = (host: string, port: number, extra: string[] = []) =>
  info('# Server', `run_id:${'2'.repeat(40)}`, '# Replication', 'role:slave', `master_host:${host}`, `master_port:${port}`, 'master_link_status:up', 'slave_repl_offset:1234', 'slave_priority:50', 'replica_announced:1', ...extra);

function withSentCommands(r: Instance): string[][] {
  const sent: string[][] = [];
  r.link.cc = { command: (_ri: unknown, argv: string[]) => (sent.push(argv), true) } as never;
  return sent;
}

describe('INFO parsing', () => {
  it('slave lines, new and old format; never on a replica record', () => {
    expect(parseSlaveLine('slave0:ip=10.0.0.2,port=6380,state=online,offset=1,lag=0')).toEqual({ ip: '10.0.0.2', port: 6380 });
    expect(parseSlaveLine('slave12:10.0.0.3,6381,online')).toEqual({ ip: '10.0.0.3', port: 6381 });
    expect(parseSlaveLine('slave_read_only:1')).toBeNull();
    expect(parseSlaveLine('slave0:10.0.0.3,6381')).toBeNull();
  });

  it('a master INFO: runid, +slave for each new replica (flushed), role', () => {
    const w = unitWorld();
    const m = w.master();
    refreshInstanceInfo(w.S, m, masterInfo('slave0:ip=10.0.0.2,port=6379,state=online,offset=1,lag=0', 'slave1:ip=10.0.0.3,port=6379,state=online,offset=1,lag=0'));
    expect(m.runid).toBe(RUNID);
    expect(w.events()).toEqual([
      '+slave slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379',
      '+slave slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.1 6379',
    ]);
    expect(w.disk.read<string>('/etc/sentinel.conf')).toContain('sentinel known-replica mymaster 10.0.0.3 6379');
    refreshInstanceInfo(w.S, m, masterInfo('slave0:ip=10.0.0.2,port=6379,state=online,offset=1,lag=0'));
    expect(m.slaves.size).toBe(2); // never removed this way
    expect(m.info).toContain('role:master');
    expect(m.infoRefresh).toBe(w.clock.now);
  });

  it('a new run_id is a +reboot', () => {
    const w = unitWorld();
    const m = w.master();
    refreshInstanceInfo(w.S, m, masterInfo());
    refreshInstanceInfo(w.S, m, masterInfo().replace(RUNID, '3'.repeat(40)));
    expect(w.events()).toEqual(['+reboot master mymaster 10.0.0.1 6379']);
  });

  it('replica fields; master_link_down_since_seconds -1 reads as -1000 ms', () => {
    const w = unitWorld();
    const m = w.master();
    const r = w.replica(m, '10.0.0.2', 6379);
    refreshInstanceInfo(w.S, r, replicaInfo('10.0.0.1', 6379, ['master_link_down_since_seconds:-1']));
    expect(r.slaveMasterHost).toBe('10.0.0.1');
    expect(r.slaveMasterPort).toBe(6379);
    expect(r.slaveMasterLinkStatus).toBe(MASTER_LINK_STATUS_UP);
    expect(r.slaveReplOffset).toBe(1234);
    expect(r.slavePriority).toBe(50);
    expect(r.masterLinkDownTime).toBe(-1000);
    refreshInstanceInfo(w.S, r, replicaInfo('10.0.0.1', 6379));
    expect(r.masterLinkDownTime).toBe(0);
  });

  it('role changes are VERBOSE events: published but not logged at notice', () => {
    const w = unitWorld();
    const m = w.master();
    const r = w.replica(m, '10.0.0.2', 6379);
    const published: string[] = [];
    w.S.publish = (ch, msg) => published.push(`${ch} ${msg}`);
    refreshInstanceInfo(w.S, r, masterInfo());
    expect(published).toEqual(['-role-change slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379 new reported role is master']);
    expect(w.events()).toEqual([]);
    expect(r.roleReported).toBe(SRI_MASTER);
  });
});

describe('INFO acting half', () => {
  it('the promoted replica reporting master: +promoted-slave, config epoch, reconf-slaves, forced hellos', () => {
    const w = unitWorld();
    const m = w.master();
    const r = w.replica(m, '10.0.0.2', 6379);
    m.flags |= SRI_FAILOVER_IN_PROGRESS;
    m.failoverState = FailoverState.WAIT_PROMOTION;
    m.failoverEpoch = 7;
    m.promotedSlave = r;
    r.flags |= SRI_PROMOTED;
    const pub = r.lastPubTime;
    refreshInstanceInfo(w.S, r, masterInfo());
    expect(w.events()).toEqual([
      '+promoted-slave slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379',
      '+failover-state-reconf-slaves master mymaster 10.0.0.1 6379',
    ]);
    expect(m.configEpoch).toBe(7);
    expect(m.failoverState).toBe(FailoverState.RECONF_SLAVES);
    expect(r.lastPubTime).toBe(pub - 2001);
    expect(w.disk.read<string>('/etc/sentinel.conf')).toContain('sentinel monitor mymaster 10.0.0.2 6379 2');
  });

  it('+convert-to-slave: master sane, role:master for more than 8 s, no recent down state', () => {
    const w = unitWorld();
    const m = w.master();
    refreshInstanceInfo(w.S, m, masterInfo());
    const r = w.replica(m, '10.0.0.2', 6379);
    const sent = withSentCommands(r);
    refreshInstanceInfo(w.S, r, masterInfo()); // role change now
    w.tick(8000);
    refreshInstanceInfo(w.S, m, masterInfo());
    refreshInstanceInfo(w.S, r, masterInfo());
    expect(sent).toHaveLength(0);
    w.tick(1);
    refreshInstanceInfo(w.S, m, masterInfo());
    refreshInstanceInfo(w.S, r, masterInfo());
    expect(sent[1]).toEqual(['SLAVEOF', '10.0.0.1', '6379']);
    expect(w.events().at(-1)).toBe('+convert-to-slave slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379');
  });

  it('nothing in TILT', () => {
    const w = unitWorld();
    const m = w.master();
    refreshInstanceInfo(w.S, m, masterInfo());
    const r = w.replica(m, '10.0.0.2', 6379);
    const sent = withSentCommands(r);
    refreshInstanceInfo(w.S, r, masterInfo());
    w.tick(9000);
    refreshInstanceInfo(w.S, m, masterInfo());
    w.S.tilt = true;
    refreshInstanceInfo(w.S, r, masterInfo());
    expect(sent).toHaveLength(0);
  });

  it('+fix-slave-config: a replica following another master for more than failover-timeout', () => {
    const w = unitWorld();
    const m = w.master();
    refreshInstanceInfo(w.S, m, masterInfo());
    const r = w.replica(m, '10.0.0.2', 6379);
    const sent = withSentCommands(r);
    refreshInstanceInfo(w.S, r, replicaInfo('10.0.0.9', 6379));
    w.tick(10001);
    refreshInstanceInfo(w.S, m, masterInfo());
    refreshInstanceInfo(w.S, r, replicaInfo('10.0.0.9', 6379));
    expect(sent[1]).toEqual(['SLAVEOF', '10.0.0.1', '6379']);
    expect(w.events().at(-1)).toBe('+fix-slave-config slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379');
  });

  it('reconf progress: SENT → INPROG (follows the promoted replica) → DONE (link up) on one INFO', () => {
    const w = unitWorld();
    const m = w.master();
    const p = w.replica(m, '10.0.0.3', 6379);
    const r = w.replica(m, '10.0.0.2', 6379);
    m.flags |= SRI_FAILOVER_IN_PROGRESS;
    m.failoverState = FailoverState.RECONF_SLAVES;
    m.promotedSlave = p;
    p.flags |= SRI_PROMOTED;
    r.flags |= SRI_RECONF_SENT;
    refreshInstanceInfo(w.S, r, replicaInfo('10.0.0.3', 6379));
    expect(w.events()).toEqual([
      '+slave-reconf-inprog slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379',
      '+slave-reconf-done slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379',
    ]);
    expect(r.flags & SRI_RECONF_DONE).toBeTruthy();
    expect(r.flags & SRI_SLAVE).toBeTruthy();
  });
});
