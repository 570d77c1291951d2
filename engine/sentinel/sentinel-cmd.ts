// The SENTINEL command family (sentinelCommand, sentinelSetCommand, SENTINEL CONFIG / DEBUG /
// INFO-CACHE ..., sentinel.md §14), the Sentinel ROLE and its hello-only PUBLISH.
import { arr, bulk, bulks, err, int, NIL, NIL_ARRAY, OK, simple, type Resp } from '../net/resp.ts';
import { stringMatchC } from '../redis/keyspace/glob.ts';
import type { CommandDef } from './commands.ts';
import {
  DEBUG_PARAMS,
  HELLO_CHANNEL,
  LL_WARNING,
  SIMFAILURE_CRASH_AFTER_ELECTION,
  SIMFAILURE_CRASH_AFTER_PROMOTION,
} from './constants.ts';
import { sentinelEvent, serverLog } from './events.ts';
import { startFailover } from './failover.ts';
import { processHelloMessage } from './hello.ts';
import {
  createErrorText,
  currentMasterAddress,
  findByAddrAndRunid,
  SRI_FAILOVER_IN_PROGRESS,
  SRI_FORCE_FAILOVER,
  SRI_MASTER,
  SRI_O_DOWN,
  SRI_S_DOWN,
  type Instance,
} from './instance.ts';
import { closeLinkConnection } from './link.ts';
import { flushConfig } from './persist.ts';
import { createInstance, deleteInstance } from './registry.ts';
import { instanceReply, instancesReply, mapReply } from './reply.ts';
import { resetMastersByPattern } from './reset.ts';
import { selectSlave } from './select.ts';
import { sentinelSetCommand } from './sentinel-set.ts';
import type { CmdCtx } from './server.ts';
import type { SentinelState } from './state.ts';
import { string2ll } from './util.ts';
import { voteLeader } from './votes.ts';

const NOT_INTEGER = 'ERR value is not an integer or out of range';
export const NO_SUCH_MASTER = 'ERR No such master with that name';

export function masterOrReply(x: CmdCtx, name: string): Instance | null {
  const ri = x.S.masters.get(name);
  if (!ri) x.reply(err(NO_SUCH_MASTER));
  return ri ?? null;
}

/** sentinelFlushConfigAndReply. */
export function flushAndReply(x: CmdCtx): void {
  if (flushConfig(x.S)) x.reply(OK);
  else x.reply(err('ERR Failed to save config file. Check server logs.'));
}

export function sentinelRole(S: SentinelState): Resp {
  return arr([bulk('sentinel'), bulks([...S.masters.keys()])]);
}

/** PUBLISH on a Sentinel: only hellos, processed at once. */
export function helloPublishCommand(x: CmdCtx): void {
  if (x.argv[1] !== HELLO_CHANNEL) {
    x.reply(err('ERR Only HELLO messages are accepted by Sentinel instances.'));
    return;
  }
  processHelloMessage(x.S, x.argv[2]!);
  x.reply(int(1));
}

/** sentinelIsQuorumReachable: usable = 1 + Sentinels not down; voters = known + 1. */
export function quorumReachable(master: Instance): { usable: number; noQuorum: boolean; noAuth: boolean } {
  let usable = 1;
  const voters = master.sentinels.size + 1;
  for (const ri of master.sentinels.values()) if (!(ri.flags & (SRI_S_DOWN | SRI_O_DOWN))) usable++;
  return { usable, noQuorum: usable < master.quorum, noAuth: usable < Math.floor(voters / 2) + 1 };
}

function isMasterDownByAddr(x: CmdCtx): void {
  const S = x.S;
  const port = string2ll(x.argv[3]!);
  if (port === null) return x.reply(err(NOT_INTEGER));
  const reqEpoch = string2ll(x.argv[4]!);
  if (reqEpoch === null) return x.reply(err(NOT_INTEGER));
  const ri = findByAddrAndRunid(S.masters, x.argv[2]!, port, null);
  // in TILT the "down" answer is always 0, but the vote still happens
  const isdown = !S.tilt && ri !== null && ri.flags & SRI_S_DOWN && ri.flags & SRI_MASTER ? 1 : 0;
  let leader: string | null = null;
  let leaderEpoch = 0;
  if (ri && ri.flags & SRI_MASTER && x.argv[5]!.toLowerCase() !== '*') {
    const v = voteLeader(S, ri, reqEpoch, x.argv[5]!);
    leader = v.leader;
    leaderEpoch = v.leaderEpoch;
  }
  x.reply(arr([int(isdown), bulk(leader ?? '*'), int(leaderEpoch)]));
}

