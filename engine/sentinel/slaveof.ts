// sentinelSendSlaveOf (sentinel.md §10.4): MULTI, SLAVEOF, CONFIG REWRITE, CLIENT KILL TYPE normal,
// CLIENT KILL TYPE pubsub, EXEC — pipelined, replies discarded, success observed through INFO.
import { mapCommand, type Instance, type SentinelAddr } from './instance.ts';
import type { SentinelState } from './state.ts';

/** `addr` null sends SLAVEOF NO ONE. True when the transaction was queued. */
export function sendSlaveOf(_S: SentinelState, ri: Instance, addr: SentinelAddr | null): boolean {
  const cc = ri.link.cc;
  if (!cc) return false;
  const host = addr ? addr.ip : 'NO';
  const port = addr ? String(addr.port) : 'ONE';
  const cmds: string[][] = [
    [mapCommand(ri, 'MULTI')],
    [mapCommand(ri, 'SLAVEOF'), host, port],
    [mapCommand(ri, 'CONFIG'), 'REWRITE'],
    [mapCommand(ri, 'CLIENT'), 'KILL', 'TYPE', 'normal'],
    [mapCommand(ri, 'CLIENT'), 'KILL', 'TYPE', 'pubsub'],
    [mapCommand(ri, 'EXEC')],
  ];
  for (const argv of cmds) {
    if (!cc.command(ri, argv, 'sentinel-cmd', null)) return false;
    ri.link.pendingCommands++;
  }
  return true;
}
