// What dispatch and INFO need to know about replication (replication.md §13, §14). The replication
// module fills these fields (or replaces `infoLines`); until then a server is a plain master.

export type ReplRole = 'master' | 'replica';

export interface ReplicaInfoLine {
  ip: string;
  port: number;
  state: 'wait_bgsave' | 'send_bulk' | 'online';
  offset: number;
  lag: number;
}

export class ReplicationState {
  role: ReplRole = 'master';
  masterHost = '';
  masterPort = 0;
  /** repl_state == REPL_STATE_CONNECTED (only meaningful on a replica). */
  masterLinkUp = false;
  /** Replicas whose last ACK is within min-replicas-max-lag (repl_good_slaves_count). */
  goodReplicas = 0;
  replid: string;
  replid2 = '0'.repeat(40);
  masterReplOffset = 0;
  secondReplOffset = -1;
  backlogActive = false;
  backlogSize = 1048576;
  backlogFirstByteOffset = 0;
  backlogHistlen = 0;
  /** Connected replica links (INFO slave<i> lines). */
  replicas: ReplicaInfoLine[] = [];
  /** Replica-side fields for INFO (the replication module keeps them current). */
  replicaInfo = {
    lastIoSecondsAgo: -1,
    syncInProgress: false,
    readReplOffset: 1,
    replOffset: 1,
    /** seconds since the link went down; -1 = never connected */
    linkDownSinceSeconds: -1,
  };
  /** Override to render the whole section body (without the "# Replication" header). */
  infoLines: (() => string[]) | null = null;

  constructor(replid: string) {
    this.replid = replid;
  }

  get isReplica(): boolean {
    return this.role === 'replica';
  }
}

/**
 * Where propagated commands go. Every execution unit's commands arrive in order, already wrapped
 * in MULTI/EXEC when Redis would wrap them; SELECT is NOT inserted: each sink tracks its own
 * selected db (Redis keeps aof_selected_db and slaveseldb separately) — see SelectTracker.
 */
export type PropagateTarget = { aof: boolean; repl: boolean };
export type PropagateListener = (dbIndex: number, argv: string[], target: PropagateTarget) => void;

/** Emits SELECT when the db changes, like feedAppendOnlyFile / replicationFeedSlaves do. */
export class SelectTracker {
  selected = -1;
  /** Returns the commands to write: [SELECT n]? + argv. */
  feed(dbIndex: number, argv: string[]): string[][] {
    if (dbIndex === this.selected) return [argv];
    this.selected = dbIndex;
    return [['SELECT', String(dbIndex)], argv];
  }
  reset(): void {
    this.selected = -1;
  }
}