function failoverCommand(x: CmdCtx): void {
  const ri = masterOrReply(x, x.argv[2]!);
  if (!ri) return;
  if (ri.flags & SRI_FAILOVER_IN_PROGRESS) return x.reply(err('INPROG Failover already in progress'));
  if (selectSlave(x.S, ri) === null) return x.reply(err('NOGOODSLAVE No suitable replica to promote'));
  serverLog(x.S, LL_WARNING, `Executing user requested FAILOVER of '${ri.name}'`);
  startFailover(x.S, ri);
  ri.flags |= SRI_FORCE_FAILOVER;
  x.reply(OK);
}

function monitorCommand(x: CmdCtx): void {
  const S = x.S;
  const [, , name, host, portS, quorumS] = x.argv as [string, string, string, string, string, string];
  const quorum = string2ll(quorumS);
  if (quorum === null) return x.reply(err('ERR Invalid quorum'));
  const port = string2ll(portS);
  if (port === null) return x.reply(err('ERR Invalid port'));
  if (quorum <= 0) return x.reply(err('ERR Quorum must be 1 or greater.'));
  const ri = createInstance(S, name, SRI_MASTER, host, port, quorum, null);
  if (ri === 'ENOENT') return x.reply(err('ERR Invalid IP address or hostname specified'));
  if (typeof ri === 'string') return x.reply(err(`ERR ${createErrorText(ri, SRI_MASTER)}`));
  flushAndReply(x);
  sentinelEvent(S, LL_WARNING, '+monitor', ri, `%@ quorum ${ri.quorum}`);
}

function removeCommand(x: CmdCtx): void {
  const ri = masterOrReply(x, x.argv[2]!);
  if (!ri) return;
  sentinelEvent(x.S, LL_WARNING, '-monitor', ri, '%@');
  deleteInstance(x.S.masters, ri);
  flushAndReply(x);
}

function ckquorumCommand(x: CmdCtx): void {
  const ri = masterOrReply(x, x.argv[2]!);
  if (!ri) return;
  const q = quorumReachable(ri);
  if (!q.noQuorum && !q.noAuth) {
    x.reply(simple(`OK ${q.usable} usable Sentinels. Quorum and failover authorization can be reached`));
    return;
  }
  let e = `NOQUORUM ${q.usable} usable Sentinels. `;
  if (q.noQuorum) e += 'Not enough available Sentinels to reach the specified quorum for this master';
  if (q.noAuth) {
    if (q.noQuorum) e += '. ';
    e += 'Not enough available Sentinels to reach the majority and authorize a failover';
  }
  x.reply(err(e));
}

function yesnotoi(s: string): number {
  const v = s.toLowerCase();
  return v === 'yes' ? 1 : v === 'no' ? 0 : -1;
}

/** sentinelDropConnections: close the links to the other Sentinels. */
function dropSentinelConnections(S: SentinelState): void {
  for (const m of S.masters.values()) {
    for (const si of m.sentinels.values()) {
      if (!si.link.disconnected) {
        closeLinkConnection(si.link, si.link.pc);
        closeLinkConnection(si.link, si.link.cc);
      }
    }
  }
}

