// The simulated Redis server process: factory and public types.
import '../commands/index.ts';
import type { ProcessFactory } from '../../sim/process.ts';
import { installReplication } from '../replication/index.ts';
import { installScripting } from '../scripting/install.ts';
import { RedisServer, type ServerExtension } from './server.ts';

export interface RedisServerOptions {
  /** Path of redis.conf on the host's simulated disk. */
  configPath?: string;
  /** Config text; also written to configPath when that file does not exist yet. */
  configText?: string;
  /** Extra directives, applied after the file like command-line options (`--port 7000`). */
  overrides?: Record<string, string>;
  /** Hooks run once the config is loaded, before the startup log (replication attaches here). */
  extensions?: ServerExtension[];
  /**
   * A user's RDB file (its bytes): placed at `dir`/`dbfilename` on the host's disk before the first
   * load when no file is there yet, so the server starts from a production snapshot.
   */
  rdb?: Uint8Array;
}

export function redisServerFactory(opts: RedisServerOptions): ProcessFactory {
  return (ctx) => new RedisServer(ctx, { ...opts, replication: installReplication, scripting: installScripting });
}

export { RedisServer, serverOf, type ServerExtension } from './server.ts';
export { ReplicationState, SelectTracker, type PropagateListener, type PropagateTarget, type ReplicaInfoLine } from './replication-state.ts';
export { Client } from './client.ts';
export { NO_REPLY } from './call.ts';
export { processCommand, resolveCommand } from './dispatch.ts';
export { shutdownServer } from './shutdown.ts';
export { infoString } from './info.ts';
