// What the server core asks of its replication subsystem. The process factory (index.ts) installs
// it at boot, so the core (boot, shutdown) does not import replication/, which builds on the core.
import type { RedisServer } from './server.ts';

/** A log line: Redis's level mark ('#' warning, '*' notice) and the text. */
export type ReplicationLogLine = [level: '#' | '*', line: string];

export interface ReplicationPort {
  /** After the dataset is loaded: take the replication id and offset an RDB carried. */
  afterLoad(): void;
  /** Send a command to every replica (SHUTDOWN's REPLCONF GETACK *). */
  feedSpecial(argv: string[]): void;
  /** isReadyToShutdown: every replica acknowledged the whole stream up to `offset`. */
  replicasAcked(offset: number): boolean;
  /** finishShutdown's lines about the replicas: each lagging one, then how many are in sync. */
  shutdownReport(offset: number): ReplicationLogLine[];
  /** flushSlavesOutputBuffers: what the replicas are owed goes out before the sockets close. */
  flushOutputs(): void;
}

/** Attaches replication to a server whose config is loaded (before the dataset is loaded). */
export type ReplicationInstaller = (s: RedisServer) => ReplicationPort;