function configCommand(x: CmdCtx): void {
  const S = x.S;
  const sub = x.argv[2]!.toLowerCase();
  if (sub === 'set' && x.argv.length === 5) {
    const o = x.argv[3]!;
    const val = x.argv[4]!;
    const opt = o.toLowerCase();
    let drop = false;
    const badfmt = (): void => x.reply(err(`ERR Invalid value '${val}' to SENTINEL CONFIG SET '${o}'`));
    if (opt === 'resolve-hostnames' || opt === 'announce-hostnames') {
      const yn = yesnotoi(val);
      if (yn === -1) return badfmt();
      if (opt === 'resolve-hostnames') S.resolveHostnames = yn === 1;
      else S.announceHostnames = yn === 1;
    } else if (opt === 'announce-ip') {
      S.announceIp = val;
    } else if (opt === 'announce-port') {
      const n = string2ll(val);
      if (n === null || n < 0 || n > 65535) return badfmt();
      S.announcePort = n;
    } else if (opt === 'sentinel-user') {
      S.sentinelAuthUser = val.length === 0 ? null : val;
      drop = true;
    } else if (opt === 'sentinel-pass') {
      S.sentinelAuthPass = val.length === 0 ? null : val;
      drop = true;
    } else {
      return x.reply(err(`ERR Invalid argument '${o}' to SENTINEL CONFIG SET`));
    }
    flushAndReply(x);
    if (drop) dropSentinelConnections(S);
    return;
  }
  if (sub === 'get' && x.argv.length === 4) {
    const pattern = x.argv[3]!;
    const params: [string, string][] = [
      ['resolve-hostnames', S.resolveHostnames ? 'yes' : 'no'],
      ['announce-hostnames', S.announceHostnames ? 'yes' : 'no'],
      ['announce-ip', S.announceIp ?? ''],
      ['announce-port', String(S.announcePort)],
      ['sentinel-user', S.sentinelAuthUser ?? ''],
      ['sentinel-pass', S.sentinelAuthPass ?? ''],
    ];
    x.reply(mapReply(params.filter(([k]) => stringMatchC(pattern, k, true))));
    return;
  }
  x.reply(err('ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.'));
}

function infoCacheCommand(x: CmdCtx): void {
  const S = x.S;
  const now = S.now();
  let masters: Instance[] = [...S.masters.values()];
  if (x.argv.length > 2) {
    const picked = new Map<string, Instance>();
    for (const name of x.argv.slice(2)) {
      const ri = S.masters.get(name);
      if (ri && !picked.has(name)) picked.set(name, ri);
    }
    masters = [...picked.values()];
  }
  const out: Resp[] = [];
  for (const ri of masters) {
    out.push(bulk(ri.name));
    const entries: Resp[] = [arr([int(ri.infoRefresh ? now - ri.infoRefresh : 0), ri.info !== null ? bulk(ri.info) : NIL])];
    for (const s of ri.slaves.values()) {
      // Redis tests the master's info_refresh here (sic)
      entries.push(arr([int(ri.infoRefresh ? now - s.infoRefresh : 0), s.info !== null ? bulk(s.info) : NIL]));
    }
    out.push(arr(entries));
  }
  x.reply(arr(out));
}

function simulateFailureCommand(x: CmdCtx): void {
  const S = x.S;
  S.simfailureFlags = 0;
  for (const a of x.argv.slice(2)) {
    const o = a.toLowerCase();
    if (o === 'crash-after-election') {
      S.simfailureFlags |= SIMFAILURE_CRASH_AFTER_ELECTION;
      serverLog(S, LL_WARNING, 'Failure simulation: this Sentinel will crash after being successfully elected as failover leader');
    } else if (o === 'crash-after-promotion') {
      S.simfailureFlags |= SIMFAILURE_CRASH_AFTER_PROMOTION;
      serverLog(S, LL_WARNING, 'Failure simulation: this Sentinel will crash after promoting the selected replica to master');
    } else if (o === 'help') {
      x.reply(bulks(['crash-after-election', 'crash-after-promotion']));
      return;
    } else {
      x.reply(err('ERR Unknown failure simulation specified'));
      return;
    }
  }
  x.reply(OK);
}

function debugCommand(x: CmdCtx): void {
  const T = x.S.timings;
  if (x.argv.length === 2) {
    x.reply(mapReply(DEBUG_PARAMS.map(([name, key]) => [name, String(T[key])])));
    return;
  }
  for (let j = 2; j < x.argv.length; j++) {
    const option = x.argv[j]!;
    const p = DEBUG_PARAMS.find(([name]) => name.toLowerCase() === option.toLowerCase());
    if (!p || j === x.argv.length - 1) {
      x.reply(err(`ERR Unknown option or number of arguments for SENTINEL DEBUG '${option}'`));
      return;
    }
    const v = x.argv[++j]!;
    const ll = string2ll(v);
    if (ll === null || ll <= 0) {
      x.reply(err(`ERR Invalid argument '${v}' for SENTINEL DEBUG '${option}'`));
      return;
    }
    T[p[1]] = ll;
  }
  x.reply(OK);
}

