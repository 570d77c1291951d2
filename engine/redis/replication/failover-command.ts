// FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms] (replication.c failoverCommand) and the target
// replica's side of PSYNC <replid> <offset> FAILOVER (syncCommand).
import { err, OK, type Resp } from '../../net/resp.ts';
import type { Client } from '../server/client.ts';
import { clientInfoLine } from '../server/client-command.ts';
import { parseLongLong } from '../server/cmdutil.ts';
import { NOT_INTEGER, SYNTAX } from '../server/errors.ts';
import { unsetMaster } from './replicaof.ts';
import type { Replication } from './replication.ts';
import { sameId } from './types.ts';

export const REPLICAOF_WHILE_FAILING_OVER: Resp = err('ERR REPLICAOF not allowed while failing over.');

/** failoverCommand: argument errors first, then the state checks in Redis's order. */
export function failoverCommand(r: Replication, argv: readonly string[]): Resp {
  const f = r.failover;
  if (argv.length === 2 && argv[1]!.toLowerCase() === 'abort') {
    if (f.state === 'no-failover') return err('ERR No failover in progress.');
    f.abort('Failover manually aborted');
    return OK;
  }
  let timeout = 0;
  let force = false;
  let port = 0;
  let host: string | null = null;
  for (let j = 1; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    if (opt === 'timeout' && j + 1 < argv.length && timeout === 0) {
      const t = parseLongLong(argv[j + 1]!);
      if (t === null) return NOT_INTEGER;
      if (t <= 0) return err('ERR FAILOVER timeout must be greater than 0');
      timeout = t;
      j++;
    } else if (opt === 'to' && j + 2 < argv.length && host === null) {
      const p = parseLongLong(argv[j + 2]!);
      if (p === null) return NOT_INTEGER;
      port = p;
      host = argv[j + 1]!;
      j += 2;
    } else if (opt === 'force' && !force) {
      force = true;
    } else {
      return SYNTAX;
    }
  }
  if (f.state !== 'no-failover') return err('ERR FAILOVER already in progress.');
  if (r.isReplica) return err('ERR FAILOVER is not valid when server is a replica.');
  if (r.links.length === 0) return err('ERR FAILOVER requires connected replicas.');
  if (force && (!timeout || host === null)) return err('ERR FAILOVER with force option requires both a timeout and target HOST and IP.');
  if (host !== null) {
    const l = f.findReplica(host, port);
    if (!l) return err('ERR FAILOVER target HOST and PORT is not a replica.');
    if (l.state !== 'online') return err('ERR FAILOVER target replica is not online.');
  }
  f.start(host, port, timeout, force);
  return OK;
}

/**
 * syncCommand's PSYNC ... FAILOVER: the master of this replica asks it to take over. Returns an
 * error reply, or null to go on with the PSYNC (now as a master).
 */
export function psyncFailover(r: Replication, c: Client, argv: readonly string[]): Resp | null {
  const s = r.s;
  s.log('#', `Failover request received for replid ${argv[1]}.`);
  if (!r.isReplica) return err("ERR PSYNC FAILOVER can't be sent to a master.");
  if (!sameId(argv[1]!, s.repl.replid)) return err('ERR PSYNC FAILOVER replid must match my replid.');
  unsetMaster(r.replica);
  s.log('*', `MASTER MODE enabled (failover request from '${clientInfoLine(s, c)}')`);
  return null;
}
