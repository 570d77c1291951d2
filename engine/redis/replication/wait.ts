// WAIT numreplicas timeout (replication.md §9; replication.c waitCommand): block until enough
// replicas acknowledged the client's last write, or the virtual-time time-out.
import { err, int, type Resp } from '../../net/resp.ts';
import type { BlockRequest, CommandContext } from '../commands/context.ts';
import type { Client } from '../server/client.ts';
import { parseLongLong } from '../server/cmdutil.ts';
import { NOT_INTEGER } from '../server/errors.ts';
import { countAcks } from './master.ts';
import { WAIT_ON_REPLICA, type Replication } from './replication.ts';

export function waitCommand(r: Replication, ctx: CommandContext): Resp | undefined {
  if (r.isReplica) return WAIT_ON_REPLICA;
  const num = parseLongLong(ctx.argv[1]!);
  if (num === null) return NOT_INTEGER;
  const timeout = parseLongLong(ctx.argv[2]!);
  if (timeout === null) return err('ERR timeout is not an integer or out of range');
  if (timeout < 0) return err('ERR timeout is negative');
  const c = ctx.client as Client;
  // c->woff: the master offset right after the client's previous command (set by processCommand after
  // each command), so a client whose first command is WAIT waits for nothing
  const offset = c.woff;
  const acks = countAcks(r, offset);
  if (acks >= num || ctx.inTransaction) return int(acks);
  const req: BlockRequest = {
    keys: [],
    deadlineMs: timeout > 0 ? r.s.mstime() + timeout : 0,
    retry: () => undefined,
    // on time-out (or CLIENT UNBLOCK) the reply is the count at that moment
    get timeoutReply(): Resp {
      return int(countAcks(r, offset));
    },
  };
  r.waiters.add({ c, req, offset, numreplicas: num });
  ctx.block(req);
  // one REPLCONF GETACK * for all waiters, before the event loop sleeps
  r.getAckPending = true;
  return undefined;
}
