// The server's view of its configuration: a thin adapter over engine/redis/config (redis.conf
// parsing, CONFIG GET/SET/REWRITE), so the rest of the server only sees typed getters.
import type { Reply, Resp } from '../../net/resp.ts';

export interface ServerConf {
  /** The value CONFIG GET shows ('' for unknown names). */
  get(name: string): string;
  int(name: string): number;
  bool(name: string): boolean;
  /** CONFIG GET pattern... → flat [name, value, ...] reply. */
  configGet(patterns: readonly string[]): Reply;
  /** CONFIG SET name value [name value ...]: OK or the exact error reply. */
  configSet(args: readonly string[]): Resp;
  /** CONFIG REWRITE: writes the file on the host disk; OK or the error reply. */
  rewrite(): Resp;
  /** Absolute (or as given) path of the config file; '' when started without one. */
  readonly configFile: string;
  /** REPLICAOF host port / NO ONE (null): server.masterhost is the `replicaof` config. */
  setReplicaOf?(target: { host: string; port: number } | null): void;
  /** The `user` lines of the file: [name, ...rules] in file order. */
  users?(): string[][];
}
