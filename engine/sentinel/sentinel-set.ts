// SENTINEL SET <master> <option> <value> ... (sentinelSetCommand): options applied one by one, a
// +set event each; an error stops there but what was applied stays (and is flushed).
import { err } from '../net/resp.ts';
import { LL_WARNING } from './constants.ts';
import { sentinelEvent } from './events.ts';
import { propagateDownAfterPeriod, type Instance } from './instance.ts';
import { closeLinkConnection } from './link.ts';
import { flushConfig } from './persist.ts';
import { flushAndReply, masterOrReply } from './sentinel-cmd.ts';
import type { CmdCtx } from './server.ts';
import { string2ll } from './util.ts';

const SCRIPTS_DENIED =
  'ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration';

/** dropInstanceConnections: the master's and its replicas' links. */
function dropInstanceConnections(ri: Instance): void {
  closeLinkConnection(ri.link, ri.link.cc);
  closeLinkConnection(ri.link, ri.link.pc);
  for (const s of ri.slaves.values()) {
    closeLinkConnection(s.link, s.link.cc);
    closeLinkConnection(s.link, s.link.pc);
  }
}

export function sentinelSetCommand(x: CmdCtx): void {
  const S = x.S;
  const argv = x.argv;
  const ri = masterOrReply(x, argv[2]!);
  if (!ri) return;
  let changes = 0;
  let badarg = 0;
  let option = '';
  let failed = false;

  for (let j = 3; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    option = argv[j]!;
    const opt = option.toLowerCase();
    const oldJ = j;
    let redacted = false;
    const positive = (min: number): number | null => {
      const v = string2ll(argv[++j]!);
      if (v === null || v < min) {
        badarg = j;
        return null;
      }
      return v;
    };

    if (opt === 'down-after-milliseconds' && moreargs > 0) {
      const v = positive(1);
      if (v === null) break;
      ri.downAfterPeriod = v;
      propagateDownAfterPeriod(ri);
    } else if (opt === 'failover-timeout' && moreargs > 0) {
      const v = positive(1);
      if (v === null) break;
      ri.failoverTimeout = v;
    } else if (opt === 'parallel-syncs' && moreargs > 0) {
      const v = positive(1);
      if (v === null) break;
      ri.parallelSyncs = v;
    } else if ((opt === 'notification-script' || opt === 'client-reconfig-script') && moreargs > 0) {
      const value = argv[++j]!;
      if (S.denyScriptsReconfig) {
        x.reply(err(SCRIPTS_DENIED));
        failed = true;
        break;
      }
      // the simulator has no file system: every path counts as executable
      if (opt === 'notification-script') ri.notificationScript = value.length ? value : null;
      else ri.clientReconfigScript = value.length ? value : null;
    } else if (opt === 'auth-pass' && moreargs > 0) {
      const value = argv[++j]!;
      ri.authPass = value.length ? value : null;
      dropInstanceConnections(ri);
      redacted = true;
    } else if (opt === 'auth-user' && moreargs > 0) {
      const value = argv[++j]!;
      ri.authUser = value.length ? value : null;
      dropInstanceConnections(ri);
    } else if (opt === 'quorum' && moreargs > 0) {
      const v = positive(1);
      if (v === null) break;
      ri.quorum = v;
    } else if (opt === 'rename-command' && moreargs > 1) {
      const oldname = argv[++j]!;
      const newname = argv[++j]!;
      if (oldname.length === 0 || newname.length === 0) {
        badarg = newname.length ? j - 1 : j;
        break;
      }
      ri.renamedCommands.delete(oldname.toLowerCase());
      if (oldname.toLowerCase() !== newname.toLowerCase()) {
        ri.renamedCommands.set(oldname.toLowerCase(), { command: oldname, renamed: newname });
      }
    } else if (opt === 'master-reboot-down-after-period' && moreargs > 0) {
      const v = positive(0);
      if (v === null) break;
      ri.masterRebootDownAfterPeriod = v;
    } else {
      x.reply(err(`ERR Unknown option or number of arguments for SENTINEL SET '${option}'`));
      failed = true;
      break;
    }
    changes++;

    const numargs = j - oldJ + 1;
    if (numargs === 2) {
      sentinelEvent(S, LL_WARNING, '+set', ri, `%@ ${argv[oldJ]} ${redacted ? '******' : argv[oldJ + 1]}`);
    } else if (numargs === 3) {
      sentinelEvent(S, LL_WARNING, '+set', ri, `%@ ${argv[oldJ]} ${argv[oldJ + 1]} ${argv[oldJ + 2]}`);
    } else {
      sentinelEvent(S, LL_WARNING, '+set', ri, `%@ ${argv[oldJ]}`);
    }
  }

  if (badarg) {
    x.reply(err(`ERR Invalid argument '${argv[badarg]}' for SENTINEL SET '${option}'`));
    failed = true;
  }
  if (failed) {
    if (changes) flushConfig(S);
    return;
  }
  if (changes) flushAndReply(x);
}