const HELP_LINES = [
  'SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CKQUORUM <master-name>',
  '    Check if the current Sentinel configuration is able to reach the quorum',
  '    needed to failover a master and the majority needed to authorize the',
  '    failover.',
  'CONFIG SET <param> <value>',
  '    Set a global Sentinel configuration parameter.',
  'CONFIG GET <param>',
  '    Get global Sentinel configuration parameter.',
  'DEBUG [<param> <value> ...]',
  '    Show a list of configurable time parameters and their values (milliseconds).',
  '    Or update current configurable parameters values (one or more).',
  'GET-MASTER-ADDR-BY-NAME <master-name>',
  '    Return the ip and port number of the master with that name.',
  'FAILOVER <master-name>',
  '    Manually failover a master node without asking for agreement from other',
  '    Sentinels',
  'FLUSHCONFIG',
  '    Force Sentinel to rewrite its configuration on disk, including the current',
  '    Sentinel state.',
  'INFO-CACHE <master-name>',
  '    Return last cached INFO output from masters and all its replicas.',
  'IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>',
  "    Check if the master specified by ip:port is down from current Sentinel's",
  '    point of view.',
  'MASTER <master-name>',
  '    Show the state and info of the specified master.',
  'MASTERS',
  '    Show a list of monitored masters and their state.',
  'MONITOR <name> <ip> <port> <quorum>',
  '    Start monitoring a new master with the specified name, ip, port and quorum.',
  'MYID',
  '    Return the ID of the Sentinel instance.',
  'PENDING-SCRIPTS',
  '    Get pending scripts information.',
  'REMOVE <master-name>',
  "    Remove master from Sentinel's monitor list.",
  'REPLICAS <master-name>',
  '    Show a list of replicas for this master and their state.',
  'RESET <pattern>',
  '    Reset masters for specific master name matching this pattern.',
  'SENTINELS <master-name>',
  '    Show a list of Sentinel instances for this master and their state.',
  'SET <master-name> <option> <value> [<option> <value> ...]',
  '    Set configuration parameters for certain masters.',
  'SIMULATE-FAILURE [CRASH-AFTER-ELECTION] [CRASH-AFTER-PROMOTION] [HELP]',
  '    Simulate a Sentinel crash.',
  'HELP',
  '    Prints this help.',
];

const def = (arity: number, handler: (x: CmdCtx) => void): CommandDef => ({ arity, handler });

export const SENTINEL_SUBCOMMANDS = new Map<string, CommandDef>([
  ['ckquorum', def(3, ckquorumCommand)],
  ['config', def(-3, configCommand)],
  ['debug', def(-2, debugCommand)],
  ['failover', def(3, failoverCommand)],
  ['flushconfig', def(2, flushAndReply)],
  [
    'get-master-addr-by-name',
    def(3, (x) => {
      const ri = x.S.masters.get(x.argv[2]!);
      if (!ri) return x.reply(NIL_ARRAY);
      const a = currentMasterAddress(ri);
      x.reply(bulks([a.ip, String(a.port)]));
    }),
  ],
  ['help', def(2, (x) => x.reply(arr(HELP_LINES.map((l) => simple(l)))))],
  ['info-cache', def(-3, infoCacheCommand)],
  ['is-master-down-by-addr', def(6, isMasterDownByAddr)],
  [
    'master',
    def(3, (x) => {
      const ri = masterOrReply(x, x.argv[2]!);
      if (ri) x.reply(instanceReply(x.S, ri));
    }),
  ],
  ['masters', def(2, (x) => x.reply(instancesReply(x.S, x.S.masters.values())))],
  ['monitor', def(6, monitorCommand)],
  ['myid', def(2, (x) => x.reply(bulk(x.S.myid)))],
  ['pending-scripts', def(2, (x) => x.reply(arr([])))],
  ['remove', def(3, removeCommand)],
  [
    'replicas',
    def(3, (x) => {
      const ri = masterOrReply(x, x.argv[2]!);
      if (ri) x.reply(instancesReply(x.S, ri.slaves.values()));
    }),
  ],
  ['reset', def(3, (x) => x.reply(int(resetMastersByPattern(x.S, x.argv[2]!))))],
  [
    'sentinels',
    def(3, (x) => {
      const ri = masterOrReply(x, x.argv[2]!);
      if (ri) x.reply(instancesReply(x.S, ri.sentinels.values()));
    }),
  ],
  ['set', def(-5, sentinelSetCommand)],
  ['simulate-failure', def(-3, simulateFailureCommand)],
  [
    'slaves',
    def(3, (x) => {
      const ri = masterOrReply(x, x.argv[2]!);
      if (ri) x.reply(instancesReply(x.S, ri.slaves.values()));
    }),
  ],
]);
