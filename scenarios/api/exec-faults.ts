// Admin commands that disrupt the cluster as a fault does, so `exec` records them as fault records (the same
// in the simulator and the real twin): `compare` measures its milestones from them (bin/compare/extract.ts).
//  - FAILOVER [TO …] [TIMEOUT …] [FORCE]: the coordinated failover (replication.c failoverCommand) pauses the
//    master's writes, and the Sentinels only see it through INFO (role:slave) or postponed hellos.
//  - CLIENT PAUSE <ms> [WRITE|ALL] (networking.c clientCommand → pauseClients): holds the Sentinels' PUBLISH
//    hellos (PUBLISH may replicate), and the PINGs that follow them on the same link.
// Their undo steps (FAILOVER ABORT, CLIENT UNPAUSE) are recorded as heals.
import type { FaultRecord } from '../../engine/trace/types.ts';

/** The fault kinds recorded for admin commands. */
export const EXEC_FAULTS = ['failover-command', 'client-pause'] as const;
export const EXEC_HEALS = ['failover-abort', 'client-unpause'] as const;

/** The fault record an admin command sent to a server stands for, or null (most commands). */
export function execFault(t: number, node: string, argv: readonly string[]): FaultRecord | null {
  const cmd = (argv[0] ?? '').toUpperCase();
  const sub = (argv[1] ?? '').toUpperCase();
  if (cmd === 'FAILOVER') {
    if (sub === 'ABORT') return { t, k: 'fault', fault: 'failover-abort', target: node };
    return { t, k: 'fault', fault: 'failover-command', target: node, args: { argv: argv.slice(1) } };
  }
  if (cmd === 'CLIENT' && sub === 'PAUSE') {
    const mode = (argv[3] ?? 'ALL').toUpperCase();
    return { t, k: 'fault', fault: 'client-pause', target: node, args: { timeoutMs: Number(argv[2]), mode } };
  }
  if (cmd === 'CLIENT' && sub === 'UNPAUSE') return { t, k: 'fault', fault: 'client-unpause', target: node };
  return null;
}
