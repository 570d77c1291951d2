// The command table of Sentinel mode as ACL sees it: populateCommandTable keeps only the commands
// flagged SENTINEL (their specs are redis-server's), plus SENTINEL itself and its subcommands.
import '../redis/commands/index.ts';
import { fixedUniverse, type AclUniverse } from '../redis/acl/universe.ts';
import type { CommandSpec } from '../redis/commands/context.ts';
import { lookupCommand } from '../redis/commands/table.ts';
import { cmd } from '../redis/server/cmdutil.ts';

/** The generic commands Redis 7.0.15 flags SENTINEL (its COMMAND in sentinel mode lists them). */
const SENTINEL_FLAGGED = ['acl', 'auth', 'client', 'command', 'hello', 'info', 'ping', 'psubscribe', 'publish', 'punsubscribe', 'role', 'shutdown', 'subscribe', 'unsubscribe'];
/** SENTINEL's subcommands (sentinel-*.json: ADMIN, except HELP). */
const SENTINEL_SUBS = [
  'ckquorum', 'config', 'debug', 'failover', 'flushconfig', 'get-master-addr-by-name', 'help', 'info-cache', 'is-master-down-by-addr',
  'master', 'masters', 'monitor', 'myid', 'pending-scripts', 'remove', 'replicas', 'reset', 'sentinels', 'set', 'simulate-failure', 'slaves',
];

let universe: AclUniverse | null = null;

/** Sentinel mode's command table as ACL sees it. */
export function sentinelUniverse(): AclUniverse {
  if (universe) return universe;
  const none = () => undefined;
  const sentinel = cmd('sentinel', -2, ['admin'], 'sentinel', '2.8.4', 'A container for Sentinel commands', none, [0, 0, 0],
    SENTINEL_SUBS.map((s) => cmd(`sentinel|${s}`, -2, s === 'help' ? ['loading', 'stale'] : ['admin'], 'sentinel', '2.8.4', '', none)));
  const specs: CommandSpec[] = [sentinel];
  for (const n of SENTINEL_FLAGGED) {
    const s = lookupCommand(n);
    if (s) specs.push(s);
  }
  universe = fixedUniverse(specs);
  return universe;
}
