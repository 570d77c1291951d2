// The coordinated failover of Redis 7.0.15 (replication.c failoverCommand, updateFailoverStatus,
// abortFailover, clearFailoverState): the master pauses writes, waits until a replica acknowledged
// its whole stream, then turns itself into a replica of it and sends PSYNC <replid> <offset> FAILOVER,
// which makes the target promote itself.
import type { Client } from '../server/client.ts';
import { FOREVER } from '../server/pause.ts';
import type { ReplicaLink } from './master.ts';
import { setMaster, unsetMaster } from './replicaof.ts';
import type { Replication } from './replication.ts';

/** server.failover_state as INFO names it (getFailoverStateString). */
export type FailoverState = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';

/** The peer IP of a client ("ip:port" → ip), as connPeerToString gives it. */
export function peerIp(c: Client): string {
  return c.addr.slice(0, c.addr.lastIndexOf(':'));
}

export class Failover {
  state: FailoverState = 'no-failover';
  /** server.failover_end_time (host ms, 0 = no TIMEOUT). */
  endMs = 0;
  force = false;
  /** server.target_replica_host / port (null host = any replica, until one is found). */
  targetHost: string | null = null;
  targetPort = 0;
  /** The 100 ms replication cron ran in this serverCron tick (the 1 s one is then skipped). */
  fastCronRan = false;

  constructor(readonly r: Replication) {
    const s = r.s;
    // serverCron: replicationCron every 100 ms instead of every second while failing over
    s.cronHooks.push(() => {
      this.fastCronRan = false;
      if (this.state !== 'no-failover') {
        this.fastCronRan = true;
        r.cron();
      }
    });
  }

  get active(): boolean {
    return this.state !== 'no-failover';
  }

  /** findReplica: the replica link whose announced (or peer) IP and listening port match. */
  findReplica(host: string, port: number): ReplicaLink | null {
    const h = host.toLowerCase();
    for (const l of this.r.links) {
      const ip = l.conf.ip ?? peerIp(l.c);
      if (ip.toLowerCase() === h && port === l.conf.listeningPort) return l;
    }
    return null;
  }

  /** The checks passed: pause writes and wait for a replica (failoverCommand's tail). */
  start(host: string | null, port: number, timeoutMs: number, force: boolean): void {
    const s = this.r.s;
    if (host !== null) {
      this.targetHost = host;
      this.targetPort = port;
      s.log('*', `FAILOVER requested to ${host}:${port}.`);
    } else {
      s.log('*', 'FAILOVER requested to any replica.');
    }
    if (timeoutMs) this.endMs = s.mstime() + timeoutMs;
    this.force = force;
    this.state = 'waiting-for-sync';
    s.pause.pause('failover', FOREVER, 'write');
  }

  /** clearFailoverState: the failover is over (done or aborted); writes resume. */
  clear(): void {
    this.endMs = 0;
    this.force = false;
    this.targetHost = null;
    this.targetPort = 0;
    this.state = 'no-failover';
    this.r.s.pause.unpause('failover');
  }

  /** abortFailover. */
  abort(why: string): void {
    if (this.state === 'no-failover') return;
    const s = this.r.s;
    if (this.targetHost !== null) s.log('*', `FAILOVER to ${this.targetHost}:${this.targetPort} aborted: ${why}`);
    else s.log('*', `FAILOVER to any replica aborted: ${why}`);
    if (this.state === 'failover-in-progress') unsetMaster(this.r.replica);
    this.clear();
  }

  /** updateFailoverStatus: from replicationCron and every beforeSleep while waiting for sync. */
  update(): void {
    if (this.state !== 'waiting-for-sync') return;
    const r = this.r;
    const s = r.s;
    if (this.endMs && this.endMs <= s.mstime()) {
      if (this.force) {
        s.log('*', `FAILOVER to ${this.targetHost}:${this.targetPort} time out exceeded, failing over.`);
        this.state = 'failover-in-progress';
        setMaster(r.replica, this.targetHost!, this.targetPort);
      } else {
        this.abort('Replica never caught up before timeout');
      }
      return;
    }
    const offset = r.st.masterReplOffset;
    let replica: ReplicaLink | null = null;
    if (this.targetHost !== null) replica = this.findReplica(this.targetHost, this.targetPort);
    else {
      // any replica that acknowledged our whole stream (whatever its state)
      for (const l of r.links) {
        replica = l;
        if (l.ackOff === offset) {
          this.targetHost = l.conf.ip ?? peerIp(l.c);
          this.targetPort = l.conf.listeningPort;
          break;
        }
      }
    }
    if (replica && replica.ackOff === offset) {
      this.state = 'failover-in-progress';
      s.log('*', `Failover target ${this.targetHost}:${this.targetPort} is synced, failing over.`);
      setMaster(r.replica, this.targetHost!, this.targetPort);
    }
  }

  /** syncWithMaster after the PSYNC reply of the target: done, or the target refused. */
  onPsyncResult(accepted: boolean): boolean {
    if (this.state !== 'failover-in-progress') return true;
    if (accepted) {
      this.clear();
      return true;
    }
    this.abort('Failover target rejected psync request');
    return false;
  }
}
